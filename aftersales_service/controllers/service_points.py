from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

# The largest id PostgreSQL's integer columns hold.
MAX_ID = 2**31 - 1


class AftersalesServicePoints(http.Controller):
    """The public page of the service points: the company's dealers and
    service centres by country, for anyone (no login). A page of the website
    when ``website`` is installed, a plain frontend page otherwise."""

    @http.route(
        ["/service-points"],
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        readonly=True,
    )
    def service_points(self, country=None, category=None, **kwargs):
        """The service points, of ``country`` and of product ``category``
        (ids; empty: all) when given; 404 for a filter that names nothing."""
        country_id, category_id = _to_id(country), _to_id(category)
        try:
            data = request.env["aftersales.service.agreement"]._public_service_points(
                country_id, category_id
            )
        except UserError as error:
            raise NotFound() from error
        return request.render(
            "aftersales_service.service_points_page",
            {**data, "country_id": country_id, "category_id": category_id},
        )


def _to_id(value):
    """The id a filter of the page's form sends (None when empty); 404 when
    it is not the id a record could have."""
    text = (value or "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_ID:
        raise NotFound()
    return int(text)
