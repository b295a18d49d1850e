from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_round


class AftersalesDealerClaimLine(models.Model):
    _name = "aftersales.dealer.claim.line"
    _description = "Dealer Warranty Claim Part"
    _inherit = ["aftersales.rules.mixin"]
    _check_company_auto = True
    # The cost of a part is its standard price when claimed: nobody types it in.
    _aftersales_action_fields = ("price_unit",)

    claim_id = fields.Many2one(
        "aftersales.dealer.claim", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="claim_id.company_id", store=True)
    currency_id = fields.Many2one(related="claim_id.currency_id")
    product_id = fields.Many2one(
        "product.product", string="Part", required=True, check_company=True, ondelete="restrict"
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    price_unit = fields.Monetary(
        string="Cost",
        compute="_compute_price_unit",
        store=True,
        precompute=True,
        help="The part's cost (its standard price) when it was claimed.",
    )
    price_subtotal = fields.Monetary(
        string="Subtotal",
        compute="_compute_price_subtotal",
        store=True,
        help="Quantity x cost, plus the agreement's parts markup.",
    )

    @api.depends("product_id")
    def _compute_price_unit(self):
        for line in self:
            company = line.claim_id.company_id or self.env.company
            line.price_unit = line.product_id.with_company(company).standard_price

    @api.depends("quantity", "price_unit", "claim_id.parts_markup")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.claim_id.currency_id.round(
                line.quantity * line._marked_up_price()
            )

    def _marked_up_price(self):
        """The part's cost plus the agreement's markup, rounded as the vendor
        bill rounds its unit prices: the bill's line comes to the claimed amount."""
        self.ensure_one()
        markup = 1.0 + self.claim_id.parts_markup / 100.0
        digits = self.env["decimal.precision"].precision_get("Product Price")
        return float_round(self.price_unit * markup, precision_digits=digits)

    @api.constrains("quantity")
    def _check_quantity(self):
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(
                    self.env._(
                        "The claimed quantity of %s must be positive.", line.product_id.display_name
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        """Refuse new parts on a submitted claim."""
        lines = super().create(vals_list)
        lines.claim_id._check_editable()
        return lines

    def write(self, vals):
        """Refuse to change the parts of a submitted claim; a part stays on the
        claim it was added to."""
        if "claim_id" in vals and not self.env.su:
            raise UserError(self.env._("A claimed part cannot be moved to another claim."))
        self.claim_id._check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        self.claim_id._check_editable()
