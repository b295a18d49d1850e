from odoo import api, fields, models

from ..models.window_actions import list_action


class AftersalesSupplierClaimWizard(models.TransientModel):
    _name = "aftersales.supplier.claim.wizard"
    _description = "Claim from Suppliers"

    service_order_ids = fields.Many2many("aftersales.service.order", required=True)
    line_ids = fields.One2many(
        "aftersales.supplier.claim.wizard.line",
        "wizard_id",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )

    @api.depends("service_order_ids")
    def _compute_line_ids(self):
        Claim = self.env["aftersales.supplier.claim"]
        for wizard in self:
            wizard.line_ids = [(5, 0, 0)] + [
                (
                    0,
                    0,
                    {
                        "service_order_id": proposal["service_order"].id,
                        "partner_id": proposal["vendor"].id,
                        "price_unit": proposal["price_unit"],
                    },
                )
                for proposal in Claim._propose_lines(wizard.service_order_ids._origin)
            ]

    def action_create(self):
        """Create one claim per vendor from the proposed lines."""
        self.ensure_one()
        Claim = self.env["aftersales.supplier.claim"]
        proposals = [
            {
                "vendor": line.partner_id,
                "service_order": line.service_order_id,
                "product": line.service_order_id.product_id,
                "lot": line.service_order_id.lot_id,
                "price_unit": line.price_unit,
                "description": line.service_order_id.description,
            }
            for line in self.line_ids
        ]
        claims = Claim._create_claims(proposals)
        return list_action(Claim, [("id", "in", claims.ids)])
