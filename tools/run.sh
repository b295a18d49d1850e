#!/usr/bin/env bash
# Starts Odoo on 127.0.0.1:$PORT with database $DB holding the add-on and its demo
# data: installed on the first run, updated on the next ones. WORKERS=4 starts
# Odoo's multi-process server (4 HTTP workers and 2 cron workers) instead of the
# threaded one; the add-on's daily jobs are safe with several cron workers.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/odoo.sh"
DB="${DB:-aftersales_demo}"
PORT="${PORT:-8069}"
WORKERS="${WORKERS:-0}"

installed=$(psql -d "$DB" -tAc \
    "SELECT 1 FROM ir_module_module WHERE name='aftersales_service' AND state='installed'" \
    2>/dev/null || true)
if [ "$installed" = 1 ]; then
    echo "[run] updating aftersales_service in database $DB"
    action=(-u aftersales_service)
else
    echo "[run] installing aftersales_service with demo data in database $DB (about a minute)"
    action=(-i aftersales_service)
fi
echo "[run] Odoo will listen on http://127.0.0.1:$PORT (login admin / admin); Ctrl-C stops it"
workers=()
if [ "$WORKERS" -gt 0 ]; then
    echo "[run] $WORKERS HTTP workers and 2 cron workers"
    workers=(--workers="$WORKERS" --max-cron-threads=2)
fi
odoo -d "$DB" --db-filter="^$DB\$" "${action[@]}" "${workers[@]}" \
    --http-interface=127.0.0.1 --http-port="$PORT" --gevent-port=$((PORT + 3))
