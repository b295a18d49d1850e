from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .arguments import to_number, to_records, to_text
from .window_actions import form_action, list_action, records_action


class AftersalesSupplierClaim(models.Model):
    _name = "aftersales.supplier.claim"
    _description = "Supplier Claim"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "aftersales.document.mixin",
        "aftersales.rules.mixin",
    ]
    _aftersales_action = "aftersales_service.aftersales_supplier_claim_action"
    _aftersales_sequence = "aftersales.supplier.claim"
    _order = "date desc, id desc"
    _check_company_auto = True
    _aftersales_action_fields = ("state", "amount_accepted", "reject_reason")

    partner_id = fields.Many2one(
        "res.partner",
        string="Vendor",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        check_company=True,
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        check_company=True,
        default=lambda self: self._default_warehouse_id(),
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    date_deadline = fields.Date(string="Response Deadline", tracking=True, copy=False)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("sent", "Sent"),
            ("accepted", "Accepted"),
            ("rejected", "Rejected"),
            ("settled", "Settled"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    line_ids = fields.One2many("aftersales.supplier.claim.line", "claim_id", copy=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_claimed = fields.Monetary(compute="_compute_amount_claimed", store=True)
    amount_accepted = fields.Monetary(readonly=True, tracking=True, copy=False)
    amount_recovered = fields.Monetary(compute="_compute_amount_recovered", store=True)
    reject_reason = fields.Text(readonly=True, copy=False)
    credit_note_ids = fields.One2many(
        "account.move", "aftersales_supplier_claim_id", string="Credit Notes"
    )
    picking_ids = fields.One2many("stock.picking", "aftersales_supplier_claim_id")
    service_order_ids = fields.Many2many(
        "aftersales.service.order", compute="_compute_service_order_ids"
    )
    credit_note_count = fields.Integer(compute="_compute_counts")
    picking_count = fields.Integer(compute="_compute_counts")

    @api.depends("line_ids.price_subtotal")
    def _compute_amount_claimed(self):
        for claim in self:
            claim.amount_claimed = sum(claim.line_ids.mapped("price_subtotal"))

    @api.depends(
        "credit_note_ids.state",
        "credit_note_ids.amount_untaxed",
        "picking_ids.state",
        "picking_ids.aftersales_transfer_kind",
        "line_ids.price_unit",
    )
    def _compute_amount_recovered(self):
        for claim in self:
            # Vendor credit notes belong to Accounting: read them as the system.
            credited = sum(
                claim.sudo()
                .credit_note_ids.filtered(lambda m: m.state == "posted")
                .mapped("amount_untaxed")
            )
            prices = {line.product_id: line.price_unit for line in claim.line_ids}
            replaced = sum(
                move.quantity * prices.get(move.product_id, 0.0)
                for move in claim.picking_ids.filtered(
                    lambda p: (
                        p.state == "done" and p.aftersales_transfer_kind == "vendor_replacement_in"
                    )
                ).move_ids
            )
            claim.amount_recovered = credited + replaced

    @api.depends("line_ids.service_order_id")
    def _compute_service_order_ids(self):
        for claim in self:
            claim.service_order_ids = claim.line_ids.service_order_id

    def _compute_counts(self):
        for claim in self:
            claim.credit_note_count = len(claim.sudo().credit_note_ids)
            claim.picking_count = len(claim.picking_ids)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(claim.state not in ("draft", "cancel") for claim in self):
            raise UserError(self.env._("Cancel a claim that was sent instead of deleting it."))

    # ------------------------------------------------------------------
    # Creation from service orders
    # ------------------------------------------------------------------

    @api.model
    def create_from_service_orders(self, orders):
        """One draft claim per vendor for the faulty units of ``orders``: the
        vendor is the one the serial was received from, else the product's
        first vendor.

        :param orders: service orders (records or ids)
        :return: the ids of the new claims
        """
        orders = to_records(
            self.env, "aftersales.service.order", orders, self.env._("The service orders")
        )
        return self._create_claims(self._propose_lines(orders)).ids

    @api.model
    def _propose_lines(self, orders):
        """The claim lines ``orders`` call for, each with its ``vendor``."""
        proposals = []
        receipts = self._vendor_receipts(orders.lot_id)
        no_receipt = self.env["stock.picking"]
        for order in orders:
            if not order.product_id:
                raise UserError(self.env._("%s has no product to claim.", order.name))
            vendor = self._vendor_for(order.product_id, receipts.get(order.lot_id, no_receipt))
            if not vendor:
                raise UserError(
                    self.env._(
                        "No vendor found for %(product)s of %(order)s: it was not received "
                        "from a vendor and the product has no vendor line.",
                        product=order.product_id.display_name,
                        order=order.name,
                    )
                )
            proposals.append(
                {
                    "vendor": vendor,
                    "service_order": order,
                    "product": order.product_id,
                    "lot": order.lot_id,
                    "price_unit": self._vendor_price(vendor, order.product_id),
                    "description": order.description,
                }
            )
        return proposals

    @api.model
    def _create_claims(self, proposals):
        """Create one draft claim per vendor of ``proposals`` (see _propose_lines)."""
        if not proposals:
            raise UserError(self.env._("Choose the service orders to claim for."))
        orders = self.env["aftersales.service.order"].union(
            *(proposal["service_order"] for proposal in proposals)
        )
        if len(orders) < len(proposals):
            raise UserError(self.env._("A service order can be claimed only once."))
        orders._lock_for_action(self.env._("claim from the vendor"))
        claimed = self.env["aftersales.supplier.claim.line"].search(
            [
                ("service_order_id", "in", orders.ids),
                ("claim_id.state", "not in", ("cancel", "rejected")),
            ]
        )
        if claimed:
            raise UserError(
                self.env._(
                    "Already claimed from a vendor: %s",
                    ", ".join(
                        f"{line.service_order_id.name} ({line.claim_id.name})" for line in claimed
                    ),
                )
            )
        by_vendor = defaultdict(list)
        for proposal in proposals:
            by_vendor[proposal["vendor"]].append(proposal)
        return self.create(
            [
                {
                    "partner_id": vendor.id,
                    "company_id": lines[0]["service_order"].company_id.id,
                    "warehouse_id": lines[0]["service_order"].warehouse_id.id,
                    "line_ids": [
                        Command.create(
                            {
                                "service_order_id": line["service_order"].id,
                                "product_id": line["product"].id,
                                "lot_id": line["lot"].id,
                                "quantity": 1.0,
                                "price_unit": line["price_unit"],
                                "description": line["description"],
                            }
                        )
                        for line in lines
                    ],
                }
                for vendor, lines in by_vendor.items()
            ]
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_send(self):
        """Manager only: email the claim letter through the mail composer; the
        claim is ``sent`` once the email goes, with its response deadline."""
        self.ensure_one()
        self._check_manager(self.env._("send claims"))
        self._check_state(("draft", "sent"), self.env._("send"))
        if not self.line_ids:
            raise UserError(self.env._("Claim %s has no lines to claim.", self.name))
        template = self.env.ref("aftersales_service.mail_template_supplier_claim")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "mark_claim_as_sent": True,
            },
        }

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        """Sending the claim letter from the composer marks the claim sent."""
        if self.env.context.get("mark_claim_as_sent"):
            self.filtered(lambda claim: claim.state == "draft")._mark_sent()
        return super().message_post(**kwargs)

    def action_return_goods(self):
        """Deliver the claimed units from Service to the vendor. Only units the
        company owns (replaced or refunded to the customer) can go."""
        self._lock_for_action(self.env._("return goods"))
        self._check_state(("draft", "sent", "accepted"), self.env._("return goods"))
        self._check_no_transfer("vendor_return", self.env._("The goods are already returned"))
        units = []
        for claim in self:
            lines = claim.line_ids.filtered("lot_id")
            if not lines:
                raise UserError(self.env._("Claim %s has no serial to send back.", claim.name))
            claim._check_units_owned(lines)
            units += [claim._unit_transfer("vendor_return", line) for line in lines]
        self.env["stock.picking"]._aftersales_create_unit_transfers(units)
        return True

    def action_accept(self, amount):
        """Manager only: the vendor accepts ``amount``; the service orders of the
        claim are now paid by the supplier."""
        self.ensure_one()
        self._check_manager(self.env._("accept claims"))
        amount = to_number(self.env, amount, self.env._("The accepted amount"))
        self._lock_for_action(self.env._("accept"))
        self._check_state(("sent",), self.env._("accept"))
        if amount <= 0:
            raise UserError(self.env._("The accepted amount must be positive."))
        if float_compare(amount, self.amount_claimed, precision_rounding=0.01) > 0:
            raise UserError(
                self.env._(
                    "The accepted amount (%(accepted)s) is more than was claimed (%(claimed)s).",
                    accepted=amount,
                    claimed=self.amount_claimed,
                )
            )
        self._write_from_action({"state": "accepted", "amount_accepted": amount})
        self.line_ids.service_order_id.sudo().write({"cost_bearer": "supplier"})
        return True

    def action_reject(self, reason):
        """Manager only: the vendor rejects the claim, for ``reason``."""
        self._check_manager(self.env._("reject claims"))
        reason = to_text(self.env, reason, self.env._("The vendor's reason to reject the claim"))
        self._lock_for_action(self.env._("reject"))
        self._check_state(("sent",), self.env._("reject"))
        self._write_from_action({"state": "rejected", "reject_reason": reason})
        return True

    def action_cancel(self):
        """Manager only: cancel the claims and their transfers not done yet."""
        self._check_manager(self.env._("cancel claims"))
        self._lock_for_action(self.env._("cancel"))
        self._check_state(("draft", "sent", "accepted", "rejected"), self.env._("cancel"))
        self.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")).action_cancel()
        self._write_from_action({"state": "cancel"})
        return True

    def action_create_credit_note(self):
        """The vendor credit note of an accepted claim: one line per claim line,
        priced so that it totals the accepted amount. Left in draft for the
        accountants."""
        self.ensure_one()
        self._lock_for_action(self.env._("credit"))
        self._check_state(("accepted",), self.env._("credit"))
        if self.sudo().credit_note_ids.filtered(lambda move: move.state != "cancel"):
            raise UserError(self.env._("Claim %s already has a credit note.", self.name))
        ratio = self.amount_accepted / self.amount_claimed if self.amount_claimed else 0.0
        credit_note = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "in_refund",
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "invoice_origin": self.name,
                    "ref": self.name,
                    "aftersales_supplier_claim_id": self.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": line.product_id.id,
                                "name": self.env._(
                                    "%(product)s %(serial)s: %(fault)s",
                                    product=line.product_id.display_name,
                                    serial=line.lot_id.name or "",
                                    fault=line.description or self.env._("defective"),
                                ),
                                "quantity": line.quantity,
                                "price_unit": line.price_unit * ratio,
                                "tax_ids": [Command.clear()],
                            }
                        )
                        for line in self.line_ids
                    ],
                }
            )
        )
        return form_action(credit_note)

    def action_receive_replacement(self):
        """The receipt into stock of the replacement units the vendor sends."""
        self._lock_for_action(self.env._("receive replacements"))
        self._check_state(("accepted",), self.env._("receive replacements"))
        self._check_no_transfer(
            "vendor_replacement_in", self.env._("The replacements are already expected")
        )
        units = [
            claim._unit_transfer("vendor_replacement_in", line)
            for claim in self
            for line in claim.line_ids
        ]
        self.env["stock.picking"]._aftersales_create_unit_transfers(units)
        return True

    def action_print_letter(self):
        """Print the claim letter."""
        return self._report_action("aftersales_service.action_report_supplier_claim")

    def action_view_credit_notes(self):
        """The vendor credit notes of this claim."""
        self.ensure_one()
        return records_action(self.credit_note_ids, "account.action_move_in_refund_type")

    def action_view_pickings(self):
        """The transfers of this claim."""
        self.ensure_one()
        return records_action(self.picking_ids, "stock.action_picking_tree_all")

    def action_view_service_orders(self):
        """The service orders this claim is for."""
        self.ensure_one()
        return list_action(
            self.env["aftersales.service.order"], [("id", "in", self.service_order_ids.ids)]
        )

    # ------------------------------------------------------------------
    # Business methods and helpers
    # ------------------------------------------------------------------

    def _check_settled(self):
        """An accepted claim is settled once what was accepted is recovered."""
        self.invalidate_recordset(["amount_recovered"])
        for claim in self.filtered(lambda c: c.state == "accepted"):
            if (
                float_compare(
                    claim.amount_recovered,
                    claim.amount_accepted,
                    precision_rounding=claim.currency_id.rounding,
                )
                >= 0
            ):
                claim._write_from_action({"state": "settled"})

    @api.model
    def _cron_flag_overdue(self):
        """Daily job: an activity for the responsible of each claim the vendor
        has not answered by its deadline, once."""
        overdue = self._lock_batch(
            [("state", "=", "sent"), ("date_deadline", "<", fields.Date.context_today(self))]
        )
        return overdue._schedule_activity_once(
            self.env._("Vendor has not answered the claim"),
            lambda claim: self.env._("The answer was due on %s.", claim.date_deadline),
        )

    def _mark_sent(self):
        today = fields.Date.context_today(self)
        for company, claims in self.grouped("company_id").items():
            claims._write_from_action(
                {
                    "state": "sent",
                    "date_deadline": today
                    + relativedelta(days=company.aftersales_claim_response_days),
                }
            )

    def _check_lines_editable(self):
        """Refuse to change the lines of a claim once it is sent to the vendor."""
        if self.env.su:
            return
        sent = self.filtered(lambda claim: claim.state != "draft")
        if sent:
            raise UserError(
                self.env._(
                    "The lines of %s cannot change: the claim has been sent to the vendor.",
                    ", ".join(sent.mapped("name")),
                )
            )

    def _check_no_transfer(self, kind, what):
        """Refuse when a claim already has a transfer of ``kind`` not cancelled."""
        done = self.picking_ids.filtered(
            lambda p: p.aftersales_transfer_kind == kind and p.state != "cancel"
        )
        if done:
            raise UserError(
                self.env._(
                    "%(what)s: %(transfers)s", what=what, transfers=", ".join(done.mapped("name"))
                )
            )

    def _unit_transfer(self, kind, line):
        """The transfer of ``kind`` (``vendor_return``: the serial of ``line``
        back to the vendor; ``vendor_replacement_in``: a new unit of its product
        from the vendor into stock)."""
        self.ensure_one()
        return self.env["stock.picking"]._prepare_unit_transfer(
            kind,
            self.warehouse_id,
            line.product_id,
            self.partner_id,
            lot=line.lot_id if kind == "vendor_return" else None,
            origin=self.name,
            links={"aftersales_supplier_claim_id": self.id},
        )

    def _check_units_owned(self, lines):
        """Refuse to send back a unit the company does not own in Service."""
        service = self.warehouse_id.aftersales_service_loc_id
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", lines.lot_id.ids),
                    ("location_id", "=", service.id),
                    ("quantity", ">", 0),
                ]
            )
        )
        owned = {quant.lot_id for quant in quants if not quant.owner_id}
        for line in lines:
            if line.lot_id not in owned:
                customer = quants.filtered(lambda q, lot=line.lot_id: q.lot_id == lot).owner_id
                raise UserError(
                    self.env._(
                        "Serial %(lot)s cannot go back to the vendor: %(why)s",
                        lot=line.lot_id.name,
                        why=self.env._("it still belongs to the customer %s.", customer.name)
                        if customer
                        else self.env._("it is not in the Service location."),
                    )
                )

    @api.model
    def _vendor_receipts(self, lots):
        """{lot: the vendor receipt the serial came in with (the last one)}, in
        one query for all ``lots``."""
        lines = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", lots.ids),
                    ("company_id", "in", self.env.companies.ids),
                    ("state", "=", "done"),
                    ("location_id.usage", "=", "supplier"),
                    ("picking_id", "!=", False),
                    ("picking_id.aftersales_transfer_kind", "=", False),
                ],
                order="date desc, id desc",
            )
        )
        receipts = {}
        for line in lines:
            receipts.setdefault(line.lot_id, line.picking_id)
        return receipts

    @api.model
    def _vendor_for(self, product, receipt):
        """Who supplied the unit: the partner of its vendor ``receipt``, else
        the product's first vendor."""
        if receipt.partner_id:
            return receipt.partner_id.commercial_partner_id
        sellers = product.seller_ids.filtered(
            lambda s: not s.company_id or s.company_id in self.env.companies
        )
        return sellers[:1].partner_id.commercial_partner_id

    @api.model
    def _vendor_info(self, vendor, product):
        """The vendor line of ``product`` for ``vendor`` (price, warranty months)."""
        return product.seller_ids.filtered(
            lambda s: (
                (not s.company_id or s.company_id in self.env.companies)
                and s.partner_id.commercial_partner_id == vendor.commercial_partner_id
                and (not s.product_id or s.product_id == product)
            )
        )[:1]

    @api.model
    def _vendor_price(self, vendor, product):
        """What the vendor charges for the product, else its cost."""
        info = self._vendor_info(vendor, product)
        return info.price if info else product.standard_price
