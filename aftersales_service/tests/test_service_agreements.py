import re
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user

from .network_common import NetworkCommon


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


class TestServiceAgreements(NetworkCommon):
    """Agreements with dealers, service centres and workshops: their terms,
    their life (activation, termination, expiry), and what they decide: the
    workshops' deadlines and the service points the customers are shown."""

    def test_negative_rate_is_refused(self):
        count = self.Agreement.search_count([])
        with self.assertRaisesText(ValidationError, r"labour rate .* cannot be negative \(-5"):
            self._new_agreement(self.dealer, labour_rate=-5.0)
        with self.assertRaisesText(ValidationError, "cannot be negative"):
            self._new_agreement(self.dealer, parts_markup=-1.0)
        with self.assertRaisesText(ValidationError, "labour rate"):
            self.agreement.with_user(self.as_manager).write({"labour_rate": -0.01})
        self.assertEqual(self.Agreement.search_count([]), count)
        self.assertEqual(self.agreement.labour_rate, 40.0)

    def test_name_from_sequence_and_managers_only_edit(self):
        self.assertRegex(self.agreement.name, r"^AGR/2026/\d{4}$")
        self.assertEqual(self.agreement.state, "active")
        with self.assertRaises(AccessError):
            self.agreement.with_user(self.as_user).write({"labour_rate": 60.0})
        with self.assertRaises(AccessError):
            self.env["aftersales.service.agreement"].with_user(self.as_user).create(
                {"partner_id": self.dealer.id}
            )
        self.assertEqual(self.agreement.with_user(self.as_user).labour_rate, 40.0)
        with self.assertRaisesText(UserError, "only be changed through its actions"):
            self.agreement.with_user(self.as_manager).write({"state": "expired"})
        self.assertEqual(self.agreement.state, "active")

    def test_activate_and_terminate(self):
        draft = self._new_agreement(self.workshop, role="workshop")
        with self.assertRaises(AccessError):
            draft.with_user(self.as_user).action_activate()
        self.assertEqual(draft.state, "draft")
        self.assertIs(draft.action_activate(), True)
        self.assertEqual(draft.state, "active")
        with self.assertRaisesText(UserError, "Cannot activate"):
            draft.action_activate()
        with self.assertRaises(AccessError):
            draft.with_user(self.as_user).action_terminate("No longer needed")
        with self.assertRaisesText(UserError, "reason for the termination is required"):
            draft.action_terminate("  ")
        self.assertEqual(draft.state, "active")
        self.assertIs(draft.action_terminate("Workshop closed"), True)
        self.assertRecordValues(
            draft,
            [
                {
                    "state": "terminated",
                    "termination_reason": "Workshop closed",
                    "date_terminated": self.agreement.date_start.replace(2026, 1, 5),
                }
            ],
        )
        with self.assertRaisesText(UserError, "Cannot terminate"):
            draft.action_terminate("Again")
        self.assertEqual(draft.termination_reason, "Workshop closed")
        with self.assertRaisesText(UserError, "instead of deleting"):
            draft.unlink()

    def test_an_ended_agreement_cannot_be_activated(self):
        old = self._new_agreement(self.workshop, date_start="2024-01-01", date_end="2025-12-31")
        with self.assertRaisesText(UserError, "ended already"):
            old.action_activate()
        self.assertEqual(old.state, "draft")

    def test_expiry_cron_reminds_the_manager_once_then_expires(self):
        self.env.company.aftersales_manager_id = self.as_manager
        self.agreement.with_user(self.as_manager).write({"date_end": "2026-03-01"})
        Agreement = self.env["aftersales.service.agreement"]

        def reminders():
            return self.env["mail.activity"].search(
                [("res_model", "=", Agreement._name), ("res_id", "=", self.agreement.id)]
            )

        with freeze_time("2026-01-29"):
            Agreement._cron_expire_and_remind()
            self.assertFalse(reminders())
            self.assertFalse(self.agreement.is_expiring)
        with freeze_time("2026-01-30"):
            self.agreement.invalidate_recordset(["is_expiring"])
            self.assertTrue(self.agreement.is_expiring)
            self.assertIn(self.agreement, Agreement.search([("is_expiring", "=", True)]))
            Agreement._cron_expire_and_remind()
            self.assertRecordValues(
                reminders(),
                [{"user_id": self.as_manager.id, "summary": "Service agreement expires soon"}],
            )
            self.assertIn("2026-03-01", str(reminders().note))
        with freeze_time("2026-02-15"):
            reminders().action_feedback("Renewal negotiated")
            Agreement._cron_expire_and_remind()
            self.assertFalse(reminders(), "reminded once only")
        with freeze_time("2026-03-01"):
            Agreement._cron_expire_and_remind()
            self.assertEqual(self.agreement.state, "active")
        with freeze_time("2026-03-02"):
            Agreement._cron_expire_and_remind()
            self.assertEqual(self.agreement.state, "expired")

    def test_workshop_due_from_response_days(self):
        workshop_agreement = self._new_agreement(
            self.workshop, role="workshop", response_days=12, country_ids=[(5,)]
        )
        workshop_agreement.action_activate()
        order = self._new_order()
        self._receive(order)
        self.assertIs(order.action_send_to_workshop(self.workshop.id), True)
        self.assertEqual(str(order.date_workshop_due), "2026-01-17")
        transfers = order.picking_ids.filtered(
            lambda p: p.aftersales_transfer_kind in ("workshop_out", "workshop_in")
        )
        self.assertEqual(len(transfers), 2)
        self.assertEqual(
            {str(deadline.date()) for deadline in transfers.mapped("date_deadline")},
            {"2026-01-17"},
        )

    def test_workshop_deadline_is_the_end_of_the_local_day(self):
        # West of UTC, midnight UTC of the due day would show the day before.
        self._new_agreement(
            self.workshop, role="workshop", response_days=12, country_ids=[(5,)]
        ).action_activate()
        order = self._new_order().with_context(tz="America/Sao_Paulo")
        self._receive(order)
        order.action_send_to_workshop(self.workshop.id)
        workshop_in = order.picking_ids.filtered(
            lambda p: p.aftersales_transfer_kind == "workshop_in"
        )
        self.assertEqual(str(workshop_in.date_deadline), "2026-01-18 02:59:59")
        # A time zone nobody knows: the end of the day in UTC.
        self.assertEqual(
            str(order.with_context(tz="Nowhere/Atlantis")._end_of_local_day(date(2026, 1, 17))),
            "2026-01-17 23:59:59",
        )

    def test_no_deadline_without_a_covering_agreement(self):
        other = self.env["res.partner"].create({"name": "Grinder Workshop"})
        grinders = self._new_agreement(
            other,
            role="workshop",
            product_categ_ids=[(6, 0, self.env.ref("product.product_category_all").ids)],
        )
        grinders.action_activate()
        plain = self.env["res.partner"].create({"name": "Any Workshop"})
        lots = self._deliver([(self.product_serial, 2)]).warranty_ids.lot_id
        for lot, partner, expected in ((lots[0], plain, False), (lots[1], other, "2026-01-12")):
            with self.subTest(partner=partner.name):
                order = self._new_order(lot=lot)
                self._receive(order)
                order.action_send_to_workshop(partner.id)
                due = order.date_workshop_due
                self.assertEqual(str(due) if due else False, expected)
                deadlines = order.picking_ids.filtered(
                    lambda p: p.aftersales_transfer_kind == "workshop_in"
                ).date_deadline
                self.assertEqual(str(deadlines.date()) if deadlines else False, expected)

    def test_agreement_pdf_uses_the_shared_layout(self):
        self.agreement.with_user(self.as_manager).agreement_text = "<p>Repairs within norms.</p>"
        action = self.agreement.action_print()
        self.assertEqual(action["report_name"], "aftersales_service.report_service_agreement")
        report = self.env.ref("aftersales_service.action_report_service_agreement")
        html = report._render_qweb_html(report.report_name, self.agreement.ids)[0].decode()
        self.assertIn('name="aftersales_company"', html)
        text = _text(html)
        for piece in (
            self.agreement.name,
            "Lisbon Coffee Dealer",
            "Espresso Machines",
            "Portugal",
            "At cost plus 10.0 %",
            "7 days",
            "Repairs within norms.",
            "For the partner",
        ):
            self.assertIn(piece, text)


