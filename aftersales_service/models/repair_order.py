from odoo import models
from odoo.exceptions import UserError


class RepairOrder(models.Model):
    _name = "repair.order"
    _inherit = ["repair.order", "aftersales.service.linked.mixin"]

    def action_repair_done(self):
        """A repair of a service order that ends makes the order ready to hand
        back; a warranty order without its defect refuses the end of the
        repair before any part is consumed."""
        orders = self.aftersales_service_order_id.sudo().filtered(
            lambda order: order.state == "in_progress"
        )
        self.env["aftersales.defect"]._check_service_orders(
            orders, {"state": "ready", "resolution": "repaired"}
        )
        result = super().action_repair_done()
        self.aftersales_service_order_id.sudo()._on_repair_done()
        return result

    def action_request_parts(self):
        """Draw up the spare parts request of this repair's service order
        (see ``aftersales.service.order.action_request_parts``)."""
        self.ensure_one()
        order = self.aftersales_service_order_id
        if not order:
            raise UserError(
                self.env._(
                    "%s is not the repair of a service order: add its parts here.", self.name
                )
            )
        return order.action_request_parts()
