"""Two users at the same moment: exactly one wins.

Each test runs one action twice in two real transactions, as two users of the
add-on's groups would from two browsers: user A acts and has not committed yet
while user B runs the same action; or B's transaction began before A committed
(the form B clicked on was read first) and B acts after. B runs as Odoo's RPC
layer runs a call (``odoo.service.model.retrying``: retried on a serialization
failure, an integrity error turned into a ValidationError, committed when it
succeeds). Exactly one action goes through; the other user is told why in
words, never in the database's, and no second document exists.

The test's own cursor cannot see what other cursors do, so the fixtures are
committed in a cursor of their own, and everything committed (the fixtures and
whatever an action left) is deleted again after each test, then checked gone:
the rest of the suite runs in the same database.
"""

import threading
import time
import uuid
from contextlib import contextmanager

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import retrying
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase
from odoo.tools import SQL, mute_logger

# The database's own words, which a user must never read.
RAW_DATABASE_TEXT = (
    "duplicate key",
    "violates",
    "could not serialize",
    "could not obtain lock",
    "concurrent update",
    "deadlock",
    "psycopg2",
)
LOCK_WAIT_SECONDS = 10  # how long B is watched before A commits anyway
HANG_SECONDS = 60  # B still running this long after A committed: it hangs
MANAGER_GROUPS = "base.group_user,aftersales_service.group_aftersales_manager"
# Models whose new rows must all be gone after a test, besides the add-on's own.
CHECKED_MODELS = (
    "account.move",
    "account.move.line",
    "mail.followers",
    "mail.message",
    "product.product",
    "product.template",
    "res.partner",
    "res.users",
    "stock.lot",
    "stock.move",
    "stock.move.line",
    "stock.picking",
    "stock.quant",
)


