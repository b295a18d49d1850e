from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from .common import AftersalesCommon


class TestWarrantyCron(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-01-10"):
            cls.order = cls._deliver([(cls.product_serial, 2)])
        cls.warranties = cls.order.warranty_ids

    def _reminders(self):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "aftersales.warranty"),
                ("res_id", "in", self.warranties.ids),
            ]
        )

    def test_expiry_and_reminder_once(self):
        self.assertEqual(self.warranties.mapped("date_end"), [date(2028, 1, 9)] * 2)
        with freeze_time("2027-12-01"):
            self.Warranty._cron_expire_and_remind()
        self.assertEqual(self.warranties.mapped("state"), ["active", "active"])
        self.assertFalse(self._reminders(), "39 days before the end is too early")

        with freeze_time("2027-12-15"):
            self.Warranty._cron_expire_and_remind()
        reminders = self._reminders()
        self.assertEqual(len(reminders), 2)
        self.assertEqual(reminders.recipient_ids, self.customer)
        self.assertIn("2028", reminders[0].subject)
        self.assertTrue(all(self.warranties.mapped("reminder_sent")))

        with freeze_time("2027-12-16"):
            self.Warranty._cron_expire_and_remind()
        self.assertEqual(len(self._reminders()), 2, "a warranty is reminded once")

        with freeze_time("2028-01-09"):
            self.Warranty._cron_expire_and_remind()
        self.assertEqual(self.warranties.mapped("state"), ["active", "active"])
        with freeze_time("2028-01-10"):
            self.Warranty._cron_expire_and_remind()
        self.assertEqual(self.warranties.mapped("state"), ["expired", "expired"])

    def test_reminder_disabled(self):
        self.env.company.aftersales_warranty_reminder_days = 0
        with freeze_time("2028-01-01"):
            self.Warranty._cron_expire_and_remind()
        self.assertFalse(self._reminders())

    def test_batches_report_progress(self):
        cron = self.env.ref("aftersales_service.ir_cron_aftersales_warranty")
        self.env.company.aftersales_warranty_reminder_days = 0
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        Warranty = self.Warranty.with_context(ir_cron_progress_id=progress.id)
        with freeze_time("2028-02-01"):
            expired, _reminded = Warranty._cron_expire_and_remind(batch_size=1)
            self.assertEqual(len(expired), 1)
            self.assertEqual((progress.done, progress.remaining), (1, 1))
            expired, _reminded = Warranty._cron_expire_and_remind(batch_size=1)
            self.assertEqual((progress.done, progress.remaining), (1, 0))
        self.assertEqual(self.warranties.mapped("state"), ["expired", "expired"])

    def test_a_crashed_run_resumes_without_sending_twice(self):
        # Five warranties due for their reminder, two per run; the second run
        # crashes while sending: its batch is rolled back, the next runs take
        # it again and go on, and every customer gets exactly one reminder.
        with freeze_time("2026-01-10"):
            self.warranties |= self._deliver([(self.product_serial, 3)]).warranty_ids
        template = type(self.env["mail.template"])
        send = template.send_mail_batch
        runs = []

        def crash_on_the_second_run(records, *args, **kwargs):
            runs.append(len(args[0]))
            if len(runs) == 2:
                raise RuntimeError("the worker died")
            return send(records, *args, **kwargs)

        with (
            freeze_time("2027-12-15"),
            patch.object(template, "send_mail_batch", crash_on_the_second_run),
        ):
            self.Warranty._cron_expire_and_remind(batch_size=2)
            with self.assertRaises(RuntimeError), self.env.cr.savepoint():
                self.Warranty._cron_expire_and_remind(batch_size=2)
            self.env.invalidate_all()
            self.assertEqual(len(self._reminders()), 2, "the crashed batch sent nothing")
            while self.Warranty.search_count([("reminder_sent", "=", False)]):
                self.Warranty._cron_expire_and_remind(batch_size=2)
        self.assertEqual(runs, [2, 2, 2, 1])
        reminders = self._reminders()
        self.assertEqual(len(reminders), 5)
        self.assertEqual(sorted(reminders.mapped("res_id")), sorted(self.warranties.ids))
