from datetime import date

from freezegun import freeze_time

from .service_common import ServiceCommon


class TestServiceReport(ServiceCommon):
    """The analysis rows of service orders walked through the real receipts,
    repairs and hand-backs, on travelled days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        DefectType = cls.env["aftersales.defect.type"]
        cls.type_seal, cls.type_board = DefectType.create(
            [
                {"code": "SEAL", "name": "Pump seal leaks", "category": "component"},
                {"code": "BOARD", "name": "Control board hangs", "category": "design"},
            ]
        )
        cls.other_lot = cls._deliver([(cls.product_serial, 1)]).warranty_ids.lot_id

    def _rows(self, orders, **context):
        """{order: its report row} of ``orders``."""
        self.env.flush_all()
        self.env.invalidate_all()  # the rows count up to the day they are read
        rows = (
            self.env["aftersales.service.report"]
            .with_user(self.as_user)
            .with_context(**context)
            .search([("service_order_id", "in", orders.ids)])
        )
        return {row.service_order_id: row for row in rows}

    def _defect(self, order, defect_type):
        return self.env["aftersales.defect"].create(
            {"service_order_id": order.id, "defect_type_id": defect_type.id}
        )

    def _hand_back(self, order):
        order.action_return_to_customer()
        self._validate(order.return_picking_id, self.stock_user)

    def test_turnaround_lateness_first_defect_and_repeats(self):
        # Received on the frozen day (deadline 45 days later, 2026-02-19),
        # repaired, handed back 55 days and 6 hours later: 10 days late.
        repaired = self._new_order(user_id=self.as_user.id)
        self._receive(repaired)
        self._defect(repaired, self.type_seal)
        self._defect(repaired, self.type_board)
        self._repair_with_part(repaired)
        with freeze_time("2026-03-01 16:00:00"):
            self._hand_back(repaired)
        # The same serial back 74 days after it was first received: a repeat,
        # still open.
        with freeze_time("2026-03-20 09:00:00"):
            repeat = self._new_order()
            self._receive(repeat)
        # Another serial, back with no fault, then again 91 days later: no repeat.
        first = self._new_order(lot=self.other_lot)
        self._receive(first)
        first.action_no_fault_found()
        with freeze_time("2026-01-06 10:00:00"):
            self._hand_back(first)
        with freeze_time("2026-04-06 10:00:00"):
            late_again = self._new_order(lot=self.other_lot)
            self._receive(late_again)
        draft = self.ServiceOrder.create(
            {
                "partner_id": self.customer.id,
                "product_id": self.product_serial.id,
                "request_type": "maintenance",
                "description": "Yearly descaling",
            }
        )
        orders = repaired | repeat | first | late_again | draft

        with freeze_time("2026-05-10 12:00:00"):
            rows = self._rows(orders)
        self.assertEqual(len(rows), 5, "one row per service order")
        expected = {
            repaired: {
                "date": date(2026, 1, 5),
                "product_id": self.product_serial.id,
                "product_categ_id": self.product_serial.categ_id.id,
                "user_id": self.as_user.id,
                "coverage": "warranty",
                "resolution": "repaired",
                "state": "done",
                "defect_type_id": self.type_seal.id,
                "turnaround_days": 55.25,
                "days_late": 10,
                "cost_total": 8.0,
                "cost_norm": 0.0,
                "revenue": 0.0,
                "margin": -8.0,
                "is_repeat": False,
                "company_id": self.env.company.id,
            },
            repeat: {
                "date": date(2026, 3, 20),
                "state": "received",
                "resolution": False,
                "defect_type_id": False,
                "turnaround_days": 0.0,
                "days_late": 6,  # due 2026-05-04, still open on 2026-05-10
                "cost_total": 0.0,
                "is_repeat": True,
            },
            first: {
                "date": date(2026, 1, 5),
                "resolution": "no_fault_found",
                "turnaround_days": 1.0,
                "days_late": 0,
                "is_repeat": False,
            },
            late_again: {
                "date": date(2026, 4, 6),
                "days_late": 0,  # due 2026-05-21
                "is_repeat": False,
            },
            draft: {
                # Not received: the day it was made (the database's clock).
                "date": draft.create_date.date(),
                "state": "draft",
                "turnaround_days": 0.0,
                "days_late": 0,
                "is_repeat": False,
            },
        }
        for order, values in expected.items():
            with self.subTest(order=order.name):
                self.assertRecordValues(rows[order], [values])
        # Earlier, the open order was not late yet.
        with freeze_time("2026-04-01 12:00:00"):
            self.assertEqual(self._rows(repeat)[repeat].days_late, 0)

    def test_a_repeat_at_ninety_days_exactly(self):
        first = self._new_order(lot=self.other_lot)
        self._receive(first)
        first.action_no_fault_found()
        self._hand_back(first)
        with freeze_time("2026-04-05 10:00:00"):
            again = self._new_order(lot=self.other_lot)
            self._receive(again)
        self.assertTrue(self._rows(again)[again].is_repeat)

    def test_warranty_cost_per_product_and_pareto(self):
        repaired = self._new_order()
        self._receive(repaired)
        self._defect(repaired, self.type_board)
        self._repair_with_part(repaired, quantity=2.0)
        paid = self._new_order(lot=self.other_lot)
        paid.with_user(self.as_manager).action_override_coverage("paid", "Dropped")
        self._receive(paid)
        self._defect(paid, self.type_seal)
        self._repair_with_part(paid)
        Report = self.env["aftersales.service.report"].with_user(self.as_manager)
        self.env.flush_all()
        orders = [("service_order_id", "in", (repaired | paid).ids)]
        self.assertEqual(
            Report._read_group(
                [*orders, ("coverage", "=", "warranty")], ["product_id"], ["cost_total:sum"]
            ),
            [(self.product_serial, 16.0)],
        )
        pareto = self.env.ref("aftersales_service.aftersales_service_report_action_pareto")
        self.assertEqual(
            dict(
                Report._read_group(
                    [*orders, ("defect_type_id", "!=", False)], ["defect_type_id"], ["__count"]
                )
            ),
            {self.type_board: 1, self.type_seal: 1},
        )
        self.assertIn("defect_type_id", pareto.domain)
        self.assertIn(
            "search_default_warranty",
            self.env.ref(
                "aftersales_service.aftersales_service_report_action_warranty_cost"
            ).context,
        )
