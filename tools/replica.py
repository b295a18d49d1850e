"""The client of tools/replica.sh: serials looked up while deliveries are
validated, through an Odoo server whose read-only calls go to a streaming
replica; prints which PostgreSQL cluster served what.

    replica.py DB HTTP_PORT REPLICA_PORT

Lookups through the web client's JSON route (``/web/dataset/call_kw``) run
``check_serial``, marked ``@api.readonly``, on a read-only cursor: the replica.
The same lookups over XML-RPC (``/xmlrpc/2/object``, which Odoo always runs on
a read/write cursor) and the deliveries go to the primary. The figures are the
transactions each cluster counted in ``pg_stat_database`` meanwhile.
"""

import json
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import xmlrpc.client
from http.cookiejar import CookieJar

DB, HTTP_PORT, REPLICA_PORT = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
URL = f"http://127.0.0.1:{HTTP_PORT}"
LOOKUPS = 500
DELIVERIES = 20


def psql(port, sql):
    """One value from the cluster on ``port`` (the local socket, as root)."""
    out = subprocess.run(
        ["psql", "-p", str(port), "-d", DB, "-tAc", sql], check=True, capture_output=True, text=True
    )
    return out.stdout.strip()


def transactions(port):
    """Transactions the cluster on ``port`` counted for the database (its own
    statistics: a standby counts the read-only transactions it served)."""
    time.sleep(1.2)  # backends flush their statistics at most once a second
    return int(
        psql(
            port,
            f"SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '{DB}'",
        )
    )


class Client:
    def __init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.json("/web/session/authenticate", {"db": DB, "login": "admin", "password": "admin"})
        self.xml = xmlrpc.client.ServerProxy(f"{URL}/xmlrpc/2/object", allow_none=True)
        common = xmlrpc.client.ServerProxy(f"{URL}/xmlrpc/2/common")
        self.uid = common.authenticate(DB, "admin", "admin", {})

    def json(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
        request = urllib.request.Request(URL + path, body, {"Content-Type": "application/json"})
        reply = json.loads(self.opener.open(request).read())
        if "error" in reply:
            raise RuntimeError(reply["error"]["data"]["message"])
        return reply.get("result")

    def call_kw(self, model, method, *args):
        """A call as the web client makes it (read-only when the method is)."""
        params = {"model": model, "method": method, "args": list(args), "kwargs": {}}
        return self.json(f"/web/dataset/call_kw/{model}/{method}", params)

    def execute(self, model, method, *args, **kwargs):
        """A call over XML-RPC (always a read/write cursor)."""
        return self.xml.execute_kw(DB, self.uid, "admin", model, method, list(args), kwargs)


def lookups(call, serials):
    """Milliseconds of each ``check_serial`` of ``serials`` through ``call``."""
    times = []
    for serial in serials:
        started = time.perf_counter()
        result = call("aftersales.warranty", "check_serial", serial)
        times.append((time.perf_counter() - started) * 1000)
        assert result["found"], serial
    return times


def deliveries(client, product_id, partner_id, count, done):
    """Sell and deliver ``count`` units, one order at a time, over XML-RPC."""
    for _i in range(count):
        order_id = client.execute(
            "sale.order",
            "create",
            {"partner_id": partner_id, "order_line": [(0, 0, {"product_id": product_id})]},
        )
        client.execute("sale.order", "action_confirm", [order_id])
        [order] = client.execute("sale.order", "read", [order_id], ["picking_ids"])
        moves = client.execute("stock.move", "search", [("picking_id", "in", order["picking_ids"])])
        client.execute("stock.move", "write", moves, {"quantity": 1, "picked": True})
        client.execute("stock.picking", "button_validate", order["picking_ids"])
        done.append(order_id)


def figures(label, times, primary, replica):
    times = sorted(times)
    p95 = times[int(len(times) * 0.95) - 1]
    calls = len(times)
    return (
        f"| {label} | {calls} | {statistics.median(times):.1f} / {p95:.1f} ms "
        f"| {primary} ({primary / calls:.1f} per call) "
        f"| {replica} ({replica / calls:.1f} per call) |"
    )


def main():
    client = Client()
    serials = [
        lot["name"] for lot in client.execute("stock.lot", "search_read", [], ["name"], limit=20000)
    ]
    serials = random.Random(2026).sample(serials, min(LOOKUPS, len(serials)))
    product_id = client.execute(
        "product.product",
        "create",
        {"name": "Replica Kettle", "is_storable": True, "warranty_months": 24},
    )
    stock = client.execute("stock.warehouse", "search_read", [], ["lot_stock_id"], limit=1)[0][
        "lot_stock_id"
    ][0]
    quant = client.execute(
        "stock.quant",
        "create",
        {"product_id": product_id, "location_id": stock, "inventory_quantity": DELIVERIES},
    )
    client.call_kw("stock.quant", "action_apply_inventory", [quant])  # returns None
    partner_id = client.execute("res.partner", "create", {"name": "Replica Customer"})
    warranties_before = int(psql(5432, "SELECT count(*) FROM aftersales_warranty"))

    rows = []
    primary, replica = transactions(5432), transactions(REPLICA_PORT)
    done = []
    writer = threading.Thread(
        target=deliveries, args=(Client(), product_id, partner_id, DELIVERIES, done)
    )
    writer.start()
    times = lookups(client.call_kw, serials)
    writer.join()
    primary_delta = transactions(5432) - primary - 1
    replica_delta = transactions(REPLICA_PORT) - replica - 1
    rows.append(
        figures(
            f"check_serial over JSON-RPC (@api.readonly), {len(done)} deliveries meanwhile",
            times,
            primary_delta,
            replica_delta,
        )
    )
    primary, replica = transactions(5432), transactions(REPLICA_PORT)
    times = lookups(client.execute, serials)
    rows.append(
        figures(
            "check_serial over XML-RPC (read/write cursor; the password is hashed on every call)",
            times,
            transactions(5432) - primary - 1,
            transactions(REPLICA_PORT) - replica - 1,
        )
    )
    warranties = int(psql(5432, "SELECT count(*) FROM aftersales_warranty"))
    time.sleep(1)
    on_replica = int(psql(REPLICA_PORT, "SELECT count(*) FROM aftersales_warranty"))
    lag = psql(5432, "SELECT coalesce(max(replay_lag)::text, '0') FROM pg_stat_replication")
    print()
    print("| calls | count | p50 / p95 | transactions on the primary | on the replica |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    print()
    print(
        "Every request also opens the HTTP layer's own transactions (the registry and the "
        "session checks) on a read-only cursor, so the replica serves some of each XML-RPC "
        "call too; the lookup itself runs on the replica only when it comes through "
        "/web/dataset/call_kw."
    )
    print(
        f"deliveries: {len(done)} validated on the primary, {warranties - warranties_before} "
        f"warranties registered; the replica holds {on_replica} of the primary's {warranties} "
        f"warranties a second later (replay lag {lag})"
    )


if __name__ == "__main__":
    main()
