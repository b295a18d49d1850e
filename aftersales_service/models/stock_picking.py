from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    aftersales_service_order_id = fields.Many2one(
        "aftersales.service.order", string="Service Order", index="btree_not_null",
        readonly=True, copy=False, check_company=True,
    )

    def _action_done(self):
        """Validating a service transfer moves its service order on, whoever
        validates it (warehouse users have no after-sales rights)."""
        result = super()._action_done()
        for picking in self.filtered(lambda p: p.state == "done" and p.aftersales_service_order_id):
            picking.aftersales_service_order_id.sudo()._on_picking_done(picking.sudo())
        return result
