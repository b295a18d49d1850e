from odoo import api, fields, models

# The resolutions offered, in the order of the service order's field; the
# refund is for managers only.
READY_RESOLUTIONS = (
    "repaired",
    "replaced",
    "refunded",
    "no_fault_found",
    "not_repairable",
    "rejected",
)


class AftersalesServiceOrderReady(models.TransientModel):
    _name = "aftersales.service.order.ready"
    _description = "Set a Service Order Ready"

    service_order_id = fields.Many2one(
        "aftersales.service.order",
        required=True,
        default=lambda self: self.env.context.get("active_id"),
    )
    product_id = fields.Many2one(related="service_order_id.product_id")
    resolution = fields.Selection(
        selection="_selection_resolution", required=True, default="repaired"
    )
    replacement_lot_id = fields.Many2one(
        "stock.lot",
        string="Replacement Serial",
        domain="[('product_id', '=', product_id)]",
        help="The new unit delivered to the customer. Leave empty to let the "
        "warehouse reservation choose one.",
    )

    @api.model
    def _selection_resolution(self):
        """The order's resolutions, without the refund for non-managers."""
        labels = dict(
            self.env["aftersales.service.order"]
            ._fields["resolution"]
            ._description_selection(self.env)
        )
        manager = self.env.su or self.env.user.has_group(
            "aftersales_service.group_aftersales_manager"
        )
        return [
            (value, labels[value])
            for value in READY_RESOLUTIONS
            if value in labels and (manager or value != "refunded")
        ]

    def action_apply(self):
        """End the work on the order with the chosen resolution."""
        self.ensure_one()
        order = self.service_order_id
        if self.resolution == "replaced":
            result = order.action_replace(self.replacement_lot_id)
        elif self.resolution == "refunded":
            result = order.action_refund()
        else:
            result = order.action_set_ready(self.resolution)
        if isinstance(result, dict):
            return result
        return {"type": "ir.actions.act_window_close"}
