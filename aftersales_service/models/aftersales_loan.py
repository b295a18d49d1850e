from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .arguments import to_text

OPEN_LOAN_STATES = ("draft", "lent")


class AftersalesLoan(models.Model):
    _name = "aftersales.loan"
    _description = "Loan of a Loaner Device"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "aftersales.document.mixin",
        "aftersales.rules.mixin",
        "aftersales.notify.mixin",
    ]
    _aftersales_action = "aftersales_service.aftersales_loan_action"
    _aftersales_sequence = "aftersales.loan"
    _order = "date_due desc, id desc"
    _check_company_auto = True
    _aftersales_action_fields = (
        "state",
        "date_out",
        "date_returned",
        "invoice_id",
        "reminder_sent",
        "due_reminder_sent",
    )

    loaner_id = fields.Many2one(
        "aftersales.loaner", required=True, index=True, check_company=True, tracking=True
    )
    product_id = fields.Many2one(related="loaner_id.product_id", store=True)
    lot_id = fields.Many2one(related="loaner_id.lot_id", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    service_order_id = fields.Many2one(
        "aftersales.service.order", index="btree_not_null", check_company=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        check_company=True,
    )
    date_out = fields.Datetime(readonly=True, copy=False)
    date_due = fields.Date(
        required=True,
        tracking=True,
        default=lambda self: (
            fields.Date.context_today(self)
            + relativedelta(days=self.env.company.aftersales_loan_days)
        ),
    )
    date_returned = fields.Datetime(readonly=True, copy=False)
    state = fields.Selection(
        [("draft", "Draft"), ("lent", "Lent"), ("returned", "Returned"), ("lost", "Lost")],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    condition_out = fields.Text(string="Condition When Lent")
    condition_in = fields.Text(string="Condition When Returned", copy=False)
    return_needs_maintenance = fields.Boolean(copy=False)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    reminder_sent = fields.Boolean(readonly=True, copy=False)
    due_reminder_sent = fields.Boolean(
        readonly=True, copy=False, help="The customer was reminded the day before the due date."
    )
    picking_ids = fields.One2many("stock.picking", "aftersales_loan_id", string="Transfers")
    picking_out_id = fields.Many2one(
        "stock.picking", string="Delivery", compute="_compute_pickings"
    )
    picking_in_id = fields.Many2one("stock.picking", string="Return", compute="_compute_pickings")
    invoice_id = fields.Many2one(
        "account.move",
        string="Lost Device Invoice",
        readonly=True,
        copy=False,
        check_company=True,
    )

    _sql_constraints = [
        # The partial unique index of init(); named here for its message.
        ("loaner_open_uniq", "", "This loaner is already lent or about to be lent."),
    ]

    def init(self):
        # A loaner is never out twice: at most one open loan per loaner.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS aftersales_loan_loaner_open_uniq
            ON aftersales_loan (loaner_id) WHERE state IN ('draft', 'lent')
            """
        )

    @api.depends("picking_ids.state", "picking_ids.aftersales_transfer_kind")
    def _compute_pickings(self):
        for loan in self:
            live = loan.picking_ids.filtered(lambda p: p.state != "cancel")
            loan.picking_out_id = live.filtered(lambda p: p.aftersales_transfer_kind == "loan_out")[
                :1
            ]
            loan.picking_in_id = live.filtered(lambda p: p.aftersales_transfer_kind == "loan_in")[
                :1
            ]

    @api.depends("state", "date_due")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for loan in self:
            loan.is_overdue = loan.state == "lent" and loan.date_due < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search overdue loans with = True or = False."))
        overdue = [("state", "=", "lent"), ("date_due", "<", fields.Date.context_today(self))]
        return overdue if (operator == "=") == value else ["!", "&", *overdue]

    @api.constrains("date_due")
    def _check_date_due(self):
        for loan in self:
            if loan.state == "draft" and loan.date_due < fields.Date.context_today(loan):
                raise ValidationError(self.env._("The due date of %s is in the past.", loan.name))

    @api.model_create_multi
    def create(self, vals_list):
        """Open loans only for loaners that can be lent, each once."""
        if any(not vals.get("loaner_id") for vals in vals_list):
            raise UserError(self.env._("Choose the loaner to lend."))
        loaners = self.env["aftersales.loaner"].browse([vals["loaner_id"] for vals in vals_list])
        if len(set(loaners.ids)) < len(vals_list):
            raise UserError(self.env._("A loaner cannot be lent twice at once."))
        loaners._lock_for_action(self.env._("lend"))
        loaners._check_lendable()
        return super().create(vals_list)

    def action_lend(self):
        """Send the loaners to the customers: a delivery from Loaners for each
        draft loan; validating it makes the loan ``lent``."""
        self._lock_for_action(self.env._("lend"))
        wrong = self.filtered(lambda loan: loan.state != "draft" or loan.picking_out_id)
        if wrong:
            raise UserError(
                self.env._(
                    "Only a draft loan that is not on its way can be lent: %s",
                    ", ".join(wrong.mapped("name")),
                )
            )
        self.loaner_id._check_in_loaners()
        self.env["stock.picking"]._aftersales_create_unit_transfers(
            [loan._unit_transfer("loan_out") for loan in self]
        )
        return True

    def action_return(self, condition_in=None, needs_maintenance=False):
        """The customer brings the loaners back: a receipt into Loaners; validating
        it makes the loan ``returned`` and the loaner available again (or in
        maintenance when ``needs_maintenance``)."""
        condition_in = to_text(self.env, condition_in, self.env._("The condition"), required=False)
        self._lock_for_action(self.env._("take back"))
        wrong = self.filtered(lambda loan: loan.state != "lent" or loan.picking_in_id)
        if wrong:
            raise UserError(
                self.env._(
                    "Only a lent loan can be returned, once: %s", ", ".join(wrong.mapped("name"))
                )
            )
        self.write(
            {
                "condition_in": condition_in or False,
                "return_needs_maintenance": bool(needs_maintenance),
            }
        )
        self.env["stock.picking"]._aftersales_create_unit_transfers(
            [loan._unit_transfer("loan_in") for loan in self]
        )
        return True

    def action_return_button(self):
        """Create the return transfer from the form (conditions as entered)."""
        return self.action_return(self.condition_in, self.return_needs_maintenance)

    def action_mark_lost(self, invoice=False):
        """Manager only: the customer lost the loaners. Their serials are scrapped
        and, when ``invoice``, the customer is invoiced their cost."""
        self._check_manager(self.env._("mark loaners lost"))
        self._lock_for_action(self.env._("mark lost"))
        wrong = self.filtered(lambda loan: loan.state != "lent")
        if wrong:
            raise UserError(
                self.env._("Only a lent loan can be lost: %s", ", ".join(wrong.mapped("name")))
            )
        self.picking_in_id.filtered(lambda p: p.state not in ("done", "cancel")).action_cancel()
        self._scrap_lost_units()
        if invoice:
            for loan in self:
                loan._write_from_action({"invoice_id": loan._create_lost_invoice().id})
        self._write_from_action({"state": "lost"})
        self.loaner_id.sudo().write({"retired": True})
        return True

    def action_mark_lost_invoice(self):
        """Mark lost and invoice the customer (button)."""
        return self.action_mark_lost(invoice=True)

    def action_print_agreement(self):
        """Print the loan agreement the customer signs."""
        return self._report_action("aftersales_service.action_report_loan_agreement")

    def _on_picking_done(self, picking):
        """Move the loan on when its delivery or its return is validated."""
        self.ensure_one()
        kind = picking.aftersales_transfer_kind
        if kind == "loan_out" and self.state == "draft":
            self._write_from_action({"state": "lent", "date_out": picking.date_done})
        elif kind == "loan_in" and self.state == "lent":
            self._write_from_action({"state": "returned", "date_returned": picking.date_done})
            if self.return_needs_maintenance:
                self.loaner_id.needs_maintenance = True

    @api.model
    def _cron_remind_overdue(self):
        """Daily job: the customers whose loaner is due back tomorrow are
        reminded, once; for each overdue loan, once, an activity for its
        responsible and a reminder email to the customer."""
        tomorrow = fields.Date.context_today(self) + relativedelta(days=1)
        due = self._lock_batch(
            [("state", "=", "lent"), ("date_due", "=", tomorrow), ("due_reminder_sent", "=", False)]
        )
        due._notify_customer("loan_due")
        due._write_from_action({"due_reminder_sent": True})
        overdue = self._lock_batch([("is_overdue", "=", True), ("reminder_sent", "=", False)])
        overdue._schedule_activity_once(
            self.env._("Loaner not returned"),
            lambda loan: self.env._("Due on %s.", loan.date_due),
        )
        overdue._notify_customer("loan_overdue")
        overdue._write_from_action({"reminder_sent": True})
        return overdue

    def _unit_transfer(self, kind):
        """The transfer of ``kind`` (``loan_out``, ``loan_in``) of the loaner."""
        self.ensure_one()
        return self.env["stock.picking"]._prepare_unit_transfer(
            kind,
            self.loaner_id.warehouse_id,
            self.product_id,
            self.partner_id,
            lot=self.lot_id,
            origin=self.name,
            links={"aftersales_loan_id": self.id},
        )

    def _scrap_lost_units(self):
        """Scrap the lost serials, from the customer's location, with Odoo's
        scrap orders (the warehouse sees them as usual)."""
        customers = self.env.ref("stock.stock_location_customers")
        scraps = (
            self.env["stock.scrap"]
            .sudo()
            .create(
                [
                    {
                        "product_id": loan.product_id.id,
                        "lot_id": loan.lot_id.id,
                        "scrap_qty": 1.0,
                        "location_id": customers.id,
                        "company_id": loan.company_id.id,
                        "origin": loan.name,
                    }
                    for loan in self
                ]
            )
        )
        scraps.do_scrap()

    def _create_lost_invoice(self):
        self.ensure_one()
        invoice = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "invoice_origin": self.name,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product_id.id,
                                "name": self.env._(
                                    "Lost loaner %(product)s, serial %(lot)s",
                                    product=self.product_id.display_name,
                                    lot=self.lot_id.name,
                                ),
                                "quantity": 1.0,
                                "price_unit": self.product_id.with_company(
                                    self.company_id
                                ).standard_price,
                            }
                        )
                    ],
                }
            )
        )
        return invoice
