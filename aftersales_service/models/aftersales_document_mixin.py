from odoo import api, models
from odoo.exceptions import AccessError


class AftersalesDocumentMixin(models.AbstractModel):
    """Helpers shared by the after-sales documents (warranties, service orders):
    the manager check, counts per linked record in one query, and their list."""

    _name = "aftersales.document.mixin"
    _description = "After-Sales Document Helpers"
    _aftersales_action = None  # xml id of the document's window action

    def _check_manager(self, what):
        """Refuse ``what`` to anyone but an After-Sales Manager (or the system)."""
        if not self.env.su and not self.env.user.has_group(
            "aftersales_service.group_aftersales_manager"
        ):
            raise AccessError(self.env._("Only an After-Sales Manager may %s.", what))

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
