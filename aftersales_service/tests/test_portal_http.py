from odoo.tests import HttpCase, new_test_user

from .common import AftersalesCommon


class TestPortalPages(AftersalesCommon, HttpCase):
    """The portal pages, requested over HTTP by a customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="alice_web",
            password="alice_web",
            groups="base.group_portal",
            partner_id=cls.customer.id,
        )
        cls.warranty = cls._deliver([(cls.product_serial, 1)]).warranty_ids
        stranger = cls.env["res.partner"].create({"name": "Bob Stranger"})
        cls.foreign = cls._deliver([(cls.product_serial, 1)], partner=stranger).warranty_ids

    def test_customer_pages(self):
        self.authenticate("alice_web", "alice_web")
        listing = self.url_open("/my/warranties")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(self.warranty.name, listing.text)
        self.assertNotIn(self.foreign.name, listing.text)
        certificate = self.url_open(f"/my/warranties/{self.warranty.id}?report_type=html")
        self.assertEqual(certificate.status_code, 200)
        self.assertIn(self.warranty.lot_id.name, certificate.text)
        refused = self.url_open(f"/my/warranties/{self.foreign.id}", allow_redirects=False)
        self.assertEqual(refused.status_code, 303)
        self.assertTrue(refused.headers["Location"].endswith("/my"))
