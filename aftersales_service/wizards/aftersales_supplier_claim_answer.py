from odoo import api, fields, models


class AftersalesSupplierClaimAnswer(models.TransientModel):
    _name = "aftersales.supplier.claim.answer"
    _description = "Vendor's Answer to a Claim"

    claim_id = fields.Many2one(
        "aftersales.supplier.claim",
        required=True,
        default=lambda self: self.env.context.get("active_id"),
    )
    decision = fields.Selection(
        [("accept", "Accepted"), ("reject", "Rejected")], required=True, default="accept"
    )
    currency_id = fields.Many2one(related="claim_id.currency_id")
    amount = fields.Monetary(
        string="Accepted Amount", compute="_compute_amount", store=True, readonly=False
    )
    reason = fields.Text()

    @api.depends("claim_id")
    def _compute_amount(self):
        for answer in self:
            answer.amount = answer.claim_id.amount_claimed

    def action_apply(self):
        """Record the vendor's answer on the claim."""
        self.ensure_one()
        if self.decision == "accept":
            self.claim_id.action_accept(self.amount)
        else:
            self.claim_id.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
