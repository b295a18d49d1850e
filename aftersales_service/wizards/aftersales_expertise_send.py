from odoo import fields, models


class AftersalesExpertiseSend(models.TransientModel):
    _name = "aftersales.expertise.send"
    _description = "Send a Unit to Independent Expertise"

    service_order_id = fields.Many2one("aftersales.service.order", required=True)
    partner_id = fields.Many2one("res.partner", string="Examiner", required=True)
    question = fields.Text(string="Question to the Examiner", required=True)

    def action_send(self):
        """Send the unit to the chosen examiner and open the new expertise."""
        self.ensure_one()
        return self.service_order_id.action_send_to_expertise(self.partner_id.id, self.question)
