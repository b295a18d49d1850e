from datetime import date

from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import Form
from odoo.tools.safe_eval import safe_eval

from .claim_common import ClaimCommon


class TestWizards(ClaimCommon):
    """Each wizard as the web client runs it: its view applied by ``Form``, as
    a user of the module's groups, opened by the action its button returns."""

    def _wizard(self, action, user=None):
        """The form of the wizard that ``action`` (a window action) opens."""
        self.assertEqual(action["target"], "new")
        context = action.get("context") or {}
        if isinstance(context, str):
            context = safe_eval(context)
        return Form(
            self.env[action["res_model"]].with_user(user or self.as_user).with_context(**context)
        )

    def _ready_wizard(self, order, user=None):
        """The Set Ready screen of ``order``, opened as its header button does."""
        action = self.env.ref("aftersales_service.aftersales_service_order_ready_action")
        return Form(
            self.env[action.res_model]
            .with_user(user or self.as_user)
            .with_context(default_service_order_id=order.id)
        )

    def _register_loaner(self):
        product = self.env["product.product"].create(
            {"name": "Loaner Espresso Machine", "is_storable": True, "tracking": "serial"}
        )
        lot = self._put_in_stock(product, 1)
        loaner = self.env["aftersales.loaner"].with_user(self.as_user).create({"lot_id": lot.id})
        self._validate(loaner.picking_id, self.stock_user)
        return loaner

    # ------------------------------------------------------------------
    # Service order
    # ------------------------------------------------------------------

    def test_supplier_claims_from_the_order_form(self):
        orders = self._replaced_order(name="SN-W-1") | self._replaced_order(
            self.other_vendor, name="SN-W-2"
        )
        form = self._wizard(orders.with_user(self.as_user).action_create_supplier_claims())
        self.assertEqual(len(form.line_ids), 2)
        proposed = {}
        for index in range(2):
            with form.line_ids.edit(index) as line:
                if index == 0:
                    line.price_unit = 350.0
                proposed[line.service_order_id] = (line.partner_id, line.price_unit)
        self.assertEqual(set(proposed), set(orders))
        self.assertTrue(all(vendor for vendor, _price in proposed.values()))
        form.save().action_create()
        claims = self.env["aftersales.supplier.claim"].search(
            [("line_ids.service_order_id", "in", orders.ids)]
        )
        self.assertEqual(len(claims.line_ids), 2)
        self.assertEqual(
            {
                line.service_order_id: (line.claim_id.partner_id, line.price_unit)
                for line in claims.line_ids
            },
            proposed,
            "one line per order, with the vendor and price of the screen",
        )
        self.assertEqual(
            claims.partner_id, self.env["res.partner"].union(*(v for v, _p in proposed.values()))
        )
        self.assertEqual(len(claims), len(claims.partner_id), "one claim per vendor")
        self.assertAlmostEqual(
            sum(claims.mapped("amount_claimed")), sum(p for _v, p in proposed.values())
        )
        self.assertIn(350.0, claims.line_ids.mapped("price_unit"))
        self.assertEqual(set(claims.mapped("state")), {"draft"})

    def test_set_ready_with_a_resolution(self):
        order = self._new_order()
        self._receive(order)
        form = self._ready_wizard(order)
        self.assertEqual(form.service_order_id, order)
        form.resolution = "no_fault_found"
        result = form.save().action_apply()
        self.assertEqual(result, {"type": "ir.actions.act_window_close"})
        self.assertEqual((order.state, order.resolution), ("ready", "no_fault_found"))
        self.assertFalse(order.return_picking_id)

        order.with_user(self.as_user).action_return_to_customer()
        self.assertTrue(order.return_picking_id, "the hand-back delivery shows on the form")
        self._validate(order.return_picking_id, self.stock_user)
        self.assertEqual(order.state, "done")
        self.assertFalse(order.return_picking_id)

    def test_set_ready_not_repairable_after_repair_started(self):
        order = self._new_order(request_type="repair")
        self._receive(order)
        order.action_start_repair()
        form = self._ready_wizard(order)
        form.resolution = "not_repairable"
        form.save().action_apply()
        self.assertEqual((order.state, order.resolution), ("ready", "not_repairable"))

    def test_set_ready_replaced_with_a_serial(self):
        order = self._new_order(request_type="replacement")
        self._receive(order)
        self._record_defect(order)
        new_lot = self._put_in_stock(self.product_serial, 1)
        form = self._ready_wizard(order)
        form.resolution = "replaced"
        form.replacement_lot_id = new_lot
        form.save().action_apply()
        self.assertEqual((order.state, order.resolution), ("ready", "replaced"))
        delivery = order.return_picking_id
        self.assertEqual(delivery.aftersales_transfer_kind, "replacement_out")
        self.assertEqual(delivery.move_line_ids.lot_id, new_lot)
        self._validate(delivery, self.stock_user)
        self.assertEqual(order.state, "done")

    def test_refund_offered_to_managers_only(self):
        invoice = self.sale._create_invoices()
        invoice.action_post()
        order = self._new_order(request_type="refund")
        self._receive(order)
        self._record_defect(order)
        Ready = self.env["aftersales.service.order.ready"]
        user_choices = dict(
            Ready.with_user(self.as_user).fields_get(["resolution"])["resolution"]["selection"]
        )
        manager_choices = dict(
            Ready.with_user(self.as_manager).fields_get(["resolution"])["resolution"]["selection"]
        )
        self.assertNotIn("refunded", user_choices)
        self.assertIn("refunded", manager_choices)
        self.assertEqual(set(manager_choices) - set(user_choices), {"refunded"})

        wizard = Ready.with_user(self.as_user).create(
            {"service_order_id": order.id, "resolution": "refunded"}
        )
        with self.assertRaises(AccessError):
            wizard.action_apply()
        self.assertFalse(order.refund_move_id)

        form = self._ready_wizard(order, self.as_manager)
        form.resolution = "refunded"
        form.save().action_apply()
        self.assertEqual((order.state, order.resolution), ("done", "refunded"))
        self.assertEqual(order.refund_move_id.move_type, "out_refund")
        self.assertAlmostEqual(order.refund_move_id.amount_untaxed, 500.0)

    def test_override_coverage(self):
        order = self._new_order()
        form = self._wizard(order.action_open_coverage_wizard(), self.as_manager)
        self.assertEqual(form.service_order_id, order)
        form.coverage = "goodwill"
        form.note = "Loyal customer"
        form.save().action_apply()
        self.assertEqual(
            (order.coverage, order.coverage_overridden, order.coverage_note),
            ("goodwill", True, "Loyal customer"),
        )

    def test_send_to_workshop(self):
        order = self._new_order()
        self._receive(order)
        form = self._wizard(order.with_user(self.as_user).action_open_workshop_wizard())
        form.partner_id = self.workshop
        form.save().action_send()
        self.assertEqual((order.state, order.workshop_partner_id), ("in_progress", self.workshop))
        kinds = order.picking_ids.filtered(lambda p: p.state != "done").mapped(
            "aftersales_transfer_kind"
        )
        self.assertEqual(sorted(kinds), ["workshop_in", "workshop_out"])

    def test_lend_a_loaner(self):
        loaner = self._register_loaner()
        order = self._new_order()
        self._receive(order)
        form = self._wizard(order.with_user(self.as_user).action_open_lend_wizard())
        self.assertEqual(form.loaner_id, loaner, "the available loaner is proposed")
        form.date_due = date(2026, 1, 20)
        form.condition_out = "Like new"
        form.save().action_lend()
        loan = order.loan_ids
        self.assertEqual(len(loan), 1)
        self.assertEqual(
            (loan.loaner_id, loan.partner_id, loan.date_due, loan.condition_out, loan.state),
            (loaner, self.customer, date(2026, 1, 20), "Like new", "draft"),
        )
        self.assertEqual(loan.picking_out_id.aftersales_transfer_kind, "loan_out")

    # ------------------------------------------------------------------
    # Supplier claims
    # ------------------------------------------------------------------

    def test_vendor_answer_accept_and_reject(self):
        accepted = self._new_claim(self._replaced_order(name="SN-W-3"))
        rejected = self._new_claim(self._replaced_order(name="SN-W-4"))
        self._send(accepted)
        self._send(rejected)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_supplier_claim_answer_action"
        )
        form = self._wizard(dict(action, context={"active_id": accepted.id}), self.as_manager)
        self.assertEqual(form.amount, accepted.amount_claimed, "the claimed amount is proposed")
        form.amount = 250.0
        form.save().action_apply()
        self.assertEqual((accepted.state, accepted.amount_accepted), ("accepted", 250.0))

        form = self._wizard(dict(action, context={"active_id": rejected.id}), self.as_manager)
        form.decision = "reject"
        form.reason = "Damage from misuse"
        form.save().action_apply()
        self.assertEqual(
            (rejected.state, rejected.reject_reason), ("rejected", "Damage from misuse")
        )

    # ------------------------------------------------------------------
    # Warranties
    # ------------------------------------------------------------------

    def test_check_a_serial(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_warranty_check_action"
        )
        form = self._wizard(action)
        self.assertEqual(form.date, date(2026, 1, 5))
        form.serial = f" {self.lot.name} "
        self.assertTrue(form.found)
        self.assertEqual(
            (form.state, form.warranty_id, form.partner_id, form.product_id, form.date_end),
            ("active", self.warranty, self.customer, self.product_serial, self.warranty.date_end),
        )
        form.date = date(2028, 6, 1)
        self.assertEqual(form.state, "expired")
        check = form.save()
        self.assertEqual(
            check.action_open_warranty(),
            {
                "type": "ir.actions.act_window",
                "res_model": "aftersales.warranty",
                "res_id": self.warranty.id,
                "views": [(False, "form")],
                "target": "current",
            },
        )

        self.warranty.with_user(self.as_manager).void("Seal broken")
        form = self._wizard(action)
        form.serial = self.lot.name
        self.assertEqual((form.found, form.state), (True, "void"))

        form.serial = "NO-SUCH-SERIAL"
        self.assertFalse(form.found)
        self.assertFalse(form.state)
        self.assertFalse(form.warranty_id)

    def test_warranty_search_finds_a_serial_in_any_state(self):
        self.warranty.with_user(self.as_manager).void("Seal broken")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_warranty_action"
        )
        self.assertNotIn("search_default", action["context"], "no default filter hides a warranty")
        Warranty = self.Warranty.with_user(self.as_user)
        arch = Warranty.get_views([(action["search_view_id"][0], "search")])["views"]["search"]
        first = etree.fromstring(arch["arch"]).find(".//field")
        self.assertEqual(first.get("name"), "name", "Enter searches the first field")
        for typed in (self.lot.name, self.warranty.name):
            domain = safe_eval(first.get("filter_domain"), {"self": typed})
            self.assertEqual(Warranty.search(domain), self.warranty, typed)
