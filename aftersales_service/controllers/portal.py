import math
import os
from typing import NamedTuple

from odoo import SUPERUSER_ID, fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.aftersales_claim import MONEY_DEMANDS
from ..models.aftersales_legal_profile import DEMANDS
from ..models.aftersales_service_order import OPEN_STATES
from ..models.arguments import to_choice, to_text


class PortalDocument(NamedTuple):
    """An after-sales document the customers see on the portal."""

    model: str
    counter: str
    url: str
    report: str  # the report shown on the page
    list_template: str
    page_template: str
    report_states: tuple | None = None  # the states it is printed in (None: any)


DOCUMENTS = {
    "warranty": PortalDocument(
        "aftersales.warranty",
        "warranty_count",
        "/my/warranties",
        "aftersales_service.action_report_warranty_certificate",
        "aftersales_service.portal_my_warranties",
        "aftersales_service.portal_warranty_page",
    ),
    "service_order": PortalDocument(
        "aftersales.service.order",
        "service_order_count",
        "/my/service_orders",
        "aftersales_service.action_report_service_acceptance",
        "aftersales_service.portal_my_service_orders",
        "aftersales_service.portal_service_order_page",
    ),
    "claim": PortalDocument(
        "aftersales.claim",
        "claim_count",
        "/my/claims",
        "aftersales_service.action_report_claim_answer",
        "aftersales_service.portal_my_claims",
        "aftersales_service.portal_claim_page",
        ("answered", "closed"),  # the letter states the decision: once sent
    ),
}
# The home counter of the units the customer may file a claim about.
CLAIMABLE_COUNTER = "claimable_count"
# The photos a customer attaches to a service request.
MAX_PHOTOS = 10
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# The photo types a customer may attach, with the extension their files get.
PHOTO_TYPES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/bmp": ".bmp",
}


