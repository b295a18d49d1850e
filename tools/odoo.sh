# Sourced by run.sh and test.sh: how to call the Odoo of $ODOO_PATH with this add-on.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_PATH="${ODOO_PATH:-/opt/odoo18}"
ADDONS_PATH="$ODOO_PATH/addons,$ODOO_PATH/odoo/addons,$ROOT"
export PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}"
odoo() {
    "$ROOT/.venv/bin/python" "$ODOO_PATH/odoo-bin" --addons-path="$ADDONS_PATH" \
        --data-dir="$ROOT/.odoo-data" "$@"
}
