from odoo import models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "aftersales.service.linked.mixin"]

    def _action_done(self):
        """Validating a service transfer moves its service order on, whoever
        validates it (warehouse users have no after-sales rights)."""
        result = super()._action_done()
        for picking in self.filtered(lambda p: p.state == "done" and p.aftersales_service_order_id):
            picking.aftersales_service_order_id.sudo()._on_picking_done(picking.sudo())
        return result
