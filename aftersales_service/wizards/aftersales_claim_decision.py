from odoo import fields, models


class AftersalesClaimDecision(models.TransientModel):
    """The manager's decision on a consumer claim: accepted (with an optional
    note) or rejected (with its reason), both quoted in the answer letter."""

    _name = "aftersales.claim.decision"
    _description = "Consumer Claim Decision"

    claim_id = fields.Many2one("aftersales.claim", required=True, readonly=True)
    demand = fields.Selection(related="claim_id.demand")
    date_deadline = fields.Date(related="claim_id.date_deadline")
    decision = fields.Selection(
        [("accept", "Accept"), ("reject", "Reject")], required=True, default="accept"
    )
    note = fields.Text(help="What the company will do, quoted in the answer letter.")
    reason = fields.Text(help="Why the claim is rejected, quoted in the answer letter.")

    def action_apply(self):
        """Accept or reject the claim."""
        self.ensure_one()
        if self.decision == "accept":
            self.claim_id.action_accept(self.note)
        else:
            self.claim_id.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
