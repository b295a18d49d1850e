from odoo import fields, models

from ..models.aftersales_quality_alert import PROPOSALS


class AftersalesQualityAlertDecision(models.TransientModel):
    """The manager's decision on a quality alert: a proposal to production
    (with its note), or the rejection of the alert (with its reason)."""

    _name = "aftersales.quality.alert.decision"
    _description = "Quality Alert Decision"

    alert_id = fields.Many2one("aftersales.quality.alert", required=True, readonly=True)
    decision = fields.Selection(
        [("propose", "Propose a Measure"), ("reject", "Reject")],
        required=True,
        default="propose",
        readonly=True,
    )
    proposal = fields.Selection(PROPOSALS)
    note = fields.Text(help="Why this measure: what the defects show, what it would change.")
    reason = fields.Text()

    def action_apply(self):
        """Propose the measure, or reject the alert."""
        self.ensure_one()
        if self.decision == "propose":
            self.alert_id.action_propose(self.proposal, self.note)
        else:
            self.alert_id.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
