from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from .arguments import to_choice, to_number, to_record, to_text
from .window_actions import form_action, records_action, wizard_action

CONCLUSIONS = [
    ("defect_confirmed", "Defect Confirmed"),
    ("customer_fault", "Customer Fault"),
    ("no_fault", "No Fault"),
]
# What a conclusion makes of the service order: its coverage (None: left as it
# is) and who bears the cost of the expertise.
CONCLUSION_EFFECTS = {
    "defect_confirmed": ("warranty", "company"),
    "customer_fault": ("paid", "customer"),
    "no_fault": (None, "company"),
}
# Transfers that take the order's unit somewhere: while one is open, the unit
# is on its way and cannot go to an examiner as well.
UNIT_MOVES = (
    "workshop_out",
    "workshop_in",
    "expertise_out",
    "expertise_in",
    "service_out",
    "replacement_out",
)


class AftersalesExpertise(models.Model):
    _name = "aftersales.expertise"
    _description = "Independent Expertise"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "aftersales.document.mixin",
        "aftersales.rules.mixin",
    ]
    _aftersales_action = "aftersales_service.aftersales_expertise_action"
    _aftersales_sequence = "aftersales.expertise"
    _order = "id desc"
    _check_company_auto = True
    _aftersales_action_fields = (
        "state",
        "date_sent",
        "date_concluded",
        "conclusion",
        "conclusion_note",
        "cost",
        "cost_bearer",
    )

    service_order_id = fields.Many2one(
        "aftersales.service.order",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Examiner",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        help="The independent examiner the unit is sent to.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        check_company=True,
    )
    customer_id = fields.Many2one(
        related="service_order_id.partner_id", string="Customer", store=True, index=True
    )
    product_id = fields.Many2one(related="service_order_id.product_id", store=True)
    lot_id = fields.Many2one(related="service_order_id.lot_id", store=True)
    question = fields.Text(
        string="Question to the Examiner",
        help="What the examiner is asked to establish; printed on the transfer note.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("sent", "Sent"),
            ("concluded", "Concluded"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    date_sent = fields.Date(readonly=True, copy=False, tracking=True)
    date_concluded = fields.Date(readonly=True, copy=False, tracking=True)
    picking_ids = fields.One2many("stock.picking", "aftersales_expertise_id", string="Transfers")
    picking_out_id = fields.Many2one(
        "stock.picking", string="Transfer Out", compute="_compute_pickings"
    )
    picking_in_id = fields.Many2one(
        "stock.picking", string="Transfer Back", compute="_compute_pickings"
    )
    picking_count = fields.Integer(compute="_compute_pickings")
    unit_status = fields.Selection(
        [
            ("in_service", "In Service"),
            ("leaving", "Leaving for the Examiner"),
            ("at_examiner", "At the Examiner"),
            ("back", "Back in Service"),
        ],
        compute="_compute_pickings",
        string="Unit",
        help="Where the unit is, from the expertise's transfers done.",
    )
    conclusion = fields.Selection(CONCLUSIONS, readonly=True, copy=False, tracking=True)
    conclusion_note = fields.Text(readonly=True, copy=False, tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    cost = fields.Monetary(string="Expertise Cost", readonly=True, copy=False, tracking=True)
    cost_bearer = fields.Selection(
        [("company", "Company"), ("customer", "Customer")],
        string="Cost Borne By",
        readonly=True,
        copy=False,
        tracking=True,
        help="The customer when the examiner finds them at fault, else the company.",
    )

    _sql_constraints = [
        ("cost_positive", "CHECK(cost >= 0)", "The cost of an expertise cannot be negative."),
    ]

    @api.depends("picking_ids.state", "picking_ids.aftersales_transfer_kind")
    def _compute_pickings(self):
        for expertise in self:
            live = expertise.picking_ids.filtered(lambda p: p.state != "cancel")
            expertise.picking_out_id = live.filtered(
                lambda p: p.aftersales_transfer_kind == "expertise_out"
            )[:1]
            expertise.picking_in_id = live.filtered(
                lambda p: p.aftersales_transfer_kind == "expertise_in"
            )[:1]
            expertise.picking_count = len(expertise.picking_ids)
            out, back = expertise.picking_out_id, expertise.picking_in_id
            if back.state == "done":
                expertise.unit_status = "back"
            elif out.state == "done":
                expertise.unit_status = "at_examiner"
            elif out and expertise.state in ("sent", "concluded"):
                expertise.unit_status = "leaving"
            else:
                expertise.unit_status = "in_service"

    @api.model_create_multi
    def create(self, vals_list):
        """An expertise belongs to the company of its service order."""
        orders = self.env["aftersales.service.order"].browse(
            [vals["service_order_id"] for vals in vals_list if vals.get("service_order_id")]
        )
        for vals in vals_list:
            if vals.get("service_order_id") and not vals.get("company_id"):
                vals["company_id"] = orders.browse(vals["service_order_id"]).company_id.id
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(expertise.state not in ("draft", "cancel") for expertise in self):
            raise UserError(self.env._("Cancel an expertise that was sent instead of deleting it."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_send(self):
        """Send the units to their examiners: for each expertise a transfer
        from Service to the examiner and the expected one back, for the
        warehouse to validate. The unit stays the customer's."""
        self._lock_for_action(self.env._("send to expertise"))
        self._check_state(("draft",), self.env._("send to expertise"))
        self._check_company()
        orders = self.service_order_id
        if len(orders) < len(self):
            raise UserError(self.env._("A unit goes to one examiner at a time."))
        orders._lock_for_action(self.env._("send to expertise"))
        for expertise in self:
            expertise._check_sendable()
        self.env["stock.picking"]._aftersales_create_unit_transfers(
            [unit for expertise in self for unit in expertise._unit_transfers()]
        )
        self._write_from_action({"state": "sent", "date_sent": fields.Date.context_today(self)})
        return True

    def action_conclude(self, conclusion, note, cost=0.0):
        """Manager only: record what the examiner concluded (``conclusion``, a
        key of CONCLUSIONS, with the examiner's ``note`` and what the expertise
        ``cost``). The unit need not be back yet. A confirmed defect puts the
        service order under warranty, at the company's cost; a customer at
        fault pays the service and the expertise (added to the quotation); no
        fault leaves the coverage as it is. The customer is emailed the
        conclusion, in the chatter of the service order."""
        self.ensure_one()
        self._check_manager(self.env._("conclude an expertise"))
        conclusion = to_choice(self.env, conclusion, CONCLUSIONS, self.env._("The conclusion"))
        note = to_text(self.env, note, self.env._("The conclusion note"))
        cost = to_number(self.env, cost, self.env._("The expertise cost"), minimum=0)
        self._lock_for_action(self.env._("conclude"))
        self._check_state(("sent",), self.env._("conclude"))
        self.service_order_id._lock_for_action(self.env._("apply an expertise conclusion"))
        self._write_from_action(
            {
                "state": "concluded",
                "date_concluded": fields.Date.context_today(self),
                "conclusion": conclusion,
                "conclusion_note": note,
                "cost": cost,
                "cost_bearer": CONCLUSION_EFFECTS[conclusion][1],
            }
        )
        self.service_order_id._apply_expertise_conclusion(self)
        self._email_conclusion()
        return True

    def action_cancel(self):
        """Cancel the expertises and their transfers that are not done. A unit
        already at the examiner keeps its transfer back, so that it returns."""
        self._lock_for_action(self.env._("cancel"))
        self._check_state(("draft", "sent"), self.env._("cancel"))
        open_pickings = self.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        out = self.picking_ids.filtered(
            lambda p: p.aftersales_transfer_kind == "expertise_out" and p.state == "done"
        )
        returns = open_pickings.filtered(
            lambda p: (
                p.aftersales_transfer_kind == "expertise_in"
                and p.aftersales_expertise_id in out.aftersales_expertise_id
            )
        )
        (open_pickings - returns).action_cancel()
        self._write_from_action({"state": "cancel"})
        return True

    def action_open_conclude_wizard(self):
        """Open the screen where a manager records the examiner's conclusion."""
        self.ensure_one()
        return wizard_action(
            self.env,
            "aftersales.expertise.conclude",
            self.env._("Record the Conclusion"),
            {"default_expertise_id": self.id},
        )

    def action_print_note(self):
        """Print the transfer note that goes with the unit to the examiner."""
        return self._report_action("aftersales_service.action_report_expertise_transfer")

    def action_view_pickings(self):
        """The transfers of this expertise."""
        self.ensure_one()
        return records_action(self.picking_ids, "stock.action_picking_tree_all")

    def action_view_service_order(self):
        """The service order of this expertise."""
        self.ensure_one()
        return form_action(self.service_order_id)

    # ------------------------------------------------------------------
    # Business methods, called by the service order
    # ------------------------------------------------------------------

    @api.model
    def _create_sent(self, order, partner, question):
        """A new expertise of ``order`` by the examiner ``partner`` (a
        res.partner or its id), asked ``question``, sent at once."""
        partner = to_record(self.env, "res.partner", partner, self.env._("The examiner"))
        question = to_text(self.env, question, self.env._("The question to the examiner"))
        expertise = self.create(
            {"service_order_id": order.id, "partner_id": partner.id, "question": question}
        )
        expertise.action_send()
        return expertise

    def _concluded_coverage(self):
        """The coverage the conclusion gives the service order (None: unchanged)."""
        self.ensure_one()
        return CONCLUSION_EFFECTS[self.conclusion][0] if self.state == "concluded" else None

    def _conclusion_text(self):
        """The conclusion in one line, citing the expertise and its examiner."""
        self.ensure_one()
        labels = dict(self._fields["conclusion"]._description_selection(self.env))
        return self.env._(
            "Independent expertise %(expertise)s by %(examiner)s: %(conclusion)s. %(note)s",
            expertise=self.name,
            examiner=self.partner_id.display_name,
            conclusion=labels[self.conclusion],
            note=self.conclusion_note,
        )

    def _prepare_quotation_lines(self):
        """The quotation lines of the expertises the customer pays for."""
        billed = self.filtered(
            lambda e: e.state == "concluded" and e.cost_bearer == "customer" and e.cost
        )
        if not billed:
            return []
        product = self.env.ref(
            "aftersales_service.product_service_expertise", raise_if_not_found=False
        )
        if not product:
            raise UserError(
                self.env._("The service product Independent Expertise is missing: reinstall it.")
            )
        return [
            Command.create(
                {
                    "product_id": product.id,
                    "name": self.env._(
                        "Independent expertise %(expertise)s of %(product)s %(serial)s "
                        "by %(examiner)s",
                        expertise=expertise.name,
                        product=expertise.product_id.display_name,
                        serial=expertise.lot_id.name or "",
                        examiner=expertise.partner_id.display_name,
                    ),
                    "product_uom_qty": 1.0,
                    "price_unit": expertise.cost,
                }
            )
            for expertise in billed
        ]

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _check_sendable(self):
        """Refuse to send a unit that is not waiting in Service for its order."""
        self.ensure_one()
        order = self.service_order_id
        if not self.question:
            raise UserError(
                self.env._("Write what the examiner is asked before sending %s.", self.name)
            )
        order._check_state(("received", "in_progress"), self.env._("send to expertise"))
        others = order.expertise_ids.filtered(lambda e: e.state == "sent") - self
        if others:
            raise UserError(
                self.env._(
                    "The unit of %(order)s is already at expertise (%(expertises)s).",
                    order=order.name,
                    expertises=", ".join(others.mapped("name")),
                )
            )
        moving = order._open_pickings(*UNIT_MOVES)
        if moving:
            raise UserError(
                self.env._(
                    "The unit of %(order)s is on its way (%(transfers)s): it cannot go to "
                    "expertise now.",
                    order=order.name,
                    transfers=", ".join(moving.mapped("name")),
                )
            )
        if order.unit_location != "service":
            raise UserError(
                self.env._("The unit of %s is not in the Service location.", order.name)
            )

    def _unit_transfers(self):
        """The unit's transfer to the examiner and back, linked to the
        expertise and to its service order; the customer stays the owner of a
        unit that is still theirs."""
        self.ensure_one()
        order = self.service_order_id
        owner = order.partner_id if order._unit_owned_by_customer() else None
        return [
            self.env["stock.picking"]._prepare_unit_transfer(
                kind,
                order.warehouse_id,
                order.product_id,
                self.partner_id,
                lot=order.lot_id,
                owner=owner,
                origin=f"{order.name} / {self.name}",
                links={
                    "aftersales_service_order_id": order.id,
                    "aftersales_expertise_id": self.id,
                },
            )
            for kind in ("expertise_out", "expertise_in")
        ]

    def _email_conclusion(self):
        """Email the customer the conclusion, posted in the chatter of the
        service order (the template is rendered on the expertise)."""
        template = self.env.ref("aftersales_service.mail_template_expertise_conclusion")
        for expertise in self:
            values = template._generate_template(
                expertise.ids, ("subject", "body_html", "email_from", "partner_to")
            )[expertise.id]
            extra = {"email_from": values["email_from"]} if values.get("email_from") else {}
            expertise.service_order_id.message_post(
                author_id=self.env.user.partner_id.id,
                body=values["body_html"],
                subject=values["subject"],
                partner_ids=values.get("partner_ids", []),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid="mail.mail_notification_light",
                **extra,
            )
