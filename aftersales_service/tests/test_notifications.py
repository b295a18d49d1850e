from freezegun import freeze_time

from .service_common import ServiceCommon


class TestCustomerEmails(ServiceCommon):
    """The customer hears from us at every step, from the company's address,
    in the document's chatter; each step's email can be switched off."""

    def _emails(self, record, subject):
        return record.message_ids.filtered(
            lambda m: m.message_type == "comment" and subject in (m.subject or "")
        )

    def _check_email(self, record, subject, attachment=None):
        [message] = self._emails(record, subject)
        self.assertIn(self.customer, message.partner_ids)
        if attachment:
            self.assertTrue(message.attachment_ids.name.startswith(attachment))
        return message

    def test_every_step_of_a_service_order(self):
        self.env.company.email = "service@example.com"
        order = self._new_order()
        self._receive(order)
        message = self._check_email(order, "we received your", attachment="Acceptance")
        self.assertIn("service@example.com", message.email_from)
        self._repair_with_part(order)
        self.assertEqual(order.state, "ready")
        self._check_email(order, "is ready")
        order.action_return_to_customer()
        self._validate(order._open_pickings("service_out"), self.stock_user)
        self.assertEqual(order.state, "done")
        self._check_email(order, "is back with you", attachment="Completion")
        self.assertEqual(len(self._emails(order, "we received your")), 1)

    def test_quotation_waits_for_approval(self):
        self.warranty.sudo().void("Dropped")
        order = self._new_order()
        self._receive(order)
        self.assertEqual(order.coverage, "paid")
        order.labour_hours = 1.0
        order.action_create_quotation()
        message = self._check_email(order, "your approval is needed")
        self.assertIn(order.sale_order_id.name, message.body)
        self.assertIn(order.sale_order_id.get_portal_url(), message.body)

    def test_switched_off_per_company(self):
        self.env.company.write(
            {"aftersales_mail_service_received": False, "aftersales_mail_service_ready": False}
        )
        order = self._new_order()
        self._receive(order)
        self._repair_with_part(order)
        self.assertFalse(self._emails(order, "we received your"))
        self.assertFalse(self._emails(order, "is ready"))

    def test_loaner_due_tomorrow_then_overdue(self):
        order = self._new_order()
        self._receive(order)
        loaner = self._register_loaner()
        with freeze_time("2026-05-01"):
            action = order.action_lend(loaner, date_due="2026-05-10")
            loan = self.env["aftersales.loan"].browse(action["res_id"])
            self._validate(loan.picking_out_id, self.stock_user)
        Loan = self.env["aftersales.loan"]
        with freeze_time("2026-05-08"):
            Loan._cron_remind_overdue()
            self.assertFalse(self._emails(loan, "is due back"))
        with freeze_time("2026-05-09"):
            Loan._cron_remind_overdue()
            Loan._cron_remind_overdue()
        self._check_email(loan, "is due back on")
        with freeze_time("2026-05-11"):
            Loan._cron_remind_overdue()
        self._check_email(loan, "please return the loaner")
        self.env.company.aftersales_mail_loan_overdue = False
        with freeze_time("2026-05-01"):
            action = order.action_lend(self._register_loaner(), date_due="2026-05-05")
            other = self.env["aftersales.loan"].browse(action["res_id"])
            self._validate(other.picking_out_id, self.stock_user)
        with freeze_time("2026-05-12"):
            self.assertIn(other, Loan._cron_remind_overdue())
        self.assertFalse(self._emails(other, "please return"))
        self.assertTrue(other.reminder_sent)
