from datetime import date

from freezegun import freeze_time

from .service_common import ServiceCommon

LOANER_DUE = "Loaner due to the customer"


class TestLegalRules(ServiceCommon):
    """The company's consumer law drives the rest of the add-on: service
    deadlines capped by its repair days, warranties extended by the days in
    warranty repair or by a guarantee after a repair, the legal guarantee of
    products without terms, and the loaner due during the repair of durable
    goods. Every fixture's espresso machine is delivered on 2026-01-05 with 24
    months of warranty (to 2028-01-04)."""

    def _set_law(self, code=None):
        """Sell under the preset consumer law ``code`` (none when not given)."""
        self.env.company.aftersales_legal_profile_id = (
            self.env.ref(f"aftersales_service.legal_profile_{code}") if code else False
        )

    def _unit(self):
        """The warranty of an espresso machine delivered to the customer today."""
        return self._deliver([(self.product_serial, 1)]).warranty_ids

    def _received(self, warranty=None, day="2026-01-05 10:00:00", **values):
        """A service order of the unit of ``warranty`` (a new one by default),
        received on ``day``, the technician responsible."""
        warranty = warranty or self._unit()
        order = self._new_order(lot=warranty.lot_id, user_id=self.as_user.id, **values)
        with freeze_time(day):
            self._receive(order)
        return order

    def _repaired(self, warranty, received, handed_back, **values):
        """A service order of ``warranty``'s unit received on ``received``,
        repaired in-house (its defect recorded) and handed back on
        ``handed_back``, the delivery validated by the warehouse user."""
        order = self._received(warranty, received, **values)
        with freeze_time(received):
            self._repair_with_part(order)
        with freeze_time(handed_back):
            order.action_return_to_customer()
            self._validate(order.return_picking_id, self.stock_user)
        self.assertEqual((order.state, order.resolution), ("done", "repaired"))
        return order

    def _commit_point(self):
        """What a commit would do: the tracking of the changes made so far is
        written (Odoo tracks no record in the transaction that creates it)."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _tracked(self, record, field):
        """The values ``field`` of ``record`` was tracked with, oldest first."""
        self._commit_point()
        record.invalidate_recordset(["message_ids"])
        return (
            record.sudo()
            .message_ids.tracking_value_ids.filtered(lambda value: value.field_id.name == field)
            .sorted("id")
        )

    # ------------------------------------------------------------------
    # Service deadlines
    # ------------------------------------------------------------------

    def test_deadline_never_beyond_the_repair_days_of_the_law(self):
        company = self.env.company
        cases = (
            # law, company's service days, deadline of a unit received 2026-01-05
            ("ru", 60, date(2026, 2, 19)),  # 45 days of the law
            ("pt", 60, date(2026, 2, 4)),  # 30 days of the law
            ("pt", 20, date(2026, 1, 25)),  # the company's shorter 20 days
            (None, 60, date(2026, 3, 6)),  # no law: the company's 60 days
        )
        for code, service_days, deadline in cases:
            with self.subTest(law=code, service_days=service_days):
                self._set_law(code)
                company.aftersales_service_days = service_days
                order = self._received()
                self.assertEqual(order.date_deadline, deadline)

    def test_deadline_kept_when_the_law_changes_later(self):
        self._set_law("ru")
        order = self._received()
        self.assertEqual(order.date_deadline, date(2026, 2, 19))
        self._set_law("pt")
        self.env.company.aftersales_service_days = 10
        order.description = "Leaks water and hums"
        self.assertEqual(order.date_deadline, date(2026, 2, 19))

    # ------------------------------------------------------------------
    # Warranty extended by the days in repair
    # ------------------------------------------------------------------

    def test_warranty_extended_by_the_days_in_repair_once(self):
        self._set_law("ru")
        warranty = self._unit()
        self.assertEqual(warranty.date_end, date(2028, 1, 4))
        self._commit_point()
        first = self._repaired(warranty, "2026-01-05 10:00:00", "2026-01-25 10:00:00")
        self.assertEqual(warranty.repair_extension_days, 20)
        self.assertEqual(warranty.date_end, date(2028, 1, 24))
        self.assertEqual(
            (first.warranty_law_applied, first.warranty_days_added, first.warranty_months_added),
            (True, 20, 0),
        )
        self.assertIn("extended by 20 days", warranty.message_ids[0].body)
        self.assertIn(first.name, warranty.message_ids[0].body)
        tracked = self._tracked(warranty, "repair_extension_days")
        self.assertEqual([(t.old_value_integer, t.new_value_integer) for t in tracked], [(0, 20)])
        self.assertTrue(self._tracked(warranty, "date_end"))

        # Applied once: the hook run again, the order saved again.
        first._apply_warranty_law()
        first._on_picking_done(
            first.picking_ids.filtered(lambda p: p.aftersales_transfer_kind == "service_out")
        )
        first.write({"description": "Leaked water, pump replaced"})
        self.assertEqual(
            (warranty.repair_extension_days, warranty.date_end), (20, date(2028, 1, 24))
        )

        # A second repair of the unit adds its own days.
        second = self._repaired(warranty, "2026-03-02 10:00:00", "2026-03-12 10:00:00")
        self.assertEqual(second.warranty_days_added, 10)
        self.assertEqual(warranty.repair_extension_days, 30)
        self.assertEqual(warranty.date_end, date(2028, 2, 3))
        self.assertEqual(warranty.state, "active")

    def test_replacement_keeps_the_days_added_and_adds_none(self):
        self._set_law("ru")
        warranty = self._unit()
        self._repaired(warranty, "2026-01-05 10:00:00", "2026-01-25 10:00:00")
        order = self._received(warranty, "2026-03-02 10:00:00", request_type="replacement")
        self._record_defect(order)
        new_lot = self._put_in_stock(self.product_serial, 1)
        order.action_replace(new_lot)
        with freeze_time("2026-03-12 10:00:00"):
            self._validate(order.return_picking_id, self.stock_user)
        self.assertEqual((order.state, order.resolution), ("done", "replaced"))
        self.assertFalse(order.warranty_law_applied, "a replaced unit is not extended")
        replacement = self.Warranty.search([("lot_id", "=", new_lot.id)])
        self.assertEqual(replacement.repair_extension_days, 20)
        self.assertEqual(replacement.date_end, date(2028, 1, 24), "the rest of the original")

    def test_extension_brings_an_expired_warranty_back(self):
        self._set_law("ua")
        warranty = self._unit()
        order = self._received(warranty, "2027-12-20 10:00:00")
        self.assertEqual(order.coverage, "warranty")
        with freeze_time("2027-12-20 10:00:00"):
            self._repair_with_part(order)
        with freeze_time("2028-01-10 10:00:00"):
            self.Warranty._cron_expire_and_remind()
        self.assertEqual(warranty.state, "expired")
        with freeze_time("2028-01-15 10:00:00"):
            order.action_return_to_customer()
            self._validate(order.return_picking_id, self.stock_user)
        self.assertEqual(order.warranty_days_added, 26)
        self.assertEqual(warranty.date_end, date(2028, 1, 30))
        self.assertEqual(warranty.state, "active", "its new end lies ahead, as extend() does")

    def test_no_extension_for_paid_orders(self):
        self._set_law("ru")
        warranty = self._unit()
        order = self._new_order(lot=warranty.lot_id)
        order.with_user(self.as_manager).action_override_coverage("paid", "Dropped on the floor")
        self._receive(order)
        self._repair_with_part(order)
        with freeze_time("2026-01-25 10:00:00"):
            order.action_return_to_customer()
            self._validate(order.return_picking_id, self.stock_user)
        self.assertEqual((order.state, order.coverage), ("done", "paid"))
        self.assertFalse(order.warranty_law_applied)
        self.assertEqual((warranty.repair_extension_days, warranty.extension_months), (0, 0))
        self.assertEqual(warranty.date_end, date(2028, 1, 4))

    def test_no_extension_without_a_repair(self):
        self._set_law("ru")
        warranty = self._unit()
        order = self._received(warranty)
        order.action_no_fault_found()
        with freeze_time("2026-01-25 10:00:00"):
            order.action_return_to_customer()
            self._validate(order.return_picking_id, self.stock_user)
        self.assertEqual(order.state, "done")
        self.assertEqual(warranty.date_end, date(2028, 1, 4))

    def test_no_extension_by_days_under_laws_without_it(self):
        # Portugal (36 months by law) grants its guarantee after a repair
        # instead; no law, nothing.
        for code, date_end in (
            ("pt", date(2029, 7, 4)),
            ("eu", date(2028, 1, 4)),
            (None, date(2028, 1, 4)),
        ):
            with self.subTest(law=code):
                self._set_law(code)
                warranty = self._unit()
                order = self._repaired(warranty, "2026-01-05 10:00:00", "2026-01-25 10:00:00")
                self.assertEqual(order.warranty_days_added, 0)
                self.assertEqual(warranty.repair_extension_days, 0)
                self.assertEqual(warranty.date_end, date_end)

    # ------------------------------------------------------------------
    # Guarantee after a repair
    # ------------------------------------------------------------------

    def test_guarantee_after_a_repair_once_per_order(self):
        self._set_law("pt")
        warranty = self._unit()
        self.assertEqual((warranty.months, warranty.date_end), (36, date(2029, 1, 4)))
        self._commit_point()
        order = self._repaired(warranty, "2026-01-05 10:00:00", "2026-01-25 10:00:00")
        self.assertEqual((order.warranty_days_added, order.warranty_months_added), (0, 6))
        self.assertEqual(warranty.extension_months, 6)
        self.assertEqual(warranty.date_end, date(2029, 7, 4))
        self.assertIn("Guarantee after the repair", warranty.message_ids[0].body)
        tracked = self._tracked(warranty, "extension_months")
        self.assertEqual([(t.old_value_integer, t.new_value_integer) for t in tracked], [(0, 6)])
        order._apply_warranty_law()
        order.write({"description": "Pump replaced"})
        self.assertEqual(warranty.extension_months, 6)
        again = self._repaired(warranty, "2026-03-02 10:00:00", "2026-03-12 10:00:00")
        self.assertEqual(again.warranty_months_added, 6)
        self.assertEqual(warranty.extension_months, 12)
        self.assertEqual(warranty.date_end, date(2030, 1, 4))

    def test_guarantee_after_a_repair_not_for_other_laws(self):
        self._set_law("eu")
        warranty = self._unit()
        order = self._repaired(warranty, "2026-01-05 10:00:00", "2026-01-25 10:00:00")
        self.assertEqual((order.warranty_days_added, order.warranty_months_added), (0, 0))
        self.assertEqual((warranty.extension_months, warranty.date_end), (0, date(2028, 1, 4)))

    # ------------------------------------------------------------------
    # Legal guarantee on delivery
    # ------------------------------------------------------------------

    def test_legal_guarantee_of_products_without_terms(self):
        for code, months in (("pt", 36), ("eu", 24), ("br", 3)):
            with self.subTest(law=code):
                self._set_law(code)
                warranty = self._deliver([(self.product_no_warranty, 4)]).warranty_ids
                self.assertEqual((warranty.months, warranty.quantity), (months, 4.0))
                self.assertEqual(warranty.terms, False)
        self._set_law("ru")
        self.assertFalse(self._deliver([(self.product_no_warranty, 4)]).warranty_ids)

    def test_legal_guarantee_raises_shorter_terms(self):
        self._set_law("eu")
        order = self._deliver([(self.product_bulk, 1), (self.product_serial, 1)])
        months = {w.product_id: w.months for w in order.warranty_ids}
        self.assertEqual(months, {self.product_bulk: 24, self.product_serial: 24})
        self.assertEqual(
            order.warranty_ids.filtered(lambda w: w.product_id == self.product_bulk).date_end,
            date(2028, 1, 4),
        )
        self._set_law("pt")
        self.product_serial.warranty_months = 48
        serial = self._deliver([(self.product_serial, 1)]).warranty_ids
        self.assertEqual(serial.months, 48, "longer terms are kept")

    def test_company_minimum_over_the_legal_guarantee(self):
        self._set_law("eu")
        self.env.company.aftersales_legal_warranty_months = 30
        order = self._deliver([(self.product_no_warranty, 1), (self.product_bulk, 1)])
        self.assertEqual(order.warranty_ids.mapped("months"), [30, 30])

    def test_legal_guarantee_registration_cost_does_not_grow_with_the_serials(self):
        def register(units):
            self._set_law()
            self.product_serial.warranty_months = 0
            moves = self._deliver([(self.product_serial, units)]).picking_ids.move_ids
            self.assertFalse(self.Warranty.search([("move_id", "in", moves.ids)]))
            self._set_law("pt")
            self.env.invalidate_all()
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            warranties = self.Warranty.sudo()._register_from_moves(moves)
            self.env.flush_all()
            self.assertEqual(set(warranties.mapped("months")), {36})
            self.assertEqual(len(warranties), units)
            return self.env.cr.sql_log_count - before

        ten = register(10)
        hundred = register(100)
        self.assertLessEqual(hundred, ten)

    # ------------------------------------------------------------------
    # Loaner due during the repair of durable goods
    # ------------------------------------------------------------------

    def test_loaner_due_date(self):
        self.product_serial.aftersales_loaner_entitled = True
        self._set_law("ru")
        order = self._received()
        self.assertEqual(order.date_loaner_due, date(2026, 1, 8))
        self.assertTrue(order.loaner_missing)
        self._set_law("pt")
        self.assertFalse(self._received().date_loaner_due, "Portugal grants no loaner")
        self._set_law("ru")
        paid = self._new_order(lot=self._unit().lot_id)
        paid.with_user(self.as_manager).action_override_coverage("paid", "Dropped")
        self._receive(paid)
        self.assertFalse(paid.date_loaner_due, "only during a warranty repair")
        maintenance = self._received(request_type="maintenance", receive_goods=True)
        self.assertFalse(maintenance.date_loaner_due, "only during a repair")
        self.product_serial.aftersales_loaner_entitled = False
        self.assertFalse(self._received().date_loaner_due, "only for durable goods")
        self.assertFalse(self._new_order(lot=self._unit().lot_id).date_loaner_due)

    def test_loaner_due_job_flags_once(self):
        self.product_serial.aftersales_loaner_entitled = True
        self._set_law("ru")
        ServiceOrder = self.env["aftersales.service.order"]
        order = self._received()
        with freeze_time("2026-01-08"):
            self.assertNotIn(order, ServiceOrder._cron_flag_late())
        with freeze_time("2026-01-09"):
            self.assertIn(order, ServiceOrder._cron_flag_late())
            ServiceOrder._cron_flag_late()
        activity = order.activity_ids.filtered(lambda a: a.summary == LOANER_DUE)
        self.assertEqual(len(activity), 1, "flagged once")
        self.assertEqual(activity.user_id, self.as_user)
        self.assertIn("2026-01-08", activity.note)

    def test_no_loaner_activity_once_a_loaner_is_lent(self):
        self.product_serial.aftersales_loaner_entitled = True
        self._set_law("ru")
        lent, waiting = self._received(), self._received()
        loan = self.env["aftersales.loan"].browse(
            lent.action_lend(self._register_loaner())["res_id"]
        )
        self.assertTrue(lent.loaner_missing, "not lent until the warehouse delivers it")
        self._validate(loan.picking_out_id, self.stock_user)
        self.assertEqual(loan.state, "lent")
        self.assertFalse(lent.loaner_missing)
        waiting.action_lend(self._register_loaner())
        with freeze_time("2026-01-09"):
            flagged = self.env["aftersales.service.order"]._cron_flag_late()
        self.assertNotIn(lent, flagged)
        self.assertIn(waiting, flagged, "a loan still in draft is not lent")
        self.assertFalse(lent.activity_ids.filtered(lambda a: a.summary == LOANER_DUE))
        loan.action_return()
        self._validate(loan.picking_in_id, self.stock_user)
        self.assertEqual(loan.state, "returned")
        with freeze_time("2026-01-20"):
            self.assertNotIn(lent, self.env["aftersales.service.order"]._cron_flag_late())
