from odoo import api, fields, models
from odoo.exceptions import UserError

# The scores a customer gives a handed-back order.
RATING_SCORES = (1, 2, 3, 4, 5)
# The steps of an order the customer follows on the portal, in the order of
# the flow; on-site work skips the goods' steps.
TIMELINE_STEPS = ("draft", "confirmed", "received", "in_progress", "ready", "done")
GOODS_STEPS = ("confirmed", "received", "ready")
# The documents the customer downloads from the portal, and the states they are printed in.
PORTAL_REPORTS = {
    "acceptance": (
        "aftersales_service.action_report_service_acceptance",
        ("confirmed", "received", "in_progress", "ready", "done"),
    ),
    "completion": ("aftersales_service.action_report_service_completion", ("done",)),
}


class AftersalesServiceCustomerMixin(models.AbstractModel):
    """The service order as its customer sees it: the steps it went through,
    the documents to download, the quotation to accept or refuse on Odoo's
    sale portal, and the rating of the service once the unit is handed back
    (Odoo's ``rating.mixin``: a signed token in the emailed link and on the
    portal page, so the customer rates without logging in)."""

    _name = "aftersales.service.customer.mixin"
    _description = "Service Order Seen by the Customer"
    _inherit = ["rating.mixin"]

    rating = fields.Float(
        string="Customer Rating",
        related="rating_last_value",
        digits=(16, 1),
        help="The last score (1 to 5) the customer gave the service once the unit was handed back.",
    )

    # ------------------------------------------------------------------
    # Ratings: only a handed-back order is rated, from 1 to 5
    # ------------------------------------------------------------------

    def _check_ratable(self):
        """Refuse to rate the orders not handed back (done) yet."""
        early = self.filtered(lambda order: order.state != "done")
        if early:
            raise UserError(
                self.env._(
                    "Only a service order handed back to the customer is rated: %s is not.",
                    ", ".join(early.mapped("name")),
                )
            )

    def _rating_get_access_token(self, partner=None):
        """The token of the customer's rating link: handed-back orders only."""
        self._check_ratable()
        return super()._rating_get_access_token(partner=partner)

    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        """Record the customer's score (a whole number from 1 to 5) of a
        handed-back order; returns the rating."""
        self._check_ratable()
        if rate not in RATING_SCORES:
            raise UserError(
                self.env._("A service is rated from 1 to 5, not %s.", rate),
            )
        return super().rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        """A message that carries a rating (the portal chatter's) is refused
        before the order is handed back."""
        if kwargs.get("rating_value"):
            self._check_ratable()
        return super().message_post(**kwargs)

    def _portal_rating(self):
        """The customer's rating of the handed-back order, as the portal page
        offers it (sudo): their latest one, so a second visit changes it, else
        a new one to fill in. None before the hand-back."""
        self.ensure_one()
        Rating = self.env["rating.rating"].sudo()
        if self.state != "done":
            return Rating
        partner = self._rating_get_partner()
        domain = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        domain.append(("partner_id", "=", partner.id))
        rating = Rating.search(domain, limit=1)
        if not rating:
            self.sudo()._rating_get_access_token(partner)
            rating = Rating.search(domain, limit=1)
        return rating

    def action_view_ratings(self):
        """The customer's ratings of this service order."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Ratings of %s", self.name),
            "res_model": "rating.rating",
            "view_mode": "list,form",
            "domain": [("res_model", "=", self._name), ("res_id", "=", self.id)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------------
    # The portal page: steps and documents
    # ------------------------------------------------------------------

    def _portal_timeline(self):
        """The steps of the order for the portal page, in the order of the
        flow: [{"state", "label", "date" (when it was reached, else False),
        "reached", "current"}]. A cancelled order shows the steps it reached
        and then its cancellation."""
        self.ensure_one()
        order = self.sudo()
        dates = order._state_dates()
        labels = self._timeline_labels()
        states = [
            state
            for state in TIMELINE_STEPS
            if state in dates or (order.receive_goods or state not in GOODS_STEPS)
        ]
        if order.state == "cancel":
            states = [state for state in states if state in dates] + ["cancel"]
        position = states.index(order.state) if order.state in states else len(states) - 1
        return [
            {
                "state": state,
                "label": labels[state],
                "date": dates.get(state, False),
                "reached": index <= position,
                "current": index == position,
            }
            for index, state in enumerate(states)
        ]

    def _timeline_labels(self):
        return {
            "draft": self.env._("Requested"),
            "confirmed": self.env._("Goods expected"),
            "received": self.env._("Received"),
            "in_progress": self.env._("In progress"),
            "ready": self.env._("Ready"),
            "done": self.env._("Handed back"),
            "cancel": self.env._("Cancelled"),
        }

    def _state_dates(self):
        """{state: the first time the order reached it}: its own dates where it
        keeps one (creation, receipt, hand-back), else the state's tracking in
        the chatter (logged in the language of whoever moved it)."""
        self.ensure_one()
        field = self.env["ir.model.fields"]._get(self._name, "state")
        tracked = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("field_id", "=", field.id),
                    ("mail_message_id.model", "=", self._name),
                    ("mail_message_id.res_id", "=", self.id),
                ],
                order="id",
            )
        )
        by_label = {}
        for lang, _name in self.env["res.lang"].get_installed():
            selection = (
                self.with_context(lang=lang)
                ._fields["state"]
                ._description_selection(self.with_context(lang=lang).env)
            )
            by_label.update({label: state for state, label in selection})
        dates = {"draft": self.create_date}
        for value in tracked:
            dates.setdefault(by_label.get(value.new_value_char), value.mail_message_id.date)
        dates.pop(None, None)
        dates.update(
            {
                state: date
                for state, date in (("received", self.date_received), ("done", self.date_done))
                if date
            }
        )
        return dates

    def _portal_documents(self):
        """{name: report action xmlid} of the documents the customer may
        download in the order's state (no acceptance act for on-site work:
        no unit was handed in)."""
        self.ensure_one()
        return {
            name: report
            for name, (report, states) in PORTAL_REPORTS.items()
            if self.state in states and (name != "acceptance" or self.receive_goods)
        }

    # ------------------------------------------------------------------
    # The quotation, accepted or refused by the customer
    # ------------------------------------------------------------------

    def _on_quotation_confirmed(self, quotation):
        """The customer accepted the ``quotation`` of the paid service (signed
        on the portal or confirmed in the back office): noted on the order and
        the technician is told to go on with the work."""
        for order in self.sudo().filtered(lambda o: o.state not in ("done", "cancel")):
            if quotation.signed_by:
                body = self.env._(
                    "The customer accepted the quotation %(quotation)s (signed by %(name)s).",
                    quotation=quotation.name,
                    name=quotation.signed_by,
                )
            else:
                body = self.env._(
                    "The quotation %(quotation)s is confirmed.", quotation=quotation.name
                )
            order._message_log(body=body)
            order._schedule_activity_once(
                self.env._("Quotation accepted: go on with the work"),
                lambda o, body=body: body,
            )

    def _on_quotation_cancelled(self, quotation, reason=None):
        """The ``quotation`` is cancelled: refused by the customer on the
        portal (with their ``reason``) or cancelled in the back office."""
        for order in self.sudo().filtered(lambda o: o.sale_order_id == quotation):
            if reason:
                body = self.env._(
                    "The customer refused the quotation %(quotation)s: %(reason)s",
                    quotation=quotation.name,
                    reason=reason,
                )
            else:
                body = self.env._(
                    "The quotation %(quotation)s is cancelled.", quotation=quotation.name
                )
            order._message_log(body=body)
            if reason and order.state not in ("done", "cancel"):
                order._schedule_activity_once(
                    self.env._("Quotation refused by the customer"),
                    lambda o, body=body: body,
                )
