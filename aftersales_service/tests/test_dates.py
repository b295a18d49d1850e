"""Warranty terms, service deadlines, loans and supplier claims on the days
calendars get wrong: month ends, 28 and 29 February, the turn of the year.

Each test travels to those days with freezegun and goes through the real flows
(deliveries, receipts, the daily jobs). Every expected date is written out by
hand, never computed with the arithmetic under test."""

from datetime import date, datetime, time, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError

from .claim_common import ClaimCommon

ONE_DAY = timedelta(days=1)

# Delivery day: last covered day of the 24-month (serial) and of the 12-month
# (untracked) warranty; of the serial's once extended by 6 months (counted from
# the delivery day, never from the previous end); of both once an extended
# warranty of 12 months is sold on the order too (serial 42, untracked 24 months).
REGISTRATIONS = {
    date(2025, 3, 1): (
        date(2027, 2, 28),
        date(2026, 2, 28),
        date(2027, 8, 31),
        (date(2028, 8, 31), date(2027, 2, 28)),
    ),
    date(2026, 1, 31): (
        date(2028, 1, 30),
        date(2027, 1, 30),
        date(2028, 7, 30),
        (date(2029, 7, 30), date(2028, 1, 30)),
    ),
    date(2026, 11, 30): (
        date(2028, 11, 29),
        date(2027, 11, 29),
        date(2029, 5, 29),
        (date(2030, 5, 29), date(2028, 11, 29)),
    ),
    date(2026, 12, 31): (
        date(2028, 12, 30),
        date(2027, 12, 30),
        date(2029, 6, 29),
        (date(2030, 6, 29), date(2028, 12, 30)),
    ),
    date(2027, 2, 28): (
        date(2029, 2, 27),
        date(2028, 2, 27),
        date(2029, 8, 27),
        (date(2030, 8, 27), date(2029, 2, 27)),
    ),
    date(2027, 3, 1): (
        date(2029, 2, 28),
        date(2028, 2, 29),
        date(2029, 8, 31),
        (date(2030, 8, 31), date(2029, 2, 28)),
    ),
    date(2028, 2, 29): (
        date(2030, 2, 27),
        date(2029, 2, 27),
        date(2030, 8, 28),
        (date(2031, 8, 28), date(2030, 2, 27)),
    ),
}

# Last covered day of a 24-month warranty: (its delivery day, the first day the
# customer is reminded, 30 days before; its last day once extended by a month).
EXPIRIES = {
    date(2026, 1, 31): (date(2024, 2, 1), date(2026, 1, 1), date(2026, 2, 28)),
    date(2026, 11, 30): (date(2024, 12, 1), date(2026, 10, 31), date(2026, 12, 31)),
    date(2026, 12, 31): (date(2025, 1, 1), date(2026, 12, 1), date(2027, 1, 31)),
    date(2027, 2, 28): (date(2025, 3, 1), date(2027, 1, 29), date(2027, 3, 31)),
    date(2028, 2, 29): (date(2026, 3, 1), date(2028, 1, 30), date(2028, 3, 31)),
}

# Day the unit is received for service: its deadline with 45 service days, with 1.
DEADLINES = {
    date(2026, 1, 31): (date(2026, 3, 17), date(2026, 2, 1)),
    date(2026, 11, 30): (date(2027, 1, 14), date(2026, 12, 1)),
    date(2026, 12, 31): (date(2027, 2, 14), date(2027, 1, 1)),
    date(2027, 2, 28): (date(2027, 4, 14), date(2027, 3, 1)),
    date(2028, 2, 28): (date(2028, 4, 13), date(2028, 2, 29)),
    date(2028, 2, 29): (date(2028, 4, 14), date(2028, 3, 1)),
}

# Day a loaner is lent: the day it is due back (14 loan days).
LOANS = {
    date(2026, 1, 31): date(2026, 2, 14),
    date(2026, 11, 30): date(2026, 12, 14),
    date(2026, 12, 31): date(2027, 1, 14),
    date(2027, 2, 28): date(2027, 3, 14),
    date(2028, 2, 28): date(2028, 3, 13),
    date(2028, 2, 29): date(2028, 3, 14),
}

