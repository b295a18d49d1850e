#!/usr/bin/env bash
# Creates a fresh database $TEST_DB, installs the add-on without demo data (any
# WARNING or ERROR logged by the install fails), then runs the suite with pytest-odoo.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/odoo.sh"
TEST_DB="${TEST_DB:-aftersales_test}"
LOG_LINE='^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) '
mkdir -p "$ROOT/.odoo-data"
install_log="$ROOT/.odoo-data/install-$TEST_DB.log"
test_log="$ROOT/.odoo-data/pytest-$TEST_DB.log"

dropdb --if-exists "$TEST_DB" || exit 1
rm -rf "$ROOT/.odoo-data/filestore/$TEST_DB"
echo "[test] installing aftersales_service in a fresh database $TEST_DB"
odoo -d "$TEST_DB" -i aftersales_service --without-demo=all --stop-after-init \
    --http-port=0 --log-level=info > "$install_log" 2>&1
rc=$?
if [ $rc -ne 0 ] || grep -Eq "$LOG_LINE" "$install_log"; then
    grep -E -A5 "$LOG_LINE" "$install_log" || tail -40 "$install_log"
    echo "[test] the install failed or logged warnings/errors (full log: $install_log)"
    exit 1
fi

cd "$ROOT" || exit 1
"$ROOT/.venv/bin/pytest" -s -p no:cacheprovider \
    --odoo-database="$TEST_DB" --odoo-addons-path="$ADDONS_PATH" \
    --odoo-log-level=warn --odoo-http --odoo-extra="data-dir=$ROOT/.odoo-data" \
    aftersales_service/tests "$@" 2>&1 | tee "$test_log"
rc=${PIPESTATUS[0]}
if grep -Eq "$LOG_LINE" "$test_log"; then
    echo "[test] the tests logged warnings/errors:"
    grep -E "$LOG_LINE" "$test_log"
    exit 1
fi
exit "$rc"
