from odoo.exceptions import AccessError

from .common import AftersalesCommon


class TestWarrantyRights(AftersalesCommon):
    def test_stock_user_without_aftersales_rights_registers_warranties(self):
        order = self._sell([(self.product_serial, 1), (self.product_bulk, 2)])
        self._validate(order.picking_ids, user=self.stock_user)
        warranties = order.warranty_ids
        self.assertEqual(len(warranties), 2)
        self.assertEqual(warranties.mapped("state"), ["active", "active"])
        with self.assertRaises(AccessError):
            warranties.with_user(self.stock_user).read(["name"])

    def test_stock_user_returns_and_warranty_ends(self):
        order = self._deliver([(self.product_bulk, 2)], user=self.stock_user)
        self._return(order.picking_ids, {self.product_bulk: 2})
        self.assertEqual(order.warranty_ids.state, "void")

    def test_user_reads_but_cannot_void_extend_or_edit(self):
        warranty = self._deliver([(self.product_serial, 1)]).warranty_ids
        as_user = warranty.with_user(self.as_user)
        self.assertEqual(as_user.state, "active")
        with self.assertRaisesText(AccessError, "void warranties"):
            as_user.void("Seal broken")
        with self.assertRaisesText(AccessError, "extend warranties"):
            as_user.extend(6, "Goodwill")
        with self.assertRaises(AccessError):
            as_user.write({"months": 48})
        with self.assertRaises(AccessError):
            self.Warranty.with_user(self.as_user).create(
                {
                    "partner_id": self.customer.id,
                    "product_id": self.product_bulk.id,
                    "months": 6,
                }
            )
        self.assertEqual((warranty.state, warranty.months), ("active", 24))

    def test_manager_voids(self):
        warranty = self._deliver([(self.product_serial, 1)]).warranty_ids
        warranty.with_user(self.as_manager).void("Seal broken")
        self.assertEqual(warranty.state, "void")

    def test_multi_company_isolation(self):
        other = self.env["res.company"].create({"name": "Other Service Co"})
        self.env.user.company_ids |= other
        warranty = self._deliver([(self.product_serial, 1)]).warranty_ids
        serial = warranty.lot_id.name
        outsider = self.as_manager.copy(
            {
                "login": "as_other_manager",
                "company_id": other.id,
                "company_ids": [(6, 0, other.ids)],
            }
        )
        Warranty = self.Warranty.with_user(outsider).with_company(other)
        self.assertFalse(Warranty.search([]))
        self.assertFalse(Warranty.check_serial(serial)["found"])
        with self.assertRaises(AccessError):
            warranty.with_user(outsider).read(["name"])
        self.assertTrue(self.Warranty.with_user(self.as_manager).check_serial(serial)["found"])
