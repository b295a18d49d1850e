from datetime import date, datetime

from lxml import html as lxml_html

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, warmup

from .service_common import ServiceCommon

# The window of the default 12 months ending on the frozen day, 2026-01-05.
WINDOW_FROM = date(2025, 1, 6)
WINDOW_TO = date(2026, 1, 5)
IN_WINDOW = datetime(2025, 6, 10, 9, 0)
# What compute_alerts costs, whatever the number of products.
COMPUTE_QUERIES = 42  # opening the alerts: one query of figures, batched writes
UPDATE_QUERIES = 5  # updating them


class QualityAlertCommon(ServiceCommon):
    """A production responsible, defect types, and helpers that put
    warranties and defects in place directly (as the system), in one batch
    each, so that hundreds of units cost no deliveries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "aftersales_defect_rate_threshold": 5.0,
                "aftersales_defect_min_units": 20,
                "aftersales_defect_window_months": 12,
            }
        )
        cls.production = new_test_user(
            cls.env, login="as_production", name="Production Planner", groups="base.group_user"
        )
        cls.company.aftersales_production_user_id = cls.production
        DefectType = cls.env["aftersales.defect.type"]
        cls.type_seal, cls.type_board, cls.type_dent = DefectType.create(
            [
                {"code": "SEAL", "name": "Pump seal leaks", "category": "component"},
                {"code": "BOARD", "name": "Control board hangs", "category": "design"},
                {"code": "DENT", "name": "Dented in transport", "category": "transport"},
            ]
        )
        cls.Alert = cls.env["aftersales.quality.alert"].with_user(cls.as_manager)

    @classmethod
    def _products(cls, count, name="Kettle"):
        return cls.env["product.product"].create(
            [{"name": f"{name} {index}", "warranty_months": 12} for index in range(count)]
        )

    @classmethod
    def _warranties(cls, product, quantity, day=IN_WINDOW, state="active", company=None):
        """A warranty of ``quantity`` units of ``product`` that started on ``day``."""
        return cls.env["aftersales.warranty"].create(
            {
                "partner_id": cls.customer.id,
                "product_id": product.id,
                "quantity": quantity,
                "date_start": day,
                "months": 12,
                "state": state,
                "company_id": (company or cls.company).id,
            }
        )

    @classmethod
    def _defects(cls, products, when=IN_WINDOW, defect_type=None, root_cause=None, company=None):
        """One defect on each of ``products`` (a product once per defect),
        each on its own service order whose unit was received at ``when``."""
        company = company or cls.company
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        orders = (
            cls.env["aftersales.service.order"]
            .with_company(company)
            .create(
                [
                    {
                        "partner_id": cls.customer.id,
                        "product_id": product.id,
                        "company_id": company.id,
                        "warehouse_id": warehouse.id,
                        "description": "Faulty",
                        "state": "received",
                        "date_received": when,
                    }
                    for product in products
                ]
            )
        )
        return cls.env["aftersales.defect"].create(
            [
                {
                    "service_order_id": order.id,
                    "defect_type_id": (defect_type or cls._type_of(company)).id,
                    "root_cause": root_cause,
                }
                for order in orders
            ]
        )

    @classmethod
    def _type_of(cls, company):
        if company == cls.company:
            return cls.type_seal
        return cls.env["aftersales.defect.type"].search([("company_id", "=", company.id)], limit=1)

    @staticmethod
    def _repeat(product, count):
        """``product`` ``count`` times, for one defect each."""
        return [product] * count

    def _alerts(self, products):
        return self.env["aftersales.quality.alert"].search(
            [("product_id", "in", products.ids)], order="id"
        )

    def _compute(self, day=None, user=None):
        Alert = self.Alert.with_user(user) if user else self.Alert
        return Alert.browse(Alert.compute_alerts(day))


class TestQualityAlertRates(QualityAlertCommon):
    def test_rate_exactly_at_the_threshold_opens(self):
        at, below = self._products(2)
        self._warranties(at, 20)
        self._warranties(below, 21)
        self._defects(at)  # 1 / 20 = 5.00 %
        self._defects(below)  # 1 / 21 = 4.76 %
        alerts = self._compute()
        self.assertEqual(alerts, self._alerts(at | below))
        self.assertRecordValues(
            alerts,
            [
                {
                    "product_id": at.id,
                    "date_from": WINDOW_FROM,
                    "date_to": WINDOW_TO,
                    "units_delivered": 20.0,
                    "defect_count": 1,
                    "defect_rate": 5.0,
                    "threshold": 5.0,
                    "state": "new",
                    "user_id": self.production.id,
                    "company_id": self.company.id,
                }
            ],
        )
        self.assertRegex(alerts.name, r"^QA/2026/\d{5}$")
        self.assertEqual(alerts.defect_ids.product_id, at)

    def test_rate_exactly_at_a_threshold_not_exact_in_binary(self):
        # 3.3 % is no exact binary fraction: 33 defects out of 1000 units
        # still reach it, 32 do not.
        self.company.aftersales_defect_rate_threshold = 3.3
        at, below = self._products(2)
        self._warranties(at, 1000)
        self._warranties(below, 1000)
        self._defects(self._repeat(at, 33))
        self._defects(self._repeat(below, 32))
        alerts = self._compute()
        self.assertEqual(alerts.product_id, at)
        self.assertEqual((alerts.defect_count, alerts.defect_rate), (33, 3.3))

    def test_one_unit_below_the_minimum_opens_nothing(self):
        product = self._products(1)
        self._warranties(product, 19)
        self._defects(self._repeat(product, 19))  # 100 %, but 19 units: too few to tell
        self.assertFalse(self._compute())
        self.assertFalse(self._alerts(product))
        self._warranties(product, 1)
        alerts = self._compute()
        self.assertEqual((alerts.units_delivered, alerts.defect_rate), (20.0, 95.0))

    def test_defects_and_units_outside_the_window_are_not_counted(self):
        product = self._products(1)
        self._warranties(product, 20, day=WINDOW_FROM)
        self._warranties(product, 60, day=date(2025, 1, 5))  # the day before the window
        self._warranties(product, 50, day=date(2026, 1, 6))  # after its end
        self._defects(product, when=datetime(2025, 1, 6, 8, 0))  # first day: counted
        self._defects(self._repeat(product, 3), when=datetime(2025, 1, 5, 12, 0))
        self._defects(self._repeat(product, 2), when=datetime(2026, 1, 6, 12, 0))
        alerts = self._compute("2026-01-05")
        self.assertRecordValues(
            alerts,
            [{"units_delivered": 20.0, "defect_count": 1, "defect_rate": 5.0}],
        )
        self.assertEqual(len(alerts.defect_ids), 1)
        self.assertEqual(alerts.defect_ids.date, WINDOW_FROM)
        # A window ending earlier holds the 60 units and the 3 defects as well.
        earlier = self._compute(date(2025, 12, 31))
        self.assertEqual(earlier, alerts, "the open alert is updated")
        self.assertRecordValues(
            earlier,
            [
                {
                    "date_from": date(2025, 1, 1),
                    "date_to": date(2025, 12, 31),
                    "units_delivered": 80.0,
                    "defect_count": 4,
                    "defect_rate": 5.0,
                }
            ],
        )

    def test_void_warranties_are_not_counted(self):
        product = self._products(1)
        self._warranties(product, 10)
        self._warranties(product, 10, state="expired")  # still delivered in the window
        self._warranties(product, 20, state="void")
        self._defects(product)
        alerts = self._compute()
        self.assertEqual((alerts.units_delivered, alerts.defect_rate), (20.0, 5.0))

    def test_two_companies_with_their_own_thresholds(self):
        company2 = self.env["res.company"].create(
            {
                "name": "Second Service Co",
                "aftersales_defect_rate_threshold": 10.0,
                "aftersales_defect_min_units": 10,
                "aftersales_defect_window_months": 6,
            }
        )
        self.env["aftersales.defect.type"].create(
            {"code": "SEAL", "name": "Pump seal leaks", "company_id": company2.id}
        )
        manager2 = new_test_user(
            self.env,
            login="as_manager2",
            groups="base.group_user,aftersales_service.group_aftersales_manager",
            company_id=company2.id,
            company_ids=[company2.id],
        )
        self.as_manager.company_ids |= company2
        shared, second = self._products(2)
        # 5 % in each company: over the first company's threshold only.
        self._warranties(shared, 20)
        self._defects(shared)
        self._warranties(shared, 20, day=date(2025, 8, 1), company=company2)
        self._defects(shared, when=datetime(2025, 12, 1, 9, 0), company=company2)
        # 10 % of 10 units in the second company only, in its 6 months
        # (from 2025-07-06).
        self._warranties(second, 10, day=date(2025, 7, 6), company=company2)
        self._warranties(second, 10, day=date(2025, 7, 5), company=company2)
        self._defects(second, when=datetime(2025, 12, 1, 9, 0), company=company2)

        first = self.Alert.with_context(allowed_company_ids=[self.company.id])
        first_only = first.browse(first.compute_alerts())
        self.assertEqual(first_only.company_id, self.company, "the user's current company")
        self.assertEqual(first_only.product_id, shared)

        both = self.Alert.with_context(allowed_company_ids=[self.company.id, company2.id])
        alerts = both.browse(both.compute_alerts()).sorted("company_id")
        self.assertRecordValues(
            alerts,
            [
                {
                    "product_id": shared.id,
                    "company_id": self.company.id,
                    "threshold": 5.0,
                    "defect_rate": 5.0,
                    "date_from": WINDOW_FROM,
                    "units_delivered": 20.0,
                    "user_id": self.production.id,
                },
                {
                    "product_id": second.id,
                    "company_id": company2.id,
                    "threshold": 10.0,
                    "defect_rate": 10.0,
                    "date_from": date(2025, 7, 6),
                    "units_delivered": 10.0,
                    "user_id": False,
                },
            ],
        )
        self.assertEqual(alerts[0], first_only, "updated, not doubled")
        # Each company's manager sees its own alerts only.
        self.assertEqual(
            self.env["aftersales.quality.alert"].with_user(manager2).search([]), alerts[1]
        )

    def test_the_daily_job_checks_every_company(self):
        company2 = self.env["res.company"].create({"name": "Third Service Co"})
        self.env["aftersales.defect.type"].create(
            {"code": "SEAL", "name": "Pump seal leaks", "company_id": company2.id}
        )
        product = self._products(1)
        for company in (self.company, company2):
            self._warranties(product, 20, company=company)
            self._defects(product, company=company)
        self.env.ref("aftersales_service.ir_cron_aftersales_quality_alert").method_direct_trigger()
        self.assertEqual(self._alerts(product).company_id, self.company | company2)

    def test_through_real_deliveries_and_receipts(self):
        # Five machines delivered (one in the fixtures), one back with a leak.
        self.company.aftersales_defect_min_units = 5
        self._deliver([(self.product_serial, 4)])
        order = self._new_order()
        self._receive(order)
        self.env["aftersales.defect"].with_user(self.as_user).create(
            {"service_order_id": order.id, "defect_type_id": self.type_seal.id}
        )
        alerts = self._compute()
        self.assertRecordValues(
            alerts,
            [
                {
                    "product_id": self.product_serial.id,
                    "units_delivered": 5.0,
                    "defect_count": 1,
                    "defect_rate": 20.0,
                }
            ],
        )
        self.assertEqual(alerts.defect_ids.service_order_id, order)


class TestQualityAlertLifecycle(QualityAlertCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._products(1, name="Milk Frother")
        cls._warranties(cls.product, 20)
        cls._defects(cls.product)

    def test_an_open_alert_is_updated_never_doubled(self):
        alert = self._compute()
        alert.action_propose("redesign", "Thicker seal")
        self._defects(self.product, when=datetime(2026, 1, 20, 9, 0))
        updated = self._compute("2026-02-01")
        self.assertEqual(updated, alert)
        self.assertEqual(self._alerts(self.product), alert)
        self.assertRecordValues(
            alert,
            [
                {
                    "state": "proposed",
                    "date_from": date(2025, 2, 2),
                    "date_to": date(2026, 2, 1),
                    "units_delivered": 20.0,
                    "defect_count": 2,
                    "defect_rate": 10.0,
                }
            ],
        )
        self.assertEqual(len(alert.defect_ids), 2)
        self.env.cr.flush()
        logged = alert.message_ids.filtered(lambda m: "Defect rate now" in (m.body or ""))
        self.assertEqual(
            logged.mapped("body"),
            [
                "<p>Defect rate now 10.0 % (was 5.0 %): 2 defects for 20 units delivered "
                "from 2025-02-02 to 2026-02-01.</p>"
            ],
        )
        # Nothing changed: updated all the same, nothing logged.
        messages = len(alert.message_ids)
        self.assertEqual(self._compute("2026-02-01"), alert)
        self.assertEqual(len(alert.message_ids), messages)

    def test_a_new_alert_after_closed_or_rejected(self):
        first = self._compute()
        first.action_propose("change_supplier", "Seals from another vendor")
        first.action_accept()
        first.action_close()
        second = self._compute()
        self.assertNotEqual(second, first)
        self.assertEqual(self._alerts(self.product), first | second)
        self.assertEqual((first.state, second.state), ("closed", "new"))
        second.action_reject("One damaged shipment, not the product")
        third = self._compute()
        self.assertEqual(len(self._alerts(self.product) - first - second), 1)
        self.assertEqual(third.state, "new")

    def test_the_production_responsible_gets_one_activity(self):
        alert = self._compute()
        summary = "Defect rate above the threshold"
        activities = alert.activity_ids
        self.assertEqual(len(activities), 1)
        self.assertEqual((activities.user_id, activities.summary), (self.production, summary))
        self.assertIn(self.production.partner_id, alert.message_partner_ids)
        self._defects(self.product)
        self._compute()
        self.assertEqual(alert.activity_ids, activities, "not again when updated")
        activities.action_feedback("Seen")
        self._compute()
        self.assertFalse(alert.activity_ids, "not again once done")

    def test_no_production_responsible_then_one(self):
        self.company.aftersales_production_user_id = False
        alert = self._compute()
        self.assertFalse(alert.user_id)
        self.assertFalse(alert.activity_ids)
        self.company.aftersales_production_user_id = self.production
        self._compute()
        self.assertEqual(alert.user_id, self.production)
        self.assertEqual(alert.activity_ids.user_id, self.production)

    def test_proposal_accept_close_by_managers(self):
        alert = self._compute()
        mine = alert.with_user(self.as_user)
        self.assertEqual(mine.defect_rate, 5.0, "users read alerts")
        with self.assertRaises(AccessError):
            mine.action_propose("redesign", "Thicker seal")
        with self.assertRaises(AccessError):
            self._compute(user=self.as_user)
        self.assertTrue(alert.action_propose("redesign", " Thicker seal "))
        self.assertRecordValues(
            alert, [{"state": "proposed", "proposal": "redesign", "proposal_note": "Thicker seal"}]
        )
        with self.assertRaisesText(UserError, r"Cannot propose a measure for .* \(Proposed\)"):
            alert.action_propose("reduce", "Fewer")
        with self.assertRaises(AccessError):
            mine.action_accept()
        self.assertTrue(alert.action_accept())
        with self.assertRaisesText(UserError, "Cannot accept"):
            alert.action_accept()
        with self.assertRaisesText(UserError, "Cannot reject"):
            alert.action_reject("Too late")
        with self.assertRaises(AccessError):
            mine.action_close()
        self.assertTrue(alert.action_close())
        with self.assertRaisesText(UserError, "Cannot close"):
            alert.action_close()
        self.assertRecordValues(alert, [{"state": "closed", "proposal": "redesign"}])
        self.env.cr.flush()
        tracked = alert.sudo().message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "state"
        )
        self.assertEqual(len(tracked), 3)

    def test_reject_and_bad_input_change_nothing(self):
        alert = self._compute()
        with self.assertRaisesText(UserError, "The proposal must be one of reduce, discontinue"):
            alert.action_propose("paint_it_red", "Brighter")
        with self.assertRaisesText(UserError, "note explaining the proposal is required"):
            alert.action_propose("reduce", "  ")
        with self.assertRaisesText(UserError, "must be text"):
            alert.action_propose("reduce", 42)
        with self.assertRaisesText(UserError, "reason to reject the alert is required"):
            alert.action_reject("")
        with self.assertRaisesText(UserError, "The date must be a date written YYYY-MM-DD"):
            self.Alert.compute_alerts("2026-13-45")
        with self.assertRaisesText(UserError, "The date must be a date"):
            self.Alert.compute_alerts(20260105)
        self.assertRecordValues(
            alert, [{"state": "new", "proposal": False, "proposal_note": False}]
        )
        with self.assertRaisesText(UserError, "can only be changed through its actions"):
            alert.write({"state": "closed"})
        with self.assertRaisesText(UserError, "can only be changed through its actions"):
            alert.write({"defect_rate": 1.0})
        self.assertTrue(alert.action_reject(" One damaged shipment "))
        self.assertRecordValues(
            alert, [{"state": "rejected", "reject_reason": "One damaged shipment"}]
        )
        with self.assertRaisesText(UserError, "Cannot reject"):
            alert.action_reject("Again")
        with self.assertRaisesText(UserError, "Cannot propose"):
            alert.action_propose("reduce", "Fewer")

    def test_decision_screens(self):
        alert = self._compute()
        action = alert.with_user(self.as_manager).action_open_propose_wizard()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.as_manager)
            .with_context(**action["context"])
        )
        wizard.proposal = "change_component"
        wizard.note = "A metal bracket"
        wizard.save().action_apply()
        self.assertRecordValues(
            alert,
            [
                {
                    "state": "proposed",
                    "proposal": "change_component",
                    "proposal_note": "A metal bracket",
                }
            ],
        )
        action = alert.with_user(self.as_manager).action_open_reject_wizard()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.as_manager)
            .with_context(**action["context"])
        )
        wizard.reason = "Production will not change it"
        wizard.save().action_apply()
        self.assertEqual(alert.state, "rejected")


class TestQualityAlertCost(QualityAlertCommon):
    def _cost(self, count, day):
        """Queries of compute_alerts opening alerts for ``count`` breaching
        products on ``day``, then of the same call updating them; each within
        its ``assertQueryCount``."""
        products = self._products(count, name=f"Toaster {day}")
        year_ago = datetime(day.year - 1, day.month, day.day + 1, 9, 0)
        for product in products:
            self._warranties(product, 20, day=year_ago)
        self._defects(products, when=year_ago)
        costs = []
        for expected in (COMPUTE_QUERIES, UPDATE_QUERIES):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with self.assertQueryCount(expected):
                alerts = self._compute(day)
            costs.append(self.env.cr.sql_log_count - before)
            self.assertEqual(alerts, self._alerts(products))
        self.assertEqual(alerts.mapped("defect_rate"), [5.0] * count)
        return costs

    @warmup
    def test_cost_does_not_grow_with_the_products(self):
        # The windows do not overlap: each call sees its own products only.
        three = self._cost(3, date(2024, 1, 5))
        thirty = self._cost(30, date(2026, 1, 5))
        if self.warm:
            self.assertEqual(three, thirty)


class TestQualityAlertReport(QualityAlertCommon):
    def test_proposal_prints_the_pareto(self):
        product = self._products(1, name="Grinder")
        self._warranties(product, 100)
        self._defects(
            [product] * 2, defect_type=self.type_seal, root_cause="Seal batch 42 too thin"
        )
        self._defects(product, defect_type=self.type_seal, root_cause="  seal batch 42   TOO thin")
        self._defects([product] * 2, defect_type=self.type_board, root_cause="Firmware hangs")
        self._defects(product, defect_type=self.type_dent)
        alert = self._compute()
        alert.action_propose("change_supplier", "Seals from another vendor")
        self.assertEqual(
            [(row["label"], row["count"], round(row["cumulative"], 1)) for row in alert._pareto()],
            [
                ("[SEAL] Pump seal leaks", 3, 50.0),
                ("[BOARD] Control board hangs", 2, 83.3),
                ("[DENT] Dented in transport", 1, 100.0),
            ],
        )
        content = (
            self.env["ir.actions.report"]
            .with_user(self.as_manager)
            ._render_qweb_html("aftersales_service.action_report_quality_alert", alert.ids)[0]
            .decode()
        )
        page = lxml_html.fromstring(content)

        def rows(name):
            return [
                [" ".join(cell.text_content().split()) for cell in row.xpath("td")]
                for row in page.xpath(f"//table[@name='{name}']/tbody/tr")
            ]

        self.assertEqual(
            rows("pareto"),
            [
                ["[SEAL] Pump seal leaks", "Component", "3", "50.0 %", "50.0 %"],
                ["[BOARD] Control board hangs", "Design", "2", "33.3 %", "83.3 %"],
                ["[DENT] Dented in transport", "Transport", "1", "16.7 %", "100.0 %"],
            ],
        )
        self.assertEqual(
            rows("root_causes"), [["Seal batch 42 too thin", "3"], ["Firmware hangs", "2"]]
        )
        figures = {row[0]: row[1] for row in rows("figures")}
        self.assertEqual(figures["Units delivered in the window"], "100.00")
        self.assertEqual(figures["Defects found in the window"], "6")
        self.assertEqual(figures["Defect rate"], "6.00 % (threshold 5.00 %)")
        self.assertIn("Change the Supplier", content)
        self.assertIn("Seals from another vendor", content)
        self.assertIn("Production Planner", content)
        action = alert.action_print_proposal()
        self.assertEqual(action["report_name"], "aftersales_service.report_quality_alert")
