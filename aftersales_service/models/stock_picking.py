from odoo import Command, api, fields, models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "aftersales.service.linked.mixin"]

    aftersales_loan_id = fields.Many2one(
        "aftersales.loan", string="Loan", index="btree_not_null", readonly=True, copy=False
    )

    aftersales_supplier_claim_id = fields.Many2one(
        "aftersales.supplier.claim",
        string="Supplier Claim",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )

    def _action_done(self):
        """Validating an after-sales transfer moves its service order or loan on,
        and may settle its supplier claim, whoever validates it (warehouse users
        have no after-sales rights)."""
        result = super()._action_done()
        for picking in self.filtered(lambda p: p.state == "done").sudo():
            if picking.aftersales_service_order_id:
                picking.aftersales_service_order_id._on_picking_done(picking)
            if picking.aftersales_loan_id:
                picking.aftersales_loan_id._on_picking_done(picking)
            picking.aftersales_supplier_claim_id._check_settled()
        return result

    @api.model
    def _aftersales_create_unit_transfers(self, units):
        """Create and confirm one transfer per unit, in one batch. A unit with a
        serial or an owner gets its line set to exactly that serial and owner
        (not what the reservation would choose); the others are reserved.

        :param list units: dicts with ``picking_type``, ``src``, ``dest``,
            ``partner``, ``product``, ``lot`` and ``owner`` (both may be empty),
            ``origin``, and ``values`` (more picking values, such as the link to
            the document the transfer belongs to)
        :return: the transfers, in the order of ``units``
        """
        pickings = self.create(
            [
                {
                    "picking_type_id": unit["picking_type"].id,
                    "partner_id": unit["partner"].id,
                    "owner_id": unit["owner"].id,
                    "location_id": unit["src"].id,
                    "location_dest_id": unit["dest"].id,
                    "origin": unit["origin"],
                    "company_id": unit["picking_type"].company_id.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": unit["product"].display_name,
                                "product_id": unit["product"].id,
                                "product_uom_qty": 1.0,
                                "product_uom": unit["product"].uom_id.id,
                                "location_id": unit["src"].id,
                                "location_dest_id": unit["dest"].id,
                                "restrict_partner_id": unit["owner"].id,
                                "company_id": unit["picking_type"].company_id.id,
                            }
                        )
                    ],
                    **unit.get("values", {}),
                }
                for unit in units
            ]
        )
        pickings.action_confirm()
        pinned = [
            (picking, unit)
            for picking, unit in zip(pickings, units, strict=True)
            if unit["lot"] or unit["owner"]
        ]
        pinned_pickings = self.browse([picking.id for picking, _unit in pinned])
        if pickings - pinned_pickings:
            (pickings - pinned_pickings).action_assign()
        pinned_pickings.move_ids.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            [
                {
                    "move_id": picking.move_ids.id,
                    "picking_id": picking.id,
                    "product_id": unit["product"].id,
                    "product_uom_id": unit["product"].uom_id.id,
                    "lot_id": unit["lot"].id,
                    "quantity": 1.0,
                    "owner_id": unit["owner"].id,
                    "location_id": unit["src"].id,
                    "location_dest_id": unit["dest"].id,
                }
                for picking, unit in pinned
            ]
        )
        return pickings
