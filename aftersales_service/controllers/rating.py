from werkzeug.exceptions import BadRequest

from odoo import http
from odoo.http import request
from odoo.tools.misc import get_lang

from odoo.addons.rating.controllers.main import Rating

from ..models.aftersales_service_customer_mixin import RATING_SCORES

SERVICE_ORDER = "aftersales.service.order"


class AftersalesRating(Rating):
    """Odoo's rating links (``/rate/<token>/<score>``, a signed token: no
    login) for the service orders: scored from 1 to 5 rather than with three
    smileys, only once the unit is handed back, and the comment page leads
    back to the order's portal page. The ratings of other documents go on as
    Odoo has them."""

    @http.route()
    def action_open_rating(self, token, rate, **kwargs):
        """The score clicked in the email: recorded at once, then the page
        where the customer changes it and adds a comment."""
        rating, record_sudo = self._get_rating_and_record(token)
        if rating.res_model != SERVICE_ORDER:
            return super().action_open_rating(token, rate, **kwargs)
        # As Odoo's link does: the chatter hears of it once the customer had time to comment.
        refused = self._aftersales_apply(rating, record_sudo, rate, rating.feedback, delay=True)
        return refused or self._aftersales_rating_page(rating, record_sudo, token)

    @http.route()
    def action_submit_rating(self, token, rate=0, **kwargs):
        """The score and the comment of the rating page (posted), or the page
        itself (get)."""
        rating, record_sudo = self._get_rating_and_record(token)
        if rating.res_model != SERVICE_ORDER:
            return super().action_submit_rating(token, rate=rate, **kwargs)
        if request.httprequest.method != "POST":
            refused = self._aftersales_refusal(rating, record_sudo)
            return refused or self._aftersales_rating_page(rating, record_sudo, token)
        try:
            score = int(rate)
        except (TypeError, ValueError):
            score = 0
        feedback = (kwargs.get("feedback") or "").strip()
        refused = self._aftersales_apply(rating, record_sudo, score, feedback)
        return refused or request.redirect(record_sudo.get_portal_url(query_string="&rated=1"))

    def _aftersales_apply(self, rating, record_sudo, score, feedback, delay=False):
        """Record the customer's ``score`` and ``feedback`` on the order (its
        chatter told later when ``delay``); the page that refuses it instead
        when it may not be given."""
        refused = self._aftersales_refusal(rating, record_sudo, score)
        if not refused:
            record_sudo.rating_apply(
                score,
                rating=rating,
                feedback=feedback,
                subtype_xmlid=None,
                notify_delay_send=delay,
            )
        return refused

    def _aftersales_refusal(self, rating, record_sudo, score=None):
        """The page that refuses the rating (someone else's, an order not
        handed back yet, a score not from 1 to 5), or None when it may go on."""
        user = request.env.user
        customer = rating.partner_id.commercial_partner_id
        if not user._is_public() and user.partner_id.commercial_partner_id != customer:
            return request.render(
                "rating.rating_external_page_invalid_partner",
                {
                    "model_name": request.env["ir.model"]._get(rating.res_model).display_name,
                    "name": record_sudo.display_name,
                    "web_base_url": rating.get_base_url(),
                },
                status=403,
            )
        if record_sudo.state != "done":
            return request.render(
                "aftersales_service.rating_page_not_done",
                {"order": record_sudo},
                status=403,
            )
        if score is not None and score not in RATING_SCORES:
            raise BadRequest(request.env._("A service is rated from 1 to 5, not %s.", score))
        return None

    def _aftersales_rating_page(self, rating, record_sudo, token):
        # In the customer's language, as Odoo's rating pages are.
        request.update_context(lang=rating.partner_id.lang or get_lang(request.env).code)
        return request.render(
            "aftersales_service.rating_page",
            {
                "rating": rating,
                "order": record_sudo.with_env(request.env(su=True)),
                "token": token,
                "scores": RATING_SCORES,
                "rate": int(rating.rating) if rating.consumed else 0,
            },
        )
