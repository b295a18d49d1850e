from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html_sanitize

from .arguments import to_date, to_number, to_text
from .window_actions import count_by, list_action, wizard_action

MAX_WARRANTY_MONTHS = 1200  # a hundred years: beyond it a date is a typing error
# Marks the create of the warranties a done delivery registers: it has just
# ended their serials' previous warranties (no second search for them), and
# takes every relation from one done move, whose companies Odoo has checked.
# A Python object, so no RPC context can carry it.
_FROM_DELIVERY = object()


class AftersalesWarranty(models.Model):
    _name = "aftersales.warranty"
    _description = "Warranty"
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "aftersales.document.mixin",
        "aftersales.rules.mixin",
    ]
    _order = "date_start desc, id desc"
    _aftersales_action = "aftersales_service.aftersales_warranty_action"
    _aftersales_sequence = "aftersales.warranty"
    _check_company_auto = True
    _aftersales_action_fields = (
        "state",
        "void_reason",
        "void_date",
        "void_user_id",
        "extension_months",
        "repair_extension_days",
        "reminder_sent",
        "date_end",
    )

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        tracking=True,
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        index=True,
        check_company=True,
        ondelete="restrict",
        domain="[('product_id', '=', product_id)]",
        tracking=True,
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", tracking=True)
    sale_order_id = fields.Many2one(
        "sale.order", index=True, check_company=True, ondelete="set null"
    )
    sale_line_id = fields.Many2one(
        "sale.order.line", index=True, check_company=True, ondelete="set null"
    )
    move_id = fields.Many2one(
        "stock.move",
        string="Delivery Move",
        index=True,
        check_company=True,
        ondelete="set null",
        readonly=True,
    )
    date_start = fields.Date(
        string="Start Date", required=True, default=fields.Date.context_today, tracking=True
    )
    months = fields.Integer(
        string="Warranty (months)",
        required=True,
        tracking=True,
        help="The product's warranty terms when the unit was delivered.",
    )
    extension_months = fields.Integer(
        string="Extension (months)",
        readonly=True,
        tracking=True,
        default=0,
        copy=False,
        help="Months added by extended-warranty products, manual extensions and the "
        "guarantee the consumer law grants after a repair.",
    )
    repair_extension_days = fields.Integer(
        string="Extension by Repairs (days)",
        readonly=True,
        tracking=True,
        default=0,
        copy=False,
        help="Days the unit spent in warranty repair, added to the warranty where the "
        "consumer law extends it by them.",
    )
    date_end = fields.Date(
        string="End Date",
        compute="_compute_date_end",
        store=True,
        precompute=True,  # in the INSERT, not in an UPDATE after it
        # Not readonly, so that a delivery can give it (computed on new records
        # otherwise); plain writes are refused (_aftersales_action_fields).
        readonly=False,
        index=True,
        tracking=True,
        help="Last day the unit is covered.",
    )
    terms = fields.Html(
        string="Warranty Terms",
        # Sanitized by create and write (``_sanitized_terms``), except the terms
        # a delivery copies from its product, sanitized there already: the
        # field's own sanitizer would run twice for each serial delivered.
        sanitize=False,
        help="The product's terms when the unit was delivered, printed on the certificate.",
    )
    state = fields.Selection(
        [("active", "Active"), ("expired", "Expired"), ("void", "Void")],
        default="active",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    void_reason = fields.Text(readonly=True, copy=False)
    void_date = fields.Date(readonly=True, copy=False)
    void_user_id = fields.Many2one("res.users", string="Voided By", readonly=True, copy=False)
    service_order_ids = fields.One2many("aftersales.service.order", "warranty_id")
    service_order_count = fields.Integer(compute="_compute_service_order_count")
    reminder_sent = fields.Boolean(
        readonly=True,
        copy=False,
        help="The customer has been reminded of the coming expiry.",
    )

    _sql_constraints = [
        # The partial unique index of init(); named here for its message.
        ("lot_active_uniq", "", "This serial number already has an active warranty."),
        ("months_positive", "CHECK(months >= 0)", "Warranty months cannot be negative."),
        (
            "extension_months_positive",
            "CHECK(extension_months >= 0)",
            "Warranty extension months cannot be negative.",
        ),
        (
            "repair_extension_days_positive",
            "CHECK(repair_extension_days >= 0)",
            "The extension of a warranty by repair days cannot be negative.",
        ),
        ("quantity_positive", "CHECK(quantity > 0)", "A warranty covers a positive quantity."),
    ]

    def init(self):
        # One warranty in force per serial: a unit sold again gets a new one
        # only once the previous one is void or expired.
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS aftersales_warranty_lot_active_uniq
            ON aftersales_warranty (lot_id) WHERE state = 'active' AND lot_id IS NOT NULL
        """)

    def _compute_access_url(self):
        for record in self:
            record.access_url = f"/my/warranties/{record.id}"

    @api.depends("date_start", "months", "extension_months", "repair_extension_days")
    def _compute_date_end(self):
        for warranty in self:
            warranty.date_end = warranty._date_end_of(
                warranty.date_start,
                warranty.months + warranty.extension_months,
                warranty.repair_extension_days,
            )

    @api.model
    def _date_end_of(self, date_start, months, repair_extension_days=0):
        """The last day covered by ``months`` (extensions included) and the
        repair days from ``date_start`` on; False without a start."""
        if not date_start:
            return False
        return date_start + relativedelta(months=months, days=repair_extension_days - 1)

    @api.depends("service_order_ids")
    def _compute_service_order_count(self):
        counts = count_by(self.env["aftersales.service.order"], "warranty_id", self)
        for warranty in self:
            warranty.service_order_count = counts.get(warranty.id, 0)

    @api.constrains("months", "extension_months", "quantity")
    def _check_values(self):
        for warranty in self:
            if warranty.months < 0 or warranty.extension_months < 0:
                raise ValidationError(
                    self.env._("The warranty months of %s cannot be negative.", warranty.name)
                )
            if warranty.months + warranty.extension_months > MAX_WARRANTY_MONTHS:
                raise ValidationError(
                    self.env._(
                        "Warranty %(name)s cannot last more than %(max)s months.",
                        name=warranty.name,
                        max=MAX_WARRANTY_MONTHS,
                    )
                )
            if warranty.quantity <= 0:
                raise ValidationError(
                    self.env._("Warranty %s must cover a positive quantity.", warranty.name)
                )

    @api.constrains("lot_id", "product_id", "quantity", "state")
    def _check_lot(self):
        # A second active warranty on a serial is refused before the INSERT
        # (``create``) and by the unique index: a search here would come after
        # the row, which that index has already refused.
        for warranty in self:
            if warranty.lot_id and warranty.lot_id.product_id != warranty.product_id:
                raise ValidationError(
                    self.env._(
                        "Serial number %(lot)s belongs to %(lot_product)s, not to %(product)s.",
                        lot=warranty.lot_id.name,
                        lot_product=warranty.lot_id.product_id.display_name,
                        product=warranty.product_id.display_name,
                    )
                )
            if (
                warranty.product_id.tracking == "serial"
                and warranty.lot_id
                and warranty.quantity != 1
            ):
                raise ValidationError(
                    self.env._(
                        "Warranty %(name)s covers serial %(lot)s: its quantity must be 1.",
                        name=warranty.name,
                        lot=warranty.lot_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        """Register warranties; a serial never has two active ones."""
        if self.env.context.get("aftersales_from_delivery") is not _FROM_DELIVERY:
            vals_list = [self._sanitized_terms(vals) for vals in vals_list]
            self._check_serials_free(
                [
                    vals["lot_id"]
                    for vals in vals_list
                    if vals.get("lot_id") and vals.get("state", "active") == "active"
                ]
            )
        return super().create(vals_list)

    @api.model
    def _sanitized_terms(self, vals):
        """``vals`` with their ``terms`` sanitized as an Html field does by default."""
        if not vals.get("terms"):
            return vals
        return dict(vals, terms=html_sanitize(vals["terms"], sanitize_attributes=True))

    def write(self, vals):
        """Sanitize the terms; a serial given to active warranties must be
        free of other ones."""
        vals = self._sanitized_terms(vals)
        if vals.get("lot_id"):
            active = (
                self
                if vals.get("state") == "active"
                else self.filtered_domain([("state", "=", "active")])
            )
            if len(active) > 1:
                raise ValidationError(
                    self.env._("One serial number cannot have several active warranties.")
                )
            self._check_serials_free([vals["lot_id"]] if active else [], exclude_ids=active.ids)
        return super().write(vals)

    def _check_company(self, fnames=None):
        """Skipped for the warranties a delivery registers: their relations
        come from one done move of their company (see ``_FROM_DELIVERY``)."""
        if self.env.context.get("aftersales_from_delivery") is _FROM_DELIVERY:
            return None
        return super()._check_company(fnames)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_delivered(self):
        if any(warranty.move_id for warranty in self):
            raise UserError(
                self.env._(
                    "A warranty registered by a delivery cannot be deleted: void it instead."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_void_wizard(self):
        """Open the screen that asks the manager why the warranties are voided."""
        return wizard_action(
            self.env,
            "aftersales.warranty.void",
            self.env._("Void Warranty"),
            {"default_warranty_ids": self.ids},
        )

    def action_open_extend_wizard(self):
        """Open the screen that asks how long and why the warranties are extended."""
        return wizard_action(
            self.env,
            "aftersales.warranty.extend",
            self.env._("Extend Warranty"),
            {"default_warranty_ids": self.ids},
        )

    def action_view_service_orders(self):
        """The service orders of this warranty's unit."""
        self.ensure_one()
        return list_action(self.env["aftersales.service.order"], [("warranty_id", "=", self.id)])

    def action_new_service_order(self):
        """Take this warranty's unit in for service."""
        self.ensure_one()
        return self.env["aftersales.service.order"].action_new(
            {
                "warranty_id": self.id,
                "lot_id": self.lot_id.id,
                "product_id": self.product_id.id,
                "partner_id": self.partner_id.id,
            }
        )

    def action_print_certificate(self):
        """Print the warranty certificates of these warranties."""
        return self._report_action("aftersales_service.action_report_warranty_certificate")

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def void(self, reason):
        """Void the warranties for ``reason``: the units are no longer covered.

        Manager only. The reason is required and logged in each warranty's
        chatter. Voiding a warranty that is already void is refused.
        """
        self._check_manager(self.env._("void warranties"))
        reason = to_text(self.env, reason, self.env._("The reason to void a warranty"))
        self._lock_for_action(self.env._("void"))
        already_void = self.filtered(lambda w: w.state == "void")
        if already_void:
            raise UserError(
                self.env._(
                    "These warranties are already void: %s", ", ".join(already_void.mapped("name"))
                )
            )
        self._write_from_action(
            {
                "state": "void",
                "void_reason": reason,
                "void_date": fields.Date.context_today(self),
                "void_user_id": self.env.user.id,
            }
        )
        body = self.env._("Warranty voided: %s", reason)
        self._message_log_batch(bodies=dict.fromkeys(self.ids, body))
        return True

    def extend(self, months, reason):
        """Extend the warranties by ``months`` (a positive whole number) for ``reason``.

        Manager only, unless called through ``sudo()`` by a flow such as the sale
        of an extended-warranty product. An expired warranty whose new end lies
        in the future is active again; a void warranty cannot be extended.
        """
        self._check_manager(self.env._("extend warranties"))
        if not isinstance(months, int) or isinstance(months, bool) or months <= 0:
            raise UserError(
                self.env._(
                    "A warranty extension must be a positive number of months, not %s.", months
                )
            )
        to_number(
            self.env,
            months,
            self.env._("The extension (months)"),
            integer=True,
            minimum=1,
            maximum=MAX_WARRANTY_MONTHS,
        )
        reason = to_text(self.env, reason, self.env._("The reason to extend a warranty"))
        self._lock_for_action(self.env._("extend"))
        void = self.filtered(lambda w: w.state == "void")
        if void:
            raise UserError(
                self.env._("Void warranties cannot be extended: %s", ", ".join(void.mapped("name")))
            )
        self._add_extension(
            "extension_months",
            months,
            lambda warranty: self.env._(
                "Warranty extended by %(months)s months until %(date)s: %(reason)s",
                months=months,
                date=warranty.date_end,
                reason=reason,
            ),
        )
        return True

    def _extend_for_repair(self, days, months, order):
        """What the consumer law adds to the warranties for the warranty repair
        of ``order``, handed back: the ``days`` the unit spent in repair and the
        ``months`` of guarantee after a repair. As the system; like ``extend()``,
        an expired warranty whose new end lies ahead is active again. Void
        warranties are left alone."""
        warranties = self.filtered(lambda w: w.state != "void")
        if days > 0:
            warranties._add_extension(
                "repair_extension_days",
                days,
                lambda warranty: self.env._(
                    "Warranty extended by %(days)s days, the time %(order)s kept the unit "
                    "in repair, until %(date)s (consumer law).",
                    days=days,
                    order=order.name,
                    date=warranty.date_end,
                ),
            )
        if months > 0:
            warranties._add_extension(
                "extension_months",
                months,
                lambda warranty: self.env._(
                    "Guarantee after the repair of %(order)s: %(months)s months added, "
                    "until %(date)s (consumer law).",
                    order=order.name,
                    months=months,
                    date=warranty.date_end,
                ),
            )

    @api.model
    @api.readonly
    def check_serial(self, serial, date=None):
        """Tell whether the unit with serial number ``serial`` is under warranty.
        Read-only: from the web client (``/web/dataset/call_kw``) it runs on a
        read-only cursor, which a server started with ``--db_replica_host``
        takes from the streaming replica.

        :param str serial: the serial number (lot name), case-sensitive
        :param date: the day to check (a date or an ISO string); today by default
        :return: a dict with ``found`` (bool), ``state`` (``active``, ``expired``,
            ``void``, or False when no warranty is found or the unit was not
            delivered yet) as of ``date``, of the warranty in force that day,
            ``date_end``, ``warranty_id``, ``partner_id`` and ``product_id``
            (ids, False when not found).
        """
        serial = to_text(self.env, serial, self.env._("The serial number"))
        day = to_date(self.env, date, self.env._("The date")) or fields.Date.context_today(self)
        # A unit sold again has several warranties: the one in force that day.
        warranties = self._latest(
            [("lot_id.name", "=", serial)],
            field_names=["state", "date_start", "date_end", "partner_id", "product_id"],
        )
        warranty = next((w for w in warranties if w._state_on(day) == "active"), warranties[:1])
        if not warranty:
            return {
                "found": False,
                "state": False,
                "date_end": False,
                "warranty_id": False,
                "partner_id": False,
                "product_id": False,
            }
        return {
            "found": True,
            "state": warranty._state_on(day),
            "date_end": warranty.date_end,
            "warranty_id": warranty.id,
            "partner_id": warranty.partner_id.id,
            "product_id": warranty.product_id.id,
        }

    @api.model
    def _register_from_moves(self, moves):
        """Create, in one batch, the warranties of done customer deliveries.

        One warranty per serial for serial-tracked products, one per move (with
        its quantity) otherwise. ``months`` is the product's terms at this moment,
        never below the company's legal minimum nor the legal guarantee of its
        consumer law, which also covers the products without terms; the
        extended-warranty products sold on the same order add their months. A
        serial still under an active warranty (a unit delivered again) has that
        warranty ended first. No creation note goes to their chatter (a
        delivery of 1,000 serials would log 1,000): the delivery they come from
        is on the warranty itself.
        """
        moves = moves.with_env(self.env).filtered(lambda m: m._aftersales_warranty_months() > 0)
        if not moves:
            return self.browse()
        extensions = moves.sale_line_id.order_id._aftersales_extension_months()
        vals_list = []
        for move in moves:
            vals_list += move._aftersales_warranty_vals(extensions)
        for vals in vals_list:
            # Given, it is not computed on a new record made of these values.
            vals["date_end"] = self._date_end_of(
                vals["date_start"], vals["months"] + vals["extension_months"]
            )
        lots = self.env["stock.lot"].browse(v["lot_id"] for v in vals_list if v["lot_id"])
        previous = self.search([("lot_id", "in", lots.ids), ("state", "=", "active")])
        previous._end(self.env._("Delivered again under a new warranty"))
        # No chatter work per warranty: no creation note, follower or tracking
        # (none of its fields would notify anyone at creation).
        created = self.with_context(
            tracking_disable=True, aftersales_from_delivery=_FROM_DELIVERY
        ).create(vals_list)
        return created.with_env(self.env)

    @api.model
    def _register_replacements(self, moves):
        """Warranties of units that replaced faulty ones: the replacement gets
        the rest of the original warranty, which ends ("Replaced")."""
        moves = moves.with_env(self.env)
        vals_list = []
        for move in moves:
            original = move.picking_id.aftersales_service_order_id.warranty_id
            for vals in move._aftersales_warranty_vals({}):
                if original:
                    vals.update(
                        {
                            field: original[field].id if field.endswith("_id") else original[field]
                            for field in (
                                "partner_id",
                                "sale_order_id",
                                "sale_line_id",
                                "date_start",
                                "months",
                                "extension_months",
                                "repair_extension_days",
                                "terms",
                            )
                        }
                    )
                vals_list.append(vals)
        moves.picking_id.aftersales_service_order_id.warranty_id._end(self.env._("Replaced"))
        return self.with_context(mail_create_nosubscribe=True, mail_create_nolog=True).create(
            vals_list
        )

    @api.model
    def _end_from_returns(self, moves):
        """End the warranties of the units that customers returned.

        A returned serial's warranty becomes void ("Returned"); an untracked
        warranty loses the returned quantity and is void when nothing is left.
        """
        returns = moves.with_env(self.env).filtered("origin_returned_move_id")
        warranties = self.search(
            [
                ("move_id", "in", returns.origin_returned_move_id.ids),
                ("state", "!=", "void"),
            ]
        )
        if not warranties:
            return
        returned_lots = defaultdict(set)
        returned_qty = defaultdict(float)
        for move in returns:
            origin = move.origin_returned_move_id
            returned_lots[origin.id] |= set(move.move_line_ids.lot_id.ids)
            returned_qty[origin.id] += move.product_uom._compute_quantity(
                move.quantity, move.product_id.uom_id
            )
        to_end = self.browse()
        for warranty in warranties:
            if warranty.lot_id:
                if warranty.lot_id.id in returned_lots[warranty.move_id.id]:
                    to_end |= warranty
                continue
            remaining = warranty.quantity - returned_qty[warranty.move_id.id]
            returned_qty[warranty.move_id.id] = max(-remaining, 0.0)
            if remaining > 0:
                warranty.quantity = remaining
                warranty._message_log(
                    body=self.env._(
                        "Part of the units were returned: %s remain covered.", remaining
                    )
                )
            else:
                to_end |= warranty
        to_end._end(self.env._("Returned"))

    @api.model
    def _cron_expire_and_remind(self, batch_size=1000):
        """Daily job: mark ended warranties expired, remind customers before expiry.

        Handles at most ``batch_size`` warranties of each kind per call and
        reports what is left to the cron, which calls again until nothing is;
        each warranty is reminded once.
        """
        today = fields.Date.context_today(self)
        expired_domain = [("state", "=", "active"), ("date_end", "<", today)]
        expired = self._lock_batch(expired_domain, limit=batch_size)
        expired._write_from_action({"state": "expired"})
        remaining = self.search_count(expired_domain)
        template = self.env.ref("aftersales_service.mail_template_warranty_expiry")
        reminded = self.browse()
        companies = self.env["res.company"].search([("aftersales_warranty_reminder_days", ">", 0)])
        for company in companies:
            domain = [
                ("company_id", "=", company.id),
                ("state", "=", "active"),
                ("reminder_sent", "=", False),
                (
                    "date_end",
                    "<=",
                    today + relativedelta(days=company.aftersales_warranty_reminder_days),
                ),
                ("date_end", ">=", today),
            ]
            due = self._lock_batch(domain, limit=batch_size)
            if due:
                template.with_company(company).send_mail_batch(due.ids)
                due._write_from_action({"reminder_sent": True})
                reminded |= due
            remaining += self.search_count(domain)
        self.env["ir.cron"]._notify_progress(done=len(expired) + len(reminded), remaining=remaining)
        return expired, reminded

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @api.model
    def _latest(self, domain, limit=None, field_names=None):
        """The warranties of ``domain``, the one in force first, then the latest
        ("active" < "expired" < "void"); with ``field_names``, those fields are
        read in the same query."""
        order = "state asc, date_start desc, id desc"
        if field_names:
            return self.search_fetch(domain, field_names, order=order, limit=limit)
        return self.search(domain, order=order, limit=limit)

    @api.model
    def _current_by_lot(self, lots):
        """{lot id: the warranty of that serial in force, else its latest}."""
        current = {}
        for warranty in self._latest([("lot_id", "in", lots.ids)]):
            current.setdefault(warranty.lot_id.id, warranty)
        return current

    def _state_on(self, day):
        """The state of this warranty on ``day``: False before it started."""
        self.ensure_one()
        if self.state == "void":
            return "void"
        if day < self.date_start:
            return False
        return "expired" if day > self.date_end else "active"

    def _add_extension(self, field, added, body):
        """Add ``added`` to ``field`` (``extension_months`` or
        ``repair_extension_days``) of the warranties and log ``body`` (a function
        of the warranty) in their chatter; an expired warranty whose new end
        lies ahead is active again, and is reminded again before it ends."""
        today = fields.Date.context_today(self)
        for extension, warranties in self.grouped(field).items():
            warranties._write_from_action({field: extension + added, "reminder_sent": False})
        self.filtered(lambda w: w.state == "expired" and w.date_end >= today)._write_from_action(
            {"state": "active"}
        )
        self._message_log_batch(bodies={warranty.id: body(warranty) for warranty in self})

    def _end(self, reason):
        """Void the warranties for ``reason`` as the system, not as a manager."""
        warranties = self.filtered(lambda w: w.state != "void")
        if warranties:
            warranties.sudo().void(reason)

    def _check_serials_free(self, lot_ids, exclude_ids=()):
        """Refuse a second active warranty on a serial (the database refuses it too)."""
        if not lot_ids:
            return
        taken = self.sudo().search(
            [
                ("lot_id", "in", lot_ids),
                ("state", "=", "active"),
                ("id", "not in", list(exclude_ids)),
            ]
        )
        if taken:
            raise ValidationError(
                self.env._(
                    "These serial numbers already have an active warranty: %s",
                    ", ".join(f"{w.lot_id.name} ({w.name})" for w in taken),
                )
            )
