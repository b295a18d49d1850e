from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    aftersales_part_line_id = fields.Many2one(
        "aftersales.part.request.line",
        string="Spare Parts Request Line",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The spare parts request that put this part line on its repair.",
    )

    def _action_done(self, cancel_backorder=False):
        """Register the warranties of delivered units and end those of returned ones.

        Runs for whoever validates the transfer, warehouse users without
        after-sales rights included: the warranty records are written as sudo.
        """
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        done = moves.filtered(lambda m: m.state == "done")
        Warranty = self.env["aftersales.warranty"].sudo()
        Warranty._register_from_moves(done.filtered(lambda m: m._aftersales_is_sale_delivery()))
        Warranty._end_from_returns(done.filtered(lambda m: m._aftersales_is_customer_return()))
        Warranty._register_replacements(done.filtered(lambda m: m._aftersales_is_replacement()))
        return moves

    def _aftersales_is_sale_delivery(self):
        """A unit leaves the company for a customer: it starts a warranty."""
        self.ensure_one()
        return (
            self.location_dest_id.usage == "customer"
            and self.location_id.usage != "customer"
            and not self.origin_returned_move_id
            and not self.picking_id.aftersales_transfer_kind
        )

    def _aftersales_is_replacement(self):
        """A new unit replaces a customer's faulty one under a service order."""
        self.ensure_one()
        return self.picking_id.aftersales_transfer_kind == "replacement_out"

    def _aftersales_is_customer_return(self):
        """A customer sends back delivered units: their warranty ends."""
        self.ensure_one()
        return (
            self.location_id.usage == "customer"
            and bool(self.origin_returned_move_id)
            and not self.picking_id.aftersales_transfer_kind
        )

    def _aftersales_warranty_months(self):
        """The warranty months of the units this delivery move starts: the
        product's terms, never below the company's legal minimum nor the legal
        guarantee of its consumer law. A product without terms has the law's
        guarantee, if it sets one, and otherwise no warranty (0)."""
        self.ensure_one()
        company = self.company_id
        legal = company.aftersales_legal_profile_id.legal_warranty_months
        terms = self.product_id.warranty_months
        if not terms and not legal:
            return 0
        return max(terms, legal, company.aftersales_legal_warranty_months)

    def _aftersales_warranty_vals(self, extensions):
        """Values of the warranties this done delivery move starts.

        :param dict extensions: extension months per sale order id
        :return: one dict per serial for serial-tracked products, else one dict
        """
        self.ensure_one()
        product = self.product_id
        order = self.sale_line_id.order_id
        partner = order.partner_id or self.picking_id.partner_id.commercial_partner_id
        common = {
            "company_id": self.company_id.id,
            "partner_id": partner.id,
            "product_id": product.id,
            "sale_order_id": order.id,
            "sale_line_id": self.sale_line_id.id,
            "move_id": self.id,
            # The user's day; without a time zone in the context, only the
            # user's is read, not all the fields of their partner.
            "date_start": fields.Date.context_today(
                self.with_context(prefetch_fields=False), self.date
            ),
            "months": self._aftersales_warranty_months(),
            "extension_months": extensions.get(order.id, 0),
            "terms": product.warranty_terms,
        }
        if product.tracking == "serial":
            return [
                dict(common, lot_id=line.lot_id.id, quantity=1.0)
                for line in self.move_line_ids
                if line.lot_id
            ]
        lots = self.move_line_ids.lot_id
        quantity = self.product_uom._compute_quantity(self.quantity, product.uom_id)
        return [dict(common, lot_id=lots.id if len(lots) == 1 else False, quantity=quantity)]
