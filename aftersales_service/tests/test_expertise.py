"""Independent expertise: the customer disputes the finding, the unit goes to
an examiner and back through real transfers validated by the warehouse, and
the examiner's conclusion decides the coverage, who pays and what is quoted."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

from odoo.addons.base.controllers.rpc import dumps

from .service_common import ServiceCommon

WINDOW = "ir.actions.act_window"
QUESTION = "Was the boiler cracked by an impact, or is it a manufacturing defect?"


class TestExpertise(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.examiner = cls.env["res.partner"].create(
            {"name": "Appliance Examiners Ltd", "email": "lab@examiners.example.com"}
        )
        cls.expertise_product = cls.env.ref("aftersales_service.product_service_expertise")
        cls.expertise_product.taxes_id = [Command.clear()]
        cls.suppliers = cls.env.ref("stock.stock_location_suppliers")
        cls.Expertise = cls.env["aftersales.expertise"].with_user(cls.as_user)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _received_order(self, void_warranty=False, **values):
        """A service order of a newly delivered machine, its unit in Service;
        with ``void_warranty`` the warranty is void first (the order is paid)."""
        warranty = self._deliver([(self.product_serial, 1)]).warranty_ids
        if void_warranty:
            warranty.with_user(self.as_manager).void("Opened by a third-party repair shop")
        order = self._new_order(lot=warranty.lot_id, **values)
        self._receive(order)
        return order

    def _send(self, order, user=None):
        """Send the unit of ``order`` to the examiner, as the order's button does."""
        action = order.with_user(user or self.as_user).action_send_to_expertise(
            self.examiner.id, QUESTION
        )
        self.assertRpcSafe(action)
        self.assertEqual((action["res_model"], action["type"]), (self.Expertise._name, WINDOW))
        return self.Expertise.browse(action["res_id"])

    def _conclude(self, expertise, conclusion, note="Seen by the examiner.", cost=0.0):
        result = expertise.with_user(self.as_manager).action_conclude(conclusion, note, cost)
        self.assertIs(result, True)
        return result

    def _lines(self, sale):
        """[(product, quantity, unit price)] of the sale order's lines."""
        return [
            (line.product_id, line.product_uom_qty, line.price_unit) for line in sale.order_line
        ]

    def _counts(self):
        """How many records an expertise action could have made (the
        tracking of what was done before is written first)."""
        self.env.cr.flush()
        models = (
            "aftersales.expertise",
            "stock.picking",
            "sale.order",
            "sale.order.line",
            "mail.mail",
            "mail.message",
        )
        return {model: self.env[model].sudo().search_count([]) for model in models}

    def _unit_elsewhere(self, lot):
        """{location: (quantity, owner)} of the serial outside the company's own locations."""
        quants = self.env["stock.quant"].search(
            [("lot_id", "=", lot.id), ("quantity", ">", 0), ("location_id", "=", self.suppliers.id)]
        )
        return {quant.location_id: (quant.quantity, quant.owner_id) for quant in quants}

    def assertRpcSafe(self, value):
        """``value`` goes over XML-RPC: no recordset, no None anywhere in it."""
        dumps((value,))

    def _subject(self, order):
        return (
            f"{self.env.company.name}: conclusion of the independent expertise of your "
            f"{self.product_serial.name} ({order.name})"
        )

    # ------------------------------------------------------------------
    # The flow through real transfers
    # ------------------------------------------------------------------

    def test_full_flow_through_real_transfers(self):
        order = self._received_order()
        lot = order.lot_id
        self.assertEqual(self._lot_quants(lot), {self.service_location: (1.0, self.customer)})
        expertise = self.Expertise.create(
            {"service_order_id": order.id, "partner_id": self.examiner.id, "question": QUESTION}
        )
        self.assertRegex(expertise.name, r"^EXP/2026/\d{5}$")
        self.assertEqual(
            (expertise.state, expertise.company_id, expertise.customer_id, expertise.lot_id),
            ("draft", order.company_id, self.customer, lot),
        )
        self.assertFalse(expertise.picking_ids)
        self.assertEqual(order.expertise_count, 1)

        self.assertIs(expertise.action_send(), True)
        out, back = expertise.picking_out_id, expertise.picking_in_id
        self.assertEqual(expertise.picking_ids, out | back)
        self.assertEqual(order.picking_ids & expertise.picking_ids, out | back)
        self.assertEqual((order.picking_count, expertise.picking_count), (3, 2))
        for picking, kind, source, destination in (
            (out, "expertise_out", self.service_location, self.suppliers),
            (back, "expertise_in", self.suppliers, self.service_location),
        ):
            with self.subTest(kind=kind):
                self.assertEqual(
                    (
                        picking.aftersales_transfer_kind,
                        picking.aftersales_service_order_id,
                        picking.partner_id,
                        picking.owner_id,
                        picking.location_id,
                        picking.location_dest_id,
                        picking.state,
                    ),
                    (kind, order, self.examiner, self.customer, source, destination, "assigned"),
                )
                self.assertEqual(picking.move_ids.move_line_ids.lot_id, lot)
                self.assertEqual(picking.move_ids.move_line_ids.owner_id, self.customer)
        self.assertEqual((expertise.state, expertise.date_sent), ("sent", date(2026, 1, 5)))
        self.assertEqual(order.unit_location, "service", "not gone before the warehouse ships it")
        self.assertEqual(expertise.unit_status, "leaving")

        self._validate(out, self.stock_user)
        self.assertEqual(self._lot_quants(lot), {})
        self.assertEqual(self._unit_elsewhere(lot), {self.suppliers: (1.0, self.customer)})
        self.assertEqual((order.unit_location, order.state), ("workshop", "received"))
        self.assertEqual(expertise.unit_status, "at_examiner")

        # The examiner's answer comes before the unit.
        self._conclude(expertise, "no_fault", "Nothing wrong with the boiler.", 50.0)
        self.assertEqual(
            (expertise.state, expertise.date_concluded), ("concluded", date(2026, 1, 5))
        )
        self.assertEqual(back.state, "assigned")

        self._validate(back, self.stock_user)
        self.assertEqual(self._lot_quants(lot), {self.service_location: (1.0, self.customer)})
        self.assertEqual(self._unit_elsewhere(lot), {})
        self.assertEqual((order.unit_location, order.state), ("service", "received"))
        self.assertEqual((expertise.state, expertise.unit_status), ("concluded", "back"))

        # The unit goes home as any other.
        order.with_user(self.as_user).action_set_ready("no_fault_found")
        order.with_user(self.as_user).action_return_to_customer()
        self._validate(order.return_picking_id, self.stock_user)
        self.assertEqual((order.state, self._lot_quants(lot)), ("done", {}))

    def test_send_and_conclude_through_the_wizards(self):
        order = self._received_order()
        action = order.with_user(self.as_user).action_open_expertise_wizard()
        self.assertRpcSafe(action)
        form = Form(
            self.env[action["res_model"]].with_user(self.as_user).with_context(**action["context"])
        )
        self.assertEqual(form.service_order_id, order)
        form.partner_id = self.examiner
        form.question = QUESTION
        result = form.save().action_send()
        self.assertRpcSafe(result)
        expertise = self.Expertise.browse(result["res_id"])
        self.assertEqual(
            (expertise.service_order_id, expertise.partner_id, expertise.question, expertise.state),
            (order, self.examiner, QUESTION, "sent"),
        )
        self.assertEqual(len(expertise.picking_ids), 2)

        action = expertise.with_user(self.as_manager).action_open_conclude_wizard()
        self.assertRpcSafe(action)
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.as_manager)
            .with_context(**action["context"])
        )
        form.conclusion = "defect_confirmed"
        form.note = "The boiler weld is porous: a manufacturing defect."
        form.cost = 140.0
        self.assertEqual(form.save().action_apply(), {"type": "ir.actions.act_window_close"})
        self.assertEqual(
            (expertise.state, expertise.conclusion, expertise.cost, expertise.cost_bearer),
            ("concluded", "defect_confirmed", 140.0, "company"),
        )
        self.assertEqual(order.coverage, "warranty")
        with self.assertRaises(AccessError):
            self.env[action["res_model"]].with_user(self.as_user).create(
                {"expertise_id": expertise.id, "conclusion": "no_fault", "note": "x"}
            )

    # ------------------------------------------------------------------
    # What each conclusion does to the order
    # ------------------------------------------------------------------

    def test_defect_confirmed_puts_the_order_under_warranty(self):
        order = self._received_order(void_warranty=True)
        self.assertEqual((order.coverage, order.cost_bearer), ("paid", "customer"))
        order.with_user(self.as_user).action_create_quotation()
        quotation = order.sale_order_id
        self.assertEqual((quotation.state, quotation.amount_untaxed), ("draft", 35.0))
        expertise = self._send(order)
        self.env.cr.flush()  # what came before was committed: its tracking is written
        self._conclude(expertise, "defect_confirmed", "The pump seal was faulty.", 150.0)
        self.assertEqual(
            (order.coverage, order.coverage_overridden, order.cost_bearer),
            ("warranty", True, "company"),
        )
        self.assertEqual(
            order.coverage_note,
            f"Independent expertise {expertise.name} by Appliance Examiners Ltd: "
            "Defect Confirmed. The pump seal was faulty.",
        )
        self.assertEqual((expertise.cost, expertise.cost_bearer), (150.0, "company"))
        self.assertEqual(quotation.state, "cancel", "a covered service is not quoted")
        self.assertFalse(
            self.env["sale.order.line"].search([("product_id", "=", self.expertise_product.id)])
        )
        # The coverage is tracked on the order.
        self.env.cr.flush()
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", order._name),
                ("mail_message_id.res_id", "=", order.id),
                ("field_id.name", "=", "coverage"),
            ]
        )
        self.assertEqual(
            [(t.old_value_char, t.new_value_char) for t in tracked], [("Paid", "Under Warranty")]
        )
        # The recompute (on a later change of the warranty) keeps the conclusion.
        self.env.add_to_compute(order._fields["coverage"], order)
        self.assertEqual(order.coverage, "warranty")

    def test_customer_fault_creates_the_quotation(self):
        order = self._received_order()
        order.with_user(self.as_user).labour_hours = 1.5
        self.assertEqual((order.coverage, order.cost_bearer), ("warranty", "company"))
        self.assertFalse(order.sale_order_id)
        expertise = self._send(order)
        self._conclude(expertise, "customer_fault", "Dropped: the housing is cracked.", 120.0)
        self.assertEqual(
            (order.coverage, order.coverage_overridden, order.cost_bearer),
            ("paid", True, "customer"),
        )
        self.assertIn(expertise.name, order.coverage_note)
        self.assertEqual((expertise.cost, expertise.cost_bearer), (120.0, "customer"))
        sale = order.sale_order_id
        self.assertEqual(sale.state, "draft")
        self.assertEqual((sale.partner_id, sale.user_id), (self.customer, self.as_user))
        self.assertEqual(
            self._lines(sale),
            [
                (self.diagnosis_product, 1.0, 35.0),
                (self.labour_product, 1.5, 60.0),
                (self.expertise_product, 1.0, 120.0),
            ],
        )
        self.assertEqual(sale.amount_untaxed, 245.0)
        expertise_line = sale.order_line.filtered(lambda x: x.product_id == self.expertise_product)
        self.assertIn(expertise.name, expertise_line.name)
        self.assertIn(order.lot_id.name, expertise_line.name)

    def test_customer_fault_adds_to_the_quotation(self):
        order = self._received_order(void_warranty=True)
        order.with_user(self.as_user).action_create_quotation()
        sale = order.sale_order_id
        expertise = self._send(order)
        self._conclude(expertise, "customer_fault", "Limescale seized the pump.", 80.0)
        self.assertEqual(order.sale_order_id, sale, "the same quotation")
        self.assertEqual(
            self._lines(sale),
            [(self.diagnosis_product, 1.0, 35.0), (self.expertise_product, 1.0, 80.0)],
        )
        self.assertEqual((sale.state, sale.amount_untaxed), ("draft", 115.0))
        # A quotation made again later (the first one cancelled) keeps the expertise.
        sale._action_cancel()
        order.with_user(self.as_user).action_create_quotation()
        self.assertNotEqual(order.sale_order_id, sale)
        self.assertEqual(order.sale_order_id.amount_untaxed, 115.0)

    def test_customer_fault_on_a_confirmed_sale_order(self):
        order = self._received_order(void_warranty=True)
        order.with_user(self.as_user).action_create_quotation()
        sale = order.sale_order_id
        sale.action_confirm()
        expertise = self._send(order)
        self._conclude(expertise, "customer_fault", "Limescale seized the pump.", 80.0)
        self.assertEqual((sale.state, sale.amount_untaxed), ("sale", 115.0))
        line = sale.order_line.filtered(lambda x: x.product_id == self.expertise_product)
        self.assertEqual((line.qty_to_invoice, sale.invoice_status), (1.0, "to invoice"))

    def test_customer_fault_on_a_locked_sale_order_is_refused(self):
        order = self._received_order(void_warranty=True)
        order.with_user(self.as_user).action_create_quotation()
        sale = order.sale_order_id
        sale.action_confirm()
        sale.action_lock()
        expertise = self._send(order)
        before = self._counts()
        with self.assertRaisesText(UserError, "is locked: unlock it"):
            self._conclude(expertise, "customer_fault", "Limescale seized the pump.", 80.0)
        self.assertEqual(self._counts(), before)
        self.assertEqual(
            (expertise.state, expertise.cost, expertise.conclusion), ("sent", 0.0, False)
        )
        self.assertEqual((order.coverage, order.coverage_overridden), ("paid", False))
        self.assertEqual(sale.amount_untaxed, 35.0)
        # Unlocked, it goes on.
        sale.action_unlock()
        self._conclude(expertise, "customer_fault", "Limescale seized the pump.", 80.0)
        self.assertEqual(sale.amount_untaxed, 115.0)

    def test_customer_fault_at_no_cost_quotes_nothing(self):
        order = self._received_order()
        expertise = self._send(order)
        self._conclude(expertise, "customer_fault", "Dropped.", 0.0)
        self.assertEqual((order.coverage, order.cost_bearer), ("paid", "customer"))
        self.assertEqual(expertise.cost_bearer, "customer")
        self.assertFalse(order.sale_order_id)

    def test_no_fault_leaves_the_coverage(self):
        for void_warranty, coverage, bearer in (
            (False, "warranty", "company"),
            (True, "paid", "customer"),
        ):
            with self.subTest(coverage=coverage):
                order = self._received_order(void_warranty=void_warranty)
                expertise = self._send(order)
                self._conclude(expertise, "no_fault", "The unit works as specified.", 60.0)
                self.assertEqual(
                    (order.coverage, order.coverage_overridden, order.coverage_note),
                    (coverage, False, False),
                )
                self.assertEqual(order.cost_bearer, bearer)
                self.assertEqual((expertise.cost, expertise.cost_bearer), (60.0, "company"))
                self.assertFalse(order.sale_order_id)
                notes = order.message_ids.filtered(
                    lambda m, e=expertise: m.message_type == "notification" and e.name in m.body
                )
                self.assertIn("No Fault", notes.body)

    def test_the_customer_is_emailed_in_the_order_chatter(self):
        order = self._received_order()
        expertise = self._send(order)
        self._conclude(expertise, "customer_fault", "Dropped: the housing is cracked.", 120.0)
        subject = self._subject(order)
        [message] = order.message_ids.filtered(lambda m: m.subject == subject)
        self.assertEqual((message.message_type, message.partner_ids), ("comment", self.customer))
        self.assertEqual(message.author_id, self.as_manager.partner_id)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertIn("Dropped: the housing is cracked.", message.body)
        self.assertIn("120.00", message.body)
        self.assertIn("is not covered by the warranty", message.body)
        mails = self.env["mail.mail"].search(
            [("model", "=", order._name), ("res_id", "=", order.id), ("subject", "=", subject)]
        )
        self.assertEqual(len(mails.filtered(lambda m: self.customer in m.recipient_ids)), 1)
        # Staff see the conclusion and its effect, logged apart.
        note = order.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_note") and expertise.name in m.body
        )
        self.assertEqual(len(note), 1)
        self.assertIn("Customer Fault", note.body)
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", expertise._name), ("res_id", "=", expertise.id)]
            ),
            "one email, on the order",
        )

    def test_transfer_note_pdf(self):
        order = self._received_order()
        order.with_user(self.as_user).diagnosis = "<p>Hairline crack in the boiler.</p>"
        expertise = self._send(order)
        action = expertise.action_print_note()
        self.assertRpcSafe(action)
        self.assertEqual(action["report_name"], "aftersales_service.report_expertise_transfer")
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.as_user)
            ._render_qweb_html("aftersales_service.action_report_expertise_transfer", expertise.ids)
        )
        html = html.decode()
        for text in (
            "Expertise Transfer Note",
            expertise.name,
            order.name,
            order.lot_id.name,
            self.product_serial.name,
            "Leaks water",
            "Hairline crack in the boiler.",
            QUESTION,
            "Appliance Examiners Ltd",
            expertise.picking_out_id.name,
        ):
            with self.subTest(text=text):
                self.assertIn(text, html)

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------

    def test_rights(self):
        order = self._received_order(void_warranty=True)
        expertise = self._send(order)
        as_user = expertise.with_user(self.as_user)
        before = self._counts()
        with self.assertRaisesText(AccessError, "Only an After-Sales Manager"):
            as_user.action_conclude("defect_confirmed", "Defect", 10.0)
        self.assertEqual(self._counts(), before)
        self.assertEqual((expertise.state, order.coverage), ("sent", "paid"))
        for vals in (
            {"state": "concluded"},
            {"conclusion": "defect_confirmed"},
            {"conclusion_note": "Defect"},
            {"cost": 5.0},
            {"cost_bearer": "company"},
            {"date_sent": "2026-01-01"},
        ):
            with self.subTest(vals=vals), self.assertRaisesText(UserError, "through its actions"):
                as_user.write(vals)
        with self.assertRaisesText(UserError, "through its actions"):
            self.Expertise.create(
                {"service_order_id": order.id, "partner_id": self.examiner.id, "state": "sent"}
            )
        as_user.write({"question": "Impact?"})
        with self.assertRaises(AccessError):
            as_user.unlink()
        with self.assertRaisesText(UserError, "Cancel an expertise that was sent"):
            expertise.with_user(self.as_manager).unlink()
        for user in (self.stock_user,):
            with self.assertRaises(AccessError):
                self.env["aftersales.expertise"].with_user(user).search_read([], ["name"])
        # The manager concludes; the clerk may cancel another one.
        self._conclude(expertise, "defect_confirmed", "Defect", 10.0)
        self.assertEqual(order.coverage, "warranty")
        other = self._send(self._received_order())
        self.assertIs(other.with_user(self.as_user).action_cancel(), True)
        self.assertEqual(other.state, "cancel")

    # ------------------------------------------------------------------
    # Repeats, refusals and cancellation
    # ------------------------------------------------------------------

    def _twice(self, action, error):
        """Run ``action``, then again: refused with ``error``, nothing created."""
        action()
        before = self._counts()
        with self.assertRaisesText(UserError, error):
            action()
        self.assertEqual(self._counts(), before)

    def test_every_action_refuses_a_repeat(self):
        order = self._received_order()
        expertise = self.Expertise.create(
            {"service_order_id": order.id, "partner_id": self.examiner.id, "question": QUESTION}
        )
        with self.assertRaisesText(UserError, "current state"):
            self._conclude(expertise, "no_fault")
        self._twice(expertise.action_send, "current state")
        self.assertEqual(len(expertise.picking_ids), 2)
        before = self._counts()
        with self.assertRaisesText(UserError, "already at expertise"):
            self._send(order)
        self.assertEqual(self._counts(), before)
        self._twice(
            lambda: self._conclude(expertise, "customer_fault", "Dropped.", 70.0), "current state"
        )
        self.assertEqual((expertise.conclusion, expertise.cost), ("customer_fault", 70.0))
        self.assertEqual(order.sale_order_id.amount_untaxed, 105.0)
        with self.assertRaisesText(UserError, "current state"):
            expertise.action_cancel()
        # Concluded, the unit is still at the examiner: no second expertise yet.
        self._validate(expertise.picking_out_id, self.stock_user)
        with self.assertRaisesText(UserError, "on its way"):
            self._send(order)
        self._validate(expertise.picking_in_id, self.stock_user)
        second = self._send(order)
        self.assertEqual((second.state, len(order.expertise_ids)), ("sent", 2))
        self._twice(second.action_cancel, "current state")

    def test_cancel_keeps_the_way_back_of_a_unit_at_the_examiner(self):
        order = self._received_order()
        draft = self.Expertise.create(
            {"service_order_id": order.id, "partner_id": self.examiner.id}
        )
        self.assertIs(draft.action_cancel(), True)
        self.assertEqual((draft.state, draft.picking_ids.ids), ("cancel", []))
        # Sent, not shipped: both transfers go.
        sent = self._send(order)
        out, back = sent.picking_out_id, sent.picking_in_id
        sent.action_cancel()
        self.assertEqual((sent.state, out.state, back.state), ("cancel", "cancel", "cancel"))
        self.assertEqual(order.unit_location, "service")
        # Shipped: the transfer back stays, and brings the unit home.
        shipped = self._send(order)
        self._validate(shipped.picking_out_id, self.stock_user)
        shipped.action_cancel()
        self.assertEqual(
            (shipped.state, shipped.picking_out_id.state, shipped.picking_in_id.state),
            ("cancel", "done", "assigned"),
        )
        self._validate(shipped.picking_in_id, self.stock_user)
        self.assertEqual(
            self._lot_quants(order.lot_id), {self.service_location: (1.0, self.customer)}
        )
        with self.assertRaisesText(UserError, "current state"):
            self._conclude(shipped, "no_fault")

    def test_a_unit_not_waiting_in_service_is_not_sent(self):
        # Not received yet.
        expected = self._new_order(
            lot=self._deliver([(self.product_serial, 1)]).warranty_ids.lot_id
        )
        expected.with_user(self.as_user).action_confirm()
        cases = [(expected, "current state")]
        # On its way to a workshop.
        workshop = self._received_order()
        workshop.with_user(self.as_user).action_send_to_workshop(self.workshop.id)
        cases.append((workshop, "on its way"))
        # At the workshop.
        at_workshop = self._received_order()
        at_workshop.with_user(self.as_user).action_send_to_workshop(self.workshop.id)
        self._validate(
            at_workshop.picking_ids.filtered(
                lambda p: p.aftersales_transfer_kind == "workshop_out"
            ),
            self.stock_user,
        )
        cases.append((at_workshop, "on its way"))
        # On-site work: no unit in Service.
        on_site = self._new_order(request_type="installation")
        on_site.with_user(self.as_user).action_confirm()
        cases.append((on_site, "not in the Service location"))
        # Ready to go home.
        ready = self._received_order()
        ready.with_user(self.as_user).action_set_ready("no_fault_found")
        cases.append((ready, "current state"))
        for order, error in cases:
            with self.subTest(order=order.name, error=error):
                before = self._counts()
                with self.assertRaisesText(UserError, error):
                    self._send(order)
                self.assertEqual(self._counts(), before)
        # Without a question for the examiner.
        order = self._received_order()
        draft = self.Expertise.create(
            {"service_order_id": order.id, "partner_id": self.examiner.id}
        )
        with self.assertRaisesText(UserError, "Write what the examiner is asked"):
            draft.action_send()
        self.assertEqual((draft.state, draft.picking_ids.ids), ("draft", []))

    def test_conclusion_of_a_cancelled_order_is_refused(self):
        order = self._received_order()
        expertise = self._send(order)
        order.with_user(self.as_user).action_cancel()
        self.assertEqual(expertise.picking_ids.mapped("state"), ["cancel", "cancel"])
        before = self._counts()
        with self.assertRaisesText(UserError, "current state"):
            self._conclude(expertise, "defect_confirmed", "Defect", 10.0)
        self.assertEqual(self._counts(), before)
        self.assertEqual((expertise.state, order.coverage), ("sent", "warranty"))

    # ------------------------------------------------------------------
    # Bad input: a clear error that names it, nothing changed
    # ------------------------------------------------------------------

    def test_bad_input(self):
        order = self._received_order(void_warranty=True)
        as_user = order.with_user(self.as_user)
        before = self._counts()
        for partner in ("Appliance Examiners Ltd", [self.examiner.id], -1, 10**9, True, None):
            with self.subTest(partner=partner), self.assertRaisesText(UserError, "The examiner"):
                as_user.action_send_to_expertise(partner, QUESTION)
        for question in (123, "  ", None, ["Impact?"]):
            with self.subTest(question=question), self.assertRaisesText(UserError, "question"):
                as_user.action_send_to_expertise(self.examiner.id, question)
        self.assertEqual(self._counts(), before)
        self.assertEqual(len(order.picking_ids), 1)

        expertise = self._send(order)
        as_manager = expertise.with_user(self.as_manager)
        before = self._counts()
        cases = [
            (("teleported", "Note", 10.0), "conclusion must be one of"),
            ((None, "Note", 10.0), "conclusion must be one of"),
            (("no_fault", "  ", 10.0), "conclusion note is required"),
            (("no_fault", 42, 10.0), "conclusion note must be text"),
            (("no_fault", "Note", -5.0), "expertise cost must be between 0"),
            (("no_fault", "Note", "100"), "expertise cost must be a number"),
            (("no_fault", "Note", None), "expertise cost must be a number"),
            (("no_fault", "Note", True), "expertise cost must be a number"),
            (("no_fault", "Note", float("nan")), "expertise cost must be a number"),
        ]
        for args, error in cases:
            with self.subTest(args=args), self.assertRaisesText(UserError, error):
                as_manager.action_conclude(*args)
        self.assertEqual(self._counts(), before)
        self.assertEqual(
            (expertise.state, expertise.conclusion, expertise.cost, order.coverage),
            ("sent", False, 0.0, "paid"),
        )
        # The default cost is none.
        self.assertIs(as_manager.action_conclude("no_fault", "Works fine."), True)
        self.assertEqual((expertise.cost, expertise.cost_bearer), (0.0, "company"))

    def test_an_examiner_of_another_company_is_refused(self):
        company2 = self.env["res.company"].create({"name": "Second Service Co"})
        examiner2 = self.env["res.partner"].create({"name": "Other Lab", "company_id": company2.id})
        order = self._received_order()
        before = self._counts()
        with self.assertRaisesText(UserError, "Incompatible companies"):
            order.with_user(self.as_manager).action_send_to_expertise(examiner2.id, QUESTION)
        self.assertEqual(self._counts(), before)
        self.assertEqual(self._send(order).company_id, order.company_id)

    def test_return_values_go_over_rpc(self):
        order = self._received_order()
        expertise = self._send(order)
        for method in (
            order.action_view_expertises,
            order.action_open_expertise_wizard,
            expertise.action_view_pickings,
            expertise.action_view_service_order,
            expertise.action_print_note,
        ):
            with self.subTest(method=method.__name__):
                self.assertRpcSafe(method())
        action = order.action_view_expertises()
        self.assertEqual(self.Expertise.search(action["domain"]), expertise)
