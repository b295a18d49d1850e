#!/usr/bin/env bash
# make bench: builds the benchmark database $BENCH_DB (dropped and recreated:
# the add-on installed without demo data, then a million warranties, 100,000
# service orders and 50,000 defects seeded in bulk SQL), measures the figures of
# issue 15 on it and prints them with the machine. BENCH_SCALE=0.01 runs it at
# a hundredth of the size in a minute or two. Not part of CI.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/odoo.sh"
export PYTHONDONTWRITEBYTECODE=1
BENCH_DB="${BENCH_DB:-aftersales_bench}"
export BENCH_SCALE="${BENCH_SCALE:-1}"
LOGS="$ROOT/.odoo-data"
mkdir -p "$LOGS"
say() { printf '[bench] %s\n' "$*"; }
bench() { "$ROOT/.venv/bin/python" "$ROOT/tools/bench.py" "$BENCH_DB" "$@"; }

machine="$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores,"
machine="$machine $(free -g | awk '/^Mem:/ {print $2}') GB RAM"
machine="$machine, PostgreSQL $(psql -d postgres -tAc "SHOW server_version" | cut -d" " -f1)"
say "machine: $machine"
started=$(date +%s)
say "installing aftersales_service in a fresh database $BENCH_DB"
dropdb --if-exists "$BENCH_DB"
rm -rf "$LOGS/filestore/$BENCH_DB" "$LOGS/bench-$BENCH_DB.json"
odoo -d "$BENCH_DB" -i aftersales_service --without-demo=all --stop-after-init \
    --http-port=0 --log-level=warn > "$LOGS/bench-$BENCH_DB-install.log" 2>&1 \
    || { tail -40 "$LOGS/bench-$BENCH_DB-install.log"; exit 1; }
say "seeding the data at scale $BENCH_SCALE"
bench build
built=$(date +%s)
say "database built in $((built - started)) s; measuring"
bench measure
say "the daily warranty job"
bench cron
say "done in $(( $(date +%s) - started )) s (build $((built - started)) s)"
echo
echo "machine: $machine"
bench report
