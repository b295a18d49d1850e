from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user

from .service_common import ServiceCommon


class TestPartRequests(ServiceCommon):
    """Spare parts requests of a service order's repair: drawn up from the
    norm, put on the repair as its part lines, the shortages bought through
    Odoo's own procurement (Buy route -> an RFQ to the part's vendor), the
    parts received by the warehouse reserved for the repair and consumed when
    it ends."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env["res.partner"].create({"name": "Brew Spares Ltd"})
        cls.other_vendor = cls.env["res.partner"].create({"name": "Valve World"})
        buy = cls.env.ref("purchase_stock.route_warehouse0_buy")
        cls.pump = cls._buyable_part("Pump 15 bar", 20.0, cls.vendor, 18.0, buy)
        cls.valve = cls._buyable_part("Steam Valve", 6.0, cls.other_vendor, 5.0, buy)
        cls._put_in_stock(cls.pump, 1)
        cls.env["aftersales.part.norm"].create(
            [
                {"product_id": cls.product_serial.id, "part_id": cls.pump.id, "quantity": 3.0},
                {
                    "product_id": cls.product_serial.id,
                    "part_id": cls.part.id,
                    "quantity": 1.0,
                    "labour_hours": 1.5,
                },
            ]
        )
        cls.buyer = new_test_user(
            cls.env,
            login="as_buyer",
            name="Parts Buyer",
            groups="base.group_user,purchase.group_purchase_user",
        )

    @classmethod
    def _buyable_part(cls, name, cost, vendor, price, route):
        return cls.env["product.product"].create(
            {
                "name": name,
                "is_storable": True,
                "standard_price": cost,
                "route_ids": [Command.set(route.ids)],
                "seller_ids": [Command.create({"partner_id": vendor.id, "price": price})],
            }
        )

    def _order_in_repair(self, lot=None):
        """A received service order whose in-house repair is started (draft)."""
        order = self._new_order(lot=lot)
        self._receive(order)
        order.action_start_repair()
        return order

    def _request(self, order):
        action = order.action_request_parts()
        return self.env["aftersales.part.request"].with_user(self.as_user).browse(action["res_id"])

    def _line(self, request, part):
        """The line of ``request`` for ``part``."""
        return request.line_ids.filtered(lambda line: line.part_id == part)

    def _purchase_lines(self, product):
        return self.env["purchase.order.line"].search([("product_id", "=", product.id)])

    def test_request_prefilled_from_norm_with_stock_figures(self):
        order = self._order_in_repair()
        request = self._request(order)
        self.assertEqual(request.state, "draft")
        self.assertEqual(request.repair_id, order.repair_id.browse())
        self.assertRecordValues(
            request.line_ids.sorted("quantity"),
            [
                {"part_id": self.part.id, "quantity": 1.0, "qty_available": 10.0},
                {"part_id": self.pump.id, "quantity": 3.0, "qty_available": 1.0},
            ],
        )
        self.assertEqual(self._line(request, self.pump).virtual_available, 1.0)
        # Asked again while the draft is open: the same request, not a second.
        self.assertEqual(order.action_request_parts()["res_id"], request.id)
        self.assertEqual(order.part_request_count, 1)

    def test_shortage_becomes_an_rfq_line_for_the_vendor(self):
        order = self._order_in_repair()
        request = self._request(order)
        self.assertIs(request.action_request(), True)
        self.assertEqual(request.state, "ordered")
        repair = order.repair_id
        pump_moves = repair.move_ids.filtered(lambda m: m.product_id == self.pump)
        self.assertEqual(sorted(pump_moves.mapped("product_uom_qty")), [1.0, 2.0])
        self.assertEqual(set(repair.move_ids.mapped("repair_line_type")), {"add"})
        self.assertEqual(
            repair.move_ids.filtered(lambda m: m.product_id == self.part).product_uom_qty, 1.0
        )
        [line] = self._purchase_lines(self.pump)
        self.assertEqual(line.order_id.partner_id, self.vendor)
        self.assertEqual(line.order_id.state, "draft")
        self.assertEqual(line.product_qty, 2.0)
        self.assertEqual(line.price_unit, 18.0)
        short = pump_moves.filtered(lambda move: move.product_uom_qty == 2.0)
        self.assertEqual(line.move_dest_ids, short)
        self.assertEqual(request.purchase_count, 1)
        self.assertRecordValues(
            request.line_ids.sorted("quantity"),
            [
                {"part_id": self.part.id, "qty_procured": 0.0, "replenishment": "stock"},
                {"part_id": self.pump.id, "qty_procured": 2.0, "replenishment": "purchase"},
            ],
        )
        # The parts in stock are not bought.
        self.assertFalse(self._purchase_lines(self.part))

    def test_repeat_request_does_not_double_the_purchase(self):
        order = self._order_in_repair()
        request = self._request(order)
        request.action_request()
        with self.assertRaisesText(UserError, "Cannot request the parts"):
            request.action_request()
        self.assertEqual(self._purchase_lines(self.pump).product_qty, 2.0)
        self.assertEqual(len(order.repair_id.move_ids), 3)
        with self.assertRaisesText(UserError, "requested already"):
            request.line_ids[0].quantity = 7.0
        with self.assertRaisesText(UserError, "requested already"):
            request.line_ids = [Command.create({"part_id": self.valve.id, "quantity": 1.0})]

    def test_no_purchase_when_in_stock(self):
        order = self._order_in_repair()
        request = self._request(order)
        self._line(request, self.pump).unlink()
        request.action_request()
        self.assertEqual(request.state, "requested")
        self.assertFalse(self._purchase_lines(self.part))
        self.assertEqual(request.purchase_count, 0)

    def test_requests_of_many_orders_share_one_purchase_per_vendor(self):
        first = self._order_in_repair()
        lot = self._deliver([(self.product_serial, 1)]).warranty_ids.lot_id
        second = self._order_in_repair(lot=lot)
        requests = self._request(first) | self._request(second)
        requests[1].line_ids = [Command.create({"part_id": self.valve.id, "quantity": 4.0})]
        requests.action_request()
        # The first order takes the pump in stock: 2 to buy; the second buys 3.
        [pump_line] = self._purchase_lines(self.pump)
        self.assertEqual(pump_line.product_qty, 5.0)
        [valve_line] = self._purchase_lines(self.valve)
        self.assertEqual(valve_line.product_qty, 4.0)
        self.assertEqual(valve_line.order_id.partner_id, self.other_vendor)
        self.assertNotEqual(valve_line.order_id, pump_line.order_id)
        self.assertIn(requests[0].name, pump_line.order_id.origin)
        self.assertIn(requests[1].name, pump_line.order_id.origin)

    def test_reordering_rule_replenishes_instead(self):
        self.env["stock.warehouse.orderpoint"].create(
            {
                "product_id": self.pump.id,
                "location_id": self.warehouse.lot_stock_id.id,
                "product_min_qty": 0.0,
                "product_max_qty": 0.0,
                "trigger": "auto",
            }
        )
        order = self._order_in_repair()
        request = self._request(order)
        request.action_request()
        pump = self._line(request, self.pump)
        self.assertEqual(pump.replenishment, "orderpoint")
        self.assertEqual(pump.qty_procured, 0.0)
        self.assertFalse(self._purchase_lines(self.pump))
        # Odoo's reordering rule buys once the repair is confirmed.
        order.repair_id.action_validate()
        self.assertEqual(self._purchase_lines(self.pump).product_qty, 2.0)

    def test_unprocurable_part_changes_nothing(self):
        nowhere = self.env["product.product"].create(
            {"name": "Boiler Shell", "is_storable": True, "route_ids": [Command.clear()]}
        )
        order = self._order_in_repair()
        request = self._request(order)
        request.line_ids = [Command.create({"part_id": nowhere.id, "quantity": 1.0})]
        with self.assertRaisesText(UserError, "Boiler Shell"):
            request.action_request()
        self.assertEqual(request.state, "draft")
        self.assertFalse(order.repair_id.move_ids)
        self.assertFalse(self._purchase_lines(self.pump))

    def test_received_parts_are_reserved_then_consumed(self):
        order = self._order_in_repair()
        self._record_defect(order)
        request = self._request(order)
        request.action_request()
        repair = order.repair_id
        repair.action_validate()
        short = repair.move_ids.filtered(lambda move: move.created_purchase_line_ids)
        purchase = self._purchase_lines(self.pump).order_id
        purchase.with_user(self.buyer).button_confirm()
        # The receipt feeds the repair's part line: what arrives is for it.
        self.assertEqual(short.move_orig_ids, purchase.picking_ids.move_ids)
        self.assertEqual(short.state, "confirmed")
        self.assertEqual(request.state, "ordered")
        # A warehouse user without after-sales rights receives the parts.
        self._validate(purchase.picking_ids, self.stock_user)
        self.assertEqual(short.state, "assigned")
        self.assertEqual(short.quantity, 2.0)
        self.assertEqual(set(repair.move_ids.mapped("state")), {"assigned"})
        self.assertEqual(request.state, "received")
        repair.action_repair_start()
        repair.move_ids.picked = True
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")
        self.assertEqual(request.state, "consumed")
        # The stock moves and their valuation are Odoo's: 3 pumps at their
        # standard cost of 20 (2 of them bought at 18), 1 gasket at 8.
        self.assertEqual(order.cost_parts, 3 * 20.0 + 8.0)
        self.assertEqual(self.pump.qty_available, 0.0)

    def test_only_a_started_repair_takes_parts(self):
        order = self._new_order()
        self._receive(order)
        with self.assertRaisesText(UserError, "Start the in-house repair"):
            order.action_request_parts()
        stranger = self.env["repair.order"].create({"product_id": self.part.id})
        with self.assertRaisesText(UserError, "not the repair of a service order"):
            stranger.action_request_parts()

    def test_request_from_the_repair_and_cancel(self):
        order = self._order_in_repair()
        action = order.repair_id.with_user(self.as_user).action_request_parts()
        request = self.env["aftersales.part.request"].browse(action["res_id"])
        self.assertEqual(request.service_order_id, order)
        request.action_request()
        request.action_cancel()
        self.assertEqual(request.state, "cancel")
        self.assertEqual(set(order.repair_id.move_ids.mapped("state")), {"cancel"})
        self.assertIn(self._purchase_lines(self.pump).order_id.name, request.message_ids[0].body)
        with self.assertRaisesText(UserError, "Cannot cancel"):
            request.action_cancel()

    def test_state_is_set_by_actions_only(self):
        order = self._order_in_repair()
        request = self._request(order)
        with self.assertRaisesText(UserError, "only be changed through its actions"):
            request.write({"date_requested": "2026-03-02 10:00:00"})
        with self.assertRaises(AccessError):
            request.with_user(self.stock_user).read(["name"])

    def test_lines_edited_through_the_form(self):
        order = self._order_in_repair()
        request = self._request(order)
        with Form(request) as form:
            with form.line_ids.new() as line:
                line.part_id = self.valve
                line.quantity = 2.0
        self.assertEqual(self._line(request, self.valve).quantity, 2.0)

    def test_a_second_request_prefills_only_what_the_repair_lacks(self):
        order = self._order_in_repair()
        first = self._request(order)
        first.action_request()
        second = self._request(order)
        self.assertNotEqual(second, first)
        self.assertFalse(second.line_ids, "the norm's parts are on the repair already")
        with self.assertRaisesText(UserError, "no parts to request"):
            second.action_request()
        self.assertEqual(self._purchase_lines(self.pump).product_qty, 2.0)

    def test_what_the_request_records_is_not_written_by_hand(self):
        order = self._order_in_repair()
        request = self._request(order)
        request.action_request()
        gasket = self._line(request, self.part)
        with self.assertRaisesText(UserError, "only be changed through its actions"):
            gasket.write({"qty_procured": 1.0})
        self.assertEqual(request.state, "ordered")
        other = self._request(
            self._order_in_repair(lot=self._deliver([(self.product_serial, 1)]).warranty_ids.lot_id)
        )
        with self.assertRaisesText(UserError, "cannot be moved to another request"):
            other.line_ids[:1].write({"request_id": request.id})

    def test_no_parts_on_an_accepted_quotation(self):
        order = self._order_in_repair()
        order.repair_id.action_create_sale_order()
        quotation = order.repair_id.sale_order_id
        quotation.action_confirm()
        request = self._request(order)
        with self.assertRaisesText(UserError, "accepted the quotation"):
            request.action_request()
        self.assertFalse(order.repair_id.move_ids)
        self.assertEqual(request.state, "draft")
