from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError

from .claim_common import ClaimCommon


class TestSupplierClaims(ClaimCommon):
    def test_vendor_from_the_serial_receipt(self):
        order = self._replaced_order()
        claim = self._new_claim(order)
        self.assertEqual(claim.partner_id, self.vendor)
        line = claim.line_ids
        self.assertEqual((line.lot_id, line.service_order_id), (order.lot_id, order))
        self.assertEqual(line.price_unit, 360.0)
        self.assertEqual(line.date_received, date.today())
        self.assertEqual(line.supplier_warranty_months, 12)
        self.assertTrue(line.in_supplier_warranty)
        self.assertEqual(claim.amount_claimed, 360.0)
        self.assertTrue(claim.name.startswith("CLM/"))

    def test_vendor_from_the_product_vendor_lines(self):
        order = self._new_order()  # the unit's serial never came through a vendor receipt
        claim = self._new_claim(order)
        self.assertEqual(claim.partner_id, self.other_vendor)
        self.assertEqual(claim.line_ids.price_unit, 300.0)
        self.assertFalse(claim.line_ids.in_supplier_warranty, "no receipt date: no warranty basis")

    def test_supplier_warranty_expired(self):
        with freeze_time("2024-01-15"):
            lot = self._receive_from_vendor(self.vendor, "SN-OLD")
        order = self._new_order(lot=lot, partner_id=self.customer.id)
        claim = self._new_claim(order)
        self.assertEqual(claim.line_ids.date_received, date(2024, 1, 15))
        self.assertFalse(claim.line_ids.in_supplier_warranty)

    def test_grouped_by_vendor(self):
        orders = (
            self._replaced_order(name="SN-A1")
            | self._replaced_order(name="SN-A2")
            | self._replaced_order(self.other_vendor, name="SN-B1")
        )
        action = orders.action_create_supplier_claims()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.as_user)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(len(wizard.line_ids), 3)
        wizard.action_create()
        claims = self.env["aftersales.supplier.claim"].search(
            [("line_ids.service_order_id", "in", orders.ids)]
        )
        self.assertEqual(len(claims), 2)
        by_vendor = {claim.partner_id: len(claim.line_ids) for claim in claims}
        self.assertEqual(by_vendor, {self.vendor: 2, self.other_vendor: 1})
        self.assertEqual(orders[0].supplier_claim_count, 1)
        self.assertEqual(self.vendor.supplier_claim_count, 1)

    def test_letter_renders_with_amounts(self):
        claim = self._new_claim(self._replaced_order())
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("aftersales_service.action_report_supplier_claim", claim.ids)[0]
            .decode()
        )
        self.assertIn("SN-V-1", html)
        self.assertIn("360.00", html)
        self.assertIn("Within", html)

    def test_send_is_for_managers_and_sets_the_deadline(self):
        claim = self._new_claim(self._replaced_order())
        with self.assertRaises(AccessError):
            claim.action_send()
        with freeze_time("2026-06-01"):
            self._send(claim)
        self.assertEqual(claim.state, "sent")
        self.assertEqual(claim.date_deadline, date(2026, 6, 11))
        message = claim.message_ids.filtered(lambda m: m.attachment_ids)[:1]
        self.assertTrue(message.attachment_ids.name.startswith("Claim - CLM"))

    def test_return_goods_moves_the_units_to_the_vendor(self):
        order = self._replaced_order()
        claim = self._new_claim(order)
        self.assertIs(claim.action_return_goods(), True)
        delivery = claim.picking_ids
        self.assertEqual(delivery.aftersales_transfer_kind, "vendor_return")
        self.assertEqual(delivery.partner_id, self.vendor)
        self.assertEqual(delivery.picking_type_id, self.warehouse.aftersales_vendor_return_type_id)
        self._validate(delivery, self.stock_user)
        self.assertEqual(self._lot_quants(order.lot_id), {}, "the unit left for the vendor")
        self.assertEqual(claim.picking_count, 1)

    def test_customer_owned_unit_cannot_go_back(self):
        order = self._new_order()
        self._receive(order)
        claim = self._new_claim(order)
        with self.assertRaisesText(UserError, "still belongs to the customer Alice Customer"):
            claim.action_return_goods()
        self.assertFalse(claim.picking_ids)

    def test_accept_credit_note_and_settle(self):
        order = self._replaced_order()
        claim = self._new_claim(order)
        self._send(claim)
        with self.assertRaises(AccessError):
            claim.action_accept(300.0)
        as_manager = claim.with_user(self.as_manager)
        with self.assertRaisesText(UserError, "more than was claimed"):
            as_manager.action_accept(400.0)
        as_manager.action_accept(300.0)
        self.assertEqual(claim.state, "accepted")
        self.assertEqual(order.cost_bearer, "supplier")
        claim.action_create_credit_note()
        self.assertEqual(claim.credit_note_count, 1)
        credit_note = claim.sudo().credit_note_ids
        self.assertEqual(credit_note.move_type, "in_refund")
        self.assertEqual(credit_note.partner_id, self.vendor)
        self.assertEqual(credit_note.state, "draft")
        self.assertAlmostEqual(credit_note.amount_untaxed, 300.0)
        self.assertEqual(credit_note.invoice_line_ids.product_id, self.product_serial)
        self.assertEqual(claim.amount_recovered, 0.0, "a draft credit note recovers nothing")
        credit_note.invoice_date = date.today()
        credit_note.action_post()
        self.assertAlmostEqual(claim.amount_recovered, 300.0)
        self.assertEqual(claim.state, "settled")

    def test_replacement_received_into_stock_settles(self):
        claim = self._new_claim(self._replaced_order())
        self._send(claim)
        claim.with_user(self.as_manager).action_accept(360.0)
        on_hand = self.product_serial.qty_available
        self.assertIs(claim.action_receive_replacement(), True)
        receipt = claim.picking_ids
        self.assertEqual(receipt.aftersales_transfer_kind, "vendor_replacement_in")
        receipt.move_ids.move_line_ids.lot_id = self.env["stock.lot"].create(
            {"name": "SN-REPL", "product_id": self.product_serial.id}
        )
        self._validate(receipt, self.stock_user)
        self.assertEqual(self.product_serial.qty_available, on_hand + 1)
        self.assertAlmostEqual(claim.amount_recovered, 360.0)
        self.assertEqual(claim.state, "settled")

    def test_reject(self):
        claim = self._new_claim(self._replaced_order())
        self._send(claim)
        as_manager = claim.with_user(self.as_manager)
        with self.assertRaisesText(UserError, "reason"):
            as_manager.action_reject(" ")
        with self.assertRaises(AccessError):
            claim.action_reject("Misuse")
        as_manager.action_reject("Damage from misuse")
        self.assertEqual((claim.state, claim.reject_reason), ("rejected", "Damage from misuse"))

    def test_bad_input(self):
        empty = self.Claim.create({"partner_id": self.vendor.id})
        with self.assertRaisesText(UserError, "no lines"):
            empty.with_user(self.as_manager).action_send()
        self.assertEqual(empty.state, "draft")
        with self.assertRaisesText(ValidationError, "must be positive"):
            empty.line_ids = [Command.create({"product_id": self.product_serial.id, "quantity": 0})]
        self.assertFalse(empty.line_ids)
        empty.with_user(self.as_manager).action_cancel()
        with self.assertRaisesText(UserError, "Cannot send"):
            empty.with_user(self.as_manager).action_send()
        self.assertEqual(empty.state, "cancel")

    def test_unanswered_claim_flagged_once(self):
        claim = self._new_claim(self._replaced_order())
        with freeze_time("2026-06-01"):
            self._send(claim)
        with freeze_time("2026-06-12"):
            self.env["aftersales.supplier.claim"]._cron_flag_overdue()
            self.env["aftersales.supplier.claim"]._cron_flag_overdue()
        activities = claim.activity_ids.filtered(
            lambda a: a.summary == "Vendor has not answered the claim"
        )
        self.assertEqual(len(activities), 1)
