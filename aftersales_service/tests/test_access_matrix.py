"""Who may do what with the add-on's models, as real users: one table of the
product's intent (role x model -> operations), checked cell by cell, a few
cells also through the real operation, and the isolation of the companies.

Letters of a cell: ``r`` read, ``w`` write, ``c`` create, ``u`` unlink; a
missing letter is an operation refused with an AccessError. ``d`` (in place of
``u``): the role never deletes a document that is no longer draft (refused by
the access rights or by the document's own guard); whether it may delete a
draft one is left open."""

from contextlib import closing

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .claim_common import ClaimCommon

OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}
ROLES = ("portal", "user", "manager", "stock", "accountant")

# fmt: off
MATRIX = {
    # model                                  portal user    manager stock accountant
    "aftersales.warranty":                   ("r", "r",    "rwcu", "", ""),
    "aftersales.service.order":              ("r", "rwcd", "rwcu", "", ""),
    "aftersales.loaner":                     ("",  "rwcd", "rwcu", "", ""),
    "aftersales.loan":                       ("",  "rwcd", "rwcu", "", ""),
    "aftersales.supplier.claim":             ("",  "rwcd", "rwcu", "", ""),
    "aftersales.supplier.claim.line":        ("",  "rwcd", "rwcu", "", ""),
    "aftersales.loaner.report":              ("",  "r",    "r",    "", ""),  # SQL view
    "aftersales.warranty.check":             ("",  "rwcu", "rwcu", "", ""),
    "aftersales.warranty.void":              ("",  "",     "rwcu", "", ""),
    "aftersales.warranty.extend":            ("",  "",     "rwcu", "", ""),
    "aftersales.service.order.coverage":     ("",  "",     "rwcu", "", ""),
    "aftersales.service.order.workshop":     ("",  "rwcu", "rwcu", "", ""),
    "aftersales.service.order.ready":        ("",  "rwcu", "rwcu", "", ""),
    "aftersales.loan.lend":                  ("",  "rwcu", "rwcu", "", ""),
    "aftersales.supplier.claim.wizard":      ("",  "rwcu", "rwcu", "", ""),
    "aftersales.supplier.claim.wizard.line": ("",  "rwcu", "rwcu", "", ""),
    "aftersales.supplier.claim.answer":      ("",  "",     "rwcu", "", ""),
    "aftersales.expertise":                  ("",  "rwcd", "rwcu", "", ""),
    "aftersales.expertise.send":             ("",  "rwcu", "rwcu", "", ""),
    "aftersales.expertise.conclude":         ("",  "",     "rwcu", "", ""),
    "aftersales.defect.type":                ("",  "r",    "rwcu", "", ""),
    "aftersales.defect":                     ("",  "rwc",  "rwcu", "", ""),
    "aftersales.part.norm":                  ("",  "r",    "rwcu", "", ""),
    "aftersales.part.request":               ("",  "rwcd", "rwcu", "", ""),
    "aftersales.part.request.line":          ("",  "rwcd", "rwcu", "", ""),
    "aftersales.quality.alert":              ("",  "r",    "rwcd", "", ""),
    "aftersales.quality.alert.decision":     ("",  "",     "rwcu", "", ""),
    "aftersales.service.report":             ("",  "r",    "r",    "", ""),  # SQL query
    "aftersales.legal.profile":              ("",  "r",    "rwcu", "", ""),
    "aftersales.claim":                      ("r", "rwcd", "rwcu", "", ""),
    "aftersales.claim.decision":             ("",  "",     "rwcu", "", ""),
    "aftersales.claim.credit.note":          ("",  "",     "rwcu", "", ""),
    "aftersales.service.agreement":          ("",  "r",    "rwcd", "", ""),
    "aftersales.dealer.claim":               ("",  "rwcd", "rwcd", "", ""),
    "aftersales.dealer.claim.line":          ("",  "rwcd", "rwcd", "", ""),
    "aftersales.network.reason":             ("",  "",     "rwcu", "", ""),
    "aftersales.forecast.report":            ("",  "",     "r",    "", ""),  # SQL query
}
# fmt: on


