from odoo import api, fields, models

from .window_actions import count_by, list_action


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "aftersales.service.linked.mixin"]

    warranty_ids = fields.One2many(
        "aftersales.warranty",
        "sale_order_id",
        groups="aftersales_service.group_aftersales_user",
    )
    warranty_count = fields.Integer(
        compute="_compute_warranty_count", groups="aftersales_service.group_aftersales_user"
    )
    aftersales_service_order_count = fields.Integer(
        compute="_compute_warranty_count", groups="aftersales_service.group_aftersales_user"
    )

    @api.depends("warranty_ids")
    def _compute_warranty_count(self):
        counts = count_by(self.env["aftersales.warranty"], "sale_order_id", self)
        services = dict.fromkeys(self.ids, 0)
        for warranty, count in self.env["aftersales.service.order"]._read_group(
            [("warranty_id.sale_order_id", "in", self.ids)], ["warranty_id"], ["__count"]
        ):
            services[warranty.sale_order_id.id] += count
        for order in self:
            order.warranty_count = counts.get(order.id, 0)
            order.aftersales_service_order_count = services.get(order.id, 0)

    def _action_confirm(self):
        """The service order of an accepted quotation hears of it, whether the
        customer signed it on the portal or it was confirmed in the back office."""
        result = super()._action_confirm()
        for order in self.filtered("aftersales_service_order_id"):
            order.aftersales_service_order_id._on_quotation_confirmed(order)
        return result

    def _action_cancel(self):
        """The service order of a cancelled quotation hears of it, with the
        customer's reason when they refused it on the portal."""
        quoted = self.filtered(
            lambda order: order.aftersales_service_order_id and order.state != "cancel"
        )
        result = super()._action_cancel()
        reason = self.env.context.get("aftersales_refusal_reason")
        for order in quoted:
            order.aftersales_service_order_id._on_quotation_cancelled(order, reason)
        return result

    def _prepare_invoice(self):
        values = super()._prepare_invoice()
        if self.aftersales_service_order_id:
            values["invoice_origin"] = f"{self.aftersales_service_order_id.name}, {self.name}"
        return values

    def action_view_warranties(self):
        """The warranties of the units this order delivered."""
        self.ensure_one()
        return list_action(self.env["aftersales.warranty"], [("sale_order_id", "=", self.id)])

    def action_view_service_orders(self):
        """The service orders of the units this order delivered."""
        self.ensure_one()
        return list_action(
            self.env["aftersales.service.order"], [("warranty_id.sale_order_id", "=", self.id)]
        )

    def action_new_service_order(self):
        """Take a unit of this order in for service."""
        self.ensure_one()
        warranty = self.warranty_ids[:1]
        return self.env["aftersales.service.order"].action_new(
            {
                "partner_id": self.partner_id.id,
                "warranty_id": warranty.id,
                "lot_id": warranty.lot_id.id,
                "product_id": warranty.product_id.id,
            }
        )

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
