from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

REPLENISHMENTS = [
    ("stock", "From Stock"),
    ("purchase", "Procured"),
    ("route", "By the Part's Route"),
    ("orderpoint", "By a Reordering Rule"),
]


class AftersalesPartRequestLine(models.Model):
    """A part of a spare parts request: what the repair needs, what the
    workshop holds of it, and how the shortage is replenished."""

    _name = "aftersales.part.request.line"
    _description = "Spare Parts Request Line"
    _inherit = ["aftersales.rules.mixin"]
    _order = "request_id, sequence, id"
    _check_company_auto = True
    # What the request records when it is requested, nobody else.
    _aftersales_action_fields = ("qty_procured", "replenishment")

    sequence = fields.Integer(default=10)
    request_id = fields.Many2one(
        "aftersales.part.request", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    part_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        domain="[('type', '=', 'consu')]",
    )
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit of Measure")
    uom_id = fields.Many2one(related="part_id.uom_id", string="Unit")
    qty_available = fields.Float(
        compute="_compute_availability",
        string="On Hand",
        digits="Product Unit of Measure",
        help="On hand in the service order's warehouse.",
    )
    virtual_available = fields.Float(
        compute="_compute_availability",
        string="Forecast",
        digits="Product Unit of Measure",
        help="On hand in the service order's warehouse, plus what is coming in, minus "
        "what is already promised.",
    )
    move_ids = fields.One2many("stock.move", "aftersales_part_line_id", string="Repair Moves")
    qty_procured = fields.Float(
        string="Procured",
        readonly=True,
        copy=False,
        digits="Product Unit of Measure",
        help="The shortage this line had Odoo procure.",
    )
    replenishment = fields.Selection(REPLENISHMENTS, readonly=True, copy=False)

    @api.depends("part_id", "request_id.warehouse_id")
    def _compute_availability(self):
        for warehouse in self.request_id.warehouse_id:
            lines = self.filtered(lambda line, wh=warehouse: line.request_id.warehouse_id == wh)
            parts = lines.part_id.with_context(warehouse_id=warehouse.id)
            for line in lines:
                part = parts.filtered(lambda p, line=line: p == line.part_id)
                line.qty_available = part.qty_available
                line.virtual_available = part.virtual_available
        rest = self.filtered(lambda line: not line.request_id.warehouse_id)
        rest.qty_available = rest.virtual_available = 0.0

    @api.constrains("quantity")
    def _check_quantity(self):
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(
                    self.env._(
                        "The quantity of %(part)s on %(request)s must be positive.",
                        part=line.part_id.display_name,
                        request=line.request_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        """Parts are added to draft requests only."""
        lines = super().create(vals_list)
        lines.request_id._check_draft_lines()
        return lines

    def write(self, vals):
        """The parts of a requested request are fixed, except what the request
        itself records of their replenishment; a part stays on its request."""
        if "request_id" in vals and not self.env.su:
            raise UserError(self.env._("A requested part cannot be moved to another request."))
        if set(vals) - set(self._aftersales_action_fields):
            self.request_id._check_draft_lines()
        return super().write(vals)

    def unlink(self):
        """Parts are removed from draft requests only."""
        self.request_id._check_draft_lines()
        return super().unlink()

    def _repair_move_vals(self, repair, quantity):
        """The repair's part line (``repair_line_type`` add) for ``quantity``
        of this line's part."""
        self.ensure_one()
        return {
            "repair_id": repair.id,
            "repair_line_type": "add",
            "product_id": self.part_id.id,
            "product_uom_qty": quantity,
            "product_uom": self.part_id.uom_id.id,
            "company_id": repair.company_id.id,
            "aftersales_part_line_id": self.id,
        }

    def _procured_by_us(self, move):
        """Whether the request procures the shortage of ``move``, the repair
        part line for what the stock lacks. Not when an MTO route of the repair
        operation procures it, nor when a reordering rule replenishes the
        location: Odoo does it already. Records how the line is replenished."""
        self.ensure_one()
        if move.state == "draft":
            move._adjust_procure_method(picking_type_code="repair_operation")
        if move.procure_method == "make_to_order":
            replenishment = "route"
        elif self.env["stock.warehouse.orderpoint"].search_count(
            [
                ("product_id", "=", move.product_id.id),
                ("trigger", "=", "auto"),
                ("location_id", "parent_of", move.location_id.id),
                ("company_id", "=", move.company_id.id),
            ],
            limit=1,
        ):
            replenishment = "orderpoint"
        else:
            replenishment = "purchase"
        self._write_from_action({"replenishment": replenishment})
        return replenishment == "purchase"
