from odoo import api, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        """An extended warranty added to a confirmed order extends its warranties."""
        lines = super().create(vals_list)
        lines.filtered(lambda line: line.state == "sale")._aftersales_extend_warranties()
        return lines

    def _aftersales_extend_warranties(self):
        """An extended warranty sold on a confirmed order extends the warranties
        that order has already registered; the units it delivers later get the
        extension when they are registered."""
        for line in self.filtered(lambda line: line.product_id.is_extended_warranty):
            warranties = line.order_id.sudo().warranty_ids.filtered(lambda w: w.state != "void")
            if warranties:
                warranties.extend(
                    line.product_id.warranty_extension_months,
                    self.env._(
                        "%(product)s sold on %(order)s",
                        product=line.product_id.display_name,
                        order=line.order_id.name,
                    ),
                )
