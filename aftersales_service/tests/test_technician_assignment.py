from ast import literal_eval

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .service_common import ServiceCommon

TECHNICIAN = "base.group_user,aftersales_service.group_aftersales_user"


class TestTechnicianAssignment(ServiceCommon):
    """Service orders go to the least loaded technician who repairs the
    product's category (or a parent of it): planned hours are the norm hours
    of the technician's orders from confirmed to ready."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Category = cls.env["product.category"]
        cls.appliances = Category.create({"name": "Appliances"})
        cls.coffee = Category.create({"name": "Coffee", "parent_id": cls.appliances.id})
        cls.espresso = Category.create({"name": "Espresso", "parent_id": cls.coffee.id})
        cls.grinders = Category.create({"name": "Grinders", "parent_id": cls.coffee.id})
        cls.filters = Category.create({"name": "Filters"})
        cls.product_serial.categ_id = cls.espresso
        cls.product_no_warranty.categ_id = cls.filters
        # Every repair of the espresso machine is planned at 2 hours.
        cls.env["aftersales.part.norm"].create(
            {
                "product_id": cls.product_serial.id,
                "part_id": cls.part.id,
                "quantity": 1.0,
                "labour_hours": 2.0,
            }
        )
        cls.tech_espresso = cls._technician("tech_espresso", cls.espresso)
        cls.tech_appliances = cls._technician("tech_appliances", cls.appliances)
        cls.tech_grinders = cls._technician("tech_grinders", cls.grinders)
        cls.tech_nothing = cls._technician("tech_nothing")
        company2 = cls.env["res.company"].create({"name": "Other Service Co"})
        cls.tech_elsewhere = cls._technician("tech_elsewhere", cls.espresso, company=company2)
        cls.team = (
            cls.tech_espresso
            | cls.tech_appliances
            | cls.tech_grinders
            | cls.tech_nothing
            | cls.tech_elsewhere
        )

    @classmethod
    def _technician(cls, login, categories=None, company=None):
        user = new_test_user(
            cls.env,
            login=login,
            name=login.replace("_", " ").title(),
            groups=TECHNICIAN,
            **({"company_id": company.id, "company_ids": [company.id]} if company else {}),
        )
        if categories:
            user.aftersales_categ_ids = categories
        return user

    def _on_site_orders(self, count, product=None, technician=None, confirm=True):
        """``count`` on-site orders of ``product`` (the espresso machine, 2 norm
        hours each), given to ``technician``, confirmed (so in progress)."""
        lots = self._deliver([(self.product_serial, count)]).warranty_ids.lot_id
        orders = self.ServiceOrder.create(
            [
                {
                    "lot_id": lot.id,
                    "request_type": "maintenance",
                    "user_id": technician.id if technician else False,
                }
                for lot in lots
            ]
            if not product
            else [
                {
                    "partner_id": self.customer.id,
                    "product_id": product.id,
                    "request_type": "maintenance",
                }
                for _i in range(count)
            ]
        )
        if confirm:
            orders.action_confirm()
        return orders

    # ------------------------------------------------------------------
    # Who gets the work
    # ------------------------------------------------------------------

    def test_least_loaded_technician_of_the_category(self):
        self._on_site_orders(1, technician=self.tech_espresso)
        self._on_site_orders(2, technician=self.tech_appliances)
        # Not planned work: a draft order, a cancelled one.
        self._on_site_orders(1, technician=self.tech_espresso, confirm=False)
        self._on_site_orders(1, technician=self.tech_espresso).action_cancel()
        self.assertEqual(
            self.team._aftersales_workload(),
            {
                self.tech_espresso.id: (2.0, 1),
                self.tech_appliances.id: (4.0, 2),
                self.tech_grinders.id: (0.0, 0),
                self.tech_nothing.id: (0.0, 0),
                self.tech_elsewhere.id: (0.0, 0),
            },
        )
        order = self._new_order()
        self.assertEqual(order.labour_hours_norm, 2.0)
        self.assertIs(order.action_assign_technician(), True)
        # The idle grinder technician, the one without categories and the one
        # of another company are not candidates.
        self.assertEqual(order.user_id, self.tech_espresso)

    def test_parent_category_counts(self):
        """The appliances technician repairs espresso machines (Appliances /
        Coffee / Espresso): when less loaded, the order is theirs."""
        self._on_site_orders(2, technician=self.tech_espresso)
        self._on_site_orders(1, technician=self.tech_appliances)
        order = self._new_order()
        order.action_assign_technician()
        self.assertEqual(order.user_id, self.tech_appliances)

    def test_ties_go_to_fewer_orders_then_the_first_technician(self):
        # Same hours (0), the appliances technician has one order without norm.
        self._on_site_orders(1, product=self.product_bulk).user_id = self.tech_appliances
        order = self._new_order()
        order.action_assign_technician()
        self.assertEqual(order.user_id, self.tech_espresso)
        order.action_confirm()
        second = self._new_order()
        second.action_assign_technician()
        # Espresso now 2 hours, appliances 0 hours: appliances.
        self.assertEqual(second.user_id, self.tech_appliances)

    def test_batch_balances_the_load(self):
        orders = self._on_site_orders(5, confirm=False)
        self.assertIs(orders.action_assign_technician(), True)
        self.assertEqual(
            [order.user_id for order in orders],
            [self.tech_espresso, self.tech_appliances] * 2 + [self.tech_espresso],
        )
        self.assertEqual(
            self.team._aftersales_workload()[self.tech_espresso.id], (0.0, 0), "drafts: not planned"
        )
        orders.action_confirm()
        load = self.team._aftersales_workload()
        self.assertEqual(load[self.tech_espresso.id], (6.0, 3))
        self.assertEqual(load[self.tech_appliances.id], (4.0, 2))

    def test_loads_in_one_query(self):
        self._on_site_orders(3, technician=self.tech_espresso)
        self.env.flush_all()
        with self.assertQueryCount(1):
            load = self.team._aftersales_workload()
        self.assertEqual(load[self.tech_espresso.id], (6.0, 3))

    def test_no_technician_for_the_category_is_refused(self):
        filters = self._on_site_orders(1, product=self.product_no_warranty, confirm=False)
        espresso = self._new_order()
        with self.assertRaisesText(UserError, "No technician .* repairs Filters"):
            (espresso | filters).action_assign_technician()
        self.assertFalse((espresso | filters).user_id, "nothing half-done")
        # The only technician of the category left the team.
        self.tech_grinders.aftersales_categ_ids = self.filters
        filters.action_assign_technician()
        self.assertEqual(filters.user_id, self.tech_grinders)

    def test_refused_twice_and_when_closed(self):
        order = self._new_order()
        order.action_assign_technician()
        with self.assertRaisesText(UserError, "already has a technician"):
            order.action_assign_technician()
        order.user_id = False
        order.action_cancel()
        with self.assertRaisesText(UserError, "Cannot assign a technician to"):
            order.action_assign_technician()
        self.assertFalse(order.user_id)

    # ------------------------------------------------------------------
    # Who sets the categories
    # ------------------------------------------------------------------

    def test_technician_cannot_set_categories(self):
        for target in (self.tech_espresso, self.tech_grinders):
            with self.subTest(target=target.login), self.assertRaises(AccessError):
                target.with_user(self.tech_espresso).write(
                    {"aftersales_categ_ids": [Command.link(self.filters.id)]}
                )
        self.assertEqual(self.tech_espresso.aftersales_categ_ids, self.espresso)
        self.assertEqual(self.tech_grinders.aftersales_categ_ids, self.grinders)
        # They read their own.
        own = self.tech_espresso.with_user(self.tech_espresso).read(["aftersales_categ_ids"])
        self.assertEqual(own[0]["aftersales_categ_ids"], self.espresso.ids)

    def test_manager_sets_categories(self):
        manager = self.as_manager
        self.assertFalse(manager.has_group("base.group_erp_manager"), "not a user administrator")
        self.tech_nothing.with_user(manager).write(
            {"aftersales_categ_ids": [Command.set(self.filters.ids)]}
        )
        self.assertEqual(self.tech_nothing.aftersales_categ_ids, self.filters)
        # The categories only: the rest of the user is the administrators'.
        with self.assertRaises(AccessError):
            self.tech_nothing.with_user(manager).write(
                {"aftersales_categ_ids": [Command.clear()], "name": "Renamed"}
            )
        self.assertEqual(self.tech_nothing.aftersales_categ_ids, self.filters)
        # Linking categories, never creating, changing or deleting one.
        for command in (
            Command.create({"name": "Made by the manager"}),
            Command.update(self.filters.id, {"name": "Renamed by the manager"}),
            Command.delete(self.filters.id),
        ):
            with self.subTest(command=command[0]), self.assertRaises(AccessError):
                self.tech_nothing.with_user(manager).write({"aftersales_categ_ids": [command]})
        self.assertNotEqual(self.filters.name, "Renamed by the manager")
        self.assertTrue(self.filters.exists())

    # ------------------------------------------------------------------
    # The workload views
    # ------------------------------------------------------------------

    def test_workload_menu_own_orders_for_technicians_team_for_managers(self):
        mine = self._on_site_orders(1, technician=self.tech_espresso)
        theirs = self._on_site_orders(1, technician=self.tech_appliances)
        Order = self.env["aftersales.service.order"]
        for user, default_mine in ((self.tech_espresso, True), (self.as_manager, False)):
            with self.subTest(user=user.login):
                action = Order.with_user(user).action_open_workload()
                self.assertEqual(action["res_model"], "aftersales.service.order")
                self.assertEqual(
                    action["context"], {"search_default_my_orders": 1} if default_mine else {}
                )
                open_orders = Order.with_user(user).search(literal_eval(action["domain"]))
                self.assertEqual(open_orders & (mine | theirs), mine | theirs)
        # The default filter of the technicians: their own orders.
        arch = Order.with_user(self.tech_espresso).get_views([(False, "search")])["views"]
        search = etree.fromstring(arch["search"]["arch"])
        [my_filter] = search.xpath("//filter[@name='my_orders']")
        self.assertEqual(my_filter.get("domain"), "[('user_id', '=', uid)]")
        own = Order.with_user(self.tech_espresso).search(
            [*literal_eval(action["domain"]), ("user_id", "=", self.tech_espresso.id)]
        )
        self.assertEqual(own, mine)

    def test_overdue_work_is_red_in_the_calendar(self):
        on_time, late = self._on_site_orders(2, technician=self.tech_espresso)
        late.date_deadline = "2026-01-04"
        on_time.date_deadline = "2026-01-05"
        self.assertEqual((on_time.is_late, late.is_late), (False, True))
        self.assertEqual((on_time.deadline_color, late.deadline_color), (0, 1))
