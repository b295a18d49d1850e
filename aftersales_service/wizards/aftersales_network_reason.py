from odoo import fields, models


class AftersalesNetworkReason(models.TransientModel):
    """The reason a manager gives to end a service agreement or to reject a
    dealer's warranty claim: a screen over ``action_terminate(reason)`` and
    ``action_reject(reason)``."""

    _name = "aftersales.network.reason"
    _description = "Reason to Terminate an Agreement or Reject a Dealer Claim"

    agreement_id = fields.Many2one("aftersales.service.agreement", readonly=True)
    dealer_claim_id = fields.Many2one("aftersales.dealer.claim", readonly=True)
    reason = fields.Text(required=True)

    def action_apply(self):
        """Terminate the agreement, or reject the claim, for the reason given."""
        self.ensure_one()
        document = self.agreement_id or self.dealer_claim_id
        if self.agreement_id:
            document.action_terminate(self.reason)
        else:
            document.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
