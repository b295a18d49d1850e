import psycopg2
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tools import mute_logger

from .service_common import ServiceCommon


class TestLoaners(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loaners_location = cls.warehouse.aftersales_loaner_loc_id
        cls.loaner_lots = cls._put_in_stock(cls.loaner_product, 2)
        cls.Loaner = cls.env["aftersales.loaner"].with_user(cls.as_user)
        cls.loaner = cls._register_loaner(cls.loaner_lots[0])
        cls.order = cls._new_order()
        cls._receive(cls.order)

    def _loan_of(self, action):
        """The loan that ``action_lend`` opened (its form action)."""
        self.assertEqual(action["res_model"], "aftersales.loan")
        return self.env["aftersales.loan"].with_user(self.as_user).browse(action["res_id"])

    def _lend(self, loaner=None, **kwargs):
        loan = self._loan_of(self.order.action_lend(loaner or self.loaner, **kwargs))
        self._validate(loan.picking_out_id, self.stock_user)
        return loan

    def test_register_moves_the_serial_into_loaners(self):
        lot = self.loaner_lots[1]
        loaner = self.Loaner.create({"lot_id": lot.id})
        self.assertEqual(loaner.picking_id.location_dest_id, self.loaners_location)
        self.assertEqual(loaner.picking_id.move_line_ids.lot_id, lot)
        self.assertFalse(loaner.in_loaners)
        with self.assertRaisesText(UserError, "not in the Loaners location"):
            self.order.action_lend(loaner)
        self.assertFalse(self.order.loan_ids)
        self._validate(loaner.picking_id, self.stock_user)
        loaner.invalidate_recordset(["in_loaners"])
        self.assertTrue(loaner.in_loaners)
        self.assertEqual(
            self._lot_quants(lot), {self.loaners_location: (1.0, self.env["res.partner"])}
        )

    def test_register_a_serial_not_in_stock_refused(self):
        lot = self.env["stock.lot"].create(
            {"name": "LN-GHOST", "product_id": self.loaner_product.id}
        )
        with self.assertRaisesText(UserError, "not in the company's stock"):
            self.Loaner.create({"lot_id": lot.id})
        self.assertFalse(self.env["aftersales.loaner"].search([("lot_id", "=", lot.id)]))

    def test_lend_and_return_through_transfers(self):
        loan = self._loan_of(self.order.action_lend(self.loaner, condition_out="Like new"))
        self.assertEqual((loan.state, self.loaner.state), ("draft", "lent"))
        self.assertEqual(loan.partner_id, self.customer)
        self.assertEqual(
            loan.picking_out_id.picking_type_id, self.warehouse.aftersales_loan_out_type_id
        )
        self._validate(loan.picking_out_id, self.stock_user)
        self.assertEqual(loan.state, "lent")
        self.assertTrue(loan.date_out)
        self.assertEqual((self.customer.loan_count, self.loaner.lot_id.loan_count), (1, 1))
        self.assertEqual(self._lot_quants(self.loaner.lot_id), {}, "the loaner is at the customer")
        self.assertFalse(
            self.Warranty.search([("lot_id", "=", self.loaner.lot_id.id)]),
            "lending registers no warranty",
        )
        self.assertIs(loan.action_return("Scratched lid"), True)
        receipt = loan.picking_in_id
        self.assertEqual(receipt.location_dest_id, self.loaners_location)
        self._validate(receipt, self.stock_user)
        self.assertEqual(loan.state, "returned")
        self.assertEqual(loan.condition_in, "Scratched lid")
        self.assertEqual(self.loaner.state, "available")
        self.assertEqual(
            self._lot_quants(self.loaner.lot_id),
            {self.loaners_location: (1.0, self.env["res.partner"])},
        )
        with self.assertRaisesText(UserError, "Only a lent loan can be returned"):
            loan.action_return()

    def test_return_needing_maintenance(self):
        loan = self._lend()
        loan.action_return("Steam wand bent", needs_maintenance=True)
        self._validate(loan.picking_in_id, self.stock_user)
        self.assertEqual(self.loaner.state, "maintenance")
        with self.assertRaisesText(UserError, "is not available"):
            self.order.action_lend(self.loaner)
        self.loaner.action_set_available()
        self.assertEqual(self.loaner.state, "available")

    def test_never_lent_twice(self):
        self._lend()
        other = self._new_order(lot=self._deliver([(self.product_serial, 1)]).warranty_ids.lot_id)
        self._receive(other)
        with self.assertRaisesText(UserError, "is not available"):
            other.action_lend(self.loaner)
        self.assertFalse(other.loan_ids)
        # The database refuses a second open loan even behind the code's back.
        with self.assertRaises(psycopg2.errors.UniqueViolation), mute_logger("odoo.sql_db"):
            self.env.cr.execute(
                """
                INSERT INTO aftersales_loan
                    (name, company_id, loaner_id, partner_id, date_due, state)
                VALUES ('X', %s, %s, %s, now(), 'draft')
                """,
                [self.env.company.id, self.loaner.id, self.customer.id],
            )

    def test_overdue_reminder_once(self):
        with freeze_time("2026-05-01"):
            loan = self._lend(date_due="2026-05-10")
        with freeze_time("2026-05-10"):
            self.assertFalse(self.env["aftersales.loan"]._cron_remind_overdue())
        with freeze_time("2026-05-11"):
            self.assertEqual(self.env["aftersales.loan"]._cron_remind_overdue(), loan)
            self.env["aftersales.loan"]._cron_remind_overdue()
        activities = loan.activity_ids.filtered(lambda a: a.summary == "Loaner not returned")
        self.assertEqual(len(activities), 1)
        mails = (
            self.env["mail.mail"]
            .search([("model", "=", "aftersales.loan"), ("res_id", "=", loan.id)])
            .filtered(lambda mail: self.customer in mail.recipient_ids)
        )
        self.assertEqual(len(mails), 1, "the customer is reminded once")
        self.assertIn("please return the loaner", mails.subject)

    def test_lost_loaner_scrapped_and_invoiced(self):
        loan = self._lend()
        with self.assertRaises(AccessError):
            loan.action_mark_lost(invoice=True)
        self.assertEqual(loan.state, "lent")
        loan.with_user(self.as_manager).action_mark_lost(invoice=True)
        self.assertEqual(loan.state, "lost")
        self.assertEqual(self.loaner.state, "retired")
        scrapped = self.env["stock.quant"].search(
            [
                ("lot_id", "=", self.loaner.lot_id.id),
                ("location_id.scrap_location", "=", True),
            ]
        )
        self.assertEqual(scrapped.quantity, 1.0)
        self.assertEqual(loan.invoice_id.move_type, "out_invoice")
        self.assertEqual(loan.invoice_id.partner_id, self.customer)
        self.assertAlmostEqual(loan.invoice_id.amount_untaxed, 250.0)

    def test_service_order_waits_for_the_loaner(self):
        loan = self._lend()
        self.order.action_no_fault_found()
        with self.assertRaisesText(UserError, "still out"):
            self.order.action_return_to_customer()
        with self.assertRaises(AccessError):
            self.order.action_return_to_customer_anyway()
        self.assertFalse(self.order.return_picking_id)
        self.order.with_user(self.as_manager).action_return_to_customer_anyway()
        delivery = self.order.return_picking_id
        self.assertEqual(delivery.location_dest_id, self.customers)
        self.assertEqual(loan.state, "lent")

    def test_service_order_returned_once_the_loaner_is_back(self):
        loan = self._lend()
        loan.action_return()
        self._validate(loan.picking_in_id, self.stock_user)
        self.order.action_no_fault_found()
        self.order.action_return_to_customer()
        self._validate(self.order.return_picking_id, self.stock_user)
        self.assertEqual(self.order.state, "done")

    def test_retire_is_for_managers(self):
        with self.assertRaises(AccessError):
            self.loaner.action_retire()
        self._lend()
        with self.assertRaisesText(UserError, "lent"):
            self.loaner.with_user(self.as_manager).action_retire()

    def test_lend_screen_offers_same_product_first(self):
        other_category = self.env["product.category"].create({"name": "Grinders"})
        same = self.loaner
        similar_product = self.env["product.product"].create(
            {
                "name": "Compact Espresso",
                "is_storable": True,
                "tracking": "serial",
                "categ_id": self.product_serial.categ_id.id,
            }
        )
        unrelated_product = self.env["product.product"].create(
            {
                "name": "Loaner Grinder",
                "is_storable": True,
                "tracking": "serial",
                "categ_id": other_category.id,
            }
        )
        similar = self._register_loaner(self._put_in_stock(similar_product, 1))
        unrelated = self._register_loaner(self._put_in_stock(unrelated_product, 1))
        action = self.order.action_open_lend_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.as_user)
            .with_context(**action["context"])
            .create({})
        )
        self.assertIn(same, wizard.allowed_loaner_ids)
        self.assertIn(similar, wizard.allowed_loaner_ids)
        self.assertNotIn(unrelated, wizard.allowed_loaner_ids)
        wizard.loaner_id = similar
        wizard.action_lend()
        self.assertEqual(self.order.loan_ids.loaner_id, similar)

    def test_agreement_and_utilisation(self):
        loan = self._lend()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("aftersales_service.action_report_loan_agreement", loan.ids)[0]
            .decode()
        )
        self.assertIn(self.loaner.lot_id.name, html)
        self.assertIn("250.00", html)
        self.env.flush_all()
        report = self.env["aftersales.loaner.report"].search([("loaner_id", "=", self.loaner.id)])
        self.assertEqual(report.loan_count, 1)
        self.assertGreaterEqual(report.days_in_service, 1.0)
