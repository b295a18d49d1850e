from odoo import fields, models


class AftersalesSupplierClaimWizardLine(models.TransientModel):
    _name = "aftersales.supplier.claim.wizard.line"
    _description = "Proposed Supplier Claim Line"

    wizard_id = fields.Many2one("aftersales.supplier.claim.wizard", ondelete="cascade")
    service_order_id = fields.Many2one("aftersales.service.order", required=True)
    product_id = fields.Many2one(related="service_order_id.product_id")
    lot_id = fields.Many2one(related="service_order_id.lot_id")
    partner_id = fields.Many2one("res.partner", string="Vendor", required=True)
    price_unit = fields.Float(string="Unit Price", digits="Product Price")
