#!/usr/bin/env bash
# Runs Odoo's own repair, sale_stock and stock test suites with the add-on
# installed next to them, so that Odoo's tests run with its overrides active:
# creates a fresh database $TEST_ODOO_DB, installs repair, sale_stock and the
# add-on with demo data as Odoo's own test runner does (any WARNING or ERROR the
# install logs fails), then runs the three suites with pytest-odoo in that full
# registry. Its last line is pytest's summary; it exits non-zero on any failure.
#   bash tools/test-odoo.sh                   the three suites (2.5 to 4 minutes)
#   bash tools/test-odoo.sh -k forecast       extra pytest arguments
#   BASELINE=1 bash tools/test-odoo.sh        the same on a database without the
#       add-on (only repair and sale_stock): a test that fails there too is the
#       environment's or Odoo's, one that fails only with the add-on is ours.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/odoo.sh"
# Never write bytecode into Odoo's source tree.
export PYTHONDONTWRITEBYTECODE=1
TEST_ODOO_DB="${TEST_ODOO_DB:-aftersales_odoo_test}"
MODULES=repair,sale_stock,purchase_stock,aftersales_service
if [ -n "${BASELINE:-}" ]; then
    TEST_ODOO_DB="${TEST_ODOO_DB}_baseline"
    MODULES=repair,sale_stock,purchase_stock
fi
SUITES=(repair/tests sale_stock/tests stock/tests)
LOG_LINE='^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) '
mkdir -p "$ROOT/.odoo-data"
install_log="$ROOT/.odoo-data/install-$TEST_ODOO_DB.log"
test_log="$ROOT/.odoo-data/pytest-$TEST_ODOO_DB.log"

# Test ids (relative to Odoo's addons directory) that are not run, each with why.
DESELECT=(
    # Fails without the add-on too: the test assigns the (quantity, in_date) tuple
    # that stock.quant._update_available_quantity returns to a move line's
    # quant_id, a TypeError in Odoo 18.0 itself.
    stock/tests/test_move_lines.py::StockMoveLine::test_multi_edit_quant_and_lot
    # at_install tests that assume a warehouse has a single `outgoing` operation
    # type (search code/warehouse_id, then assign the result to a Form's
    # many2one). Odoo's runner runs them right after stock is installed, before
    # any other module; here they run in the full registry, where the add-on's
    # warehouses also have Service Returns, Workshop Transfers, Vendor Returns
    # and Loaner Deliveries. They fail the same way with point_of_sale (its PoS
    # Orders type) instead of the add-on: a limit of the tests, not a defect.
    stock/tests/test_report.py::TestReports::test_report_forecast_5_multi_warehouse
    stock/tests/test_report.py::TestReports::test_report_reception_3_multiwarehouse
    # Fail the same way without the add-on as soon as purchase_stock is installed
    # (BASELINE=1 installs repair, sale_stock and purchase_stock): at_install
    # tests of stock that expect a warehouse without the Buy route and rules
    # purchase_stock adds (replenishment, resupply, MTO chains, forecast
    # reports). The add-on depends on purchase_stock for the procurement of
    # spare parts; Odoo's runner runs these right after stock is installed.
    stock/tests/test_move2.py::TestRoutes::test_cross_dock
    stock/tests/test_old_rules.py::TestOldRules::test_2_steps_and_backorder
    stock/tests/test_old_rules.py::TestOldRules::test_delay_alert_3_old
    stock/tests/test_old_rules.py::TestOldRules::test_fixed_procurement_01
    stock/tests/test_old_rules.py::TestOldRules::test_mtso
    stock/tests/test_old_rules.py::TestOldRules::test_mtso_multi_pg
    stock/tests/test_old_rules.py::TestOldRules::test_pack_delivery_three_step_propagate_package_consumable_old
    stock/tests/test_old_rules.py::TestOldRules::test_pick_ship_1
    stock/tests/test_old_rules.py::TestOldRules::test_procurement_group_merge
    stock/tests/test_old_rules.py::TestOldRules::test_report_reception_4_pick_pack
    stock/tests/test_proc_rule.py::TestProcRule::test_endless_loop_rules_from_location
    stock/tests/test_proc_rule.py::TestProcRule::test_reordering_rule_1
    stock/tests/test_proc_rule.py::TestProcRule::test_reordering_rule_2
    stock/tests/test_proc_rule.py::TestProcRule::test_replenishment_order_to_max
    stock/tests/test_replenish.py::TestStockReplenish::test_replenish_no_routes
    stock/tests/test_report.py::TestReports::test_report_forecast_4_intermediate_transfers
    stock/tests/test_report_stock_quantity.py::TestReportStockQuantity::test_replenishment_report_1
    stock/tests/test_stock_flow.py::TestStockFlow::test_74_move_state_waiting_mto
    stock/tests/test_stock_return_picking.py::TestReturnPicking::test_stock_return_for_exchange
    stock/tests/test_warehouse.py::TestWarehouse::test_muti_step_resupply_warehouse
)
if [ -n "${BASELINE:-}" ]; then
    DESELECT=()
fi

dropdb --if-exists "$TEST_ODOO_DB" || exit 1
rm -rf "$ROOT/.odoo-data/filestore/$TEST_ODOO_DB"
echo "[test-odoo] installing $MODULES with demo data in a fresh database $TEST_ODOO_DB"
odoo -d "$TEST_ODOO_DB" -i "$MODULES" --stop-after-init \
    --http-port=0 --log-level=info > "$install_log" 2>&1
rc=$?
if [ $rc -ne 0 ] || grep -Eq "$LOG_LINE" "$install_log"; then
    grep -E -A5 "$LOG_LINE" "$install_log" || tail -40 "$install_log"
    echo "[test-odoo] the install failed or logged warnings/errors (full log: $install_log)"
    exit 1
fi

echo "[test-odoo] running Odoo's ${SUITES[*]} (${#DESELECT[@]} deselected)"
# pytest's --deselect takes id prefixes (test_x would drop test_x_chain too): a
# small plugin deselects exactly the ids above. Run from Odoo's addons directory,
# read only, so that the ids read stock/tests/test_x.py::... Odoo's tests log
# warnings and errors on purpose: only their outcome counts here.
cd "$ODOO_PATH/addons" || exit 1
"$ROOT/.venv/bin/python" -c '
import sys

sys.path[:] = [path for path in sys.path if path not in ("", ".")]  # not the addons as top level
import pytest

deselect = set(sys.argv[1].split())


class DeselectExactly:
    def pytest_collection_modifyitems(self, config, items):
        dropped = [item for item in items if item.nodeid in deselect]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = [item for item in items if item.nodeid not in deselect]


sys.exit(pytest.main(sys.argv[2:], plugins=[DeselectExactly()]))
' "${DESELECT[*]}" -c "$ROOT/pytest.ini" --rootdir=. -q \
    --odoo-database="$TEST_ODOO_DB" --odoo-addons-path="$ADDONS_PATH" \
    --odoo-log-level=critical --odoo-http --odoo-extra="data-dir=$ROOT/.odoo-data" \
    "${SUITES[@]}" "$@" 2>&1 | tee "$test_log"
exit "${PIPESTATUS[0]}"