class AftersalesPortal(CustomerPortal):
    """The customers' warranties, service orders and consumer claims on the
    portal, and the form where they file a claim about one of their units."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        for document in DOCUMENTS.values():
            if document.counter in counters:
                Model = request.env[document.model]
                values[document.counter] = (
                    Model.search_count(self._aftersales_domain()) if Model.has_access("read") else 0
                )
        if CLAIMABLE_COUNTER in counters:
            values[CLAIMABLE_COUNTER] = len(self._claimable_warranties())
        return values

    def _aftersales_domain(self):
        partner = request.env.user.partner_id
        return [("partner_id", "child_of", [partner.commercial_partner_id.id])]

    def _aftersales_list(self, kind, page, records_key, extra=None):
        document = DOCUMENTS[kind]
        Model = request.env[document.model]
        domain = self._aftersales_domain()
        pager = portal_pager(
            url=document.url,
            total=Model.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        records = Model.search(domain, limit=self._items_per_page, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        # The customer may read these records (rules applied above); their
        # products and serials are shown as the system reads them.
        values.update(
            {records_key: records.sudo(), "pager": pager, "page_name": kind, **(extra or {})}
        )
        return request.render(document.list_template, values)

    def _aftersales_page(
        self, kind, record_id, access_token, report_type, download, extra=None, report=None
    ):
        """The portal page of one record, or (``report_type``) its document:
        ``report`` names one of those a page offers (``_portal_documents``)."""
        document = DOCUMENTS[kind]
        try:
            record_sudo = self._document_check_access(
                document.model, record_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            report_ref = self._aftersales_report(document, record_sudo, report)
            if not report_ref:
                return request.redirect(record_sudo.get_portal_url())
            return self._show_report(
                model=record_sudo,
                report_type=report_type,
                report_ref=report_ref,
                download=download,
            )
        values = self._get_page_view_values(
            record_sudo,
            access_token,
            {"doc": record_sudo, "page_name": kind, **(extra or {})},
            kind,
            False,
        )
        return request.render(document.page_template, values)

    def _aftersales_report(self, document, record_sudo, name):
        """The report of ``record_sudo`` the customer asked for (``name`` among
        the documents of a record that offers several), None when it is not
        printed in the record's state."""
        if hasattr(record_sudo, "_portal_documents"):
            documents = record_sudo._portal_documents()
            return documents.get(name or next(iter(documents), None))
        states = document.report_states
        return document.report if states is None or record_sudo.state in states else None

    # ------------------------------------------------------------------
    # Warranties and service orders
    # ------------------------------------------------------------------

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
        self,
        order_id,
        access_token=None,
        report_type=None,
        download=False,
        document=None,
        requested=None,
        rated=None,
        **kwargs,
    ):
        """One service order: its steps, its quotation, the rating once it is
        handed back, and its documents as PDFs (``document``: ``acceptance``,
        ``completion``); ``requested`` when the customer has just asked for
        it, ``rated`` when they have just rated it."""
        extra = {"requested": bool(requested), "rated": bool(rated)}
        return self._aftersales_page(
            "service_order", order_id, access_token, report_type, download, extra, document
        )

    def _get_page_view_values(
        self, document, access_token, values, session_history, no_breadcrumbs, **kwargs
    ):
        if document._name == "aftersales.service.order":
            values.update(
                {
                    "timeline": document._portal_timeline(),
                    "documents": document._portal_documents(),
                    "quotation": document.sale_order_id.filtered(lambda s: s.state != "cancel"),
                    "customer_rating": document._portal_rating(),
                }
            )
        return super()._get_page_view_values(
            document, access_token, values, session_history, no_breadcrumbs, **kwargs
        )

    @http.route(["/my/service_orders/new"], type="http", auth="user", website=True, methods=["GET"])
    def portal_service_request_new(self, lot_id=None, **kwargs):
        """The form where the customer asks for the service of one of their
        units (``lot_id``: the serial chosen in advance)."""
        return self._service_request_form({"lot_id": lot_id})

    @http.route(
        ["/my/service_orders/new"], type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_service_request(self, **post):
        """Open a draft service order for the unit of the form, with the
        customer's complaint and photos; the service desk confirms it when
        the unit is handed in."""
        warranties = self._claimable_warranties()
        try:
            warranty, description = self._service_request_values(warranties, post)
            photos = self._service_request_photos()
        except UserError as error:
            return self._service_request_form(post, error=error.args[0])
        partner = request.env.user.partner_id
        company = warranty.company_id
        # Opened by the system, as the claims of the portal are: no job falls
        # to the customer; the company's after-sales manager is responsible.
        Order = (
            request.env["aftersales.service.order"]
            .with_user(SUPERUSER_ID)
            .with_company(company)
            .with_context(mail_create_nosubscribe=True)
        )
        order = Order.create(
            {
                "partner_id": partner.id,
                "lot_id": warranty.lot_id.id,
                "request_type": "repair",
                "description": description,
                "company_id": company.id,
                "user_id": company.aftersales_manager_id.id,
            }
        )
        attachments = Order.env["ir.attachment"].create(
            [
                {
                    "name": name,
                    "raw": data,
                    "mimetype": mimetype,
                    "res_model": order._name,
                    "res_id": order.id,
                }
                for name, data, mimetype in photos
            ]
        )
        order._message_log(
            body=request.env._("Requested on the portal by %s.", partner.display_name),
            author_id=partner.id,
            attachment_ids=attachments.ids,
        )
        if order.user_id:
            order._schedule_activity_once(
                request.env._("Service request from the portal"),
                lambda o: request.env._("Confirm %s when the unit is handed in.", o.name),
            )
        return request.redirect(f"{order.access_url}?requested=1")

    def _service_request_form(self, post, error=None):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "service_request",
                "units": self._claimable_warranties().sudo(),
                "post": post,
                "error": error,
                "max_photos": MAX_PHOTOS,
            }
        )
        return request.render("aftersales_service.portal_service_request", values)

    def _service_request_values(self, warranties, post):
        """The warranty of the unit chosen among ``warranties`` and the
        complaint of the form; a UserError that tells the customer what to
        correct (not one of their units, one already in service, no complaint)."""
        env = request.env
        warranty = self._chosen_warranty(warranties, post)
        description = to_text(env, post.get("description"), env._("The description of the fault"))
        busy = (
            env["aftersales.service.order"]
            .sudo()
            .search([("lot_id", "=", warranty.lot_id.id), ("state", "in", OPEN_STATES)], limit=1)
        )
        if busy:
            raise UserError(
                env._(
                    "Your unit %(serial)s is already in service with %(order)s.",
                    serial=warranty.sudo().lot_id.name,
                    order=busy.name,
                )
            )
        return warranty, description

    def _service_request_photos(self):
        """[(file name, content, mimetype)] of the photos attached to the form,
        their type read from their content and their file name's extension
        made to match it; a UserError when one is not an image, is too large,
        or there are too many."""
        env = request.env
        files = [f for f in request.httprequest.files.getlist("photos") if f.filename]
        if len(files) > MAX_PHOTOS:
            raise UserError(env._("Attach at most %s photos.", MAX_PHOTOS))
        photos = []
        for upload in files:
            data = upload.read()
            if len(data) > MAX_PHOTO_BYTES:
                raise UserError(
                    env._(
                        "%(name)s is larger than %(size)s MB.",
                        name=upload.filename,
                        size=MAX_PHOTO_BYTES // (1024 * 1024),
                    )
                )
            mimetype = guess_mimetype(data, default="")
            if mimetype not in PHOTO_TYPES:
                raise UserError(
                    env._(
                        "%s is not a photo: attach JPEG, PNG, GIF or WebP images.", upload.filename
                    )
                )
            stem = os.path.splitext(os.path.basename(upload.filename))[0] or "photo"
            photos.append((stem + PHOTO_TYPES[mimetype], data, mimetype))
        return photos

    # ------------------------------------------------------------------
    # Consumer claims
    # ------------------------------------------------------------------

    @http.route(
        ["/my/claims", "/my/claims/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_claims(self, page=1, **kwargs):
        """The customer's consumer claims."""
        can_file = bool(self._claimable_warranties())
        return self._aftersales_list("claim", page, "claims", {"can_file": can_file})

    @http.route(["/my/claims/<int:claim_id>"], type="http", auth="public", website=True)
    def portal_claim_page(
        self, claim_id, access_token=None, report_type=None, download=False, filed=None, **kwargs
    ):
        """One consumer claim, and the answer letter as a PDF once it is sent;
        ``filed`` when the customer has just filed it."""
        extra = {"filed": bool(filed)}
        return self._aftersales_page("claim", claim_id, access_token, report_type, download, extra)

    @http.route(["/my/claims/new"], type="http", auth="user", website=True, methods=["GET"])
    def portal_claim_new(self, lot_id=None, **kwargs):
        """The form where the customer files a claim about one of their units
        (``lot_id``: the serial chosen in advance)."""
        return self._claim_form({"lot_id": lot_id})

    @http.route(["/my/claims/new"], type="http", auth="user", website=True, methods=["POST"])
    def portal_claim_file(self, **post):
        """File the claim of the form: received at once under the company's
        consumer law (registered as a draft when the company has none)."""
        warranties = self._claimable_warranties()
        try:
            warranty, vals = self._claim_values(warranties, post)
        except UserError as error:
            return self._claim_form(post, error=error.args[0])
        partner = request.env.user.partner_id
        # As the mail gateway files emailed claims: by the system, so that no
        # job or activity ever falls to the customer (the company's after-sales
        # manager is responsible); the customer is the consumer and the author
        # of the note.
        Claim = (
            request.env["aftersales.claim"]
            .with_user(SUPERUSER_ID)
            .with_company(warranty.company_id)
            .with_context(mail_create_nosubscribe=True)
        )
        claim = Claim.create(
            {
                **vals,
                "partner_id": partner.id,
                "lot_id": warranty.lot_id.id,
                "company_id": warranty.company_id.id,
                "date_received": fields.Date.context_today(Claim),
            }
        )
        claim._message_log(
            body=request.env._("Filed on the portal by %s.", partner.display_name),
            author_id=partner.id,
        )
        if claim.legal_profile_id:
            claim.action_receive()
        return request.redirect(f"{claim.access_url}?filed=1")

    def _claimable_warranties(self):
        """The customer's warranties of the serials that are theirs now (the
        one in force of each serial, else its latest): the units they may
        file a claim about."""
        warranties = request.env["aftersales.warranty"].search(
            [*self._aftersales_domain(), ("lot_id", "!=", False)]
        )
        current = warranties.sudo()._current_by_lot(warranties.sudo().lot_id)
        return warranties.filtered(lambda warranty: current.get(warranty.lot_id.id) == warranty)

    def _claim_form(self, post, error=None):
        values = self._prepare_portal_layout_values()
        Claim = request.env["aftersales.claim"]
        values.update(
            {
                "page_name": "claim_new",
                "units": self._claimable_warranties().sudo(),
                "demands": Claim._fields["demand"]._description_selection(request.env),
                "post": post,
                "error": error,
            }
        )
        return request.render("aftersales_service.portal_claim_new", values)

    def _chosen_warranty(self, warranties, post):
        """The warranty among ``warranties`` of the serial ``post`` (a form)
        chose; a UserError when it is not one of the customer's units."""
        chosen = str(post.get("lot_id") or "").strip()
        warranty = warranties.filtered(lambda warranty: str(warranty.lot_id.id) == chosen)
        if not chosen or not warranty:
            raise UserError(request.env._("Choose the serial number of one of your units."))
        return warranty

    def _claim_values(self, warranties, post):
        """The warranty of the unit chosen among ``warranties`` and the values
        of the claim that ``post`` (the form) describes; a UserError that tells
        the customer what to correct when it is not one of their units or the
        demand or the amount is wrong."""
        env = request.env
        warranty = self._chosen_warranty(warranties, post)
        demand = to_choice(env, post.get("demand"), DEMANDS, env._("The demand"))
        amount = self._claim_amount(post.get("amount_demanded"))
        description = to_text(env, post.get("description"), env._("The description of the defect"))
        return warranty, {
            "demand": demand,
            "amount_demanded": amount if demand in MONEY_DEMANDS else 0.0,
            "description": description,
        }

    def _claim_amount(self, value):
        """The amount typed in the form (none: 0); refused unless a number of zero or more."""
        text = str(value or "").strip()
        if not text:
            return 0.0
        try:
            amount = float(text)
        except ValueError:
            amount = math.nan
        if not math.isfinite(amount) or amount < 0:
            raise UserError(
                request.env._("The amount demanded must be a number of zero or more, not %s.", text)
            )
        return amount
