from odoo import Command

from .service_common import ServiceCommon


class ClaimCommon(ServiceCommon):
    """Two vendors of the espresso machine, and helpers that make a service
    order whose faulty unit (bought from a vendor) was replaced, and send a
    claim to its vendor through the mail composer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env["res.partner"].create({"name": "Espresso Parts Ltd"})
        cls.other_vendor = cls.env["res.partner"].create({"name": "Fallback Supplies"})
        cls.product_serial.seller_ids = [
            Command.create(
                {"partner_id": cls.other_vendor.id, "price": 300.0, "warranty_months": 6}
            ),
            Command.create({"partner_id": cls.vendor.id, "price": 360.0, "warranty_months": 12}),
        ]
        cls.Claim = cls.env["aftersales.supplier.claim"].with_user(cls.as_user)

    @classmethod
    def _receive_from_vendor(cls, vendor, *names):
        """Serials ``names`` received from ``vendor`` through one ordinary vendor
        receipt; their lots, in that order."""
        lots = cls.env["stock.lot"].create(
            [{"name": name, "product_id": cls.product_serial.id} for name in names]
        )
        receipt = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.warehouse.in_type_id.id,
                "partner_id": vendor.id,
                "origin": "PO-TEST",
                "move_ids": [
                    Command.create(
                        {
                            "name": cls.product_serial.name,
                            "product_id": cls.product_serial.id,
                            "product_uom_qty": len(lots),
                            "location_id": cls.env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": cls.stock_location.id,
                        }
                    )
                ],
            }
        )
        receipt.action_confirm()
        receipt.move_ids.move_line_ids = [Command.clear()] + [
            Command.create(
                {
                    "picking_id": receipt.id,
                    "product_id": cls.product_serial.id,
                    "lot_id": lot.id,
                    "quantity": 1.0,
                    "location_id": receipt.location_id.id,
                    "location_dest_id": receipt.location_dest_id.id,
                }
            )
            for lot in lots
        ]
        cls._validate(receipt)
        return lots

    def _deliver_serial(self, lot):
        """Sell and deliver the unit with serial ``lot`` to the customer."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.product_serial.id})],
            }
        )
        order.action_confirm()
        order.picking_ids.move_ids.move_line_ids.lot_id = lot
        self._validate(order.picking_ids)
        self.assertEqual(order.warranty_ids.lot_id, lot)
        return order

    def _replaced_order(self, vendor=None, name="SN-V-1", **defect):
        """A service order whose faulty unit (bought from ``vendor``) was
        replaced, its defect (of values ``defect``) recorded."""
        lot = self._receive_from_vendor(vendor or self.vendor, name)
        self._deliver_serial(lot)
        service = self._new_order(lot=lot)
        self._receive(service)
        self._record_defect(service, **defect)
        service.action_replace(self._put_in_stock(self.product_serial, 1))
        self._validate(service.return_picking_id)
        return service

    def _new_claim(self, orders):
        """The draft claim made from ``orders``."""
        return self.Claim.browse(self.Claim.create_from_service_orders(orders.ids))

    def _send(self, claim):
        action = claim.with_user(self.as_manager).action_send()
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.as_manager)
            .with_context(**action["context"])
            .create({})
        )
        composer._action_send_mail()

    def _accepted_claim(self, amount=360.0):
        claim = self._new_claim(self._replaced_order())
        self._send(claim)
        claim.with_user(self.as_manager).action_accept(amount)
        return claim
