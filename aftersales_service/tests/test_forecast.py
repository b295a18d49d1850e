from odoo.exceptions import AccessError

from .common import AftersalesCommon

MONTHS_2026 = [f"2026-{month:02d}-01" for month in range(1, 13)]


class TestForecast(AftersalesCommon):
    """The warranty forecast on a small history, today being 2026-01-05 (the
    class's frozen day): the rates come from January to December 2025, the
    forecast covers January to December 2026."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kettle = cls.env["product.product"].create(
            {"name": "Kettle", "is_storable": True, "warranty_months": 24}
        )
        cls.toaster = cls.env["product.product"].create(
            {"name": "Toaster", "is_storable": True, "warranty_months": 12}
        )
        cls.Report = cls.env["aftersales.forecast.report"].with_user(cls.as_manager)

    @classmethod
    def _units(cls, product, quantity, date_start, months):
        return cls.Warranty.create(
            {
                "partner_id": cls.customer.id,
                "product_id": product.id,
                "quantity": quantity,
                "date_start": date_start,
                "months": months,
            }
        )

    @classmethod
    def _history_order(cls, product, received, cost, state="done", coverage="warranty"):
        """A service order of ``product`` received on ``received`` (noon UTC)
        whose costs came to ``cost``, set as the system (a past order)."""
        order = (
            cls.env["aftersales.service.order"]
            .sudo()
            .create(
                {
                    "partner_id": cls.customer.id,
                    "product_id": product.id,
                    "request_type": "maintenance",
                    "date_received": f"{received} 12:00:00",
                    "cost_transport": cost,
                }
            )
        )
        order.write({"coverage": coverage, "state": state})
        return order

    def _rows(self, product):
        self.Report.invalidate_model()  # the rows of an earlier read, with the same ids
        rows = self.Report.search_read(
            [("product_id", "=", product.id)],
            [
                "month",
                "installed_units",
                "expected_orders",
                "expected_cost",
                "order_rate",
                "cost_per_order",
                "warranty_months",
                "cost_per_unit",
            ],
            order="month",
        )
        self.assertEqual([str(row["month"]) for row in rows], MONTHS_2026)
        return rows

    def assertColumn(self, rows, name, expected):
        self.assertEqual(len(rows), len(expected))
        for row, value in zip(rows, expected, strict=True):
            with self.subTest(month=str(row["month"]), field=name):
                self.assertAlmostEqual(row[name], value, places=6)

    def test_rates_of_the_last_twelve_months(self):
        """10 kettles under a 24-month warranty since 2025-01-01 (to
        2026-12-31): 10 units x 12 months = 120 unit-months in 2025.
        3 warranty orders in 2025, costing 50, 70 and 90:
        rate = 3 / 120 = 0.025 orders per unit-month, 70 per order.
        Each month of 2026: 10 units -> 0.25 orders, 0.25 x 70 = 17.50;
        the year: 3 orders, 210.00.
        A kettle sold carries 0.025 x 70 x 24 months = 42.00 of warranty cost.
        Not counted: a cancelled and a paid order of 2025, warranty orders of
        December 2024 and of this month."""
        self._units(self.kettle, 10, "2025-01-01", 24)
        for received, cost in (("2025-03-10", 50), ("2025-06-10", 70), ("2025-11-30", 90)):
            self._history_order(self.kettle, received, cost)
        self._history_order(self.kettle, "2025-05-10", 500, state="cancel")
        self._history_order(self.kettle, "2025-07-10", 500, coverage="paid")
        self._history_order(self.kettle, "2024-12-31", 500)
        self._history_order(self.kettle, "2026-01-02", 500)
        rows = self._rows(self.kettle)
        self.assertColumn(rows, "installed_units", [10.0] * 12)
        self.assertColumn(rows, "order_rate", [0.025] * 12)
        self.assertColumn(rows, "cost_per_order", [70.0] * 12)
        self.assertColumn(rows, "expected_orders", [0.25] * 12)
        self.assertColumn(rows, "expected_cost", [17.5] * 12)
        self.assertColumn(rows, "warranty_months", [24.0] * 12)
        self.assertColumn(rows, "cost_per_unit", [42.0] * 12)
        [total] = self.Report.read_group(
            [("product_id", "=", self.kettle.id)], ["expected_orders", "expected_cost"], []
        )
        self.assertAlmostEqual(total["expected_orders"], 3.0)
        self.assertAlmostEqual(total["expected_cost"], 210.0)

    def test_units_drop_out_when_their_warranty_ends(self):
        """Toasters: 6 under warranty from 2024-07-01 for 24 months (to
        2026-06-30) and 4 from 2025-04-01 for 12 months (to 2026-03-31).
        2025: 6 x 12 + 4 x 9 (April to December) = 108 unit-months;
        3 warranty orders costing 30, 45, 60 -> rate 3 / 108 = 1/36, 45 per order.
        January to March: 10 units -> 10/36 orders, x 45 = 12.50;
        April to June: 6 units -> 6/36 = 1/6 orders, 7.50; then nothing.
        Warranty months: (6 x 24 + 4 x 12) / 10 = 19.2, so a toaster sold
        carries 1/36 x 45 x 19.2 = 24.00.
        An order still open counts in the rate, not in the cost per order (its
        cost is not final): with one, 4/108 = 1/27."""
        self._units(self.toaster, 6, "2024-07-01", 24)
        self._units(self.toaster, 4, "2025-04-01", 12)
        for received, cost in (("2025-02-01", 30), ("2025-05-01", 45), ("2025-09-01", 60)):
            self._history_order(self.toaster, received, cost)
        rows = self._rows(self.toaster)
        self.assertColumn(rows, "installed_units", [10.0] * 3 + [6.0] * 3 + [0.0] * 6)
        self.assertColumn(rows, "expected_orders", [10 / 36] * 3 + [1 / 6] * 3 + [0.0] * 6)
        self.assertColumn(rows, "expected_cost", [12.5] * 3 + [7.5] * 3 + [0.0] * 6)
        self.assertColumn(rows, "cost_per_unit", [24.0] * 12)
        self._history_order(self.toaster, "2025-12-15", 0.0, state="in_progress")
        rows = self._rows(self.toaster)
        self.assertColumn(rows, "order_rate", [1 / 27] * 12)
        self.assertColumn(rows, "cost_per_order", [45.0] * 12)
        self.assertColumn(rows, "expected_cost", [10 / 27 * 45] * 3 + [6 / 27 * 45] * 3 + [0] * 6)

    def test_void_warranty_stops_the_day_before(self):
        """12 kettles from 2025-01-01 for 24 months, of which 2 (another
        warranty) voided on 2025-07-01: 10 x 12 + 2 x 6 = 132 unit-months in
        2025, 10 units in 2026; 3 orders at 66 -> rate 3/132 = 1/44,
        10/44 orders and 10/44 x 66 = 15.00 a month."""
        self._units(self.kettle, 10, "2025-01-01", 24)
        voided = self._units(self.kettle, 2, "2025-01-01", 24)
        voided.sudo()._write_from_action({"state": "void", "void_date": "2025-07-01"})
        for received in ("2025-02-01", "2025-05-01", "2025-09-01"):
            self._history_order(self.kettle, received, 66)
        rows = self._rows(self.kettle)
        self.assertColumn(rows, "installed_units", [10.0] * 12)
        self.assertColumn(rows, "expected_orders", [10 / 44] * 12)
        self.assertColumn(rows, "expected_cost", [15.0] * 12)

    def test_unknown_time_zone_counts_in_utc(self):
        # A time zone PostgreSQL does not know would fail the report's query.
        self._units(self.kettle, 10, "2025-01-01", 24)
        expected = self._rows(self.kettle)
        self.Report = self.Report.with_context(tz="Nowhere/Atlantis")
        self.assertEqual(self._rows(self.kettle), expected)

    def test_report_reads_in_a_bounded_number_of_queries(self):
        """One query for the rows, whatever the number of products and months
        (no query per product), and the pivot's groups in one more."""
        self._units(self.kettle, 10, "2025-01-01", 24)
        self._units(self.toaster, 5, "2025-06-01", 12)
        self._history_order(self.kettle, "2025-03-10", 50)
        self._history_order(self.toaster, "2025-08-10", 20)
        self.env.flush_all()
        self.Report.search([])  # the access rules are read once, then cached
        with self.assertQueryCount(1):
            rows = self.Report.search_fetch(
                [("product_id", "in", (self.kettle | self.toaster).ids)],
                ["month", "product_id", "installed_units", "expected_orders", "expected_cost"],
            )
        self.assertEqual(len(rows), 24)
        with self.assertQueryCount(1):
            groups = self.Report._read_group(
                [("product_id", "in", (self.kettle | self.toaster).ids)],
                ["product_id"],
                ["installed_units:sum", "expected_cost:sum"],
            )
        # Kettle: 1 order / 120 unit-months x 10 units x 50 x 12 months = 50;
        # toaster: 1 / (5 x 7) x 5 units x 20 x 5 months (to 2026-05-31) = 100/7.
        costs = {product: cost for product, _units, cost in groups}
        self.assertAlmostEqual(costs[self.kettle], 50.0)
        self.assertAlmostEqual(costs[self.toaster], 100 / 7)

    def test_only_managers_read_the_forecast(self):
        self._units(self.kettle, 10, "2025-01-01", 24)
        with self.assertRaises(AccessError):
            self.env["aftersales.forecast.report"].with_user(self.as_user).search([])
        self.assertEqual(len(self.Report.search([("product_id", "=", self.kettle.id)])), 12)
