import re
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user

from .common import AftersalesCommon

# Deadline days of each preset per demand, as the laws set them.
PRESET_DAYS = {
    "ru": {"repair": 45, "replacement": 7, "refund": 10, "price_reduction": 10, "compensation": 10},
    "ua": {"repair": 14, "replacement": 14, "refund": 7, "price_reduction": 7, "compensation": 7},
    "pt": {
        "repair": 30,
        "replacement": 30,
        "refund": 14,
        "price_reduction": 14,
        "compensation": 14,
    },
    "br": {"repair": 30, "replacement": 30, "refund": 0, "price_reduction": 0, "compensation": 0},
    "eu": {
        "repair": 30,
        "replacement": 30,
        "refund": 14,
        "price_reduction": 14,
        "compensation": 14,
    },
}


class ClaimCommon(AftersalesCommon):
    """A consumer's espresso machine sold at 500.00 without taxes, delivered on
    the frozen day, and the five legal presets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_serial.taxes_id = [Command.clear()]
        cls.profiles = {
            code: cls.env.ref(f"aftersales_service.legal_profile_{code}") for code in PRESET_DAYS
        }
        cls.env.company.aftersales_legal_profile_id = cls.profiles["ru"]
        cls.sale = cls._deliver([(cls.product_serial, 1)])
        cls.warranty = cls.sale.warranty_ids
        cls.lot = cls.warranty.lot_id
        cls.Claim = cls.env["aftersales.claim"].with_user(cls.as_user)

    @classmethod
    def _new_claim(cls, demand="repair", **values):
        return cls.Claim.create({"lot_id": cls.lot.id, "demand": demand, **values})

    def _accepted(self, demand="repair", note="We repair it free of charge.", **values):
        claim = self._new_claim(demand, **values)
        claim.action_receive()
        claim.with_user(self.as_manager).action_accept(note)
        return claim


class TestClaimDeadlines(ClaimCommon):
    def test_unit_and_price_from_the_serial(self):
        claim = self._new_claim()
        self.assertEqual(
            (claim.partner_id, claim.product_id, claim.warranty_id, claim.unit_price),
            (self.customer, self.product_serial, self.warranty, 500.0),
        )
        self.assertEqual(claim.coverage_basis, "warranty")
        self.assertRegex(claim.name, r"^CLM/2026/\d{5}$")

    def test_deadline_of_each_demand_under_each_preset(self):
        for code, days in PRESET_DAYS.items():
            for demand, count in days.items():
                with self.subTest(code=code, demand=demand):
                    claim = self._new_claim(demand, legal_profile_id=self.profiles[code].id)
                    self.assertFalse(claim.date_deadline)
                    self.assertIs(claim.action_receive(), True)
                    self.assertEqual(claim.state, "received")
                    self.assertEqual((claim.date_deadline - date(2026, 1, 5)).days, count)

    def test_received_in_the_past_keeps_its_date(self):
        claim = self._new_claim("replacement", date_received="2025-12-29")
        claim.action_receive()
        self.assertEqual(
            (claim.date_received, claim.date_deadline), (date(2025, 12, 29), date(2026, 1, 5))
        )

    def test_month_end_and_leap_day(self):
        with freeze_time("2028-02-25"):
            claim = self._new_claim("replacement", date_received="2028-02-25")
            claim.action_receive()
            self.assertEqual(claim.date_deadline, date(2028, 3, 3))  # 29 February counted
        with freeze_time("2026-12-31"):
            claim = self._new_claim("refund", date_received="2026-12-31")
            claim.action_receive()
            self.assertEqual(claim.date_deadline, date(2027, 1, 10))

    def test_bad_input_refused(self):
        with self.assertRaisesText(UserError, "demand must be one of"):
            self._new_claim("exchange")
        with self.assertRaisesText(ValidationError, "cannot be negative"):
            self._new_claim("refund", amount_demanded=-5.0)
        claim = self._new_claim(date_received="2026-01-06")
        with self.assertRaisesText(UserError, "in the future"):
            claim.action_receive()
        self.assertEqual(claim.state, "draft")
        claim.legal_profile_id = False
        claim.date_received = "2026-01-05"
        with self.assertRaisesText(UserError, "Choose the consumer law"):
            claim.action_receive()

    def test_receive_twice_refused(self):
        claim = self._new_claim()
        claim.action_receive()
        with self.assertRaisesText(UserError, "Cannot receive"):
            claim.action_receive()

    def test_claim_is_fixed_once_received(self):
        claim = self._new_claim()
        claim.action_receive()
        for values in ({"demand": "refund"}, {"date_received": "2025-12-01"}, {"unit_price": 1.0}):
            with self.subTest(values=values), self.assertRaisesText(UserError, "cannot change"):
                claim.write(values)
        with self.assertRaisesText(UserError, "only be changed through its actions"):
            claim.write({"date_deadline": "2026-12-31"})
        with self.assertRaisesText(UserError, "only be changed through its actions"):
            claim.write({"state": "answered"})
        self.assertEqual((claim.demand, claim.date_deadline), ("repair", date(2026, 2, 19)))

    def test_outside_warranty_within_claim_window(self):
        product = self.env["product.product"].create(
            {"name": "Milk Frother", "is_storable": True, "tracking": "serial", "list_price": 40}
        )
        self.warranty.sudo().void("Sold as used")
        claim = self._new_claim()
        self.assertEqual(claim.coverage_basis, "claim_window")  # ru: two years from handover
        with freeze_time("2028-01-05"):
            claim = self._new_claim(date_received="2028-01-05")
            self.assertEqual(claim.coverage_basis, "outside")
        lot = self._put_in_stock(product, 1)
        claim = self.Claim.create({"lot_id": lot.id, "partner_id": self.customer.id})
        self.assertEqual((claim.coverage_basis, claim.unit_price), ("outside", 40.0))


class TestClaimPenalty(ClaimCommon):
    def test_penalty_accrues_per_day_late_until_the_answer(self):
        claim = self._new_claim("replacement")  # ru: 7 days, 1% a day of 500.00
        claim.action_receive()
        self.assertEqual(claim.date_deadline, date(2026, 1, 12))
        with freeze_time("2026-01-12"):
            claim.invalidate_recordset()
            self.assertEqual(
                (claim.days_late, claim.penalty_amount, claim.is_overdue), (0, 0, False)
            )
        with freeze_time("2026-01-22"):
            claim.invalidate_recordset()
            self.assertEqual(
                (claim.days_late, claim.penalty_amount, claim.is_overdue), (10, 50.0, True)
            )
            self.assertIn(claim, self.Claim.search([("is_overdue", "=", True)]))
            claim.with_user(self.as_manager).action_accept("A new unit is ready for you.")
            claim.action_send_answer()
        with freeze_time("2026-03-01"):
            claim.invalidate_recordset()
            self.assertEqual(
                (claim.days_late, claim.penalty_amount, claim.is_overdue), (10, 50.0, False)
            )

    def test_penalty_on_the_invoiced_price_with_taxes(self):
        tax = self.env["account.tax"].create({"name": "VAT 20", "amount": 20.0})
        self.product_serial.taxes_id = tax
        sale = self._deliver([(self.product_serial, 1)])
        sale._create_invoices().action_post()
        claim = self.Claim.create({"lot_id": sale.warranty_ids.lot_id.id, "demand": "refund"})
        self.assertEqual(claim.unit_price, 600.0)
        claim.action_receive()  # ru refund: 10 days
        with freeze_time("2026-01-18"):
            claim.invalidate_recordset()
            self.assertEqual((claim.days_late, claim.penalty_amount), (3, 18.0))

    def test_penalty_of_each_preset_ten_days_late(self):
        expected = {"ru": 50.0, "ua": 50.0, "pt": 0.0, "br": 0.0, "eu": 0.0}  # 1% a day of 500
        for code, penalty in expected.items():
            with self.subTest(code=code):
                claim = self._new_claim("replacement", legal_profile_id=self.profiles[code].id)
                claim.action_receive()
                days = PRESET_DAYS[code]["replacement"]
                with freeze_time(date(2026, 1, 5) + timedelta(days=days + 10)):
                    claim.invalidate_recordset()
                    self.assertEqual((claim.days_late, claim.penalty_amount), (10, penalty))

    def test_no_penalty_where_the_law_sets_none(self):
        claim = self._new_claim("repair", legal_profile_id=self.profiles["pt"].id)
        claim.action_receive()
        with freeze_time("2026-03-01"):
            claim.invalidate_recordset()
            self.assertEqual((claim.days_late, claim.penalty_amount), (25, 0.0))

    def test_job_flags_nearly_due_and_overdue_once(self):
        claim = self._new_claim("replacement")
        claim.action_receive()
        Claim = self.env["aftersales.claim"]
        with freeze_time("2026-01-10"):
            self.assertEqual(Claim._cron_flag_deadlines(), claim.ids)
            Claim._cron_flag_deadlines()
        with freeze_time("2026-01-13"):
            Claim._cron_flag_deadlines()
            Claim._cron_flag_deadlines()
        activities = claim.activity_ids
        self.assertEqual(
            sorted(activities.mapped("summary")), ["Claim nearly due", "Claim overdue"]
        )
        self.assertEqual(activities.user_id, self.as_user)
        self.assertIn("5.00", activities.filtered(lambda a: "overdue" in a.summary).note)


class TestClaimDecision(ClaimCommon):
    def test_users_register_managers_decide(self):
        claim = self._new_claim()
        claim.action_receive()
        claim.action_review()
        with self.assertRaises(AccessError):
            claim.action_accept("ok")
        with self.assertRaises(AccessError):
            claim.action_reject("no")
        self.assertEqual(claim.state, "in_review")
        manager_claim = claim.with_user(self.as_manager)
        with self.assertRaisesText(UserError, "reason for the rejection is required"):
            manager_claim.action_reject("   ")
        self.assertIs(manager_claim.action_reject("Damage from a fall, not a defect."), True)
        self.assertEqual(
            (claim.state, claim.decision, claim.decision_user_id, claim.decision_date),
            ("rejected", "rejected", self.as_manager, date(2026, 1, 5)),
        )
        with self.assertRaisesText(UserError, "Cannot accept"):
            manager_claim.action_accept("changed my mind")

    def test_decision_wizard_through_the_form(self):
        claim = self._new_claim()
        claim.action_receive()
        action = claim.with_user(self.as_manager).action_open_decision_wizard()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.as_manager)
            .with_context(**action["context"])
        )
        wizard.decision = "reject"
        wizard.reason = "Outside the warranty: the seal was changed by a third party."
        wizard.save().action_apply()
        self.assertEqual(
            (claim.state, claim.decision_reason),
            ("rejected", "Outside the warranty: the seal was changed by a third party."),
        )

    def test_accepted_repair_opens_one_service_order(self):
        claim = self._accepted("repair")
        action = claim.action_create_service_order()
        order = self.env["aftersales.service.order"].browse(action["res_id"])
        self.assertEqual(
            (order.claim_id, order.lot_id, order.partner_id, order.request_type, order.coverage),
            (claim, self.lot, self.customer, "repair", "warranty"),
        )
        self.assertEqual(claim.service_order_count, 1)
        with self.assertRaisesText(UserError, "already has a service order"):
            claim.action_create_service_order()
        with self.assertRaisesText(UserError, "demands work on the unit"):
            claim.with_user(self.as_manager).action_create_credit_note(10.0)

    def test_undecided_claim_opens_nothing(self):
        claim = self._new_claim()
        claim.action_receive()
        with self.assertRaisesText(UserError, "Cannot open a service order"):
            claim.action_create_service_order()
        with self.assertRaisesText(UserError, "Cannot answer"):
            claim.action_send_answer()
        self.assertFalse(claim.service_order_ids)


class TestClaimCreditNote(ClaimCommon):
    def test_refund_reverses_the_invoice_once(self):
        invoice = self.sale._create_invoices()
        invoice.action_post()
        claim = self._accepted("refund", amount_demanded=500.0)
        manager_claim = claim.with_user(self.as_manager)
        with self.assertRaisesText(UserError, "exceeds the invoiced price"):
            manager_claim.action_create_credit_note(600.0)
        with self.assertRaisesText(UserError, "must be between"):
            manager_claim.action_create_credit_note(-1.0)
        with self.assertRaises(AccessError):
            claim.action_create_credit_note(500.0)
        action = manager_claim.action_open_credit_note_wizard()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.as_manager)
            .with_context(**action["context"])
        )
        self.assertEqual(wizard.amount, 500.0)
        result = wizard.save().action_apply()
        credit_note = self.env["account.move"].browse(result["res_id"])
        self.assertEqual(claim.credit_note_id, credit_note)
        self.assertEqual(
            (credit_note.move_type, credit_note.state, credit_note.reversed_entry_id),
            ("out_refund", "draft", invoice),
        )
        line = credit_note.invoice_line_ids
        self.assertEqual(
            (line.product_id, line.quantity, line.price_unit), (self.product_serial, 1.0, 500.0)
        )
        self.assertEqual(line.sale_line_ids, self.sale.order_line)
        with self.assertRaisesText(UserError, "already has its credit note"):
            manager_claim.action_create_credit_note(500.0)
        self.assertEqual(
            self.env["account.move"].search_count([("reversed_entry_id", "=", invoice.id)]), 1
        )

    def test_price_reduction_without_invoice(self):
        claim = self._accepted("price_reduction", amount_demanded=120.0)
        action = claim.with_user(self.as_manager).action_create_credit_note(120.0)
        credit_note = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(
            (credit_note.move_type, credit_note.partner_id, credit_note.amount_untaxed),
            ("out_refund", self.customer, 120.0),
        )
        self.assertEqual(credit_note.invoice_origin, claim.name)


class TestClaimAnswer(ClaimCommon):
    def _letter(self, claim):
        report = self.env.ref("aftersales_service.action_report_claim_answer")
        html = report._render_qweb_html(report.report_name, claim.ids)[0].decode()
        return " ".join(re.sub(r"<[^>]+>", " ", html).split())

    def test_answer_letter_cites_the_law_and_the_deadline(self):
        claim = self._accepted(
            "replacement", note="A new unit is ready for you at our shop.", description="It leaks."
        )
        html = self._letter(claim)
        for text in (
            "Law of the Russian Federation No. 2300-1",
            "Art. 21 p. 1",
            "A new unit is ready for you at our shop.",
            "accepted",
            "It leaks.",
            "within the statutory deadline",
            self.lot.name,
        ):
            self.assertIn(text, html)

    def test_late_answer_states_the_penalty(self):
        claim = self._new_claim("replacement")
        claim.action_receive()
        with freeze_time("2026-01-15"):
            claim.with_user(self.as_manager).action_reject("The defect was caused by a fall.")
            claim.action_send_answer()
            html = self._letter(claim)
        self.assertIn("rejected", html)
        self.assertIn("The defect was caused by a fall.", html)
        self.assertIn("3 days after the statutory deadline", html)
        self.assertIn("15.00", html)
        self.assertIn("Art. 23 p. 1", html)

    def test_answer_is_emailed_with_the_letter_once(self):
        claim = self._accepted("repair")
        self.assertIs(claim.action_send_answer(), True)
        self.assertEqual((claim.state, claim.date_answered), ("answered", date(2026, 1, 5)))
        message = claim.message_ids.filtered(lambda m: m.message_type == "comment")[:1]
        self.assertIn(self.customer, message.partner_ids)
        # the PDF (HTML when the tests run without wkhtmltopdf), named after the claim
        name = f"Answer - {claim.name.replace('/', '-')}."
        self.assertTrue(message.attachment_ids.name.startswith(name))
        self.assertIn(claim.name, message.subject)
        with self.assertRaisesText(UserError, "Cannot answer"):
            claim.action_send_answer()
        self.assertIs(claim.action_close(), True)
        self.assertEqual(claim.state, "closed")

    def test_answer_needs_the_consumer_email(self):
        self.customer.email = False
        claim = self._accepted("repair")
        with self.assertRaisesText(UserError, "Set the email"):
            claim.action_send_answer()
        self.assertEqual(claim.state, "accepted")

    def test_letter_of_an_undecided_claim_promises_the_deadline(self):
        claim = self._new_claim("replacement")
        claim.action_receive()
        html = self._letter(claim)
        self.assertRegex(html, r"Your claim is being considered: we answer by 01/12/2026 ?\.")
        self.assertNotIn("rejected", html)
        self.assertNotIn("accepted", html)


class TestClaimPortalFields(ClaimCommon):
    def test_portal_reads_no_internal_field(self):
        portal = new_test_user(
            self.env, login="claim_portal", groups="base.group_portal", partner_id=self.customer.id
        )
        claim = self._accepted("refund", amount_demanded=500.0)
        as_portal = claim.with_user(portal)
        values = as_portal.read(["name", "state", "demand", "date_deadline", "decision_reason"])[0]
        self.assertEqual((values["state"], values["demand"]), ("accepted", "refund"))
        for field in (
            "unit_price",
            "penalty_amount",
            "days_late",
            "user_id",
            "decision_user_id",
            "legal_profile_id",
            "credit_note_id",
            "service_order_ids",
        ):
            with self.subTest(field=field), self.assertRaises(AccessError):
                as_portal.read([field])
