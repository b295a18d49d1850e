from odoo import api, fields, models

from ..models.credit_notes import unit_invoice_line


class AftersalesClaimCreditNote(models.TransientModel):
    """The amount a manager credits the consumer for an accepted money demand."""

    _name = "aftersales.claim.credit.note"
    _description = "Consumer Claim Credit Note"

    claim_id = fields.Many2one("aftersales.claim", required=True, readonly=True)
    currency_id = fields.Many2one(related="claim_id.currency_id")
    demand = fields.Selection(related="claim_id.demand")
    amount = fields.Monetary(
        compute="_compute_amount",
        store=True,
        readonly=False,
        required=True,
        help="The price of the credit note's line, before taxes like the invoice's.",
    )

    @api.depends("claim_id")
    def _compute_amount(self):
        for wizard in self:
            claim = wizard.claim_id
            invoiced = unit_invoice_line(claim.warranty_id).price_unit
            if claim.demand == "refund" and invoiced:
                wizard.amount = invoiced
            else:
                wizard.amount = claim.amount_demanded or invoiced

    def action_apply(self):
        """Draft the credit note and open it."""
        self.ensure_one()
        return self.claim_id.action_create_credit_note(self.amount)
