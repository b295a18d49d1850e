from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from .window_actions import form_action, records_action

# A repair that takes no more parts.
CLOSED_REPAIR_STATES = ("done", "cancel")


class AftersalesPartRequest(models.Model):
    """The spare parts a service order's repair needs: drawn up from the
    repair norm, edited by the technician, then requested. Requesting puts the
    parts on the ``repair.order`` as its own part lines and has Odoo procure
    what the stock lacks (the part's routes decide: Buy makes a request for
    quotation to its vendor; reordering rules and MTO routes replenish on their
    own). The parts that arrive are reserved for the repair, and consumed when
    the repair ends, through Odoo's own repair flow."""

    _name = "aftersales.part.request"
    _description = "Spare Parts Request"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "aftersales.document.mixin",
        "aftersales.rules.mixin",
    ]
    _aftersales_action = "aftersales_service.aftersales_part_request_action"
    _aftersales_sequence = "aftersales.part.request"
    _order = "id desc"
    _check_company_auto = True
    _aftersales_action_fields = ("state", "cancelled", "date_requested", "repair_id")

    service_order_id = fields.Many2one(
        "aftersales.service.order",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        readonly=True,
    )
    repair_id = fields.Many2one(
        "repair.order",
        readonly=True,
        check_company=True,
        help="The repair order the parts go on.",
    )
    warehouse_id = fields.Many2one(
        related="service_order_id.warehouse_id", string="Workshop", store=True, index=True
    )
    product_id = fields.Many2one(related="service_order_id.product_id", string="Repaired Product")
    user_id = fields.Many2one(
        "res.users",
        string="Requested By",
        default=lambda self: self.env.user,
        tracking=True,
        check_company=True,
    )
    date_requested = fields.Datetime(readonly=True, copy=False, tracking=True)
    cancelled = fields.Boolean(readonly=True, copy=False)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("requested", "Requested"),
            ("ordered", "Ordered"),
            ("received", "Received"),
            ("consumed", "Consumed"),
            ("cancel", "Cancelled"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
        tracking=True,
        help="Requested: the parts are on the repair. Ordered: Odoo is buying what "
        "the stock lacked. Received: every part is reserved for the repair. "
        "Consumed: the repair ended and used them.",
    )
    line_ids = fields.One2many("aftersales.part.request.line", "request_id", string="Parts")
    note = fields.Text()
    purchase_order_ids = fields.Many2many(
        "purchase.order",
        compute="_compute_purchase_order_ids",
        compute_sudo=True,
        groups="purchase.group_purchase_user",
    )
    purchase_count = fields.Integer(compute="_compute_purchase_count", compute_sudo=True)

    @api.depends("cancelled", "date_requested", "line_ids.move_ids.state", "line_ids.qty_procured")
    def _compute_state(self):
        for request in self:
            moves = request.line_ids.move_ids.filtered(lambda move: move.state != "cancel")
            if request.cancelled:
                request.state = "cancel"
            elif not request.date_requested:
                request.state = "draft"
            elif moves and all(move.state == "done" for move in moves):
                request.state = "consumed"
            elif moves and all(move.state in ("assigned", "done") for move in moves):
                request.state = "received"
            elif any(request.line_ids.mapped("qty_procured")):
                request.state = "ordered"
            else:
                request.state = "requested"

    def _purchases(self):
        """The purchase orders buying the parts these requests lack: the requests
        for quotation the procurements made, and the orders whose receipts feed
        the repair."""
        moves = self.sudo().line_ids.move_ids
        lines = moves.created_purchase_line_ids | moves.move_orig_ids.purchase_line_id
        return lines.order_id

    def _compute_purchase_order_ids(self):
        for request in self:
            request.purchase_order_ids = request._purchases()

    def _compute_purchase_count(self):
        for request in self:
            request.purchase_count = len(request._purchases())

    @api.ondelete(at_uninstall=False)
    def _unlink_except_requested(self):
        if self.filtered("date_requested"):
            raise UserError(
                self.env._("A requested parts request cannot be deleted: cancel it instead.")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_request(self):
        """Request the parts: each line goes on the repair order as a part line
        (``repair_line_type`` add); what the stock of the repair's location does
        not cover (its forecast, net of what the same request already takes) is
        procured by Odoo (``procurement.group.run``), the part's own routes
        deciding, unless a reordering rule or an MTO route replenishes it on
        its own. Once per request; when Odoo cannot procure a part, nothing is
        done and its error says why."""
        what = self.env._("request the parts")
        self._lock_for_action(what)
        self._check_state(("draft",), what)
        for request in self:
            request._check_requestable()
        with self.env.cr.savepoint():
            for request in self:
                request._request_parts()
        return True

    def action_cancel(self):
        """Cancel the requests: their part lines not yet consumed leave the
        repair (the purchases already made stay for the buyer to decide)."""
        what = self.env._("cancel")
        self._lock_for_action(what)
        self._check_state(("draft", "requested", "ordered", "received"), what)
        moves = self.line_ids.move_ids.filtered(lambda move: move.state not in ("done", "cancel"))
        moves._action_cancel()
        self._write_from_action({"cancelled": True})
        for request in self:
            purchases = request._purchases()
            if purchases:
                request.message_post(
                    body=self.env._(
                        "Request cancelled; the purchases %s that were made for it are left "
                        "as they are.",
                        ", ".join(purchases.mapped("name")),
                    )
                )
        return True

    def action_view_purchases(self):
        """The purchases buying the parts of this request."""
        self.ensure_one()
        return records_action(self._purchases(), "purchase.purchase_rfq")

    def action_view_repair(self):
        """The repair order the parts go on."""
        self.ensure_one()
        return form_action(self.repair_id)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _check_draft_lines(self):
        """Refuse to change the parts of requests already requested."""
        requested = self.filtered("date_requested")
        if requested:
            raise UserError(
                self.env._(
                    "The parts of %s are requested already: cancel the request and draw "
                    "up a new one to change them.",
                    ", ".join(requested.mapped("name")),
                )
            )

    @api.model
    def _create_for_orders(self, orders):
        """One draft request per service order of ``orders``, its lines the
        parts of the order's repair norm (quantities of the same part summed)
        that its repair does not have yet."""
        Norm = self.env["aftersales.part.norm"]
        vals_list = []
        for order in orders:
            quantities = defaultdict(float)
            defect_types = order.defect_ids.defect_type_id
            rows = Norm._rows_for(order.product_id, defect_types, order.company_id)
            for row in rows:
                quantities[row.part_id.id] += row.quantity
            # What the repair has already (requested before, or added by hand).
            for move in order.repair_id.move_ids:
                if move.repair_line_type == "add" and move.state != "cancel":
                    quantities[move.product_id.id] -= move.product_uom_qty
            quantities = {part: qty for part, qty in quantities.items() if qty > 0}
            vals_list.append(
                {
                    "service_order_id": order.id,
                    "company_id": order.company_id.id,
                    "line_ids": [
                        (0, 0, {"part_id": part_id, "quantity": quantity})
                        for part_id, quantity in quantities.items()
                    ],
                }
            )
        return self.create(vals_list)

    def _check_requestable(self):
        """Refuse to request parts without lines or without an open repair."""
        self.ensure_one()
        if not self.line_ids:
            raise UserError(self.env._("%s has no parts to request.", self.name))
        repair = self.service_order_id.repair_id
        quotation = repair.sale_order_id
        if quotation.state == "sale":
            raise UserError(
                self.env._(
                    "The customer accepted the quotation %(quotation)s of %(order)s already: "
                    "parts added to its repair now would change what they signed. Quote "
                    "the extra parts to the customer on a new quotation instead.",
                    quotation=quotation.name,
                    order=self.service_order_id.name,
                )
            )
        if not repair or repair.state in CLOSED_REPAIR_STATES:
            raise UserError(
                self.env._(
                    "The repair of %(order)s is not open: the parts of %(request)s have "
                    "nowhere to go.",
                    order=self.service_order_id.name,
                    request=self.name,
                )
            )

    def _request_parts(self):
        """Put the lines on the repair and procure the shortages (see
        ``action_request``)."""
        self.ensure_one()
        repair = self.service_order_id.repair_id
        free = self._free_forecast(self.line_ids.part_id, repair.location_id)
        plans = []
        for line in self.line_ids:
            taken = min(line.quantity, free[line.part_id])
            free[line.part_id] -= taken
            plans.append((line, taken, line.quantity - taken))
        Move = self.env["stock.move"]
        Move.create([line._repair_move_vals(repair, qty) for line, qty, _m in plans if qty])
        short = Move.create([line._repair_move_vals(repair, qty) for line, _t, qty in plans if qty])
        buy = short.filtered(lambda move: move.aftersales_part_line_id._procured_by_us(move))
        self.env["procurement.group"].run([self._procurement(move) for move in buy])
        for move in buy:
            line = move.aftersales_part_line_id
            line._write_from_action({"qty_procured": line.qty_procured + move.product_uom_qty})
        for line, __, missing in plans:
            if not missing:
                line._write_from_action({"replenishment": "stock"})
        (repair.move_ids & self.line_ids.move_ids).filtered(
            lambda move: move.state in ("confirmed", "partially_available")
        )._action_assign()
        self._write_from_action({"date_requested": fields.Datetime.now(), "repair_id": repair.id})

    def _free_forecast(self, parts, location):
        """{part: what the forecast of ``location`` still leaves free of it}:
        Odoo's forecast, less the part lines of the repairs not yet confirmed
        (which the forecast does not count yet), never below zero."""
        drafts = self.env["stock.move"]._read_group(
            [
                ("state", "=", "draft"),
                ("repair_id", "!=", False),
                ("repair_line_type", "=", "add"),
                ("product_id", "in", parts.ids),
                ("location_id", "child_of", location.id),
            ],
            ["product_id"],
            ["product_qty:sum"],
        )
        promised = dict(drafts)
        parts = parts.with_company(self.company_id).with_context(location=location.id)
        return {part: max(0.0, part.virtual_available - promised.get(part, 0.0)) for part in parts}

    def _procurement(self, move):
        """Odoo's procurement of the repair part line ``move``, which the stock
        lacks: its goods are reserved for it when they arrive. No procurement
        group, so that the requests of many orders share one request for
        quotation per vendor."""
        values = dict(move._prepare_procurement_values(), move_dest_ids=move, group_id=False)
        return self.env["procurement.group"].Procurement(
            move.product_id,
            move.product_uom_qty,
            move.product_uom,
            move.location_id,
            self.name,
            self.name,
            move.company_id,
            values,
        )
