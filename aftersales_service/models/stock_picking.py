from odoo import Command, api, fields, models

# What each kind of after-sales transfer is: (operation type field of the
# warehouse, source, destination), locations named by ``_aftersales_location``.
TRANSFER_ROUTES = {
    "service_in": ("aftersales_in_type_id", "customer", "service"),
    "service_out": ("aftersales_out_type_id", "service", "customer"),
    "workshop_out": ("aftersales_workshop_type_id", "service", "supplier"),
    "workshop_in": ("aftersales_in_type_id", "supplier", "service"),
    "replacement_out": ("aftersales_out_type_id", "stock", "customer"),
    "loan_out": ("aftersales_loan_out_type_id", "loaners", "customer"),
    "loan_in": ("aftersales_loan_in_type_id", "customer", "loaners"),
    "loaner_register": ("int_type_id", None, "loaners"),
    "vendor_return": ("aftersales_vendor_return_type_id", "service", "supplier"),
    "vendor_replacement_in": ("in_type_id", "supplier", "stock"),
    "expertise_out": ("aftersales_workshop_type_id", "service", "supplier"),
    "expertise_in": ("aftersales_in_type_id", "supplier", "service"),
}


# Odoo's locations of the partners' side, by role.
PARTNER_LOCATIONS = {
    "customer": "stock.stock_location_customers",
    "supplier": "stock.stock_location_suppliers",
}


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "aftersales.service.linked.mixin"]

    aftersales_transfer_kind = fields.Selection(
        [
            ("service_in", "Service Receipt"),
            ("service_out", "Service Return"),
            ("workshop_out", "To External Workshop"),
            ("workshop_in", "Back from External Workshop"),
            ("replacement_out", "Replacement Delivery"),
            ("loan_out", "Loaner Delivery"),
            ("loan_in", "Loaner Return"),
            ("loaner_register", "Loaner Registration"),
            ("vendor_return", "Return to Vendor"),
            ("vendor_replacement_in", "Replacement from Vendor"),
            ("expertise_out", "To Expertise"),
            ("expertise_in", "Back from Expertise"),
        ],
        string="After-Sales Purpose",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Why the after-sales add-on created this transfer; set once, when it is created.",
    )
    aftersales_loan_id = fields.Many2one(
        "aftersales.loan",
        string="Loan",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
    )
    aftersales_supplier_claim_id = fields.Many2one(
        "aftersales.supplier.claim",
        string="Supplier Claim",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
    )
    aftersales_expertise_id = fields.Many2one(
        "aftersales.expertise",
        string="Expertise",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
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
    def _prepare_unit_transfer(self, kind, warehouse, product, partner, **values):
        """The one builder of after-sales unit transfers: what
        ``_aftersales_create_unit_transfers`` needs to move one unit for ``kind``
        (a key of ``aftersales_transfer_kind``) in ``warehouse``.

        :param values: ``lot`` and ``owner`` (records, may be empty), ``src``
            (the source location where the kind has none, e.g. a loaner's
            registration), ``origin`` (str) and ``links`` (picking values that
            link the transfer to its document, e.g. ``aftersales_loan_id``)
        """
        type_field, src, dest = TRANSFER_ROUTES[kind]
        return {
            "kind": kind,
            "picking_type": warehouse[type_field],
            "src": values.get("src") or self._aftersales_location(warehouse, src),
            "dest": self._aftersales_location(warehouse, dest),
            "partner": partner,
            "product": product,
            "lot": values.get("lot") or self.env["stock.lot"],
            "owner": values.get("owner") or self.env["res.partner"],
            "origin": values.get("origin") or "",
            "values": values.get("links") or {},
        }

    @api.model
    def _aftersales_location(self, warehouse, role):
        """The location of ``role`` (customer, supplier, stock, service, loaners)."""
        if role in PARTNER_LOCATIONS:
            # Odoo's own locations, by their cached id: ``env.ref`` would check
            # that the record exists, a query for every transfer of a batch.
            location_id = self.env["ir.model.data"]._xmlid_to_res_id(PARTNER_LOCATIONS[role])
            return self.env["stock.location"].browse(location_id)
        return {
            "stock": warehouse.lot_stock_id,
            "service": warehouse.aftersales_service_loc_id,
            "loaners": warehouse.aftersales_loaner_loc_id,
        }[role]

    @api.model
    def _aftersales_create_unit_transfers(self, units):
        """Create and confirm one transfer per unit, in one batch. A unit with a
        serial or an owner gets its line set to exactly that serial and owner
        (not what the reservation would choose); the others are reserved.

        :param list units: dicts made by ``_prepare_unit_transfer``
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
                    "aftersales_transfer_kind": unit.get("kind", False),
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
