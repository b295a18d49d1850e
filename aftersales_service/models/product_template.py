from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .window_actions import count_by, list_action


class ProductTemplate(models.Model):
    _inherit = "product.template"

    warranty_months = fields.Integer(
        string="Warranty (months)",
        help="Warranty given to the customer on each unit delivered; 0 means none.",
    )
    warranty_terms = fields.Html(
        translate=True,
        sanitize=True,
        help="Printed on the warranty certificate.",
    )
    is_extended_warranty = fields.Boolean(
        string="Extended Warranty",
        help="Selling this service extends the warranties of the same sale order.",
    )
    warranty_extension_months = fields.Integer(string="Extension (months)")
    aftersales_loaner_entitled = fields.Boolean(
        string="Loaner during Warranty Repair",
        help="Durable goods: a substitute unit is due during a warranty repair, by the "
        "loaner days of the company's consumer law.",
    )
    warranty_count = fields.Integer(
        compute="_compute_warranty_count", groups="aftersales_service.group_aftersales_user"
    )
    defect_count = fields.Integer(
        compute="_compute_defect_count", groups="aftersales_service.group_aftersales_user"
    )

    @api.depends("product_variant_ids")
    def _compute_warranty_count(self):
        counts = count_by(self.env["aftersales.warranty"], "product_id", self.product_variant_ids)
        for template in self:
            template.warranty_count = sum(
                counts.get(variant.id, 0) for variant in template.product_variant_ids
            )

    @api.depends("product_variant_ids")
    def _compute_defect_count(self):
        counts = count_by(self.env["aftersales.defect"], "product_id", self.product_variant_ids)
        for template in self:
            template.defect_count = sum(
                counts.get(variant.id, 0) for variant in template.product_variant_ids
            )

    @api.constrains("warranty_months", "is_extended_warranty", "warranty_extension_months")
    def _check_warranty_months(self):
        for template in self:
            if template.warranty_months < 0 or template.warranty_extension_months < 0:
                raise ValidationError(
                    self.env._("Warranty months of %s cannot be negative.", template.display_name)
                )
            if template.is_extended_warranty and template.warranty_extension_months <= 0:
                raise ValidationError(
                    self.env._(
                        "The extended warranty %s must add at least one month.",
                        template.display_name,
                    )
                )

    def action_view_warranties(self):
        """The warranties of this product's units."""
        self.ensure_one()
        return list_action(
            self.env["aftersales.warranty"], [("product_id.product_tmpl_id", "=", self.id)]
        )

    def action_view_defects(self):
        """The defects found on this product's units."""
        self.ensure_one()
        return list_action(
            self.env["aftersales.defect"], [("product_id.product_tmpl_id", "=", self.id)]
        )
