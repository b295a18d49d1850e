from odoo import models


class RepairOrder(models.Model):
    _name = "repair.order"
    _inherit = ["repair.order", "aftersales.service.linked.mixin"]

    def action_repair_done(self):
        """A repair of a service order that ends makes the order ready to hand back."""
        result = super().action_repair_done()
        self.aftersales_service_order_id.sudo()._on_repair_done()
        return result
