from odoo import api, fields, models
from odoo.tools import SQL

from .window_actions import count_by, list_action

# Dropped by the uninstall hook: Odoo does not know it.
LOT_NAME_INDEX = "aftersales_stock_lot_name_index"


class StockLot(models.Model):
    _inherit = "stock.lot"

    warranty_ids = fields.One2many(
        "aftersales.warranty", "lot_id", groups="aftersales_service.group_aftersales_user"
    )
    warranty_count = fields.Integer(
        compute="_compute_aftersales_counts", groups="aftersales_service.group_aftersales_user"
    )
    service_order_count = fields.Integer(
        compute="_compute_aftersales_counts", groups="aftersales_service.group_aftersales_user"
    )

    loan_count = fields.Integer(
        compute="_compute_aftersales_counts", groups="aftersales_service.group_aftersales_user"
    )
    defect_count = fields.Integer(
        compute="_compute_defect_count", groups="aftersales_service.group_aftersales_user"
    )

    def init(self):
        # check_serial looks the serial up by its exact name (stock_lot.name =
        # %s, the subquery of ("lot_id.name", "=", serial)). Odoo indexes the
        # name with a trigram GIN index only, which answers an equality poorly
        # when a million serials share their prefixes ('ESP-2026-...'): tens of
        # milliseconds against a fraction of one with this btree (make bench).
        # Created once, without holding up an install on a large table for
        # long: a btree build over a million names takes a few seconds.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS %s ON stock_lot (name)",
                SQL.identifier(LOT_NAME_INDEX),
            )
        )

    @api.depends("warranty_ids")
    def _compute_aftersales_counts(self):
        warranties = count_by(self.env["aftersales.warranty"], "lot_id", self)
        orders = count_by(self.env["aftersales.service.order"], "lot_id", self)
        loans = count_by(self.env["aftersales.loan"], "lot_id", self)
        for lot in self:
            lot.warranty_count = warranties.get(lot.id, 0)
            lot.service_order_count = orders.get(lot.id, 0)
            lot.loan_count = loans.get(lot.id, 0)

    def _compute_defect_count(self):
        counts = count_by(self.env["aftersales.defect"], "lot_id", self)
        for lot in self:
            lot.defect_count = counts.get(lot.id, 0)

    def action_view_warranties(self):
        """The warranties of this serial number."""
        self.ensure_one()
        return list_action(self.env["aftersales.warranty"], [("lot_id", "=", self.id)])

    def action_view_service_orders(self):
        """The service orders of this serial number."""
        self.ensure_one()
        return list_action(self.env["aftersales.service.order"], [("lot_id", "=", self.id)])

    def action_view_loans(self):
        """The loans of this serial number (when it is a loaner device)."""
        self.ensure_one()
        return list_action(self.env["aftersales.loan"], [("lot_id", "=", self.id)])

    def action_view_defects(self):
        """The defects found on this serial number."""
        self.ensure_one()
        return list_action(self.env["aftersales.defect"], [("lot_id", "=", self.id)])

    def action_new_service_order(self):
        """Take this serial number in for service."""
        self.ensure_one()
        return self.env["aftersales.service.order"].action_new({"lot_id": self.id})

    def action_print_warranty_certificate(self):
        """Print the certificates of this serial number's warranties."""
        return self.warranty_ids.action_print_certificate()
