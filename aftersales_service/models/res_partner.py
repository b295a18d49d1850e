from odoo import fields, models

from .window_actions import count_by, list_action


class ResPartner(models.Model):
    _inherit = "res.partner"

    warranty_count = fields.Integer(
        compute="_compute_aftersales_counts", groups="aftersales_service.group_aftersales_user"
    )
    service_order_count = fields.Integer(
        compute="_compute_aftersales_counts", groups="aftersales_service.group_aftersales_user"
    )

    supplier_claim_count = fields.Integer(
        compute="_compute_aftersales_counts", groups="aftersales_service.group_aftersales_user"
    )

    loan_count = fields.Integer(
        compute="_compute_aftersales_counts", groups="aftersales_service.group_aftersales_user"
    )

    def _compute_aftersales_counts(self):
        # Like sale_order_count: a company counts its contacts' documents too.
        partners = self.with_context(active_test=False).search_fetch(
            [("id", "child_of", self.ids)], ["parent_id"]
        )
        self.warranty_count = self.service_order_count = 0
        self.supplier_claim_count = self.loan_count = 0
        for model, field in (
            ("aftersales.warranty", "warranty_count"),
            ("aftersales.service.order", "service_order_count"),
            ("aftersales.supplier.claim", "supplier_claim_count"),
            ("aftersales.loan", "loan_count"),
        ):
            counts = count_by(self.env[model], "partner_id", partners)
            for partner in partners:
                count = counts.get(partner.id, 0)
                while partner and count:
                    if partner in self:
                        partner[field] += count
                    partner = partner.parent_id

    def action_view_warranties(self):
        """The warranties of this customer and its contacts."""
        self.ensure_one()
        return list_action(self.env["aftersales.warranty"], [("partner_id", "child_of", self.id)])

    def action_view_service_orders(self):
        """The service orders of this customer and its contacts."""
        self.ensure_one()
        return list_action(
            self.env["aftersales.service.order"], [("partner_id", "child_of", self.id)]
        )

    def action_view_supplier_claims(self):
        """The claims made against this vendor."""
        self.ensure_one()
        return list_action(
            self.env["aftersales.supplier.claim"], [("partner_id", "child_of", self.id)]
        )

    def action_view_loans(self):
        """The loaner devices lent to this customer."""
        self.ensure_one()
        return list_action(self.env["aftersales.loan"], [("partner_id", "child_of", self.id)])
