from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class AftersalesLoanLend(models.TransientModel):
    _name = "aftersales.loan.lend"
    _description = "Lend a Loaner"

    service_order_id = fields.Many2one("aftersales.service.order", required=True)
    allowed_loaner_ids = fields.Many2many(
        "aftersales.loaner", compute="_compute_allowed_loaner_ids"
    )
    loaner_id = fields.Many2one(
        "aftersales.loaner",
        required=True,
        domain="[('id', 'in', allowed_loaner_ids)]",
        compute="_compute_loaner_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    date_due = fields.Date(
        required=True,
        default=lambda self: (
            fields.Date.context_today(self)
            + relativedelta(days=self.env.company.aftersales_loan_days)
        ),
    )
    condition_out = fields.Text(string="Condition")

    @api.depends("service_order_id")
    def _compute_allowed_loaner_ids(self):
        for wizard in self:
            order = wizard.service_order_id
            wizard.allowed_loaner_ids = self.env["aftersales.loaner"]._suggest_for(
                order.product_id, order.company_id
            )

    @api.depends("allowed_loaner_ids")
    def _compute_loaner_id(self):
        for wizard in self:
            wizard.loaner_id = wizard.allowed_loaner_ids[:1]._origin

    def action_lend(self):
        """Lend the chosen loaner with the service order's customer."""
        self.ensure_one()
        return self.service_order_id.action_lend(self.loaner_id, self.date_due, self.condition_out)
