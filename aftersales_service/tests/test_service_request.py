"""The customer's side of a service order on the portal, as a real portal
user over HTTP: asking for the service of one of their own units with photos,
following the order's steps and downloading its documents, and accepting or
refusing its quotation on Odoo's own sale portal."""

import base64
import io

from PIL import Image

from odoo import http
from odoo.tests import HttpCase, tagged

from .service_common import ServiceCommon


def png_bytes(color="red"):
    """A small PNG image, as a customer's photo."""
    output = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(output, format="PNG")
    return output.getvalue()


@tagged("post_install", "-at_install")
class TestServiceRequestPortal(ServiceCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.aftersales_manager_id = cls.as_manager
        cls.portal_user = cls._new_portal_user("alice_service")
        cls.stranger = cls.env["res.partner"].create({"name": "Bob Stranger"})
        cls.foreign_lot = cls._deliver(
            [(cls.product_serial, 1)], partner=cls.stranger
        ).warranty_ids.lot_id
        cls.Order = cls.env["aftersales.service.order"]

    def setUp(self):
        super().setUp()
        self.authenticate("alice_service", "alice_service")

    def _open(self, path, **kwargs):
        """Request ``path``; what the server wrote is read afresh afterwards."""
        response = self.url_open(path, **kwargs)
        self.env.invalidate_all()
        return response

    def _commit_tracking(self):
        """Log the state changes made so far, as the end of a request does:
        each step of the tests stands for one click of the service desk."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _clicks(self, *actions):
        """Run each of ``actions`` as a click of its own (its state change logged)."""
        self._commit_tracking()
        for action in actions:
            action()
            self._commit_tracking()

    def _request(self, lot, description="The pump hums but no water comes", photos=()):
        """Post the service request form; the response, not followed."""
        data = {"csrf_token": http.Request.csrf_token(self), "lot_id": str(lot.id)}
        if description is not None:
            data["description"] = description
        files = [("photos", photo) for photo in photos]
        return self._open(
            "/my/service_orders/new", data=data, files=files or None, allow_redirects=False
        )

    # ------------------------------------------------------------------
    # The service request
    # ------------------------------------------------------------------

    def test_form_offers_only_own_units(self):
        page = self._open("/my/service_orders/new")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.lot.name, page.text)
        self.assertNotIn(self.foreign_lot.name, page.text)
        self.assertIn('enctype="multipart/form-data"', page.text)
        home = self._open("/my")
        self.assertIn('href="/my/service_orders/new"', home.text)

    def test_request_for_own_serial(self):
        photo = png_bytes()
        response = self._request(self.lot, photos=[("fault.png", photo, "image/png")])
        self.assertEqual(response.status_code, 303)
        order = self.Order.search([("lot_id", "=", self.lot.id)])
        self.assertEqual(len(order), 1)
        self.assertTrue(response.headers["Location"].endswith(f"{order.access_url}?requested=1"))
        self.assertRecordValues(
            order,
            [
                {
                    "state": "draft",
                    "partner_id": self.customer.id,
                    "product_id": self.product_serial.id,
                    "warranty_id": self.warranty.id,
                    "request_type": "repair",
                    "description": "The pump hums but no water comes",
                    "user_id": self.as_manager.id,
                    "company_id": self.env.company.id,
                }
            ],
        )
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", order._name), ("res_id", "=", order.id)]
        )
        self.assertRecordValues(
            attachment, [{"name": "fault.png", "mimetype": "image/png", "raw": photo}]
        )
        [note] = order.message_ids.filtered("attachment_ids")
        self.assertEqual(note.attachment_ids, attachment)
        self.assertEqual(note.author_id, self.customer)
        self.assertEqual(order.activity_ids.user_id, self.as_manager)
        self.assertFalse(self.customer.user_ids.filtered(lambda u: not u.share))

        page = self._open(response.headers["Location"])
        self.assertIn("Your service request is registered", page.text)
        self.assertIn(order.name, page.text)

        # A second request while the unit is in service is refused.
        again = self._request(self.lot)
        self.assertEqual(again.status_code, 200)
        self.assertIn("is already in service", again.text)
        self.assertEqual(self.Order.search_count([("lot_id", "=", self.lot.id)]), 1)

    def test_a_photo_is_stored_as_what_it_is(self):
        # An image whose name says HTML is kept as the PNG its content is.
        response = self._request(
            self.lot, photos=[("fault.html", png_bytes() + b"<script>1</script>", "text/html")]
        )
        self.assertEqual(response.status_code, 303)
        order = self.Order.search([("lot_id", "=", self.lot.id)])
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", order._name), ("res_id", "=", order.id)]
        )
        self.assertRecordValues(attachment, [{"name": "fault.png", "mimetype": "image/png"}])

    def test_foreign_serial_refused(self):
        response = self._request(self.foreign_lot)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Choose the serial number of one of your units", response.text)
        self.assertFalse(self.Order.search([("lot_id", "=", self.foreign_lot.id)]))

    def test_bad_input_refused(self):
        cases = [
            ({"description": ""}, "The description of the fault"),
            ({"photos": [("notes.txt", b"not an image", "text/plain")]}, "is not a photo"),
            (
                {"photos": [(f"p{i}.png", png_bytes(), "image/png") for i in range(11)]},
                "at most 10 photos",
            ),
        ]
        for values, error in cases:
            with self.subTest(error=error):
                response = self._request(self.lot, **values)
                self.assertEqual(response.status_code, 200)
                self.assertIn(error, response.text)
        self.assertFalse(self.Order.search([("lot_id", "=", self.lot.id)]))
        self.assertFalse(
            self.env["ir.attachment"].search([("res_model", "=", "aftersales.service.order")])
        )

    # ------------------------------------------------------------------
    # The order's page: steps and documents
    # ------------------------------------------------------------------

    def test_timeline_and_documents(self):
        order = self._new_order()
        self._commit_tracking()
        order.action_confirm()
        self._commit_tracking()
        self._validate(order.picking_ids, self.stock_user)
        self._commit_tracking()
        page = self._open(f"/my/service_orders/{order.id}")
        self.assertEqual(page.status_code, 200)
        steps = [step["state"] for step in order._portal_timeline()]
        self.assertEqual(steps, ["draft", "confirmed", "received", "in_progress", "ready", "done"])
        for label in ("Requested", "Goods expected", "Received", "In progress", "Handed back"):
            self.assertIn(label, page.text)
        self.assertIn("01/05/2026", page.text)  # received on the frozen day
        reached = [step["state"] for step in order._portal_timeline() if step["reached"]]
        self.assertEqual(reached, ["draft", "confirmed", "received"])
        self.assertTrue(all(step["date"] for step in order._portal_timeline()[:3]))
        self.assertIn("document=acceptance", page.text)
        self.assertNotIn("document=completion", page.text)

        acceptance = self._open(
            f"/my/service_orders/{order.id}?report_type=html&document=acceptance"
        )
        self.assertEqual(acceptance.status_code, 200)
        self.assertIn(order.name, acceptance.text)
        early = self._open(
            f"/my/service_orders/{order.id}?report_type=html&document=completion",
            allow_redirects=False,
        )
        self.assertEqual(early.status_code, 303)

        self._record_defect(order)
        order.action_start_repair()
        self._commit_tracking()
        order.action_set_ready("repaired")
        self._commit_tracking()
        order.action_return_to_customer()
        self._validate(order._open_pickings("service_out"), self.stock_user)
        self._commit_tracking()
        timeline = order._portal_timeline()
        self.assertTrue(all(step["reached"] and step["date"] for step in timeline))
        self.assertEqual([s["state"] for s in timeline if s["current"]], ["done"])
        page = self._open(f"/my/service_orders/{order.id}")
        self.assertIn("document=completion", page.text)
        completion = self._open(
            f"/my/service_orders/{order.id}?report_type=pdf&document=completion&download=1"
        )
        self.assertEqual(completion.status_code, 200)
        self.assertEqual(completion.headers["Content-Type"], "application/pdf")
        # Without logging in, with the order's access token.
        self.authenticate(None, None)
        public = self._open(
            order.get_portal_url(report_type="html", query_string="&document=completion")
        )
        self.assertEqual(public.status_code, 200)
        self.assertIn(order.name, public.text)

    def test_cancelled_and_on_site_timelines(self):
        on_site = self._new_order(request_type="installation")
        self._clicks(on_site.action_confirm)
        self.assertEqual(
            [(s["state"], s["reached"]) for s in on_site._portal_timeline()],
            [("draft", True), ("in_progress", True), ("done", False)],
        )
        self.assertEqual(on_site._portal_documents(), {})  # no unit handed in
        cancelled = self._new_order()
        self._clicks(cancelled.action_confirm, cancelled.action_cancel)
        self.assertEqual(
            [(s["state"], s["current"]) for s in cancelled._portal_timeline()],
            [("draft", False), ("confirmed", False), ("cancel", True)],
        )

    # ------------------------------------------------------------------
    # The quotation on Odoo's sale portal
    # ------------------------------------------------------------------

    def _quoted_order(self):
        self.warranty.sudo().void("Dropped")
        order = self._new_order()
        self._receive(order)
        order.labour_hours = 1.0
        order.action_create_quotation()
        quotation = order.sale_order_id
        self.assertEqual(quotation.state, "draft")
        self.assertTrue(quotation._has_to_be_signed())
        return order, quotation

    def _notes(self, order, text):
        return order.message_ids.filtered(lambda m: text in m.body)

    def test_quotation_accepted_on_the_sale_portal(self):
        order, quotation = self._quoted_order()
        page = self._open(f"/my/service_orders/{order.id}")
        self.assertIn("Review and Accept", page.text)
        self.assertIn(quotation.get_portal_url().replace("&", "&amp;"), page.text)
        sale_page = self._open(quotation.get_portal_url())
        self.assertEqual(sale_page.status_code, 200)

        signature = base64.b64encode(png_bytes("black")).decode()
        result = self.make_jsonrpc_request(
            f"/my/orders/{quotation.id}/accept",
            {
                "access_token": quotation.access_token,
                "name": "Alice Customer",
                "signature": signature,
            },
        )
        self.env.invalidate_all()
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(quotation.state, "sale")
        self.assertEqual(order.sale_state, "sale")
        self.assertEqual(order.state, "received")
        self.assertTrue(self._notes(order, f"The customer accepted the quotation {quotation.name}"))
        [activity] = order.activity_ids
        self.assertEqual(activity.summary, "Quotation accepted: go on with the work")
        page = self._open(f"/my/service_orders/{order.id}")
        self.assertIn("You accepted this quotation", page.text)

    def test_quotation_confirmed_in_the_back_office(self):
        order, quotation = self._quoted_order()
        quotation.action_confirm()
        self.assertTrue(self._notes(order, f"The quotation {quotation.name} is confirmed."))
        self.assertEqual(order.activity_ids.summary, "Quotation accepted: go on with the work")

    def test_quotation_refused_on_the_sale_portal(self):
        order, quotation = self._quoted_order()
        response = self._open(
            f"/my/orders/{quotation.id}/decline",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "access_token": quotation.access_token,
                "decline_message": "Too expensive for an old machine",
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(quotation.state, "cancel")
        self.assertTrue(
            self._notes(
                order,
                f"The customer refused the quotation {quotation.name}: "
                "Too expensive for an old machine",
            )
        )
        self.assertEqual(order.activity_ids.summary, "Quotation refused by the customer")
        self.assertEqual(order.state, "received")
        page = self._open(f"/my/service_orders/{order.id}")
        self.assertNotIn("Review and Accept", page.text)
