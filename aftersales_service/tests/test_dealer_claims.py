import xmlrpc.client
from unittest.mock import patch

from psycopg2.errors import UniqueViolation

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, get_db_name, new_test_user
from odoo.tools import mute_logger

from .network_common import NetworkCommon


class TestDealerClaims(NetworkCommon):
    """A dealer repaired one of our machines under our warranty and claims
    back labour (hours x the agreement's rate) and parts (cost + markup):
    the checks of the submission, the manager's decision, the vendor bill."""

    def _assert_refused(self, claim, regex):
        """Submitting ``claim`` fails with ``regex`` and leaves it a draft."""
        with self.assertRaisesText(UserError, regex):
            claim.action_submit()
        self.assertRecordValues(claim, [{"state": "draft"}])

    def test_amounts_from_the_agreement(self):
        claim = self._new_dealer_claim()
        self.assertRegex(claim.name, r"^DWC/2026/\d{5}$")
        self.assertRecordValues(
            claim,
            [
                {
                    "agreement_id": self.agreement.id,
                    "product_id": self.product_serial.id,
                    "warranty_id": self.warranty.id,
                    "customer_id": self.customer.id,
                    "labour_rate": 40.0,
                    "parts_markup": 10.0,
                    "amount_labour": 100.0,
                    "amount_parts": 17.6,
                    "amount_total": 117.6,
                    "state": "draft",
                }
            ],
        )
        self.assertRecordValues(
            claim.line_ids, [{"quantity": 2.0, "price_unit": 8.0, "price_subtotal": 17.6}]
        )
        # What the claim is paid from is not typed in.
        for vals in ({"labour_rate": 400.0}, {"parts_markup": 90.0}, {"warranty_id": False}):
            with self.subTest(vals=vals), self.assertRaisesText(UserError, "through its actions"):
                claim.write(vals)
        with self.assertRaisesText(UserError, "Cost .* only be changed through its actions"):
            claim.line_ids.write({"price_unit": 80.0})
        with self.assertRaisesText(UserError, "Cost .* only be changed through its actions"):
            claim.write(
                {"line_ids": [Command.create({"product_id": self.part.id, "price_unit": 1.0})]}
            )
        # The terms are those of the agreement when the claim was made.
        self.agreement.with_user(self.as_manager).labour_rate = 50.0
        self.assertEqual(claim.amount_total, 117.6)

    def test_submit_checks_pass(self):
        claim = self._new_dealer_claim()
        self.assertIs(claim.action_submit(), True)
        self.assertEqual(claim.state, "submitted")
        with self.assertRaisesText(UserError, "Cannot submit"):
            claim.action_submit()
        with self.assertRaisesText(UserError, "can no longer change"):
            claim.write({"labour_hours": 4.0})
        with self.assertRaisesText(UserError, "can no longer change"):
            claim.line_ids.write({"quantity": 5.0})
        with self.assertRaisesText(UserError, "Only a draft"):
            claim.with_user(self.as_manager).unlink()
        self.assertRecordValues(claim, [{"labour_hours": 2.5, "amount_total": 117.6}])

    def test_not_our_serial(self):
        foreign = self.env["stock.lot"].create(
            {"name": "SN-FOREIGN-1", "product_id": self.product_serial.id}
        )
        claim = self._new_dealer_claim(lot=foreign)
        self.assertFalse(claim.warranty_id)
        self._assert_refused(claim, "Serial SN-FOREIGN-1 is not one of ours")

    def test_outside_the_warranty(self):
        self.assertEqual(str(self.warranty.date_end), "2028-01-04")
        self.agreement.with_user(self.as_manager).date_end = "2028-12-31"
        self.assertIs(self._new_dealer_claim(date_repair="2028-01-04").action_submit(), True)
        claim = self._new_dealer_claim(date_repair="2028-01-05")
        self._assert_refused(
            claim, r"not under warranty on the repair date 2028-01-05 .*2026-01-05 to 2028-01-04"
        )
        void = self._deliver([(self.product_serial, 1)]).warranty_ids
        void.void("Opened by a third party")
        self._assert_refused(self._new_dealer_claim(lot=void.lot_id), "not under warranty")

    def test_outside_the_territory(self):
        spaniard = self.env["res.partner"].create(
            {"name": "Carlos Cliente", "country_id": self.spain.id}
        )
        lot = self._deliver([(self.product_serial, 1)], partner=spaniard).warranty_ids.lot_id
        self._assert_refused(
            self._new_dealer_claim(lot=lot),
            r"Carlos Cliente \(Spain\) is outside the territory of the agreement",
        )

    def test_territory_by_state(self):
        madrid = self.env["res.country.state"].search(
            [("country_id", "=", self.spain.id), ("code", "=", "M")]
        )
        barcelona = self.env["res.country.state"].search(
            [("country_id", "=", self.spain.id), ("code", "=", "B")]
        )
        self.agreement.with_user(self.as_manager).state_ids = madrid
        buyers = self.env["res.partner"].create(
            [
                {"name": "Madrileño", "country_id": self.spain.id, "state_id": madrid.id},
                {"name": "Barcelonés", "country_id": self.spain.id, "state_id": barcelona.id},
            ]
        )
        lots = [
            self._deliver([(self.product_serial, 1)], partner=buyer).warranty_ids.lot_id
            for buyer in buyers
        ]
        self.assertIs(self._new_dealer_claim(lot=lots[0]).action_submit(), True)
        self._assert_refused(self._new_dealer_claim(lot=lots[1]), "Barcelonés .* outside")
        # Still the whole of Portugal, where the agreement names no state.
        self.assertIs(self._new_dealer_claim().action_submit(), True)

    def test_wrong_category(self):
        grinder = self.env["product.product"].create(
            {
                "name": "Pro Grinder",
                "is_storable": True,
                "tracking": "serial",
                "warranty_months": 12,
                "categ_id": self.env["product.category"].create({"name": "Grinders"}).id,
            }
        )
        lot = self._deliver([(grinder, 1)]).warranty_ids.lot_id
        self._assert_refused(
            self._new_dealer_claim(lot=lot),
            r"does not cover the category Grinders of Pro Grinder",
        )

    def test_no_agreement(self):
        stranger = self.env["res.partner"].create({"name": "Unknown Dealer"})
        claim = self._new_dealer_claim(partner=stranger)
        self.assertFalse(claim.agreement_id)
        self._assert_refused(claim, "Unknown Dealer has no active dealer or service centre")
        self.agreement.with_user(self.as_manager).action_terminate("Contract breached")
        claim = self._new_dealer_claim()
        self._assert_refused(claim, "Lisbon Coffee Dealer has no active dealer")

    def test_duplicate_serial_and_date(self):
        first, second = self._new_dealer_claim(), self._new_dealer_claim(hours=1.0)
        first.action_submit()
        self._assert_refused(second, "already claimed for a repair on 2026-01-05")
        # Another day is another repair.
        self.assertIs(self._new_dealer_claim(date_repair="2026-01-06").action_submit(), True)
        # A rejected claim frees the serial and date.
        first.with_user(self.as_manager).action_reject("Not a warranty fault")
        self.assertIs(second.action_submit(), True)

    def test_duplicate_refused_by_the_database_under_a_race(self):
        first, second = self._new_dealer_claim(), self._new_dealer_claim(hours=1.0)
        first.action_submit()
        # The other user's check ran before the first claim was committed.
        with (
            patch.object(type(second), "_check_duplicate", lambda claim: None),
            mute_logger("odoo.sql_db"),
        ):
            self._assert_refused(second, "already claimed for a repair on 2026-01-05")
        with self.assertRaises(UniqueViolation), mute_logger("odoo.sql_db"):
            second.sudo().write({"state": "approved"})
            second.flush_recordset()

    def test_labour_over_the_norm(self):
        self.env["aftersales.part.norm"].create(
            {"product_id": self.product_serial.id, "part_id": self.part.id, "labour_hours": 2.0}
        )
        self._assert_refused(
            self._new_dealer_claim(),
            r"2.5 labour hours are claimed for Espresso Machine, more than its repair norm "
            r"of 2.0 hours",
        )
        self.assertIs(self._new_dealer_claim(hours=2.0).action_submit(), True)

    def test_negative_hours_refused(self):
        with self.assertRaisesText(ValidationError, "cannot be negative"):
            self._new_dealer_claim(hours=-1.0)

    def test_manager_only_approves_and_rejects(self):
        claim = self._new_dealer_claim()
        claim.action_submit()
        for action in ("action_approve", "action_reject"):
            args = ("Too many hours",) if action == "action_reject" else ()
            with self.subTest(action=action), self.assertRaises(AccessError):
                getattr(claim.with_user(self.as_user), action)(*args)
        self.assertEqual(claim.state, "submitted")
        as_manager = claim.with_user(self.as_manager)
        with self.assertRaisesText(UserError, "reason for rejecting the claim is required"):
            as_manager.action_reject("")
        self.assertIs(as_manager.action_approve(), True)
        self.assertEqual(claim.state, "approved")
        with self.assertRaisesText(UserError, "Cannot approve"):
            as_manager.action_approve()
        self.assertIs(as_manager.action_reject("Unit was not ours to repair"), True)
        self.assertRecordValues(
            claim, [{"state": "rejected", "rejection_reason": "Unit was not ours to repair"}]
        )
        with self.assertRaisesText(UserError, "Cannot bill"):
            as_manager.action_create_bill()
        self.assertFalse(claim.bill_id)

    def test_vendor_bill_of_an_approved_claim(self):
        claim = self._new_dealer_claim()
        claim.action_submit()
        with self.assertRaisesText(UserError, "Cannot bill"):
            claim.action_create_bill()
        claim.with_user(self.as_manager).action_approve()
        action = claim.with_user(self.as_manager).action_create_bill()
        bill = claim.bill_id
        self.assertEqual(
            action,
            {
                "type": "ir.actions.act_window",
                "res_model": "account.move",
                "res_id": bill.id,
                "views": [(False, "form")],
            },
        )
        self.assertRecordValues(
            bill,
            [
                {
                    "move_type": "in_invoice",
                    "partner_id": self.dealer.id,
                    "state": "draft",
                    "ref": claim.name,
                    "amount_untaxed": 117.6,
                    "amount_total": 117.6,
                }
            ],
        )
        self.assertRecordValues(
            bill.invoice_line_ids,
            [
                {
                    "product_id": self.labour_product.id,
                    "quantity": 2.5,
                    "price_unit": 40.0,
                    "price_subtotal": 100.0,
                },
                {
                    "product_id": self.part.id,
                    "quantity": 2.0,
                    "price_unit": 8.8,
                    "price_subtotal": 17.6,
                },
            ],
        )
        self.assertEqual(claim.state, "billed")
        with self.assertRaisesText(UserError, "already billed"):
            claim.with_user(self.as_manager).action_create_bill()
        self.assertEqual(self.env["account.move"].search_count([("ref", "=", claim.name)]), 1)

    def test_bill_comes_to_the_claimed_amount(self):
        # 3 valves costing 3.33 with a 10 % markup: 3.663 is billed at 3.66 a
        # piece, so the claim's line is 10.98 as the bill's line is, not 10.99.
        valve = self.env["product.product"].create(
            {"name": "Steam Valve", "is_storable": True, "standard_price": 3.33}
        )
        claim = self._new_dealer_claim(hours=1.0, parts=((valve, 3.0),))
        self.assertEqual(claim.line_ids.price_subtotal, 10.98)
        claim.action_submit()
        claim.with_user(self.as_manager).action_approve()
        claim.with_user(self.as_manager).action_create_bill()
        part_line = claim.bill_id.invoice_line_ids.filtered(lambda line: line.product_id == valve)
        self.assertRecordValues(part_line, [{"price_unit": 3.66, "price_subtotal": 10.98}])
        self.assertEqual(claim.bill_id.amount_untaxed, claim.amount_total)

    def test_a_part_stays_on_its_claim(self):
        draft = self._new_dealer_claim(parts=((None, 50.0),))
        approved = self._new_dealer_claim(date_repair="2026-01-06")
        approved.action_submit()
        approved.with_user(self.as_manager).action_approve()
        with self.assertRaisesText(UserError, "cannot be moved to another claim"):
            draft.line_ids.write({"claim_id": approved.id})
        self.assertEqual(approved.amount_parts, 17.6)


