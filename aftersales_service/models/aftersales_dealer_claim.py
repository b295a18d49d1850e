from psycopg2.errors import UniqueViolation

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare

from .aftersales_service_agreement import SERVICE_POINT_ROLES
from .arguments import to_text
from .window_actions import form_action, wizard_action

# A claim in these states holds its serial and repair date: no second one.
HOLDING_STATES = ("submitted", "approved", "billed")
# What a dealer may still change once the claim is submitted: nothing of the amounts.
LOCKED_FIELDS = (
    "partner_id",
    "agreement_id",
    "lot_id",
    "date_repair",
    "labour_hours",
    "line_ids",
)


class AftersalesDealerClaim(models.Model):
    _name = "aftersales.dealer.claim"
    _description = "Dealer Warranty Claim"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "aftersales.document.mixin",
        "aftersales.rules.mixin",
    ]
    _aftersales_action = "aftersales_service.aftersales_dealer_claim_action"
    _aftersales_sequence = "aftersales.dealer.claim"
    _order = "date_repair desc, id desc"
    _check_company_auto = True
    # The state and the decisions, and what the claim is paid from: the serial's
    # warranty and the agreement's terms, never typed in.
    _aftersales_action_fields = (
        "state",
        "rejection_reason",
        "bill_id",
        "warranty_id",
        "product_id",
        "labour_rate",
        "parts_markup",
    )

    partner_id = fields.Many2one(
        "res.partner",
        string="Dealer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    agreement_id = fields.Many2one(
        "aftersales.service.agreement",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        compute="_compute_agreement_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('partner_id', '=', partner_id), ('state', '=', 'active'), "
        "('role', 'in', ('dealer', 'service_centre'))]",
        help="The dealer's active agreement; found from the dealer when not given.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
    )
    lot_id = fields.Many2one(
        "stock.lot", string="Serial Number", required=True, index=True, check_company=True
    )
    product_id = fields.Many2one(
        "product.product", related="lot_id.product_id", store=True, string="Product"
    )
    warranty_id = fields.Many2one(
        "aftersales.warranty",
        compute="_compute_warranty_id",
        store=True,
        check_company=True,
        help="The warranty of the serial in force on the repair date (else its latest).",
    )
    customer_id = fields.Many2one(
        "res.partner", related="warranty_id.partner_id", string="End Customer"
    )
    date_repair = fields.Date(
        string="Repair Date", required=True, default=fields.Date.context_today, tracking=True
    )
    description = fields.Text(string="Work Done")
    labour_hours = fields.Float(digits=(16, 2), tracking=True)
    line_ids = fields.One2many(
        "aftersales.dealer.claim.line", "claim_id", string="Parts Used", copy=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    labour_rate = fields.Monetary(
        compute="_compute_agreement_terms",
        store=True,
        help="The agreement's rate per hour, taken when the agreement is chosen.",
    )
    parts_markup = fields.Float(
        string="Parts Markup (%)",
        compute="_compute_agreement_terms",
        store=True,
        help="The agreement's markup on the cost of the parts.",
    )
    amount_labour = fields.Monetary(compute="_compute_amounts", store=True, string="Labour")
    amount_parts = fields.Monetary(compute="_compute_amounts", store=True, string="Parts")
    amount_total = fields.Monetary(compute="_compute_amounts", store=True, string="Total")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("billed", "Billed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    rejection_reason = fields.Text(readonly=True, copy=False, tracking=True)
    bill_id = fields.Many2one(
        "account.move", string="Vendor Bill", readonly=True, copy=False, check_company=True
    )

    def init(self):
        """One claim held (submitted, approved or billed) per serial and repair
        date, kept by the database: of two dealers submitting at once, one fails."""
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (lot_id, date_repair) "
                "WHERE state IN %s",
                SQL.identifier(f"{self._table}_unique_repair"),
                SQL.identifier(self._table),
                HOLDING_STATES,
            )
        )

    @api.depends("partner_id", "lot_id", "date_repair")
    def _compute_agreement_id(self):
        for claim in self:
            if claim.agreement_id and claim.agreement_id.partner_id == claim.partner_id:
                claim.agreement_id = claim.agreement_id
                continue
            claim.agreement_id = claim._find_agreements()[:1].with_env(self.env)

    @api.depends("lot_id", "date_repair")
    def _compute_warranty_id(self):
        warranties = self.env["aftersales.warranty"].sudo()
        for claim in self:
            found = warranties._latest([("lot_id", "=", claim.lot_id.id)]) if claim.lot_id else []
            day = claim.date_repair
            in_force = [w for w in found if day and w._state_on(day) == "active"]
            claim.warranty_id = (in_force or list(found[:1]) or [False])[0]

    @api.depends("agreement_id")
    def _compute_agreement_terms(self):
        for claim in self:
            claim.labour_rate = claim.agreement_id.labour_rate
            claim.parts_markup = claim.agreement_id.parts_markup

    @api.depends("labour_hours", "labour_rate", "line_ids.price_subtotal")
    def _compute_amounts(self):
        for claim in self:
            claim.amount_labour = claim.currency_id.round(claim.labour_hours * claim.labour_rate)
            claim.amount_parts = sum(claim.line_ids.mapped("price_subtotal"))
            claim.amount_total = claim.amount_labour + claim.amount_parts

    @api.constrains("labour_hours")
    def _check_labour_hours(self):
        for claim in self:
            if claim.labour_hours < 0:
                raise ValidationError(
                    self.env._("The labour hours of %s cannot be negative.", claim.name)
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if any(claim.state != "draft" for claim in self):
            raise UserError(self.env._("Only a draft dealer claim can be deleted."))

    def write(self, vals):
        """Refuse to change what is claimed once the claim is submitted."""
        if any(name in vals for name in LOCKED_FIELDS):
            self._check_editable()
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_submit(self):
        """Submit the claim for approval, once it passes the checks: the serial
        is ours and was under warranty on the repair date, an active agreement
        of the dealer covers the end customer's territory and the product's
        category, no other claim holds the serial and date, and the labour
        hours are within the repair norm (when the product has one)."""
        self._lock_for_action(self.env._("submit"))
        self._check_state(("draft",), self.env._("submit"))
        for claim in self:
            agreement = claim._check_submission()
            try:
                with self.env.cr.savepoint():
                    claim._write_from_action({"state": "submitted", "agreement_id": agreement.id})
                    claim.flush_recordset()
            except UniqueViolation:
                self.env.invalidate_all(flush=False)
                raise UserError(claim._duplicate_message()) from None
        return True

    def action_approve(self):
        """Manager only: approve the submitted claim; it can then be billed."""
        self._check_manager(self.env._("approve dealer claims"))
        self._lock_for_action(self.env._("approve"))
        self._check_state(("submitted",), self.env._("approve"))
        self._write_from_action({"state": "approved"})
        return True

    def action_reject(self, reason):
        """Manager only: reject the claim for ``reason`` (told to the dealer)."""
        self._check_manager(self.env._("reject dealer claims"))
        reason = to_text(self.env, reason, self.env._("The reason for rejecting the claim"))
        self._lock_for_action(self.env._("reject"))
        self._check_state(("submitted", "approved"), self.env._("reject"))
        self._write_from_action({"state": "rejected", "rejection_reason": reason})
        return True

    def action_open_reject_wizard(self):
        """Ask the reason for rejecting the claim."""
        self.ensure_one()
        return wizard_action(
            self.env,
            "aftersales.network.reason",
            self.env._("Reject %s", self.name),
            {"default_dealer_claim_id": self.id},
        )

    def action_create_bill(self):
        """The dealer's vendor bill of an approved claim, in draft for the
        accountants: one labour line and one line per part, at the claimed
        amounts. The claim is then billed."""
        self.ensure_one()
        self._lock_for_action(self.env._("bill"))
        if self.bill_id:
            raise UserError(
                self.env._(
                    "Claim %(claim)s is already billed (%(bill)s).",
                    claim=self.name,
                    bill=self.sudo().bill_id.display_name,
                )
            )
        self._check_state(("approved",), self.env._("bill"))
        bill = self.env["account.move"].sudo().create(self._prepare_bill_vals())
        self._write_from_action({"state": "billed", "bill_id": bill.id})
        return form_action(bill)

    def action_view_bill(self):
        """The vendor bill of the claim."""
        self.ensure_one()
        return form_action(self.bill_id)

    # ------------------------------------------------------------------
    # Checks and helpers
    # ------------------------------------------------------------------

    def _check_editable(self):
        """Refuse to change the claimed work once the claim is submitted."""
        if self.env.su:
            return
        locked = self.filtered(lambda claim: claim.state != "draft")
        if locked:
            raise UserError(
                self.env._(
                    "%s is submitted: what it claims can no longer change.",
                    ", ".join(locked.mapped("name")),
                )
            )

    def _find_agreements(self):
        """The dealer's agreements in force on the repair date, those that
        cover the claim first (as the system)."""
        self.ensure_one()
        if not self.partner_id:
            return self.env["aftersales.service.agreement"]
        agreements = self.env["aftersales.service.agreement"]._find(
            self.partner_id,
            SERVICE_POINT_ROLES,
            self.company_id or self.env.company,
            self.date_repair or fields.Date.context_today(self),
        )
        covering = agreements._covers_category(self.product_id.categ_id)._covers_territory(
            self.warranty_id.partner_id
        )
        return covering | agreements

    def _check_submission(self):
        """Raise a UserError naming the first check the claim fails; return
        the agreement it is claimed under."""
        self.ensure_one()
        warranty = self.warranty_id.sudo()
        if not warranty:
            raise UserError(
                self.env._(
                    "Serial %s is not one of ours: no warranty of ours registers it.",
                    self.lot_id.name,
                )
            )
        if warranty._state_on(self.date_repair) != "active":
            raise UserError(
                self.env._(
                    "Serial %(serial)s was not under warranty on the repair date %(date)s "
                    "(warranty %(warranty)s: %(start)s to %(end)s, %(state)s).",
                    serial=self.lot_id.name,
                    date=self.date_repair,
                    warranty=warranty.name,
                    start=warranty.date_start,
                    end=warranty.date_end,
                    state=dict(warranty._fields["state"].selection)[warranty.state],
                )
            )
        agreement = self._check_agreement(warranty)
        self._check_duplicate()
        self._check_labour_norm()
        return agreement

    def _check_agreement(self, warranty):
        """The agreement of the claim (given, else found from the dealer):
        in force on the repair date, covering the product's category and the
        end customer's territory."""
        customer = warranty.partner_id
        given = self.agreement_id.sudo()
        candidates = given if given else self._find_agreements()
        dealer = self.partner_id.commercial_partner_id
        in_force = candidates.filtered(
            lambda a: a.partner_id.commercial_partner_id == dealer and a.role in SERVICE_POINT_ROLES
        )._in_force_on(self.date_repair)
        if not in_force:
            raise UserError(
                self.env._(
                    "%(dealer)s has no active dealer or service centre agreement on "
                    "%(date)s%(given)s.",
                    dealer=self.partner_id.display_name,
                    date=self.date_repair,
                    given=self.env._(" (%s is not in force)", given.name) if given else "",
                )
            )
        in_category = in_force._covers_category(self.product_id.categ_id)
        if not in_category:
            raise UserError(
                self.env._(
                    "The agreement %(agreement)s of %(dealer)s does not cover the category "
                    "%(category)s of %(product)s.",
                    agreement=", ".join(in_force.mapped("name")),
                    dealer=self.partner_id.display_name,
                    category=self.product_id.categ_id.display_name,
                    product=self.product_id.display_name,
                )
            )
        in_territory = in_category._covers_territory(customer)
        if not in_territory:
            place = ", ".join(
                name for name in (customer.state_id.name, customer.country_id.name) if name
            )
            raise UserError(
                self.env._(
                    "The end customer %(customer)s (%(place)s) is outside the territory of "
                    "the agreement %(agreement)s of %(dealer)s.",
                    customer=customer.display_name,
                    place=place or self.env._("no address"),
                    agreement=", ".join(in_category.mapped("name")),
                    dealer=self.partner_id.display_name,
                )
            )
        return in_territory[:1]

    def _check_duplicate(self):
        """Refuse a second claim for the same serial and repair date."""
        others = self.sudo().search_count(
            [
                ("id", "!=", self.id),
                ("lot_id", "=", self.lot_id.id),
                ("date_repair", "=", self.date_repair),
                ("state", "in", HOLDING_STATES),
            ]
        )
        if others:
            raise UserError(self._duplicate_message())

    def _duplicate_message(self):
        return self.env._(
            "Serial %(serial)s is already claimed for a repair on %(date)s.",
            serial=self.lot_id.name,
            date=self.date_repair,
        )

    def _check_labour_norm(self):
        """Refuse more labour hours than the repair norm of the product allows."""
        rows = self.env["aftersales.part.norm"]._rows_for(
            self.product_id, self.env["aftersales.defect.type"], self.company_id
        )
        if not rows:
            return
        norm_hours = sum(rows.mapped("labour_hours"))
        if float_compare(self.labour_hours, norm_hours, precision_digits=2) > 0:
            raise UserError(
                self.env._(
                    "%(hours)s labour hours are claimed for %(product)s, more than its repair "
                    "norm of %(norm)s hours.",
                    hours=self.labour_hours,
                    product=self.product_id.display_name,
                    norm=norm_hours,
                )
            )

    def _prepare_bill_vals(self):
        self.ensure_one()
        labour = self.company_id.aftersales_labour_product_id
        lines = [
            Command.create(
                {
                    "product_id": labour.id,
                    "name": self.env._(
                        "Warranty labour on %(serial)s, %(hours)s h",
                        serial=self.lot_id.name,
                        hours=self.labour_hours,
                    ),
                    "quantity": self.labour_hours,
                    "price_unit": self.labour_rate,
                    "tax_ids": [Command.clear()],
                }
            )
        ]
        lines += [
            Command.create(
                {
                    "product_id": line.product_id.id,
                    "name": line.product_id.display_name,
                    "quantity": line.quantity,
                    "price_unit": line._marked_up_price(),
                    "tax_ids": [Command.clear()],
                }
            )
            for line in self.line_ids
        ]
        return {
            "move_type": "in_invoice",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "invoice_origin": self.name,
            "ref": self.name,
            "invoice_line_ids": lines,
        }
