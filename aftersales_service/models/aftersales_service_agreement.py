import re

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .arguments import to_record, to_text
from .window_actions import wizard_action

# An agreement about to end tells the after-sales manager this many days before.
EXPIRY_NOTICE_DAYS = 30
# The partners that repair our units for the consumers (the service points).
SERVICE_POINT_ROLES = ("dealer", "service_centre")


class AftersalesServiceAgreement(models.Model):
    _name = "aftersales.service.agreement"
    _description = "Service Agreement"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "aftersales.document.mixin",
        "aftersales.rules.mixin",
    ]
    _aftersales_action = "aftersales_service.aftersales_service_agreement_action"
    _aftersales_sequence = "aftersales.service.agreement"
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _aftersales_action_fields = (
        "state",
        "termination_reason",
        "date_terminated",
        "expiry_reminded",
    )

    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="The dealer, authorised service centre or workshop the agreement is signed with.",
    )
    role = fields.Selection(
        [
            ("dealer", "Dealer"),
            ("service_centre", "Authorised Service Centre"),
            ("workshop", "External Workshop"),
        ],
        required=True,
        default="dealer",
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
    )
    date_start = fields.Date(
        string="Start", required=True, default=fields.Date.context_today, tracking=True
    )
    date_end = fields.Date(string="End", tracking=True, help="Empty: until terminated.")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("expired", "Expired"),
            ("terminated", "Terminated"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    product_categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="The categories covered, with their subcategories. Empty: every product.",
    )
    country_ids = fields.Many2many(
        "res.country", string="Countries", help="The territory. Empty (with no state): everywhere."
    )
    state_ids = fields.Many2many(
        "res.country.state",
        string="States",
        help="Parts of the countries, or of other countries, the territory is limited to.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    labour_rate = fields.Monetary(
        string="Labour Rate per Hour", tracking=True, help="What we pay the partner per hour."
    )
    response_days = fields.Integer(
        tracking=True, help="Days the partner takes to repair a unit sent to it."
    )
    parts_markup = fields.Float(
        string="Parts Markup (%)", tracking=True, help="Added to the cost of the parts it claims."
    )
    agreement_text = fields.Html(translate=True)
    termination_reason = fields.Text(readonly=True, copy=False, tracking=True)
    date_terminated = fields.Date(readonly=True, copy=False)
    expiry_reminded = fields.Boolean(readonly=True, copy=False)
    is_expiring = fields.Boolean(
        compute="_compute_is_expiring",
        search="_search_is_expiring",
        string="Expiring Soon",
        help=f"Active and ending within {EXPIRY_NOTICE_DAYS} days.",
    )

    def _compute_is_expiring(self):
        limit = fields.Date.context_today(self) + relativedelta(days=EXPIRY_NOTICE_DAYS)
        for agreement in self:
            agreement.is_expiring = bool(
                agreement.state == "active" and agreement.date_end and agreement.date_end <= limit
            )

    def _search_is_expiring(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search expiring agreements with = True or = False."))
        limit = fields.Date.context_today(self) + relativedelta(days=EXPIRY_NOTICE_DAYS)
        domain = [("state", "=", "active"), ("date_end", "!=", False), ("date_end", "<=", limit)]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.constrains("labour_rate", "response_days", "parts_markup", "date_start", "date_end")
    def _check_terms(self):
        for agreement in self:
            if agreement.labour_rate < 0:
                raise ValidationError(
                    self.env._(
                        "The labour rate of %(agreement)s cannot be negative (%(rate)s).",
                        agreement=agreement.display_name,
                        rate=agreement.labour_rate,
                    )
                )
            if agreement.response_days < 0 or agreement.parts_markup < 0:
                raise ValidationError(
                    self.env._(
                        "The response days and the parts markup of %s cannot be negative.",
                        agreement.display_name,
                    )
                )
            if agreement.date_end and agreement.date_end < agreement.date_start:
                raise ValidationError(
                    self.env._("The agreement %s cannot end before it starts.", agreement.name)
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_signed(self):
        if any(agreement.state != "draft" for agreement in self):
            raise UserError(
                self.env._("Terminate an agreement that was activated instead of deleting it.")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_activate(self):
        """Manager only: the agreement is signed and in force from its start."""
        self._check_manager(self.env._("activate service agreements"))
        self._lock_for_action(self.env._("activate"))
        self._check_state(("draft",), self.env._("activate"))
        today = fields.Date.context_today(self)
        ended = self.filtered(lambda agreement: agreement.date_end and agreement.date_end < today)
        if ended:
            raise UserError(
                self.env._(
                    "%s ended already: it cannot be activated.", ", ".join(ended.mapped("name"))
                )
            )
        self._check_company()
        self._write_from_action({"state": "active"})
        return True

    def action_terminate(self, reason):
        """Manager only: end the agreement before its term, for ``reason``."""
        self._check_manager(self.env._("terminate service agreements"))
        reason = to_text(self.env, reason, self.env._("The reason for the termination"))
        self._lock_for_action(self.env._("terminate"))
        self._check_state(("draft", "active"), self.env._("terminate"))
        self._write_from_action(
            {
                "state": "terminated",
                "termination_reason": reason,
                "date_terminated": fields.Date.context_today(self),
            }
        )
        return True

    def action_open_terminate_wizard(self):
        """Ask the reason for ending the agreement."""
        self.ensure_one()
        return wizard_action(
            self.env,
            "aftersales.network.reason",
            self.env._("Terminate %s", self.name),
            {"default_agreement_id": self.id},
        )

    def action_print(self):
        """Print the agreement."""
        return self._report_action("aftersales_service.action_report_service_agreement")

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _cron_expire_and_remind(self):
        """Daily job: agreements past their end are expired; the company's
        after-sales manager gets one activity for each agreement ending within
        ``EXPIRY_NOTICE_DAYS`` days (once)."""
        today = fields.Date.context_today(self)
        # Every company's agreements, whichever company the job's user is in.
        agreements = self.sudo()
        expired = agreements._lock_batch([("state", "=", "active"), ("date_end", "<", today)])
        expired._write_from_action({"state": "expired"})
        due = agreements._lock_batch(
            [
                ("state", "=", "active"),
                ("expiry_reminded", "=", False),
                ("date_end", "<=", today + relativedelta(days=EXPIRY_NOTICE_DAYS)),
            ]
        )
        due._schedule_activity_once(
            self.env._("Service agreement expires soon"),
            lambda agreement: self.env._(
                "The agreement with %(partner)s ends on %(date)s: renew it or let it expire.",
                partner=agreement.partner_id.display_name,
                date=agreement.date_end,
            ),
            responsible=lambda agreement: agreement.company_id.aftersales_manager_id,
        )
        due._write_from_action({"expiry_reminded": True})
        return True

    def _in_force_on(self, day):
        """The agreements of these that are active on ``day``."""
        return self.filtered(
            lambda agreement: (
                agreement.state == "active"
                and agreement.date_start <= day
                and (not agreement.date_end or agreement.date_end >= day)
            )
        )

    def _covers_category(self, category):
        """The agreements of these that cover product ``category`` (or a parent of it)."""
        ancestors = {int(i) for i in (category.parent_path or "").split("/") if i}
        return self.filtered(
            lambda agreement: (
                not agreement.product_categ_ids
                or bool(set(agreement.product_categ_ids.ids) & ancestors)
            )
        )

    def _covers_territory(self, customer):
        """The agreements of these whose territory holds the address of ``customer``."""
        country, state = customer.country_id, customer.state_id

        def covers(agreement):
            if not agreement.country_ids and not agreement.state_ids:
                return True
            if state and state in agreement.state_ids:
                return True
            country_states = agreement.state_ids.filtered(lambda s: s.country_id == country)
            return bool(country and country in agreement.country_ids and not country_states)

        return self.filtered(covers)

    @api.model
    def _find(self, partner, roles, company, day):
        """The active agreements with ``partner`` (its company) in ``roles``, in
        force on ``day``, as the system (the caller may not read agreements)."""
        partner = partner.commercial_partner_id
        agreements = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "active"),
                ("role", "in", list(roles)),
                ("partner_id", "child_of", partner.id),
            ]
        )
        return agreements._in_force_on(day)

    @api.model
    def _workshop_due(self, partner, product, customer, company, day):
        """When a unit of ``product`` (of ``customer``) sent to the workshop
        ``partner`` on ``day`` is due back: ``day`` + the response days of its
        agreement covering the product's category and the customer's territory;
        None without such an agreement (the shortest when several apply)."""
        agreements = (
            self._find(partner, ("workshop", "service_centre", "dealer"), company, day)
            ._covers_category(product.categ_id)
            ._covers_territory(customer)
        )
        if not agreements:
            return None
        return day + relativedelta(days=min(agreements.mapped("response_days")))

    @api.model
    def _service_points(self, warranty):
        """The dealers and service centres that serve the customer of
        ``warranty`` for its product, for the certificate and the portal:
        partners (read as the system, customers never read agreements), by name."""
        warranty = to_record(self.env, "aftersales.warranty", warranty, self.env._("The warranty"))
        warranty = warranty.sudo()
        day = fields.Date.context_today(self)
        agreements = (
            self.sudo()
            .search(
                [
                    ("company_id", "=", warranty.company_id.id),
                    ("state", "=", "active"),
                    ("role", "in", SERVICE_POINT_ROLES),
                ]
            )
            ._in_force_on(day)
            ._covers_category(warranty.product_id.categ_id)
            ._covers_territory(warranty.partner_id)
        )
        return agreements.partner_id.sorted("name")

    @api.model
    @api.readonly
    def _public_service_points(self, country=None, category=None):
        """The service points of the company (the website's or the request's)
        for the public page, as plain data: the partners of its dealers' and
        service centres' agreements in force today, grouped by the countries
        they serve (those that serve everywhere in a last group of their own).
        Read as the system (visitors never read agreements), in one search;
        nothing of the agreements' terms is returned.

        :param country: a ``res.country`` (id): only the points that serve it
        :param category: a ``product.category`` (id): only the points that
            repair products of it (see ``_serving_category``)
        :returns: ``{"groups": [{"country_id", "name", "points"}], "countries":
            [{"id", "name"}], "categories": [{"id", "name"}]}``, each point a
            dict (see ``_public_point``); ``countries`` and ``categories`` are
            the choices of the page's filters
        """
        sudo = self.sudo()
        country = to_record(sudo.env, "res.country", country, self.env._("The country"), False)
        category = to_record(
            sudo.env, "product.category", category, self.env._("The product category"), False
        )
        agreements = sudo.search_fetch(
            [
                ("company_id", "=", self.env.company.id),
                ("state", "=", "active"),
                ("role", "in", SERVICE_POINT_ROLES),
            ],
            [
                "partner_id",
                "role",
                "state",
                "date_start",
                "date_end",
                "country_ids",
                "state_ids",
                "product_categ_ids",
            ],
        )._in_force_on(fields.Date.context_today(self))
        shown = agreements._serving_category(category) if category else agreements
        countries = agreements.country_ids | agreements.state_ids.country_id | country
        # {country or False (everywhere): {partner: its agreements serving there}}
        groups = {}
        for agreement in shown:
            # A union prefetches only its own records: read them with all the others.
            territories = (agreement.country_ids | agreement.state_ids.country_id).with_prefetch(
                countries._prefetch_ids
            )
            for territory in territories or [False]:
                if territory and country and territory != country:
                    continue
                points = groups.setdefault(territory, {})
                partner = agreement.partner_id
                points[partner] = (points.get(partner, sudo) | agreement).with_prefetch(
                    agreements._prefetch_ids
                )
        ordered = sorted(groups.items(), key=lambda item: (not item[0], item[0] and item[0].name))
        return {
            "groups": [
                {
                    "country_id": territory.id if territory else False,
                    "name": territory.name if territory else self.env._("All Countries"),
                    "points": sorted(
                        (
                            self._public_point(partner, served, territory)
                            for partner, served in points.items()
                        ),
                        key=lambda point: point["name"].casefold(),
                    ),
                }
                for territory, points in ordered
            ],
            "countries": self._public_choices(countries, "name"),
            "categories": self._public_choices(
                agreements.product_categ_ids | category, "complete_name"
            ),
        }

    def _serving_category(self, category):
        """The agreements of these that repair products of ``category``: they
        cover it, a parent of it or every product (``_covers_category``), or
        one of its subcategories."""
        below = f"/{category.id}/"
        return self._covers_category(category) | self.filtered(
            lambda agreement: any(
                below in f"/{categ.parent_path}" for categ in agreement.product_categ_ids
            )
        )

    @api.model
    def _public_point(self, partner, agreements, territory):
        """One service point of the public page: ``partner`` as ``agreements``
        make it serve ``territory`` (a country, or False: everywhere), as
        plain data: ``partner_id``, ``name``, ``roles`` (labels), ``address``
        (lines), ``phone``, ``phone_uri``, ``email``, ``categories`` (names;
        empty: every product) and ``regions`` (the states of ``territory`` it
        is limited to; empty: all of it)."""
        roles = dict(self._fields["role"]._description_selection(self.env))
        phone = partner.phone or partner.mobile or ""
        if not territory or any(
            territory in a.country_ids and not (a.state_ids.country_id & territory)
            for a in agreements
        ):
            regions = []
        else:
            regions = sorted(
                agreements.state_ids.filtered(lambda s: s.country_id == territory).mapped("name")
            )
        if all(agreement.product_categ_ids for agreement in agreements):
            categories = sorted(agreements.product_categ_ids.mapped("complete_name"))
        else:
            categories = []
        return {
            "partner_id": partner.id,
            "name": partner.display_name,
            "roles": [roles[r] for r in SERVICE_POINT_ROLES if r in agreements.mapped("role")],
            "address": [
                line.strip()
                for line in partner._display_address(without_company=True).splitlines()
                if line.strip()
            ],
            "phone": phone,
            "phone_uri": re.sub(r"[^\d+]", "", phone),
            "email": partner.email or "",
            "categories": categories,
            "regions": regions,
        }

    @api.model
    def _public_choices(self, records, name_field):
        """``records`` as the options of a filter of the public page, by name."""
        options = [{"id": record.id, "name": record[name_field]} for record in records]
        return sorted(options, key=lambda option: option["name"].casefold())