class TestServicePoints(NetworkCommon, HttpCase):
    """The customer is shown the dealers and service centres that serve their
    country and product, with address and phone, on the certificate and the
    portal; not the workshops, the other territories, or draft agreements."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.centre = Partner.create(
            {"name": "Porto Service Centre", "city": "Porto", "phone": "+351 22 000 2222"}
        )
        cls.spanish = Partner.create({"name": "Madrid Dealer", "phone": "+34 91 000 3333"})
        cls.draft_dealer = Partner.create({"name": "Unsigned Dealer"})
        centre = cls._new_agreement(
            cls.centre, role="service_centre", country_ids=[(5,)], product_categ_ids=[(5,)]
        )
        spanish = cls._new_agreement(cls.spanish, country_ids=[(6, 0, cls.spain.ids)])
        workshop = cls._new_agreement(cls.workshop, role="workshop", country_ids=[(5,)])
        (centre | spanish | workshop).action_activate()
        cls._new_agreement(cls.draft_dealer)
        cls.portal_user = new_test_user(
            cls.env,
            login="net_portal",
            password="net_portal_pw",
            groups="base.group_portal",
            partner_id=cls.customer.id,
        )

    def _assert_points(self, text):
        for piece in (
            "Where to Get Service",
            "Lisbon Coffee Dealer",
            "12 Avenida da Liberdade",
            "+351 21 000 1111",
            "Porto Service Centre",
            "+351 22 000 2222",
        ):
            self.assertIn(piece, text)
        for absent in ("Madrid Dealer", "Coffee Tech Workshop", "Unsigned Dealer"):
            self.assertNotIn(absent, text)

    def test_service_points_of_the_warranty(self):
        points = self.env["aftersales.service.agreement"]._service_points(self.warranty.id)
        self.assertEqual(points, self.centre | self.dealer)
        self.customer.country_id = self.spain
        points = self.env["aftersales.service.agreement"]._service_points(self.warranty.id)
        self.assertEqual(points, self.spanish | self.centre)

    def test_certificate_shows_the_service_points(self):
        report = self.env.ref("aftersales_service.action_report_warranty_certificate")
        html = report._render_qweb_html(report.report_name, self.warranty.ids)[0].decode()
        self._assert_points(_text(html))

    def test_portal_page_shows_the_service_points(self):
        self.authenticate("net_portal", "net_portal_pw")
        with self.assertRaises(AccessError):
            self.env["aftersales.service.agreement"].with_user(self.portal_user).search([])
        page = self.url_open(f"/my/warranties/{self.warranty.id}")
        self.assertEqual(page.status_code, 200)
        self._assert_points(_text(page.text))
        certificate = self.url_open(f"/my/warranties/{self.warranty.id}?report_type=html")
        self.assertEqual(certificate.status_code, 200)
        self._assert_points(_text(certificate.text))
