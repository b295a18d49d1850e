"""The rules hold on the server, whatever a client sends: states and decisions
change only through the actions, manager fields are refused to others, the
portal reads no internal field, every action refuses to run twice, and bad
input gets an error that names it."""

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user

from .claim_common import ClaimCommon


class TestServerRules(ClaimCommon):
    @classmethod
    def setUpClass(cls):
        cls.startClassPatcher(freeze_time("2026-06-15 10:00:00"))
        super().setUpClass()
        cls.loaner = cls._register_loaner()

    def _received_order(self, **values):
        lot = self._deliver([(self.product_serial, 1)]).warranty_ids.lot_id
        order = self._new_order(lot=lot, **values)
        self._receive(order)
        return order

    # ------------------------------------------------------------------
    # States and decisions only through the actions
    # ------------------------------------------------------------------

    def test_user_cannot_write_what_actions_decide(self):
        order = self._received_order()
        as_user = order.with_user(self.as_user)
        self.assertEqual(order.coverage, "warranty")
        for vals in (
            {"coverage": "goodwill"},
            {"state": "done"},
            {"resolution": "repaired"},
            {"date_done": "2026-06-15 10:00:00"},
            {"cost_bearer": "supplier"},
        ):
            with self.subTest(vals=vals), self.assertRaisesText(UserError, "through its actions"):
                as_user.write(vals)
        self.assertEqual(
            (order.state, order.coverage, order.resolution), ("received", "warranty", False)
        )
        # A manager cannot either: a state moves only through its action.
        with self.assertRaisesText(UserError, "through its actions"):
            order.with_user(self.as_manager).write({"state": "done"})
        # What the user may edit stays editable.
        as_user.write({"description": "Leaks water and steam", "labour_hours": 1.5})
        self.assertEqual(order.labour_hours, 1.5)

    def test_claim_decisions_only_through_actions(self):
        claim = self._new_claim(self._replaced_order())
        self._send(claim)
        self.assertEqual(claim.amount_claimed, 360.0)
        with self.assertRaisesText(UserError, "through its actions"):
            claim.with_user(self.as_user).write({"state": "accepted", "amount_accepted": 99999.0})
        with self.assertRaisesText(UserError, "through its actions"):
            claim.with_user(self.as_manager).write({"amount_accepted": 99999.0})
        self.assertEqual((claim.state, claim.amount_accepted), ("sent", 0.0))
        claim.with_user(self.as_manager).action_accept(100.0)
        line = claim.line_ids
        for user in (self.as_user, self.as_manager):
            with self.subTest(user=user.login):
                with self.assertRaisesText(UserError, "has been sent to the vendor"):
                    claim.with_user(user).write(
                        {
                            "line_ids": [
                                (0, 0, {"product_id": self.product_serial.id, "price_unit": 1.0})
                            ]
                        }
                    )
                with self.assertRaisesText(UserError, "has been sent to the vendor"):
                    line.with_user(user).price_unit = 99999.0
                with self.assertRaisesText(UserError, "has been sent to the vendor"):
                    line.with_user(user).unlink()
        self.assertEqual(claim.line_ids, line)
        self.assertEqual(claim.amount_claimed, 360.0)

    def test_loaner_and_loan_states_only_through_actions(self):
        self.loaner.with_user(self.as_manager).action_retire()
        with self.assertRaisesText(UserError, "through its actions"):
            self.loaner.with_user(self.as_manager).write({"state": "available"})
        with self.assertRaisesText(UserError, "through its actions"):
            self.loaner.with_user(self.as_manager).write({"retired": False})
        self.assertEqual(self.loaner.state, "retired")
        loan = self.env["aftersales.loan"].create(
            {"loaner_id": self._register_loaner().id, "partner_id": self.customer.id}
        )
        with self.assertRaisesText(UserError, "through its actions"):
            loan.with_user(self.as_user).write({"state": "returned"})
        self.assertEqual(loan.state, "draft")

    def test_warranty_decisions_only_through_actions(self):
        warranty = self.warranty.with_user(self.as_manager)
        for vals in (
            {"state": "void"},
            {"extension_months": 12},
            {"void_reason": "typed"},
            {"date_end": "2099-12-31"},
        ):
            with self.subTest(vals=vals), self.assertRaisesText(UserError, "through its actions"):
                warranty.write(vals)
        self.assertEqual((warranty.state, warranty.extension_months), ("active", 0))
        with self.assertRaises(AccessError):
            self.warranty.with_user(self.as_user).write({"months": 48})

    def test_no_document_is_created_in_a_final_state(self):
        lot = self._put_in_stock(self.product_serial, 1)
        with self.assertRaisesText(UserError, "through its actions"):
            self.Warranty.with_user(self.as_manager).create(
                {
                    "partner_id": self.customer.id,
                    "product_id": self.product_serial.id,
                    "lot_id": lot.id,
                    "months": 12,
                    "state": "void",
                }
            )
        with self.assertRaisesText(UserError, "through its actions"):
            self.ServiceOrder.create({"lot_id": lot.id, "state": "done"})
        with self.assertRaisesText(UserError, "through its actions"):
            self.Claim.create({"partner_id": self.vendor.id, "state": "settled"})
        with self.assertRaisesText(UserError, "through its actions"):
            self.env["aftersales.loan"].with_user(self.as_user).create(
                {"loaner_id": self.loaner.id, "partner_id": self.customer.id, "state": "lent"}
            )
        self.assertFalse(self.Warranty.search([("lot_id", "=", lot.id)]))
        self.assertFalse(self.ServiceOrder.search([("lot_id", "=", lot.id)]))
        # The default state is accepted as it is.
        order = self.ServiceOrder.create({"lot_id": lot.id, "state": "draft"})
        self.assertEqual(order.state, "draft")

    def test_portal_reads_no_internal_field(self):
        portal = new_test_user(
            self.env, login="alice_portal", groups="base.group_portal", partner_id=self.customer.id
        )
        order = self._new_order()
        order.with_user(self.as_manager).action_override_coverage("goodwill", "Loyal customer")
        as_portal = order.with_user(portal)
        self.assertEqual(as_portal.read(["name", "state", "coverage"])[0]["coverage"], "goodwill")
        for field in ("coverage_note", "cost_total", "cost_labour", "cost_parts", "labour_hours"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                as_portal.read([field])

    def test_other_company_sees_no_vendor_through_the_claim_proposal(self):
        """A user of company 2 proposing a claim for the same product is not shown
        company 1's vendor (from company 1's receipts) or its purchase price."""
        company2 = self.env["res.company"].create({"name": "Second Co"})
        user2 = new_test_user(
            self.env,
            login="as_user2",
            groups="base.group_user,aftersales_service.group_aftersales_user",
            company_id=company2.id,
            company_ids=[company2.id],
        )
        self.product_serial.seller_ids.company_id = self.env.company
        order1 = self._replaced_order()
        warehouse2 = self.env["stock.warehouse"].search([("company_id", "=", company2.id)])
        order2 = (
            self.env["aftersales.service.order"]
            .with_user(user2)
            .with_company(company2)
            .create(
                {
                    "partner_id": self.customer.id,
                    "product_id": self.product_serial.id,
                    "warehouse_id": warehouse2.id,
                    "company_id": company2.id,
                }
            )
        )
        Claim2 = self.env["aftersales.supplier.claim"].with_user(user2).with_company(company2)
        with self.assertRaisesText(UserError, "No vendor found"):
            Claim2._propose_lines(order2)
        with self.assertRaises(AccessError):
            Claim2._propose_lines(order1.with_user(user2))

    def test_the_intake_form_tells_what_it_knows(self):
        form = Form(self.env["aftersales.service.order"].with_user(self.as_user))
        self.assertFalse(form.coverage, "no coverage is decided before the serial")
        form.lot_id = self.lot
        self.assertEqual(form.coverage, "warranty")
        self.assertFalse(form.open_order_warning)
        first = form.save()
        first.action_confirm()
        form = Form(self.env["aftersales.service.order"].with_user(self.as_user))
        form.lot_id = self.lot
        self.assertIn(first.name, form.open_order_warning)
        # An open order follows its warranty when it is voided.
        self.warranty.with_user(self.as_manager).void("Seal broken")
        self.assertEqual(first.coverage, "paid")

    def test_a_claim_line_fills_from_its_service_order(self):
        order = self._replaced_order()
        claim = self.Claim.create({"partner_id": self.vendor.id})
        with Form(claim) as form, form.line_ids.new() as line:
            line.service_order_id = order
            self.assertEqual(line.product_id, self.product_serial)
            self.assertEqual(line.lot_id, order.lot_id)
            self.assertEqual(line.price_unit, 360.0)
        self.assertEqual(claim.amount_claimed, 360.0)

    # ------------------------------------------------------------------
    # Every action refuses a repeat
    # ------------------------------------------------------------------

    def test_service_order_actions_refuse_a_repeat(self):
        order = self._received_order()
        as_user = order.with_user(self.as_user)
        as_user.action_send_to_workshop(self.workshop.id)
        self.assertEqual(len(order.picking_ids), 3)
        with self.assertRaisesText(UserError, "already sent to a workshop"):
            as_user.action_send_to_workshop(self.workshop.id)
        self.assertEqual(len(order.picking_ids), 3)

        other = self._received_order()
        as_user = other.with_user(self.as_user)
        with self.assertRaisesText(UserError, "current state"):
            as_user.action_confirm()
        as_user.action_start_repair()
        with self.assertRaisesText(UserError, "current state"):
            as_user.action_start_repair()
        self.assertEqual(
            len(self.env["repair.order"].search([("aftersales_service_order_id", "=", other.id)])),
            1,
        )
        as_user.action_set_ready("no_fault_found")
        with self.assertRaisesText(UserError, "current state"):
            as_user.action_set_ready("no_fault_found")
        as_user.action_return_to_customer()
        with self.assertRaisesText(UserError, "already being returned"):
            as_user.action_return_to_customer()
        self.assertEqual(
            len(other.picking_ids.filtered(lambda p: p.aftersales_transfer_kind == "service_out")),
            1,
        )

    def test_claim_actions_refuse_a_repeat(self):
        claim = self._accepted_claim()
        claim.action_return_goods()
        with self.assertRaisesText(UserError, "already returned"):
            claim.action_return_goods()
        claim.action_create_credit_note()
        with self.assertRaisesText(UserError, "already has a credit note"):
            claim.action_create_credit_note()
        self.assertEqual(len(claim.sudo().credit_note_ids), 1)
        claim.action_receive_replacement()
        with self.assertRaisesText(UserError, "already expected"):
            claim.action_receive_replacement()
        kinds = claim.picking_ids.mapped("aftersales_transfer_kind")
        self.assertEqual(sorted(kinds), ["vendor_replacement_in", "vendor_return"])
        with self.assertRaisesText(UserError, "current state"):
            claim.with_user(self.as_manager).action_accept(100.0)
        self.assertEqual(claim.amount_accepted, 360.0)

    def test_a_service_order_is_claimed_once(self):
        order = self._replaced_order()
        claim = self._new_claim(order)
        with self.assertRaisesText(UserError, "Already claimed"):
            self._new_claim(order)
        self.assertEqual(
            self.env["aftersales.supplier.claim.line"].search_count(
                [("service_order_id", "=", order.id)]
            ),
            1,
        )
        # Once the vendor rejected it, it may be claimed again (from another vendor).
        self._send(claim)
        claim.with_user(self.as_manager).action_reject("Out of warranty")
        self.assertTrue(self._new_claim(order))

    def test_loan_and_warranty_actions_refuse_a_repeat(self):
        order = self._received_order()
        order.with_user(self.as_user).action_lend(self.loaner.id)
        loan = order.loan_ids
        with self.assertRaisesText(UserError, "not on its way"):
            loan.with_user(self.as_user).action_lend()
        self.assertEqual(len(loan.picking_ids), 1)
        self._validate(loan.picking_out_id)
        loan.with_user(self.as_user).action_return()
        with self.assertRaisesText(UserError, "once"):
            loan.with_user(self.as_user).action_return()
        self.assertEqual(len(loan.picking_ids), 2)
        warranty = self.warranty.with_user(self.as_manager)
        warranty.void("Seal broken")
        with self.assertRaisesText(UserError, "already void"):
            warranty.void("Again")

    def _counts(self):
        """How many documents of each kind an action could have made."""
        models = (
            "stock.picking",
            "stock.scrap",
            "account.move",
            "sale.order",
            "repair.order",
            "aftersales.loan",
            "aftersales.supplier.claim",
            "aftersales.warranty",
        )
        return {model: self.env[model].sudo().search_count([]) for model in models}

    def _twice(self, action, error):
        """Run ``action``, then again: the repeat is refused with ``error`` and
        creates nothing."""
        action()
        before = self._counts()
        with self.assertRaisesText(UserError, error):
            action()
        self.assertEqual(self._counts(), before)

    def test_every_action_refuses_a_repeat(self):
        manager = self.as_manager
        paid = self._received_order()
        paid.with_user(manager).action_override_coverage("paid", "Dropped by the customer")
        as_user = paid.with_user(self.as_user)
        self._twice(as_user.action_create_quotation, "already has a quotation")
        self._twice(as_user.action_cancel, "current state")
        on_site = self._new_order(request_type="installation")
        self._twice(on_site.with_user(self.as_user).action_confirm, "current state")
        self._twice(on_site.with_user(self.as_user).action_done_on_site, "current state")
        replaced = self._received_order().with_user(self.as_user)
        self._record_defect(replaced)
        self._twice(
            lambda: replaced.action_replace(self._put_in_stock(self.product_serial, 1)),
            "current state",
        )
        loaner = self._register_loaner().with_user(manager)
        order = self._received_order()
        order.with_user(self.as_user).action_lend(loaner.id)
        loan = order.loan_ids.with_user(manager)
        self._validate(loan.picking_out_id)
        self._twice(loan.action_mark_lost_invoice, "Only a lent loan can be lost")
        self._twice(self._register_loaner().with_user(manager).action_retire, "current state")
        with self.assertRaisesText(UserError, "current state"):
            self._register_loaner().with_user(self.as_user).action_set_available()
        claim = self._new_claim(self._replaced_order(name="SN-V-2"))
        self._send(claim)
        self._twice(lambda: claim.with_user(manager).action_reject("Misuse"), "current state")
        self._twice(claim.with_user(manager).action_cancel, "current state")

    # ------------------------------------------------------------------
    # Bad input: a clear error that names it, nothing changed
    # ------------------------------------------------------------------

    def test_check_serial_bad_input(self):
        Warranty = self.Warranty.with_user(self.as_user)
        for serial in (123, ["a"], True, None, "  "):
            with self.subTest(serial=serial), self.assertRaisesText(UserError, "serial number"):
                Warranty.check_serial(serial)
        serial = self.lot.name
        for day in ("31/12/2026", "2026-13-45", 20261231, ["2026-12-31"]):
            with self.subTest(day=day), self.assertRaisesText(UserError, "YYYY-MM-DD"):
                Warranty.check_serial(serial, day)
        self.assertEqual(Warranty.check_serial(serial, "2026-12-31")["state"], "active")

    def test_warranty_actions_bad_input(self):
        warranty = self.warranty.with_user(self.as_manager)
        with self.assertRaisesText(UserError, "between 1 and 1200"):
            warranty.extend(10**6, "Goodwill")
        for reason in (123, ["x"], None):
            with self.subTest(reason=reason), self.assertRaisesText(UserError, "reason"):
                warranty.void(reason)
        self.assertEqual((warranty.state, warranty.extension_months), ("active", 0))
        with self.assertRaisesText(ValidationError, "more than 1200 months"):
            warranty.months = 5000

    def test_manager_without_email_can_void(self):
        manager = new_test_user(
            self.env,
            login="as_manager_no_mail",
            email=False,
            groups="base.group_user,aftersales_service.group_aftersales_manager",
        )
        self.assertFalse(manager.email)
        self.warranty.with_user(manager).void("Unit opened")
        self.assertEqual(self.warranty.state, "void")
        self.assertIn("Unit opened", self.warranty.message_ids[0].body)

    def test_service_order_actions_bad_input(self):
        order = self._received_order()
        as_user = order.with_user(self.as_user)
        for partner in ("Workshop", [self.workshop.id], -1, 10**9):
            with self.subTest(partner=partner), self.assertRaisesText(UserError, "workshop"):
                as_user.action_send_to_workshop(partner)
        with self.assertRaisesText(UserError, "resolution must be one of"):
            as_user.action_set_ready("teleported")
        with self.assertRaisesText(UserError, "loaner"):
            as_user.action_lend("LN-1")
        with self.assertRaisesText(UserError, "YYYY-MM-DD"):
            as_user.action_lend(self.loaner.id, date_due="next week")
        with self.assertRaisesText(UserError, "coverage must be one of"):
            order.with_user(self.as_manager).action_override_coverage("free", "Because")
        self.assertEqual((order.state, order.coverage), ("received", "warranty"))
        self.assertEqual(len(order.picking_ids), 1)
        self.assertFalse(order.loan_ids)

    def test_loan_and_claim_actions_bad_input(self):
        order = self._received_order()
        with self.assertRaisesText(UserError, "replacement serial"):
            order.with_user(self.as_user).action_replace("SN-NEW")
        order.with_user(self.as_user).action_lend(self.loaner.id)
        loan = order.loan_ids.with_user(self.as_user)
        self._validate(loan.picking_out_id)
        with self.assertRaisesText(UserError, "condition must be text"):
            loan.action_return(123)
        self.assertEqual((loan.state, len(loan.picking_ids)), ("lent", 1))
        claim = self._new_claim(self._replaced_order())
        self._send(claim)
        as_manager = claim.with_user(self.as_manager)
        for amount in (-5.0, 0, None, "100", float("nan")):
            with self.subTest(amount=amount), self.assertRaisesText(UserError, "accepted amount"):
                as_manager.action_accept(amount)
        with self.assertRaisesText(UserError, "reason"):
            as_manager.action_reject(["Misuse"])
        self.assertEqual(claim.state, "sent")
        with self.assertRaisesText(UserError, "service orders"):
            self.Claim.create_from_service_orders(["SRV/1"])

    def test_negative_values_refused(self):
        order = self._received_order()
        for vals in ({"labour_hours": -1}, {"cost_transport": -10.0}):
            with self.subTest(vals=vals), self.assertRaisesText(ValidationError, "negative"):
                order.with_user(self.as_user).write(vals)
        claim = self._new_claim(self._replaced_order())
        for vals in ({"quantity": -1}, {"price_unit": -5.0}):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                claim.line_ids.with_user(self.as_user).write(vals)
        self._send(claim)
        with self.assertRaisesText(UserError, "accepted amount"):
            claim.with_user(self.as_manager).action_accept("lots")
        self.assertEqual(claim.state, "sent")
