from odoo import http
from odoo.http import request

from odoo.addons.sale.controllers.portal import CustomerPortal


class AftersalesSalePortal(CustomerPortal):
    """Odoo's quotation pages on the portal: a customer who refuses the
    quotation of a service order gives a reason, which the service order
    notes with the refusal."""

    @http.route()
    def portal_quote_decline(self, order_id, access_token=None, decline_message=None, **kwargs):
        """Refuse the quotation, the customer's ``decline_message`` passed on
        to the service order it quotes."""
        if decline_message:
            request.update_context(aftersales_refusal_reason=decline_message)
        return super().portal_quote_decline(
            order_id, access_token=access_token, decline_message=decline_message, **kwargs
        )
