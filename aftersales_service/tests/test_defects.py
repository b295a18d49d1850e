from datetime import date, datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user
from odoo.tools import mute_logger

from .claim_common import ClaimCommon
from .service_common import ServiceCommon

RECORD_FIRST = "Record the defect found on {}"


class TestDefects(ServiceCommon):
    """The defect register: its catalogue, the defects recorded on service
    orders, the rule that a warranty order closes as repaired, replaced or
    refunded only with a defect (over every route), the corrective actions,
    the history of serials and products, and repeat repairs. As real users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Defect = cls.env["aftersales.defect"].with_user(cls.as_user)
        cls.scale_type = cls.env["aftersales.defect.type"].create(
            {"code": "SCALE", "name": "Limescale clogging", "category": "misuse"}
        )

    def _received_order(self, lot=None, **values):
        """A service order of a newly delivered machine (or of serial ``lot``),
        its unit in Service."""
        lot = lot or self._deliver([(self.product_serial, 1)]).warranty_ids.lot_id
        order = self._new_order(lot=lot, **values)
        self._receive(order)
        return order

    # ------------------------------------------------------------------
    # The catalogue
    # ------------------------------------------------------------------

    def test_catalogue_code_unique_per_company(self):
        Type = self.env["aftersales.defect.type"].with_user(self.as_manager)
        heat = Type.create(
            {"code": " HEAT-FAIL ", "name": "Heating element fails", "category": "component"}
        )
        self.assertEqual((heat.code, heat.company_id), ("HEAT-FAIL", self.env.company))
        self.assertEqual(heat.display_name, "[HEAT-FAIL] Heating element fails")
        self.assertEqual(Type.name_search("HEAT")[0][0], heat.id)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaisesText(IntegrityError, "aftersales_defect_type_code_company_uniq"),
        ):
            Type.create({"code": "HEAT-FAIL", "name": "Heater dead", "category": "component"})
        constraint = self.env["ir.model.constraint"].search(
            [("name", "=", "aftersales_defect_type_code_company_uniq")]
        )
        self.assertEqual(
            constraint.message, "A defect type with this code already exists in this company."
        )
        company2 = self.env["res.company"].create({"name": "Second Service Co"})
        manager2 = new_test_user(
            self.env,
            login="defect_manager2",
            groups="base.group_user,aftersales_service.group_aftersales_manager",
            company_id=company2.id,
            company_ids=[company2.id],
        )
        other = (
            self.env["aftersales.defect.type"]
            .with_user(manager2)
            .create({"code": "HEAT-FAIL", "name": "Heater fails", "category": "component"})
        )
        self.assertEqual(other.company_id, company2)
        self.assertEqual(Type.search([("code", "=", "HEAT-FAIL")]), heat)
        with self.assertRaisesText(UserError, "Incompatible companies"):
            self.env["aftersales.defect"].create(
                {"service_order_id": self._new_order().id, "defect_type_id": other.id}
            )

    def test_users_read_the_catalogue_but_do_not_edit_it(self):
        Type = self.env["aftersales.defect.type"].with_user(self.as_user)
        self.assertEqual(Type.search([("code", "=", "PUMP-LEAK")]), self.defect_type)
        self.assertEqual(self.defect_type.with_user(self.as_user).name, "Pump seal leaks")
        with self.assertRaises(AccessError):
            Type.create({"code": "BOARD-FW", "name": "Firmware hangs", "category": "design"})
        with self.assertRaises(AccessError):
            self.defect_type.with_user(self.as_user).write({"category": "design"})
        with self.assertRaises(AccessError):
            self.defect_type.with_user(self.as_user).unlink()
        self.assertEqual(self.defect_type.category, "component")
        portal = new_test_user(self.env, login="defect_portal", groups="base.group_portal")
        for model in ("aftersales.defect.type", "aftersales.defect"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(portal).search([])

    # ------------------------------------------------------------------
    # A defect and its order
    # ------------------------------------------------------------------

    def test_defect_takes_the_unit_and_the_receipt_day(self):
        self.as_user.tz = "Asia/Tokyo"
        self.as_manager.tz = "UTC"
        order = self._new_order()
        with freeze_time("2026-01-05 20:00:00"):
            self._receive(order)
        self.assertEqual(order.date_received, datetime(2026, 1, 5, 20, 0))
        in_tokyo = self._record_defect(order)
        in_london = self._record_defect(order, self.as_manager, defect_type_id=self.scale_type.id)
        self.assertEqual(
            (in_tokyo.product_id, in_tokyo.lot_id, in_tokyo.company_id),
            (self.product_serial, self.lot, self.env.company),
        )
        self.assertEqual((in_tokyo.date, in_london.date), (date(2026, 1, 6), date(2026, 1, 5)))
        self.assertEqual(
            (in_tokyo.cause_category, in_london.cause_category), ("component", "misuse")
        )
        self.assertEqual((in_tokyo.responsibility, in_tokyo.capa_state), ("unknown", "open"))
        self.assertEqual(order.defect_count, 2)
        self.assertEqual(in_tokyo.display_name, f"{order.name} - PUMP-LEAK")
        action = order.action_view_defects()
        self.assertEqual(self.Defect.search(action["domain"]), in_tokyo | in_london)

    def test_on_site_defect_dated_on_the_order_day(self):
        self.as_user.tz = "Asia/Tokyo"
        self.as_manager.tz = "UTC"
        order = self._new_order(request_type="maintenance")
        order.action_confirm()
        self.assertEqual((order.state, order.date_received), ("in_progress", False))
        self.env.cr.execute(
            "UPDATE aftersales_service_order SET create_date = %s WHERE id = %s",
            ["2026-01-04 23:30:00", order.id],
        )
        order.invalidate_recordset(["create_date"])
        in_tokyo = self._record_defect(order)
        in_london = self._record_defect(order, self.as_manager)
        self.assertEqual((in_tokyo.date, in_london.date), (date(2026, 1, 5), date(2026, 1, 4)))

    def test_defect_form_defaults_the_cause_to_the_type(self):
        order = self._received_order()
        form = Form(self.Defect)
        form.service_order_id = order
        form.defect_type_id = self.scale_type
        self.assertEqual((form.cause_category, form.product_id), ("misuse", self.product_serial))
        form.cause_category = "wear"
        form.component_id = self.part
        defect = form.save()
        self.assertEqual((defect.cause_category, defect.component_id), ("wear", self.part))
        defect.defect_type_id = self.defect_type
        self.assertEqual(defect.cause_category, "component", "a new type brings its category")

    def test_defects_tab_of_the_order(self):
        order = self._received_order()
        form = Form(order)
        with form.defect_ids.new() as line:
            line.defect_type_id = self.defect_type
            line.component_id = self.part
            line.responsibility = "supplier"
            line.root_cause = "Seal out of tolerance"
        form.save()
        defect = order.defect_ids
        self.assertEqual(
            (defect.defect_type_id, defect.component_id, defect.responsibility, defect.root_cause),
            (self.defect_type, self.part, "supplier", "Seal out of tolerance"),
        )
        self.assertEqual(
            (defect.lot_id, defect.capa_state, order.defect_count), (order.lot_id, "open", 1)
        )
        form = Form(order)
        with form.defect_ids.edit(0) as line, self.assertRaises(AssertionError):
            line.capa_state = "verified"
        self.assertEqual(defect.capa_state, "open")

    def test_no_defect_on_a_closed_order(self):
        cancelled = self._new_order()
        cancelled.action_cancel()
        on_site = self._new_order(request_type="installation")
        on_site.action_confirm()
        on_site.action_done_on_site()
        for order in (cancelled, on_site):
            with (
                self.subTest(state=order.state),
                self.assertRaisesText(UserError, f"{order.name} is closed"),
            ):
                self._record_defect(order)
        self.assertFalse(
            self.Defect.search([("service_order_id", "in", (cancelled | on_site).ids)])
        )

    def test_a_defect_stays_on_its_order(self):
        order, other = self._received_order(), self._received_order()
        defect = self._record_defect(order)
        with self.assertRaisesText(UserError, "stays on the service order"):
            defect.write({"service_order_id": other.id})
        self.assertEqual(defect.service_order_id, order)

    # ------------------------------------------------------------------
    # The rule: a warranty order closes as repaired, replaced or refunded
    # only with a defect, whatever the route
    # ------------------------------------------------------------------

    def test_set_ready_repaired_needs_a_defect(self):
        order = self._received_order()
        self.assertEqual(order.coverage, "warranty")
        with self.assertRaisesText(UserError, RECORD_FIRST.format(order.name)):
            order.action_set_ready("repaired")
        self.assertEqual((order.state, order.resolution), ("received", False))
        self._record_defect(order)
        self.assertIs(order.action_set_ready("repaired"), True)
        self.assertEqual((order.state, order.resolution), ("ready", "repaired"))

    def test_replacement_needs_a_defect(self):
        order = self._received_order(request_type="replacement")
        new_lot = self._put_in_stock(self.product_serial, 1)
        with self.assertRaisesText(UserError, RECORD_FIRST.format(order.name)):
            order.action_replace(new_lot.id)
        self.assertEqual((order.state, order.resolution), ("received", False))
        self.assertEqual(order.picking_ids.mapped("aftersales_transfer_kind"), ["service_in"])
        self.assertEqual(
            self._lot_quants(order.lot_id), {self.service_location: (1.0, self.customer)}
        )
        self._record_defect(order)
        self.assertIs(order.action_replace(new_lot.id), True)
        self.assertEqual((order.state, order.resolution), ("ready", "replaced"))

    def test_refund_needs_a_defect(self):
        sale = self._deliver([(self.product_serial, 1)])
        sale._create_invoices().action_post()
        order = self._received_order(lot=sale.warranty_ids.lot_id, request_type="refund")
        as_manager = order.with_user(self.as_manager)
        refunds = [("move_type", "=", "out_refund")]
        before = self.env["account.move"].search_count(refunds)
        with self.assertRaisesText(UserError, RECORD_FIRST.format(order.name)):
            as_manager.action_refund()
        self.assertEqual(self.env["account.move"].search_count(refunds), before)
        self.assertEqual(
            (order.state, order.resolution, order.refund_move_id.id), ("received", False, False)
        )
        self._record_defect(order)
        as_manager.action_refund()
        self.assertEqual((order.state, order.resolution), ("done", "refunded"))
        self.assertEqual(self.env["account.move"].search_count(refunds), before + 1)

    def test_end_of_the_repair_needs_a_defect(self):
        order = self._received_order()
        parts = self.part.qty_available
        with self.assertRaisesText(UserError, RECORD_FIRST.format(order.name)):
            self._repair_with_part(order, defect=False)
        self.assertEqual((order.state, order.repair_id.id), ("received", False))
        self.assertEqual(self.part.qty_available, parts, "no part consumed")
        repair = self._repair_with_part(order)
        self.assertEqual(repair.state, "done")
        self.assertEqual((order.state, order.resolution), ("ready", "repaired"))
        self.assertEqual(self.part.qty_available, parts - 1)

    def test_workshop_return_waits_for_the_defect(self):
        order = self._received_order(user_id=self.as_user.id)
        order.action_send_to_workshop(self.workshop.id)
        kinds = order.picking_ids.grouped("aftersales_transfer_kind")
        self._validate(kinds["workshop_out"], self.stock_user)
        self._validate(kinds["workshop_in"], self.stock_user)  # never refused
        self.assertEqual(
            (order.state, order.resolution, order.unit_location), ("in_progress", False, "service")
        )
        todo = order.activity_ids
        self.assertEqual(
            (len(todo), todo.summary, todo.user_id), (1, "Record the defect", self.as_user)
        )
        self._record_defect(order)
        self.assertFalse(order.activity_ids, "recording the defect closes the to-do")
        order.action_set_ready("repaired")
        self.assertEqual((order.state, order.resolution), ("ready", "repaired"))

    def test_workshop_return_with_a_defect_makes_ready(self):
        order = self._received_order()
        self._record_defect(order)
        order.action_send_to_workshop(self.workshop.id)
        for kind in ("workshop_out", "workshop_in"):
            self._validate(
                order.picking_ids.grouped("aftersales_transfer_kind")[kind], self.stock_user
            )
        self.assertEqual((order.state, order.resolution), ("ready", "repaired"))
        self.assertFalse(order.activity_ids)

    def test_no_defect_needed_without_a_fault_or_outside_warranty(self):
        for resolution in ("no_fault_found", "rejected", "not_repairable"):
            with self.subTest(resolution=resolution):
                order = self._received_order()
                order.action_set_ready(resolution)
                self.assertEqual((order.state, order.resolution), ("ready", resolution))
        paid = self._received_order()
        paid.with_user(self.as_manager).action_override_coverage("paid", "Dropped by the customer")
        paid.action_set_ready("repaired")
        self.assertEqual((paid.state, paid.coverage), ("ready", "paid"))
        with self.assertRaisesText(UserError, RECORD_FIRST.format(paid.name)):
            paid.with_user(self.as_manager).action_override_coverage("warranty", "Covered")
        self.assertEqual(paid.coverage, "paid")

    def test_the_defect_of_a_closed_warranty_order_stays(self):
        order = self._received_order()
        defect = self._record_defect(order)
        order.action_set_ready("repaired")
        with self.assertRaises(AccessError):
            defect.unlink()
        with self.assertRaisesText(UserError, "cannot be deleted"):
            defect.with_user(self.as_manager).unlink()
        second = self._record_defect(order, defect_type_id=self.scale_type.id)
        defect.with_user(self.as_manager).unlink()
        self.assertEqual(order.defect_ids, second)
        with self.assertRaisesText(UserError, "cannot be deleted"):
            second.with_user(self.as_manager).unlink()
        order.action_return_to_customer()
        self._validate(order.return_picking_id, self.stock_user)
        self.assertEqual(order.state, "done")

    # ------------------------------------------------------------------
    # Corrective and preventive action
    # ------------------------------------------------------------------

    def test_capa_flow_and_rights(self):
        defect = self._record_defect(self._received_order(), capa_deadline="2026-01-20")
        self.assertEqual((defect.capa_state, defect.capa_user_id.id), ("open", False))
        with self.assertRaisesText(UserError, "only be changed through its actions"):
            defect.write({"capa_state": "verified"})
        with self.assertRaisesText(UserError, "Cannot mark the corrective action done"):
            defect.action_capa_done()
        self.assertIs(defect.action_capa_start(), True)
        self.assertEqual((defect.capa_state, defect.capa_user_id), ("in_progress", self.as_user))
        with self.assertRaisesText(UserError, "Cannot start the corrective action"):
            defect.action_capa_start()
        with self.assertRaisesText(UserError, "Describe the corrective action"):
            defect.action_capa_done()
        defect.corrective_action = "Pump replaced; the vendor's batch quarantined."
        self.assertIs(defect.action_capa_done(), True)
        with self.assertRaisesText(AccessError, "Only an After-Sales Manager may verify"):
            defect.action_capa_verify()
        self.assertEqual(defect.capa_state, "done")
        self.assertIs(defect.with_user(self.as_manager).action_capa_verify(), True)
        self.assertEqual(defect.capa_state, "verified")
        with self.assertRaisesText(UserError, "Cannot verify a corrective action"):
            defect.with_user(self.as_manager).action_capa_verify()
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = defect.sudo().message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "capa_state"
        )
        self.assertEqual(
            sorted(tracked.mapped("new_value_char")), ["Done", "In Progress", "Verified"]
        )

    def test_capa_of_another_owner_started_keeps_its_owner(self):
        defect = self._record_defect(self._received_order(), capa_user_id=self.as_manager.id)
        defect.action_capa_start()
        self.assertEqual(defect.capa_user_id, self.as_manager)

    def test_overdue_capa_flagged_once(self):
        order = self._received_order()
        late = self._record_defect(
            order, capa_user_id=self.as_manager.id, capa_deadline="2026-01-04"
        )
        due_today = self._record_defect(order, capa_deadline="2026-01-05")
        finished = self._record_defect(
            order, capa_deadline="2026-01-02", corrective_action="Seal replaced."
        )
        finished.action_capa_start()
        finished.action_capa_done()
        self._record_defect(order)  # no deadline
        Defect = self.env["aftersales.defect"]
        self.assertEqual(Defect.search([("is_capa_overdue", "=", True)]), late)
        self.assertEqual(Defect._cron_flag_overdue_capa(), late)
        activity = late.activity_ids
        self.assertEqual(
            (len(activity), activity.user_id, activity.summary),
            (1, self.as_manager, "Corrective action overdue"),
        )
        self.assertFalse(Defect._cron_flag_overdue_capa())
        self.assertEqual(late.activity_ids, activity)
        with freeze_time("2026-01-06 10:00:00"):
            self.assertEqual(Defect._cron_flag_overdue_capa(), due_today)
        self.assertEqual(due_today.activity_ids.user_id, self.as_user, "its recorder owns it")
        self.assertFalse(finished.activity_ids)

    # ------------------------------------------------------------------
    # History: serials, products, repeat repairs
    # ------------------------------------------------------------------

    def test_history_counts_in_one_query(self):
        orders = [self._received_order() for _i in range(3)]
        self._record_defect(orders[0] | orders[1])
        self._record_defect(orders[0], defect_type_id=self.scale_type.id)
        lots = (orders[0].lot_id | orders[1].lot_id | orders[2].lot_id).with_user(self.as_user)
        lots.mapped("defect_count")  # rights and rules read once
        lots.invalidate_recordset(["defect_count"])
        with self.assertQueryCount(1):
            self.assertEqual(lots.mapped("defect_count"), [2, 1, 0])
        templates = (self.product_serial | self.product_bulk).product_tmpl_id.with_user(
            self.as_user
        )
        templates.mapped("product_variant_ids")  # the variants are read first
        with self.assertQueryCount(1):
            self.assertEqual(templates.mapped("defect_count"), [3, 0])
        action = lots[0].action_view_defects()
        self.assertEqual(self.Defect.search(action["domain"]), orders[0].defect_ids)
        action = templates[0].action_view_defects()
        self.assertEqual(len(self.Defect.search(action["domain"])), 3)

    def test_repeat_repair_within_90_days(self):
        lot_a = self._deliver([(self.product_serial, 1)]).warranty_ids.lot_id
        lot_b = self._deliver([(self.product_serial, 1)]).warranty_ids.lot_id
        first = self._received_order(lot=lot_a) | self._received_order(lot=lot_b)
        for order in first:
            order.action_set_ready("no_fault_found")
            order.action_return_to_customer()
            self._validate(order.return_picking_id, self.stock_user)
        with freeze_time("2026-04-05 08:00:00"):  # 90 days after the first receipt
            day_90 = self._received_order(lot=lot_a)
        with freeze_time("2026-04-06 08:00:00"):  # 91 days after
            day_91 = self._received_order(lot=lot_b)
        self.assertEqual(
            [first[0].is_repeat, first[1].is_repeat, day_90.is_repeat, day_91.is_repeat],
            [False, False, True, False],
        )
        self.assertEqual(
            self.ServiceOrder.search(
                [("is_repeat", "=", True), ("lot_id", "in", [lot_a.id, lot_b.id])]
            ),
            day_90,
        )


class TestDefectClaimLines(ClaimCommon):
    """A supplier claim line names the defect of its service order that the
    vendor answers for."""

    def test_claim_line_takes_the_one_supplier_defect(self):
        supplier = self._replaced_order(name="SN-D-1", responsibility="supplier")
        manufacturer = self._replaced_order(name="SN-D-2", responsibility="manufacturer")
        claim = self._new_claim(supplier | manufacturer)
        lines = claim.line_ids.grouped("service_order_id")
        self.assertEqual(lines[supplier].defect_id, supplier.defect_ids)
        self.assertFalse(lines[manufacturer].defect_id)
        domain = lines[supplier]._fields["defect_id"].domain
        self.assertIn("('responsibility', '=', 'supplier')", domain)

    def test_claim_line_with_two_supplier_defects_is_chosen(self):
        order = self._new_order()
        self._receive(order)
        first, second = self._record_defect(order, responsibility="supplier") | self._record_defect(
            order, responsibility="supplier"
        )
        other = self._replaced_order(name="SN-D-3", responsibility="supplier")
        line = self._new_claim(order).line_ids
        self.assertFalse(line.defect_id)
        line.with_user(self.as_user).defect_id = second
        self.assertEqual(line.defect_id, second)
        with self.assertRaisesText(ValidationError, "must be one of its service order"):
            line.with_user(self.as_user).defect_id = other.defect_ids
        self.assertEqual(line.defect_id, second)
        self.assertNotEqual(first, second)
