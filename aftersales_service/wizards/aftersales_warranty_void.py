from odoo import fields, models


class AftersalesWarrantyVoid(models.TransientModel):
    _name = "aftersales.warranty.void"
    _description = "Void Warranties"

    warranty_ids = fields.Many2many("aftersales.warranty", required=True)
    reason = fields.Text(required=True)

    def action_void(self):
        """Void the selected warranties with the reason given."""
        self.ensure_one()
        self.warranty_ids.void(self.reason)
        return {"type": "ir.actions.act_window_close"}