class TestAccessMatrix(ClaimCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stranger = cls.env["res.partner"].create({"name": "Bob Stranger"})
        cls.users = {
            "portal": new_test_user(
                cls.env,
                login="acl_portal",
                groups="base.group_portal",
                partner_id=cls.customer.id,
            ),
            "user": cls.as_user,
            "manager": cls.as_manager,
            "stock": cls.stock_user,
            "accountant": new_test_user(
                cls.env,
                login="acl_accountant",
                name="Accountant",
                groups="base.group_user,account.group_account_invoice",
            ),
        }
        # Service orders: a draft one and a received one of the customer, and
        # one of another customer (the portal user never sees it).
        cls.order_draft = cls._new_order().with_user(cls.env.user)
        lot = cls._deliver([(cls.product_serial, 1)]).warranty_ids.lot_id
        cls.order_received = cls._new_order(lot=lot).with_user(cls.env.user)
        cls._receive(cls.order_received)
        cls.stranger_warranty = cls._deliver(
            [(cls.product_serial, 1)], partner=cls.stranger
        ).warranty_ids
        cls.stranger_order = cls._new_order(lot=cls.stranger_warranty.lot_id).with_user(
            cls.env.user
        )
        # Loaners: one free, one with a draft loan, one lent.
        lots = cls._put_in_stock(cls.loaner_product, 3)
        cls.loaner_free, loaner_draft, cls.loaner_lent = cls.env["aftersales.loaner"].create(
            [{"lot_id": lot.id} for lot in lots]
        )
        for loaner in cls.loaner_free | loaner_draft | cls.loaner_lent:
            cls._validate(loaner.picking_id, cls.stock_user)
        Loan = cls.env["aftersales.loan"]
        cls.loan_draft = Loan.browse(cls.order_received.action_lend(loaner_draft)["res_id"])
        cls.loan_lent = Loan.browse(cls.order_received.action_lend(cls.loaner_lent)["res_id"])
        cls._validate(cls.loan_lent.picking_out_id, cls.stock_user)
        # A second company, with its own warehouse, and its manager.
        cls.company2 = cls.env["res.company"].create({"name": "Second Service Co"})
        cls.warehouse2 = cls.env["stock.warehouse"].search([("company_id", "=", cls.company2.id)])
        cls.manager2 = new_test_user(
            cls.env,
            login="acl_manager2",
            name="Second Co Manager",
            groups="base.group_user,aftersales_service.group_aftersales_manager",
            company_id=cls.company2.id,
            company_ids=[cls.company2.id],
        )

    def setUp(self):
        super().setUp()
        self.claim_draft = self._new_claim(self._replaced_order(name="SN-ACL-1"))
        self.claim_sent = self._new_claim(self._replaced_order(name="SN-ACL-2"))
        self._send(self.claim_sent)
        self.claim_draft = self.claim_draft.with_user(self.env.user)
        self.claim_sent = self.claim_sent.with_user(self.env.user)
        self.env.flush_all()
        loaners = self.loaner_free | self.loaner_lent
        reports = self.env["aftersales.loaner.report"].search([("loaner_id", "in", loaners.ids)])
        # Quality alerts: an open one, a closed one (made as the system).
        alert_vals = {
            "product_id": self.product_serial.id,
            "date_from": "2025-01-06",
            "date_to": "2026-01-05",
        }
        alert_open, alert_closed = self.env["aftersales.quality.alert"].create(
            [alert_vals, dict(alert_vals, state="closed")]
        )
        service_reports = self.env["aftersales.service.report"].search(
            [("service_order_id", "in", (self.order_draft | self.order_received).ids)]
        )
        # Defects: two found on the received order, of two types.
        defect_types = self.env["aftersales.defect.type"].create(
            [{"code": "ACL-1", "name": "Pump leaks"}, {"code": "ACL-2", "name": "Board dead"}]
        )
        defects = self.env["aftersales.defect"].create(
            [
                {"service_order_id": self.order_received.id, "defect_type_id": defect_type.id}
                for defect_type in defect_types
            ]
        )
        # Repair norms: a row for the product, one for its category.
        part_norms = self.env["aftersales.part.norm"].create(
            [
                {"product_id": self.product_serial.id, "part_id": self.part.id},
                {"product_categ_id": self.product_serial.categ_id.id, "part_id": self.part.id},
            ]
        )
        # Spare parts requests of the received order: a draft one, a requested one.
        part_requests = self.env["aftersales.part.request"].create(
            [
                {
                    "service_order_id": self.order_received.id,
                    "line_ids": [Command.create({"part_id": self.part.id, "quantity": 1.0})],
                }
                for _i in range(2)
            ]
        )
        part_requests[1:]._write_from_action({"date_requested": "2026-01-05 10:00:00"})
        # Expertises of the received order: a draft one, a sent one.
        examiner = self.env["res.partner"].create({"name": "Appliance Examiners Ltd"})
        expertise_draft, expertise_sent = self.env["aftersales.expertise"].create(
            [
                {"service_order_id": self.order_received.id, "partner_id": examiner.id},
                {
                    "service_order_id": self.order_received.id,
                    "partner_id": examiner.id,
                    "question": "Impact or defect?",
                },
            ]
        )
        expertise_sent.action_send()
        # Consumer claims of the customer: a draft one, a received one.
        profiles = self.env["aftersales.legal.profile"].search([], limit=2)
        consumer_claims = self.env["aftersales.claim"].create(
            [
                {"lot_id": self.warranty.lot_id.id, "legal_profile_id": profile.id}
                for profile in profiles
            ]
        )
        consumer_claims[1:].action_receive()
        # Service agreements: a draft one and an active one (everywhere, every
        # product); dealer claims under it: a draft one and a submitted one.
        dealer = self.env["res.partner"].create({"name": "ACL Dealer"})
        agreements = self.env["aftersales.service.agreement"].create(
            [{"partner_id": dealer.id, "labour_rate": 30.0}] * 2
        )
        agreements[1:].action_activate()
        dealer_claims = self.env["aftersales.dealer.claim"].create(
            [
                {
                    "partner_id": dealer.id,
                    "lot_id": self.warranty.lot_id.id,
                    "date_repair": day,
                    "line_ids": [Command.create({"product_id": self.part.id})],
                }
                for day in ("2026-01-04", "2026-01-05")
            ]
        )
        dealer_claims[1:].action_submit()
        forecast = self.env["aftersales.forecast.report"].search(
            [("product_id", "=", self.product_serial.id)], limit=2
        )
        # model: (a record still editable, a record past its draft state); the
        # wizards are checked on the model (no record).
        self.records = {
            "aftersales.warranty": (self.warranty, self.warranty),
            "aftersales.service.order": (self.order_draft, self.order_received),
            "aftersales.loaner": (self.loaner_free, self.loaner_lent),
            "aftersales.loan": (self.loan_draft, self.loan_lent),
            "aftersales.supplier.claim": (self.claim_draft, self.claim_sent),
            "aftersales.supplier.claim.line": (
                self.claim_draft.line_ids,
                self.claim_sent.line_ids,
            ),
            "aftersales.loaner.report": (reports[:1], reports[1:]),
            "aftersales.expertise": (expertise_draft, expertise_sent),
            "aftersales.defect.type": (defect_types[:1], defect_types[1:]),
            "aftersales.defect": (defects[:1], defects[1:]),
            "aftersales.part.norm": (part_norms[:1], part_norms[1:]),
            "aftersales.part.request": (part_requests[:1], part_requests[1:]),
            "aftersales.part.request.line": (
                part_requests[:1].line_ids,
                part_requests[1:].line_ids,
            ),
            "aftersales.quality.alert": (alert_open, alert_closed),
            "aftersales.service.report": (service_reports[:1], service_reports[1:]),
            "aftersales.legal.profile": (profiles[:1], profiles[1:]),
            "aftersales.claim": (consumer_claims[:1], consumer_claims[1:]),
            "aftersales.service.agreement": (agreements[:1], agreements[1:]),
            "aftersales.dealer.claim": (dealer_claims[:1], dealer_claims[1:]),
            "aftersales.dealer.claim.line": (
                dealer_claims[:1].line_ids,
                dealer_claims[1:].line_ids,
            ),
            "aftersales.forecast.report": (forecast[:1], forecast[1:]),
        }

    # ------------------------------------------------------------------
    # The matrix
    # ------------------------------------------------------------------

    def test_matrix_covers_every_model(self):
        models = {
            name
            for name, model in self.env.registry.items()
            if name.startswith("aftersales.") and not model._abstract
        }
        self.assertEqual(set(MATRIX), models)
        self.assertEqual(
            {model for model in models if not self.env[model]._transient},
            set(self.records),
            "each document is checked on records",
        )
        states = [
            record.state
            for record in (
                self.order_draft,
                self.order_received,
                self.loaner_lent,
                self.loan_draft,
                self.loan_lent,
                self.claim_draft,
                self.claim_sent,
            )
        ]
        self.assertEqual(states, ["draft", "received", "lent", "draft", "lent", "draft", "sent"])
        self.assertTrue(
            all(len(reports) == 1 for reports in self.records["aftersales.loaner.report"])
        )

    def test_access_matrix(self):
        for model, cells in MATRIX.items():
            for role, letters in zip(ROLES, cells, strict=True):
                for letter in "rwcu":
                    with self.subTest(model=model, role=role, operation=OPERATIONS[letter]):
                        self._check_cell(self.users[role], model, letters, letter)

    def _check_cell(self, user, model, letters, letter):
        operation = OPERATIONS[letter]
        editable, settled = self.records.get(model, (self.env[model], self.env[model]))
        records = (editable | settled).with_user(user)
        if letter == "u" and "d" in letters:
            with self.assertRaises(UserError):  # an AccessError or the guard's UserError
                settled.with_user(user).unlink()
            self.assertEqual(settled.exists(), settled, "nothing deleted")
            return
        expected = letter in letters
        self.assertEqual(
            records.has_access(operation),
            expected,
            f"{user.login} {'may' if expected else 'may not'} {operation} {model}",
        )
        if letter != "r":
            return
        Model = self.env[model].with_user(user)
        if expected:
            self.assertEqual(Model.search([("id", "in", records.ids)]), records)
            records.read(["display_name"])
        else:
            with self.assertRaises(AccessError):
                Model.search([("id", "in", records.ids)])
            if records:
                with self.assertRaises(AccessError):
                    records.read(["display_name"])

    # ------------------------------------------------------------------
    # Cells that matter, through the real operations
    # ------------------------------------------------------------------

    def test_portal_reads_only_their_warranties_and_service_orders(self):
        portal = self.users["portal"]
        Warranty = self.env["aftersales.warranty"].with_user(portal)
        ServiceOrder = self.env["aftersales.service.order"].with_user(portal)
        own = [("partner_id", "=", self.customer.id)]
        own_warranties = self.Warranty.search(own)
        own_orders = self.env["aftersales.service.order"].search(own)
        self.assertEqual(Warranty.search([]), own_warranties)
        self.assertEqual(ServiceOrder.search([]), own_orders)
        self.assertIn(self.order_received, own_orders)
        self.assertNotIn(self.stranger_warranty, own_warranties)
        self.assertNotIn(self.stranger_order, own_orders)
        for record in (self.stranger_warranty, self.stranger_order):
            with self.subTest(record=record), self.assertRaises(AccessError):
                record.with_user(portal).read(["name"])
        with self.assertRaises(AccessError):
            self.order_draft.with_user(portal).write({"description": "Typed on the portal"})
        with self.assertRaises(AccessError):
            ServiceOrder.create({"lot_id": self.lot.id, "description": "Leaks"})
        with self.assertRaises(AccessError):
            self.order_draft.with_user(portal).unlink()
        with self.assertRaises(AccessError):
            self.warranty.with_user(portal).write({"months": 60})
        self.assertEqual((self.order_draft.description, self.warranty.months), ("Leaks water", 24))

    def test_stock_user_and_accountant_see_no_document(self):
        for role in ("stock", "accountant"):
            user = self.users[role]
            for model in self.records:
                with self.subTest(role=role, model=model), self.assertRaises(AccessError):
                    self.env[model].with_user(user).search_read([], ["display_name"])
            with self.subTest(role=role, operation="create"), self.assertRaises(AccessError):
                self.env["aftersales.service.order"].with_user(user).create(
                    {"lot_id": self.lot.id, "description": "Leaks"}
                )
            with self.subTest(role=role, operation="create"), self.assertRaises(AccessError):
                self.env["aftersales.supplier.claim"].with_user(user).create(
                    {"partner_id": self.vendor.id}
                )
            with self.subTest(role=role, operation="create"), self.assertRaises(AccessError):
                self.env["aftersales.warranty.check"].with_user(user).create(
                    {"serial": self.lot.name}
                )

    def test_user_works_on_documents_but_not_on_warranties(self):
        user = self.users["user"]
        warranty = self.warranty.with_user(user)
        with self.assertRaises(AccessError):
            warranty.write({"months": 48})
        with self.assertRaises(AccessError):
            self.Warranty.with_user(user).create(
                {"partner_id": self.customer.id, "product_id": self.product_bulk.id, "months": 6}
            )
        with self.assertRaises(AccessError):
            warranty.unlink()
        with self.assertRaises(AccessError):
            self.env["aftersales.warranty.void"].with_user(user).create(
                {"warranty_ids": warranty.ids, "reason": "Seal broken"}
            )
        self.assertEqual((self.warranty.months, self.warranty.state), (24, "active"))
        order = self._new_order(lot=self.lot)
        self.assertEqual(order.env.user, user)
        self.order_draft.with_user(user).write({"description": "Leaks and hums"})
        self.loan_draft.with_user(user).write({"condition_out": "Scratched lid"})
        claim = (
            self.env["aftersales.supplier.claim"]
            .with_user(user)
            .create({"partner_id": self.vendor.id})
        )
        line = (
            self.env["aftersales.supplier.claim.line"]
            .with_user(user)
            .create({"claim_id": claim.id, "product_id": self.part.id, "quantity": 2.0})
        )
        line.write({"quantity": 3.0})
        self.claim_draft.with_user(user).write({"date_deadline": "2026-02-01"})
        check = (
            self.env["aftersales.warranty.check"].with_user(user).create({"serial": self.lot.name})
        )
        self.assertEqual(check.warranty_id, self.warranty)
        self.assertEqual(
            (self.order_draft.description, self.loan_draft.condition_out, claim.amount_claimed),
            ("Leaks and hums", "Scratched lid", 3.0 * line.price_unit),
        )

    def test_manager_has_full_rights(self):
        manager = self.users["manager"]
        warranty = self.Warranty.with_user(manager).create(
            {"partner_id": self.customer.id, "product_id": self.product_bulk.id, "months": 6}
        )
        warranty.write({"months": 9})
        self.env["aftersales.warranty.void"].with_user(manager).create(
            {"warranty_ids": warranty.ids, "reason": "Typed twice"}
        )
        for record in (warranty, self.order_draft, self.claim_draft):
            with self.subTest(record=record), closing(self.env.cr.savepoint()):
                record.with_user(manager).unlink()
                self.assertFalse(record.exists())
        self.assertTrue(self.order_draft.exists())

    # ------------------------------------------------------------------
    # Multi-company
    # ------------------------------------------------------------------

    def test_other_company_sees_no_record_of_the_first(self):
        self.assertEqual(self.manager2.company_ids, self.company2)
        shared = {"aftersales.legal.profile"}  # the laws are the same for every company
        for model, (editable, settled) in self.records.items():
            if model in shared:
                continue
            records = editable | settled
            self.assertIn("company_id", self.env[model]._fields)
            self.assertEqual(records.company_id, self.env.company)
            Model = self.env[model].with_user(self.manager2)
            with self.subTest(model=model):
                self.assertFalse(Model.search([("id", "in", records.ids)]))
                with self.assertRaises(AccessError):
                    Model.browse(records.ids).read()

    def test_first_company_sees_no_record_of_the_other(self):
        as_manager2 = self.env(user=self.manager2)
        warranty = as_manager2["aftersales.warranty"].create(
            {"partner_id": self.customer.id, "product_id": self.product_bulk.id, "months": 6}
        )
        order = as_manager2["aftersales.service.order"].create(
            {"partner_id": self.customer.id, "product_id": self.product_serial.id}
        )
        claim = as_manager2["aftersales.supplier.claim"].create(
            {
                "partner_id": self.vendor.id,
                "line_ids": [Command.create({"product_id": self.part.id})],
            }
        )
        self.assertEqual((order.warehouse_id, claim.warehouse_id), (self.warehouse2,) * 2)
        for records in (warranty, order, claim, claim.line_ids):
            self.assertEqual(records.company_id, self.company2)
            for role in ("user", "manager"):
                Model = self.env[records._name].with_user(self.users[role])
                with self.subTest(model=records._name, role=role):
                    self.assertFalse(Model.search([("id", "in", records.ids)]))
                    with self.assertRaises(AccessError):
                        Model.browse(records.ids).read()

    def test_no_link_across_companies(self):
        """A record of the second company refuses a company-bound record of the first."""
        company2 = self.company2.id
        Env = self.env(context=dict(self.env.context, allowed_company_ids=[company2]))
        claim2 = Env["aftersales.supplier.claim"].create(
            {"partner_id": self.vendor.id, "company_id": company2}
        )
        self.assertEqual(claim2.warehouse_id, self.warehouse2)
        spare = self._put_in_stock(self.loaner_product, 1)
        cases = {
            "service order in a first-company warehouse": (
                "aftersales.service.order",
                {"product_id": self.product_serial.id, "warehouse_id": self.warehouse.id},
            ),
            "service order on a first-company warranty": (
                "aftersales.service.order",
                {"warranty_id": self.warranty.id, "warehouse_id": self.warehouse2.id},
            ),
            "warranty of a first-company sale": (
                "aftersales.warranty",
                {
                    "partner_id": self.customer.id,
                    "product_id": self.product_serial.id,
                    "months": 12,
                    "sale_order_id": self.sale.id,
                },
            ),
            "loaner in a first-company warehouse": (
                "aftersales.loaner",
                {"lot_id": spare.id, "warehouse_id": self.warehouse.id},
            ),
            "loan of a first-company loaner": (
                "aftersales.loan",
                {
                    "loaner_id": self.loaner_free.id,
                    "partner_id": self.customer.id,
                    "user_id": self.manager2.id,
                },
            ),
            "supplier claim in a first-company warehouse": (
                "aftersales.supplier.claim",
                {"partner_id": self.vendor.id, "warehouse_id": self.warehouse.id},
            ),
            "claim line for a first-company service order": (
                "aftersales.supplier.claim.line",
                {
                    "claim_id": claim2.id,
                    "service_order_id": self.order_received.id,
                    "product_id": self.product_serial.id,
                },
            ),
        }
        for case, (model, values) in cases.items():
            vals = dict(values) if model.endswith(".line") else {**values, "company_id": company2}
            with (
                self.subTest(case=case),
                self.assertRaisesText(UserError, "Incompatible companies"),
            ):
                Env[model].create(vals)
        self.assertFalse(claim2.line_ids)
        self.assertFalse(self.loaner_free.loan_ids)
