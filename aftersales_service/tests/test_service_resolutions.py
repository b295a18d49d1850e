from odoo.exceptions import AccessError, UserError

from .service_common import ServiceCommon


class TestServiceResolutions(ServiceCommon):
    def test_replacement(self):
        order = self._new_order(request_type="replacement")
        self._receive(order)
        self._record_defect(order)
        new_lot = self._put_in_stock(self.product_serial, 1)
        self.assertIs(order.action_replace(new_lot), True)
        delivery = order.return_picking_id
        self.assertEqual(delivery.aftersales_transfer_kind, "replacement_out")
        self.assertEqual(order.resolution, "replaced")
        self.assertEqual(
            self._lot_quants(),
            {self.service_location: (1.0, self.env["res.partner"])},
            "the faulty unit is now the company's, still in Service",
        )
        self.assertEqual(delivery.location_id, self.warehouse.lot_stock_id)
        self._validate(delivery, self.stock_user)
        self.assertEqual(order.state, "done")
        self.assertEqual(self._lot_quants(new_lot), {}, "the new unit left the stock")
        replacement = self.Warranty.search([("lot_id", "=", new_lot.id)])
        self.assertEqual(len(replacement), 1)
        self.assertEqual(replacement.partner_id, self.customer)
        self.assertEqual(replacement.date_start, self.warranty.date_start)
        self.assertEqual(replacement.date_end, self.warranty.date_end)
        self.assertEqual(self.warranty.state, "void")
        self.assertEqual(self.warranty.void_reason, "Replaced")

    def test_replacement_serial_of_another_product_refused(self):
        order = self._new_order()
        self._receive(order)
        other = self.env["stock.lot"].create({"name": "GR-1", "product_id": self.product_bulk.id})
        with self.assertRaisesText(UserError, "is not a Espresso Machine"):
            order.action_replace(other)
        self.assertFalse(order.resolution)
        self.assertEqual(self._lot_quants(), {self.service_location: (1.0, self.customer)})

    def test_refund(self):
        invoice = self.sale._create_invoices()
        invoice.action_post()
        order = self._new_order(request_type="refund")
        self._receive(order)
        self._record_defect(order)
        with self.assertRaises(AccessError):
            order.action_refund()
        self.assertFalse(order.refund_move_id)
        order.with_user(self.as_manager).action_refund()
        credit_note = order.refund_move_id
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        self.assertEqual(credit_note.partner_id, self.customer)
        self.assertAlmostEqual(credit_note.amount_untaxed, 500.0)
        self.assertEqual(credit_note.invoice_line_ids.quantity, 1.0)
        self.assertIn(credit_note, order.invoice_ids)
        self.assertEqual((order.state, order.resolution), ("done", "refunded"))
        self.assertEqual(
            self._lot_quants(), {self.service_location: (1.0, self.env["res.partner"])}
        )

    def test_refund_without_invoice_refused(self):
        order = self._new_order(request_type="refund")
        self._receive(order)
        with self.assertRaisesText(UserError, "no posted invoice"):
            order.with_user(self.as_manager).action_refund()
        self.assertEqual(order.state, "received")
        self.assertFalse(order.refund_move_id)
        self.assertEqual(self._lot_quants(), {self.service_location: (1.0, self.customer)})
