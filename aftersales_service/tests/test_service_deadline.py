from datetime import date

from freezegun import freeze_time

from .service_common import ServiceCommon


class TestServiceDeadline(ServiceCommon):
    def test_deadline_and_late_activity_once(self):
        order = self._new_order(user_id=self.as_user.id)
        with freeze_time("2026-03-02 10:00:00"):
            self._receive(order)
        self.assertEqual(order.date_deadline, date(2026, 4, 16))
        with freeze_time("2026-04-16"):
            self.assertFalse(order.is_late)
            self.assertFalse(self.ServiceOrder._cron_flag_late())
        with freeze_time("2026-04-17"):
            order.invalidate_recordset(["is_late"])
            self.assertTrue(order.is_late)
            self.assertIn(order, self.ServiceOrder.search([("is_late", "=", True)]))
            self.env["aftersales.service.order"]._cron_flag_late()
            self.env["aftersales.service.order"]._cron_flag_late()
        activities = order.activity_ids.filtered(lambda a: a.summary == "Service deadline passed")
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.as_user)

    def test_deadline_is_editable(self):
        order = self._new_order()
        self._receive(order)
        order.date_deadline = date(2030, 1, 1)
        self.assertEqual(order.date_deadline, date(2030, 1, 1))

    def _confirm_queries(self, count):
        lots = self._put_in_stock(self.product_serial, count)
        orders = self.ServiceOrder.create(
            [{"lot_id": lot.id, "partner_id": self.customer.id} for lot in lots]
        )
        self.env.invalidate_all()
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        orders.action_confirm()
        self.env.flush_all()
        self.assertEqual(set(orders.mapped("state")), {"confirmed"})
        self.assertEqual(orders.picking_ids.move_line_ids.lot_id, lots)
        return self.env.cr.sql_log_count - before

    def test_confirming_many_orders_is_batched(self):
        five = self._confirm_queries(5)
        fifty = self._confirm_queries(50)
        # What grows is Odoo's own naming of each receipt (a few queries each);
        # a query per order on our side would add far more.
        self.assertLess(fifty - five, 45 * 6, f"5 orders: {five} queries, 50: {fifty}")
        self.assertLess(fifty, 400)
