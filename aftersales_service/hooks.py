"""Uninstall: the add-on's own documents go, the stock and sales history stays.

Odoo deletes every record that carries one of the add-on's external ids. For the
add-on's own models that is right; for the records it put into Odoo's models (the
products, serials, quants and sale orders of its demo data, the billing products
of its data) it is not: products and serials that validated moves use cannot be
deleted (each attempt logs an ERROR and leaves the external id behind), and quants
and sale orders can, which would make the stock disagree with its moves and leave
deliveries without their order. The hook settles those records first: what nothing
uses is deleted as Odoo would delete it, the rest stays as ordinary records.
"""

from odoo.tools import SQL, mute_logger

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from .models.stock_lot import LOT_NAME_INDEX

MODULE = "aftersales_service"
# Deleted when nothing uses them, else kept (the add-on's services archived).
DELETE_UNLESS_USED = ("stock.lot", "product.product", "product.template", "product.category")
# Deleting these never fails but would falsify the history: always kept.
KEEP = ("stock.quant", "sale.order")


def uninstall_hook(env):
    _settle_records(env)
    _archive_operations(env)
    _drop_mixin_xmlids(env)
    _drop_indexes(env)


def _module_xmlids(env, model):
    return env["ir.model.data"].search([("module", "=", MODULE), ("model", "=", model)])


def _delete_unused(records):
    """Delete, one by one, the records nothing refers to; return the others."""
    kept = records.browse()
    for record in records.with_context(**{MODULE_UNINSTALL_FLAG: True}).exists():
        if not record.exists():  # gone with a record deleted before it
            continue
        try:
            with records.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                record.unlink()
        except Exception:  # whatever keeps the record, it is kept
            kept |= record
    return kept


def _settle_records(env):
    """Records of Odoo's models that nothing uses are deleted; the services the
    add-on sells (diagnosis, labour, extended warranties) that invoices or orders
    still use are archived, as ``product.product._unlink_or_archive`` does; the
    rest stays as it is. None of them keeps an external id of the add-on."""
    for model in DELETE_UNLESS_USED:
        records = env[model].with_context(active_test=False)
        kept = _delete_unused(records.browse(_module_xmlids(env, model).mapped("res_id")))
        if model == "product.product":
            services = kept.filtered(lambda product: product.type == "service")
            services.product_tmpl_id.write({"active": False})
    for model in (*DELETE_UNLESS_USED, *KEEP):
        _module_xmlids(env, model).unlink()


def _archive_operations(env):
    """The after-sales operation types of every warehouse, and its after-sales
    locations that hold no stock, are archived (as mrp_subcontracting does with
    its own): their transfers stay readable, and a new install gets new ones."""
    warehouses = env["stock.warehouse"].with_context(active_test=False).search([])
    types = env["stock.picking.type"]
    locations = env["stock.location"]
    for name in warehouses._fields:
        if name.startswith("aftersales_") and name.endswith("_type_id"):
            types |= warehouses.mapped(name)
        elif name.startswith("aftersales_") and name.endswith("_loc_id"):
            locations |= warehouses.mapped(name)
    types.write({"active": False})
    # What stock.location refuses to archive: a location (or a sublocation) with stock.
    stocked = env["stock.quant"].search(
        [
            ("location_id", "child_of", locations.ids),
            "|",
            ("quantity", "!=", 0),
            ("reserved_quantity", "!=", 0),
        ]
    )
    paths = stocked.location_id.mapped("parent_path")
    locations.filtered(
        lambda location: not any(path.startswith(location.parent_path) for path in paths)
    ).write({"active": False})


def _drop_mixin_xmlids(env):
    """The mixins' modules (mail, portal, sms, ...) own external ids for the
    selection values and inheritances of the add-on's models; Odoo drops those
    records with the models but not their external ids."""
    Data = env["ir.model.data"]
    own = _module_xmlids(env, "ir.model")
    shared = Data.search(
        [
            ("model", "=", "ir.model"),
            ("res_id", "in", own.mapped("res_id")),
            ("module", "!=", MODULE),
        ]
    )
    model_ids = list(set(own.mapped("res_id")) - set(shared.mapped("res_id")))
    inherits = env["ir.model.inherit"].search([("model_id", "in", model_ids)])
    selections = env["ir.model.fields.selection"].search([("field_id.model_id", "in", model_ids)])
    Data.search(
        [
            ("module", "!=", MODULE),
            "|",
            "&",
            ("model", "=", "ir.model.inherit"),
            ("res_id", "in", inherits.ids),
            "&",
            ("model", "=", "ir.model.fields.selection"),
            ("res_id", "in", selections.ids),
        ]
    ).unlink()


def _drop_indexes(env):
    """The indexes the add-on put on Odoo's tables (``init()`` of the models it
    extends), which Odoo does not know of: dropped with the add-on."""
    env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(LOT_NAME_INDEX)))
