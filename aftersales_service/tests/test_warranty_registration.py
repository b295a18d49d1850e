from dateutil.relativedelta import relativedelta

from odoo import Command, fields

from .common import AftersalesCommon


class TestWarrantyRegistration(AftersalesCommon):
    def test_one_warranty_per_serial_delivered(self):
        order = self._deliver([(self.product_serial, 2)])
        warranties = order.warranty_ids
        lots = order.picking_ids.move_line_ids.lot_id
        self.assertEqual(len(warranties), 2)
        self.assertEqual(warranties.lot_id, lots)
        today = fields.Date.context_today(self.Warranty)
        for warranty in warranties:
            self.assertEqual(warranty.state, "active")
            self.assertEqual(warranty.quantity, 1.0)
            self.assertEqual(warranty.partner_id, self.customer)
            self.assertEqual(warranty.product_id, self.product_serial)
            self.assertEqual(warranty.sale_line_id, order.order_line)
            self.assertEqual(warranty.move_id, order.picking_ids.move_ids)
            self.assertEqual(warranty.months, 24)
            self.assertEqual(warranty.date_start, today)
            self.assertEqual(warranty.date_end, today + relativedelta(months=24, days=-1))
            self.assertTrue(warranty.name.startswith("WAR/"))
        self.assertEqual(len(set(warranties.mapped("name"))), 2)
        self.assertEqual(order.warranty_count, 2)
        self.assertEqual(self.customer.warranty_count, 2)
        self.assertEqual(lots[0].warranty_count, 1)
        self.assertEqual(self.product_serial.product_tmpl_id.warranty_count, 2)

    def test_delivered_warranties_leave_the_chatter_alone(self):
        # A delivery of many serials writes no note, follower or tracking
        # value per warranty; what happens to a warranty later is logged.
        warranty = self._deliver([(self.product_serial, 1)]).warranty_ids
        self.assertFalse(warranty.message_ids)
        self.assertFalse(warranty.message_follower_ids)
        warranty.with_user(self.as_manager).void("Sold by mistake")
        self.assertIn("Sold by mistake", warranty.message_ids[0].body)

    def test_one_warranty_per_untracked_move_with_its_quantity(self):
        order = self._deliver([(self.product_bulk, 3), (self.product_no_warranty, 10)])
        warranty = order.warranty_ids
        self.assertEqual(len(warranty), 1, "the product without warranty gets none")
        self.assertEqual(warranty.product_id, self.product_bulk)
        self.assertEqual(warranty.quantity, 3.0)
        self.assertFalse(warranty.lot_id)
        self.assertEqual(warranty.months, 12)

    def test_terms_are_copied_at_delivery(self):
        order = self._deliver([(self.product_serial, 1)])
        self.product_serial.write({"warranty_months": 36, "warranty_terms": "<p>New terms</p>"})
        warranty = order.warranty_ids
        self.assertEqual(warranty.months, 24)
        self.assertIn("Parts and labour covered.", warranty.terms)
        later = self._deliver([(self.product_serial, 1)])
        self.assertEqual(later.warranty_ids.months, 36)

    def test_legal_minimum(self):
        self.env.company.aftersales_legal_warranty_months = 18
        order = self._deliver([(self.product_serial, 1), (self.product_bulk, 1)])
        months = {w.product_id: w.months for w in order.warranty_ids}
        self.assertEqual(months[self.product_serial], 24, "longer terms are kept")
        self.assertEqual(months[self.product_bulk], 18, "shorter terms are raised")

    def test_extended_warranty_sold_on_the_order(self):
        order = self._deliver([(self.product_serial, 1), (self.product_extension, 1)])
        warranty = order.warranty_ids
        self.assertEqual(warranty.extension_months, 12)
        self.assertEqual(warranty.date_end, warranty.date_start + relativedelta(months=36, days=-1))

    def test_extended_warranty_added_after_delivery(self):
        order = self._deliver([(self.product_serial, 1)])
        warranty = order.warranty_ids
        end = warranty.date_end
        order.order_line = [Command.create({"product_id": self.product_extension.id})]
        self.assertEqual(warranty.extension_months, 12)
        # 24 months of terms + 12 of extension, counted from the delivery day.
        self.assertEqual(warranty.date_end, warranty.date_start + relativedelta(months=36, days=-1))
        self.assertGreater(warranty.date_end, end)
        self.assertIn("Extended Warranty +12", warranty.message_ids[0].body)

    def test_extension_also_covers_units_delivered_later(self):
        order = self._sell([(self.product_bulk, 2), (self.product_extension, 1)])
        picking = order.picking_ids
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        picking.with_context(cancel_backorder=False)._action_done()
        backorder = order.picking_ids - picking
        self._validate(backorder)
        self.assertEqual(len(order.warranty_ids), 2)
        self.assertEqual(order.warranty_ids.mapped("extension_months"), [12, 12])

    def test_return_ends_the_warranty_of_the_returned_serial(self):
        order = self._deliver([(self.product_serial, 2)])
        kept, returned = order.warranty_ids.sorted("id")
        self._return(order.picking_ids, {self.product_serial: 1}, lots=returned.lot_id)
        self.assertEqual(returned.state, "void")
        self.assertEqual(returned.void_reason, "Returned")
        self.assertEqual(kept.state, "active")

    def test_return_of_untracked_units_reduces_then_ends(self):
        order = self._deliver([(self.product_bulk, 3)])
        warranty = order.warranty_ids
        delivery = order.picking_ids
        self._return(delivery, {self.product_bulk: 1})
        self.assertEqual(warranty.quantity, 2.0)
        self.assertEqual(warranty.state, "active")
        self._return(delivery, {self.product_bulk: 2})
        self.assertEqual(warranty.state, "void")
        self.assertEqual(warranty.void_reason, "Returned")

    def test_serial_delivered_again_gets_a_new_warranty(self):
        order = self._deliver([(self.product_serial, 1)])
        first = order.warranty_ids
        lot = first.lot_id
        self._return(order.picking_ids, {self.product_serial: 1}, lots=lot)
        resale = self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "order_line": [Command.create({"product_id": self.product_serial.id})],
            }
        )
        resale.action_confirm()
        self._validate(resale.picking_ids)
        self.assertEqual(resale.warranty_ids.lot_id, lot)
        self.assertEqual(resale.warranty_ids.partner_id, self.partner)
        self.assertEqual(first.state, "void")
