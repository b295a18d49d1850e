from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    aftersales_supplier_claim_id = fields.Many2one(
        "aftersales.supplier.claim",
        string="Supplier Claim",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
    )

    def _post(self, soft=True):
        """Posting a claim's credit note may settle the claim."""
        posted = super()._post(soft=soft)
        posted.aftersales_supplier_claim_id.sudo()._check_settled()
        return posted
