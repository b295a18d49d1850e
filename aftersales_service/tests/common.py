from contextlib import contextmanager
from itertools import count

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon

_serials = count(1)

# The day every test runs on, fixtures included, unless it freezes another one:
# no test depends on the machine's clock. A plain mid-month weekday, earlier
# than the days the tests travel to.
FROZEN_NOW = "2026-01-05 10:00:00"


class AftersalesCommon(BaseCommon):
    """Products with warranty terms, a customer, users of each role, and a
    helper that sells and delivers through the real sale and stock flows.

    Time is frozen at ``FROZEN_NOW`` for the whole class, from before the
    fixtures are created (Odoo's ``TransactionCase.freeze_time``); a test may
    travel with ``freezegun.freeze_time`` inside it."""

    freeze_time = FROZEN_NOW

    @classmethod
    def default_env_context(cls):
        # The chatter and the emails are part of what is tested.
        return {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.customer = cls.env["res.partner"].create(
            {"name": "Alice Customer", "email": "alice@example.com"}
        )
        cls.product_serial = cls.env["product.product"].create(
            {
                "name": "Espresso Machine",
                "is_storable": True,
                "tracking": "serial",
                "list_price": 500.0,
                "warranty_months": 24,
                "warranty_terms": "<p>Parts and labour covered.</p>",
            }
        )
        cls.product_bulk = cls.env["product.product"].create(
            {
                "name": "Coffee Grinder",
                "is_storable": True,
                "list_price": 80.0,
                "warranty_months": 12,
            }
        )
        cls.product_no_warranty = cls.env["product.product"].create(
            {
                "name": "Paper Filters",
                "is_storable": True,
                "list_price": 5.0,
            }
        )
        cls.product_extension = cls.env["product.product"].create(
            {
                "name": "Extended Warranty +12",
                "type": "service",
                "list_price": 49.0,
                "is_extended_warranty": True,
                "warranty_extension_months": 12,
            }
        )
        cls.as_user = new_test_user(
            cls.env,
            login="as_user",
            name="Service Clerk",
            groups="base.group_user,aftersales_service.group_aftersales_user",
        )
        cls.as_manager = new_test_user(
            cls.env,
            login="as_manager",
            name="After-Sales Manager",
            groups="base.group_user,aftersales_service.group_aftersales_manager",
        )
        cls.stock_user = new_test_user(
            cls.env,
            login="as_stock",
            name="Warehouse Worker",
            groups="base.group_user,stock.group_stock_user",
        )
        cls.Warranty = cls.env["aftersales.warranty"]

    @classmethod
    def _new_portal_user(cls, login, partner=None):
        """A portal user of ``partner`` (the customer by default), whose
        password is its login."""
        return new_test_user(
            cls.env,
            login=login,
            password=login,
            name=(partner or cls.customer).name,
            groups="base.group_portal",
            partner_id=(partner or cls.customer).id,
        )

    @contextmanager
    def assertRaisesText(self, exception, regex):
        """Like assertRaisesRegex, rolling the failed operation back as Odoo's
        assertRaises does, so that what follows sees the records unchanged."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), regex)

    @classmethod
    def _put_in_stock(cls, product, quantity):
        """Put ``quantity`` units in stock; serial products get one new serial each."""
        Quant = cls.env["stock.quant"]
        if product.tracking != "serial":
            Quant._update_available_quantity(product, cls.stock_location, quantity)
            return cls.env["stock.lot"]
        lots = cls.env["stock.lot"].create(
            [
                {"name": f"SN-{next(_serials):05d}", "product_id": product.id}
                for _i in range(int(quantity))
            ]
        )
        for lot in lots:
            Quant._update_available_quantity(product, cls.stock_location, 1, lot_id=lot)
        return lots

    @classmethod
    def _sell(cls, lines, partner=None):
        """Confirm a sale order of ``lines`` [(product, quantity)], stock put in first."""
        for product, quantity in lines:
            if product.is_storable:
                cls._put_in_stock(product, quantity)
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": quantity})
                    for product, quantity in lines
                ],
            }
        )
        order.action_confirm()
        return order

    @classmethod
    def _validate(cls, picking, user=None):
        """Validate ``picking`` as ``user`` with all its reserved quantities."""
        picking.action_assign()
        picking.move_ids.picked = True
        result = picking.with_user(user or cls.env.user).button_validate()
        assert result is True, f"validation asked for more: {result}"
        assert picking.state == "done"
        return picking

    @classmethod
    def _deliver(cls, lines, partner=None, user=None):
        """Sell and deliver ``lines``; returns the sale order."""
        order = cls._sell(lines, partner)
        cls._validate(order.picking_ids, user)
        return order

    @classmethod
    def _return(cls, picking, quantities, lots=None):
        """Return ``quantities`` {product: qty} of a done delivery and validate it."""
        wizard = (
            cls.env["stock.return.picking"]
            .with_context(
                active_id=picking.id, active_ids=picking.ids, active_model="stock.picking"
            )
            .create({})
        )
        for line in wizard.product_return_moves:
            line.quantity = quantities.get(line.product_id, 0.0)
        returned = cls.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        for move in returned.move_ids:
            move_lots = (lots or cls.env["stock.lot"]).filtered(
                lambda lot, move=move: lot.product_id == move.product_id
            )
            if move_lots:
                move.move_line_ids = [Command.clear()] + [
                    Command.create(
                        {
                            "product_id": move.product_id.id,
                            "lot_id": lot.id,
                            "quantity": 1.0,
                            "location_id": move.location_id.id,
                            "location_dest_id": move.location_dest_id.id,
                        }
                    )
                    for lot in move_lots
                ]
        return cls._validate(returned)
