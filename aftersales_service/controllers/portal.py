from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

# (model, counter, url, report shown on the page, list template, page template)
DOCUMENTS = {
    "warranty": (
        "aftersales.warranty",
        "warranty_count",
        "/my/warranties",
        "aftersales_service.action_report_warranty_certificate",
        "aftersales_service.portal_my_warranties",
        "aftersales_service.portal_warranty_page",
    ),
    "service_order": (
        "aftersales.service.order",
        "service_order_count",
        "/my/service_orders",
        "aftersales_service.action_report_service_acceptance",
        "aftersales_service.portal_my_service_orders",
        "aftersales_service.portal_service_order_page",
    ),
}


class AftersalesPortal(CustomerPortal):
    """The customers' warranties and service orders on the portal."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        for model, counter, *_rest in DOCUMENTS.values():
            if counter in counters:
                Model = request.env[model]
                values[counter] = (
                    Model.search_count(self._aftersales_domain()) if Model.has_access("read") else 0
                )
        return values

    def _aftersales_domain(self):
        partner = request.env.user.partner_id
        return [("partner_id", "child_of", [partner.commercial_partner_id.id])]

    def _aftersales_list(self, kind, page, records_key):
        model, _counter, url, _report, template, _page = DOCUMENTS[kind]
        Model = request.env[model]
        domain = self._aftersales_domain()
        pager = portal_pager(
            url=url, total=Model.search_count(domain), page=page, step=self._items_per_page
        )
        records = Model.search(domain, limit=self._items_per_page, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        # The customer may read these records (rules applied above); their
        # products and serials are shown as the system reads them.
        values.update({records_key: records.sudo(), "pager": pager, "page_name": kind})
        return request.render(template, values)

    def _aftersales_page(self, kind, record_id, access_token, report_type, download):
        model, _counter, _url, report, _list, template = DOCUMENTS[kind]
        try:
            record_sudo = self._document_check_access(model, record_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=record_sudo, report_type=report_type, report_ref=report, download=download
            )
        values = self._get_page_view_values(
            record_sudo, access_token, {"doc": record_sudo, "page_name": kind}, kind, False
        )
        return request.render(template, values)

    @http.route(
        ["/my/warranties", "/my/warranties/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_warranties(self, page=1, **kwargs):
        """The customer's warranties."""
        return self._aftersales_list("warranty", page, "warranties")

    @http.route(["/my/warranties/<int:warranty_id>"], type="http", auth="public", website=True)
    def portal_warranty_page(
        self, warranty_id, access_token=None, report_type=None, download=False, **kwargs
    ):
        """One warranty, and its certificate as a PDF."""
        return self._aftersales_page("warranty", warranty_id, access_token, report_type, download)

    @http.route(
        ["/my/service_orders", "/my/service_orders/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_service_orders(self, page=1, **kwargs):
        """The customer's service orders."""
        return self._aftersales_list("service_order", page, "service_orders")

    @http.route(["/my/service_orders/<int:order_id>"], type="http", auth="public", website=True)
    def portal_service_order_page(
        self, order_id, access_token=None, report_type=None, download=False, **kwargs
    ):
        """One service order, and its acceptance act as a PDF."""
        return self._aftersales_page("service_order", order_id, access_token, report_type, download)
