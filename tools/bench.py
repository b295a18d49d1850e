"""The benchmark of issue 15: a database of a million warranties built in bulk
SQL, then the figures measured on it, side by side with what Odoo does alone.

Run by tools/bench.sh (``make bench``), one phase per process:
    bench.py DB build     seed the data (the add-on is installed already)
    bench.py DB measure   deliveries, check_serial, service orders, alerts, pivot
    bench.py DB cron      the daily warranty job (its own process: its own peak RSS)
    bench.py DB report    print the table of the figures
BENCH_SCALE (default 1) scales the counts: 0.01 builds 10,000 warranties.
The figures go to .odoo-data/bench-DB.json between the phases.
"""

import gc
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import odoo
from odoo import Command, api, fields
from odoo.tools import SQL

ROOT = Path(__file__).resolve().parent.parent
ODOO_PATH = os.environ.get("ODOO_PATH", "/opt/odoo18")
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
WARRANTIES = int(1_000_000 * SCALE)
ORDERS = int(100_000 * SCALE)
DEFECTS = int(50_000 * SCALE)
DUE = int(100_000 * SCALE)  # warranties the daily job has to handle
DUE_REMINDERS = DUE // 10  # of which reminders (an email each), the rest expire
PRODUCTS = 100
CUSTOMERS = max(50, int(5_000 * SCALE))
PREFIXES = ("ESP", "GRD", "KET", "BLN")  # serials share these and the year
SERIALS = (10, 100, 1000)
# Small deliveries take tens of milliseconds, where a busy machine's noise is a
# few: more rounds for them, so that the medians compare the code.
DELIVERY_ROUNDS = {10: 21, 100: 11, 1000: 5}
CHECKS = 1000
WARM_UP = 5  # service orders and receipts confirmed before the measured batch
BATCH = 1000  # the daily job's batch (its default)
LOT_INDEX = "aftersales_stock_lot_name_index"


