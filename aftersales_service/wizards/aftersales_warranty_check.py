from odoo import api, fields, models


class AftersalesWarrantyCheck(models.TransientModel):
    _name = "aftersales.warranty.check"
    _description = "Check a Serial's Warranty"

    serial = fields.Char(string="Serial Number", required=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    found = fields.Boolean(compute="_compute_result")
    state = fields.Selection(
        selection=lambda self: (
            self.env["aftersales.warranty"]._fields["state"]._description_selection(self.env)
        ),
        string="Status",
        compute="_compute_result",
    )
    date_end = fields.Date(string="Covered Until", compute="_compute_result")
    warranty_id = fields.Many2one("aftersales.warranty", compute="_compute_result")
    partner_id = fields.Many2one("res.partner", string="Customer", compute="_compute_result")
    product_id = fields.Many2one("product.product", compute="_compute_result")

    @api.depends("serial", "date")
    def _compute_result(self):
        Warranty = self.env["aftersales.warranty"]
        for check in self:
            result = (
                Warranty.check_serial(check.serial, check.date)
                if (check.serial or "").strip()
                else {}
            )
            check.found = result.get("found", False)
            check.state = result.get("state", False)
            check.date_end = result.get("date_end", False)
            check.warranty_id = result.get("warranty_id", False)
            check.partner_id = result.get("partner_id", False)
            check.product_id = result.get("product_id", False)

    def action_open_warranty(self):
        """Open the warranty found for the serial."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.warranty",
            "res_id": self.warranty_id.id,
            "views": [(False, "form")],
            "target": "current",
        }
