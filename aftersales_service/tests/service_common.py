from odoo import Command

from .common import AftersalesCommon


class ServiceCommon(AftersalesCommon):
    """A customer's delivered espresso machine, a spare part in stock, the
    warehouse's Service location, and helpers that walk a service order
    through the real transfers and repairs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service_location = cls.warehouse.aftersales_service_loc_id
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.part = cls.env["product.product"].create(
            {
                "name": "Pump Gasket",
                "is_storable": True,
                "standard_price": 8.0,
                "list_price": 15.0,
            }
        )
        cls._put_in_stock(cls.part, 10)
        cls.loaner_product = cls.env["product.product"].create(
            {
                "name": "Loaner Espresso Machine",
                "is_storable": True,
                "tracking": "serial",
                "standard_price": 250.0,
                "categ_id": cls.product_serial.categ_id.id,
            }
        )
        cls.sale = cls._deliver([(cls.product_serial, 1)])
        cls.warranty = cls.sale.warranty_ids
        cls.lot = cls.warranty.lot_id
        cls.workshop = cls.env["res.partner"].create({"name": "Coffee Tech Workshop"})
        company = cls.env.company
        company.aftersales_labour_cost = 40.0
        cls.diagnosis_product = cls.env.ref("aftersales_service.product_service_diagnosis")
        cls.labour_product = cls.env.ref("aftersales_service.product_service_labour")
        company.aftersales_diagnosis_product_id = cls.diagnosis_product
        company.aftersales_labour_product_id = cls.labour_product
        (cls.diagnosis_product | cls.labour_product | cls.part).taxes_id = [Command.clear()]
        cls.ServiceOrder = cls.env["aftersales.service.order"].with_user(cls.as_user)
        cls.defect_type = cls.env["aftersales.defect.type"].create(
            {"code": "PUMP-LEAK", "name": "Pump seal leaks", "category": "component"}
        )

    @classmethod
    def _new_order(cls, lot=None, **values):
        return cls.ServiceOrder.create(
            {
                "lot_id": (lot or cls.lot).id,
                "description": "Leaks water",
                **values,
            }
        )

    @classmethod
    def _record_defect(cls, orders, user=None, **values):
        """Record the defect found on each of ``orders`` (a pump leak, by
        default), as the technician: a warranty order closes as repaired,
        replaced or refunded only with one."""
        return (
            cls.env["aftersales.defect"]
            .with_user(user or cls.as_user)
            .create(
                [
                    {"service_order_id": order.id, "defect_type_id": cls.defect_type.id, **values}
                    for order in orders
                ]
            )
        )

    @classmethod
    def _register_loaner(cls, lot=None, user=None):
        """A loaner of serial ``lot`` (by default a new one put in stock),
        its transfer into Loaners validated by the warehouse user."""
        lot = lot or cls._put_in_stock(cls.loaner_product, 1)
        loaner = (
            cls.env["aftersales.loaner"].with_user(user or cls.as_user).create({"lot_id": lot.id})
        )
        cls._validate(loaner.picking_id, cls.stock_user)
        return loaner

    @classmethod
    def _receive(cls, order, user=None):
        """Confirm ``order`` and validate its receipt as the warehouse user."""
        order.action_confirm()
        receipt = order.picking_ids
        cls._validate(receipt, user or cls.stock_user)
        return receipt

    @classmethod
    def _repair_with_part(cls, order, quantity=1.0, defect=True):
        """Repair the unit in-house, consuming ``quantity`` spare parts (the
        defect found recorded first, unless ``defect`` is False)."""
        if defect:
            cls._record_defect(order)
        order.action_start_repair()
        repair = order.repair_id
        repair.move_ids = [
            Command.create(
                {
                    "product_id": cls.part.id,
                    "product_uom_qty": quantity,
                    "repair_line_type": "add",
                    "company_id": cls.env.company.id,
                }
            )
        ]
        repair.action_validate()
        repair.action_repair_start()
        repair.move_ids.quantity = quantity
        repair.move_ids.picked = True
        repair.action_repair_end()
        return repair

    def _lot_quants(self, lot=None):
        """{location: (quantity, owner)} of the serial's quants in the company's
        own locations (the unit is nowhere there once it is back at the customer)."""
        quants = self.env["stock.quant"].search(
            [
                ("lot_id", "=", (lot or self.lot).id),
                ("quantity", "!=", 0),
                ("location_id.usage", "=", "internal"),
            ]
        )
        return {quant.location_id: (quant.quantity, quant.owner_id) for quant in quants}
