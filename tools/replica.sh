#!/usr/bin/env bash
# Odoo's own scale-out on one machine (issue 15, section 3): a second PostgreSQL
# cluster on port $REPLICA_PORT as a streaming replica of the first
# (pg_basebackup -R), an Odoo server with several workers whose read-only calls
# (methods marked @api.readonly, such as aftersales.warranty.check_serial, called
# through the web client's /web/dataset/call_kw) go to the replica, and a client
# that looks serials up while deliveries are validated, then shows which
# cluster served what. Not part of CI.
#   bash tools/replica.sh          build $REPLICA_DB, start the replica, measure
#   bash tools/replica.sh measure  measure again on the database built before
#   bash tools/replica.sh drop     stop and drop the replica cluster
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/odoo.sh"
export PYTHONDONTWRITEBYTECODE=1
REPLICA_DB="${REPLICA_DB:-aftersales_replica}"
REPLICA_PORT="${REPLICA_PORT:-5433}"
REPLICA_HTTP_PORT="${REPLICA_HTTP_PORT:-8075}"
export BENCH_SCALE="${BENCH_SCALE:-0.01}"
PG_VERSION="$(pg_lsclusters -h | awk '$2 == "main" {print $1}' | head -1)"
LOGS="$ROOT/.odoo-data"
say() { printf '[replica] %s\n' "$*"; }
as_postgres() { runuser -u postgres -- "$@"; }

if [ "${1:-}" = drop ]; then
    pg_dropcluster --stop "$PG_VERSION" replica 2>/dev/null || true
    say "replica cluster dropped"
    exit 0
fi
[ "$(id -u)" = 0 ] || { echo "[replica] run as root: it creates a PostgreSQL cluster" >&2; exit 2; }
mkdir -p "$LOGS"

if [ "${1:-}" != measure ]; then
    say "installing aftersales_service in a fresh database $REPLICA_DB on the primary (port 5432)"
    dropdb --if-exists "$REPLICA_DB"
    rm -rf "$LOGS/filestore/$REPLICA_DB"
    odoo -d "$REPLICA_DB" -i aftersales_service --without-demo=all --stop-after-init \
        --http-port=0 --log-level=warn > "$LOGS/replica-install.log" 2>&1 \
        || { tail -40 "$LOGS/replica-install.log"; exit 1; }
    say "seeding warranties at scale $BENCH_SCALE"
    "$ROOT/.venv/bin/python" "$ROOT/tools/bench.py" "$REPLICA_DB" build
fi

if ! pg_lsclusters -h | awk '{print $2}' | grep -qx replica; then
    say "creating the replica cluster $PG_VERSION/replica on port $REPLICA_PORT (pg_basebackup -R)"
    pg_createcluster "$PG_VERSION" replica -p "$REPLICA_PORT" > /dev/null
    data_dir="/var/lib/postgresql/$PG_VERSION/replica"
    rm -rf "${data_dir:?}"/*
    # A physical copy of the primary that keeps streaming its WAL (standby.signal
    # and primary_conninfo written by -R): every database and role, read-only.
    as_postgres pg_basebackup -D "$data_dir" -R -X stream -p 5432 -c fast
fi
pg_ctlcluster "$PG_VERSION" replica start 2>/dev/null || true
for _ in $(seq 30); do pg_isready -q -p "$REPLICA_PORT" && break; sleep 1; done
say "replica: $(psql -p "$REPLICA_PORT" -d postgres -tAc 'SELECT CASE WHEN pg_is_in_recovery() THEN '"'"'in recovery (a standby)'"'"' END')"
for _ in $(seq 60); do
    psql -p "$REPLICA_PORT" -d "$REPLICA_DB" -tAc "SELECT 1 FROM aftersales_warranty LIMIT 1" \
        > /dev/null 2>&1 && break
    sleep 1
done

say "starting Odoo with 2 workers on port $REPLICA_HTTP_PORT, read-only calls to the replica"
# An empty --db_replica_host is the local socket; the replica's port tells it apart.
"$ROOT/.venv/bin/python" "$ODOO_PATH/odoo-bin" --addons-path="$ADDONS_PATH" --data-dir="$LOGS" \
    -d "$REPLICA_DB" --db-filter="^$REPLICA_DB\$" --workers=2 --max-cron-threads=0 \
    --db_replica_host= --db_replica_port="$REPLICA_PORT" \
    --http-interface=127.0.0.1 --http-port="$REPLICA_HTTP_PORT" --log-level=warn \
    > "$LOGS/replica-server.log" 2>&1 &
server=$!
stop_server() { kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; return 0; }
trap stop_server EXIT
for _ in $(seq 60); do
    curl -sf "http://127.0.0.1:$REPLICA_HTTP_PORT/web/webclient/version_info" \
        -H 'Content-Type: application/json' -d '{}' > /dev/null && break
    sleep 1
done
"$ROOT/.venv/bin/python" "$ROOT/tools/replica.py" "$REPLICA_DB" "$REPLICA_HTTP_PORT" "$REPLICA_PORT"
stop_server
say "done; the replica cluster keeps running (bash tools/replica.sh drop removes it)"
