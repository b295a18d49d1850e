import functools
import xmlrpc.client
from contextlib import contextmanager
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import HttpCase, get_db_name, new_test_user

from .service_common import ServiceCommon

# XML-RPC fault codes of /xmlrpc/2 (odoo/addons/base/controllers/rpc.py).
FAULT_APPLICATION = 1  # anything else: a crash, or a result XML-RPC cannot carry
FAULT_USER_ERROR = 2
FAULT_ACCESS_ERROR = 4

WINDOW = "ir.actions.act_window"
REPORT = "ir.actions.report"
TRANSFER_FIELDS = ["aftersales_transfer_kind", "state", "partner_id", "owner_id"]


class TestRpc(ServiceCommon, HttpCase):
    """Every public method of warranties, service orders, loaners, loans and
    supplier claims, called over XML-RPC (and JSON-RPC) by real users with the
    plain values a client sends: ids, strings, numbers. Each returns what
    XML-RPC carries (an action dict, ids, True) and the state it leaves is read
    back over RPC. The warehouse's validations are done in Python, as the
    warehouse user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db = get_db_name()
        cls.passwords = {}
        cls.clerk = cls._rpc_user("rpc_clerk", "aftersales_service.group_aftersales_user")
        cls.manager = cls._rpc_user("rpc_manager", "aftersales_service.group_aftersales_manager")
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Espresso Parts Ltd", "email": "claims@espresso-parts.example.com"}
        )
        cls.product_serial.seller_ids = [
            Command.create({"partner_id": cls.vendor.id, "price": 360.0, "warranty_months": 12})
        ]
        loaner_lot, cls.spare_loaner_lot = cls._put_in_stock(cls.loaner_product, 2)
        cls.loaner = cls.env["aftersales.loaner"].create({"lot_id": loaner_lot.id})
        cls._validate(cls.loaner.picking_id, cls.stock_user)

    @classmethod
    def _rpc_user(cls, login, group):
        password = f"{login}-Secret-2026"
        user = new_test_user(
            cls.env,
            login=login,
            password=password,
            name=login.replace("_", " ").title(),
            groups=f"base.group_user,{group}",
        )
        cls.passwords[user.id] = password
        return user

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _call(self, user, model, method, *args, **kwargs):
        """``model.method(*args, **kwargs)`` over XML-RPC (execute_kw) as ``user``."""
        result = self.xmlrpc_object.execute_kw(
            self.db, user.id, self.passwords[user.id], model, method, list(args), kwargs
        )
        self.env.invalidate_all()
        return result

    def _read(self, user, model, record_id, field_names):
        """The values of one record read over XML-RPC (many2one as plain ids)."""
        [values] = self._call(user, model, "read", [record_id], field_names, load=False)
        return values

    def _transfers(self, link, record_id):
        """{kind: values} of the transfers linked to a document, over XML-RPC."""
        rows = self._call(
            self.clerk,
            "stock.picking",
            "search_read",
            [(link, "=", record_id), ("state", "!=", "cancel")],
            TRANSFER_FIELDS,
            load=False,
        )
        return {row["aftersales_transfer_kind"]: row for row in rows}

    def _validate_transfer(self, picking_id):
        """The warehouse validates the transfer (in Python, as the stock user)."""
        self._validate(self.env["stock.picking"].browse(picking_id), self.stock_user)

    @contextmanager
    def assertFault(self, code, regex):
        """The XML-RPC call inside fails with fault ``code`` and a text matching ``regex``."""
        with self.assertRaises(xmlrpc.client.Fault) as catcher:
            yield catcher
        fault = catcher.exception
        self.assertEqual(fault.faultCode, code, fault.faultString)
        self.assertRegex(fault.faultString, regex)

    def assertAction(self, result, action_type=WINDOW, res_model=None, res_id=None):
        """``result`` is an action dict of ``action_type`` (on ``res_model``, ``res_id``)."""
        self.assertIsInstance(result, dict, f"an action dict, not {result!r}")
        self.assertEqual(result["type"], action_type)
        if res_model:
            self.assertEqual(result["res_model"], res_model)
        if res_id is not None:
            self.assertEqual(result["res_id"], res_id)
        return result

    def assertPrintAction(self, user, model, method, record_id, report):
        """``model.method`` of ``record_id``, called over XML-RPC (which carries
        no None) by ``user``, is the action printing ``report`` of that record."""
        action = self.assertAction(self._call(user, model, method, [record_id]), action_type=REPORT)
        self.assertEqual(action["report_name"], self.env.ref(report).report_name)
        self.assertEqual(action["context"]["active_ids"], [record_id])
        return action

    def _received_order(self, lot=None, **values):
        """A service order (set up in Python) whose unit is in Service."""
        order = self._new_order(lot=lot, **values)
        self._receive(order)
        return order

    def _new_lot(self):
        """The serial of another espresso machine sold and delivered to the customer."""
        return self._deliver([(self.product_serial, 1)]).warranty_ids.lot_id

    def _send_claim(self, claim_id):
        """The manager sends the claim letter through the composer, over XML-RPC."""
        action = self.assertAction(
            self._call(self.manager, "aftersales.supplier.claim", "action_send", [claim_id]),
            res_model="mail.compose.message",
        )
        context = action["context"]
        composer_id = self._call(
            self.manager, "mail.compose.message", "create", {}, context=context
        )
        self.assertAction(
            self._call(
                self.manager,
                "mail.compose.message",
                "action_send_mail",
                [composer_id],
                context=context,
            ),
            action_type="ir.actions.act_window_close",
        )

    # ------------------------------------------------------------------
    # Warranties
    # ------------------------------------------------------------------

    def test_check_serial_over_xmlrpc(self):
        W = "aftersales.warranty"
        found = self._call(self.clerk, W, "check_serial", self.lot.name)
        self.assertEqual(
            found,
            {
                "found": True,
                "state": "active",
                "date_end": fields.Date.to_string(self.warranty.date_end),
                "warranty_id": self.warranty.id,
                "partner_id": self.customer.id,
                "product_id": self.product_serial.id,
            },
        )
        after_end = fields.Date.to_string(self.warranty.date_end + relativedelta(days=1))
        later = self._call(self.clerk, W, "check_serial", self.lot.name, date=after_end)
        self.assertEqual((later["found"], later["state"]), (True, "expired"))
        self.assertEqual(
            self._call(self.clerk, W, "check_serial", "NO-SUCH-SERIAL"),
            dict.fromkeys(
                ("found", "state", "date_end", "warranty_id", "partner_id", "product_id"), False
            ),
        )
        with self.assertFault(FAULT_USER_ERROR, "must be a date written YYYY-MM-DD"):
            self._call(self.clerk, W, "check_serial", self.lot.name, "05/01/2026")
        with self.assertFault(FAULT_USER_ERROR, "The serial number is required"):
            self._call(self.clerk, W, "check_serial", " ")

    def test_check_serial_over_jsonrpc(self):
        expected = self._call(self.clerk, "aftersales.warranty", "check_serial", self.lot.name)
        result = self.make_jsonrpc_request(
            "/jsonrpc",
            {
                "service": "object",
                "method": "execute_kw",
                "args": [
                    self.db,
                    self.clerk.id,
                    self.passwords[self.clerk.id],
                    "aftersales.warranty",
                    "check_serial",
                    [self.lot.name],
                    {"date": "2026-01-05"},
                ],
            },
        )
        self.assertEqual(result, expected)
        # The web client's route, in the clerk's session: check_serial is
        # read-only (@api.readonly), so it runs on a read-only cursor, the
        # streaming replica's when the server has one (--db_replica_host).
        Warranty = type(self.env["aftersales.warranty"])
        check_serial = Warranty.check_serial
        cursors = []

        @functools.wraps(check_serial)  # keeps @api.model and @api.readonly
        def spy(model, *args, **kwargs):
            cursors.append(model.env.cr.readonly)
            return check_serial(model, *args, **kwargs)

        self.authenticate(self.clerk.login, self.passwords[self.clerk.id])
        with patch.object(Warranty, "check_serial", spy), self.assertNoLogs("odoo.http", "WARNING"):
            result = self.make_jsonrpc_request(
                "/web/dataset/call_kw/aftersales.warranty/check_serial",
                {
                    "model": "aftersales.warranty",
                    "method": "check_serial",
                    "args": [self.lot.name],
                    "kwargs": {},
                },
            )
        self.assertEqual(result, expected)
        self.assertEqual(cursors, [True], "served on a read-only cursor, once")

    def test_warranty_void_and_extend(self):
        W, wid = "aftersales.warranty", self.warranty.id
        with self.assertFault(FAULT_ACCESS_ERROR, "Only an After-Sales Manager may void"):
            self._call(self.clerk, W, "void", [wid], "Tampered seal")
        with self.assertFault(FAULT_ACCESS_ERROR, "Only an After-Sales Manager may extend"):
            self._call(self.clerk, W, "extend", [wid], 12, "Goodwill")
        with self.assertFault(FAULT_USER_ERROR, "positive number of months"):
            self._call(self.manager, W, "extend", [wid], "12", "Goodwill")
        self.assertIs(
            self._call(self.manager, W, "extend", [wid], 12, "Goodwill after a late repair"), True
        )
        values = self._read(self.clerk, W, wid, ["extension_months", "date_end", "state"])
        end = fields.Date.to_string(self.warranty.date_start + relativedelta(months=36, days=-1))
        self.assertEqual(values["extension_months"], 12)
        self.assertEqual((values["date_end"], values["state"]), (end, "active"))

        with self.assertFault(FAULT_USER_ERROR, "reason to void a warranty is required"):
            self._call(self.manager, W, "void", [wid], "")
        self.assertIs(self._call(self.manager, W, "void", [wid], "Tampered seal"), True)
        values = self._read(self.clerk, W, wid, ["state", "void_reason", "void_user_id"])
        self.assertEqual(
            values,
            {
                "id": wid,
                "state": "void",
                "void_reason": "Tampered seal",
                "void_user_id": self.manager.id,
            },
        )
        with self.assertFault(FAULT_USER_ERROR, "already void"):
            self._call(self.manager, W, "void", [wid], "Again")
        self.assertEqual(self._call(self.clerk, W, "check_serial", self.lot.name)["state"], "void")

    def test_warranty_screens(self):
        W, wid = "aftersales.warranty", self.warranty.id
        action = self._call(self.manager, W, "action_open_void_wizard", [wid])
        self.assertAction(action, res_model="aftersales.warranty.void")
        self.assertEqual(action["context"]["default_warranty_ids"], [wid])
        action = self._call(self.manager, W, "action_open_extend_wizard", [wid])
        self.assertAction(action, res_model="aftersales.warranty.extend")
        self.assertEqual(action["context"]["default_warranty_ids"], [wid])
        action = self._call(self.clerk, W, "action_new_service_order", [wid])
        self.assertAction(action, res_model="aftersales.service.order")
        self.assertEqual(action["context"]["default_lot_id"], self.lot.id)
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
        order = self._new_order()
        action = self._call(self.clerk, W, "action_view_service_orders", [wid])
        self.assertAction(action, res_model="aftersales.service.order")
        self.assertEqual(
            self._call(self.clerk, "aftersales.service.order", "search", action["domain"]),
            order.ids,
        )

    def test_private_methods_refused(self):
        with self.assertFault(FAULT_ACCESS_ERROR, r"Private methods \(such as _check_manager\)"):
            self._call(self.manager, "aftersales.warranty", "_check_manager", [], "void")
        with self.assertFault(FAULT_ACCESS_ERROR, r"Private methods \(such as _end\)"):
            self._call(self.manager, "aftersales.warranty", "_end", [self.warranty.id], "Gone")
        with self.assertFault(
            FAULT_ACCESS_ERROR, r"Private methods \(such as _write_from_action\)"
        ):
            self._call(
                self.clerk,
                "aftersales.service.order",
                "_write_from_action",
                [self._new_order().id],
                {"state": "done"},
            )
        self.assertEqual(
            self._read(self.clerk, "aftersales.warranty", self.warranty.id, ["state"])["state"],
            "active",
        )

    def test_print_actions(self):
        """The print buttons return report actions that XML-RPC can carry: no
        None anywhere in them (``report_action()`` leaves ``data`` None unless
        it is given)."""
        order = self._received_order()
        loan_id = self._call(
            self.clerk,
            "aftersales.service.order",
            "action_lend",
            [order.id],
            self.loaner.id,
        )["res_id"]
        [claim_id] = self._call(
            self.clerk, "aftersales.supplier.claim", "create_from_service_orders", order.ids
        )
        for model, method, record_id, report in (
            (
                "aftersales.warranty",
                "action_print_certificate",
                self.warranty.id,
                "aftersales_service.action_report_warranty_certificate",
            ),
            (
                "aftersales.service.order",
                "action_print_acceptance",
                order.id,
                "aftersales_service.action_report_service_acceptance",
            ),
            (
                "aftersales.loan",
                "action_print_agreement",
                loan_id,
                "aftersales_service.action_report_loan_agreement",
            ),
            (
                "aftersales.supplier.claim",
                "action_print_letter",
                claim_id,
                "aftersales_service.action_report_supplier_claim",
            ),
        ):
            with self.subTest(model=model, method=method):
                self.assertPrintAction(self.clerk, model, method, record_id, report)

    # ------------------------------------------------------------------
    # Service orders
    # ------------------------------------------------------------------

    def test_service_order_repair_flow(self):
        S = "aftersales.service.order"
        order_id = self._call(
            self.clerk, S, "create", {"lot_id": self.lot.id, "description": "Leaks water"}
        )
        self.assertIsInstance(order_id, int)
        values = self._read(
            self.clerk, S, order_id, ["state", "partner_id", "warranty_id", "coverage"]
        )
        self.assertEqual(
            values,
            {
                "id": order_id,
                "state": "draft",
                "partner_id": self.customer.id,
                "warranty_id": self.warranty.id,
                "coverage": "warranty",
            },
        )
        self.assertIs(self._call(self.clerk, S, "action_confirm", [order_id]), True)
        self.assertEqual(self._read(self.clerk, S, order_id, ["state"])["state"], "confirmed")
        transfers = self._transfers("aftersales_service_order_id", order_id)
        self.assertEqual(list(transfers), ["service_in"])
        receipt = transfers["service_in"]
        self.assertEqual(receipt["state"], "assigned")
        self.assertEqual(receipt["owner_id"], self.customer.id, "the customer owns the unit")
        with self.assertFault(FAULT_USER_ERROR, "Cannot confirm"):
            self._call(self.clerk, S, "action_confirm", [order_id])

        self._validate_transfer(receipt["id"])
        values = self._read(self.clerk, S, order_id, ["state", "date_received", "unit_location"])
        self.assertEqual((values["state"], values["unit_location"]), ("received", "service"))
        self.assertTrue(values["date_received"])

        action = self._call(self.clerk, S, "action_start_repair", [order_id])
        repair_id = self._read(self.clerk, S, order_id, ["repair_id"])["repair_id"]
        self.assertTrue(repair_id)
        self.assertAction(action, res_model="repair.order", res_id=repair_id)
        self.assertEqual(self._read(self.clerk, S, order_id, ["state"])["state"], "in_progress")
        repair = self.env["repair.order"].browse(repair_id)
        repair.move_ids = [
            Command.create(
                {
                    "product_id": self.part.id,
                    "product_uom_qty": 1.0,
                    "repair_line_type": "add",
                    "company_id": self.env.company.id,
                }
            )
        ]
        repair.action_validate()
        repair.action_repair_start()
        repair.move_ids.quantity = 1.0
        repair.move_ids.picked = True
        defect = {"service_order_id": order_id, "defect_type_id": self.defect_type.id}
        self.assertIsInstance(self._call(self.clerk, "aftersales.defect", "create", defect), int)
        repair.action_repair_end()
        values = self._read(self.clerk, S, order_id, ["state", "resolution"])
        self.assertEqual((values["state"], values["resolution"]), ("ready", "repaired"))

        self.assertIs(self._call(self.clerk, S, "action_return_to_customer", [order_id]), True)
        hand_back = self._transfers("aftersales_service_order_id", order_id)["service_out"]
        self.assertEqual(hand_back["partner_id"], self.customer.id)
        with self.assertFault(FAULT_USER_ERROR, "already being returned"):
            self._call(self.clerk, S, "action_return_to_customer", [order_id])
        self._validate_transfer(hand_back["id"])
        values = self._read(self.clerk, S, order_id, ["state", "date_done", "unit_location"])
        self.assertEqual((values["state"], values["unit_location"]), ("done", "customer"))

        action = self.assertAction(
            self._call(self.clerk, S, "action_view_pickings", [order_id]), res_model="stock.picking"
        )
        self.assertEqual(
            sorted(self._call(self.clerk, "stock.picking", "search", action["domain"])),
            sorted([receipt["id"], hand_back["id"]]),
        )
        self.assertAction(
            self._call(self.clerk, S, "action_view_repair", [order_id]),
            res_model="repair.order",
            res_id=repair_id,
        )
        for method, res_model in (
            ("action_view_invoices", "account.move"),
            ("action_view_sale_order", "sale.order"),
            ("action_view_loans", "aftersales.loan"),
            ("action_view_supplier_claims", "aftersales.supplier.claim"),
        ):
            with self.subTest(method=method):
                self.assertAction(
                    self._call(self.clerk, S, method, [order_id]), res_model=res_model
                )

    def test_part_request_over_xmlrpc(self):
        S, R = "aftersales.service.order", "aftersales.part.request"
        order = self._received_order()
        order.action_start_repair()
        self.env["aftersales.part.norm"].create(
            {"product_id": self.product_serial.id, "part_id": self.part.id, "quantity": 2.0}
        )
        action = self._call(self.clerk, S, "action_request_parts", [order.id])
        request_id = self.assertAction(action, res_model=R)["res_id"]
        [line] = self._call(
            self.clerk,
            "aftersales.part.request.line",
            "search_read",
            [("request_id", "=", request_id)],
            ["part_id", "quantity", "qty_available"],
            load=False,
        )
        self.assertEqual(
            (line["part_id"], line["quantity"], line["qty_available"]), (self.part.id, 2.0, 10.0)
        )
        self.assertIs(self._call(self.clerk, R, "action_request", [request_id]), True)
        self.assertEqual(self._read(self.clerk, R, request_id, ["state"])["state"], "requested")
        with self.assertFault(FAULT_USER_ERROR, "Cannot request the parts"):
            self._call(self.clerk, R, "action_request", [request_id])
        moves = order.repair_id.move_ids
        self.assertEqual((moves.product_id, moves.product_uom_qty), (self.part, 2.0))
        self.assertAction(
            self._call(self.clerk, R, "action_view_repair", [request_id]),
            res_model="repair.order",
            res_id=order.repair_id.id,
        )
        self.assertAction(
            self._call(self.clerk, "repair.order", "action_request_parts", [order.repair_id.id]),
            res_model=R,
        )
        self.assertIs(self._call(self.clerk, R, "action_cancel", [request_id]), True)

    def test_service_order_screens_and_batch_confirm(self):
        S = "aftersales.service.order"
        action = self._call(self.clerk, S, "action_new", {"lot_id": self.lot.id})
        self.assertAction(action, res_model=S)
        self.assertEqual(action["context"], {"default_lot_id": self.lot.id})
        orders = self._new_order() | self._new_order(lot=self._new_lot())
        for method, res_model in (
            ("action_open_workshop_wizard", "aftersales.service.order.workshop"),
            ("action_open_lend_wizard", "aftersales.loan.lend"),
        ):
            with self.subTest(method=method):
                action = self._call(self.clerk, S, method, orders[:1].ids)
                self.assertAction(action, res_model=res_model)
                self.assertEqual(action["context"]["default_service_order_id"], orders[0].id)
        action = self._call(self.manager, S, "action_open_coverage_wizard", orders[:1].ids)
        self.assertAction(action, res_model="aftersales.service.order.coverage")
        action = self._call(self.clerk, S, "action_create_supplier_claims", orders.ids)
        self.assertAction(action, res_model="aftersales.supplier.claim.wizard")
        self.assertEqual(action["context"]["default_service_order_ids"], orders.ids)

        self.assertIs(self._call(self.clerk, S, "action_confirm", orders.ids), True)
        rows = self._call(self.clerk, S, "search_read", [("id", "in", orders.ids)], ["state"])
        self.assertEqual({row["state"] for row in rows}, {"confirmed"})
        self.assertEqual(
            self._call(
                self.clerk,
                "stock.picking",
                "search_count",
                [
                    ("aftersales_service_order_id", "in", orders.ids),
                    ("aftersales_transfer_kind", "=", "service_in"),
                ],
            ),
            2,
        )

    def test_send_to_workshop_with_a_partner_id(self):
        S = "aftersales.service.order"
        order = self._received_order()
        with self.assertFault(FAULT_USER_ERROR, "must be given as the id of a record"):
            self._call(self.clerk, S, "action_send_to_workshop", order.ids, self.workshop.name)
        with self.assertFault(FAULT_USER_ERROR, "there is no res.partner"):
            self._call(self.clerk, S, "action_send_to_workshop", order.ids, 999_999_999)
        self.assertIs(
            self._call(self.clerk, S, "action_send_to_workshop", order.ids, self.workshop.id), True
        )
        values = self._read(self.clerk, S, order.id, ["state", "workshop_partner_id"])
        self.assertEqual(
            (values["state"], values["workshop_partner_id"]), ("in_progress", self.workshop.id)
        )
        transfers = self._transfers("aftersales_service_order_id", order.id)
        self.assertEqual(transfers["workshop_out"]["partner_id"], self.workshop.id)
        self.assertEqual(transfers["workshop_in"]["partner_id"], self.workshop.id)
        with self.assertFault(FAULT_USER_ERROR, "already sent to a workshop"):
            self._call(self.clerk, S, "action_send_to_workshop", order.ids, self.workshop.id)
        self._validate_transfer(transfers["workshop_out"]["id"])
        self.assertEqual(
            self._read(self.clerk, S, order.id, ["unit_location"])["unit_location"], "workshop"
        )
        self._record_defect(order, self.clerk)
        self._validate_transfer(transfers["workshop_in"]["id"])
        values = self._read(self.clerk, S, order.id, ["state", "resolution", "unit_location"])
        self.assertEqual(values["state"], "ready")
        self.assertEqual((values["resolution"], values["unit_location"]), ("repaired", "service"))

    def test_set_ready_resolutions(self):
        S = "aftersales.service.order"
        rejected, unrepairable, no_fault = (
            self._received_order(lot=lot) for lot in (self.lot, self._new_lot(), self._new_lot())
        )
        with self.assertFault(FAULT_USER_ERROR, "The resolution must be one of"):
            self._call(self.clerk, S, "action_set_ready", rejected.ids, "replaced")
        self.assertIs(self._call(self.clerk, S, "action_set_ready", rejected.ids, "rejected"), True)
        self.assertIs(self._call(self.clerk, S, "action_not_repairable", unrepairable.ids), True)
        self.assertIs(self._call(self.clerk, S, "action_no_fault_found", no_fault.ids), True)
        rows = self._call(
            self.clerk,
            S,
            "search_read",
            [("id", "in", (rejected | unrepairable | no_fault).ids)],
            ["state", "resolution"],
        )
        self.assertEqual(
            {row["id"]: (row["state"], row["resolution"]) for row in rows},
            {
                rejected.id: ("ready", "rejected"),
                unrepairable.id: ("ready", "not_repairable"),
                no_fault.id: ("ready", "no_fault_found"),
            },
        )

    def test_replace_with_a_lot_id_or_none(self):
        S = "aftersales.service.order"
        chosen = self._received_order(request_type="replacement")
        any_unit = self._received_order(lot=self._new_lot(), request_type="replacement")
        new_lot = self._put_in_stock(self.product_serial, 1)
        self._put_in_stock(self.product_serial, 1)
        grinder_lot = self.env["stock.lot"].create(
            {"name": "GR-RPC-1", "product_id": self.product_bulk.id}
        )
        with self.assertFault(FAULT_USER_ERROR, "is not a Espresso Machine"):
            self._call(self.clerk, S, "action_replace", chosen.ids, grinder_lot.id)
        self._record_defect(chosen | any_unit, self.clerk)
        self.assertIs(self._call(self.clerk, S, "action_replace", chosen.ids, new_lot.id), True)
        self.assertIs(self._call(self.clerk, S, "action_replace", any_unit.ids), True)
        for order in chosen | any_unit:
            values = self._read(self.clerk, S, order.id, ["state", "resolution"])
            self.assertEqual((values["state"], values["resolution"]), ("ready", "replaced"))
            delivery = self._transfers("aftersales_service_order_id", order.id)["replacement_out"]
            self.assertEqual(delivery["partner_id"], self.customer.id)
            self._validate_transfer(delivery["id"])
            self.assertEqual(self._read(self.clerk, S, order.id, ["state"])["state"], "done")
        replacement = self._call(self.clerk, "aftersales.warranty", "check_serial", new_lot.name)
        self.assertEqual(
            (replacement["state"], replacement["partner_id"]), ("active", self.customer.id)
        )
        self.assertEqual(replacement["date_end"], fields.Date.to_string(self.warranty.date_end))
        self.assertEqual(
            self._read(self.clerk, "aftersales.warranty", self.warranty.id, ["state"])["state"],
            "void",
        )

    def test_refund_returns_the_credit_note(self):
        S = "aftersales.service.order"
        self.sale._create_invoices().action_post()
        order = self._received_order(request_type="refund")
        with self.assertFault(FAULT_ACCESS_ERROR, "Only an After-Sales Manager may refund"):
            self._call(self.clerk, S, "action_refund", order.ids)
        self._record_defect(order, self.clerk)
        action = self._call(self.manager, S, "action_refund", order.ids)
        values = self._read(self.manager, S, order.id, ["state", "resolution", "refund_move_id"])
        self.assertEqual((values["state"], values["resolution"]), ("done", "refunded"))
        self.assertTrue(values["refund_move_id"])
        self.assertAction(action, res_model="account.move", res_id=values["refund_move_id"])
        action = self._call(self.manager, S, "action_view_invoices", order.ids)
        self.assertAction(action, res_model="account.move")
        self.assertIn(values["refund_move_id"], action["domain"][0][2])

    def test_coverage_override_and_quotation(self):
        S = "aftersales.service.order"
        order = self._received_order()
        with self.assertFault(FAULT_ACCESS_ERROR, "Only an After-Sales Manager may override"):
            self._call(self.clerk, S, "action_override_coverage", order.ids, "paid", "Water damage")
        with self.assertFault(FAULT_USER_ERROR, "The coverage must be one of"):
            self._call(self.manager, S, "action_override_coverage", order.ids, "free", "Water")
        with self.assertFault(FAULT_USER_ERROR, "not quoted"):
            self._call(self.clerk, S, "action_create_quotation", order.ids)
        self.assertIs(
            self._call(
                self.manager, S, "action_override_coverage", order.ids, "paid", "Water damage"
            ),
            True,
        )
        values = self._read(self.clerk, S, order.id, ["coverage", "cost_bearer"])
        self.assertEqual((values["coverage"], values["cost_bearer"]), ("paid", "customer"))
        action = self._call(self.clerk, S, "action_create_quotation", order.ids)
        quote_id = self._read(self.clerk, S, order.id, ["sale_order_id"])["sale_order_id"]
        self.assertTrue(quote_id)
        self.assertAction(action, res_model="sale.order", res_id=quote_id)
        quote = self._read(self.clerk, "sale.order", quote_id, ["partner_id", "origin", "state"])
        self.assertEqual(
            (quote["partner_id"], quote["origin"], quote["state"]),
            (self.customer.id, order.name, "draft"),
        )
        self.assertAction(
            self._call(self.clerk, S, "action_view_sale_order", order.ids),
            res_model="sale.order",
            res_id=quote_id,
        )

    def test_on_site_work_and_cancel(self):
        S = "aftersales.service.order"
        on_site = self._call(
            self.clerk,
            S,
            "create",
            {"lot_id": self.lot.id, "request_type": "installation", "description": "Install"},
        )
        self.assertIs(self._call(self.clerk, S, "action_confirm", [on_site]), True)
        self.assertEqual(self._read(self.clerk, S, on_site, ["state"])["state"], "in_progress")
        self.assertFalse(self._transfers("aftersales_service_order_id", on_site))
        self.assertIs(self._call(self.clerk, S, "action_done_on_site", [on_site]), True)
        self.assertEqual(self._read(self.clerk, S, on_site, ["state"])["state"], "done")
        with self.assertFault(FAULT_USER_ERROR, "Cannot cancel"):
            self._call(self.clerk, S, "action_cancel", [on_site])

        order = self._new_order(lot=self._new_lot())
        order.action_confirm()
        self.assertIs(self._call(self.clerk, S, "action_cancel", order.ids), True)
        self.assertEqual(self._read(self.clerk, S, order.id, ["state"])["state"], "cancel")
        self.assertFalse(self._transfers("aftersales_service_order_id", order.id))

    def test_assign_technician_and_workload(self):
        S = "aftersales.service.order"
        technician = self._rpc_user("rpc_technician", "aftersales_service.group_aftersales_user")
        with self.assertFault(FAULT_ACCESS_ERROR, "Only an After-Sales Manager"):
            self._call(
                self.clerk,
                "res.users",
                "write",
                [technician.id],
                {"aftersales_categ_ids": [[6, 0, self.product_serial.categ_id.ids]]},
            )
        self._call(
            self.manager,
            "res.users",
            "write",
            [technician.id],
            {"aftersales_categ_ids": [[6, 0, self.product_serial.categ_id.ids]]},
        )
        orders = [self._new_order(lot=self._new_lot()).id for _i in range(2)]
        self.assertIs(self._call(self.clerk, S, "action_assign_technician", orders), True)
        rows = self._call(self.clerk, S, "read", orders, ["user_id"], load=False)
        self.assertEqual([row["user_id"] for row in rows], [technician.id] * 2)
        with self.assertFault(FAULT_USER_ERROR, "already has a technician"):
            self._call(self.clerk, S, "action_assign_technician", orders[:1])
        action = self.assertAction(self._call(technician, S, "action_open_workload"), res_model=S)
        self.assertEqual(action["context"], {"search_default_my_orders": 1})

    # ------------------------------------------------------------------
    # Loaners and loans
    # ------------------------------------------------------------------

    def test_lend_with_the_service_order(self):
        S, L = "aftersales.service.order", "aftersales.loan"
        order = self._received_order()
        with self.assertFault(FAULT_USER_ERROR, "must be given as the id of a record"):
            self._call(self.clerk, S, "action_lend", order.ids, [self.loaner.id])
        with self.assertFault(FAULT_USER_ERROR, "must be a date written YYYY-MM-DD"):
            self._call(self.clerk, S, "action_lend", order.ids, self.loaner.id, date_due="soon")
        action = self._call(
            self.clerk,
            S,
            "action_lend",
            order.ids,
            self.loaner.id,
            date_due="2026-01-19",
            condition_out="Like new",
        )
        self.assertAction(action, res_model=L)
        loan_id = action["res_id"]
        values = self._read(
            self.clerk,
            L,
            loan_id,
            ["state", "partner_id", "service_order_id", "date_due", "condition_out"],
        )
        self.assertEqual(
            values,
            {
                "id": loan_id,
                "state": "draft",
                "partner_id": self.customer.id,
                "service_order_id": order.id,
                "date_due": "2026-01-19",
                "condition_out": "Like new",
            },
        )
        self.assertEqual(
            self._read(self.clerk, "aftersales.loaner", self.loaner.id, ["state"])["state"], "lent"
        )
        self._validate_transfer(self._transfers("aftersales_loan_id", loan_id)["loan_out"]["id"])
        self.assertEqual(self._read(self.clerk, L, loan_id, ["state"])["state"], "lent")

        # The unit cannot go back while the loaner is out, unless a manager says so.
        self.assertIs(self._call(self.clerk, S, "action_no_fault_found", order.ids), True)
        with self.assertFault(FAULT_USER_ERROR, "is still out"):
            self._call(self.clerk, S, "action_return_to_customer", order.ids)
        with self.assertFault(FAULT_ACCESS_ERROR, "Only an After-Sales Manager may hand"):
            self._call(self.clerk, S, "action_return_to_customer", order.ids, allow_open_loan=True)
        self.assertIs(
            self._call(self.manager, S, "action_return_to_customer_anyway", order.ids), True
        )
        self.assertIn("service_out", self._transfers("aftersales_service_order_id", order.id))

        self.assertIs(
            self._call(
                self.clerk,
                L,
                "action_return",
                [loan_id],
                condition_in="Scratched lid",
                needs_maintenance=True,
            ),
            True,
        )
        with self.assertFault(FAULT_USER_ERROR, "Only a lent loan can be returned, once"):
            self._call(self.clerk, L, "action_return", [loan_id])
        self._validate_transfer(self._transfers("aftersales_loan_id", loan_id)["loan_in"]["id"])
        values = self._read(self.clerk, L, loan_id, ["state", "condition_in", "date_returned"])
        self.assertEqual((values["state"], values["condition_in"]), ("returned", "Scratched lid"))
        self.assertTrue(values["date_returned"])

        Loaner, loaner_id = "aftersales.loaner", self.loaner.id
        self.assertEqual(
            self._read(self.clerk, Loaner, loaner_id, ["state"])["state"], "maintenance"
        )
        self.assertIs(self._call(self.clerk, Loaner, "action_set_available", [loaner_id]), True)
        self.assertEqual(self._read(self.clerk, Loaner, loaner_id, ["state"])["state"], "available")
        action = self._call(self.clerk, Loaner, "action_view_loans", [loaner_id])
        self.assertAction(action, res_model=L)
        self.assertEqual(self._call(self.clerk, L, "search", action["domain"]), [loan_id])
        with self.assertFault(FAULT_ACCESS_ERROR, "Only an After-Sales Manager may retire"):
            self._call(self.clerk, Loaner, "action_retire", [loaner_id])
        self.assertIs(self._call(self.manager, Loaner, "action_retire", [loaner_id]), True)
        self.assertEqual(self._read(self.clerk, Loaner, loaner_id, ["state"])["state"], "retired")

    def test_loan_without_service_order(self):
        Loaner, L = "aftersales.loaner", "aftersales.loan"
        loaner_id = self._call(self.clerk, Loaner, "create", {"lot_id": self.spare_loaner_lot.id})
        values = self._read(self.clerk, Loaner, loaner_id, ["state", "in_loaners", "picking_id"])
        self.assertEqual((values["state"], values["in_loaners"]), ("available", False))
        self._validate_transfer(values["picking_id"])
        self.assertTrue(self._read(self.clerk, Loaner, loaner_id, ["in_loaners"])["in_loaners"])

        returned, lost = (
            self._call(
                self.clerk,
                L,
                "create",
                {"loaner_id": loaner, "partner_id": self.customer.id, "date_due": "2026-01-19"},
            )
            for loaner in (loaner_id, self.loaner.id)
        )
        for loan_id in (returned, lost):
            self.assertIs(self._call(self.clerk, L, "action_lend", [loan_id]), True)
            with self.assertFault(FAULT_USER_ERROR, "Only a draft loan"):
                self._call(self.clerk, L, "action_lend", [loan_id])
            self._validate_transfer(
                self._transfers("aftersales_loan_id", loan_id)["loan_out"]["id"]
            )
            self.assertEqual(self._read(self.clerk, L, loan_id, ["state"])["state"], "lent")

        self.assertIs(
            self._call(self.clerk, L, "write", [returned], {"condition_in": "Fine"}), True
        )
        self.assertIs(self._call(self.clerk, L, "action_return_button", [returned]), True)
        self._validate_transfer(self._transfers("aftersales_loan_id", returned)["loan_in"]["id"])
        values = self._read(self.clerk, L, returned, ["state", "condition_in"])
        self.assertEqual((values["state"], values["condition_in"]), ("returned", "Fine"))

        with self.assertFault(FAULT_ACCESS_ERROR, "Only an After-Sales Manager may mark"):
            self._call(self.clerk, L, "action_mark_lost", [lost])
        self.assertIs(self._call(self.manager, L, "action_mark_lost_invoice", [lost]), True)
        values = self._read(self.manager, L, lost, ["state", "invoice_id"])
        self.assertEqual(values["state"], "lost")
        self.assertTrue(values["invoice_id"], "the customer is invoiced the lost loaner")
        self.assertEqual(
            self._read(self.clerk, Loaner, self.loaner.id, ["state"])["state"], "retired"
        )

    def test_mark_lost_without_invoice(self):
        L = "aftersales.loan"
        loan_id = self._call(
            self.clerk,
            L,
            "create",
            {"loaner_id": self.loaner.id, "partner_id": self.customer.id},
        )
        self._call(self.clerk, L, "action_lend", [loan_id])
        self._validate_transfer(self._transfers("aftersales_loan_id", loan_id)["loan_out"]["id"])
        self.assertIs(
            self._call(self.manager, L, "action_mark_lost", [loan_id], invoice=False), True
        )
        values = self._read(self.manager, L, loan_id, ["state", "invoice_id"])
        self.assertEqual((values["state"], values["invoice_id"]), ("lost", False))

    # ------------------------------------------------------------------
    # Supplier claims
    # ------------------------------------------------------------------

    def _replaced_order(self):
        """A service order whose faulty unit was replaced: the company owns it in Service."""
        order = self._received_order(lot=self._new_lot(), request_type="replacement")
        self._record_defect(order)
        order.action_replace(self._put_in_stock(self.product_serial, 1))
        self._validate(
            order.picking_ids.filtered(lambda p: p.aftersales_transfer_kind == "replacement_out"),
            self.stock_user,
        )
        return order

    def test_supplier_claim_accepted_and_settled(self):
        C = "aftersales.supplier.claim"
        order = self._replaced_order()
        claim_ids = self._call(self.clerk, C, "create_from_service_orders", order.ids)
        self.assertIsInstance(claim_ids, list)
        self.assertEqual(len(claim_ids), 1)
        [claim_id] = claim_ids
        values = self._read(self.clerk, C, claim_id, ["partner_id", "state", "amount_claimed"])
        self.assertEqual(
            values,
            {
                "id": claim_id,
                "partner_id": self.vendor.id,
                "state": "draft",
                "amount_claimed": 360.0,
            },
        )
        with self.assertFault(FAULT_USER_ERROR, "Already claimed from a vendor"):
            self._call(self.clerk, C, "create_from_service_orders", order.id)

        self.assertIs(self._call(self.clerk, C, "action_return_goods", [claim_id]), True)
        back = self._transfers("aftersales_supplier_claim_id", claim_id)["vendor_return"]
        self.assertEqual(back["partner_id"], self.vendor.id)
        with self.assertFault(FAULT_USER_ERROR, "already returned"):
            self._call(self.clerk, C, "action_return_goods", [claim_id])
        self._validate_transfer(back["id"])

        with self.assertFault(FAULT_ACCESS_ERROR, "Only an After-Sales Manager may send"):
            self._call(self.clerk, C, "action_send", [claim_id])
        self._send_claim(claim_id)
        values = self._read(self.clerk, C, claim_id, ["state", "date_deadline"])
        self.assertEqual((values["state"], values["date_deadline"]), ("sent", "2026-01-15"))

        with self.assertFault(FAULT_USER_ERROR, "more than was claimed"):
            self._call(self.manager, C, "action_accept", [claim_id], 400)
        self.assertIs(self._call(self.manager, C, "action_accept", [claim_id], 360), True)
        values = self._read(self.clerk, C, claim_id, ["state", "amount_accepted"])
        self.assertEqual((values["state"], values["amount_accepted"]), ("accepted", 360.0))
        self.assertEqual(
            self._read(self.clerk, "aftersales.service.order", order.id, ["cost_bearer"])[
                "cost_bearer"
            ],
            "supplier",
        )

        action = self.assertAction(
            self._call(self.manager, C, "action_create_credit_note", [claim_id]),
            res_model="account.move",
        )
        self.assertEqual(
            self._read(self.manager, C, claim_id, ["credit_note_count"])["credit_note_count"], 1
        )
        credit_note = self.env["account.move"].browse(action["res_id"])
        self.assertEqual((credit_note.move_type, credit_note.state), ("in_refund", "draft"))
        self.assertEqual(credit_note.aftersales_supplier_claim_id.id, claim_id)
        self.assertAction(
            self._call(self.manager, C, "action_view_credit_notes", [claim_id]),
            res_model="account.move",
        )

        self.assertIs(self._call(self.clerk, C, "action_receive_replacement", [claim_id]), True)
        with self.assertFault(FAULT_USER_ERROR, "already expected"):
            self._call(self.clerk, C, "action_receive_replacement", [claim_id])
        receipt_id = self._transfers("aftersales_supplier_claim_id", claim_id)[
            "vendor_replacement_in"
        ]["id"]
        receipt = self.env["stock.picking"].browse(receipt_id)
        receipt.move_ids.move_line_ids.lot_id = self.env["stock.lot"].create(
            {"name": "SN-RPC-REPL", "product_id": self.product_serial.id}
        )
        self._validate_transfer(receipt_id)
        values = self._read(self.clerk, C, claim_id, ["state", "amount_recovered"])
        self.assertEqual((values["state"], values["amount_recovered"]), ("settled", 360.0))

        action = self._call(self.clerk, C, "action_view_pickings", [claim_id])
        self.assertAction(action, res_model="stock.picking")
        self.assertEqual(
            sorted(self._call(self.clerk, "stock.picking", "search", action["domain"])),
            sorted([back["id"], receipt_id]),
        )
        action = self._call(self.clerk, C, "action_view_service_orders", [claim_id])
        self.assertAction(action, res_model="aftersales.service.order")
        self.assertEqual(
            self._call(self.clerk, "aftersales.service.order", "search", action["domain"]),
            order.ids,
        )

    def test_supplier_claim_rejected_and_cancelled(self):
        C = "aftersales.supplier.claim"
        [rejected] = self._call(
            self.clerk, C, "create_from_service_orders", self._received_order().ids
        )
        [cancelled] = self._call(
            self.clerk, C, "create_from_service_orders", [self._new_order(lot=self._new_lot()).id]
        )
        with self.assertFault(FAULT_USER_ERROR, "still belongs to the customer"):
            self._call(self.clerk, C, "action_return_goods", [rejected])
        self.assertFalse(self._transfers("aftersales_supplier_claim_id", rejected))
        self._send_claim(rejected)
        with self.assertFault(FAULT_USER_ERROR, "reason to reject the claim is required"):
            self._call(self.manager, C, "action_reject", [rejected], " ")
        with self.assertFault(FAULT_ACCESS_ERROR, "Only an After-Sales Manager may reject"):
            self._call(self.clerk, C, "action_reject", [rejected], "Misuse")
        self.assertIs(self._call(self.manager, C, "action_reject", [rejected], "Misuse"), True)
        values = self._read(self.clerk, C, rejected, ["state", "reject_reason"])
        self.assertEqual((values["state"], values["reject_reason"]), ("rejected", "Misuse"))

        with self.assertFault(FAULT_ACCESS_ERROR, "Only an After-Sales Manager may cancel"):
            self._call(self.clerk, C, "action_cancel", [cancelled])
        self.assertIs(self._call(self.manager, C, "action_cancel", [rejected, cancelled]), True)
        rows = self._call(
            self.clerk, C, "search_read", [("id", "in", [rejected, cancelled])], ["state"]
        )
        self.assertEqual({row["state"] for row in rows}, {"cancel"})

    # ------------------------------------------------------------------
    # Quality: defects, independent expertise, quality alerts
    # ------------------------------------------------------------------

    def test_defect_capa(self):
        D = "aftersales.defect"
        order = self._received_order()
        defect_id = self._call(
            self.clerk,
            D,
            "create",
            {
                "service_order_id": order.id,
                "defect_type_id": self.defect_type.id,
                "responsibility": "supplier",
                "capa_deadline": "2026-01-31",
            },
        )
        self.assertIsInstance(defect_id, int)
        self.assertAction(
            self._call(self.clerk, D, "action_open_form", [defect_id]),
            res_model=D,
            res_id=defect_id,
        )
        self.assertAction(
            self._call(self.clerk, D, "action_view_service_order", [defect_id]),
            res_model="aftersales.service.order",
            res_id=order.id,
        )
        with self.assertFault(FAULT_USER_ERROR, "can only be changed through its actions"):
            self._call(self.clerk, D, "write", [defect_id], {"capa_state": "verified"})

        self.assertIs(self._call(self.clerk, D, "action_capa_start", [defect_id]), True)
        values = self._read(self.clerk, D, defect_id, ["capa_state", "capa_user_id"])
        self.assertEqual(
            values, {"id": defect_id, "capa_state": "in_progress", "capa_user_id": self.clerk.id}
        )
        with self.assertFault(FAULT_USER_ERROR, "Cannot start the corrective action of .*In Prog"):
            self._call(self.clerk, D, "action_capa_start", [defect_id])
        with self.assertFault(FAULT_USER_ERROR, "Describe the corrective action of"):
            self._call(self.clerk, D, "action_capa_done", [defect_id])
        self.assertIs(
            self._call(
                self.clerk, D, "write", [defect_id], {"corrective_action": "Seal batch replaced"}
            ),
            True,
        )
        self.assertIs(self._call(self.clerk, D, "action_capa_done", [defect_id]), True)
        self.assertEqual(self._read(self.clerk, D, defect_id, ["capa_state"])["capa_state"], "done")

        with self.assertFault(FAULT_ACCESS_ERROR, "Only an After-Sales Manager may verify"):
            self._call(self.clerk, D, "action_capa_verify", [defect_id])
        self.assertEqual(self._read(self.clerk, D, defect_id, ["capa_state"])["capa_state"], "done")
        self.assertIs(self._call(self.manager, D, "action_capa_verify", [defect_id]), True)
        self.assertEqual(
            self._read(self.clerk, D, defect_id, ["capa_state"])["capa_state"], "verified"
        )
        with self.assertFault(FAULT_USER_ERROR, "Cannot verify a corrective action of"):
            self._call(self.manager, D, "action_capa_verify", [defect_id])

    def test_expertise_sent_concluded_and_printed(self):
        E, S = "aftersales.expertise", "aftersales.service.order"
        examiner = self.env["res.partner"].create(
            {"name": "Appliance Examiners Ltd", "email": "lab@examiners.example.com"}
        )
        order = self._received_order()
        question = "Was the boiler damaged by limescale?"
        with self.assertFault(FAULT_USER_ERROR, "must be given as the id of a record"):
            self._call(
                self.clerk, S, "action_send_to_expertise", order.ids, examiner.name, question
            )
        action = self._call(
            self.clerk, S, "action_send_to_expertise", order.ids, examiner.id, question
        )
        self.assertAction(action, res_model=E)
        expertise_id = action["res_id"]
        values = self._read(
            self.clerk,
            E,
            expertise_id,
            ["state", "service_order_id", "partner_id", "question", "date_sent"],
        )
        self.assertEqual(
            values,
            {
                "id": expertise_id,
                "state": "sent",
                "service_order_id": order.id,
                "partner_id": examiner.id,
                "question": question,
                "date_sent": "2026-01-05",
            },
        )
        transfers = self._transfers("aftersales_expertise_id", expertise_id)
        self.assertEqual(sorted(transfers), ["expertise_in", "expertise_out"])
        self.assertEqual(transfers["expertise_out"]["partner_id"], examiner.id)
        self.assertEqual(transfers["expertise_out"]["owner_id"], self.customer.id)
        with self.assertFault(FAULT_USER_ERROR, "Cannot send to expertise"):
            self._call(self.clerk, E, "action_send", [expertise_id])
        self.assertPrintAction(
            self.clerk,
            E,
            "action_print_note",
            expertise_id,
            "aftersales_service.action_report_expertise_transfer",
        )
        self._validate_transfer(transfers["expertise_out"]["id"])
        action = self._call(self.clerk, E, "action_view_pickings", [expertise_id])
        self.assertAction(action, res_model="stock.picking")
        self.assertEqual(
            sorted(self._call(self.clerk, "stock.picking", "search", action["domain"])),
            sorted(transfer["id"] for transfer in transfers.values()),
        )
        self.assertAction(
            self._call(self.clerk, E, "action_view_service_order", [expertise_id]),
            res_model=S,
            res_id=order.id,
        )
        action = self._call(self.manager, E, "action_open_conclude_wizard", [expertise_id])
        self.assertAction(action, res_model="aftersales.expertise.conclude")
        self.assertEqual(action["context"]["default_expertise_id"], expertise_id)

        with self.assertFault(FAULT_ACCESS_ERROR, "Only an After-Sales Manager may conclude"):
            self._call(self.clerk, E, "action_conclude", [expertise_id], "no_fault", "Fine")
        with self.assertFault(FAULT_USER_ERROR, "The conclusion must be one of .*'wear'"):
            self._call(self.manager, E, "action_conclude", [expertise_id], "wear", "Worn")
        with self.assertFault(FAULT_USER_ERROR, "The expertise cost"):
            self._call(self.manager, E, "action_conclude", [expertise_id], "no_fault", "Ok", -5)
        self.assertEqual(self._read(self.clerk, E, expertise_id, ["state"])["state"], "sent")
        self.assertIs(
            self._call(
                self.manager,
                E,
                "action_conclude",
                [expertise_id],
                "customer_fault",
                "Never descaled.",
                cost=80,
            ),
            True,
        )
        values = self._read(
            self.clerk,
            E,
            expertise_id,
            ["state", "conclusion", "conclusion_note", "cost", "cost_bearer", "date_concluded"],
        )
        self.assertEqual(
            values,
            {
                "id": expertise_id,
                "state": "concluded",
                "conclusion": "customer_fault",
                "conclusion_note": "Never descaled.",
                "cost": 80.0,
                "cost_bearer": "customer",
                "date_concluded": "2026-01-05",
            },
        )
        values = self._read(self.manager, S, order.id, ["coverage", "sale_order_id"])
        self.assertEqual(values["coverage"], "paid")
        # The quotation is the order's technician's (not the RPC users'): read as the system.
        quotation = self.env["sale.order"].browse(values["sale_order_id"])
        self.assertEqual(quotation.state, "draft")
        self.assertEqual(
            quotation.order_line.mapped(lambda line: (line.product_id, line.price_unit)),
            [
                (self.diagnosis_product, self.diagnosis_product.list_price),
                (self.env.ref("aftersales_service.product_service_expertise"), 80.0),
            ],
        )
        with self.assertFault(FAULT_USER_ERROR, "Cannot conclude"):
            self._call(self.manager, E, "action_conclude", [expertise_id], "no_fault", "Again")
        with self.assertFault(FAULT_USER_ERROR, "Cannot cancel"):
            self._call(self.clerk, E, "action_cancel", [expertise_id])

    def test_expertise_sent_then_cancelled(self):
        E = "aftersales.expertise"
        order = self._received_order()
        with self.assertFault(FAULT_USER_ERROR, "there is no res.partner"):
            self._call(
                self.clerk,
                "aftersales.service.order",
                "action_send_to_expertise",
                order.ids,
                999_999_999,
                "Why?",
            )
        expertise_id = self._call(
            self.clerk,
            E,
            "create",
            {"service_order_id": order.id, "partner_id": self.workshop.id, "question": "Why?"},
        )
        self.assertEqual(self._read(self.clerk, E, expertise_id, ["state"])["state"], "draft")
        self.assertIs(self._call(self.clerk, E, "action_send", [expertise_id]), True)
        self.assertEqual(self._read(self.clerk, E, expertise_id, ["state"])["state"], "sent")
        self.assertEqual(
            sorted(self._transfers("aftersales_expertise_id", expertise_id)),
            ["expertise_in", "expertise_out"],
        )
        self.assertIs(self._call(self.clerk, E, "action_cancel", [expertise_id]), True)
        self.assertEqual(self._read(self.clerk, E, expertise_id, ["state"])["state"], "cancel")
        self.assertFalse(self._transfers("aftersales_expertise_id", expertise_id))
        with self.assertFault(FAULT_USER_ERROR, "Cannot cancel"):
            self._call(self.clerk, E, "action_cancel", [expertise_id])

    def test_quality_alert_proposed_accepted_closed_rejected(self):
        A = "aftersales.quality.alert"
        self.env.company.write(
            {
                "aftersales_defect_rate_threshold": 5.0,
                "aftersales_defect_min_units": 1,
                "aftersales_defect_window_months": 12,
            }
        )
        order = self._received_order()
        self._record_defect(order)
        with self.assertFault(FAULT_ACCESS_ERROR, "Only an After-Sales Manager may compute"):
            self._call(self.clerk, A, "compute_alerts", "2026-01-05")
        with self.assertFault(FAULT_USER_ERROR, "must be a date written YYYY-MM-DD"):
            self._call(self.manager, A, "compute_alerts", "05/01/2026")
        alert_ids = self._call(self.manager, A, "compute_alerts", "2026-01-05")
        self.assertIsInstance(alert_ids, list)
        self.assertEqual(len(alert_ids), 1)
        [alert_id] = alert_ids
        values = self._read(
            self.clerk,
            A,
            alert_id,
            ["state", "product_id", "date_from", "units_delivered", "defect_count", "defect_rate"],
        )
        self.assertEqual(
            values,
            {
                "id": alert_id,
                "state": "new",
                "product_id": self.product_serial.id,
                "date_from": "2025-01-06",
                "units_delivered": 1.0,
                "defect_count": 1,
                "defect_rate": 100.0,
            },
        )
        self.assertEqual(self._call(self.manager, A, "compute_alerts"), [alert_id])
        action = self.assertAction(self._call(self.manager, A, "action_compute_alerts", []))
        self.assertEqual(self._call(self.manager, A, "search", action["domain"]), [alert_id])
        action = self.assertAction(
            self._call(self.clerk, A, "action_view_defects", [alert_id]),
            res_model="aftersales.defect",
        )
        self.assertEqual(
            self._call(self.clerk, "aftersales.defect", "search", action["domain"]),
            order.defect_ids.ids,
        )
        for method in ("action_open_propose_wizard", "action_open_reject_wizard"):
            with self.subTest(method=method):
                action = self._call(self.manager, A, method, [alert_id])
                self.assertAction(action, res_model="aftersales.quality.alert.decision")
                self.assertEqual(action["context"]["default_alert_id"], alert_id)

        with self.assertFault(FAULT_ACCESS_ERROR, "Only an After-Sales Manager may propose"):
            self._call(self.clerk, A, "action_propose", [alert_id], "redesign", "Thicker seal")
        with self.assertFault(FAULT_USER_ERROR, "The proposal must be one of .*'recall'"):
            self._call(self.manager, A, "action_propose", [alert_id], "recall", "Recall them")
        with self.assertFault(FAULT_USER_ERROR, "The note explaining the proposal"):
            self._call(self.manager, A, "action_propose", [alert_id], "redesign", " ")
        self.assertEqual(self._read(self.clerk, A, alert_id, ["state"])["state"], "new")
        self.assertIs(
            self._call(
                self.manager, A, "action_propose", [alert_id], "change_component", "Other seal"
            ),
            True,
        )
        values = self._read(self.clerk, A, alert_id, ["state", "proposal", "proposal_note"])
        self.assertEqual(
            values,
            {
                "id": alert_id,
                "state": "proposed",
                "proposal": "change_component",
                "proposal_note": "Other seal",
            },
        )
        self.assertPrintAction(
            self.manager,
            A,
            "action_print_proposal",
            alert_id,
            "aftersales_service.action_report_quality_alert",
        )
        with self.assertFault(FAULT_USER_ERROR, "Cannot propose a measure for"):
            self._call(self.manager, A, "action_propose", [alert_id], "redesign", "Again")
        self.assertIs(self._call(self.manager, A, "action_accept", [alert_id]), True)
        self.assertEqual(self._read(self.clerk, A, alert_id, ["state"])["state"], "accepted")
        with self.assertFault(FAULT_USER_ERROR, "Cannot accept"):
            self._call(self.manager, A, "action_accept", [alert_id])
        self.assertIs(self._call(self.manager, A, "action_close", [alert_id]), True)
        self.assertEqual(self._read(self.clerk, A, alert_id, ["state"])["state"], "closed")
        with self.assertFault(FAULT_USER_ERROR, "Cannot close"):
            self._call(self.manager, A, "action_close", [alert_id])

        # The product is still in breach: the next check opens a new alert.
        [again_id] = self._call(self.manager, A, "compute_alerts", "2026-01-05")
        self.assertNotEqual(again_id, alert_id)
        with self.assertFault(FAULT_USER_ERROR, "reason to reject the alert is required"):
            self._call(self.manager, A, "action_reject", [again_id], " ")
        self.assertIs(
            self._call(self.manager, A, "action_reject", [again_id], "One unit is no trend"), True
        )
        values = self._read(self.clerk, A, again_id, ["state", "reject_reason"])
        self.assertEqual(
            values, {"id": again_id, "state": "rejected", "reject_reason": "One unit is no trend"}
        )
        with self.assertFault(FAULT_USER_ERROR, "Cannot reject"):
            self._call(self.manager, A, "action_reject", [again_id], "Again")

    def test_consumer_claim_over_rpc(self):
        C = "aftersales.claim"
        self.env.company.aftersales_legal_profile_id = self.env.ref(
            "aftersales_service.legal_profile_ru"
        )
        with self.assertFault(FAULT_USER_ERROR, "The demand must be one of"):
            self._call(self.clerk, C, "create", [{"lot_id": self.lot.id, "demand": "swap"}])
        [claim_id] = self._call(
            self.clerk,
            C,
            "create",
            [{"lot_id": self.lot.id, "demand": "repair", "date_received": "2026-01-02"}],
        )
        self.assertIs(self._call(self.clerk, C, "action_receive", [claim_id]), True)
        values = self._read(self.clerk, C, claim_id, ["state", "date_deadline", "partner_id"])
        self.assertEqual(
            (values["state"], values["date_deadline"], values["partner_id"]),
            ("received", "2026-02-16", self.customer.id),
        )
        with self.assertFault(FAULT_ACCESS_ERROR, "Only an After-Sales Manager may accept"):
            self._call(self.clerk, C, "action_accept", [claim_id], "ok")
        with self.assertFault(FAULT_USER_ERROR, "The reason for the rejection is required"):
            self._call(self.manager, C, "action_reject", [claim_id], "")
        action = self.assertAction(
            self._call(self.manager, C, "action_open_decision_wizard", [claim_id]),
            res_model="aftersales.claim.decision",
        )
        self.assertEqual(action["context"]["default_claim_id"], claim_id)
        self.assertIs(
            self._call(self.manager, C, "action_accept", [claim_id], "Repaired for free"), True
        )
        action = self.assertAction(
            self._call(self.clerk, C, "action_create_service_order", [claim_id]),
            res_model="aftersales.service.order",
        )
        order = self.env["aftersales.service.order"].browse(action["res_id"])
        self.assertEqual(order.claim_id.id, claim_id)
        action = self.assertAction(
            self._call(self.clerk, C, "action_view_service_orders", [claim_id]),
            res_model="aftersales.service.order",
        )
        self.assertEqual(
            self._call(self.clerk, "aftersales.service.order", "search", action["domain"]),
            order.ids,
        )
        self.assertPrintAction(
            self.clerk,
            C,
            "action_print_answer",
            claim_id,
            "aftersales_service.action_report_claim_answer",
        )
        self.assertIs(self._call(self.clerk, C, "action_send_answer", [claim_id]), True)
        with self.assertFault(FAULT_USER_ERROR, "Cannot answer"):
            self._call(self.clerk, C, "action_send_answer", [claim_id])
        self.assertIs(self._call(self.clerk, C, "action_close", [claim_id]), True)
        self.assertEqual(self._read(self.clerk, C, claim_id, ["state"])["state"], "closed")

    def test_consumer_claim_credit_note_over_rpc(self):
        C = "aftersales.claim"
        profile = self.env.ref("aftersales_service.legal_profile_pt")
        [claim_id] = self._call(
            self.clerk,
            C,
            "create",
            [
                {
                    "lot_id": self.lot.id,
                    "demand": "price_reduction",
                    "amount_demanded": 80.0,
                    "legal_profile_id": profile.id,
                }
            ],
        )
        self._call(self.clerk, C, "action_receive", [claim_id])
        self._call(self.manager, C, "action_accept", [claim_id])
        with self.assertFault(FAULT_USER_ERROR, "The amount must be a number"):
            self._call(self.manager, C, "action_create_credit_note", [claim_id], "80")
        self.assertAction(
            self._call(self.manager, C, "action_open_credit_note_wizard", [claim_id]),
            res_model="aftersales.claim.credit.note",
        )
        action = self.assertAction(
            self._call(self.manager, C, "action_create_credit_note", [claim_id], 80.0),
            res_model="account.move",
        )
        move = self.env["account.move"].browse(action["res_id"])
        self.assertEqual((move.move_type, move.amount_untaxed), ("out_refund", 80.0))
        with self.assertFault(FAULT_USER_ERROR, "already has its credit note"):
            self._call(self.manager, C, "action_create_credit_note", [claim_id], 80.0)
