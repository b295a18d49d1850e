from odoo import fields, models


class AftersalesServiceLinkedMixin(models.AbstractModel):
    """The link from the Odoo documents a service order creates (transfers,
    repairs, quotations) back to that service order."""

    _name = "aftersales.service.linked.mixin"
    _description = "Document Created by a Service Order"

    aftersales_service_order_id = fields.Many2one(
        "aftersales.service.order",
        string="Service Order",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
    )
