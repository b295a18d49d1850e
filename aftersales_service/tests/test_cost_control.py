from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tools.safe_eval import safe_eval

from .service_common import ServiceCommon

OVER_NORM = "Repair cost over its norm"


class TestCostControl(ServiceCommon):
    """Repair norms and the cost of each service order against its norm and
    its revenue, through real repairs, quotations, invoices and credit notes.

    The norm of the espresso machine: 2 gaskets at 8.0 and 1.5 h at 40.0 an
    hour, 76.0."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Norm = cls.env["aftersales.part.norm"]
        cls.norm = cls.Norm.create(
            {
                "product_id": cls.product_serial.id,
                "part_id": cls.part.id,
                "quantity": 2.0,
                "labour_hours": 1.5,
            }
        )
        cls.env.company.aftersales_manager_id = cls.as_manager
        cls.seal = cls.env["product.product"].create(
            {"name": "Pump Seal Kit", "is_storable": True, "standard_price": 5.0}
        )

    def _paid_order(self, **values):
        """A received order of the customer's unit whose warranty has ended (paid)."""
        order = self._new_order(**values)
        order.with_user(self.as_manager).action_override_coverage("paid", "Dropped")
        self._receive(order)
        return order

    def _hand_back(self, order):
        order.action_return_to_customer()
        self._validate(order.return_picking_id, self.stock_user)

    def _over_norm_activities(self, order):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", order._name),
                ("res_id", "=", order.id),
                ("summary", "=", OVER_NORM),
            ]
        )

    # ------------------------------------------------------------------
    # Norms
    # ------------------------------------------------------------------

    def test_norm_cost_actual_cost_and_variance(self):
        order = self._new_order(labour_hours=2.0)
        self.assertRecordValues(
            order, [{"labour_hours_norm": 1.5, "cost_norm": 76.0, "cost_total": 80.0}]
        )
        self._receive(order)
        self._repair_with_part(order, quantity=3.0)
        self.assertRecordValues(
            order,
            [
                {
                    "state": "ready",
                    "cost_parts": 24.0,
                    "cost_labour": 80.0,
                    "cost_total": 104.0,
                    "cost_norm": 76.0,
                    "cost_variance": 28.0,
                    "revenue": 0.0,
                    "margin": -104.0,
                }
            ],
        )
        # A norm changed while the order is open follows; a done order keeps its norm.
        self.norm.with_user(self.as_manager).quantity = 3.0
        self.assertEqual((order.cost_norm, order.cost_variance), (84.0, 20.0))
        self._hand_back(order)
        self.assertEqual(order.state, "done")
        self.norm.with_user(self.as_manager).quantity = 1.0
        self.assertEqual((order.cost_norm, order.cost_variance), (84.0, 20.0))

    def test_category_fallback_up_the_parents(self):
        Category = self.env["product.category"]
        machines = Category.create({"name": "Coffee Machines"})
        espresso = Category.create({"name": "Espresso", "parent_id": machines.id})
        self.product_serial.categ_id = espresso
        self.norm.unlink()
        order = self._new_order()
        self.assertEqual(order.cost_norm, 0.0, "no norm for the product nor its categories")
        # The parent category's rows, the product having none of its own.
        self.Norm.create(
            {"product_categ_id": machines.id, "part_id": self.part.id, "labour_hours": 1.0}
        )
        self.assertEqual(order.cost_norm, 8.0 + 40.0)
        # The nearest category with rows wins over its parent.
        self.Norm.create(
            {"product_categ_id": espresso.id, "part_id": self.seal.id, "labour_hours": 0.5}
        )
        self.assertEqual(order.cost_norm, 5.0 + 20.0)
        # The product's own rows win over every category.
        self.Norm.create({"product_id": self.product_serial.id, "part_id": self.part.id})
        self.assertEqual((order.labour_hours_norm, order.cost_norm), (0.0, 8.0))

    def test_defect_type_rows_are_added(self):
        other_type = self.env["aftersales.defect.type"].create(
            {"code": "BOARD", "name": "Control board hangs"}
        )
        self.Norm.create(
            [
                {
                    "product_id": self.product_serial.id,
                    "defect_type_id": self.defect_type.id,
                    "part_id": self.seal.id,
                    "quantity": 2.0,
                    "labour_hours": 0.5,
                },
                {
                    # A defect type without rows for the product: its category's.
                    "product_categ_id": self.product_serial.categ_id.id,
                    "defect_type_id": other_type.id,
                    "part_id": self.part.id,
                    "labour_hours": 1.0,
                },
                {
                    # The product has rows for this type: the category's are not added.
                    "product_categ_id": self.product_serial.categ_id.id,
                    "defect_type_id": self.defect_type.id,
                    "part_id": self.part.id,
                    "quantity": 5.0,
                },
            ]
        )
        order = self._new_order()
        self._receive(order)
        self.assertEqual(order.cost_norm, 76.0, "no defect recorded yet")
        self._record_defect(order)
        self.assertRecordValues(order, [{"labour_hours_norm": 2.0, "cost_norm": 76.0 + 30.0}])
        self._record_defect(order, defect_type_id=other_type.id)
        self.assertRecordValues(
            order, [{"labour_hours_norm": 3.0, "cost_norm": 76.0 + 30.0 + 48.0}]
        )

    def test_rows_of_another_company_are_not_read(self):
        company2 = self.env["res.company"].create({"name": "Second Service Co"})
        self.Norm.create(
            {
                "product_id": self.product_serial.id,
                "part_id": self.part.id,
                "labour_hours": 10.0,
                "company_id": company2.id,
            }
        )
        self.assertEqual(self._new_order().cost_norm, 76.0)

    def test_users_read_norms_managers_maintain_them(self):
        as_user = self.Norm.with_user(self.as_user)
        self.assertEqual(as_user.search([("id", "=", self.norm.id)]).quantity, 2.0)
        with self.assertRaises(AccessError):
            as_user.create({"product_id": self.product_serial.id, "part_id": self.seal.id})
        with self.assertRaises(AccessError):
            self.norm.with_user(self.as_user).write({"quantity": 9.0})
        with self.assertRaises(AccessError):
            self.norm.with_user(self.as_user).unlink()
        self.assertEqual(self.norm.quantity, 2.0)
        as_manager = self.Norm.with_user(self.as_manager)
        row = as_manager.create({"product_id": self.product_serial.id, "part_id": self.seal.id})
        row.write({"quantity": 4.0, "labour_hours": 0.25})
        self.assertEqual(self._new_order().cost_norm, 76.0 + 20.0 + 10.0)
        row.unlink()
        self.assertFalse(row.exists())

    def test_norm_rows_are_validated(self):
        base = {"product_id": self.product_serial.id, "part_id": self.seal.id}
        categ = self.product_serial.categ_id.id
        cases = [
            ({**base, "quantity": 0.0}, "positive quantity"),
            ({**base, "quantity": -1.0}, "positive quantity"),
            ({**base, "labour_hours": -0.5}, "not negative"),
            ({**base, "product_categ_id": categ}, "not both and not neither"),
            ({"part_id": self.seal.id}, "not both and not neither"),
        ]
        as_manager = self.Norm.with_user(self.as_manager)
        for vals, message in cases:
            with self.subTest(vals=vals), self.assertRaisesText(ValidationError, message):
                as_manager.create(vals)
        with self.assertRaisesText(ValidationError, "positive quantity"):
            self.norm.with_user(self.as_manager).quantity = 0.0
        self.assertEqual(self.Norm.search_count([]), 1)

    def test_import_by_names(self):
        """Odoo's import: the products, categories and defect types by name."""
        columns = ["product_id", "product_categ_id", "defect_type_id", "part_id"]
        result = self.Norm.with_user(self.as_manager).load(
            [*columns, "quantity", "labour_hours"],
            [
                ["Espresso Machine", "", "PUMP-LEAK", "Pump Seal Kit", "1", "0.75"],
                ["", "All", "", "Pump Gasket", "3", "0"],
            ],
        )
        self.assertEqual(result["messages"], [])
        self.assertRecordValues(
            self.Norm.browse(result["ids"]),
            [
                {
                    "product_id": self.product_serial.id,
                    "product_categ_id": False,
                    "defect_type_id": self.defect_type.id,
                    "part_id": self.seal.id,
                    "quantity": 1.0,
                    "labour_hours": 0.75,
                    "company_id": self.env.company.id,
                },
                {
                    "product_id": False,
                    "product_categ_id": self.env.ref("product.product_category_all").id,
                    "defect_type_id": False,
                    "part_id": self.part.id,
                    "quantity": 3.0,
                    "labour_hours": 0.0,
                    "company_id": self.env.company.id,
                },
            ],
        )

    # ------------------------------------------------------------------
    # Revenue and margin
    # ------------------------------------------------------------------

    def test_revenue_and_margin_after_invoice_and_credit_note(self):
        order = self._paid_order(labour_hours=1.5)
        self._repair_with_part(order, quantity=2.0)
        order.action_create_quotation()
        quote = order.sale_order_id
        quote.action_confirm()
        invoice = quote._create_invoices()
        self.assertEqual(order.revenue, 0.0, "a draft invoice is no revenue")
        invoice.action_post()
        # Diagnosis 35.0, 1.5 h at 60.0, 2 gaskets at 15.0.
        self.assertRecordValues(
            order,
            [
                {
                    "cost_total": 76.0,
                    "cost_norm": 76.0,
                    "cost_variance": 0.0,
                    "revenue": 155.0,
                    "margin": 79.0,
                }
            ],
        )
        # One gasket credited.
        credit_note = invoice._reverse_moves()
        part_line = credit_note.invoice_line_ids.filtered(lambda line: line.product_id == self.part)
        credit_note.write(
            {
                "invoice_line_ids": [
                    *(Command.unlink(line.id) for line in credit_note.invoice_line_ids - part_line),
                    Command.update(part_line.id, {"quantity": 1.0}),
                ]
            }
        )
        self.assertEqual(order.revenue, 155.0, "a draft credit note changes nothing")
        credit_note.action_post()
        self.assertRecordValues(order, [{"revenue": 140.0, "margin": 64.0}])
        self.assertIn(credit_note, order.invoice_ids)

        row = (
            self.env["aftersales.service.report"]
            .with_user(self.as_manager)
            .search([("service_order_id", "=", order.id)])
        )
        self.assertRecordValues(
            row,
            [
                {
                    "cost_norm": 76.0,
                    "cost_total": 76.0,
                    "cost_variance": 0.0,
                    "revenue": 140.0,
                    "margin": 64.0,
                    "product_id": self.product_serial.id,
                    "defect_type_id": self.defect_type.id,
                }
            ],
        )

    def test_quotation_uses_the_norm_hours_until_hours_are_recorded(self):
        order = self._paid_order()
        order.action_create_quotation()
        lines = {line.product_id: line.product_uom_qty for line in order.sale_order_id.order_line}
        self.assertEqual(lines, {self.diagnosis_product: 1.0, self.labour_product: 1.5})

    def test_analysis_of_cost_per_product_and_the_most_expensive_repairs(self):
        cheap = self._new_order(labour_hours=1.0)
        self._receive(cheap)
        self._repair_with_part(cheap, quantity=1.0)
        lot = self._deliver([(self.product_serial, 1)]).warranty_ids.lot_id
        dear = self._new_order(lot=lot, labour_hours=3.0)
        self._receive(dear)
        self._repair_with_part(dear, quantity=4.0)
        self.env.flush_all()
        Report = self.env["aftersales.service.report"].with_user(self.as_manager)
        orders = [("service_order_id", "in", (cheap | dear).ids)]
        self.assertEqual(
            Report._read_group(
                orders,
                ["product_id"],
                ["cost_norm:sum", "cost_total:sum", "cost_variance:sum", "margin:sum"],
            ),
            [(self.product_serial, 152.0, 48.0 + 152.0, 48.0, -200.0)],
        )
        action = self.env.ref("aftersales_service.aftersales_service_report_action_expensive")
        view = action.view_ids.view_id
        self.assertIn('default_order="cost_total desc"', view.arch_db)
        rows = Report.search([*orders, *safe_eval(action.domain)], order="cost_total desc")
        self.assertEqual(rows.service_order_id, dear | cheap)
        self.assertEqual(rows.mapped("cost_total"), [152.0, 48.0])

    # ------------------------------------------------------------------
    # Tolerance
    # ------------------------------------------------------------------

    def test_over_the_tolerance_the_manager_gets_one_activity(self):
        # 3 gaskets and 1.5 h: 84.0, over 76.0 + 10 %.
        order = self._new_order(labour_hours=1.5, user_id=self.as_user.id)
        self._receive(order)
        self._repair_with_part(order, quantity=3.0)
        activity = self._over_norm_activities(order)
        self.assertRecordValues(activity, [{"user_id": self.as_manager.id}])
        self.assertIn("84.0", str(activity.note))
        self._hand_back(order)
        self.assertEqual(order.state, "done")
        self.assertEqual(self._over_norm_activities(order), activity, "once")

    def test_within_the_tolerance_no_activity(self):
        # 2 gaskets and 1.75 h: 86.0, 13 % over the norm, under a 15 % tolerance.
        self.env.company.aftersales_cost_tolerance = 15.0
        order = self._new_order(labour_hours=1.75)
        self._receive(order)
        self._repair_with_part(order, quantity=2.0)
        self._hand_back(order)
        self.assertEqual((order.state, order.cost_total), ("done", 86.0))
        self.assertFalse(self._over_norm_activities(order))
        # Without a norm, nothing to compare with.
        self.norm.unlink()
        lot = self._deliver([(self.product_serial, 1)]).warranty_ids.lot_id
        no_norm = self._new_order(lot=lot, labour_hours=5.0)
        self._receive(no_norm)
        self._repair_with_part(no_norm)
        self.assertEqual((no_norm.state, no_norm.cost_norm), ("ready", 0.0))
        self.assertFalse(self._over_norm_activities(no_norm))

    def test_tolerance_checked_when_the_order_is_handed_back(self):
        """Hours recorded after the repair ended count at the hand-back."""
        order = self._new_order(labour_hours=1.0)
        self._receive(order)
        self._repair_with_part(order, quantity=2.0)
        self.assertFalse(self._over_norm_activities(order))
        order.labour_hours = 4.0
        self._hand_back(order)
        self.assertEqual(len(self._over_norm_activities(order)), 1)

    # ------------------------------------------------------------------
    # Documents
    # ------------------------------------------------------------------

    def test_completion_act_lists_parts_labour_amounts_and_who_pays(self):
        covered = self._new_order(labour_hours=1.5)
        self._receive(covered)
        self._repair_with_part(covered, quantity=2.0)
        report = self.env["ir.actions.report"].with_user(self.as_user)
        html = report._render_qweb_html(
            "aftersales_service.action_report_service_completion", covered.ids
        )[0].decode()
        for text in ("Pump Gasket", "Labour", "16.00", "60.00", "76.00", "Company"):
            self.assertIn(text, html)
        self.assertIn("free of charge to the customer", html)

        paid = self._paid_order(
            lot=self._deliver([(self.product_serial, 1)]).warranty_ids.lot_id, labour_hours=1.5
        )
        self._repair_with_part(paid, quantity=2.0)
        paid.action_create_quotation()
        summary = paid._work_summary()
        self.assertEqual(
            [(line["name"], line["quantity"], line["amount"]) for line in summary["lines"]],
            [
                ("Pump Gasket", 2.0, 30.0),
                (self.diagnosis_product.display_name, 1.0, 35.0),
                (self.labour_product.display_name, 1.5, 90.0),
            ],
        )
        self.assertEqual((summary["total"], summary["charged"]), (155.0, True))
        html = report._render_qweb_html(
            "aftersales_service.action_report_service_completion", paid.ids
        )[0].decode()
        self.assertIn("invoiced to the customer", html)
        self.assertIn("155.00", html)
