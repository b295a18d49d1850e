from odoo import fields, models


class AftersalesServiceOrderWorkshop(models.TransientModel):
    _name = "aftersales.service.order.workshop"
    _description = "Send to an External Workshop"

    service_order_id = fields.Many2one("aftersales.service.order", required=True)
    partner_id = fields.Many2one("res.partner", string="Workshop", required=True)

    def action_send(self):
        """Send the unit to the chosen workshop."""
        self.ensure_one()
        self.service_order_id.action_send_to_workshop(self.partner_id)
        return {"type": "ir.actions.act_window_close"}