# Day a claim is sent to the vendor: the day the answer is due (10 days).
CLAIM_DEADLINES = {
    date(2026, 1, 31): date(2026, 2, 10),
    date(2026, 11, 30): date(2026, 12, 10),
    date(2026, 12, 31): date(2027, 1, 10),
    date(2027, 2, 28): date(2027, 3, 10),
    date(2028, 2, 19): date(2028, 2, 29),
    date(2028, 2, 28): date(2028, 3, 9),
    date(2028, 2, 29): date(2028, 3, 10),
}

# Day a unit is received from the vendor: the last day a failure is within the
# vendor's 12-month warranty.
SUPPLIER_WARRANTIES = {
    date(2026, 1, 31): date(2027, 1, 30),
    date(2026, 11, 30): date(2027, 11, 29),
    date(2026, 12, 31): date(2027, 12, 30),
    date(2027, 2, 28): date(2028, 2, 27),
    date(2027, 3, 1): date(2028, 2, 29),
    date(2028, 2, 29): date(2029, 2, 27),
}


def on(day, hour=10):
    """Freeze the clock at ``hour`` o'clock (UTC) on ``day``."""
    return freeze_time(datetime.combine(day, time(hour)))


class TestDates(ClaimCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The terms the tables above are computed with.
        cls.env.company.write(
            {
                "aftersales_legal_warranty_months": 0,
                "aftersales_warranty_reminder_days": 30,
                "aftersales_service_days": 45,
                "aftersales_loan_days": 14,
                "aftersales_claim_response_days": 10,
            }
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _unit(self):
        """The serial of an espresso machine delivered to the customer today."""
        return self._deliver([(self.product_serial, 1)]).warranty_ids.lot_id

    def _mails(self, record):
        """The emails sent to the customer about ``record``."""
        return (
            self.env["mail.mail"]
            .search([("model", "=", record._name), ("res_id", "=", record.id)])
            .filtered(lambda mail: self.customer in mail.recipient_ids)
        )

    def _activities(self, record, summary):
        return record.activity_ids.filtered(lambda activity: activity.summary == summary)

    # ------------------------------------------------------------------
    # Warranties
    # ------------------------------------------------------------------

    def test_registration_and_extensions(self):
        for day, (end, bulk_end, extended_end, (sold_end, sold_bulk_end)) in REGISTRATIONS.items():
            with self.subTest(day=day), on(day):
                order = self._deliver([(self.product_serial, 1), (self.product_bulk, 1)])
                warranty = order.warranty_ids.filtered(
                    lambda w: w.product_id == self.product_serial
                )
                bulk = order.warranty_ids - warranty
                self.assertEqual(
                    (warranty.date_start, warranty.months, warranty.date_end), (day, 24, end)
                )
                self.assertEqual((bulk.date_start, bulk.months, bulk.date_end), (day, 12, bulk_end))

                warranty.with_user(self.as_manager).extend(6, "Goodwill")
                self.assertEqual(warranty.date_end, extended_end)
                self.assertEqual(bulk.date_end, bulk_end, "only the extended warranty changes")

                order.order_line = [Command.create({"product_id": self.product_extension.id})]
                self.assertEqual((warranty.extension_months, bulk.extension_months), (18, 12))
                self.assertEqual((warranty.date_end, bulk.date_end), (sold_end, sold_bulk_end))
                self.assertEqual(order.warranty_ids.mapped("date_start"), [day, day])

    def test_registration_day_is_the_local_day_of_the_delivery(self):
        # 11:30 UTC on New Year's Eve is already New Year's Day in Auckland;
        # 05:00 UTC on New Year's Day is still New Year's Eve in Los Angeles.
        for tz, moment, start, end in (
            ("Pacific/Auckland", "2026-12-31 11:30:00", date(2027, 1, 1), date(2028, 12, 31)),
            ("UTC", "2026-12-31 11:30:00", date(2026, 12, 31), date(2028, 12, 30)),
            ("America/Los_Angeles", "2027-01-01 05:00:00", date(2026, 12, 31), date(2028, 12, 30)),
        ):
            with self.subTest(tz=tz), freeze_time(moment):
                self.stock_user.tz = tz
                order = self._sell([(self.product_serial, 1)])
                self._validate(order.picking_ids, self.stock_user)
                warranty = order.warranty_ids
                self.assertEqual((warranty.date_start, warranty.date_end), (start, end))

    def test_expiry_reminder_and_check_serial(self):
        cron = self.env["aftersales.warranty"]._cron_expire_and_remind
        date_format = self.env["res.lang"]._lang_get(self.customer.lang or "en_US").date_format
        for end, (start, reminder_day, _extended) in EXPIRIES.items():
            with self.subTest(day=end):
                with on(start):
                    warranty = self._deliver([(self.product_serial, 1)]).warranty_ids
                serial = warranty.lot_id.name
                self.assertEqual((warranty.date_start, warranty.date_end), (start, end))

                with on(reminder_day - ONE_DAY):
                    _expired, reminded = cron()
                self.assertNotIn(warranty, reminded)
                self.assertFalse(warranty.reminder_sent, "31 days before the end is too early")
                with on(reminder_day):
                    _expired, reminded = cron()
                self.assertIn(warranty, reminded)
                mail = self._mails(warranty)
                self.assertEqual(len(mail), 1)
                self.assertIn(end.strftime(date_format), mail.subject)

                with on(end):
                    expired, reminded = cron()
                    self.assertEqual(self.Warranty.check_serial(serial)["state"], "active")
                self.assertNotIn(warranty, expired)
                self.assertNotIn(warranty, reminded)
                self.assertEqual(warranty.state, "active", "covered on its last day")
                with on(end + ONE_DAY):
                    self.assertEqual(self.Warranty.check_serial(serial)["state"], "expired")
                    expired, reminded = cron()
                self.assertIn(warranty, expired)
                self.assertEqual(warranty.state, "expired")
                self.assertEqual(len(self._mails(warranty)), 1, "reminded once")

                for day, state in ((end, "active"), (end + ONE_DAY, "expired")):
                    for value in (day, str(day)):
                        result = self.Warranty.check_serial(serial, value)
                        self.assertEqual(
                            (result["state"], result["date_end"], result["warranty_id"]),
                            (state, end, warranty.id),
                            f"on {value!r}",
                        )

    def test_expired_warranty_revived_by_an_extension(self):
        cron = self.env["aftersales.warranty"]._cron_expire_and_remind
        for end, (start, _reminder_day, extended_end) in EXPIRIES.items():
            with self.subTest(day=end):
                with on(start):
                    warranty = self._deliver([(self.product_serial, 1)]).warranty_ids
                with on(end + ONE_DAY):
                    cron()
                self.assertEqual(warranty.state, "expired")
                # Extended on the day the extension ends: covered again, for that day.
                with on(extended_end):
                    warranty.with_user(self.as_manager).extend(1, "Goodwill")
                    self.assertEqual((warranty.state, warranty.date_end), ("active", extended_end))
                    cron()
                self.assertEqual(warranty.state, "active")
                with on(extended_end + ONE_DAY):
                    cron()
                self.assertEqual(warranty.state, "expired")
                with on(date(2030, 1, 1)):
                    warranty.with_user(self.as_manager).extend(1, "Goodwill")
                self.assertEqual(warranty.state, "expired", "extended, it still ended long ago")

    def test_coverage_decided_on_the_day_the_goods_arrive(self):
        for end, (start, _reminder_day, _extended) in EXPIRIES.items():
            with self.subTest(day=end):
                with on(start):
                    last_day, day_after = self._deliver([(self.product_serial, 2)]).warranty_ids
                with on(end):
                    covered = self._new_order(lot=last_day.lot_id)
                    late = self._new_order(lot=day_after.lot_id)
                    self._receive(covered)
                self.assertEqual(late.coverage, "warranty", "as of the last covered day")
                with on(end + ONE_DAY):
                    self._receive(late)
                self.assertEqual(covered.date_received, datetime.combine(end, time(10)))
                self.assertEqual((covered.coverage, covered.cost_bearer), ("warranty", "company"))
                self.assertEqual((late.coverage, late.cost_bearer), ("paid", "customer"))

    # ------------------------------------------------------------------
    # Service deadlines
    # ------------------------------------------------------------------

    def test_service_deadline_and_late_job(self):
        ServiceOrder = self.env["aftersales.service.order"]
        for service_days, column in ((45, 0), (1, 1)):
            self.env.company.aftersales_service_days = service_days
            for day, deadlines in DEADLINES.items():
                deadline = deadlines[column]
                with self.subTest(service_days=service_days, day=day):
                    with on(day):
                        order = self._new_order(lot=self._unit(), user_id=self.as_user.id)
                        self._receive(order)
                    self.assertEqual(order.date_deadline, deadline)

                    with on(deadline):
                        order.invalidate_recordset(["is_late"])
                        self.assertFalse(order.is_late)
                        self.assertNotIn(order, ServiceOrder.search([("is_late", "=", True)]))
                        self.assertNotIn(order, ServiceOrder._cron_flag_late())
                    with on(deadline + ONE_DAY):
                        order.invalidate_recordset(["is_late"])
                        self.assertTrue(order.is_late)
                        self.assertIn(order, ServiceOrder.search([("is_late", "=", True)]))
                        self.assertIn(order, ServiceOrder._cron_flag_late())
                        ServiceOrder._cron_flag_late()
                    activity = self._activities(order, "Service deadline passed")
                    self.assertEqual(len(activity), 1, "flagged once")
                    self.assertEqual(activity.user_id, self.as_user)

    # ------------------------------------------------------------------
    # Loans
    # ------------------------------------------------------------------

    def test_loan_due_day_and_overdue_job(self):
        Loan = self.env["aftersales.loan"]
        for day, due in LOANS.items():
            with self.subTest(day=day):
                with on(day):
                    order = self._new_order(lot=self._unit())
                    self._receive(order)
                    loaner = self._register_loaner()
                    with self.assertRaisesText(UserError, "in the past"):
                        order.action_lend(loaner, date_due=day - ONE_DAY)
                    self.assertFalse(order.loan_ids)
                    order.action_lend(loaner)
                    loan = order.loan_ids
                    self.assertEqual(loan.date_due, due)
                    self._validate(loan.picking_out_id, self.stock_user)
                self.assertEqual(loan.state, "lent")

                with on(due):
                    loan.invalidate_recordset(["is_overdue"])
                    self.assertFalse(loan.is_overdue)
                    self.assertNotIn(loan, Loan.search([("is_overdue", "=", True)]))
                    self.assertNotIn(loan, Loan._cron_remind_overdue())
                self.assertFalse(self._mails(loan))
                with on(due + ONE_DAY):
                    loan.invalidate_recordset(["is_overdue"])
                    self.assertTrue(loan.is_overdue)
                    self.assertIn(loan, Loan.search([("is_overdue", "=", True)]))
                    self.assertIn(loan, Loan._cron_remind_overdue())
                    Loan._cron_remind_overdue()
                self.assertEqual(len(self._mails(loan)), 1, "the customer is reminded once")
                self.assertEqual(len(self._activities(loan, "Loaner not returned")), 1)

    # ------------------------------------------------------------------
    # Supplier claims
    # ------------------------------------------------------------------

    def test_claim_response_deadline_and_overdue_job(self):
        Claim = self.env["aftersales.supplier.claim"]
        for day, deadline in CLAIM_DEADLINES.items():
            with self.subTest(day=day):
                with on(day):
                    order = self._new_order(lot=self._unit())
                    self._receive(order)
                    Claim.with_user(self.as_user).create_from_service_orders(order)
                    claim = Claim.search([("line_ids.service_order_id", "=", order.id)])
                    self._send(claim)
                self.assertEqual((claim.state, claim.date_deadline), ("sent", deadline))

                with on(deadline):
                    self.assertNotIn(claim, Claim._cron_flag_overdue())
                with on(deadline + ONE_DAY):
                    self.assertIn(claim, Claim._cron_flag_overdue())
                    Claim._cron_flag_overdue()
                activity = self._activities(claim, "Vendor has not answered the claim")
                self.assertEqual(len(activity), 1, "flagged once")

    def test_failure_within_the_vendor_warranty(self):
        Claim = self.env["aftersales.supplier.claim"].with_user(self.as_user)
        Line = self.env["aftersales.supplier.claim.line"]
        for received, last_day in SUPPLIER_WARRANTIES.items():
            with self.subTest(day=received):
                with on(received):
                    covered_lot, late_lot = self._receive_from_vendor(
                        self.vendor, f"SN-V-{received}-1", f"SN-V-{received}-2"
                    )
                    self._deliver_serial(covered_lot)
                    self._deliver_serial(late_lot)
                lines = Line
                for lot, failure_day in ((covered_lot, last_day), (late_lot, last_day + ONE_DAY)):
                    with on(failure_day):
                        order = self._new_order(lot=lot)
                        self._receive(order)
                        Claim.create_from_service_orders(order)
                        lines |= Line.search([("service_order_id", "=", order.id)])
                self.assertEqual(lines.mapped("date_received"), [received, received])
                self.assertEqual(lines.mapped("date_failure"), [last_day, last_day + ONE_DAY])
                self.assertEqual(lines.mapped("in_supplier_warranty"), [True, False])

    # ------------------------------------------------------------------
    # Regressions found by this file
    # ------------------------------------------------------------------

    def test_deadlines_kept_when_the_setting_changes(self):
        with on(date(2026, 3, 2)):
            order = self._new_order(lot=self._unit())
            self._receive(order)
            manual = self._new_order(lot=self._unit())
            self._receive(manual)
            manual.date_deadline = date(2026, 6, 30)
        self.assertEqual(order.date_deadline, date(2026, 4, 16))
        self.env.company.aftersales_service_days = 30
        self.env.flush_all()
        self.assertEqual(
            (order.date_deadline, manual.date_deadline), (date(2026, 4, 16), date(2026, 6, 30))
        )

    def test_no_reminder_once_the_warranty_ended(self):
        with on(date(2024, 2, 1)):
            ended = self.Warranty.browse(
                [self._deliver([(self.product_serial, 1)]).warranty_ids.id for _i in range(2)]
            )
        self.assertEqual(set(ended.mapped("date_end")), {date(2026, 1, 31)})
        with on(date(2026, 2, 15)):
            # One warranty a batch: the second is still "active" when the
            # reminders are sent, yet it has ended.
            self.Warranty._cron_expire_and_remind(batch_size=1)
        self.assertFalse(ended.filtered("reminder_sent"))
        self.assertFalse(self._mails(ended[0]) | self._mails(ended[1]))

    def test_check_serial_answers_with_the_warranty_of_that_day(self):
        with on(date(2026, 6, 1)):
            sale = self._deliver([(self.product_serial, 1)])
        first = sale.warranty_ids
        lot = first.lot_id
        check = self.Warranty.check_serial
        self.assertEqual(check(lot.name, "2026-05-31")["state"], False, "not delivered yet")
        self.assertEqual(check(lot.name, "2026-06-01")["state"], "active")
        # The unit comes back and is sold again a year later: a second warranty.
        with on(date(2027, 6, 1)):
            self._return(sale.picking_ids, {self.product_serial: 1}, lots=lot)
            self._deliver_serial(lot)
        second = self.Warranty.search([("lot_id", "=", lot.id)]) - first
        self.assertEqual(check(lot.name, "2027-07-01")["warranty_id"], second.id)
        self.assertEqual(check(lot.name, "2027-07-01")["state"], "active")

    def test_extension_reminds_again_before_the_new_end(self):
        with on(date(2024, 2, 1)):
            warranty = self._deliver([(self.product_serial, 1)]).warranty_ids
        with on(date(2026, 1, 10)):
            self.Warranty._cron_expire_and_remind()
            self.assertTrue(warranty.reminder_sent)
            warranty.with_user(self.as_manager).extend(12, "Goodwill")
            self.assertFalse(warranty.reminder_sent)
        with on(date(2027, 1, 10)):
            self.Warranty._cron_expire_and_remind()
        self.assertTrue(warranty.reminder_sent)
        self.assertEqual(len(self._mails(warranty)), 2)
