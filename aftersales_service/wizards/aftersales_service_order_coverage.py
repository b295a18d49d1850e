from odoo import fields, models


class AftersalesServiceOrderCoverage(models.TransientModel):
    _name = "aftersales.service.order.coverage"
    _description = "Override Service Coverage"

    service_order_id = fields.Many2one("aftersales.service.order", required=True)
    coverage = fields.Selection(
        [("warranty", "Under Warranty"), ("paid", "Paid"), ("goodwill", "Goodwill")],
        required=True,
    )
    note = fields.Text(required=True)

    def action_apply(self):
        """Override the service order's coverage with the note given."""
        self.ensure_one()
        self.service_order_id.action_override_coverage(self.coverage, self.note)
        return {"type": "ir.actions.act_window_close"}
