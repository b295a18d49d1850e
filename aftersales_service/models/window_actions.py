"""The window actions the after-sales buttons return: plain dicts, which the
web client opens and XML-RPC carries."""


def form_action(record):
    """Open ``record`` in its form."""
    return {
        "type": "ir.actions.act_window",
        "res_model": record._name,
        "res_id": record.id,
        "views": [(False, "form")],
    }


def wizard_action(env, model, title, context):
    """Open the wizard ``model`` in a dialog titled ``title``."""
    return {
        "type": "ir.actions.act_window",
        "name": title,
        "res_model": model,
        "view_mode": "form",
        "target": "new",
        "context": context,
    }


def list_action(documents, domain, context=None):
    """The list of the after-sales ``documents`` model (its own window action,
    ``_aftersales_action``) restricted to ``domain``, for smart buttons."""
    action = documents.env["ir.actions.act_window"]._for_xml_id(documents._aftersales_action)
    action["domain"] = domain
    action["context"] = dict(context or {}, create=False)
    return action


def count_by(documents, field_name, records):
    """{record id: number of ``documents`` whose ``field_name`` is that record}
    for every record of ``records``, in one query."""
    groups = documents._read_group([(field_name, "in", records.ids)], [field_name], ["__count"])
    return {record.id: count for record, count in groups}


def records_action(records, xmlid):
    """Odoo's own window action ``xmlid`` (e.g. the transfers or the credit
    notes list) showing just ``records``, without a create button."""
    action = records.env["ir.actions.act_window"]._for_xml_id(xmlid)
    action["domain"] = [("id", "in", records.ids)]
    action["context"] = {"create": False}
    return action
