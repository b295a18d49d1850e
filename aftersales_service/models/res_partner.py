from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    warranty_count = fields.Integer(
        compute="_compute_warranty_count", groups="aftersales_service.group_aftersales_user"
    )

    def _compute_warranty_count(self):
        # Like sale_order_count: a company counts its contacts' warranties too.
        partners = self.with_context(active_test=False).search_fetch(
            [("id", "child_of", self.ids)], ["parent_id"]
        )
        counts = self.env["aftersales.warranty"]._count_by("partner_id", partners)
        self.warranty_count = 0
        for partner in partners:
            count = counts.get(partner.id, 0)
            while partner and count:
                if partner in self:
                    partner.warranty_count += count
                partner = partner.parent_id

    def action_view_warranties(self):
        """The warranties of this customer and its contacts."""
        self.ensure_one()
        return self.env["aftersales.warranty"]._action_view([("partner_id", "child_of", self.id)])
