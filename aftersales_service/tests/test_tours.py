"""The main flows clicked through in a real browser (Odoo's web tours in
headless Chromium): taking in a unit from its serial, lending a loaner,
printing a warranty certificate, and on the portal a customer filing a claim,
asking for the service of a unit and rating the service from the emailed link.

The tours live in static/src/tours/; each test sets up their data, runs one as
a real user and checks the records it left. The class clock stays frozen (the
server sees the frozen day, the browser its own): the tours check no date, the
tests check the dates the server computed."""

from datetime import date
from unittest import SkipTest
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import http
from odoo.tests import HttpCase, tagged

from .service_common import ServiceCommon

CERTIFICATE = "aftersales_service.report_warranty_certificate"


@tagged("post_install", "-at_install")
class TestTours(ServiceCommon, HttpCase):
    """Each tour as the user who does it: the service clerk in the back
    office, the customer on the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The browser's first requests come in several threads at once, and
        # each would read every manifest to find the static folders: Python
        # 3.11 before 3.11.8 may fail to parse in two threads at once
        # ("AST constructor recursion depth mismatch"), so read them here.
        cls.static_folders = http.root.statics

    def _serial(self, name, lot=None):
        """The serial of the customer's delivered unit (or ``lot``), renamed
        ``name``: the name the tour types or looks for."""
        lot = lot or self.lot
        lot.name = name
        return lot

    def _tour(self, url, tour, user):
        """Run ``tour`` from ``url`` as ``user`` (None: a visitor not logged
        in); a tour that cannot run (no browser, no websocket-client) fails
        instead of being skipped."""
        try:
            self.start_tour(url, tour, login=user.login if user else None)
        except SkipTest as skipped:
            self.fail(f"The tour {tour} could not run in a browser: {skipped}")

    def test_service_order_intake(self):
        lot = self._serial("TOUR-SN-INTAKE")
        self._tour("/odoo", "aftersales_service_order_intake_tour", self.as_user)
        order = self.env["aftersales.service.order"].search([("lot_id", "=", lot.id)])
        self.assertRecordValues(
            order,
            [
                {
                    "state": "confirmed",
                    "partner_id": self.customer.id,
                    "product_id": self.product_serial.id,
                    "warranty_id": self.warranty.id,
                    "coverage": "warranty",
                    "description": "Leaks water under the boiler",
                    "create_uid": self.as_user.id,
                }
            ],
        )
        receipt = order.picking_ids
        self.assertEqual(len(receipt), 1)
        self.assertEqual(receipt.location_dest_id, self.service_location)
        self.assertEqual(receipt.move_ids.lot_ids, lot)

    def test_loaner_lend(self):
        order = self._new_order(lot=self._serial("TOUR-SN-LOAN"))
        self._receive(order)
        loaner = self._register_loaner(
            self._serial("TOUR-LOANER-1", self._put_in_stock(self.loaner_product, 1))
        )
        self._tour("/odoo", "aftersales_loaner_lend_tour", self.as_user)
        self.assertRecordValues(
            order.loan_ids,
            [
                {
                    "loaner_id": loaner.id,
                    "partner_id": self.customer.id,
                    "state": "draft",
                    "condition_out": "Like new, with its power cable",
                    "date_due": date(2026, 1, 5)
                    + relativedelta(days=self.env.company.aftersales_loan_days),
                    "create_uid": self.as_user.id,
                }
            ],
        )
        delivery = order.loan_ids.picking_out_id
        self.assertEqual(delivery.state, "assigned")
        self.assertEqual(delivery.move_ids.lot_ids, loaner.lot_id)

    def test_warranty_certificate(self):
        self._serial("TOUR-SN-CERT")
        # Sold by another salesperson: the certificate still prints the sale's
        # name, which the clerk may not read on the sale order itself.
        self.sale.user_id = self.as_manager
        Report = type(self.env["ir.actions.report"])
        render = Report._render_qweb_pdf
        with patch.object(Report, "_render_qweb_pdf", autospec=True, side_effect=render) as spy:
            self._tour("/odoo", "aftersales_warranty_certificate_tour", self.as_user)
        self.assertEqual(
            [(call.args[1], list(call.args[2])) for call in spy.call_args_list],
            [(CERTIFICATE, self.warranty.ids)],
        )

    def test_portal_claim(self):
        self.env.company.aftersales_legal_profile_id = self.env.ref(
            "aftersales_service.legal_profile_ru"
        )
        portal_user = self._new_portal_user("alice_tour")
        lot = self._serial("TOUR-SN-PORTAL")
        self._tour("/my", "aftersales_portal_claim_tour", portal_user)
        claim = self.env["aftersales.claim"].search([("partner_id", "=", self.customer.id)])
        self.assertRecordValues(
            claim,
            [
                {
                    "lot_id": lot.id,
                    "demand": "replacement",
                    "description": "It stopped heating after two weeks",
                    "state": "received",
                    "date_received": date(2026, 1, 5),
                    "date_deadline": date(2026, 1, 12),  # Russia: 7 days to replace
                }
            ],
        )

    def test_portal_service_request(self):
        self.env.company.aftersales_manager_id = self.as_manager
        lot = self._serial("TOUR-SN-REQUEST")
        self._tour(
            "/my", "aftersales_portal_service_request_tour", self._new_portal_user("alice_tour")
        )
        order = self.env["aftersales.service.order"].search([("lot_id", "=", lot.id)])
        self.assertRecordValues(
            order,
            [
                {
                    "state": "draft",
                    "partner_id": self.customer.id,
                    "warranty_id": self.warranty.id,
                    "description": "The pump hums but no water comes out",
                    "user_id": self.as_manager.id,
                }
            ],
        )
        photo = self.env["ir.attachment"].search(
            [("res_model", "=", order._name), ("res_id", "=", order.id)]
        )
        self.assertRecordValues(photo, [{"name": "fault.png", "mimetype": "image/png"}])

    def test_service_rating(self):
        order = self._new_order(lot=self._serial("TOUR-SN-RATING"), user_id=self.as_user.id)
        self._receive(order)
        self._repair_with_part(order)
        order.action_return_to_customer()
        self._validate(order._open_pickings("service_out"), self.stock_user)
        token = order._rating_get_access_token()
        # The link of the hand-back email, opened by a visitor not logged in.
        self._tour(f"/rate/{token}/5", "aftersales_service_rating_tour", None)
        rating = self.env["rating.rating"].search(
            [("res_model", "=", order._name), ("res_id", "=", order.id)]
        )
        self.assertRecordValues(
            rating,
            [
                {
                    "rating": 4.0,
                    "feedback": "Repaired fast, but nobody called me back",
                    "partner_id": self.customer.id,
                    "rated_partner_id": self.as_user.partner_id.id,
                    "consumed": True,
                }
            ],
        )
        self.assertEqual(order.rating, 4.0)
