from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError

from .service_common import ServiceCommon


class TestServiceMoney(ServiceCommon):
    def test_paid_order_is_quoted_and_invoiced(self):
        order = self._new_order(labour_hours=1.5)
        with freeze_time(self.warranty.date_end.replace(year=self.warranty.date_end.year + 1)):
            self._receive(order)
            self.assertEqual(order.coverage, "paid", "the warranty ended before the goods came")
            self.assertEqual(order.cost_bearer, "customer")
            repair = self._repair_with_part(order, quantity=2)
            self.assertFalse(repair.under_warranty)
            order.action_create_quotation()
        quote = order.sale_order_id
        self.assertEqual(quote.partner_id, self.customer)
        self.assertEqual(quote.origin, order.name)
        lines = {line.product_id: line.product_uom_qty for line in quote.order_line}
        self.assertEqual(
            lines, {self.diagnosis_product: 1.0, self.labour_product: 1.5, self.part: 2.0}
        )
        quote.action_confirm()
        self.assertFalse(
            quote.picking_ids, "the parts were consumed by the repair, not delivered again"
        )
        invoice = quote._create_invoices()
        invoice.action_post()
        self.assertEqual(order.invoice_ids, invoice)
        self.assertIn(order.name, invoice.invoice_origin)
        self.assertAlmostEqual(invoice.amount_untaxed, 35.0 + 1.5 * 60.0 + 2 * 15.0)
        self.assertEqual(order.invoice_status, "invoiced")
        self.assertEqual(order.cost_labour, 1.5 * 40.0)
        self.assertEqual(order.cost_parts, 16.0)
        self.assertEqual(order.cost_total, 76.0)

    def test_warranty_order_is_not_quoted(self):
        order = self._new_order()
        self._receive(order)
        with self.assertRaisesText(UserError, "not quoted"):
            order.action_create_quotation()
        self.assertFalse(order.sale_order_id)

    def test_coverage_override_is_for_managers(self):
        order = self._new_order()
        self._receive(order)
        with self.assertRaises(AccessError):
            order.action_override_coverage("paid", "Water damage")
        self.assertEqual(order.coverage, "warranty")
        as_manager = order.with_user(self.as_manager)
        with self.assertRaisesText(UserError, "reason for the override is required"):
            as_manager.action_override_coverage("paid", " ")
        as_manager.action_override_coverage("paid", "Water damage, not covered")
        self.assertEqual(order.coverage, "paid")
        self.assertEqual(order.cost_bearer, "customer")
        self.assertIn("Water damage", order.message_ids[0].body)
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = order.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "coverage"
        )
        self.assertTrue(tracked)

    def test_goodwill_through_the_wizard(self):
        order = self._new_order()
        action = order.action_open_coverage_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.as_manager)
            .with_context(**action["context"])
            .create({"coverage": "goodwill", "note": "Loyal customer"})
        )
        wizard.action_apply()
        self.assertEqual(order.coverage, "goodwill")
        self._receive(order)
        self.assertEqual(order.coverage, "goodwill", "an override survives the receipt")
