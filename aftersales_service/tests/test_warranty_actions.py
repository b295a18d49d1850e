from datetime import date

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form

from .common import AftersalesCommon


class TestWarrantyActions(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._deliver([(cls.product_serial, 1)])
        cls.warranty = cls.order.warranty_ids.with_user(cls.as_manager)

    def test_void_by_manager(self):
        self.warranty.void("Seal broken")
        self.assertEqual(self.warranty.state, "void")
        self.assertEqual(self.warranty.void_reason, "Seal broken")
        self.assertEqual(self.warranty.void_user_id, self.as_manager)
        self.assertEqual(self.warranty.void_date, fields.Date.context_today(self.warranty))
        self.assertIn("Seal broken", self.warranty.message_ids[0].body)

    def test_void_through_the_wizard(self):
        action = self.warranty.action_open_void_wizard()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.as_manager)
            .with_context(**action["context"])
        )
        wizard.reason = "Unit opened by a third party"
        wizard.save().action_void()
        self.assertEqual(self.warranty.state, "void")
        self.assertEqual(self.warranty.void_reason, "Unit opened by a third party")

    def test_void_requires_a_reason(self):
        with self.assertRaisesText(UserError, "reason"):
            self.warranty.void("   ")
        self.assertEqual(self.warranty.state, "active")
        self.assertFalse(self.warranty.void_reason)

    def test_void_twice_is_refused(self):
        self.warranty.void("Seal broken")
        with self.assertRaisesText(UserError, "already void"):
            self.warranty.void("Again")
        self.assertEqual(self.warranty.void_reason, "Seal broken")

    def test_extend(self):
        start = self.warranty.date_start
        self.warranty.extend(6, "Goodwill")
        self.assertEqual(self.warranty.extension_months, 6)
        # 24 months of terms + 6 of extension, counted from the delivery day.
        self.assertEqual(self.warranty.date_end, start + relativedelta(months=30, days=-1))
        self.assertIn("Goodwill", self.warranty.message_ids[0].body)

    def test_extend_through_the_wizard(self):
        action = self.warranty.action_open_extend_wizard()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.as_manager)
            .with_context(**action["context"])
        )
        wizard.months = 3
        wizard.reason = "Repeated failure"
        wizard.save().action_extend()
        self.assertEqual(self.warranty.extension_months, 3)

    def test_extend_bad_input(self):
        for months in (0, -3, 1.5):
            with self.assertRaisesText(UserError, "positive number of months"):
                self.warranty.extend(months, "Goodwill")
        with self.assertRaisesText(UserError, "reason"):
            self.warranty.extend(6, "")
        self.warranty.void("Seal broken")
        with self.assertRaisesText(UserError, "Void warranties cannot be extended"):
            self.warranty.extend(6, "Goodwill")
        self.assertEqual(self.warranty.extension_months, 0)

    def test_extend_revives_an_expired_warranty(self):
        end = self.warranty.date_end
        with freeze_time(end + relativedelta(days=10)):
            self.Warranty._cron_expire_and_remind()
            self.assertEqual(self.warranty.state, "expired")
            self.warranty.extend(1, "Goodwill")
            self.assertEqual(self.warranty.state, "active")

    def test_negative_months_refused(self):
        with self.assertRaisesText(ValidationError, "cannot be negative"):
            self.warranty.write({"months": -1})
        with self.assertRaisesText(ValidationError, "cannot be negative"):
            self.product_bulk.warranty_months = -2
        with self.assertRaisesText(ValidationError, "at least one month"):
            self.product_extension.warranty_extension_months = 0
        self.assertEqual(self.warranty.months, 24)

    def test_serial_of_another_product_refused(self):
        lot = self._put_in_stock(self.product_serial, 1)
        with self.assertRaisesText(ValidationError, "belongs to Espresso Machine"):
            self.Warranty.with_user(self.as_manager).create(
                {
                    "partner_id": self.customer.id,
                    "product_id": self.product_bulk.id,
                    "lot_id": lot.id,
                    "months": 12,
                }
            )

    def test_second_active_warranty_on_a_serial_refused(self):
        with self.assertRaisesText(ValidationError, "already have an active warranty"):
            self.Warranty.with_user(self.as_manager).create(
                {
                    "partner_id": self.customer.id,
                    "product_id": self.product_serial.id,
                    "lot_id": self.warranty.lot_id.id,
                    "months": 12,
                }
            )

    def test_serial_of_an_active_warranty_refused_on_another(self):
        # A manual warranty without serial is given one that is taken: refused
        # with the warranty that holds it, before the database's index.
        lot = self._put_in_stock(self.product_serial, 1)
        other = self.Warranty.with_user(self.as_manager).create(
            {"partner_id": self.customer.id, "product_id": self.product_serial.id, "months": 12}
        )
        with self.assertRaisesText(ValidationError, self.warranty.name):
            other.write({"lot_id": self.warranty.lot_id.id})
        other.write({"lot_id": lot.id})
        self.assertEqual(other.lot_id, lot)

    def test_terms_are_sanitized_on_create_and_write(self):
        # Sanitized by create and write, not by the field: nothing a manager
        # types runs in the certificate or the portal.
        typed = '<p onclick="steal()">Covered<script>steal()</script></p>'
        warranty = self.Warranty.with_user(self.as_manager).create(
            {
                "partner_id": self.customer.id,
                "product_id": self.product_bulk.id,
                "months": 12,
                "terms": typed,
            }
        )
        self.assertEqual(warranty.terms, "<p>Covered</p>")
        warranty.write({"terms": typed.replace("Covered", "Parts")})
        self.assertEqual(warranty.terms, "<p>Parts</p>")
        # A delivery copies its product's terms, which the product sanitized.
        self.assertEqual(self.warranty.terms, self.product_serial.warranty_terms)

    def test_manual_registration_through_the_form(self):
        # The end date is computed as the manager types, and never sent.
        lot = self._put_in_stock(self.product_serial, 1)
        form = Form(self.Warranty.with_user(self.as_manager))
        form.partner_id = self.customer
        form.product_id = self.product_serial
        form.lot_id = lot
        form.date_start = date(2025, 3, 1)
        form.months = 12
        self.assertEqual(form.date_end, date(2026, 2, 28))
        warranty = form.save()
        self.assertEqual((warranty.date_end, warranty.state), (date(2026, 2, 28), "active"))

    def test_manual_registration_of_an_older_sale(self):
        lot = self._put_in_stock(self.product_serial, 1)
        warranty = self.Warranty.with_user(self.as_manager).create(
            {
                "partner_id": self.customer.id,
                "product_id": self.product_serial.id,
                "lot_id": lot.id,
                "date_start": "2025-03-01",
                "months": 24,
            }
        )
        self.assertTrue(warranty.name.startswith("WAR/"))
        self.assertEqual(str(warranty.date_end), "2027-02-28")
        warranty.unlink()
        with self.assertRaisesText(UserError, "void it instead"):
            self.warranty.unlink()
