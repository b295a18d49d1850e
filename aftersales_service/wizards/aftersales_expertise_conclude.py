from odoo import fields, models

from ..models.aftersales_expertise import CONCLUSIONS


class AftersalesExpertiseConclude(models.TransientModel):
    _name = "aftersales.expertise.conclude"
    _description = "Conclusion of an Independent Expertise"

    expertise_id = fields.Many2one("aftersales.expertise", required=True)
    conclusion = fields.Selection(CONCLUSIONS, required=True)
    note = fields.Text(string="Examiner's Findings", required=True)
    currency_id = fields.Many2one(related="expertise_id.currency_id")
    cost = fields.Monetary(string="Expertise Cost")

    def action_apply(self):
        """Record the examiner's conclusion on the expertise."""
        self.ensure_one()
        self.expertise_id.action_conclude(self.conclusion, self.note, self.cost)
        return {"type": "ir.actions.act_window_close"}
