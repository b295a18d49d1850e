from .common import AftersalesCommon


class TestWarrantyPerformance(AftersalesCommon):
    def _delivered_moves(self, units):
        """A done delivery of ``units`` serials that has not registered warranties yet."""
        self.product_serial.warranty_months = 0
        order = self._deliver([(self.product_serial, units)])
        self.product_serial.warranty_months = 24
        self.assertFalse(order.warranty_ids)
        return order.picking_ids.move_ids

    def _register(self, moves):
        """Register the warranties of ``moves``; return them and the queries it took."""
        self.env.invalidate_all()
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        warranties = self.Warranty.sudo()._register_from_moves(moves)
        self.env.flush_all()
        return warranties, self.env.cr.sql_log_count - before

    def test_registration_cost_does_not_grow_with_the_serials(self):
        ten, ten_queries = self._register(self._delivered_moves(10))
        hundred, hundred_queries = self._register(self._delivered_moves(100))
        self.assertEqual((len(ten), len(hundred)), (10, 100))
        self.assertEqual(len(set(hundred.mapped("name"))), 100)
        self.assertLessEqual(hundred_queries, ten_queries)

    def test_registration_query_count(self):
        """From a cold cache: the move's records read, one search of the
        serials' warranties in force, the sequence and its numbers, the INSERT
        with each end date in it (no UPDATE after), no second search of the
        serials and no read of the user's whole partner."""
        moves = self._delivered_moves(10)
        self.env.invalidate_all()
        with self.assertQueryCount(15):
            self.Warranty.sudo()._register_from_moves(moves)

    def test_check_serial_is_one_query(self):
        """A serial lookup (the warranty desk, integrators) reads the warranty
        and the fields it answers with in one query, through the btree index
        on the serial's name."""
        first, second = self._deliver([(self.product_serial, 2)]).warranty_ids
        Warranty = self.Warranty.with_user(self.as_user)
        serial = second.lot_id.name
        Warranty.check_serial(first.lot_id.name)  # the user's rights and rules, read once
        self.env["aftersales.warranty"].invalidate_model()  # no warranty left in cache
        with self.assertQueryCount(1):
            result = Warranty.check_serial(serial)
        self.assertEqual((result["warranty_id"], result["state"]), (second.id, "active"))