def rss_mb():
    """Peak resident memory of this process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class Bench:
    def __init__(self, db):
        self.db = db
        self.path = ROOT / ".odoo-data" / f"bench-{db}.json"
        self.figures = json.loads(self.path.read_text()) if self.path.exists() else {}
        odoo.tools.config.parse_config(
            [
                f"--addons-path={ODOO_PATH}/addons,{ODOO_PATH}/odoo/addons,{ROOT}",
                f"--data-dir={ROOT}/.odoo-data",
                "--log-level=warn",
                "-d",
                db,
            ]
        )
        self.registry = odoo.modules.registry.Registry(db)

    def save(self, **figures):
        self.figures.update(figures)
        self.path.write_text(json.dumps(self.figures, indent=1, sort_keys=True))

    def run(self, phase):
        if phase == "report":
            return self.report()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
            getattr(self, phase)(env)
            cr.commit()

    # ------------------------------------------------------------------
    # The data
    # ------------------------------------------------------------------

    def build(self, env):
        started = time.perf_counter()
        company = env.company
        self.save(scale=SCALE, warranties=WARRANTIES, orders=ORDERS, defects=DEFECTS)
        Product = env["product.product"]
        products = Product.create(
            [
                {
                    "name": f"{PREFIXES[i % len(PREFIXES)]} Model {i:03d}",
                    "default_code": f"{PREFIXES[i % len(PREFIXES)]}{i:03d}",
                    "is_storable": True,
                    "tracking": "serial",
                    "warranty_months": 24,
                    "warranty_terms": "<p>Parts and labour covered.</p>",
                }
                for i in range(PRODUCTS)
            ]
        )
        Product.create(
            [
                {
                    "name": "Bench Espresso (with terms)",
                    "default_code": "BENCH-W",
                    "is_storable": True,
                    "tracking": "serial",
                    "warranty_months": 24,
                    "warranty_terms": "<p>Parts and labour covered.</p>",
                },
                {
                    "name": "Bench Espresso (no terms)",
                    "default_code": "BENCH-N",
                    "is_storable": True,
                    "tracking": "serial",
                },
            ]
        )
        partners = env["res.partner"].create(
            [{"name": f"Customer {i:05d}", "email": f"c{i}@example.com"} for i in range(CUSTOMERS)]
        )
        types = env["aftersales.defect.type"].create(
            [{"code": f"BENCH-{i}", "name": f"Bench defect {i}"} for i in range(10)]
        )
        env.flush_all()
        cr = env.cr
        today = fields.Date.context_today(env["res.partner"])
        common = {
            "company": company.id,
            "today": today,
            "products": products.ids,
            "prefixes": [PREFIXES[i % len(PREFIXES)] for i in range(PRODUCTS)],
            "partners": partners.ids,
            "np": PRODUCTS,
            "nc": CUSTOMERS,
        }
        # Serials 'ESP-2024-0001234': a prefix per product family and the year.
        cr.execute(
            SQL(
                """
            INSERT INTO stock_lot (name, product_id, company_id, create_uid, write_uid,
                                   create_date, write_date)
            SELECT (%(prefixes)s::varchar[])[p] || '-' || (2022 + mod(i, 4)) || '-'
                       || lpad(i::text, 7, '0'),
                   (%(products)s::int[])[p], %(company)s, 1, 1, now(), now()
              FROM generate_series(1, %(n)s) i
             CROSS JOIN LATERAL (SELECT 1 + mod(abs(hashint4(i)), %(np)s) AS p) product
            """,
                n=WARRANTIES,
                **common,
            )
        )
        # One warranty per serial, started over the last four years (24 months).
        cr.execute(
            SQL(
                """
            INSERT INTO aftersales_warranty (
                company_id, partner_id, product_id, lot_id, months, extension_months,
                repair_extension_days, name, state, date_start, date_end, quantity,
                reminder_sent, terms, create_uid, write_uid, create_date, write_date)
            SELECT %(company)s, (%(partners)s::int[])[1 + mod(lot.id::bigint * 7919, %(nc)s)],
                   lot.product_id, lot.id, 24, 0, 0, 'WB/' || lpad(lot.id::text, 7, '0'),
                   CASE WHEN start.day_end < %(today)s THEN 'expired' ELSE 'active' END,
                   start.day, start.day_end, 1,
                   start.day_end BETWEEN %(today)s AND %(today)s + 30,
                   '<p>Parts and labour covered.</p>', 1, 1, now(), now()
              FROM stock_lot lot
              CROSS JOIN LATERAL (
                  SELECT (%(today)s::date - (mod((lot.id * 37), 1461)))::date AS day) started
              CROSS JOIN LATERAL (
                  SELECT started.day,
                         (started.day + interval '24 months' - interval '1 day')::date AS day_end
                  ) start
             WHERE NOT starts_with(lot.name, 'BENCH')
            """,
                **common,
            )
        )
        # The daily job's work: DUE warranties ended but still active, or ending
        # within the reminder days and not reminded yet.
        cr.execute(
            SQL(
                """
            UPDATE aftersales_warranty SET state = 'active'
             WHERE id IN (SELECT id FROM aftersales_warranty WHERE state = 'expired'
                           ORDER BY id LIMIT %(n)s)
            """,
                n=DUE - DUE_REMINDERS,
            )
        )
        cr.execute(
            SQL(
                """
            UPDATE aftersales_warranty SET reminder_sent = false
             WHERE id IN (SELECT id FROM aftersales_warranty
                           WHERE state = 'active' AND reminder_sent
                           ORDER BY id LIMIT %(n)s)
            """,
                n=DUE_REMINDERS,
            )
        )
        # Service orders on one warranty in ten, in every state; 1 in 20 of the
        # units comes back (a repeat).
        cr.execute(
            SQL(
                """
            INSERT INTO aftersales_service_order (
                company_id, warehouse_id, partner_id, lot_id, product_id, warranty_id, user_id,
                name, priority, request_type, coverage, state, resolution, receive_goods,
                date_received, date_done, date_deadline, labour_hours, cost_parts,
                cost_labour, cost_transport, cost_total, description,
                create_uid, write_uid, create_date, write_date)
            SELECT %(company)s, %(warehouse)s, w.partner_id, w.lot_id, w.product_id, w.id, 2,
                   'SB/' || lpad(s.n::text, 7, '0'), '0', 'repair',
                   CASE WHEN mod(s.n, 5) = 0 THEN 'paid' ELSE 'warranty' END,
                   s.state,
                   CASE WHEN s.state = 'done' THEN 'repaired' END, true,
                   s.received, CASE WHEN s.state = 'done'
                                    THEN s.received + (mod(s.n, 40)) * interval '1 day' END,
                   (s.received + interval '45 days')::date, 1, 10, 40, 0, 50, 'Leaks water',
                   1, 1, s.received, s.received
              FROM (SELECT w.id, row_number() OVER (ORDER BY w.id) AS n
                      FROM aftersales_warranty w WHERE mod(w.id, 10) = 0) pick
              JOIN aftersales_warranty w ON w.id = pick.id
              CROSS JOIN LATERAL (
                  SELECT pick.n,
                         (ARRAY['done','done','done','done','done','done','done',
                                'in_progress','received','cancel'])[1 + mod(pick.n, 10)] AS state,
                         LEAST(w.date_start + mod(pick.n, 700)::int, %(today)s - 50)
                             + interval '10 hours' AS received) s
             WHERE pick.n <= %(n)s
            """,
                n=ORDERS,
                warehouse=env["stock.warehouse"].search([], limit=1).id,
                **common,
            )
        )
        cr.execute(
            SQL(
                """
            INSERT INTO aftersales_service_order (
                company_id, warehouse_id, partner_id, lot_id, product_id, warranty_id, user_id,
                name, priority, request_type, coverage, state, resolution, receive_goods,
                date_received, date_done, date_deadline, cost_total, description,
                create_uid, write_uid, create_date, write_date)
            SELECT company_id, warehouse_id, partner_id, lot_id, product_id, warranty_id,
                   user_id, name || '-R', '0', 'repair', coverage, 'done', 'repaired', true,
                   date_received + interval '30 days', date_done + interval '35 days',
                   date_deadline + 30, cost_total, description, 1, 1, create_date, write_date
              FROM aftersales_service_order WHERE mod(id, 20) = 0 AND state = 'done'
            """
            )
        )
        # Defects on half the orders, dated the day the unit was received.
        cr.execute(
            SQL(
                """
            INSERT INTO aftersales_defect (
                service_order_id, company_id, product_id, lot_id, defect_type_id,
                responsibility, capa_state, date, root_cause,
                create_uid, write_uid, create_date, write_date)
            SELECT so.id, so.company_id, so.product_id, so.lot_id,
                   (%(types)s::int[])[1 + mod(so.id, 10)], 'manufacturer', 'open',
                   so.date_received::date, 'Seal worn', 1, 1, now(), now()
              FROM aftersales_service_order so
             WHERE so.state != 'cancel' AND mod(so.id, 2) = 0
             ORDER BY so.id LIMIT %(n)s
            """,
                n=DEFECTS,
                types=types.ids,
            )
        )
        # The quality check raises alerts for a few products.
        company.write({"aftersales_defect_rate_threshold": 5.0, "aftersales_defect_min_units": 20})
        cr.execute("ANALYZE")
        env.invalidate_all()
        counts = {
            table: env.execute_query(SQL("SELECT count(*) FROM %s", SQL.identifier(table)))[0][0]
            for table in (
                "stock_lot",
                "aftersales_warranty",
                "aftersales_service_order",
                "aftersales_defect",
            )
        }
        self.save(build_seconds=round(time.perf_counter() - started, 1), counts=counts)

    # ------------------------------------------------------------------
    # The figures
    # ------------------------------------------------------------------

    def measure(self, env):
        cr = env.cr
        self.deliveries(env)
        cr.commit()
        self.check_serial(env)
        cr.commit()
        self.service_orders(env)
        cr.rollback()
        self.alerts(env)
        cr.rollback()
        self.pivot(env)
        cr.rollback()

    def _timed(self, env, function):
        """(seconds, queries) of ``function()``, what it writes flushed."""
        env.flush_all()
        env.invalidate_all()
        queries = env.cr.sql_log_count
        started = time.perf_counter()
        result = function()
        env.flush_all()
        return time.perf_counter() - started, env.cr.sql_log_count - queries, result

    def _cpu_seconds(self, env):
        """CPU time so far of this process and of its PostgreSQL backend: what
        the machine spent on the work, without the waits for a busy core that
        make wall times of tens of milliseconds vary by more than the code."""
        if not hasattr(self, "_backend_pid"):
            self._backend_pid = env.execute_query(SQL("SELECT pg_backend_pid()"))[0][0]
        # schedstat's first field: nanoseconds on a CPU (readable by root or
        # the postgres user, as the bench runs)
        backend = Path(f"/proc/{self._backend_pid}/schedstat").read_text().split()[0]
        return time.process_time() + int(backend) / 1e9

    def _stock_serials(self, env, product, count, tag):
        """``count`` new serials of ``product`` in stock (bulk SQL)."""
        warehouse = env["stock.warehouse"].search([], limit=1)
        env.flush_all()
        env.cr.execute(
            SQL(
                """
            WITH lots AS (
                INSERT INTO stock_lot (name, product_id, company_id, create_uid, write_uid,
                                       create_date, write_date)
                SELECT %(tag)s || lpad(i::text, 5, '0'), %(product)s, %(company)s, 1, 1,
                       now(), now()
                  FROM generate_series(1, %(n)s) i RETURNING id)
            INSERT INTO stock_quant (product_id, location_id, lot_id, company_id, quantity,
                                     reserved_quantity, in_date, create_uid, write_uid,
                                     create_date, write_date)
            SELECT %(product)s, %(location)s, lots.id, %(company)s, 1, 0, now(), 1, 1,
                   now(), now()
              FROM lots
            """,
                tag=tag,
                product=product.id,
                company=env.company.id,
                n=count,
                location=warehouse.lot_stock_id.id,
            )
        )
        env.invalidate_all()

    def deliveries(self, env):
        # As a user validating in the web client (its language and time zone),
        # with the chatter's tracking on, as in production.
        admin = env.ref("base.user_admin")
        env = env(user=admin.id, su=False, context={"lang": "en_US", "tz": "Europe/Brussels"})
        Product = env["product.product"]
        with_terms = Product.search([("default_code", "=", "BENCH-W")])
        no_terms = Product.search([("default_code", "=", "BENCH-N")])
        customer = env["res.partner"].search([("name", "=like", "Customer %")], limit=1)
        results = {}

        def validate(picking):
            # What the request does before its COMMIT: the chatter's tracking runs
            # in the cursor's precommit hooks (one per new warranty).
            result = picking.button_validate()
            env.cr.precommit.run()
            return result

        for count in SERIALS:
            runs = {"terms": [], "none": []}
            for round_ in range(DELIVERY_ROUNDS[count]):
                # Alternating, so that neither side has the warmer caches.
                pair = [("terms", with_terms), ("none", no_terms)]
                for kind, product in pair if round_ % 2 == 0 else pair[::-1]:
                    tag = f"BENCH-{kind}-{count}-{round_}-"
                    self._stock_serials(env, product, count, tag)
                    order = env["sale.order"].create(
                        {
                            "partner_id": customer.id,
                            "order_line": [
                                Command.create({"product_id": product.id, "product_uom_qty": count})
                            ],
                        }
                    )
                    order.action_confirm()
                    picking = order.picking_ids
                    picking.action_assign()
                    picking.move_ids.picked = True
                    env.flush_all()
                    gc.collect()  # neither side pays for the other's garbage
                    cpu = self._cpu_seconds(env)
                    seconds, queries, result = self._timed(env, lambda p=picking: validate(p))
                    cpu = self._cpu_seconds(env) - cpu
                    assert result is True and picking.state == "done", result
                    warranties = len(order.warranty_ids)
                    assert warranties == (count if kind == "terms" else 0), warranties
                    runs[kind].append((seconds, cpu, queries))
                    env.cr.commit()
            results[count] = {
                kind: {
                    "seconds": statistics.median(s for s, _c, _q in values),
                    "cpu_seconds": statistics.median(c for _s, c, _q in values),
                    "queries": statistics.median(q for _s, _c, q in values),
                }
                for kind, values in runs.items()
            }
            # Each round's two deliveries ran one after the other: the median
            # of their ratios leaves out the machine's slower and faster spells.
            results[count]["paired_cpu_overhead"] = statistics.median(
                ours[1] / theirs[1] - 1
                for ours, theirs in zip(runs["terms"], runs["none"], strict=True)
            )
        self.save(deliveries=results)

    def _lookups(self, env, names, function):
        times = []
        for name in names:
            env.invalidate_all()
            started = time.perf_counter()
            function(name)
            times.append((time.perf_counter() - started) * 1000.0)
        times.sort()
        return {
            "p50": round(statistics.median(times), 2),
            "p95": round(times[int(len(times) * 0.95) - 1], 2),
        }

    def check_serial(self, env):
        cr = env.cr
        cr.execute(
            "SELECT name FROM stock_lot WHERE name NOT LIKE 'BENCH%%' ORDER BY random() LIMIT %s",
            [CHECKS],
        )
        names = [name for (name,) in cr.fetchall()]
        # As a real after-sales user (record rules applied), not as the system;
        # with the context the web client sends (its language and time zone:
        # "today" needs no read of the user), and without any (XML-RPC).
        admin = env.ref("base.user_admin")
        web_env = env(user=admin.id, su=False, context={"lang": "en_US", "tz": "Europe/Brussels"})
        rpc_env = env(user=admin.id, su=False, context={})
        Lot = web_env["stock.lot"]

        def checks():
            found = self._lookups(env, names, web_env["aftersales.warranty"].check_serial)
            assert web_env["aftersales.warranty"].check_serial(names[0])["found"]
            rpc = self._lookups(env, names, rpc_env["aftersales.warranty"].check_serial)
            bare = self._lookups(env, names, lambda name: Lot.search([("name", "=", name)]))
            return {"check_serial": found, "check_serial_rpc": rpc, "lot_search": bare}

        plan_sql = SQL("EXPLAIN ANALYZE SELECT id FROM stock_lot WHERE name = %s", names[1])
        after = checks()
        after["plan"] = [row[0] for row in env.execute_query(plan_sql)]
        cr.execute("SAVEPOINT no_index")
        cr.execute(SQL("DROP INDEX %s", SQL.identifier(LOT_INDEX)))
        before = checks()
        before["plan"] = [row[0] for row in env.execute_query(plan_sql)]
        cr.execute("ROLLBACK TO SAVEPOINT no_index")
        self.save(check_serial={"with_index": after, "trigram_only": before})

    def service_orders(self, env):
        admin = env.ref("base.user_admin")
        user_env = env(user=admin.id, su=False)
        env.cr.execute(
            """
            SELECT w.lot_id FROM aftersales_warranty w
             WHERE w.state = 'active' AND w.lot_id IS NOT NULL AND NOT EXISTS (
                   SELECT 1 FROM aftersales_service_order so WHERE so.lot_id = w.lot_id)
             ORDER BY w.id DESC LIMIT 105
            """
        )
        lots = [lot_id for (lot_id,) in env.cr.fetchall()]
        Order = user_env["aftersales.service.order"]
        orders = Order.create([{"lot_id": lot_id, "description": "Leaks water"} for lot_id in lots])
        env.cr.commit()
        # Both sides measured warm: the first batch of each fills the caches
        # (record rules, access rights, defaults) that any running server holds.
        warm_up, orders = orders[:WARM_UP], orders[WARM_UP:]
        warm_up_lots, lots = lots[:WARM_UP], lots[WARM_UP:]
        warm_up.action_confirm()
        seconds, queries, _result = self._timed(env, orders.action_confirm)
        assert set(orders.mapped("state")) == {"confirmed"}, orders.mapped("state")
        warehouse = user_env["stock.warehouse"].search([], limit=1)
        customers = env.ref("stock.stock_location_customers")

        def receipts(lot_records):
            pickings = user_env["stock.picking"].create(
                [
                    {
                        "picking_type_id": warehouse.in_type_id.id,
                        "partner_id": orders[0].partner_id.id,
                        "location_id": customers.id,
                        "location_dest_id": warehouse.lot_stock_id.id,
                        "origin": lot.name,
                        "move_ids": [
                            Command.create(
                                {
                                    "name": lot.product_id.name,
                                    "product_id": lot.product_id.id,
                                    "product_uom_qty": 1,
                                    "product_uom": lot.product_id.uom_id.id,
                                    "location_id": customers.id,
                                    "location_dest_id": warehouse.lot_stock_id.id,
                                }
                            )
                        ],
                    }
                    for lot in lot_records
                ]
            )
            pickings.action_confirm()
            return pickings

        receipts(env["stock.lot"].browse(warm_up_lots))
        lot_records = env["stock.lot"].browse(lots)
        odoo_seconds, odoo_queries, pickings = self._timed(env, lambda: receipts(lot_records))
        assert len(pickings) == len(lots)
        self.save(
            service_orders={
                "count": len(lots),
                "seconds": seconds,
                "queries": queries,
                "odoo_seconds": odoo_seconds,
                "odoo_queries": odoo_queries,
            }
        )

    def alerts(self, env):
        Alert = env["aftersales.quality.alert"]
        Warranty = env["aftersales.warranty"]
        Defect = env["aftersales.defect"]
        company = env.company
        day = fields.Date.context_today(Alert)
        date_from = fields.Date.subtract(
            day, months=company.aftersales_defect_window_months, days=-1
        )
        seconds, _queries, ids = self._timed(env, Alert.compute_alerts)
        env.cr.rollback()
        seconds_warm, _queries, ids = self._timed(env, Alert.compute_alerts)
        env.cr.rollback()

        def per_product():
            breaches = []
            threshold = company.aftersales_defect_rate_threshold
            for product in env["product.product"].search([("warranty_months", ">", 0)]):
                rows = Warranty.search_read(
                    [
                        ("company_id", "=", company.id),
                        ("product_id", "=", product.id),
                        ("state", "!=", "void"),
                        ("date_start", ">=", date_from),
                        ("date_start", "<=", day),
                    ],
                    ["quantity"],
                )
                units = sum(row["quantity"] for row in rows)
                defects = Defect.search_count(
                    [
                        ("company_id", "=", company.id),
                        ("product_id", "=", product.id),
                        ("date", ">=", date_from),
                        ("date", "<=", day),
                    ]
                )
                if units >= company.aftersales_defect_min_units and 100 * defects >= (
                    threshold * units
                ):
                    breaches.append(product.id)
            return breaches

        loop_seconds, _queries, breaches = self._timed(env, per_product)
        self.save(
            alerts={
                "seconds": min(seconds, seconds_warm),
                "alerts": len(ids),
                "loop_seconds": loop_seconds,
                "loop_breaches": len(breaches),
            }
        )

    def pivot(self, env):
        admin = env.ref("base.user_admin")
        Report = env(user=admin.id, su=False)["aftersales.service.report"]
        views = {
            "by month": (
                ["date:month"],
                ["turnaround_days:avg", "days_late:avg", "cost_total:sum"],
            ),
            "by product, state": (["product_id", "state"], ["__count", "cost_total:sum"]),
            "repeats by category": (["product_categ_id", "is_repeat"], ["__count"]),
        }
        results = {}
        for label, (groupby, aggregates) in views.items():
            times = []
            for _round in range(3):
                env.invalidate_all()
                started = time.perf_counter()
                groups = Report._read_group([], groupby, aggregates)
                times.append(time.perf_counter() - started)
            results[label] = {"seconds": statistics.median(times), "groups": len(groups)}
        rows = Report.search_count([])
        self.save(pivot={"rows": rows, "views": results})

    def cron(self, env):
        Warranty = env["aftersales.warranty"]
        cr = env.cr
        start_rss = rss_mb()
        batches = expired = reminded = 0
        started = time.perf_counter()
        while True:
            # As ir.cron runs a job that reports progress: one call per batch,
            # each committed, until nothing is left.
            done_expired, done_reminded = Warranty._cron_expire_and_remind(batch_size=BATCH)
            cr.commit()
            env.invalidate_all()
            batches += 1
            expired += len(done_expired)
            reminded += len(done_reminded)
            if not done_expired and not done_reminded:
                break
        self.save(
            cron={
                "seconds": time.perf_counter() - started,
                "batches": batches,
                "expired": expired,
                "reminded": reminded,
                "rss_start_mb": round(start_rss),
                "rss_peak_mb": round(rss_mb()),
            }
        )

    # ------------------------------------------------------------------
    # The table
    # ------------------------------------------------------------------

    def report(self):
        f = self.figures
        lines = [
            f"scale {f['scale']}: {f['counts']}, built in {f['build_seconds']} s",
            "",
            f"{'figure':<58} {'add-on':>14} {'Odoo alone':>14} {'ratio':>8}  target",
        ]

        def row(label, ours, theirs="", ratio="", target=""):
            lines.append(f"{label:<58} {ours:>14} {theirs:>14} {ratio:>8}  {target}")

        for count, kinds in sorted(f["deliveries"].items(), key=lambda item: int(item[0])):
            ours, theirs = kinds["terms"], kinds["none"]
            rounds = DELIVERY_ROUNDS[int(count)]
            for label, key in (("CPU, Odoo + PostgreSQL", "cpu_seconds"), ("wall", "seconds")):
                row(
                    f"deliver {count} serials: {label} (median of {rounds})",
                    f"{ours[key] * 1000:.0f} ms",
                    f"{theirs[key] * 1000:.0f} ms",
                    f"{100 * (ours[key] / theirs[key] - 1):+.1f}%",
                )
            row(
                f"deliver {count} serials: CPU overhead, median of the {rounds} rounds'",
                "",
                "",
                f"{100 * kinds['paired_cpu_overhead']:+.1f}%",
                "<= +10%",
            )
            row(
                f"deliver {count} serials: queries",
                f"{ours['queries']:.0f}",
                f"{theirs['queries']:.0f}",
                f"{ours['queries'] - theirs['queries']:+.0f}",
                "extra constant in N",
            )
        for label, key in (("btree index", "with_index"), ("trigram index only", "trigram_only")):
            checks = f["check_serial"][key]
            for p in ("p50", "p95"):
                row(
                    f"check_serial {p}, {CHECKS} serials ({label}), web client's context",
                    f"{checks['check_serial'][p]:.2f} ms",
                    f"{checks['lot_search'][p]:.2f} ms",
                    "",
                    "p95 <= 2 ms" if p == "p95" else "",
                )
            if "check_serial_rpc" in checks:
                row(
                    f"check_serial p50 / p95 ({label}), no context (XML-RPC: reads the "
                    "user's time zone)",
                    f"{checks['check_serial_rpc']['p50']:.2f} / "
                    f"{checks['check_serial_rpc']['p95']:.2f} ms",
                    "",
                    "",
                    "",
                )
        so = f["service_orders"]
        row(
            f"confirm {so['count']} service orders vs {so['count']} receipts: time",
            f"{so['seconds'] * 1000:.0f} ms",
            f"{so['odoo_seconds'] * 1000:.0f} ms",
            f"{so['seconds'] / so['odoo_seconds']:.2f}x",
            "<= 1.5x",
        )
        row(
            f"confirm {so['count']} service orders vs {so['count']} receipts: queries",
            f"{so['queries']}",
            f"{so['odoo_queries']}",
            f"{so['queries'] / so['odoo_queries']:.2f}x",
            "<= 1.5x",
        )
        cron = f.get("cron")
        if cron:
            row(
                f"daily job: {cron['expired']} expired + {cron['reminded']} reminded",
                f"{cron['seconds']:.1f} s",
                "",
                "",
                f"{cron['batches']} batches of {BATCH}, committed",
            )
            row(
                "daily job: peak RSS (at start)",
                f"{cron['rss_peak_mb']} MB",
                f"({cron['rss_start_mb']} MB)",
                "",
                "bounded",
            )
        alerts = f["alerts"]
        row(
            f"compute_alerts ({alerts['alerts']} alerts) vs per-product searches",
            f"{alerts['seconds'] * 1000:.0f} ms",
            f"{alerts['loop_seconds'] * 1000:.0f} ms",
            f"{alerts['loop_seconds'] / alerts['seconds']:.0f}x",
            "<= 3 s, >= 20x",
        )
        pivot = f["pivot"]
        for label, view in pivot["views"].items():
            row(
                f"pivot over {pivot['rows']} orders, {label} ({view['groups']} groups)",
                f"{view['seconds'] * 1000:.0f} ms",
                "",
                "",
                "<= 1 s",
            )
        lines.append("")
        lines.append("lot lookup by name, with the btree index:")
        lines += ["  " + line for line in f["check_serial"]["with_index"]["plan"]]
        lines.append("and with Odoo's trigram index only:")
        lines += ["  " + line for line in f["check_serial"]["trigram_only"]["plan"]]
        print("\n".join(lines))


if __name__ == "__main__":
    Bench(sys.argv[1]).run(sys.argv[2])
