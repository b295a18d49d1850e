"""Consumer claims seen and filed by the customers: on the portal (their own
claims only, the answer letter once sent, a claim filed about one of their own
units) and by email to the claims alias."""

from datetime import date

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user

from .common import AftersalesCommon

CLAIM_EMAIL = """Return-Path: <{email}>
To: {to}
From: {sender}
Subject: Broken espresso machine
Date: Tue, 30 Dec 2025 09:15:00 +0000
Message-ID: <claim-{email}@example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

My machine SN-42 stopped heating. I demand its replacement.
"""


class ClaimPortalCommon(AftersalesCommon):
    """The customer (a portal user) and a stranger, each with a delivered
    espresso machine and a repair claim received on the frozen day under the
    company's law (Russia: 45 days to repair, 7 to replace)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.aftersales_legal_profile_id = cls.env.ref(
            "aftersales_service.legal_profile_ru"
        )
        cls.portal_user = cls._new_portal_user("alice_claims")
        cls.stranger = cls.env["res.partner"].create({"name": "Bob Stranger"})
        cls.warranty = cls._deliver([(cls.product_serial, 1)]).warranty_ids
        cls.foreign_warranty = cls._deliver(
            [(cls.product_serial, 1)], partner=cls.stranger
        ).warranty_ids
        cls.claim, cls.foreign_claim = cls.env["aftersales.claim"].create(
            [
                {"lot_id": cls.warranty.lot_id.id, "description": "Leaks water"},
                {"lot_id": cls.foreign_warranty.lot_id.id, "description": "Does not start"},
            ]
        )
        (cls.claim | cls.foreign_claim).action_receive()

    def _claims_of(self, partner):
        return self.env["aftersales.claim"].search([("partner_id", "=", partner.id)])


class TestClaimPortalAccess(ClaimPortalCommon):
    def test_customer_reads_only_their_claims(self):
        Claim = self.env["aftersales.claim"].with_user(self.portal_user)
        self.assertEqual(Claim.search([]), self.claim)
        self.assertEqual(
            self.claim.with_user(self.portal_user).read(["state"])[0]["state"], "received"
        )
        with self.assertRaises(AccessError):
            self.foreign_claim.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            self.claim.with_user(self.portal_user).write({"description": "Typed on the portal"})
        with self.assertRaises(AccessError):
            Claim.create({"lot_id": self.warranty.lot_id.id})
        with self.assertRaises(AccessError):
            self.claim.with_user(self.portal_user).unlink()
        self.assertEqual(self.claim.description, "Leaks water")
        self.assertEqual(self.claim.access_url, f"/my/claims/{self.claim.id}")


class TestClaimPortalPages(ClaimPortalCommon, HttpCase):
    """The claim pages, requested over HTTP by the customer."""

    def setUp(self):
        super().setUp()
        self.authenticate("alice_claims", "alice_claims")

    def _file(self, **values):
        """Post the new-claim form with ``values``; the response, not followed."""
        data = {"csrf_token": http.Request.csrf_token(self), "description": "No heat", **values}
        return self.url_open("/my/claims/new", data=data, allow_redirects=False)

    def test_home_counters(self):
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["claim_count", "claimable_count"]}
        )
        self.assertEqual(counters, {"claim_count": 1, "claimable_count": 1})
        home = self.url_open("/my")
        self.assertIn("/my/claims/new", home.text)
        self.assertIn("Your Claims", home.text)

    def test_list_and_detail(self):
        listing = self.url_open("/my/claims")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(self.claim.name, listing.text)
        self.assertIn(self.warranty.lot_id.name, listing.text)
        self.assertIn("02/19/2026", listing.text)  # received 01/05, 45 days to repair
        self.assertNotIn(self.foreign_claim.name, listing.text)
        self.assertIn('href="/my/claims/new"', listing.text)

        page = self.url_open(f"/my/claims/{self.claim.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.claim.name, page.text)
        self.assertIn("Leaks water", page.text)
        self.assertIn("02/19/2026", page.text)
        self.assertNotIn("Our Answer", page.text)
        self.assertNotIn("Decision", page.text)

        refused = self.url_open(f"/my/claims/{self.foreign_claim.id}", allow_redirects=False)
        self.assertEqual(refused.status_code, 303)
        self.assertTrue(refused.headers["Location"].endswith("/my"))
        refused = self.url_open(
            f"/my/claims/{self.foreign_claim.id}?report_type=html", allow_redirects=False
        )
        self.assertEqual(refused.status_code, 303)
        self.assertTrue(refused.headers["Location"].endswith("/my"))

    def test_answer_letter_once_answered(self):
        letter_url = f"/my/claims/{self.claim.id}?report_type=html"
        # Undecided: the letter would state no decision; back to the page.
        refused = self.url_open(letter_url, allow_redirects=False)
        self.assertEqual(refused.status_code, 303)
        self.assertIn(f"/my/claims/{self.claim.id}?access_token=", refused.headers["Location"])

        self.claim.with_user(self.as_manager).action_accept("The pump is replaced for free.")
        page = self.url_open(f"/my/claims/{self.claim.id}")
        self.assertIn("Accepted", page.text)
        self.assertIn("The pump is replaced for free.", page.text)
        self.assertNotIn("Our Answer", page.text)
        self.assertEqual(self.url_open(letter_url, allow_redirects=False).status_code, 303)

        self.claim.with_user(self.as_manager).action_send_answer()
        page = self.url_open(f"/my/claims/{self.claim.id}")
        self.assertIn("Our Answer", page.text)
        self.assertIn("report_type=pdf", page.text)
        letter = self.url_open(letter_url)
        self.assertEqual(letter.status_code, 200)
        self.assertIn(f"<span>{self.claim.name}</span>", letter.text)
        self.assertIn("Your demand is <strong>accepted</strong>", letter.text)
        self.assertIn("The pump is replaced for free.", letter.text)

    def test_file_a_claim_for_own_serial(self):
        self.env.company.aftersales_manager_id = self.as_manager
        form = self.url_open("/my/claims/new")
        self.assertEqual(form.status_code, 200)
        self.assertIn(self.warranty.lot_id.name, form.text)
        self.assertNotIn(self.foreign_warranty.lot_id.name, form.text)
        preselected = self.url_open(f"/my/claims/new?lot_id={self.warranty.lot_id.id}")
        self.assertIn(f'value="{self.warranty.lot_id.id}" selected', preselected.text)

        response = self._file(
            lot_id=str(self.warranty.lot_id.id), demand="replacement", amount_demanded="120"
        )
        self.assertEqual(response.status_code, 303)
        claim = self._claims_of(self.customer) - self.claim
        self.assertEqual(len(claim), 1)
        self.assertTrue(response.headers["Location"].endswith(f"/my/claims/{claim.id}?filed=1"))
        self.assertEqual(
            (claim.state, claim.partner_id, claim.lot_id, claim.warranty_id, claim.product_id),
            ("received", self.customer, self.warranty.lot_id, self.warranty, self.product_serial),
        )
        self.assertEqual(claim.demand, "replacement")
        self.assertEqual(claim.amount_demanded, 0.0)  # not a money demand
        self.assertEqual(claim.description, "No heat")
        self.assertEqual(claim.date_received, date(2026, 1, 5))
        self.assertEqual(claim.date_deadline, date(2026, 1, 12))  # Russia: 7 days to replace
        self.assertEqual(claim.legal_profile_id.code, "ru")
        self.assertEqual(claim.user_id, self.as_manager, "the company's after-sales manager")
        self.assertNotEqual(claim.create_uid, self.portal_user, "no job falls to the customer")
        note = claim.message_ids.filtered(lambda message: "Filed on the portal" in message.body)
        self.assertEqual(note.author_id, self.customer)
        self.assertIn("Filed on the portal by Alice Customer.", note.body)

        page = self.url_open(response.headers["Location"])
        self.assertEqual(page.status_code, 200)
        self.assertIn("Your claim is received. We answer by", page.text)
        self.assertIn("01/12/2026", page.text)

    def test_money_demand_keeps_its_amount(self):
        response = self._file(
            lot_id=str(self.warranty.lot_id.id), demand="refund", amount_demanded="499.90"
        )
        self.assertEqual(response.status_code, 303)
        claim = self._claims_of(self.customer) - self.claim
        self.assertEqual((claim.demand, claim.amount_demanded), ("refund", 499.9))
        self.assertEqual(claim.date_deadline, date(2026, 1, 15))  # Russia: 10 days to refund

    def test_company_without_law_registers_a_draft(self):
        self.env.company.aftersales_legal_profile_id = False
        response = self._file(lot_id=str(self.warranty.lot_id.id), demand="repair")
        claim = self._claims_of(self.customer) - self.claim
        self.assertEqual((claim.state, claim.date_deadline), ("draft", False))
        page = self.url_open(response.headers["Location"])
        self.assertIn("Your claim is registered.", page.text)
        self.assertNotIn("Your claim is received.", page.text)

    def test_refused_claims_create_nothing(self):
        own = str(self.warranty.lot_id.id)
        cases = (
            # values, message
            (
                {"lot_id": str(self.foreign_warranty.lot_id.id), "demand": "repair"},
                "Choose the serial number of one of your units.",
            ),
            ({"lot_id": "", "demand": "repair"}, "Choose the serial number"),
            ({"lot_id": "SN-1", "demand": "repair"}, "Choose the serial number"),
            ({"lot_id": own, "demand": "exchange"}, "The demand must be one of"),
            (
                {"lot_id": own, "demand": "refund", "amount_demanded": "-5"},
                "The amount demanded must be a number of zero or more, not -5.",
            ),
            (
                {"lot_id": own, "demand": "refund", "amount_demanded": "a lot"},
                "The amount demanded must be a number of zero or more, not a lot.",
            ),
            (
                {"lot_id": own, "demand": "refund", "amount_demanded": "nan"},
                "The amount demanded must be a number of zero or more",
            ),
            (
                {"lot_id": own, "demand": "repair", "description": "  "},
                "The description of the defect is required.",
            ),
        )
        Claim = self.env["aftersales.claim"]
        before = Claim.search([])
        for values, message in cases:
            with self.subTest(values=values):
                response = self._file(**values)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                self.assertIn('name="csrf_token"', response.text, "the form again")
                self.assertEqual(Claim.search([]), before)
        self.assertEqual(self.foreign_claim.state, "received")

    def test_contact_of_a_company_files_for_the_company_unit(self):
        """A contact of a company customer sees the company's claims and files
        one about its unit as the consumer."""
        company = self.env["res.partner"].create({"name": "Bean Bar", "is_company": True})
        contact = self.env["res.partner"].create(
            {"name": "Carol Barista", "parent_id": company.id, "email": "carol@example.com"}
        )
        new_test_user(
            self.env,
            login="carol_claims",
            password="carol_claims",
            name="Carol Barista",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        warranty = self._deliver([(self.product_serial, 1)], partner=company).warranty_ids
        company_claim = self.env["aftersales.claim"].create({"lot_id": warranty.lot_id.id})
        self.authenticate("carol_claims", "carol_claims")
        self.assertIn(company_claim.name, self.url_open("/my/claims").text)
        response = self._file(lot_id=str(warranty.lot_id.id), demand="repair")
        self.assertEqual(response.status_code, 303)
        claim = self._claims_of(contact)
        self.assertEqual((claim.lot_id, claim.warranty_id), (warranty.lot_id, warranty))
        self.assertEqual(claim.state, "received")
        self.assertEqual(self.url_open(response.headers["Location"]).status_code, 200)


class TestClaimAlias(AftersalesCommon):
    """Claims emailed to the claims alias."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.aftersales_manager_id = cls.as_manager
        cls.alias = cls.env.ref("aftersales_service.mail_alias_claims")
        domain = cls.env["mail.alias.domain"].search([], limit=1) or cls.env[
            "mail.alias.domain"
        ].create({"name": "shop.example.com"})
        cls.alias.alias_domain_id = domain

    def _email(self, sender, email):
        raw = CLAIM_EMAIL.format(sender=sender, email=email, to=self.alias.alias_full_name)
        return self.env["aftersales.claim"].browse(
            self.env["mail.thread"].sudo().message_process(None, raw)
        )

    def test_alias(self):
        self.assertEqual(
            (self.alias.alias_name, self.alias.alias_model_id.model, self.alias.alias_contact),
            ("claims", "aftersales.claim", "everyone"),
        )

    def test_email_of_a_known_customer_makes_a_draft_claim(self):
        claim = self._email("Alice Customer <alice@example.com>", "alice@example.com")
        self.assertEqual(len(claim), 1)
        self.assertEqual((claim.state, claim.partner_id), ("draft", self.customer))
        self.assertRegex(claim.name, r"^CLM/2026/\d{5}$")  # not the email's subject
        self.assertEqual(claim.user_id, self.as_manager)
        self.assertEqual(claim.date_received, date(2025, 12, 30))  # the email's day
        self.assertFalse(claim.date_deadline)
        self.assertEqual(
            claim.description,
            "Broken espresso machine\n\n"
            "My machine SN-42 stopped heating. I demand its replacement.",
        )
        self.assertIn("stopped heating", claim.message_ids[0].body)

    def test_email_of_a_new_sender_makes_a_contact(self):
        Partner = self.env["res.partner"]
        self.assertFalse(Partner.search([("email", "=", "dora@example.com")]))
        claim = self._email("Dora Newcomer <dora@example.com>", "dora@example.com")
        self.assertEqual(claim.state, "draft")
        self.assertEqual(
            (claim.partner_id.name, claim.partner_id.email), ("Dora Newcomer", "dora@example.com")
        )
        self.assertEqual(claim.date_received, date(2025, 12, 30))
