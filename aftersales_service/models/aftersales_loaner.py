from odoo import api, fields, models
from odoo.exceptions import UserError

from .window_actions import count_by, list_action


class AftersalesLoaner(models.Model):
    _name = "aftersales.loaner"
    _description = "Loaner Device"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "aftersales.document.mixin",
        "aftersales.rules.mixin",
    ]
    _aftersales_action = "aftersales_service.aftersales_loaner_action"
    _order = "product_id, lot_id"
    _check_company_auto = True
    _aftersales_action_fields = ("state", "retired", "picking_id")

    name = fields.Char(compute="_compute_name", store=True)
    active = fields.Boolean(default=True)
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        check_company=True,
        default=lambda self: self._default_warehouse_id(),
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        domain="[('product_id.tracking', '=', 'serial')]",
    )
    product_id = fields.Many2one(related="lot_id.product_id", store=True, index=True)
    categ_id = fields.Many2one(related="product_id.categ_id", store=True)
    state = fields.Selection(
        [
            ("available", "Available"),
            ("lent", "Lent"),
            ("maintenance", "Maintenance"),
            ("retired", "Retired"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
        tracking=True,
    )
    needs_maintenance = fields.Boolean(tracking=True, copy=False)
    retired = fields.Boolean(readonly=True, tracking=True, copy=False)
    in_loaners = fields.Boolean(
        string="In the Loaners Location",
        compute="_compute_in_loaners",
        help="The company's unit is physically in the warehouse's Loaners location.",
    )
    loan_ids = fields.One2many("aftersales.loan", "loaner_id")
    loan_count = fields.Integer(compute="_compute_loan_count")
    picking_id = fields.Many2one(
        "stock.picking",
        string="Registration Transfer",
        readonly=True,
        copy=False,
        check_company=True,
    )

    _sql_constraints = [
        ("lot_uniq", "UNIQUE(lot_id)", "A serial number is registered as a loaner only once."),
    ]

    @api.depends("product_id", "lot_id")
    def _compute_name(self):
        for loaner in self:
            loaner.name = f"{loaner.product_id.display_name} ({loaner.lot_id.name})"

    @api.depends("retired", "needs_maintenance", "loan_ids.state")
    def _compute_state(self):
        for loaner in self:
            if loaner.retired:
                loaner.state = "retired"
            elif any(loan.state in ("draft", "lent") for loan in loaner.loan_ids):
                loaner.state = "lent"
            elif loaner.needs_maintenance:
                loaner.state = "maintenance"
            else:
                loaner.state = "available"

    def _compute_in_loaners(self):
        quants = (
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                [
                    ("lot_id", "in", self.lot_id.ids),
                    ("location_id", "in", self.warehouse_id.aftersales_loaner_loc_id.ids),
                    ("owner_id", "=", False),
                    ("quantity", ">", 0),
                ],
                ["lot_id", "location_id"],
            )
        )
        present = {(lot.id, location.id) for lot, location in quants}
        for loaner in self:
            loaner.in_loaners = (
                loaner.lot_id.id,
                loaner.warehouse_id.aftersales_loaner_loc_id.id,
            ) in present

    def _compute_loan_count(self):
        counts = count_by(self.env["aftersales.loan"], "loaner_id", self)
        for loaner in self:
            loaner.loan_count = counts.get(loaner.id, 0)

    @api.model_create_multi
    def create(self, vals_list):
        """Register serials as loaners: each is moved from stock into the
        warehouse's Loaners location by an internal transfer."""
        loaners = super().create(vals_list)
        loaners._register_transfers()
        return loaners

    def action_retire(self):
        """Manager only: take the loaners out of service for good."""
        self._check_manager(self.env._("retire loaners"))
        self._lock_for_action(self.env._("retire"))
        lent = self.filtered(lambda loaner: loaner.state == "lent")
        if lent:
            raise UserError(
                self.env._("These loaners are lent: %s", ", ".join(lent.mapped("name")))
            )
        self._check_state(("available", "maintenance"), self.env._("retire"))
        self._write_from_action({"retired": True})
        return True

    def action_set_available(self):
        """The maintenance is over: the loaners can be lent again."""
        self._lock_for_action(self.env._("end the maintenance of"))
        self._check_state(("maintenance",), self.env._("end the maintenance of"))
        self.write({"needs_maintenance": False})
        return True

    def action_view_loans(self):
        """The loans of this loaner."""
        self.ensure_one()
        return list_action(self.env["aftersales.loan"], [("loaner_id", "=", self.id)])

    @api.model
    def _suggest_for(self, product, company):
        """The available loaners to lend in place of ``product``: same product
        first, then same category."""
        loaners = self.search(
            [
                ("state", "=", "available"),
                ("company_id", "=", company.id),
                "|",
                ("product_id", "=", product.id),
                ("categ_id", "=", product.categ_id.id),
            ]
        )
        return loaners.sorted(lambda loaner: (loaner.product_id != product, loaner.name))

    def _check_lendable(self):
        """Refuse to lend a loaner that is not available or not physically in Loaners."""
        for loaner in self:
            if loaner.state != "available":
                raise UserError(
                    self.env._(
                        "Loaner %(loaner)s is not available (%(state)s).",
                        loaner=loaner.name,
                        state=dict(self._fields["state"].selection)[loaner.state],
                    )
                )
        self._check_in_loaners()

    def _check_in_loaners(self):
        """Refuse a loaner whose serial is not physically in its Loaners location."""
        for loaner in self:
            if not loaner.in_loaners:
                raise UserError(
                    self.env._(
                        "Serial %(lot)s is not in the Loaners location of %(warehouse)s: "
                        "it cannot be lent.",
                        lot=loaner.lot_id.name,
                        warehouse=loaner.warehouse_id.name,
                    )
                )

    def _register_transfers(self):
        """Move each new loaner's serial from where it is stocked into Loaners."""
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", self.lot_id.ids),
                    ("location_id.usage", "=", "internal"),
                    ("owner_id", "=", False),
                    ("quantity", ">", 0),
                ]
            )
        )
        where = {quant.lot_id: quant.location_id for quant in quants}
        units = []
        to_move = self.browse()
        for loaner in self:
            loaners_location = loaner.warehouse_id.aftersales_loaner_loc_id
            location = where.get(loaner.lot_id)
            if not location:
                raise UserError(
                    self.env._(
                        "Serial %s is not in the company's stock: only a unit in stock "
                        "can become a loaner.",
                        loaner.lot_id.name,
                    )
                )
            if location == loaners_location:
                continue
            to_move |= loaner
            units.append(
                self.env["stock.picking"]._prepare_unit_transfer(
                    "loaner_register",
                    loaner.warehouse_id,
                    loaner.product_id,
                    self.env["res.partner"],
                    lot=loaner.lot_id,
                    src=location,
                    origin=loaner.name,
                )
            )
        pickings = self.env["stock.picking"].sudo()._aftersales_create_unit_transfers(units)
        for loaner, picking in zip(to_move, pickings, strict=True):
            loaner._write_from_action({"picking_id": picking.id})
