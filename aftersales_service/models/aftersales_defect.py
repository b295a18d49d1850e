from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .aftersales_defect_type import CATEGORIES
from .window_actions import form_action

# The resolutions of a warranty order that say the unit was faulty: the order
# reaches them only with the defect found recorded.
DEFECT_RESOLUTIONS = ("repaired", "replaced", "refunded")
CLOSED_ORDER_STATES = ("done", "cancel")
OPEN_CAPA_STATES = ("open", "in_progress")


class AftersalesDefect(models.Model):
    """A defect found on the unit of a service order: what failed, why, who is
    responsible, and the corrective and preventive action (CAPA) it calls for.
    The register feeds the quality alerts, the supplier claims and the history
    of serials and products.

    The rule the service orders keep lives here too: a warranty order does not
    reach Ready or Done as repaired, replaced or refunded without a defect
    (``_check_service_orders``)."""

    _name = "aftersales.defect"
    _description = "Defect"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.rules.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _aftersales_action = "aftersales_service.aftersales_defect_action"
    _aftersales_action_fields = ("capa_state",)
    _aftersales_responsible_field = "capa_user_id"

    service_order_id = fields.Many2one(
        "aftersales.service.order",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        related="service_order_id.company_id", store=True, index=True, precompute=True
    )
    product_id = fields.Many2one(
        related="service_order_id.product_id", store=True, index=True, precompute=True
    )
    lot_id = fields.Many2one(
        related="service_order_id.lot_id",
        string="Serial Number",
        store=True,
        index="btree_not_null",
        precompute=True,
    )
    date = fields.Date(
        compute="_compute_date",
        store=True,
        index=True,
        precompute=True,
        help="The day the unit was received (the day the order was made for on-site work).",
    )
    defect_type_id = fields.Many2one(
        "aftersales.defect.type",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        tracking=True,
    )
    component_id = fields.Many2one(
        "product.product",
        string="Failed Component",
        index="btree_not_null",
        check_company=True,
        ondelete="restrict",
        tracking=True,
        help="The part that failed.",
    )
    cause_category = fields.Selection(
        CATEGORIES,
        compute="_compute_cause_category",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="The category of the cause; the defect type's, unless the technician finds another.",
    )
    responsibility = fields.Selection(
        [
            ("manufacturer", "Manufacturer"),
            ("supplier", "Supplier"),
            ("customer", "Customer"),
            ("carrier", "Carrier"),
            ("unknown", "Unknown"),
        ],
        required=True,
        default="unknown",
        tracking=True,
    )
    root_cause = fields.Text()
    corrective_action = fields.Text()
    preventive_action = fields.Text()
    capa_user_id = fields.Many2one(
        "res.users",
        string="CAPA Owner",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("aftersales_service.group_aftersales_user").id)
        ],
        help="Who carries out the corrective and preventive action.",
    )
    capa_deadline = fields.Date(string="CAPA Deadline", tracking=True)
    capa_state = fields.Selection(
        [
            ("open", "Open"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("verified", "Verified"),
        ],
        string="CAPA Status",
        default="open",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    is_capa_overdue = fields.Boolean(
        string="CAPA Overdue",
        compute="_compute_is_capa_overdue",
        search="_search_is_capa_overdue",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("service_order_id.name", "defect_type_id.code")
    def _compute_display_name(self):
        for defect in self:
            defect.display_name = " - ".join(
                part for part in (defect.service_order_id.name, defect.defect_type_id.code) if part
            ) or self.env._("Defect")

    @api.depends("service_order_id.date_received", "service_order_id.create_date")
    def _compute_date(self):
        for defect in self:
            order = defect.service_order_id
            moment = order.date_received or order.create_date
            defect.date = fields.Date.context_today(defect, moment or None)

    @api.depends("defect_type_id")
    def _compute_cause_category(self):
        for defect in self:
            defect.cause_category = defect.defect_type_id.category or defect.cause_category

    @api.depends("capa_deadline", "capa_state")
    def _compute_is_capa_overdue(self):
        today = fields.Date.context_today(self)
        for defect in self:
            defect.is_capa_overdue = bool(
                defect.capa_state in OPEN_CAPA_STATES
                and defect.capa_deadline
                and defect.capa_deadline < today
            )

    def _search_is_capa_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search overdue corrective actions with = True or = False."))
        overdue = [
            ("capa_state", "in", OPEN_CAPA_STATES),
            ("capa_deadline", "<", fields.Date.context_today(self)),
        ]
        return overdue if (operator == "=") == value else ["!", "&", *overdue]

    # ------------------------------------------------------------------
    # Constraints and CRUD
    # ------------------------------------------------------------------

    @api.constrains("component_id", "product_id")
    def _check_component(self):
        for defect in self:
            if defect.component_id and defect.component_id == defect.product_id:
                raise ValidationError(
                    self.env._(
                        "The failed component of %s is a part of the unit, not the unit itself.",
                        defect.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        """Defects are recorded on open service orders only; recording one
        closes the order's to-do "Record the defect"."""
        orders = self.env["aftersales.service.order"].browse(
            vals["service_order_id"] for vals in vals_list if vals.get("service_order_id")
        )
        closed = orders.filtered(lambda order: order.state in CLOSED_ORDER_STATES)
        if closed:
            raise UserError(
                self.env._(
                    "%s is closed (done or cancelled): record its defects before it is closed.",
                    ", ".join(closed.mapped("name")),
                )
            )
        defects = super().create(vals_list)
        self.env["mail.activity"].search(
            [
                ("res_model", "=", "aftersales.service.order"),
                ("res_id", "in", defects.service_order_id.ids),
                ("summary", "=", self._record_defect_summary()),
            ]
        ).action_feedback(feedback=self.env._("Defect recorded."))
        return defects

    def write(self, vals):
        """A defect stays on the service order it was found on."""
        if "service_order_id" in vals and any(
            defect.service_order_id.id != vals["service_order_id"] for defect in self
        ):
            raise UserError(
                self.env._(
                    "A defect stays on the service order it was found on: record a new one "
                    "on the other order instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_needed(self):
        """The defect that let a warranty order close stays while it is the only one."""
        orders = self.service_order_id.filtered(lambda order: order.state in ("ready", "done"))
        missing = self._orders_missing_defect(orders, without=self)
        if missing:
            raise UserError(
                self.env._(
                    "%s closed under warranty on this defect: it cannot be deleted while it is "
                    "the order's only one.",
                    ", ".join(missing.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # Actions: the corrective and preventive action (CAPA)
    # ------------------------------------------------------------------

    def action_capa_start(self):
        """Start the corrective action (it is then owned by whoever starts it,
        unless it has an owner)."""
        what = self.env._("start the corrective action")
        self._lock_for_action(what)
        self._check_capa_state(("open",), what)
        unowned = self.filtered(lambda defect: not defect.capa_user_id)
        unowned._write_from_action({"capa_state": "in_progress", "capa_user_id": self.env.uid})
        (self - unowned)._write_from_action({"capa_state": "in_progress"})
        return True

    def action_capa_done(self):
        """The corrective action is carried out: it waits for a manager's check."""
        what = self.env._("mark the corrective action done")
        self._lock_for_action(what)
        self._check_capa_state(("in_progress",), what)
        undescribed = self.filtered(lambda defect: not (defect.corrective_action or "").strip())
        if undescribed:
            raise UserError(
                self.env._(
                    "Describe the corrective action of %s before marking it done.",
                    ", ".join(undescribed.mapped("display_name")),
                )
            )
        self._write_from_action({"capa_state": "done"})
        return True

    def action_capa_verify(self):
        """Manager only: the corrective action is checked and works."""
        what = self.env._("verify a corrective action")
        self._check_manager(what)
        self._lock_for_action(what)
        self._check_capa_state(("done",), what)
        self._write_from_action({"capa_state": "verified"})
        return True

    def action_open_form(self):
        """Open the defect in its own form (root cause, CAPA, chatter)."""
        self.ensure_one()
        return form_action(self)

    def action_view_service_order(self):
        """The service order the defect was found on."""
        self.ensure_one()
        return form_action(self.service_order_id)

    # ------------------------------------------------------------------
    # The rule of the service orders
    # ------------------------------------------------------------------

    @api.model
    def _check_service_orders(self, orders, vals=None):
        """Refuse that ``orders`` take ``vals`` (the values an action writes on
        them; none: the orders as they are) when that closes a warranty order
        as repaired, replaced or refunded without a defect recorded.

        Every route goes through here, just before the order's action or hook
        writes its state or resolution (``_write_from_action`` of the service
        order), so a refusal leaves nothing done:

        - Set Ready (``action_set_ready``), ``action_replace`` and
          ``action_refund`` are refused with a UserError naming the orders
          (the replacement and the refund as soon as they set their
          resolution, before they move stock or make a credit note);
        - the end of an in-house repair (``repair.order.action_repair_done``)
          is refused before Odoo's repair flow consumes the parts;
        - a manager's coverage override to warranty on an order that is
          already ready or done as repaired, replaced or refunded is refused;
        - the return from an external workshop is validated by a warehouse
          user, who must never be blocked by after-sales paperwork: that
          transfer goes through ``_hold_orders_without_defect`` instead, and
          the order waits, with a to-do for its technician;
        - the hand-back after Ready cannot miss a defect: the defect that let
          the order be ready cannot be deleted while it is the only one.

        ``no_fault_found``, ``rejected`` and ``not_repairable`` need no defect,
        nor do paid and goodwill orders.

        :param orders: aftersales.service.order records
        :param dict vals: ``state``, ``resolution`` and/or ``coverage`` about to
            be written
        :return: True
        :raise UserError: naming the orders without the defect they need
        """
        missing = self._orders_missing_defect(orders, vals)
        if missing:
            raise UserError(
                self.env._(
                    "Record the defect found on %s first: a warranty order is closed as "
                    "repaired, replaced or refunded only with its defect in the register "
                    "(Defects tab).",
                    ", ".join(missing.mapped("name")),
                )
            )
        return True

    @api.model
    def _hold_orders_without_defect(self, orders, vals):
        """The orders of ``orders`` that may take ``vals`` now (see
        ``_check_service_orders``). The others stay in their state, unit back
        in Service, and their technician gets one to-do "Record the defect";
        recording it closes the to-do, and the technician then sets the order
        ready. This is how the validation of a workshop return by a warehouse
        user goes on without being refused.

        :return: the orders that may take ``vals``
        """
        missing = self._orders_missing_defect(orders, vals)
        missing._schedule_activity_once(
            self._record_defect_summary(),
            lambda order: self.env._(
                "The unit of %s is back: record the defect found, then set the order ready.",
                order.name,
            ),
        )
        return orders - missing

    @api.model
    def _orders_missing_defect(self, orders, vals=None, without=None):
        """The warranty orders of ``orders`` that ``vals`` (see
        ``_check_service_orders``) would close, or that are closed, as
        repaired, replaced or refunded, and that have no defect (other than
        the defects ``without``). One query for all of them."""
        vals = vals or {}

        def needs_defect(order):
            state = vals.get("state", order.state)
            closing = state in ("ready", "done") or "resolution" in vals
            return (
                closing
                and vals.get("coverage", order.coverage) == "warranty"
                and vals.get("resolution", order.resolution) in DEFECT_RESOLUTIONS
            )

        needing = orders.filtered(needs_defect)
        if not needing:
            return needing
        domain = [("service_order_id", "in", needing.ids)]
        if without:
            domain.append(("id", "not in", without.ids))
        recorded = {order.id for [order] in self.sudo()._read_group(domain, ["service_order_id"])}
        return needing.filtered(lambda order: order.id not in recorded)

    # ------------------------------------------------------------------
    # Jobs and helpers
    # ------------------------------------------------------------------

    @api.model
    def _cron_flag_overdue_capa(self):
        """Daily job: the owner of each corrective action past its deadline
        (open or in progress) gets one activity for it."""
        overdue = self._lock_batch([("is_capa_overdue", "=", True)])
        return overdue._schedule_activity_once(
            self.env._("Corrective action overdue"),
            lambda defect: self.env._(
                "The corrective action of %(defect)s was due on %(deadline)s.",
                defect=defect.display_name,
                deadline=defect.capa_deadline,
            ),
        )

    def _check_capa_state(self, states, what):
        """Refuse ``what`` to the defects whose CAPA is not in one of ``states``."""
        wrong = self.filtered(lambda defect: defect.capa_state not in states)
        if wrong:
            labels = dict(self._fields["capa_state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Cannot %(what)s of %(defects)s: the corrective action is %(state)s.",
                    what=what,
                    defects=", ".join(wrong.mapped("display_name")),
                    state=", ".join(labels[state] for state in set(wrong.mapped("capa_state"))),
                )
            )

    @api.model
    def _record_defect_summary(self):
        return self.env._("Record the defect")