@tagged("post_install", "-at_install")
class TestRaces(TransactionCase):
    def setUp(self):
        super().setUp()
        # In test mode every cursor would share the test's transaction.
        self.assertFalse(self.registry.in_test_mode(), "needs cursors of their own")
        self.token = f"RACE-{uuid.uuid4().hex[:8].upper()}"
        with self._committed() as env:
            self.high_water_marks = self._high_water_marks(env)
        # Registered before anything is committed: runs even if setUp fails.
        self.addCleanup(self._check_nothing_left)
        self.addCleanup(self._purge)
        with self._committed() as env:
            self.customer_id = self._partner(env, "Customer").id
            self.vendor_id = self._partner(env, "Vendor").id
            self.product_id = (
                env["product.product"]
                .create(
                    {
                        "name": f"{self.token} Espresso Machine",
                        "default_code": self.token,
                        "is_storable": True,
                        "tracking": "serial",
                        "warranty_months": 24,
                        "standard_price": 250.0,
                    }
                )
                .id
            )
            self.user_a_id, self.user_b_id = (
                new_test_user(
                    env,
                    login=f"{self.token.lower()}-{letter}",
                    name=f"{self.token} Manager {letter.upper()}",
                    groups=MANAGER_GROUPS,
                ).id
                for letter in "ab"
            )

    # ------------------------------------------------------------------
    # (1) Lending one loaner
    # ------------------------------------------------------------------

    def test_lend_one_loaner_from_two_orders_at_once(self):
        # Two new loans of one loaner: the loaner's row is locked by A's loan,
        # so B is refused at once (the unique index of open loans backs it up).
        loaner_id, order_a_id, order_b_id = self._loaner_and_two_orders()
        outcome = self._race(
            lambda env: self._lend(env, order_a_id, loaner_id),
            lambda env: self._lend(env, order_b_id, loaner_id),
        )
        self._assert_refused(outcome, "being changed by another user", at_once=True)
        self._assert_lent_once(loaner_id, order_a_id)

    def test_lend_one_loaner_from_two_orders_one_after_the_other(self):
        loaner_id, order_a_id, order_b_id = self._loaner_and_two_orders()
        outcome = self._race(
            lambda env: self._lend(env, order_a_id, loaner_id),
            lambda env: self._lend(env, order_b_id, loaner_id),
            reads_b=lambda env: env["aftersales.loaner"].browse(loaner_id).state,
        )
        self._assert_refused(outcome, "already lent|not available|being changed")
        self._assert_lent_once(loaner_id, order_a_id)

    def test_lend_one_draft_loan_twice_at_once(self):
        loaner_id, order_a_id, _order_b_id = self._loaner_and_two_orders()
        loan_id = self._draft_loan(loaner_id, order_a_id)
        outcome = self._race(
            lambda env: env["aftersales.loan"].browse(loan_id).action_lend(),
            lambda env: env["aftersales.loan"].browse(loan_id).action_lend(),
        )
        self._assert_refused(outcome, "being changed by another user", at_once=True)
        self._assert_lent_once(loaner_id, order_a_id)

    def test_lend_one_draft_loan_twice_one_after_the_other(self):
        loaner_id, order_a_id, _order_b_id = self._loaner_and_two_orders()
        loan_id = self._draft_loan(loaner_id, order_a_id)
        outcome = self._race(
            lambda env: env["aftersales.loan"].browse(loan_id).action_lend(),
            lambda env: env["aftersales.loan"].browse(loan_id).action_lend(),
            reads_b=lambda env: env["aftersales.loan"].browse(loan_id).state,
        )
        self._assert_refused(outcome, "not on its way")
        self._assert_lent_once(loaner_id, order_a_id)

    # ------------------------------------------------------------------
    # (2) The vendor credit note of one accepted supplier claim
    # ------------------------------------------------------------------

    def test_credit_note_of_one_claim_twice_at_once(self):
        claim_id = self._accepted_claim()
        outcome = self._race(
            lambda env: self._credit(env, claim_id),
            lambda env: self._credit(env, claim_id),
        )
        self._assert_refused(outcome, "being changed by another user", at_once=True)
        self._assert_credited_once(claim_id)

    def test_credit_note_of_one_claim_twice_one_after_the_other(self):
        # B's snapshot predates A's commit: B's lock passes (A only locked the
        # claim's row, it did not update it) and B does not see A's credit note.
        claim_id = self._accepted_claim()
        outcome = self._race(
            lambda env: self._credit(env, claim_id),
            lambda env: self._credit(env, claim_id),
            reads_b=lambda env: env["aftersales.supplier.claim"].browse(claim_id).state,
        )
        self._assert_refused(outcome, "already has a credit note")
        self._assert_credited_once(claim_id)

    def test_credit_note_of_one_claim_twice_after_the_other_committed(self):
        claim_id = self._accepted_claim()
        outcome = self._race(
            lambda env: self._credit(env, claim_id),
            lambda env: self._credit(env, claim_id),
            after_commit=True,
        )
        self._assert_refused(outcome, "already has a credit note")
        self._assert_credited_once(claim_id)

    # ------------------------------------------------------------------
    # (3) Two warranties on one serial
    # ------------------------------------------------------------------

    def test_two_warranties_on_one_serial_at_once(self):
        # Two new warranties: the unique index of active warranties decides
        # (B's insert waits for A's transaction, then fails on the index).
        lot_id = self._lot("W")
        outcome = self._race(
            lambda env: self._register_warranty(env, lot_id),
            lambda env: self._register_warranty(env, lot_id),
        )
        self._assert_refused(outcome, "already has an active warranty")
        self._assert_one_active_warranty(lot_id)

    def test_two_warranties_on_one_serial_one_after_the_other(self):
        lot_id = self._lot("W")
        outcome = self._race(
            lambda env: self._register_warranty(env, lot_id),
            lambda env: self._register_warranty(env, lot_id),
            reads_b=lambda env: env["aftersales.warranty"].search_count([("lot_id", "=", lot_id)]),
        )
        self._assert_refused(outcome, "already has an active warranty")
        self._assert_one_active_warranty(lot_id)

    # ------------------------------------------------------------------
    # (4) Confirming one service order
    # ------------------------------------------------------------------

    def test_confirm_one_order_twice_at_once(self):
        order_id = self._service_order()
        outcome = self._race(
            lambda env: env["aftersales.service.order"].browse(order_id).action_confirm(),
            lambda env: env["aftersales.service.order"].browse(order_id).action_confirm(),
        )
        self._assert_refused(outcome, "being changed by another user", at_once=True)
        self._assert_confirmed_once(order_id)

    def test_confirm_one_order_twice_one_after_the_other(self):
        order_id = self._service_order()
        outcome = self._race(
            lambda env: env["aftersales.service.order"].browse(order_id).action_confirm(),
            lambda env: env["aftersales.service.order"].browse(order_id).action_confirm(),
            reads_b=lambda env: env["aftersales.service.order"].browse(order_id).state,
        )
        self._assert_refused(outcome, "Cannot confirm .* in its current state")
        self._assert_confirmed_once(order_id)

    # ------------------------------------------------------------------
    # (5) Voiding one warranty
    # ------------------------------------------------------------------

    def test_void_one_warranty_twice_at_once(self):
        warranty_id = self._warranty()
        outcome = self._race(
            lambda env: env["aftersales.warranty"].browse(warranty_id).void("Reason of A"),
            lambda env: env["aftersales.warranty"].browse(warranty_id).void("Reason of B"),
        )
        self._assert_refused(outcome, "being changed by another user", at_once=True)
        self._assert_voided_by_a(warranty_id)

    def test_void_one_warranty_twice_one_after_the_other(self):
        warranty_id = self._warranty()
        outcome = self._race(
            lambda env: env["aftersales.warranty"].browse(warranty_id).void("Reason of A"),
            lambda env: env["aftersales.warranty"].browse(warranty_id).void("Reason of B"),
            reads_b=lambda env: env["aftersales.warranty"].browse(warranty_id).state,
        )
        self._assert_refused(outcome, "already void")
        self._assert_voided_by_a(warranty_id)

    # ------------------------------------------------------------------
    # (6) Two checks of the defect rates opening one quality alert
    # ------------------------------------------------------------------

    def test_two_defect_rate_checks_at_once(self):
        # Both find the breach and no open alert: the unique index of open
        # alerts decides (B's insert waits for A's transaction, then fails).
        day = self._breaching_product()
        outcome = self._race(
            lambda env: env["aftersales.quality.alert"].compute_alerts(day),
            lambda env: env["aftersales.quality.alert"].compute_alerts(day),
        )
        self._assert_refused(outcome, "already has an open quality alert")
        self._assert_one_open_alert()

    def test_two_defect_rate_checks_one_after_the_other(self):
        day = self._breaching_product()
        outcome = self._race(
            lambda env: env["aftersales.quality.alert"].compute_alerts(day),
            lambda env: env["aftersales.quality.alert"].compute_alerts(day),
            reads_b=lambda env: env["aftersales.quality.alert"].search_count([]),
        )
        self._assert_refused(outcome, "already has an open quality alert")
        self._assert_one_open_alert()

    def _breaching_product(self):
        """20 units of the product delivered today, 1 defect (5 %, the default
        threshold): the day to check."""
        with self._committed() as env:
            today = fields.Date.context_today(env["aftersales.quality.alert"])
            env["aftersales.warranty"].create(
                {
                    "partner_id": self.customer_id,
                    "product_id": self.product_id,
                    "quantity": 20,
                    "date_start": today,
                    "months": 24,
                }
            )
            order = env["aftersales.service.order"].create(
                {
                    "partner_id": self.customer_id,
                    "product_id": self.product_id,
                    "description": "Leaks water",
                    "state": "received",
                    "date_received": fields.Datetime.now(),
                }
            )
            defect_type = env["aftersales.defect.type"].create(
                {"code": self.token, "name": "Pump seal leaks"}
            )
            env["aftersales.defect"].create(
                {"service_order_id": order.id, "defect_type_id": defect_type.id}
            )
            return fields.Date.to_string(order.date_received.date())

    def _assert_one_open_alert(self):
        with self._committed() as env:
            alerts = env["aftersales.quality.alert"].search([("product_id", "=", self.product_id)])
            self.assertEqual(len(alerts), 1, "one alert of the product")
            self.assertEqual((alerts.state, alerts.defect_count), ("new", 1))
            self.assertEqual(alerts.create_uid.id, self.user_a_id, "A's alert")

    # ------------------------------------------------------------------
    # (7) Two workers running the daily warranty job at once
    # ------------------------------------------------------------------

    def test_two_workers_run_the_warranty_job_at_once(self):
        # Four warranties end in ten days; each run takes a batch of two. B's
        # run skips the rows A's run holds (SKIP LOCKED): it neither waits for
        # A nor reminds the customers A reminds.
        with self._committed() as env:
            today = fields.Date.context_today(env["aftersales.warranty"])
            warranty_ids = (
                env["aftersales.warranty"]
                .create(
                    [
                        {
                            "partner_id": self.customer_id,
                            "product_id": self.product_id,
                            "lot_id": self._new_lot(env, f"J{number}").id,
                            "months": 24,
                            "date_start": today - relativedelta(months=24, days=-10),
                        }
                        for number in range(4)
                    ]
                )
                .ids
            )
        taken_by_a = []
        outcome = self._race(
            lambda env: taken_by_a.extend(self._remind(env)),
            self._remind,
        )
        self.assertIsNone(outcome["error"])
        self.assertFalse(outcome["waited"], "B waited for A's batch")
        self.assertTrue(outcome["done_before_a_committed"])
        self.assertEqual(len(taken_by_a), 2)
        self.assertEqual(len(outcome["result"]), 2)
        self.assertEqual(sorted(taken_by_a + outcome["result"]), sorted(warranty_ids))
        with self._committed() as env:
            mails = env["mail.mail"].search(
                [("model", "=", "aftersales.warranty"), ("res_id", "in", warranty_ids)]
            )
            self.assertEqual(sorted(mails.mapped("res_id")), sorted(warranty_ids))

    def _remind(self, env):
        """One run of the daily warranty job (batches of two): the ids reminded."""
        _expired, reminded = env["aftersales.warranty"].sudo()._cron_expire_and_remind(batch_size=2)
        return reminded.ids

    # ------------------------------------------------------------------
    # The actions of the users
    # ------------------------------------------------------------------

    def _lend(self, env, order_id, loaner_id):
        return env["aftersales.service.order"].browse(order_id).action_lend(loaner_id)

    def _credit(self, env, claim_id):
        return env["aftersales.supplier.claim"].browse(claim_id).action_create_credit_note()

    def _register_warranty(self, env, lot_id):
        return (
            env["aftersales.warranty"]
            .create(
                {
                    "partner_id": self.customer_id,
                    "product_id": self.product_id,
                    "lot_id": lot_id,
                    "months": 24,
                }
            )
            .id
        )

    # ------------------------------------------------------------------
    # What exactly one win leaves
    # ------------------------------------------------------------------

    def _assert_lent_once(self, loaner_id, order_a_id):
        with self._committed() as env:
            loaner = env["aftersales.loaner"].browse(loaner_id)
            loans = env["aftersales.loan"].search([("loaner_id", "=", loaner_id)])
            self.assertEqual(len(loans), 1, "one loan of the loaner")
            self.assertEqual(loans.service_order_id.id, order_a_id, "A's loan")
            deliveries = loans.picking_ids.filtered(
                lambda p: p.aftersales_transfer_kind == "loan_out"
            )
            self.assertEqual(len(deliveries), 1, "one delivery of the loaner")
            self.assertEqual(loaner.state, "lent")

    def _assert_credited_once(self, claim_id):
        with self._committed() as env:
            credit_notes = env["account.move"].search(
                [("aftersales_supplier_claim_id", "=", claim_id)]
            )
            self.assertEqual(len(credit_notes), 1, "one credit note of the claim")
            self.assertEqual(credit_notes.create_uid.id, self.user_a_id, "A's credit note")

    def _assert_one_active_warranty(self, lot_id):
        with self._committed() as env:
            warranties = env["aftersales.warranty"].search([("lot_id", "=", lot_id)])
            self.assertEqual(len(warranties), 1, "one warranty of the serial")
            self.assertEqual(warranties.state, "active")
            self.assertEqual(warranties.create_uid.id, self.user_a_id, "A's warranty")

    def _assert_confirmed_once(self, order_id):
        with self._committed() as env:
            order = env["aftersales.service.order"].browse(order_id)
            self.assertEqual(order.state, "confirmed")
            receipts = order.picking_ids.filtered(
                lambda p: p.aftersales_transfer_kind == "service_in"
            )
            self.assertEqual(len(receipts), 1, "one receipt of the unit")
            self.assertEqual(receipts.create_uid.id, self.user_a_id, "A's receipt")

    def _assert_voided_by_a(self, warranty_id):
        with self._committed() as env:
            warranty = env["aftersales.warranty"].browse(warranty_id)
            self.assertEqual(warranty.state, "void")
            self.assertEqual(warranty.void_reason, "Reason of A")
            self.assertEqual(warranty.void_user_id.id, self.user_a_id)
            logs = warranty.message_ids.filtered(lambda m: "Warranty voided" in (m.body or ""))
            self.assertEqual(len(logs), 1, "voided once in the chatter")

    def _assert_refused(self, outcome, words, at_once=False):
        """B was refused with an error in the user's words matching ``words``;
        ``at_once``: while A had not committed yet (the row lock refuses, it
        does not wait)."""
        error = outcome["error"]
        self.assertIsNotNone(error, f"B succeeded too (returned {outcome['result']!r})")
        self.assertIsInstance(error, (UserError, ValidationError), f"B got {error!r}")
        text = str(error)
        for raw in RAW_DATABASE_TEXT:
            self.assertNotIn(raw, text.lower(), f"B reads the database's words: {text}")
        self.assertRegex(text, words)
        if at_once:
            self.assertTrue(
                outcome["done_before_a_committed"],
                "B should be refused at once, not wait for A's transaction",
            )

    # ------------------------------------------------------------------
    # Two users, two transactions
    # ------------------------------------------------------------------

    def _race(self, action_a, action_b, reads_b=None, after_commit=False):
        """Run ``action_a(env)`` as user A and ``action_b(env)`` as user B in
        two real transactions; A always commits.

        By default B acts while A's transaction is still open. With
        ``reads_b``, B's transaction starts with ``reads_b(env)`` (its form is
        read), then A acts and commits, then B acts on its older snapshot.
        With ``after_commit``, B's transaction starts after A committed.

        B runs in a thread, through ``retrying`` as an RPC call does, so that
        a B that waits for A's transaction (instead of being refused) neither
        hangs the test nor goes unnoticed: once B waits on a lock, or after
        ``LOCK_WAIT_SECONDS``, A commits and B goes on.

        :return: dict ``error`` (B's exception or None), ``result`` (B's),
            ``done_before_a_committed`` (B ended while A's transaction was
            open), ``waited`` (B waited on a lock A held)
        """
        outcome = {"error": None, "result": None, "done_before_a_committed": False, "waited": False}
        a_first = bool(reads_b or after_commit)
        cr_a = self.registry.cursor()
        cr_b = self.registry.cursor()
        watcher = self.registry.cursor()
        pid_b = cr_b._cnx.get_backend_pid()
        thread = None
        try:
            env_a = api.Environment(cr_a, self.user_a_id, {})
            env_b = api.Environment(cr_b, self.user_b_id, {})
            if reads_b:
                reads_b(env_b)
            action_a(env_a)
            env_a.flush_all()
            if a_first:
                cr_a.commit()

            def run_b():
                threading.current_thread().testing = True
                try:
                    outcome["result"] = retrying(lambda: action_b(env_b), env_b)
                except Exception as error:  # the outcome under test
                    outcome["error"] = error

            thread = threading.Thread(target=run_b, name="race-user-b", daemon=True)
            # B's refused statements are logged by odoo.sql_db as "bad query".
            with mute_logger("odoo.sql_db"):
                thread.start()
                outcome["waited"] = self._waits_on_a_lock(thread, pid_b, watcher)
                outcome["done_before_a_committed"] = not a_first and not thread.is_alive()
                cr_a.commit()
                thread.join(HANG_SECONDS)
                self.assertFalse(thread.is_alive(), "B hangs after A committed")
        finally:
            cr_a.rollback()  # frees B when A failed before committing
            if thread is not None and thread.is_alive():
                watcher.execute("SELECT pg_cancel_backend(%s)", [pid_b])
                thread.join(HANG_SECONDS)
            for cr in (cr_b, cr_a, watcher):
                cr.close()
        return outcome

    def _waits_on_a_lock(self, thread, pid, watcher):
        """Whether ``thread`` (its backend ``pid``) waits on a lock: watched
        until it ends, waits, or ``LOCK_WAIT_SECONDS`` passed."""
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while thread.is_alive() and time.monotonic() < deadline:
            watcher.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            row = watcher.fetchone()
            watcher.rollback()  # pg_stat_activity is read once per transaction
            if row and row[0] == "Lock":
                return True
            thread.join(0.05)
        return False

    # ------------------------------------------------------------------
    # Committed fixtures
    # ------------------------------------------------------------------

    @contextmanager
    def _committed(self):
        """A superuser environment on a cursor of its own, committed at the end."""
        with self.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})

    def _partner(self, env, role):
        return env["res.partner"].create(
            {"name": f"{self.token} {role}", "email": f"{role.lower()}@example.com"}
        )

    def _lot(self, suffix):
        with self._committed() as env:
            return self._new_lot(env, suffix).id

    def _new_lot(self, env, suffix):
        return env["stock.lot"].create(
            {"name": f"{self.token}-{suffix}", "product_id": self.product_id}
        )

    def _loaner_and_two_orders(self):
        """A loaner in the Loaners location and two on-site service orders in
        progress for the customer, each of which may lend it."""
        with self._committed() as env:
            warehouse = env["aftersales.loaner"]._default_warehouse_id()
            lot = self._new_lot(env, "L")
            product = env["product.product"].browse(self.product_id)
            env["stock.quant"]._update_available_quantity(
                product, warehouse.aftersales_loaner_loc_id, 1, lot_id=lot
            )
            loaner = env["aftersales.loaner"].create({"lot_id": lot.id})
            orders = env["aftersales.service.order"].create(
                [
                    {
                        "partner_id": self.customer_id,
                        "product_id": self.product_id,
                        "request_type": "maintenance",
                        "description": f"Yearly maintenance {letter}",
                    }
                    for letter in "AB"
                ]
            )
            orders.action_confirm()
            assert not loaner.picking_id, "the serial is registered where it lies"
            assert orders.mapped("state") == ["in_progress"] * 2
            return loaner.id, *orders.ids

    def _draft_loan(self, loaner_id, order_id):
        with self._committed() as env:
            return (
                env["aftersales.loan"]
                .create(
                    {
                        "loaner_id": loaner_id,
                        "partner_id": self.customer_id,
                        "service_order_id": order_id,
                    }
                )
                .id
            )

    def _accepted_claim(self):
        with self._committed() as env:
            return (
                env["aftersales.supplier.claim"]
                .create(
                    {
                        "partner_id": self.vendor_id,
                        "state": "accepted",
                        "amount_accepted": 300.0,
                        "line_ids": [
                            Command.create(
                                {
                                    "product_id": self.product_id,
                                    "quantity": 1.0,
                                    "price_unit": 300.0,
                                    "description": "Pump leaks",
                                }
                            )
                        ],
                    }
                )
                .id
            )

    def _service_order(self):
        """A draft service order for the customer's unit (brought in: a receipt)."""
        with self._committed() as env:
            lot = self._new_lot(env, "S")
            return (
                env["aftersales.service.order"]
                .create(
                    {
                        "partner_id": self.customer_id,
                        "lot_id": lot.id,
                        "request_type": "repair",
                        "description": "Leaks water",
                    }
                )
                .id
            )

    def _warranty(self):
        """An active warranty, created directly (no delivery), so it can be deleted."""
        with self._committed() as env:
            lot = self._new_lot(env, "V")
            return (
                env["aftersales.warranty"]
                .create(
                    {
                        "partner_id": self.customer_id,
                        "product_id": self.product_id,
                        "lot_id": lot.id,
                        "months": 24,
                    }
                )
                .id
            )

    # ------------------------------------------------------------------
    # Cleanup: delete everything committed, then check it is gone
    # ------------------------------------------------------------------

    def _purge(self):
        """Delete, in dependency order, every record the fixtures and the
        actions committed: all hang on the test's partners and product."""
        with self._committed() as env:
            env = env(context={"active_test": False, "tracking_disable": True})
            users = env["res.users"].search([("login", "=like", f"{self.token.lower()}-%")])
            partners = env["res.partner"].search([("name", "=like", f"{self.token} %")])
            partners |= users.partner_id
            products = env["product.product"].search([("default_code", "=", self.token)])
            by_partner = [("partner_id", "in", partners.ids)]
            by_product = [("product_id", "in", products.ids)]

            env["account.move"].search(
                ["|", *by_partner, ("aftersales_supplier_claim_id.partner_id", "in", partners.ids)]
            ).unlink()
            claims = env["aftersales.supplier.claim"].search(by_partner)
            claims.write({"state": "cancel"})
            claims.unlink()
            moves = env["stock.move"].search(by_product)
            (moves.picking_id | env["stock.picking"].search(by_partner)).unlink()
            env["stock.move"].search(by_product).unlink()
            env["stock.move.line"].search(by_product).unlink()
            env["aftersales.loan"].search(
                ["|", *by_partner, ("loaner_id.product_id", "in", products.ids)]
            ).unlink()
            env["aftersales.loaner"].search(by_product).unlink()
            env["aftersales.defect"].search(by_product).unlink()  # their messages with them
            orders = env["aftersales.service.order"].search(["|", *by_partner, *by_product])
            orders.write({"state": "cancel"})
            orders.unlink()
            env["aftersales.warranty"].search(["|", *by_partner, *by_product]).unlink()
            env["aftersales.quality.alert"].search(by_product).unlink()
            env["aftersales.defect.type"].search([("code", "=like", f"{self.token}%")]).unlink()
            env["stock.quant"].search(by_product).unlink()
            env["stock.lot"].search(by_product).unlink()
            templates = products.product_tmpl_id
            products.unlink()
            templates.exists().unlink()
            users.unlink()
            partners.unlink()

    def _high_water_marks(self, env):
        """{model: its highest id}, for the add-on's models and those its actions touch."""
        marks = {}
        for name in self._checked_models(env):
            env.cr.execute(
                SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(env[name]._table))
            )
            marks[name] = env.cr.fetchone()[0]
        return marks

    def _check_nothing_left(self):
        with self._committed() as env:
            left = {}
            for name, mark in self.high_water_marks.items():
                env.cr.execute(
                    SQL("SELECT id FROM %s WHERE id > %s", SQL.identifier(env[name]._table), mark)
                )
                ids = [row[0] for row in env.cr.fetchall()]
                if ids:
                    left[name] = ids
            self.assertFalse(left, "records committed by the test are left in the database")

    def _checked_models(self, env):
        own = [
            name
            for name, model in env.registry.items()
            if name.startswith("aftersales.")
            and model._auto
            and not model._abstract
            and not model._transient
        ]
        return sorted(own) + list(CHECKED_MODELS)
