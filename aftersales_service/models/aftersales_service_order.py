from datetime import datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .arguments import to_choice, to_date, to_record, to_text
from .credit_notes import reverse_unit_invoice_line, unit_invoice_line
from .local_time import user_tz_name
from .window_actions import count_by, form_action, list_action, records_action, wizard_action

OPEN_STATES = ("draft", "confirmed", "received", "in_progress", "ready")
GOODS_REQUESTS = ("repair", "replacement", "refund")
# The customer's email when an order with goods reaches each state.
CUSTOMER_STEPS = {"received": "service_received", "ready": "service_ready", "done": "service_done"}
INTERNAL = "aftersales_service.group_aftersales_user"  # fields the portal never reads
# Where the customer's unit is once a transfer of that kind is done.
UNIT_LOCATION_AFTER = {
    "service_in": "service",
    "workshop_in": "service",
    "expertise_in": "service",
    "workshop_out": "workshop",
    "expertise_out": "workshop",
    "service_out": "customer",
    "replacement_out": "customer",
}
# A loan in these states means the customer got the loaner.
LOAN_LENT_STATES = ("lent", "returned")
LATE_COLOR = 1  # red, in Odoo's colour palette


class AftersalesServiceOrder(models.Model):
    _name = "aftersales.service.order"
    _description = "Service Order"
    _inherit = [
        "portal.mixin",
        "aftersales.service.customer.mixin",  # rating.mixin, before mail.thread
        "mail.thread",
        "mail.activity.mixin",
        "aftersales.document.mixin",
        "aftersales.rules.mixin",
        "aftersales.notify.mixin",
    ]
    _order = "priority desc, date_deadline asc, id desc"
    _aftersales_action = "aftersales_service.aftersales_service_order_action"
    _aftersales_sequence = "aftersales.service.order"
    _check_company_auto = True
    _aftersales_action_fields = (
        "state",
        "coverage",
        "coverage_overridden",
        "coverage_note",
        "resolution",
        "date_received",
        "date_done",
        "repair_id",
        "sale_order_id",
        "refund_move_id",
        "workshop_partner_id",
        "date_workshop_due",
        "cost_bearer",
        "warranty_law_applied",
        "warranty_days_added",
        "warranty_months_added",
    )

    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        check_company=True,
        default=lambda self: self._default_warehouse_id(),
    )
    priority = fields.Selection([("0", "Normal"), ("1", "Urgent")], default="0")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        check_company=True,
        tracking=True,
        compute="_compute_from_warranty",
        store=True,
        readonly=False,
        precompute=True,
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        index=True,
        check_company=True,
        tracking=True,
        domain="[('product_id', '=?', product_id)]",
    )
    product_id = fields.Many2one(
        "product.product",
        index=True,
        check_company=True,
        tracking=True,
        compute="_compute_product_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('type', '=', 'consu')]",
    )
    warranty_id = fields.Many2one(
        "aftersales.warranty",
        index=True,
        check_company=True,
        tracking=True,
        compute="_compute_warranty_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    claim_id = fields.Many2one(
        "aftersales.claim",
        string="Consumer Claim",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
        help="The consumer's claim this order carries out.",
    )
    request_type = fields.Selection(
        [
            ("repair", "Repair"),
            ("replacement", "Replacement"),
            ("refund", "Refund"),
            ("installation", "Installation"),
            ("maintenance", "Maintenance"),
        ],
        required=True,
        default="repair",
        tracking=True,
    )
    receive_goods = fields.Boolean(
        compute="_compute_receive_goods",
        store=True,
        readonly=False,
        precompute=True,
        help="The unit comes to the workshop. Untick for on-site work.",
    )
    coverage = fields.Selection(
        [("warranty", "Under Warranty"), ("paid", "Paid"), ("goodwill", "Goodwill")],
        compute="_compute_coverage",
        store=True,
        readonly=True,
        precompute=True,
        tracking=True,
        help="Decided from the warranty on the day the goods arrive; a manager may override it.",
    )
    coverage_overridden = fields.Boolean(
        readonly=True, copy=False, groups="aftersales_service.group_aftersales_user"
    )
    coverage_note = fields.Text(
        readonly=True, copy=False, groups="aftersales_service.group_aftersales_user"
    )
    description = fields.Text(string="Complaint")
    condition = fields.Text(string="Condition on Arrival")
    accessories = fields.Char(string="Accessories Handed Over")
    diagnosis = fields.Html()
    work_done = fields.Html()
    user_id = fields.Many2one(
        "res.users",
        string="Technician",
        index=True,
        tracking=True,
        check_company=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("aftersales_service.group_aftersales_user").id)
        ],
    )
    date_received = fields.Datetime(readonly=True, copy=False, tracking=True)
    date_deadline = fields.Date(
        string="Deadline",
        compute="_compute_date_deadline",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        copy=False,
    )
    date_done = fields.Datetime(readonly=True, copy=False)
    date_loaner_due = fields.Date(
        string="Loaner Due",
        compute="_compute_date_loaner_due",
        store=True,
        copy=False,
        help="The day by which the consumer law gives the customer a substitute unit: "
        "the warranty repair of durable goods, counted from the day the unit arrives.",
    )
    loaner_missing = fields.Boolean(
        compute="_compute_loaner_missing",
        help="A loaner is due to the customer and none is lent yet.",
    )
    warranty_law_applied = fields.Boolean(
        readonly=True,
        copy=False,
        help="The consumer law's extension of the warranty for this repair is applied.",
    )
    warranty_days_added = fields.Integer(
        string="Warranty Extended (days)",
        readonly=True,
        copy=False,
        help="Days in repair the consumer law added to the unit's warranty at the hand-back.",
    )
    warranty_months_added = fields.Integer(
        string="Guarantee after Repair (months)",
        readonly=True,
        copy=False,
        help="Months of guarantee the consumer law added to the unit's warranty for this repair.",
    )
    is_late = fields.Boolean(compute="_compute_is_late", search="_search_is_late")
    deadline_color = fields.Integer(
        compute="_compute_is_late", help="The workload calendar's colour: red when late."
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("confirmed", "Goods Expected"),
            ("received", "Received"),
            ("in_progress", "In Progress"),
            ("ready", "Ready"),
            ("done", "Done"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand="_expand_states",
    )
    resolution = fields.Selection(
        [
            ("repaired", "Repaired"),
            ("replaced", "Replaced"),
            ("refunded", "Refunded"),
            ("no_fault_found", "No Fault Found"),
            ("rejected", "Rejected"),
            ("not_repairable", "Not Repairable"),
        ],
        tracking=True,
        copy=False,
    )
    unit_location = fields.Selection(
        [
            ("customer", "At the Customer"),
            ("service", "In Service"),
            ("workshop", "At the Workshop"),
        ],
        compute="_compute_unit_location",
        help="Where the unit is, from the transfers done.",
    )
    workshop_partner_id = fields.Many2one(
        "res.partner", string="External Workshop", readonly=True, copy=False, tracking=True
    )
    date_workshop_due = fields.Date(
        string="Due Back from Workshop",
        readonly=True,
        copy=False,
        tracking=True,
        help="The day the unit sent to the workshop is due back: its service agreement's "
        "response days after it was sent.",
    )
    picking_ids = fields.One2many("stock.picking", "aftersales_service_order_id")
    picking_count = fields.Integer(compute="_compute_picking_count")
    return_picking_id = fields.Many2one(
        "stock.picking",
        string="Hand-Back Transfer",
        compute="_compute_return_picking_id",
        help="The delivery to the customer (hand-back or replacement) not done yet.",
    )
    open_order_warning = fields.Char(
        compute="_compute_open_order_warning",
        help="Other open service orders of the same serial.",
    )
    repair_id = fields.Many2one("repair.order", readonly=True, copy=False, check_company=True)
    sale_order_id = fields.Many2one(
        "sale.order", string="Quotation", readonly=True, copy=False, check_company=True
    )
    sale_state = fields.Selection(related="sale_order_id.state", string="Quotation Status")
    invoice_ids = fields.Many2many(
        "account.move", compute="_compute_invoice_ids", string="Invoices"
    )
    invoice_status = fields.Selection(related="sale_order_id.invoice_status")
    refund_move_id = fields.Many2one(
        "account.move", string="Credit Note", readonly=True, copy=False, check_company=True
    )
    loan_ids = fields.One2many("aftersales.loan", "service_order_id", string="Loans")
    defect_ids = fields.One2many(
        "aftersales.defect", "service_order_id", string="Defects", groups=INTERNAL
    )
    defect_count = fields.Integer(compute="_compute_defect_count", groups=INTERNAL)
    is_repeat = fields.Boolean(
        string="Repeat Repair",
        compute="_compute_is_repeat",
        store=True,
        help="Another service order of the same serial was received within the "
        "90 days before this one's receipt.",
    )
    supplier_claim_count = fields.Integer(compute="_compute_supplier_claim_count")
    loan_count = fields.Integer(compute="_compute_loan_count")
    part_request_ids = fields.One2many(
        "aftersales.part.request", "service_order_id", string="Part Requests", groups=INTERNAL
    )
    part_request_count = fields.Integer(compute="_compute_part_request_count", groups=INTERNAL)
    expertise_ids = fields.One2many(
        "aftersales.expertise", "service_order_id", string="Expertises", groups=INTERNAL
    )
    expertise_count = fields.Integer(compute="_compute_expertise_count", groups=INTERNAL)
    labour_hours = fields.Float(digits=(16, 2), groups=INTERNAL)
    currency_id = fields.Many2one(related="company_id.currency_id")
    cost_parts = fields.Monetary(
        compute="_compute_costs", store=True, string="Parts Cost", groups=INTERNAL
    )
    cost_labour = fields.Monetary(
        compute="_compute_costs", store=True, string="Labour Cost", groups=INTERNAL
    )
    cost_transport = fields.Monetary(string="Transport Cost", groups=INTERNAL)
    cost_total = fields.Monetary(
        compute="_compute_costs", store=True, string="Total Cost", groups=INTERNAL
    )
    labour_hours_norm = fields.Float(
        string="Norm Labour Hours",
        digits=(16, 2),
        compute="_compute_norm",
        store=True,
        groups=INTERNAL,
        help="The labour hours of the repair norm of the product and the defects found.",
    )
    cost_norm = fields.Monetary(
        compute="_compute_norm",
        store=True,
        string="Norm Cost",
        groups=INTERNAL,
        help="The norm's parts at their cost and its labour hours at the company's hourly "
        "labour cost. Follows the norm while the order is open.",
    )
    cost_variance = fields.Monetary(
        compute="_compute_results",
        store=True,
        string="Variance",
        groups=INTERNAL,
        help="The total cost less the norm cost: above the norm when positive.",
    )
    revenue = fields.Monetary(
        compute="_compute_revenue",
        store=True,
        groups=INTERNAL,
        help="The posted customer invoices of the order's quotation, untaxed, less its "
        "posted credit notes.",
    )
    margin = fields.Monetary(
        compute="_compute_results",
        store=True,
        groups=INTERNAL,
        help="The revenue less the total cost.",
    )
    cost_bearer = fields.Selection(
        [("company", "Company"), ("supplier", "Supplier"), ("customer", "Customer")],
        compute="_compute_cost_bearer",
        store=True,
        tracking=True,
        groups=INTERNAL,
        help="Follows the coverage; the supplier once a vendor accepts a claim for the unit.",
    )

    _sql_constraints = [
        ("labour_hours_positive", "CHECK(labour_hours >= 0)", "Labour hours cannot be negative."),
        (
            "cost_transport_positive",
            "CHECK(cost_transport >= 0)",
            "The transport cost cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _compute_access_url(self):
        for record in self:
            record.access_url = f"/my/service_orders/{record.id}"

    @api.depends("warranty_id")
    def _compute_from_warranty(self):
        for order in self:
            order.partner_id = order.warranty_id.partner_id or order.partner_id

    @api.depends("lot_id")
    def _compute_product_id(self):
        for order in self:
            order.product_id = order.lot_id.product_id or order.product_id

    @api.depends("lot_id")
    def _compute_warranty_id(self):
        current = self.env["aftersales.warranty"]._current_by_lot(self.lot_id)
        for order in self:
            if order.lot_id:
                order.warranty_id = current.get(order.lot_id.id, False)
            else:
                order.warranty_id = order.warranty_id

    @api.depends("request_type")
    def _compute_receive_goods(self):
        for order in self:
            order.receive_goods = order.request_type in GOODS_REQUESTS

    @api.depends("warranty_id.state", "lot_id", "product_id", "date_received")
    def _compute_coverage(self):
        for order in self:
            if order.coverage_overridden or order.state in ("done", "cancel"):
                order.coverage = order.coverage
                continue
            if not (order.warranty_id or order.lot_id or order.product_id):
                order.coverage = False
                continue
            day = (
                fields.Date.context_today(order, order.date_received)
                if order.date_received
                else fields.Date.context_today(order)
            )
            warranty = order.warranty_id
            covered = warranty and warranty._state_on(day) == "active"
            order.coverage = "warranty" if covered else "paid"

    @api.depends("date_received")
    def _compute_date_deadline(self):
        # From the company's service days on the day the unit arrives, never
        # more than the repair days of its consumer law: a later change of the
        # settings leaves the deadlines already set alone.
        for order in self:
            if order.date_received:
                order.date_deadline = fields.Date.context_today(
                    order, order.date_received
                ) + relativedelta(days=order._service_days())
            else:
                order.date_deadline = order.date_deadline

    @api.depends("date_received", "coverage", "request_type", "product_id")
    def _compute_date_loaner_due(self):
        # The consumer law's loaner days, for the warranty repair of durable
        # goods, counted from the day the unit arrives.
        for order in self:
            days = order.company_id.aftersales_legal_profile_id.loaner_days
            if (
                order.date_received
                and days > 0
                and order.coverage == "warranty"
                and order.request_type == "repair"
                and order.product_id.aftersales_loaner_entitled
            ):
                order.date_loaner_due = fields.Date.context_today(
                    order, order.date_received
                ) + relativedelta(days=days)
            else:
                order.date_loaner_due = False

    @api.depends("date_loaner_due", "state", "loan_ids.state")
    def _compute_loaner_missing(self):
        for order in self:
            order.loaner_missing = bool(
                order.date_loaner_due
                and order.state in OPEN_STATES
                and not order.loan_ids.filtered(lambda loan: loan.state in LOAN_LENT_STATES)
            )

    @api.depends("date_deadline", "state")
    def _compute_is_late(self):
        today = fields.Date.context_today(self)
        for order in self:
            order.is_late = bool(
                order.state in OPEN_STATES and order.date_deadline and order.date_deadline < today
            )
            order.deadline_color = LATE_COLOR if order.is_late else 0

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search late service orders with = True or = False."))
        late = [
            ("state", "in", OPEN_STATES),
            ("date_deadline", "<", fields.Date.context_today(self)),
        ]
        return late if (operator == "=") == value else ["!", "&", *late]

    @api.depends("picking_ids.state", "picking_ids.aftersales_transfer_kind")
    def _compute_unit_location(self):
        for order in self:
            done = order.picking_ids.filtered(lambda p: p.state == "done").sorted(
                lambda p: (p.date_done, p.id)
            )
            kind = done[-1:].aftersales_transfer_kind
            order.unit_location = UNIT_LOCATION_AFTER.get(kind, "customer")

    def _compute_picking_count(self):
        for order in self:
            order.picking_count = len(order.picking_ids)

    @api.depends("picking_ids.state", "picking_ids.aftersales_transfer_kind")
    def _compute_return_picking_id(self):
        for order in self:
            order.return_picking_id = order.picking_ids.filtered(
                lambda p: (
                    p.aftersales_transfer_kind in ("service_out", "replacement_out")
                    and p.state not in ("done", "cancel")
                )
            )[:1]

    @api.depends("lot_id", "state")
    def _compute_open_order_warning(self):
        others = self.search(
            [("lot_id", "in", self.lot_id.ids), ("state", "in", OPEN_STATES)]
        ).grouped("lot_id")
        for order in self:
            same = others.get(order.lot_id, self.browse()) - order._origin
            order.open_order_warning = (
                self.env._(
                    "Serial %(lot)s already has an open service order: %(orders)s",
                    lot=order.lot_id.name,
                    orders=", ".join(same.mapped("name")),
                )
                if same and order.state in OPEN_STATES
                else False
            )

    def _compute_expertise_count(self):
        counts = count_by(self.env["aftersales.expertise"], "service_order_id", self)
        for order in self:
            order.expertise_count = counts.get(order.id, 0)

    def _compute_supplier_claim_count(self):
        counts = self.env["aftersales.supplier.claim.line"]._read_group(
            [("service_order_id", "in", self.ids)],
            ["service_order_id"],
            ["claim_id:count_distinct"],
        )
        counts = {order.id: count for order, count in counts}
        for order in self:
            order.supplier_claim_count = counts.get(order.id, 0)

    def _compute_loan_count(self):
        counts = count_by(self.env["aftersales.loan"], "service_order_id", self)
        for order in self:
            order.loan_count = counts.get(order.id, 0)

    def _compute_part_request_count(self):
        counts = count_by(self.env["aftersales.part.request"], "service_order_id", self)
        for order in self:
            order.part_request_count = counts.get(order.id, 0)

    def _compute_defect_count(self):
        counts = count_by(self.env["aftersales.defect"], "service_order_id", self)
        for order in self:
            order.defect_count = counts.get(order.id, 0)

    @api.depends("lot_id", "date_received")
    def _compute_is_repeat(self):
        # The same serial, received (and not cancelled) within the 90 days
        # before this one's receipt, days counted in the user's time zone.
        received = self.filtered(lambda o: o.lot_id and o.date_received)
        earlier = {}
        if received:
            earlier = self.search(
                [
                    ("lot_id", "in", received.lot_id.ids),
                    ("date_received", "!=", False),
                    ("state", "!=", "cancel"),
                ]
            ).grouped("lot_id")
        for order in self:
            day = order.date_received and fields.Date.context_today(order, order.date_received)
            order.is_repeat = bool(day) and any(
                other.date_received < order.date_received
                and (day - fields.Date.context_today(order, other.date_received)).days <= 90
                for other in earlier.get(order.lot_id, ())
            )

    @api.depends("sale_order_id.invoice_ids")
    def _compute_invoice_ids(self):
        for order in self:
            order.invoice_ids = order.sale_order_id.invoice_ids | order.refund_move_id

    @api.depends(
        "repair_id.state",
        "repair_id.move_ids.state",
        "labour_hours",
        "cost_transport",
        "company_id.aftersales_labour_cost",
    )
    def _compute_costs(self):
        for order in self:
            order.cost_parts = sum(order._part_cost(move) for move in order._consumed_parts())
            order.cost_labour = order.labour_hours * order.company_id.aftersales_labour_cost
            order.cost_total = order.cost_parts + order.cost_labour + order.cost_transport

    @api.depends(
        "product_id",
        "defect_ids.defect_type_id",
        "company_id",
        "company_id.aftersales_labour_cost",
    )
    def _compute_norm(self):
        Norm = self.env["aftersales.part.norm"]
        for order in self:
            company = order.company_id
            rows = Norm._rows_for(order.product_id, order.defect_ids.defect_type_id, company)
            hours = sum(rows.mapped("labour_hours"))
            order.labour_hours_norm = hours
            order.cost_norm = hours * company.aftersales_labour_cost + sum(
                row.quantity * row.part_id.with_company(company).standard_price for row in rows
            )

    @api.depends(
        "sale_order_id.order_line.invoice_lines.parent_state",
        "sale_order_id.order_line.invoice_lines.balance",
    )
    def _compute_revenue(self):
        # The quotation's lines as invoiced and credited: the income, untaxed,
        # in the company's currency, of posted customer invoices and credit notes.
        for order in self:
            lines = order.sale_order_id.order_line.invoice_lines.filtered(
                lambda line: (
                    line.parent_state == "posted"
                    and line.move_id.move_type in ("out_invoice", "out_refund")
                )
            )
            order.revenue = -sum(lines.mapped("balance"))

    @api.depends("cost_total", "cost_norm", "revenue")
    def _compute_results(self):
        for order in self:
            order.cost_variance = order.cost_total - order.cost_norm
            order.margin = order.revenue - order.cost_total

    @api.depends("coverage")
    def _compute_cost_bearer(self):
        for order in self:
            if order.cost_bearer == "supplier":
                continue
            order.cost_bearer = "customer" if order.coverage == "paid" else "company"

    def _expand_states(self, states, domain):
        """Kanban columns: every open state, in the order of the flow, and done."""
        return [*OPEN_STATES, "done"]

    # ------------------------------------------------------------------
    # Constraints and CRUD
    # ------------------------------------------------------------------

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        for order in self:
            if order.lot_id and order.product_id and order.lot_id.product_id != order.product_id:
                raise ValidationError(
                    self.env._(
                        "Serial number %(lot)s belongs to %(lot_product)s, not to %(product)s.",
                        lot=order.lot_id.name,
                        lot_product=order.lot_id.product_id.display_name,
                        product=order.product_id.display_name,
                    )
                )

    @api.constrains("labour_hours", "cost_transport")
    def _check_amounts(self):
        for order in self:
            if order.labour_hours < 0 or order.cost_transport < 0:
                raise ValidationError(
                    self.env._(
                        "The labour hours and the transport cost of %s cannot be negative.",
                        order.name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        started = self.filtered(lambda o: o.state not in ("draft", "cancel"))
        if started:
            raise UserError(
                self.env._(
                    "Cancel these service orders instead of deleting them: %s",
                    ", ".join(started.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_confirm(self):
        """Confirm the orders: the goods are expected with a receipt from the
        customer into the Service location (owned by the customer); on-site
        orders go straight to work."""
        self._lock_for_action(self.env._("confirm"))
        self._check_state(("draft",), self.env._("confirm"))
        self._check_company()
        for order in self:
            order._check_ready_to_confirm()
        with_goods = self.filtered("receive_goods")
        self.env["stock.picking"]._aftersales_create_unit_transfers(
            [order._unit_transfer("service_in") for order in with_goods]
        )
        with_goods._write_from_action({"state": "confirmed"})
        (self - with_goods)._write_from_action({"state": "in_progress"})
        return True

    def action_start_repair(self):
        """Open an in-house repair order on the unit, in the Service location."""
        self.ensure_one()
        self._lock_for_action(self.env._("start a repair"))
        self._check_state(("received",), self.env._("start a repair"))
        if self.repair_id and self.repair_id.state != "cancel":
            raise UserError(self.env._("%s already has a repair order.", self.name))
        repair = self.env["repair.order"].create(self._prepare_repair_vals())
        self._write_from_action({"repair_id": repair.id, "state": "in_progress"})
        return form_action(repair)

    def action_send_to_workshop(self, partner):
        """Send the unit to the external workshop ``partner`` (a res.partner or
        its id), with its transfer note, and expect it back."""
        self.ensure_one()
        partner = to_record(self.env, "res.partner", partner, self.env._("The workshop"))
        self._lock_for_action(self.env._("send to a workshop"))
        self._check_state(("received", "in_progress"), self.env._("send to a workshop"))
        if self._open_pickings("workshop_out", "workshop_in"):
            raise UserError(self.env._("The unit of %s is already sent to a workshop.", self.name))
        self._check_unit_in_service()
        transfers = self.env["stock.picking"]._aftersales_create_unit_transfers(
            [
                self._unit_transfer("workshop_out", partner),
                self._unit_transfer("workshop_in", partner),
            ]
        )
        due = self.env["aftersales.service.agreement"]._workshop_due(
            partner,
            self.product_id,
            self.partner_id,
            self.company_id,
            fields.Date.context_today(self),
        )
        if due:
            transfers.move_ids.date_deadline = self._end_of_local_day(due)
        self._write_from_action(
            {
                "workshop_partner_id": partner.id,
                "state": "in_progress",
                "date_workshop_due": due or False,
            }
        )
        return True

    def action_create_quotation(self):
        """Quote the paid service to the customer: diagnosis, labour hours and
        the parts used in the repair, on one sale order."""
        self.ensure_one()
        self._lock_for_action(self.env._("quote"))
        self._check_state(OPEN_STATES[1:], self.env._("quote"))
        if self.coverage != "paid":
            raise UserError(
                self.env._(
                    "%(order)s is covered (%(coverage)s): it is not quoted.",
                    order=self.name,
                    coverage=self.coverage,
                )
            )
        if self.sale_order_id and self.sale_order_id.state != "cancel":
            raise UserError(self.env._("%s already has a quotation.", self.name))
        lines = self._prepare_quotation_lines()
        values = {"origin": self.name, "aftersales_service_order_id": self.id}
        if self.repair_id:
            self.repair_id.action_create_sale_order()
            order = self.repair_id.sale_order_id
            order.write({**values, "order_line": lines})
        else:
            order = self.env["sale.order"].create(
                {
                    **values,
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "warehouse_id": self.warehouse_id.id,
                    "order_line": lines,
                }
            )
        self._write_from_action({"sale_order_id": order.id})
        self._notify_customer("service_quotation")
        return form_action(order)

    def action_return_to_customer(self, allow_open_loan=False):
        """Deliver the unit back from Service to the customer. While a loaner
        lent with the order is still out, only a manager may, with
        ``allow_open_loan``."""
        self._lock_for_action(self.env._("return the unit"))
        self._check_state(("ready",), self.env._("return the unit"))
        open_loans = self.loan_ids.filtered(lambda loan: loan.state in ("draft", "lent"))
        if open_loans and not allow_open_loan:
            raise UserError(
                self.env._(
                    "The loaner of %(orders)s is still out (%(loans)s): get it back first, "
                    "or have a manager hand the unit back anyway.",
                    orders=", ".join(open_loans.service_order_id.mapped("name")),
                    loans=", ".join(open_loans.mapped("name")),
                )
            )
        if open_loans:
            self._check_manager(self.env._("hand a unit back while its loaner is out"))
        for order in self:
            if order._open_pickings("service_out", "replacement_out"):
                raise UserError(self.env._("%s is already being returned.", order.name))
            order._check_unit_in_service()
        self.env["stock.picking"]._aftersales_create_unit_transfers(
            [order._unit_transfer("service_out") for order in self]
        )
        return True

    def action_return_to_customer_anyway(self):
        """Manager: hand the unit back although its loaner is still out."""
        return self.action_return_to_customer(allow_open_loan=True)

    def action_lend(self, loaner, date_due=None, condition_out=None):
        """Lend ``loaner`` (an aftersales.loaner or its id) to the customer while
        the unit is in service; the delivery goes to the warehouse."""
        self.ensure_one()
        loaner = to_record(self.env, "aftersales.loaner", loaner, self.env._("The loaner"))
        date_due = to_date(self.env, date_due, self.env._("The due date"))
        condition_out = to_text(
            self.env, condition_out, self.env._("The condition"), required=False
        )
        self._check_state(OPEN_STATES[1:], self.env._("lend a loaner"))
        values = {
            "loaner_id": loaner.id,
            "partner_id": self.partner_id.id,
            "service_order_id": self.id,
            "company_id": self.company_id.id,
            "user_id": (self.user_id or self.env.user).id,
            "condition_out": condition_out or False,
        }
        if date_due:
            values["date_due"] = date_due
        loan = self.env["aftersales.loan"].create(values)
        loan.action_lend()
        return form_action(loan)

    def action_open_lend_wizard(self):
        """Open the screen that offers the available loaners."""
        self.ensure_one()
        return wizard_action(
            self.env,
            "aftersales.loan.lend",
            self.env._("Lend a Loaner"),
            {"default_service_order_id": self.id},
        )

    def action_view_loans(self):
        """The loans of this service order."""
        self.ensure_one()
        return list_action(self.env["aftersales.loan"], [("service_order_id", "=", self.id)])

    def action_view_defects(self):
        """The defects found on this service order."""
        self.ensure_one()
        return list_action(self.env["aftersales.defect"], [("service_order_id", "=", self.id)])

    def action_set_ready(self, resolution):
        """The work is over with ``resolution`` (no fault found, rejected, not
        repairable, repaired): the unit waits to be handed back."""
        resolutions = [
            pair
            for pair in self._fields["resolution"].selection
            if pair[0] not in ("replaced", "refunded")
        ]
        resolution = to_choice(self.env, resolution, resolutions, self.env._("The resolution"))
        self._lock_for_action(self.env._("mark ready"))
        self._check_state(("received", "in_progress"), self.env._("mark ready"))
        self._write_from_action({"state": "ready", "resolution": resolution})
        return True

    def action_replace(self, lot=None):
        """Replace the customer's unit: a new unit (serial ``lot``, else one the
        reservation picks) goes from stock to the customer with the rest of the
        original warranty; the faulty unit becomes the company's and stays in
        Service. Validating that delivery closes the order."""
        self.ensure_one()
        lot = to_record(
            self.env, "stock.lot", lot, self.env._("The replacement serial"), required=False
        )
        self._lock_for_action(self.env._("replace the unit"))
        self._check_state(("received", "in_progress"), self.env._("replace the unit"))
        self._check_unit_in_service()
        if lot and lot.product_id != self.product_id:
            raise UserError(
                self.env._(
                    "The replacement serial %(lot)s is not a %(product)s.",
                    lot=lot.name,
                    product=self.product_id.display_name,
                )
            )
        self._write_from_action({"resolution": "replaced"})
        self._take_unit_ownership()
        self.env["stock.picking"]._aftersales_create_unit_transfers(
            [self._unit_transfer("replacement_out", lot=lot)]
        )
        self._write_from_action({"state": "ready"})
        return True

    def action_refund(self):
        """Manager only: refund the customer with a credit note for the unit on
        its original invoice; the faulty unit becomes the company's and stays
        in Service. The credit note is left in draft for the accountants."""
        self.ensure_one()
        self._check_manager(self.env._("refund a customer"))
        self._lock_for_action(self.env._("refund"))
        self._check_state(("received", "in_progress"), self.env._("refund"))
        self._check_unit_in_service()
        invoice_line = unit_invoice_line(self.warranty_id)
        if not invoice_line:
            raise UserError(
                self.env._(
                    "%s has no posted invoice to refund: the unit's sale was not invoiced.",
                    self.name,
                )
            )
        credit_note = reverse_unit_invoice_line(
            invoice_line,
            self.name,
            self.env._(
                "Refund of %(serial)s (%(order)s)",
                serial=self.lot_id.name or self.product_id.display_name,
                order=self.name,
            ),
        )
        self._write_from_action({"resolution": "refunded"})
        self._take_unit_ownership()
        self._write_from_action(
            {
                "refund_move_id": credit_note.id,
                "state": "done",
                "date_done": fields.Datetime.now(),
            }
        )
        return form_action(credit_note)

    def action_no_fault_found(self):
        """No fault found: the unit goes back as it came."""
        return self.action_set_ready("no_fault_found")

    def action_not_repairable(self):
        """The unit cannot be repaired: it goes back to the customer."""
        return self.action_set_ready("not_repairable")

    def action_done_on_site(self):
        """Close on-site work (no goods received)."""
        self._lock_for_action(self.env._("close"))
        self._check_state(("in_progress",), self.env._("close"))
        if self.filtered("receive_goods"):
            raise UserError(self.env._("Return the unit to close an order with goods."))
        self._write_from_action({"state": "done", "date_done": fields.Datetime.now()})
        return True

    def action_cancel(self):
        """Cancel the orders and what they started that is not done: transfers,
        repair, quotation."""
        self._lock_for_action(self.env._("cancel"))
        self._check_state(OPEN_STATES, self.env._("cancel"))
        self.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")).action_cancel()
        repairs = self.repair_id.filtered(lambda r: r.state not in ("done", "cancel"))
        repairs.action_repair_cancel()
        quotes = self.sale_order_id.filtered(lambda s: s.state in ("draft", "sent"))
        quotes._action_cancel()
        self._write_from_action({"state": "cancel"})
        return True

    def action_assign_technician(self):
        """Give each order to the least loaded technician who repairs its
        product's category (``res.users._aftersales_pick_technicians``); an
        order that has a technician already is refused (clear it to reassign)."""
        self._lock_for_action(self.env._("assign a technician to"))
        self._check_state(OPEN_STATES, self.env._("assign a technician to"))
        assigned = self.filtered("user_id")
        if assigned:
            raise UserError(
                self.env._(
                    "%s already has a technician: clear it first to assign another one.",
                    ", ".join(f"{order.name} ({order.user_id.name})" for order in assigned),
                )
            )
        picks = self.env["res.users"]._aftersales_pick_technicians(self)
        for technician, orders in self.grouped(picks.get).items():
            orders.user_id = technician
        return True

    @api.model
    def action_open_workload(self):
        """The workload of the technicians (open orders, planned hours,
        deadlines): a technician's own by default, the whole team for a manager."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_service_order_action_workload"
        )
        manager = self.env.user.has_group("aftersales_service.group_aftersales_manager")
        action["context"] = {} if manager else {"search_default_my_orders": 1}
        return action

    def action_override_coverage(self, coverage, note):
        """Manager only: decide the coverage (warranty, paid, goodwill) with a note."""
        self._check_manager(self.env._("override the coverage"))
        coverage = to_choice(
            self.env, coverage, self._fields["coverage"].selection, self.env._("The coverage")
        )
        note = to_text(self.env, note, self.env._("The reason for the override"))
        self._lock_for_action(self.env._("override the coverage"))
        self._check_state(OPEN_STATES, self.env._("override the coverage"))
        self._write_from_action(
            {"coverage": coverage, "coverage_overridden": True, "coverage_note": note}
        )
        body = self.env._("Coverage set to %(coverage)s: %(note)s", coverage=coverage, note=note)
        self._message_log_batch(bodies=dict.fromkeys(self.ids, body))
        return True

    def action_open_coverage_wizard(self):
        """Open the screen where a manager overrides the coverage."""
        self.ensure_one()
        return wizard_action(
            self.env,
            "aftersales.service.order.coverage",
            self.env._("Override Coverage"),
            {"default_service_order_id": self.id},
        )

    def action_open_workshop_wizard(self):
        """Open the screen that asks which workshop the unit goes to."""
        self.ensure_one()
        return wizard_action(
            self.env,
            "aftersales.service.order.workshop",
            self.env._("Send to Workshop"),
            {"default_service_order_id": self.id},
        )

    def action_send_to_expertise(self, partner, question):
        """The customer disputes the finding: send the unit to the independent
        examiner ``partner`` (a res.partner or its id), asked ``question``
        (text). A new expertise, sent with its transfers; returns its form."""
        self.ensure_one()
        expertise = self.env["aftersales.expertise"]._create_sent(self, partner, question)
        return form_action(expertise)

    def action_open_expertise_wizard(self):
        """Open the screen that asks which examiner the unit goes to."""
        self.ensure_one()
        return wizard_action(
            self.env,
            "aftersales.expertise.send",
            self.env._("Send to Expertise"),
            {"default_service_order_id": self.id},
        )

    def action_view_expertises(self):
        """The independent expertises of this service order."""
        self.ensure_one()
        return list_action(self.env["aftersales.expertise"], [("service_order_id", "=", self.id)])

    def action_print_acceptance(self):
        """Print the acceptance act of the unit."""
        return self._report_action("aftersales_service.action_report_service_acceptance")

    @api.model
    def action_new(self, defaults):
        """A new service order form, prefilled with ``defaults`` (field: value)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Service Order"),
            "res_model": self._name,
            "views": [(False, "form")],
            "context": {f"default_{field}": value for field, value in defaults.items()},
        }

    def action_create_supplier_claims(self):
        """Open the screen proposing the supplier claims for these orders."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Claim from Suppliers"),
            "res_model": "aftersales.supplier.claim.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_service_order_ids": self.ids},
        }

    def action_request_parts(self):
        """Draw up the spare parts request of the order's repair, prefilled
        from the repair norm, and open it to be edited and requested. An order
        with a draft request opens that one instead of a second."""
        self.ensure_one()
        self._lock_for_action(self.env._("request parts for"))
        self._check_state(("received", "in_progress"), self.env._("request parts for"))
        repair = self.repair_id
        if not repair or repair.state in ("done", "cancel"):
            raise UserError(
                self.env._(
                    "Start the in-house repair of %s first: the parts go on its repair order.",
                    self.name,
                )
            )
        Request = self.env["aftersales.part.request"]
        request = Request.search(
            [("service_order_id", "=", self.id), ("state", "=", "draft")], limit=1
        )
        return form_action(request or Request._create_for_orders(self))

    def action_view_part_requests(self):
        """The spare parts requests of this service order."""
        self.ensure_one()
        return list_action(
            self.env["aftersales.part.request"], [("service_order_id", "=", self.id)]
        )

    def action_view_supplier_claims(self):
        """The supplier claims of this service order."""
        self.ensure_one()
        return list_action(
            self.env["aftersales.supplier.claim"], [("line_ids.service_order_id", "=", self.id)]
        )

    def action_view_pickings(self):
        """The transfers of this order."""
        self.ensure_one()
        return records_action(self.picking_ids, "stock.action_picking_tree_all")

    def action_view_repair(self):
        """The repair order of this service order."""
        self.ensure_one()
        return form_action(self.repair_id)

    def action_view_sale_order(self):
        """The quotation of this service order."""
        self.ensure_one()
        return form_action(self.sale_order_id)

    def action_view_invoices(self):
        """The invoices and credit notes of this service order."""
        self.ensure_one()
        return records_action(self.invoice_ids, "account.action_move_out_invoice_type")

    # ------------------------------------------------------------------
    # Business methods, called by the transfers and the repairs
    # ------------------------------------------------------------------

    def _on_picking_done(self, picking):
        """Move the order on when one of its transfers is validated."""
        self.ensure_one()
        kind = picking.aftersales_transfer_kind
        if kind == "service_in" and self.state == "confirmed":
            self._write_from_action({"state": "received", "date_received": picking.date_done})
        elif kind == "workshop_in" and self.state in ("received", "in_progress"):
            # The warehouse is never refused: an order without its defect waits.
            ready = {"state": "ready", "resolution": self.resolution or "repaired"}
            defects = self.env["aftersales.defect"]
            defects._hold_orders_without_defect(self, ready)._write_from_action(ready)
        elif kind in ("service_out", "replacement_out") and self.state == "ready":
            self._write_from_action({"state": "done", "date_done": picking.date_done})
            self._apply_warranty_law()

    def _on_repair_done(self):
        """The in-house repair is over: the unit is ready to be handed back."""
        self.filtered(lambda o: o.state == "in_progress")._write_from_action(
            {"state": "ready", "resolution": "repaired"}
        )

    def _write_from_action(self, vals):
        """Every action and hook that moves an order writes here: a warranty
        order is not closed as repaired, replaced or refunded without a defect
        (``aftersales.defect._check_service_orders``); the customer is emailed
        when the unit arrives, is ready and is handed back (``CUSTOMER_STEPS``)."""
        if {"state", "resolution", "coverage"} & vals.keys():
            self.env["aftersales.defect"]._check_service_orders(self, vals)
        moved = self.filtered(lambda order: order.state != vals.get("state"))
        result = super()._write_from_action(vals)
        if vals.get("state") in ("ready", "done"):
            self._flag_over_norm()
        step = CUSTOMER_STEPS.get(vals.get("state"))
        if step:
            # A refunded unit stays with the company: nothing is handed back.
            moved.filtered(
                lambda order: order.receive_goods and order.resolution != "refunded"
            )._notify_customer(step)
        return result

    def _flag_over_norm(self):
        """The work is over: an order whose total cost exceeds its norm cost by
        more than the company's tolerance gives the company's after-sales
        manager (else its technician) an activity, once."""
        over = self.sudo().filtered(
            lambda order: (
                order.cost_norm > 0
                and order.company_id.currency_id.compare_amounts(
                    order.cost_total,
                    order.cost_norm * (1 + order.company_id.aftersales_cost_tolerance / 100),
                )
                > 0
            )
        )
        return over._schedule_activity_once(
            self.env._("Repair cost over its norm"),
            lambda order: self.env._(
                "The repair cost %(actual)s against a norm of %(norm)s "
                "(%(variance)s over; the tolerance is %(tolerance)s %%).",
                actual=order.cost_total,
                norm=order.cost_norm,
                variance=order.cost_variance,
                tolerance=order.company_id.aftersales_cost_tolerance,
            ),
            responsible=lambda order: order.company_id.aftersales_manager_id,
        )

    def _apply_expertise_conclusion(self, expertise):
        """Apply what the independent ``expertise`` of the unit concluded: the
        coverage it establishes, kept as an override that cites it (the daily
        recompute leaves it), and so who pays. An order it puts under warranty
        loses its quotation not yet confirmed; the expertise cost the customer
        bears goes on the quotation, made when there is none (a locked sale
        order is refused)."""
        self.ensure_one()
        self._check_state(OPEN_STATES[1:], self.env._("apply an expertise conclusion to"))
        quotation = self.sudo().sale_order_id.filtered(lambda s: s.state != "cancel")
        billed = expertise._prepare_quotation_lines()
        if billed and quotation.locked:
            raise UserError(
                self.env._(
                    "%(quotation)s of %(order)s is locked: unlock it to add the expertise cost.",
                    quotation=quotation.name,
                    order=self.name,
                )
            )
        note = expertise._conclusion_text()
        coverage = expertise._concluded_coverage()
        if coverage:
            self._write_from_action(
                {"coverage": coverage, "coverage_overridden": True, "coverage_note": note}
            )
        if coverage and coverage != "paid":
            quotation.filtered(lambda s: s.state in ("draft", "sent"))._action_cancel()
        elif billed and quotation:
            quotation.write({"order_line": billed})
        elif billed:
            # Quoted for the order's people (a manager concludes), who see their own quotations.
            self.action_create_quotation()
            self.sudo().sale_order_id.user_id = self.user_id or self.create_uid
        self._message_log(body=note)
        return True

    def _apply_warranty_law(self):
        """A unit repaired under warranty is handed back: its warranty gains
        what the company's consumer law grants, the days from the receipt to
        the hand-back and the guarantee after a repair. Once per order, what
        was added is kept on the order."""
        for order in self:
            if (
                order.warranty_law_applied
                or order.coverage != "warranty"
                or order.resolution != "repaired"
                or not (order.warranty_id and order.date_received and order.date_done)
            ):
                continue
            profile = order.company_id.aftersales_legal_profile_id
            days = 0
            if profile.extend_by_repair_days:
                days = max(
                    (
                        fields.Date.context_today(order, order.date_done)
                        - fields.Date.context_today(order, order.date_received)
                    ).days,
                    0,
                )
            months = profile.post_repair_warranty_months
            order.warranty_id._extend_for_repair(days, months, order)
            order._write_from_action(
                {
                    "warranty_law_applied": True,
                    "warranty_days_added": days,
                    "warranty_months_added": months,
                }
            )

    @api.model
    def _cron_flag_late(self):
        """Daily job: give the technician of each late order an activity, once,
        and of each order whose loaner the law says is overdue."""
        late = self._lock_batch([("is_late", "=", True)])
        flagged = late._schedule_activity_once(
            self.env._("Service deadline passed"),
            lambda order: self.env._("The deadline was %s.", order.date_deadline),
        )
        no_loaner = self._lock_batch(
            [
                ("state", "in", OPEN_STATES),
                ("date_loaner_due", "<", fields.Date.context_today(self)),
                ("loan_ids", "not any", [("state", "in", LOAN_LENT_STATES)]),
            ]
        )
        return flagged | no_loaner._schedule_activity_once(
            self.env._("Loaner due to the customer"),
            lambda order: self.env._(
                "The consumer law gives the customer a substitute unit during the "
                "warranty repair: it was due by %s and none is lent yet.",
                order.date_loaner_due,
            ),
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _end_of_local_day(self, day):
        """The last second of ``day`` in the user's time zone, as the UTC
        datetime Odoo stores (a deadline that shows on its day everywhere)."""
        tz = pytz.timezone(user_tz_name(self.env))
        end = tz.localize(datetime.combine(day, time(23, 59, 59)))
        return end.astimezone(pytz.utc).replace(tzinfo=None)

    def _service_days(self):
        """Days from the receipt to the service deadline: the company's, never
        more than the repair days of its consumer law."""
        self.ensure_one()
        company = self.company_id
        days = company.aftersales_service_days
        repair_days = company.aftersales_legal_profile_id.repair_days
        return min(days, repair_days) if repair_days > 0 else days

    def _part_cost(self, move):
        """What the spare part consumed by the repair ``move`` cost: its stock
        valuation, else its standard price."""
        return (
            abs(sum(move.sudo().stock_valuation_layer_ids.mapped("value")))
            or move.product_id.standard_price * move.product_qty
        )

    def _consumed_parts(self):
        """The spare parts the order's repair consumed (its done part lines)."""
        self.ensure_one()
        return self.repair_id.move_ids.filtered(
            lambda m: m.state == "done" and m.repair_line_type == "add"
        )

    def _work_summary(self):
        """What the completion act lists: the parts consumed and the labour
        hours with their amounts, the total and who pays. The customer who pays
        sees the amounts of the quotation; otherwise the amounts are what the
        work costs, borne by the company or the supplier.

        :return: {"lines": [{"name", "quantity", "uom", "amount"}], "total",
                  "charged" (True when the amounts are the customer's prices),
                  "bearer" (the label of who pays)}"""
        self.ensure_one()
        order = self.sudo()
        quotation = order.sale_order_id.filtered(lambda s: s.state != "cancel")
        charged = order.cost_bearer == "customer" and bool(quotation)
        labour_uom = self.env.ref("uom.product_uom_hour")
        lines = []
        if charged:
            for line in quotation.order_line.filtered(lambda line: not line.display_type):
                lines.append(
                    {
                        "name": line.product_id.display_name or line.name,
                        "quantity": line.product_uom_qty,
                        "uom": line.product_uom.name,
                        "amount": line.price_subtotal,
                    }
                )
        else:
            for move in order._consumed_parts():
                lines.append(
                    {
                        "name": move.product_id.display_name,
                        "quantity": move.quantity,
                        "uom": move.product_uom.name,
                        "amount": order._part_cost(move),
                    }
                )
            if order.labour_hours:
                lines.append(
                    {
                        "name": self.env._("Labour"),
                        "quantity": order.labour_hours,
                        "uom": labour_uom.name,
                        "amount": order.cost_labour,
                    }
                )
            if order.cost_transport:
                lines.append(
                    {
                        "name": self.env._("Transport"),
                        "quantity": 1.0,
                        "uom": "",
                        "amount": order.cost_transport,
                    }
                )
        bearers = dict(self._fields["cost_bearer"]._description_selection(self.env))
        return {
            "lines": lines,
            "total": quotation.amount_untaxed if charged else order.cost_total,
            "charged": charged,
            "bearer": bearers.get(order.cost_bearer, ""),
        }

    def _check_ready_to_confirm(self):
        self.ensure_one()
        if not self.partner_id:
            raise UserError(self.env._("Set the customer of %s before confirming.", self.name))
        if self.receive_goods and not self.product_id:
            raise UserError(self.env._("Set the product of %s before confirming.", self.name))
        if self.receive_goods and self.product_id.tracking == "serial" and not self.lot_id:
            raise UserError(
                self.env._(
                    "%(product)s is tracked by serial number: set the serial of %(order)s.",
                    product=self.product_id.display_name,
                    order=self.name,
                )
            )

    def _check_unit_in_service(self):
        self.ensure_one()
        if self.receive_goods and self.unit_location != "service":
            raise UserError(self.env._("The unit of %s is not in the Service location.", self.name))

    def _take_unit_ownership(self):
        """The customer's unit in Service becomes the company's: it leaves the
        customer's ownership and enters company stock, both as inventory moves."""
        self.ensure_one()
        if not self.receive_goods:
            return
        service = self.warehouse_id.aftersales_service_loc_id
        loss = self.product_id.with_company(self.company_id).property_stock_inventory
        moves = (
            self.env["stock.move"]
            .sudo()
            .create(
                [
                    {
                        "name": self.env._("%s: unit taken over from the customer", self.name),
                        "product_id": self.product_id.id,
                        "product_uom": self.product_id.uom_id.id,
                        "product_uom_qty": 1.0,
                        "location_id": src.id,
                        "location_dest_id": dest.id,
                        "company_id": self.company_id.id,
                        "origin": self.name,
                        "is_inventory": True,
                        "picked": True,
                        "move_line_ids": [
                            Command.create(
                                {
                                    "product_id": self.product_id.id,
                                    "product_uom_id": self.product_id.uom_id.id,
                                    "lot_id": self.lot_id.id,
                                    "quantity": 1.0,
                                    "owner_id": owner.id,
                                    "location_id": src.id,
                                    "location_dest_id": dest.id,
                                    "company_id": self.company_id.id,
                                }
                            )
                        ],
                    }
                    for src, dest, owner in (
                        (service, loss, self.partner_id),
                        (loss, service, self.env["res.partner"]),
                    )
                ]
            )
        )
        moves._action_done()

    def _open_pickings(self, *kinds):
        """The order's transfers of ``kinds`` that are neither done nor cancelled."""
        return self.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel") and p.aftersales_transfer_kind in kinds
        )

    def _unit_transfer(self, kind, partner=None, lot=None):
        """The transfer of ``kind`` (``service_in``, ``service_out``,
        ``workshop_out``, ``workshop_in``, ``replacement_out``: a new unit, serial
        ``lot`` or reserved, from stock to the customer) of the order's unit."""
        self.ensure_one()
        owned = kind != "replacement_out" and self._unit_owned_by_customer()
        return self.env["stock.picking"]._prepare_unit_transfer(
            kind,
            self.warehouse_id,
            self.product_id,
            partner or self.partner_id,
            lot=lot if kind == "replacement_out" else self.lot_id,
            owner=self.partner_id if owned else None,
            origin=self.name,
            links={"aftersales_service_order_id": self.id},
        )

    def _unit_owned_by_customer(self):
        """Whether the unit in service still belongs to the customer."""
        self.ensure_one()
        return self.resolution not in ("replaced", "refunded")

    def _prepare_repair_vals(self):
        self.ensure_one()
        warehouse = self.warehouse_id
        service = warehouse.aftersales_service_loc_id
        return {
            "product_id": self.product_id.id,
            "lot_id": self.lot_id.id,
            "partner_id": self.partner_id.id,
            "user_id": self.user_id.id,
            "company_id": self.company_id.id,
            "picking_type_id": warehouse.repair_type_id.id,
            "product_location_src_id": service.id,
            "product_location_dest_id": service.id,
            "under_warranty": self.coverage in ("warranty", "goodwill"),
            "internal_notes": self.diagnosis,
            "repair_request": self.description,
            "aftersales_service_order_id": self.id,
        }

    def _prepare_quotation_lines(self):
        """Diagnosis and labour lines of the quotation (the parts come from the
        repair order, through Odoo's own repair quotation; the labour is the
        hours worked, or the norm's hours when none are recorded yet)."""
        self.ensure_one()
        company = self.company_id
        diagnosis = company.aftersales_diagnosis_product_id or self.env.ref(
            "aftersales_service.product_service_diagnosis", raise_if_not_found=False
        )
        labour = company.aftersales_labour_product_id or self.env.ref(
            "aftersales_service.product_service_labour", raise_if_not_found=False
        )
        if not diagnosis or not labour:
            raise UserError(
                self.env._(
                    "Set the diagnosis and labour products in After-Sales settings to quote %s.",
                    self.name,
                )
            )
        lines = [Command.create({"product_id": diagnosis.id, "product_uom_qty": 1.0})]
        # The hours worked, else (quoted before the work) the norm's hours.
        hours = self.labour_hours or self.labour_hours_norm
        if hours:
            lines.append(Command.create({"product_id": labour.id, "product_uom_qty": hours}))
        return lines + self.expertise_ids._prepare_quotation_lines()
