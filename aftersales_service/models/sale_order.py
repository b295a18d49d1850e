from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    warranty_ids = fields.One2many(
        "aftersales.warranty",
        "sale_order_id",
        groups="aftersales_service.group_aftersales_user",
    )
    warranty_count = fields.Integer(
        compute="_compute_warranty_count", groups="aftersales_service.group_aftersales_user"
    )

    @api.depends("warranty_ids")
    def _compute_warranty_count(self):
        counts = self.env["aftersales.warranty"]._count_by("sale_order_id", self)
        for order in self:
            order.warranty_count = counts.get(order.id, 0)

    def action_view_warranties(self):
        """The warranties of the units this order delivered."""
        self.ensure_one()
        return self.env["aftersales.warranty"]._action_view([("sale_order_id", "=", self.id)])

    def action_print_warranty_certificates(self):
        """Print the certificates of all the warranties of this order."""
        return self.warranty_ids.action_print_certificate()

    def _aftersales_extension_months(self):
        """Months of extended warranty sold on each confirmed order: {order id: months}."""
        months = dict.fromkeys(self.ids, 0)
        for line in self.order_line:
            if line.state == "sale" and line.product_id.is_extended_warranty:
                months[line.order_id.id] += line.product_id.warranty_extension_months
        return months
