from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .aftersales_service_order import OPEN_STATES


class AftersalesPartNorm(models.Model):
    """The standard consumption of a repair, one row per part, kept by the
    after-sales managers: for a product, or for a product category when the
    product has no rows of its own, and optionally for one defect type only;
    the part with its quantity and the labour hours the row adds."""

    _name = "aftersales.part.norm"
    _description = "Repair Norm"
    _order = "product_id, product_categ_id, defect_type_id, sequence, id"
    _rec_name = "part_id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product",
        string="Repaired Product",
        index="btree_not_null",
        check_company=True,
        domain="[('type', '=', 'consu')]",
        help="The product this norm is for; leave empty to set a category instead.",
    )
    product_categ_id = fields.Many2one(
        "product.category",
        string="Repaired Category",
        index="btree_not_null",
        help="The products of this category (and of its subcategories) that have no "
        "rows of their own follow this norm.",
    )
    defect_type_id = fields.Many2one(
        "aftersales.defect.type",
        index="btree_not_null",
        check_company=True,
        help="Only for the orders where this defect is recorded, in addition to the "
        "rows without a defect type.",
    )
    part_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        domain="[('type', '=', 'consu')]",
    )
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit of Measure")
    uom_id = fields.Many2one(related="part_id.uom_id", string="Unit")
    labour_hours = fields.Float(digits=(16, 2), help="The labour hours this row adds.")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    @api.constrains("product_id", "product_categ_id", "quantity", "labour_hours")
    def _check_norm(self):
        for norm in self:
            if bool(norm.product_id) == bool(norm.product_categ_id):
                raise ValidationError(
                    self.env._(
                        "The norm row for %s must name either the repaired product or its "
                        "category, not both and not neither.",
                        norm.part_id.display_name,
                    )
                )
            if norm.quantity <= 0 or norm.labour_hours < 0:
                raise ValidationError(
                    self.env._(
                        "The norm row for %s needs a positive quantity and labour hours "
                        "that are not negative.",
                        norm.part_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        """The open service orders the new rows concern recompute their norm."""
        norms = super().create(vals_list)
        norms._recompute_open_orders()
        return norms

    def write(self, vals):
        """The open service orders the rows concern, before and after, recompute
        their norm."""
        self._recompute_open_orders()
        result = super().write(vals)
        self._recompute_open_orders()
        return result

    def unlink(self):
        """The open service orders the rows concerned recompute their norm."""
        self._recompute_open_orders()
        return super().unlink()

    def _recompute_open_orders(self):
        """Mark the norm of the open service orders these rows may concern for
        recomputation (done and cancelled orders keep the norm they ended with)."""
        if not self:
            return
        Order = self.env["aftersales.service.order"].sudo()
        orders = Order.search(
            [
                ("state", "in", OPEN_STATES),
                ("company_id", "in", self.company_id.ids),
                "|",
                "|",
                ("product_id", "in", self.product_id.ids),
                ("product_id.categ_id", "child_of", self.product_categ_id.ids),
                ("defect_ids.defect_type_id", "in", self.defect_type_id.ids),
            ]
        )
        # The norm and what follows from it (a recompute does not cascade).
        for name in ("labour_hours_norm", "cost_norm", "cost_variance"):
            self.env.add_to_compute(Order._fields[name], orders)

    @api.model
    def _rows_for(self, product, defect_types, company):
        """The norm of repairing ``product`` with ``defect_types`` found, in
        ``company``: the product's rows without a defect type, or when it has
        none those of its nearest category (up the parent categories) that has
        some; plus, for each defect type, its rows for the product, or else for
        the nearest category. Returns the rows (the system reads them: the
        technicians' orders compute their norm)."""
        if not product:
            return self.browse()
        categories = product.categ_id
        while categories[-1:].parent_id:
            categories |= categories[-1].parent_id
        rows = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("defect_type_id", "in", [False, *defect_types.ids]),
                "|",
                ("product_id", "=", product.id),
                ("product_categ_id", "in", categories.ids),
            ]
        )
        found = self.browse()
        for key in (self.env["aftersales.defect.type"], *defect_types):
            own = rows.filtered(lambda row, key=key: row.defect_type_id == key)
            scoped = own.filtered(lambda row: row.product_id == product)
            for category in categories:
                if scoped:
                    break
                scoped = own.filtered(
                    lambda row, category=category: row.product_categ_id == category
                )
            found |= scoped
        return found
