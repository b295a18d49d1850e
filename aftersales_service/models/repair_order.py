from odoo import fields, models


class RepairOrder(models.Model):
    _inherit = "repair.order"

    aftersales_service_order_id = fields.Many2one(
        "aftersales.service.order", string="Service Order", index="btree_not_null",
        readonly=True, copy=False, check_company=True,
    )

    def action_repair_done(self):
        """A repair of a service order that ends makes the order ready to hand back."""
        result = super().action_repair_done()
        self.aftersales_service_order_id.sudo()._on_repair_done()
        return result
