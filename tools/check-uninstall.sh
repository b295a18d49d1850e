#!/usr/bin/env bash
# Install with demo data -> upgrade -> uninstall, on a throwaway database
# $UNINSTALL_DB (dropped when all is well, kept for a look when not). Fails when:
#   - the install, the upgrade or the uninstall logs a WARNING or an ERROR;
#   - the upgrade loses or adds a record (the add-on's records and external ids,
#     and the stock, sales and accounting records around them, counted before/after);
#   - the uninstall leaves an ir.model.data row of the add-on, or one of another
#     module that names the add-on's models (mail's selection values, ...);
#   - Odoo does not work afterwards: views, menus, an open after-sales transfer
#     validated, a new sale of a serial delivered (an ERROR logged fails too).
# 1 to 2.5 minutes.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/odoo.sh"
export PYTHONDONTWRITEBYTECODE=1
UNINSTALL_DB="${UNINSTALL_DB:-aftersales_odoo_uninstall}"
MODULE=aftersales_service
WARN_LINE='^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) '
ERROR_LINE='^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) '
LOGS="$ROOT/.odoo-data/check-uninstall-$UNINSTALL_DB"
mkdir -p "$LOGS"

say() { printf '[check-uninstall] %s\n' "$*"; }
fail() {
    say "FAILED: $* (logs in $LOGS, database $UNINSTALL_DB kept)"
    exit 1
}
odoo_shell() {
    "$ROOT/.venv/bin/python" "$ODOO_PATH/odoo-bin" shell --addons-path="$ADDONS_PATH" \
        --data-dir="$ROOT/.odoo-data" --no-http -d "$UNINSTALL_DB" "$@"
}
# step NAME PATTERN COMMAND...: runs COMMAND into $LOGS/NAME.log, fails on its exit
# code or on a log line matching PATTERN.
step() {
    local name=$1 pattern=$2 log="$LOGS/$1.log"
    shift 2
    "$@" > "$log" 2>&1
    local rc=$?
    if [ $rc -ne 0 ] || grep -Eq "$pattern" "$log"; then
        grep -E -A5 "$pattern" "$log" | head -60 || tail -40 "$log"
        fail "$name (exit code $rc)"
    fi
}

count_records() {
    odoo_shell --log-level=error <<'EOF'
import json
env.cr.execute(
    "SELECT model, count(*) FROM ir_model_data WHERE module = 'aftersales_service' GROUP BY model"
)
counts = {f"xmlid {model}": count for model, count in env.cr.fetchall()}
for model in sorted(env.registry):
    Model = env[model]
    if (model.startswith("aftersales.") and not Model._abstract and not Model._transient) or model in (
        "stock.picking", "stock.move", "stock.move.line", "stock.quant", "stock.lot",
        "stock.picking.type", "stock.location", "ir.sequence", "product.product",
        "sale.order", "sale.order.line", "repair.order", "account.move", "mail.message",
    ):
        counts[model] = Model.with_context(active_test=False).search_count([])
print("COUNTS " + json.dumps(counts, sort_keys=True))
EOF
}

say "installing $MODULE with demo data in a fresh database $UNINSTALL_DB"
dropdb --if-exists "$UNINSTALL_DB" || exit 1
rm -rf "$ROOT/.odoo-data/filestore/$UNINSTALL_DB"
step install "$WARN_LINE" odoo -d "$UNINSTALL_DB" -i "$MODULE" --stop-after-init \
    --http-port=0 --log-level=info
before=$(count_records | grep '^COUNTS ') || fail "counting the records before the upgrade"

say "upgrading $MODULE"
step upgrade "$WARN_LINE" odoo -d "$UNINSTALL_DB" -u "$MODULE" --stop-after-init \
    --http-port=0 --log-level=info
after=$(count_records | grep '^COUNTS ') || fail "counting the records after the upgrade"
if [ "$before" != "$after" ]; then
    diff <(tr ',' '\n' <<< "$before") <(tr ',' '\n' <<< "$after")
    fail "the upgrade changed the number of records"
fi
printf '%s\n' "${before#COUNTS }" > "$LOGS/counts.json"
say "the upgrade kept every record ($(tr ',' '\n' <<< "$before" | wc -l) models and external-id groups counted, $LOGS/counts.json)"

say "uninstalling $MODULE"
step uninstall "$WARN_LINE" odoo_shell --log-level=info <<'EOF'
env["ir.module.module"].search([("name", "=", "aftersales_service")]).button_immediate_uninstall()
env.cr.commit()
EOF
left=$(psql -d "$UNINSTALL_DB" -tAc "SELECT count(*) FROM ir_model_data
    WHERE (module = '$MODULE' OR name LIKE '%aftersales%') AND model != 'ir.module.module'")
if [ "$left" != 0 ]; then
    psql -d "$UNINSTALL_DB" -c "SELECT module, model, count(*) FROM ir_model_data
        WHERE (module = '$MODULE' OR name LIKE '%aftersales%') AND model != 'ir.module.module'
        GROUP BY module, model"
    fail "the uninstall left $left ir.model.data rows"
fi

say "checking that Odoo works without the add-on"
step after-uninstall "$ERROR_LINE" odoo_shell --log-level=info <<'EOF'
# Odoo's screens and flows that the add-on touched still work; nothing is kept.
env = env(context=dict(env.context, lang="en_US", skip_sms=True))
assert env["ir.module.module"].search([("name", "=", "aftersales_service")]).state == "uninstalled"
assert not [name for name in env.registry if name.startswith("aftersales.")]
for model in ("stock.picking", "stock.picking.type", "stock.lot", "stock.location",
              "stock.warehouse", "stock.quant", "product.template", "product.product",
              "product.supplierinfo", "sale.order", "repair.order", "account.move",
              "res.partner", "res.company", "res.config.settings"):
    env[model].get_views([(False, "form"), (False, "list"), (False, "search")])
    env[model].with_context(active_test=False).search_read([], limit=80)
env["ir.ui.menu"].load_menus(False)
# An open transfer of an archived after-sales operation type can still be validated.
picking = env["stock.picking"].search(
    [("picking_type_id.active", "=", False), ("state", "=", "assigned")], limit=1)
assert picking, "no open after-sales transfer in the demo data"
assert picking.button_validate() is True and picking.state == "done", picking.name
# A new sale of a serial from stock is delivered as without the add-on.
quant = env["stock.quant"].search([
    ("location_id", "=", env.ref("stock.warehouse0").lot_stock_id.id),
    ("lot_id", "!=", False), ("owner_id", "=", False),
    ("quantity", ">", 0), ("reserved_quantity", "=", 0)], limit=1)
assert quant, "no serial left in stock in the demo data"
order = env["sale.order"].create({
    "partner_id": env.ref("base.res_partner_2").id,
    "order_line": [(0, 0, {"product_id": quant.product_id.id, "product_uom_qty": 1})],
})
order.action_confirm()
assert order.picking_ids.button_validate() is True, order.picking_ids.name
assert order.picking_ids.state == "done", order.picking_ids.state
env["ir.actions.report"]._render_qweb_html("stock.action_report_delivery", order.picking_ids.ids)
env.cr.rollback()
print("Odoo works: validated %s, delivered %s" % (picking.name, quant.lot_id.name))
EOF
grep -h "^Odoo works" "$LOGS/after-uninstall.log" | sed 's/^/[check-uninstall] /'

dropdb "$UNINSTALL_DB"
rm -rf "$ROOT/.odoo-data/filestore/$UNINSTALL_DB"
say "ok: no warning or error, every record kept by the upgrade, no ir.model.data left"
