from odoo import fields, models


class AftersalesWarrantyExtend(models.TransientModel):
    _name = "aftersales.warranty.extend"
    _description = "Extend Warranties"

    warranty_ids = fields.Many2many("aftersales.warranty", required=True)
    months = fields.Integer(required=True, default=12)
    reason = fields.Text(required=True)

    def action_extend(self):
        """Extend the selected warranties by the months and for the reason given."""
        self.ensure_one()
        self.warranty_ids.extend(self.months, self.reason)
        return {"type": "ir.actions.act_window_close"}
