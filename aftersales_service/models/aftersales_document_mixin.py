from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError


class AftersalesDocumentMixin(models.AbstractModel):
    """The identity of the after-sales documents: their reference drawn in one
    batch from their sequence, their company, their printed name."""

    _name = "aftersales.document.mixin"
    _description = "After-Sales Document Helpers"
    _aftersales_action = None  # xml id of the document's window action
    _aftersales_sequence = None  # code of the sequence that names the documents

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    def _get_report_base_filename(self):
        """File name of the document's PDF on the portal."""
        self.ensure_one()
        return self.name.replace("/", "-")

    def _report_action(self, xmlid):
        """The action printing report ``xmlid`` of these documents. Odoo puts
        ``data: None`` in it without data, which XML-RPC cannot carry."""
        return self.env.ref(xmlid).report_action(self, data={})

    def _default_warehouse_id(self):
        return self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )

    @api.model_create_multi
    def create(self, vals_list):
        """Name the new documents from their sequence, one query per company."""
        if self._aftersales_sequence:
            new = self.env._("New")
            by_company = defaultdict(list)
            for vals in vals_list:
                if vals.get("name", new) == new:
                    by_company[vals.get("company_id") or self.env.company.id].append(vals)
            for company_id, company_vals in by_company.items():
                names = self.with_company(company_id)._next_names(len(company_vals))
                for vals, name in zip(company_vals, names, strict=True):
                    vals["name"] = name
        return super().create(vals_list)

    @api.model
    def _next_names(self, count):
        """Draw ``count`` references from the document's sequence in one query."""
        code = self._aftersales_sequence
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search_fetch(
                [("code", "=", code), ("company_id", "in", [self.env.company.id, False])],
                # What naming reads, in the same query as the search.
                ["implementation", "use_date_range", "prefix", "suffix", "padding"],
                order="company_id",
                limit=1,
            )
        )
        if not sequence:
            raise UserError(self.env._("The sequence %s is missing.", code))
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [sequence._next() for _i in range(count)]
        self.env.cr.execute(
            "SELECT nextval(%s) FROM generate_series(1, %s)",
            [f"ir_sequence_{sequence.id:03d}", count],
        )
        # ``get_next_char`` of each number, its prefix and suffix interpolated once.
        prefix, suffix = sequence._get_prefix_suffix()
        return [
            f"{prefix}{number:0{sequence.padding}d}{suffix}" for (number,) in self.env.cr.fetchall()
        ]
