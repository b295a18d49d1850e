from collections import Counter

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, float_round

from .arguments import to_choice, to_date, to_text
from .window_actions import list_action, wizard_action

OPEN_STATES = ("new", "proposed", "accepted")
PROPOSALS = [
    ("reduce", "Reduce the Volume"),
    ("discontinue", "Discontinue the Product"),
    ("redesign", "Redesign the Product"),
    ("change_supplier", "Change the Supplier"),
    ("change_component", "Change a Component"),
]
TOP_ROOT_CAUSES = 5  # root causes printed on the proposal to production


class AftersalesQualityAlert(models.Model):
    """A signal to production: a product whose defects, over the company's
    window, reached the defect-rate threshold of the units delivered in that
    window. Opened and kept up to date by ``compute_alerts`` (the daily job);
    the after-sales manager proposes a measure, production accepts or rejects
    it, the alert is closed once the measure is in place."""

    _name = "aftersales.quality.alert"
    _description = "Quality Alert"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "aftersales.document.mixin",
        "aftersales.rules.mixin",
    ]
    _order = "date_to desc, id desc"
    _aftersales_action = "aftersales_service.aftersales_quality_alert_action"
    _aftersales_sequence = "aftersales.quality.alert"
    _check_company_auto = True
    # The figures come from compute_alerts only; the decisions from the actions.
    _aftersales_action_fields = (
        "state",
        "product_id",
        "date_from",
        "date_to",
        "units_delivered",
        "defect_count",
        "defect_rate",
        "threshold",
        "proposal",
        "proposal_note",
        "reject_reason",
    )

    product_id = fields.Many2one(
        "product.product",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        tracking=True,
    )
    product_categ_id = fields.Many2one(
        related="product_id.categ_id", string="Product Category", store=True
    )
    date_from = fields.Date(string="Window From", required=True, readonly=True)
    date_to = fields.Date(string="Window To", required=True, readonly=True, index=True)
    units_delivered = fields.Float(
        digits="Product Unit of Measure",
        readonly=True,
        help="Units under a warranty (not void) that started in the window.",
    )
    defect_count = fields.Integer(
        string="Defects", readonly=True, help="Defects of the product dated in the window."
    )
    defect_rate = fields.Float(
        string="Defect Rate (%)",
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="Defects per hundred units delivered in the window.",
    )
    threshold = fields.Float(
        string="Threshold (%)",
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="The company's defect-rate threshold when the figures were computed.",
    )
    defect_ids = fields.Many2many(
        "aftersales.defect",
        string="Defects Found",
        compute="_compute_defect_ids",
        help="The defects of the product dated in the window.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Production Responsible",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
        help="The company's production responsible, to whom the alert and the proposal go.",
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("proposed", "Proposed"),
            ("accepted", "Accepted"),
            ("rejected", "Rejected"),
            ("closed", "Closed"),
        ],
        default="new",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand="_expand_states",
    )
    proposal = fields.Selection(
        PROPOSALS, readonly=True, tracking=True, copy=False, help="What after-sales proposes."
    )
    proposal_note = fields.Text(readonly=True, copy=False)
    reject_reason = fields.Text(readonly=True, copy=False, tracking=True)
    color = fields.Integer(compute="_compute_color")

    _sql_constraints = [
        # The partial unique index of init(); named here for its message.
        (
            "product_open_uniq",
            "",
            "This product already has an open quality alert in this company: it is "
            "updated, never doubled. Reload and try again.",
        ),
    ]

    def init(self):
        # One open alert per product and company, whoever opens it and when:
        # two computations at the same moment cannot both insert one.
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS aftersales_quality_alert_product_open_uniq
            ON aftersales_quality_alert (product_id, company_id)
            WHERE state IN ('new', 'proposed', 'accepted')
        """)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("product_id", "company_id", "date_from", "date_to")
    def _compute_defect_ids(self):
        """The defects of the window, in one search for all the alerts."""
        Defect = self.env["aftersales.defect"]
        alerts = self.filtered(lambda alert: alert.product_id and alert.date_from)
        defects = Defect
        if alerts:
            defects = Defect.search(
                [
                    ("product_id", "in", alerts.product_id.ids),
                    ("company_id", "in", alerts.company_id.ids),
                    ("date", ">=", min(alerts.mapped("date_from"))),
                    ("date", "<=", max(alerts.mapped("date_to"))),
                ]
            )
        for alert in self:
            alert.defect_ids = defects.filtered(
                lambda defect, alert=alert: (
                    defect.product_id == alert.product_id
                    and defect.company_id == alert.company_id
                    and alert.date_from <= defect.date <= alert.date_to
                )
            )

    @api.depends("defect_rate", "threshold", "state")
    def _compute_color(self):
        for alert in self:
            if alert.state not in OPEN_STATES:
                alert.color = 0
            elif float_compare(alert.defect_rate, 2 * alert.threshold, precision_digits=2) >= 0:
                alert.color = 1  # red: twice the threshold
            else:
                alert.color = 2  # orange

    @api.model
    def _expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        if not self.env.su and any(alert.state != "new" for alert in self):
            raise UserError(
                self.env._("An alert with a proposal cannot be deleted: reject or close it.")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_propose(self, proposal, note):
        """Manager only: propose ``proposal`` (one of PROPOSALS) to production,
        explained by ``note``; the alert is then ``proposed``."""
        self._check_manager(self.env._("propose measures to production"))
        proposal = to_choice(
            self.env, proposal, self._fields["proposal"].selection, self.env._("The proposal")
        )
        note = to_text(self.env, note, self.env._("The note explaining the proposal"))
        self._lock_for_action(self.env._("propose"))
        self._check_state(("new",), self.env._("propose a measure for"))
        self._write_from_action({"state": "proposed", "proposal": proposal, "proposal_note": note})
        return True

    def action_accept(self):
        """Manager only: production accepts the proposal."""
        self._check_manager(self.env._("accept proposals"))
        self._lock_for_action(self.env._("accept"))
        self._check_state(("proposed",), self.env._("accept"))
        self._write_from_action({"state": "accepted"})
        return True

    def action_reject(self, reason):
        """Manager only: the alert is dismissed, or production rejects the
        proposal, for ``reason``. A later breach opens a new alert."""
        self._check_manager(self.env._("reject quality alerts"))
        reason = to_text(self.env, reason, self.env._("The reason to reject the alert"))
        self._lock_for_action(self.env._("reject"))
        self._check_state(("new", "proposed"), self.env._("reject"))
        self._write_from_action({"state": "rejected", "reject_reason": reason})
        return True

    def action_close(self):
        """Manager only: the accepted measure is in place; a later breach
        opens a new alert."""
        self._check_manager(self.env._("close quality alerts"))
        self._lock_for_action(self.env._("close"))
        self._check_state(("accepted",), self.env._("close"))
        self._write_from_action({"state": "closed"})
        return True

    def action_open_propose_wizard(self):
        """The screen that asks the manager for the proposal and its note."""
        return self._decision_wizard("propose", self.env._("Proposal to Production"))

    def action_open_reject_wizard(self):
        """The screen that asks the manager why the alert is rejected."""
        return self._decision_wizard("reject", self.env._("Reject Quality Alert"))

    def action_print_proposal(self):
        """Print the proposal to production."""
        return self._report_action("aftersales_service.action_report_quality_alert")

    def action_compute_alerts(self):
        """Check the defect rates now (the daily job does it every night) and
        list the alerts opened or updated."""
        ids = self.compute_alerts()
        return list_action(self, [("id", "in", ids)])

    def action_view_defects(self):
        """The defects counted by the alert."""
        self.ensure_one()
        return list_action(self.env["aftersales.defect"], [("id", "in", self.defect_ids.ids)])

    # ------------------------------------------------------------------
    # The defect-rate check
    # ------------------------------------------------------------------

    @api.model
    def compute_alerts(self, date=None):
        """Check the defect rate of every product of the user's companies over
        each company's window ending on ``date`` (default today): a product
        with at least the company's minimum units delivered in the window and
        a rate at or above its threshold gets an alert (its open alert updated
        if it has one, a new one otherwise). The open alert of a product that
        is no longer in breach keeps the figures of its last breach.

        :param date: last day of the window (ISO ``YYYY-MM-DD``), default today
        :return: the ids of the alerts opened or updated
        """
        day = to_date(self.env, date, self.env._("The date")) or fields.Date.context_today(self)
        self._check_manager(self.env._("compute quality alerts"))
        # The figures are the system's, not the caller's: the alerts are
        # written as the system, for the caller's companies only.
        Alert = self.sudo()
        alerts = Alert.browse()
        for company in self.env.companies:
            alerts |= Alert._compute_company_alerts(company, day)
        return alerts.ids

    @api.model
    def _cron_compute_alerts(self):
        """Daily job: the defect-rate check of every company."""
        companies = self.env["res.company"].sudo().search([("active", "=", True)])
        return self.sudo().with_context(allowed_company_ids=companies.ids).compute_alerts()

    @api.model
    def _compute_company_alerts(self, company, day):
        """Open or update the alerts of ``company`` for the window ending on ``day``."""
        months = company.aftersales_defect_window_months
        if months <= 0:
            return self.browse()
        date_from = day - relativedelta(months=months, days=-1)
        breaches = self._breaches(company, date_from, day)
        if not breaches:
            return self.browse()
        current = self.search(
            [
                ("company_id", "=", company.id),
                ("product_id", "in", list(breaches)),
                ("state", "in", OPEN_STATES),
            ]
        )
        by_product = {alert.product_id.id: alert for alert in current}
        threshold = company.aftersales_defect_rate_threshold
        new_vals, changes = [], {}
        for product_id, (units, defects) in breaches.items():
            figures = {
                "date_from": date_from,
                "date_to": day,
                "units_delivered": units,
                "defect_count": defects,
                "defect_rate": float_round(100.0 * defects / units, precision_digits=2),
                "threshold": threshold,
            }
            alert = by_product.get(product_id)
            if alert:
                changes[alert] = figures
            else:
                new_vals.append({"product_id": product_id, "company_id": company.id, **figures})
        updated = self._update_figures(changes)
        # Production follows the alerts (below), not whoever ran the check.
        opened = self.with_context(mail_create_nosubscribe=True).create(new_vals)
        alerts = opened | updated
        production = company.aftersales_production_user_id
        if production:
            # Assigned once (a manager may hand an alert to someone else), and
            # told once, by a to-do.
            unassigned = alerts.filtered(lambda alert: not alert.user_id)
            unassigned.with_context(mail_auto_subscribe_no_notify=True).write(
                {"user_id": production.id}
            )
            unassigned._schedule_production_activity(production)
        return alerts

    @api.model
    def _breaches(self, company, date_from, date_to):
        """{product id: (units delivered, defects)} of the products of
        ``company`` whose defect rate over [``date_from``, ``date_to``] reaches
        its threshold with at least its minimum units: one query for all the
        products. The rate is compared as 100 x defects >= threshold x units,
        in exact numbers, so a rate right at the threshold counts."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                WITH units AS (
                    SELECT product_id, SUM(quantity) AS units
                      FROM aftersales_warranty
                     WHERE company_id = %(company)s
                       AND state != 'void'
                       AND date_start BETWEEN %(date_from)s AND %(date_to)s
                  GROUP BY product_id
                ), defects AS (
                    SELECT product_id, COUNT(*) AS defects
                      FROM aftersales_defect
                     WHERE company_id = %(company)s
                       AND date BETWEEN %(date_from)s AND %(date_to)s
                  GROUP BY product_id
                )
                SELECT units.product_id, units.units, defects.defects
                  FROM units
                  JOIN defects ON defects.product_id = units.product_id
                 WHERE units.units > 0
                   AND units.units >= %(min_units)s
                   AND 100 * defects.defects >= %(threshold)s::numeric * units.units
              ORDER BY units.product_id
                """,
                company=company.id,
                date_from=date_from,
                date_to=date_to,
                min_units=company.aftersales_defect_min_units,
                threshold=company.aftersales_defect_rate_threshold,
            )
        )
        return {product_id: (float(units), defects) for product_id, units, defects in rows}

    def _update_figures(self, changes):
        """Write the new ``changes`` {alert: figures}, and log in the chatter
        of each alert whose rate moved how it moved: the writes of all the
        alerts are flushed together, the notes posted in one batch."""
        alerts = self.browse([alert.id for alert in changes])
        bodies = {}
        for alert, figures in changes.items():
            if float_compare(alert.defect_rate, figures["defect_rate"], precision_digits=2):
                units = "{:g}".format(figures["units_delivered"])
                bodies[alert.id] = Markup("<p>%s</p>") % self.env._(
                    "Defect rate now %(rate)s %% (was %(old_rate)s %%): %(defects)s defects "
                    "for %(units)s units delivered from %(date_from)s to %(date_to)s.",
                    rate=figures["defect_rate"],
                    old_rate=alert.defect_rate,
                    defects=figures["defect_count"],
                    units=units,
                    date_from=figures["date_from"],
                    date_to=figures["date_to"],
                )
            alert.write(figures)
        if bodies:
            self.browse(list(bodies))._message_log_batch(bodies=bodies)
        return alerts

    def _schedule_production_activity(self, user):
        """A to-do for ``user`` on each of these alerts, in one batch. No email
        per alert: the to-do shows in the user's activities, and the user
        follows the alerts."""
        if self:
            self.with_context(mail_activity_quick_update=True).activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Defect rate above the threshold"),
                note=self.env._(
                    "After-sales found that the defect rate of this product reached the "
                    "threshold: see the figures and the defects, and the proposal to come."
                ),
                user_id=user.id,
            )
        return self

    # ------------------------------------------------------------------
    # What the proposal prints
    # ------------------------------------------------------------------

    def _pareto(self):
        """The defect types of the alert's defects, most frequent first: list
        of dicts ``defect_type`` (a record, empty for defects without a type),
        ``label``, ``category`` (its label), ``count``, ``percent`` and
        ``cumulative`` (% of the defects)."""
        self.ensure_one()
        defects = self.defect_ids
        counts = Counter(defect.defect_type_id for defect in defects)
        total = len(defects)
        categories = dict(
            self.env["aftersales.defect.type"]._fields["category"]._description_selection(self.env)
        )
        rows, running = [], 0
        for defect_type, count in sorted(
            counts.items(), key=lambda item: (-item[1], item[0].code or "", item[0].id or 0)
        ):
            running += count
            rows.append(
                {
                    "defect_type": defect_type,
                    "label": defect_type.display_name or self.env._("Not classified"),
                    "category": categories.get(defect_type.category, ""),
                    "count": count,
                    "percent": 100.0 * count / total,
                    "cumulative": 100.0 * running / total,
                }
            )
        return rows

    def _top_root_causes(self, limit=TOP_ROOT_CAUSES):
        """The root causes the technicians recorded most often on the alert's
        defects: list of (root cause, count), most frequent first (the same
        text, whatever its case and blanks, counts once)."""
        self.ensure_one()
        counts = Counter()
        spelling = {}
        for defect in self.defect_ids.sorted("id"):
            text = " ".join((defect.root_cause or "").split())
            if text:
                counts[text.lower()] += 1
                spelling.setdefault(text.lower(), text)
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return [(spelling[key], count) for key, count in ranked[:limit]]

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _decision_wizard(self, decision, title):
        self.ensure_one()
        return wizard_action(
            self.env,
            "aftersales.quality.alert.decision",
            title,
            {"default_alert_id": self.id, "default_decision": decision},
        )
