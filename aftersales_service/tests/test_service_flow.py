from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form

from .service_common import ServiceCommon


class TestServiceFlow(ServiceCommon):
    def test_intake_from_the_serial(self):
        order = self._new_order()
        self.assertEqual(order.product_id, self.product_serial)
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.warranty_id, self.warranty)
        self.assertEqual(order.coverage, "warranty")
        self.assertTrue(order.receive_goods)
        self.assertTrue(order.name.startswith("SRV/"))
        self.assertEqual(self.warranty.service_order_count, 1)
        self.assertEqual(self.lot.service_order_count, 1)
        self.assertEqual(self.customer.service_order_count, 1)
        self.assertEqual(self.sale.aftersales_service_order_count, 1)

    def test_intake_form_fills_from_the_serial(self):
        form = Form(self.env["aftersales.service.order"].with_user(self.as_user))
        form.lot_id = self.lot
        self.assertEqual(form.product_id, self.product_serial)
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.warranty_id, self.warranty)
        self.assertEqual(form.coverage, "warranty")
        form.description = "Leaks water"
        order = form.save()
        order.action_confirm()
        self.assertEqual(order.picking_ids.move_line_ids.lot_id, self.lot)

    def test_same_serial_name_on_another_product_has_no_warranty(self):
        other = self.env["product.product"].create(
            {"name": "Milk Frother", "is_storable": True, "tracking": "serial"}
        )
        twin = self.env["stock.lot"].create({"name": self.lot.name, "product_id": other.id})
        order = self._new_order(lot=twin)
        self.assertEqual(order.product_id, other)
        self.assertFalse(order.warranty_id)
        self.assertEqual(order.coverage, "paid")

    def test_warranty_order_end_to_end(self):
        order = self._new_order()
        parts_before = self.part.qty_available
        receipt = self._receive(order)
        self.assertEqual(receipt.picking_type_id, self.warehouse.aftersales_in_type_id)
        self.assertEqual(order.state, "received")
        self.assertEqual(order.date_received, receipt.date_done)
        self.assertEqual(order.unit_location, "service")
        self.assertEqual(
            self._lot_quants(),
            {self.service_location: (1.0, self.customer)},
            "the unit is in Service, still owned by the customer",
        )
        self.assertFalse(
            receipt.move_ids.sudo().stock_valuation_layer_ids, "a customer's unit is never valued"
        )

        repair = self._repair_with_part(order)
        self.assertTrue(repair.under_warranty)
        self.assertEqual(repair.aftersales_service_order_id, order)
        self.assertEqual(order.state, "ready")
        self.assertEqual(order.resolution, "repaired")
        self.assertEqual(self.part.qty_available, parts_before - 1, "the part left stock")
        self.assertEqual(order.cost_parts, 8.0)

        self.assertIs(order.action_return_to_customer(), True)
        delivery = order.return_picking_id
        self.assertEqual(delivery.aftersales_transfer_kind, "service_out")
        self.assertEqual(order.state, "ready", "done only when the delivery is validated")
        self._validate(delivery, self.stock_user)
        self.assertEqual(order.state, "done")
        self.assertTrue(order.date_done)
        self.assertEqual(order.unit_location, "customer")
        self.assertEqual(self._lot_quants(), {})
        self.assertFalse(order.invoice_ids)
        self.assertFalse(order.sale_order_id)
        self.assertEqual(order.cost_bearer, "company")
        self.assertEqual(
            self.Warranty.search([("lot_id", "=", self.lot.id)]),
            self.warranty,
            "handing the unit back registers no new warranty",
        )

    def test_on_site_installation_skips_the_receipt(self):
        order = self._new_order(request_type="installation")
        self.assertFalse(order.receive_goods)
        order.action_confirm()
        self.assertEqual(order.state, "in_progress")
        self.assertFalse(order.picking_ids)
        order.action_done_on_site()
        self.assertEqual(order.state, "done")

    def test_no_fault_found(self):
        order = self._new_order()
        self._receive(order)
        order.action_no_fault_found()
        self.assertEqual((order.state, order.resolution), ("ready", "no_fault_found"))

    def test_external_workshop_round_trip(self):
        order = self._new_order()
        self._receive(order)
        self.assertIs(order.action_send_to_workshop(self.workshop), True)
        kinds = order.picking_ids.grouped("aftersales_transfer_kind")
        out, back = kinds["workshop_out"], kinds["workshop_in"]
        self.assertEqual(out.partner_id, self.workshop)
        self.assertEqual(out.picking_type_id, self.warehouse.aftersales_workshop_type_id)
        self.assertEqual(back.location_dest_id, self.service_location)
        self.assertEqual(order.workshop_partner_id, self.workshop)
        self._validate(out, self.stock_user)
        self.assertEqual(order.unit_location, "workshop")
        self.assertEqual(order.state, "in_progress")
        self._record_defect(order)
        self._validate(back, self.stock_user)
        self.assertEqual(order.unit_location, "service")
        self.assertEqual(order.state, "ready")
        self.assertEqual(self._lot_quants(), {self.service_location: (1.0, self.customer)})
        note = (
            self.env["ir.actions.report"]
            ._render_qweb_html("aftersales_service.action_report_workshop_transfer", out.ids)[0]
            .decode()
        )
        self.assertIn(self.lot.name, note)
        self.assertIn("Leaks water", note)

    def test_cancel_leaves_nothing_open(self):
        order = self._new_order()
        self._receive(order)
        order.action_start_repair()
        order.action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.repair_id.state, "cancel")
        draft = self._new_order()
        draft.action_confirm()
        draft.action_cancel()
        self.assertEqual(draft.picking_ids.state, "cancel")

    def test_bad_input_changes_nothing(self):
        no_customer = self.ServiceOrder.create(
            {
                "product_id": self.product_bulk.id,
                "description": "Noisy",
            }
        )
        with self.assertRaisesText(UserError, "Set the customer"):
            no_customer.action_confirm()
        self.assertEqual(no_customer.state, "draft")
        self.assertFalse(no_customer.picking_ids)

        with self.assertRaisesText(ValidationError, "belongs to Espresso Machine"):
            self.ServiceOrder.create(
                {
                    "lot_id": self.lot.id,
                    "product_id": self.product_bulk.id,
                    "partner_id": self.customer.id,
                }
            )

        order = self._new_order()
        with self.assertRaisesText(UserError, "Cannot return the unit"):
            order.action_return_to_customer()
        self._receive(order)
        order.action_start_repair()
        with self.assertRaisesText(UserError, "Cannot start a repair"):
            order.action_start_repair()
        self._record_defect(order)
        order.action_set_ready("repaired")
        order.action_return_to_customer()
        with self.assertRaisesText(UserError, "already being returned"):
            order.action_return_to_customer()
        self.assertEqual(len(order.picking_ids), 2)
        with self.assertRaisesText(UserError, "resolution must be one of"):
            order.action_set_ready("teleported")

    def test_serial_required_for_serial_products(self):
        order = self.ServiceOrder.create(
            {
                "product_id": self.product_serial.id,
                "partner_id": self.customer.id,
            }
        )
        with self.assertRaisesText(UserError, "set the serial"):
            order.action_confirm()

    def test_documents_render(self):
        order = self._new_order(condition="Scratched lid", accessories="Power cable")
        self._receive(order)
        report = self.env["ir.actions.report"]
        for xmlid, expected in (
            ("action_report_service_acceptance", "Scratched lid"),
            ("action_report_service_conclusion", "under warranty on the day"),
            ("action_report_service_completion", "Completion Act"),
        ):
            html = report._render_qweb_html(f"aftersales_service.{xmlid}", order.ids)[0].decode()
            self.assertIn(self.lot.name, html)
            self.assertIn(expected, html)


class TestServiceOrderBatchCost(ServiceCommon):
    def _confirm_queries(self, lots):
        """The queries of confirming one new order per serial of ``lots`` in one call."""
        orders = self.ServiceOrder.create(
            [{"lot_id": lot.id, "description": "Leaks water"} for lot in lots]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        orders.action_confirm()
        self.env.flush_all()
        self.assertEqual(set(orders.mapped("state")), {"confirmed"})
        return self.env.cr.sql_log_count - before

    def test_batch_confirm_adds_only_odoos_own_queries_per_order(self):
        """Each more order in a batch costs what Odoo's stock code spends on its
        receipt (the picking's name, the move, its reservation of the serial),
        nothing of the add-on's own (no lookup per order)."""
        lots = self._deliver([(self.product_serial, 8)]).warranty_ids.lot_id
        self._confirm_queries(lots[:2])  # the caches a running server holds
        two = self._confirm_queries(lots[2:4])
        four = self._confirm_queries(lots[4:8])
        # Odoo's own receipt of one unit with its serial and owner: 4 queries.
        self.assertLessEqual(four - two, 2 * 4, f"{two} queries for 2 orders, {four} for 4")
