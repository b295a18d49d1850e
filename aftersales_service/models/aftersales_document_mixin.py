from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class AftersalesDocumentMixin(models.AbstractModel):
    """What the after-sales documents share: their company, their references
    drawn in one batch from their sequence, the manager check, and the counts
    and lists of the smart buttons."""

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

    def _check_manager(self, what):
        """Refuse ``what`` to anyone but an After-Sales Manager (or the system)."""
        if not self.env.su and not self.env.user.has_group(
            "aftersales_service.group_aftersales_manager"
        ):
            raise AccessError(self.env._("Only an After-Sales Manager may %s.", what))

    def _check_state(self, states, what):
        """Refuse ``what`` to the documents that are not in one of ``states``."""
        wrong = self.filtered(lambda record: record.state not in states)
        if wrong:
            labels = dict(self._fields["state"].selection)
            raise UserError(
                self.env._(
                    "Cannot %(what)s %(records)s in its current state (%(state)s).",
                    what=what,
                    records=", ".join(wrong.mapped("name")),
                    state=", ".join(labels[s] for s in set(wrong.mapped("state"))),
                )
            )

    def _open_wizard(self, model, title, context):
        """A window action opening the wizard ``model`` in a dialog."""
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    def _open_form(self, record):
        """A window action opening ``record`` in its form."""
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "views": [(False, "form")],
        }

    def _schedule_activity_once(self, summary, note):
        """Give the responsible of each document a to-do ``summary`` (with the
        ``note`` a function makes of the document), unless it already has one."""
        flagged = self.env["mail.activity"].search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids), ("summary", "=", summary)]
        )
        todo = self.filtered(lambda record: record.id not in flagged.mapped("res_id"))
        for record in todo:
            record.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                note=note(record),
                user_id=(record.user_id or record.create_uid).id,
            )
        return self

    @api.model
    def _count_by(self, field_name, records):
        """Number of documents per record of ``records`` in ``field_name``, in one query."""
        groups = self._read_group([(field_name, "in", records.ids)], [field_name], ["__count"])
        return {record.id: count for record, count in groups}

    @api.model
    def _action_view(self, domain, context=None):
        """The document list restricted to ``domain``, for smart buttons."""
        action = self.env["ir.actions.act_window"]._for_xml_id(self._aftersales_action)
        action["domain"] = domain
        action["context"] = dict(context or {}, create=False)
        return action

    @api.model
    def _next_names(self, count):
        """Draw ``count`` references from the document's sequence in one query."""
        code = self._aftersales_sequence
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [("code", "=", code), ("company_id", "in", [self.env.company.id, False])],
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
        return [sequence.get_next_char(number) for (number,) in self.env.cr.fetchall()]
