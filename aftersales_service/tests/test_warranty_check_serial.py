from dateutil.relativedelta import relativedelta

from .common import AftersalesCommon


class TestCheckSerial(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._deliver([(cls.product_serial, 1)])
        cls.warranty = cls.order.warranty_ids
        cls.serial = cls.warranty.lot_id.name

    def test_found_and_active(self):
        result = self.Warranty.with_user(self.as_user).check_serial(self.serial)
        self.assertEqual(
            result,
            {
                "found": True,
                "state": "active",
                "date_end": self.warranty.date_end,
                "warranty_id": self.warranty.id,
                "partner_id": self.customer.id,
                "product_id": self.product_serial.id,
            },
        )

    def test_unknown_serial(self):
        result = self.Warranty.check_serial("NO-SUCH-SERIAL")
        self.assertFalse(result["found"])
        self.assertFalse(result["state"])
        self.assertFalse(result["warranty_id"])

    def test_expired_on_a_later_date(self):
        after = self.warranty.date_end + relativedelta(days=1)
        self.assertEqual(self.Warranty.check_serial(self.serial, after)["state"], "expired")
        self.assertEqual(
            self.Warranty.check_serial(self.serial, str(self.warranty.date_end))["state"],
            "active",
        )

    def test_void(self):
        self.warranty.with_user(self.as_manager).void("Seal broken")
        result = self.Warranty.check_serial(self.serial)
        self.assertTrue(result["found"])
        self.assertEqual(result["state"], "void")
