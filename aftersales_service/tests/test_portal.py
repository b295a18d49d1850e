from odoo import Command
from odoo.exceptions import AccessError

from .service_common import ServiceCommon


class TestPortal(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Alice (portal)",
                    "login": "alice_portal",
                    "partner_id": cls.customer.id,
                    "groups_id": [Command.set(cls.env.ref("base.group_portal").ids)],
                }
            )
        )
        cls.stranger = cls.env["res.partner"].create({"name": "Bob Stranger"})
        cls.order = cls._new_order()
        cls.foreign_warranty = cls._deliver(
            [(cls.product_serial, 1)], partner=cls.stranger
        ).warranty_ids

    def test_customer_sees_only_their_documents(self):
        Warranty = self.env["aftersales.warranty"].with_user(self.portal_user)
        self.assertEqual(Warranty.search([]), self.warranty)
        ServiceOrder = self.env["aftersales.service.order"].with_user(self.portal_user)
        self.assertEqual(ServiceOrder.search([]), self.order)
        with self.assertRaises(AccessError):
            self.foreign_warranty.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            self.warranty.with_user(self.portal_user).write({"months": 60})
        self.assertEqual(self.warranty.months, 24)

    def test_portal_urls(self):
        self.assertEqual(self.warranty.access_url, f"/my/warranties/{self.warranty.id}")
        self.assertEqual(self.order.access_url, f"/my/service_orders/{self.order.id}")
        url = self.warranty.get_portal_url(report_type="pdf", download=True)
        self.assertIn("access_token=", url)
        self.assertIn("report_type=pdf", url)
        self.assertEqual(
            self.warranty._get_report_base_filename(), self.warranty.name.replace("/", "-")
        )
