from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_round, format_amount, html2plaintext

from .aftersales_legal_profile import DEMANDS
from .arguments import to_choice, to_number, to_text
from .credit_notes import reverse_unit_invoice_line, unit_invoice_line
from .window_actions import form_action, list_action, records_action, wizard_action

OPEN_STATES = ("received", "in_review", "accepted", "rejected")
UNDECIDED = ("received", "in_review")
MONEY_DEMANDS = ("refund", "price_reduction", "compensation")
# The service order an accepted claim opens, by demand.
ORDER_REQUEST = {"repair": "repair", "replacement": "replacement", "refund": "refund"}
NEARLY_DUE_DAYS = 2
# What the consumer claimed: set in draft, fixed once the claim is received.
INTERNAL = "aftersales_service.group_aftersales_user"  # fields the portal never reads
CLAIMED_FIELDS = (
    "partner_id",
    "lot_id",
    "product_id",
    "warranty_id",
    "demand",
    "amount_demanded",
    "date_received",
    "unit_price",
    "legal_profile_id",
)


class AftersalesClaim(models.Model):
    """A consumer's written claim under consumer law: received, decided by a
    manager within the statutory deadline of its demand, answered by letter.
    Each day late accrues the law's penalty on the unit's price."""

    _name = "aftersales.claim"
    _description = "Consumer Claim"
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "aftersales.document.mixin",
        "aftersales.rules.mixin",
    ]
    _order = "date_deadline asc, id desc"
    _aftersales_action = "aftersales_service.aftersales_claim_action"
    _aftersales_sequence = "aftersales.claim"
    _check_company_auto = True
    _aftersales_action_fields = (
        "state",
        "date_deadline",
        "decision",
        "decision_reason",
        "decision_date",
        "decision_user_id",
        "date_answered",
        "credit_note_id",
    )

    partner_id = fields.Many2one(
        "res.partner",
        string="Consumer",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        compute="_compute_from_lot",
        store=True,
        readonly=False,
        precompute=True,
    )
    lot_id = fields.Many2one(
        "stock.lot", string="Serial Number", index=True, check_company=True, tracking=True
    )
    product_id = fields.Many2one(
        "product.product",
        index=True,
        check_company=True,
        tracking=True,
        compute="_compute_from_lot",
        store=True,
        readonly=False,
        precompute=True,
    )
    warranty_id = fields.Many2one(
        "aftersales.warranty",
        index=True,
        check_company=True,
        compute="_compute_from_lot",
        store=True,
        readonly=False,
        precompute=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self._default_user_id(),
        tracking=True,
        check_company=True,
        groups=INTERNAL,
    )
    legal_profile_id = fields.Many2one(
        "aftersales.legal.profile",
        string="Consumer Law",
        default=lambda self: self.env.company.aftersales_legal_profile_id,
        tracking=True,
        help="The law the claim is considered under: its deadlines and penalty.",
        groups=INTERNAL,
    )
    description = fields.Text(
        string="Claim", help="What the consumer writes: the defect and the demand."
    )
    demand = fields.Selection(DEMANDS, required=True, default="repair", tracking=True)
    amount_demanded = fields.Monetary(tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    unit_price = fields.Monetary(
        string="Price of the Unit",
        compute="_compute_unit_price",
        store=True,
        readonly=False,
        precompute=True,
        help="What the consumer paid for the unit (its invoice, else its sale order, else the "
        "product's price): the base of the penalty.",
        groups=INTERNAL,
    )
    date_received = fields.Date(
        string="Received On",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="The day the written claim reached the company; deadlines run from it.",
    )
    date_deadline = fields.Date(
        string="Statutory Deadline", readonly=True, copy=False, index=True, tracking=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("received", "Received"),
            ("in_review", "In Review"),
            ("accepted", "Accepted"),
            ("rejected", "Rejected"),
            ("answered", "Answered"),
            ("closed", "Closed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand="_expand_states",
    )
    decision = fields.Selection(
        [("accepted", "Accepted"), ("rejected", "Rejected")], readonly=True, copy=False
    )
    decision_reason = fields.Text(string="Reasons", readonly=True, copy=False, tracking=True)
    decision_date = fields.Date(readonly=True, copy=False)
    decision_user_id = fields.Many2one(
        "res.users", string="Decided By", readonly=True, copy=False, groups=INTERNAL
    )
    date_answered = fields.Date(readonly=True, copy=False, tracking=True)
    days_late = fields.Integer(
        compute="_compute_penalty",
        help="Days past the deadline, until the answer.",
        groups=INTERNAL,
    )
    penalty_amount = fields.Monetary(
        string="Penalty",
        compute="_compute_penalty",
        help="The law's daily penalty on the unit's price for each day late, until the answer.",
        groups=INTERNAL,
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    is_due_soon = fields.Boolean(
        compute="_compute_is_overdue",
        help="Not answered and due within two days.",
    )
    coverage_basis = fields.Selection(
        [
            ("warranty", "Under Warranty"),
            ("claim_window", "Within the Legal Claim Window"),
            ("outside", "Outside Warranty and Claim Window"),
        ],
        compute="_compute_coverage_basis",
        help="Whether the law covers the unit on the day the claim was received.",
    )
    service_order_ids = fields.One2many(
        "aftersales.service.order",
        "claim_id",
        string="Service Orders",
        groups=INTERNAL,
    )
    service_order_count = fields.Integer(compute="_compute_service_order_count")
    expertise_ids = fields.Many2many(
        "aftersales.expertise",
        compute="_compute_expertise_ids",
        string="Expertises",
    )
    credit_note_id = fields.Many2one(
        "account.move", readonly=True, copy=False, check_company=True, groups=INTERNAL
    )

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------

    def _compute_access_url(self):
        for claim in self:
            claim.access_url = f"/my/claims/{claim.id}"

    @api.depends("lot_id")
    def _compute_from_lot(self):
        current = self.env["aftersales.warranty"]._current_by_lot(self.lot_id)
        for claim in self:
            warranty = current.get(claim.lot_id.id) if claim.lot_id else None
            claim.warranty_id = warranty or claim.warranty_id
            claim.product_id = claim.lot_id.product_id or claim.product_id
            claim.partner_id = claim.warranty_id.partner_id or claim.partner_id

    @api.depends("warranty_id", "product_id")
    def _compute_unit_price(self):
        for claim in self:
            claim.unit_price = claim._paid_price()

    @api.depends("date_deadline", "date_answered", "unit_price", "legal_profile_id")
    def _compute_penalty(self):
        today = fields.Date.context_today(self)
        for claim in self:
            end = claim.date_answered or today
            late = (end - claim.date_deadline).days if claim.date_deadline else 0
            claim.days_late = max(late, 0)
            rate = claim.legal_profile_id.penalty_percent_per_day
            claim.penalty_amount = float_round(
                claim.unit_price * rate / 100.0 * claim.days_late,
                precision_rounding=claim.currency_id.rounding or 0.01,
            )

    @api.depends("date_deadline", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        soon = today + relativedelta(days=NEARLY_DUE_DAYS)
        for claim in self:
            pending = claim.state in OPEN_STATES and claim.date_deadline
            claim.is_overdue = bool(pending and claim.date_deadline < today)
            claim.is_due_soon = bool(pending and today <= claim.date_deadline <= soon)

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Overdue claims are searched with = True or = False."))
        domain = [
            ("state", "in", OPEN_STATES),
            ("date_deadline", "<", fields.Date.context_today(self)),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends("warranty_id", "date_received", "legal_profile_id")
    def _compute_coverage_basis(self):
        for claim in self:
            day = claim.date_received or fields.Date.context_today(claim)
            warranty = claim.warranty_id
            if warranty and warranty._state_on(day) == "active":
                claim.coverage_basis = "warranty"
            elif claim._in_claim_window(day):
                claim.coverage_basis = "claim_window"
            else:
                claim.coverage_basis = "outside"

    def _compute_service_order_count(self):
        for claim in self:
            claim.service_order_count = len(claim.service_order_ids)

    @api.depends("service_order_ids")
    def _compute_expertise_ids(self):
        expertises = self.env["aftersales.expertise"].search(
            [("service_order_id", "in", self.service_order_ids.ids)]
        )
        for claim in self:
            claim.expertise_ids = expertises.filtered(
                lambda e, claim=claim: e.service_order_id in claim.service_order_ids
            )

    def _expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        for claim in self:
            if claim.lot_id and claim.product_id and claim.lot_id.product_id != claim.product_id:
                raise ValidationError(
                    self.env._(
                        "Serial number %(lot)s belongs to %(lot_product)s, not to %(product)s.",
                        lot=claim.lot_id.name,
                        lot_product=claim.lot_id.product_id.display_name,
                        product=claim.product_id.display_name,
                    )
                )

    @api.constrains("amount_demanded", "unit_price")
    def _check_amounts(self):
        for claim in self:
            if claim.amount_demanded < 0 or claim.unit_price < 0:
                raise ValidationError(
                    self.env._(
                        "The amount demanded and the price of the unit of %s cannot be negative.",
                        claim.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        """Refuse an unknown demand by name."""
        for vals in vals_list:
            self._check_demand(vals)
        return super().create(vals_list)

    def write(self, vals):
        """What the consumer claimed is fixed once the claim is received."""
        self._check_demand(vals)
        fixed = [name for name in CLAIMED_FIELDS if name in vals]
        if fixed and not self.env.su and any(claim.state != "draft" for claim in self):
            raise UserError(
                self.env._(
                    "%(fields)s of a claim cannot change once it is received.",
                    fields=", ".join(self._fields[name].string for name in fixed),
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_received(self):
        if any(claim.state != "draft" for claim in self):
            raise UserError(
                self.env._("A received claim cannot be deleted: it is answered and closed.")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_receive(self):
        """Register the claims as received on their ``date_received`` (a past
        day given is kept): the statutory deadline of each follows from its law
        and its demand."""
        self._lock_for_action(self.env._("receive"))
        self._check_state(("draft",), self.env._("receive"))
        today = fields.Date.context_today(self)
        for claim in self:
            if not claim.legal_profile_id:
                raise UserError(
                    self.env._(
                        "Choose the consumer law of %s, or set the company's in the settings.",
                        claim.name,
                    )
                )
            if claim.date_received > today:
                raise UserError(
                    self.env._(
                        "Claim %(claim)s cannot be received in the future (%(date)s).",
                        claim=claim.name,
                        date=claim.date_received,
                    )
                )
            claim._write_from_action(
                {
                    "state": "received",
                    "date_deadline": claim.legal_profile_id._deadline(
                        claim.demand, claim.date_received
                    ),
                }
            )
        return True

    def action_review(self):
        """Take the received claims into review (optional step)."""
        self._lock_for_action(self.env._("review"))
        self._check_state(("received",), self.env._("review"))
        self._write_from_action({"state": "in_review"})
        return True

    def action_accept(self, note=None):
        """Manager only: accept the claims, with an optional ``note`` that the
        answer letter quotes."""
        self._check_manager(self.env._("accept a consumer claim"))
        note = to_text(self.env, note, self.env._("The note"), required=False)
        self._decide("accepted", note, self.env._("accept"))
        return True

    def action_reject(self, reason):
        """Manager only: reject the claims for ``reason`` (required, quoted in
        the answer letter)."""
        self._check_manager(self.env._("reject a consumer claim"))
        reason = to_text(self.env, reason, self.env._("The reason for the rejection"))
        self._decide("rejected", reason, self.env._("reject"))
        return True

    def action_create_service_order(self):
        """Open the service order of an accepted claim (repair, replacement or
        refund of the unit), once."""
        self.ensure_one()
        self._lock_for_action(self.env._("open a service order for"))
        self._check_state(("accepted", "answered"), self.env._("open a service order for"))
        if self.demand not in ORDER_REQUEST:
            raise UserError(
                self.env._(
                    "Claim %s demands money, not work on the unit: make its credit note.", self.name
                )
            )
        if self.service_order_ids.filtered(lambda order: order.state != "cancel"):
            raise UserError(self.env._("Claim %s already has a service order.", self.name))
        order = self.env["aftersales.service.order"].create(
            {
                "claim_id": self.id,
                "partner_id": self.partner_id.id,
                "lot_id": self.lot_id.id,
                "product_id": self.product_id.id,
                "company_id": self.company_id.id,
                "request_type": ORDER_REQUEST[self.demand],
                "description": self.description or self.name,
                "user_id": self.user_id.id,
            }
        )
        return form_action(order)

    def action_create_credit_note(self, amount):
        """Manager only: the customer credit note of an accepted money demand
        (refund, price reduction, compensation) for ``amount`` (the price of its
        line, before taxes like the invoice's), once. Where the unit's invoice
        exists the note is Odoo's own reversal of it; it stays in draft for the
        accountants. Returns its form."""
        self.ensure_one()
        self._check_manager(self.env._("credit a consumer"))
        amount = to_number(self.env, amount, self.env._("The amount"), minimum=0.01)
        self._lock_for_action(self.env._("credit"))
        self._check_state(("accepted", "answered"), self.env._("credit"))
        if self.demand not in MONEY_DEMANDS:
            raise UserError(
                self.env._(
                    "Claim %s demands work on the unit: open its service order instead.", self.name
                )
            )
        if self.credit_note_id:
            raise UserError(
                self.env._(
                    "Claim %(claim)s already has its credit note %(move)s.",
                    claim=self.name,
                    move=self.credit_note_id.sudo().display_name,
                )
            )
        invoice_line = unit_invoice_line(self.warranty_id)
        if self.demand == "refund" and invoice_line and amount > invoice_line.price_unit:
            raise UserError(
                self.env._(
                    "The refund of %(claim)s (%(amount)s) exceeds the invoiced price %(price)s.",
                    claim=self.name,
                    amount=amount,
                    price=invoice_line.price_unit,
                )
            )
        ref = self.env._(
            "%(demand)s: claim %(claim)s", demand=self._demand_label(), claim=self.name
        )
        if invoice_line:
            credit_note = reverse_unit_invoice_line(invoice_line, self.name, ref, amount)
        else:
            credit_note = self._new_credit_note(amount, ref)
        self._write_from_action({"credit_note_id": credit_note.id})
        self._message_log(
            body=self.env._("Credit note %s drafted for the accountants.", credit_note.name)
        )
        return form_action(credit_note)

    def action_send_answer(self):
        """Email the consumer the answer letter (PDF: the demand, the decision
        and its reasons, the law cited, the deadline kept), attached to the
        claim's chatter. The penalty stops accruing on the day of the answer."""
        self._lock_for_action(self.env._("answer"))
        self._check_state(("accepted", "rejected"), self.env._("answer"))
        no_email = self.filtered(lambda claim: not claim.partner_id.email)
        if no_email:
            raise UserError(
                self.env._(
                    "Set the email of %s to send the answer.",
                    ", ".join(no_email.partner_id.mapped("display_name")),
                )
            )
        self._write_from_action(
            {"state": "answered", "date_answered": fields.Date.context_today(self)}
        )
        template = self.env.ref("aftersales_service.mail_template_claim_answer")
        for claim in self:
            claim.message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        return True

    def action_close(self):
        """Close the answered claims."""
        self._lock_for_action(self.env._("close"))
        self._check_state(("answered",), self.env._("close"))
        self._write_from_action({"state": "closed"})
        return True

    def action_open_decision_wizard(self):
        """Open the screen where a manager accepts or rejects the claim."""
        self.ensure_one()
        return wizard_action(
            self.env,
            "aftersales.claim.decision",
            self.env._("Decide the Claim"),
            {"default_claim_id": self.id},
        )

    def action_open_credit_note_wizard(self):
        """Open the screen that asks the amount of the credit note."""
        self.ensure_one()
        return wizard_action(
            self.env,
            "aftersales.claim.credit.note",
            self.env._("Credit the Consumer"),
            {"default_claim_id": self.id},
        )

    def action_print_answer(self):
        """Print the answer letters."""
        return self._report_action("aftersales_service.action_report_claim_answer")

    def action_view_service_orders(self):
        """The service orders of this claim."""
        self.ensure_one()
        return list_action(self.env["aftersales.service.order"], [("claim_id", "=", self.id)])

    def action_view_credit_note(self):
        """The credit note of this claim."""
        self.ensure_one()
        return records_action(self.credit_note_id, "account.action_move_out_refund_type")

    # ------------------------------------------------------------------
    # Incoming email (the claims alias)
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A claim emailed to the claims alias: a draft claim of the sender
        (found or created as a contact), received on the day of the email, its
        text the email's; the staff completes the unit and the demand, then
        receives it."""
        values = dict(custom_values or {})
        partner = self.env["res.partner"].browse(msg_dict.get("author_id") or [])
        if not partner:
            partner = self.env["res.partner"].find_or_create(msg_dict.get("email_from") or "")
        body = html2plaintext(msg_dict.get("body") or "")
        day = fields.Date.to_date(msg_dict.get("date")) if msg_dict.get("date") else None
        values.setdefault("name", self.env._("New"))  # not the subject: the sequence names it
        values.setdefault("partner_id", partner.id)
        values.setdefault("description", "\n\n".join(filter(None, [msg_dict.get("subject"), body])))
        values.setdefault("date_received", day or fields.Date.context_today(self))
        return super().message_new(msg_dict, custom_values=values)

    # ------------------------------------------------------------------
    # Jobs
    # ------------------------------------------------------------------

    @api.model
    def _cron_flag_deadlines(self):
        """Daily job: the responsible of each undecided or unanswered claim
        gets one activity when it is nearly due, and one when it is overdue."""
        today = fields.Date.context_today(self)
        nearly = self._lock_batch(
            [
                ("state", "in", OPEN_STATES),
                ("date_deadline", ">=", today),
                ("date_deadline", "<=", today + relativedelta(days=NEARLY_DUE_DAYS)),
            ]
        )
        nearly._schedule_activity_once(
            self.env._("Claim nearly due"),
            lambda claim: self.env._("Answer by %s.", claim.date_deadline),
        )
        overdue = self._lock_batch([("is_overdue", "=", True)])
        overdue._schedule_activity_once(
            self.env._("Claim overdue"),
            lambda claim: self.env._(
                "The deadline was %(date)s: the penalty accrues (%(penalty)s so far).",
                date=claim.date_deadline,
                penalty=format_amount(self.env, claim.penalty_amount, claim.currency_id),
            ),
        )
        return (nearly | overdue).ids

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _decide(self, state, reason, what):
        self._lock_for_action(what)
        self._check_state(UNDECIDED, what)
        self._write_from_action(
            {
                "state": state,
                "decision": state,
                "decision_reason": reason or False,
                "decision_date": fields.Date.context_today(self),
                "decision_user_id": self.env.user.id,
            }
        )

    def _paid_price(self):
        """What the consumer paid for one unit, taxes included."""
        self.ensure_one()
        line = unit_invoice_line(self.warranty_id)
        if line and line.quantity:
            return line.price_total / line.quantity
        sale_line = self.sudo().warranty_id.sale_line_id
        if sale_line and sale_line.product_uom_qty:
            return sale_line.price_total / sale_line.product_uom_qty
        return self.product_id.lst_price

    def _in_claim_window(self, day):
        """Whether ``day`` lies within the law's claim window from the unit's
        handover (its warranty's start), for units without a warranty in force."""
        self.ensure_one()
        months = self.legal_profile_id.claim_window_months
        start = self.warranty_id.date_start
        return bool(months and start and day <= start + relativedelta(months=months, days=-1))

    def _default_user_id(self):
        """Whoever registers the claim in the back office; the company's
        after-sales manager for the claims that come from the portal or by email."""
        user = self.env.user
        if user._is_internal() and not user._is_superuser():
            return user
        return self.env.company.aftersales_manager_id

    def _check_demand(self, vals):
        if "demand" in vals:
            to_choice(self.env, vals["demand"], DEMANDS, self.env._("The demand"))

    def _deadline_basis(self):
        """The law and its article that set the deadline of the demand."""
        self.ensure_one()
        return self.legal_profile_id._basis_of(self.demand)

    def _letter_date(self):
        """The date of the answer letter: the day it was sent, else today."""
        self.ensure_one()
        return self.date_answered or fields.Date.context_today(self)

    def _demand_label(self):
        self.ensure_one()
        return dict(self._fields["demand"]._description_selection(self.env))[self.demand]

    def _new_credit_note(self, amount, ref):
        """A draft credit note of ``amount`` for the unit, when it has no invoice to reverse."""
        self.ensure_one()
        return (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "invoice_origin": self.name,
                    "ref": ref,
                    "invoice_line_ids": [
                        fields.Command.create(
                            {
                                "product_id": self.product_id.id,
                                "name": ref,
                                "quantity": 1.0,
                                "price_unit": amount,
                            }
                        )
                    ],
                }
            )
        )
