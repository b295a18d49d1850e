from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

# The states of a service order whose labour norm is planned work of its technician.
PLANNED_STATES = ("confirmed", "received", "in_progress", "ready")
MANAGER = "aftersales_service.group_aftersales_manager"


class ResUsers(models.Model):
    _inherit = "res.users"

    aftersales_categ_ids = fields.Many2many(
        "product.category",
        "aftersales_user_product_category_rel",
        "user_id",
        "categ_id",
        string="Repairs Product Categories",
        copy=False,
        groups="aftersales_service.group_aftersales_user",
        help="The product categories (and their subcategories) the technician repairs: "
        "service orders of these products may be assigned to them. None: no assignment.",
    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        """Only an After-Sales Manager sets the categories a technician handles."""
        if any(vals.get("aftersales_categ_ids") for vals in vals_list):
            self._check_aftersales_categ_rights()
        return super().create(vals_list)

    def write(self, vals):
        """Only an After-Sales Manager sets the categories a technician handles
        (a manager who is no user administrator may set just those)."""
        if "aftersales_categ_ids" not in vals or self.env.su:
            return super().write(vals)
        self._check_aftersales_categ_rights()
        if set(vals) == {"aftersales_categ_ids"}:
            # Elevated only to link the categories: never to create, change or
            # delete a category through the commands.
            self._check_link_commands(vals["aftersales_categ_ids"])
            return super(ResUsers, self.sudo()).write(vals)
        return super().write(vals)

    def _check_link_commands(self, commands):
        """Refuse the commands of ``aftersales_categ_ids`` that would do more
        than link or unlink existing categories."""
        for command in commands or []:
            if (
                isinstance(command, list | tuple)
                and command
                and command[0] in (Command.CREATE, Command.UPDATE, Command.DELETE)
            ):
                raise AccessError(
                    self.env._(
                        "The categories a technician repairs are chosen among the existing "
                        "product categories: they cannot be created, changed or deleted "
                        "from the technician."
                    )
                )

    def _check_aftersales_categ_rights(self):
        if not self.env.su and not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._(
                    "Only an After-Sales Manager may set the product categories a technician "
                    "repairs."
                )
            )

    # ------------------------------------------------------------------
    # Business methods: who gets the work
    # ------------------------------------------------------------------

    @api.model
    def _aftersales_pick_technicians(self, orders):
        """The technician of each of the service ``orders``: an internal
        After-Sales User of the order's company whose categories include the
        product's category or one of its parents, the least loaded (fewest
        planned hours, then fewest orders, then the first created). Each pick
        counts for the next one.

        :return: {order: technician}
        :raise UserError: an order without product, or whose category nobody repairs"""
        missing = orders.filtered(lambda order: not order.product_id)
        if missing:
            raise UserError(
                self.env._(
                    "Set the product of %s before assigning a technician.",
                    ", ".join(missing.mapped("name")),
                )
            )
        categories = orders.product_id.categ_id
        ancestors = {
            categ: {int(part) for part in categ.parent_path.split("/") if part}
            for categ in categories
        }
        technicians = self.search(
            [
                ("share", "=", False),
                ("groups_id", "in", self.env.ref("aftersales_service.group_aftersales_user").id),
                ("aftersales_categ_ids", "in", list(set().union(*ancestors.values()))),
            ]
        )
        load = technicians._aftersales_workload()
        picks = {}
        for order in orders:
            categ = order.product_id.categ_id
            candidates = technicians.filtered(
                lambda user, order=order, categ=categ: (
                    order.company_id in user.company_ids
                    and not ancestors[categ].isdisjoint(user.aftersales_categ_ids.ids)
                )
            )
            if not candidates:
                raise UserError(
                    self.env._(
                        "No technician of %(company)s repairs %(category)s (nor a parent "
                        "category) for %(order)s: set the categories of the technicians in "
                        "After-Sales > Configuration > Technicians.",
                        company=order.company_id.name,
                        category=categ.display_name,
                        order=order.name,
                    )
                )
            technician = min(candidates, key=lambda user: (*load[user.id], user.id))
            hours, count = load[technician.id]
            load[technician.id] = (hours + order.labour_hours_norm, count + 1)
            picks[order] = technician
        return picks

    def _aftersales_workload(self):
        """{user id: (planned hours, orders)} of these technicians: the norm
        labour hours and the number of their service orders from confirmed to
        ready, in every company, in one query."""
        groups = (
            self.env["aftersales.service.order"]
            .sudo()
            ._read_group(
                [("user_id", "in", self.ids), ("state", "in", PLANNED_STATES)],
                ["user_id"],
                ["labour_hours_norm:sum", "__count"],
            )
        )
        load = dict.fromkeys(self.ids, (0.0, 0))
        load.update({user.id: (hours, count) for user, hours, count in groups})
        return load
