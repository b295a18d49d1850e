from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductSupplierinfo(models.Model):
    _inherit = "product.supplierinfo"

    warranty_months = fields.Integer(
        string="Vendor Warranty (months)",
        help="The warranty this vendor gives us on each unit, from the day we receive it.",
    )

    @api.constrains("warranty_months")
    def _check_warranty_months(self):
        for info in self:
            if info.warranty_months < 0:
                raise ValidationError(
                    self.env._(
                        "The vendor warranty of %s cannot be negative.",
                        info.partner_id.display_name,
                    )
                )