class TestDealerClaimScreens(NetworkCommon):
    """The manager's reason screen, over ``action_terminate`` and ``action_reject``."""

    def test_reject_and_terminate_through_the_reason_screen(self):
        claim = self._new_dealer_claim()
        claim.action_submit()
        action = claim.with_user(self.as_manager).action_open_reject_wizard()
        Reason = self.env["aftersales.network.reason"].with_user(self.as_manager)
        with Form(Reason.with_context(**action["context"])) as form:
            form.reason = "Labour not justified"
        form.record.action_apply()
        self.assertRecordValues(
            claim, [{"state": "rejected", "rejection_reason": "Labour not justified"}]
        )
        action = self.agreement.with_user(self.as_manager).action_open_terminate_wizard()
        with Form(Reason.with_context(**action["context"])) as form:
            form.reason = "Dealer sold the shop"
        form.record.action_apply()
        self.assertRecordValues(
            self.agreement, [{"state": "terminated", "termination_reason": "Dealer sold the shop"}]
        )


class TestDealerClaimRpc(NetworkCommon, HttpCase):
    """A dealer claim submitted over XML-RPC by a service clerk."""

    def test_submit_over_xmlrpc(self):
        password = "net-rpc-Secret-2026"
        clerk = new_test_user(
            self.env,
            login="net_rpc_clerk",
            password=password,
            groups="base.group_user,aftersales_service.group_aftersales_user",
        )
        claim = self._new_dealer_claim()
        foreign = self.env["stock.lot"].create(
            {"name": "SN-RPC-FOREIGN", "product_id": self.product_serial.id}
        )
        refused = self._new_dealer_claim(lot=foreign)
        db = get_db_name()

        def call(method, ids):
            return self.xmlrpc_object.execute_kw(
                db, clerk.id, password, "aftersales.dealer.claim", method, [ids]
            )

        self.assertIs(call("action_submit", [claim.id]), True)
        with self.assertRaises(xmlrpc.client.Fault) as catcher:
            call("action_submit", [refused.id])
        self.assertEqual(catcher.exception.faultCode, 2)  # a UserError
        self.assertIn("SN-RPC-FOREIGN is not one of ours", catcher.exception.faultString)
        with self.assertRaises(xmlrpc.client.Fault) as catcher:
            call("action_approve", [claim.id])
        self.assertEqual(catcher.exception.faultCode, 4)  # an AccessError
        self.env.invalidate_all()
        self.assertEqual((claim.state, refused.state), ("submitted", "draft"))
