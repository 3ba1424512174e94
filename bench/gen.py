"""Build a storepos database at a busy store's scale, fast: bulk inserts, not the UI.

The demo store (staff, categories, 320 products, 14 customers, checklist items) is loaded through
the services; everything else is written with sqlite3 ``executemany`` in big transactions:
products with Chinese and English names and valid EAN-13 barcodes, customers, a year of sales
(1–5 lines, split payments, some on account, some returned), their stock moves (the ledger adds up
to every product's stock), register sessions, visits, quotes and checklist runs.  History rows
carry no audit rows (the audit chain covers what the services write).

The result is cached under bench/.cache/ by a content hash of this file, the parameters and the
schema version, so a second run reuses it.  ``build(params)`` returns the path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import shutil
import sqlite3
import time
import uuid
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"

FULL = {"products": 100_000, "customers": 20_000, "lines": 1_000_000, "extra_staff": 8,
        "days": 365, "end": "2026-10-31", "seed": 12, "return_share": 0.02,
        "walk_in_visits": 0.5, "quote_share": 0.06}
QUICK = FULL | {"products": 2_000, "customers": 2_000, "lines": 20_000, "days": 30}

# Local shop hours 09:00–21:00 in Asia/Shanghai = 01:00–13:00 UTC (times are stored naive UTC).
OPEN_UTC, CLOSE_UTC = 1, 13
HISTORY_TERMINALS = ("C1", "C2")
VAT = 13

BRANDS = [("美的", "Midea"), ("苏泊尔", "Supor"), ("九阳", "Joyoung"), ("格力", "Gree"), ("方太", "Fotile"),
          ("老板", "Robam"), ("双立人", "Zwilling"), ("小熊", "Bear"), ("德龙", "DeLonghi"), ("爱仕达", "ASD"),
          ("膳魔师", "Thermos"), ("象印", "Zojirushi"), ("摩飞", "Morphy"), ("飞利浦", "Philips"),
          ("松下", "Panasonic"), ("康宁", "Corning"), ("乐扣", "LocknLock"), ("炊大皇", "Cooker King")]
SIZES = ["", "小号", "中号", "大号", "家用", "商用", "加厚", "升级款", "经典款", "迷你"]
SIZES_EN = {"": "", "小号": "small", "中号": "medium", "大号": "large", "家用": "home", "商用": "commercial",
            "加厚": "thick", "升级款": "upgraded", "经典款": "classic", "迷你": "mini"}
COLOURS = [("白", "white"), ("黑", "black"), ("红", "red"), ("银", "silver"), ("灰", "grey"), ("蓝", "blue")]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁"


def ean13(body12: str) -> str:
    """A 12-digit body plus its EAN-13 check digit."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


def _half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def vat_fen(total: int) -> int:
    return _half_up(Decimal(total) * VAT / (100 + VAT))


def cache_key(params: dict[str, Any]) -> str:
    from storepos.models.schema import SCHEMA_VERSION

    h = hashlib.sha256()
    h.update(Path(__file__).read_bytes())
    h.update(json.dumps(params, sort_keys=True).encode())
    h.update(str(SCHEMA_VERSION).encode())
    from storepos.paths import fixtures_dir

    for f in sorted((fixtures_dir() / "demo").glob("*")) + sorted((fixtures_dir() / "sop").glob("*")):
        if f.is_file():
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def end_date(params: dict[str, Any]) -> dt.date:
    return dt.date.fromisoformat(params["end"])


def bench_now(params: dict[str, Any]) -> dt.datetime:
    """The benchmark's clock: 19:30 local (11:30 UTC) on the last day of the data."""
    return dt.datetime.combine(end_date(params), dt.time(11, 30))


def build(params: dict[str, Any], *, log: Any = print) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    key = cache_key(params)
    path = CACHE / f"store-{key}.db"
    if path.exists():
        log(f"scale database: cached {path.name}")
        return path
    for old in CACHE.glob("store-*.db"):  # keep one cached database per size
        if _params_of(old) == _size_of(params):
            old.unlink()
            old.with_suffix(".json").unlink(missing_ok=True)
            shutil.rmtree(home_of(old), ignore_errors=True)
    tmp = CACHE / f"build-{key}-{os.getpid()}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    started = time.perf_counter()
    shutil.rmtree(home_of(path), ignore_errors=True)
    _build(tmp, params, log, home_of(path))
    tmp.rename(path)
    (CACHE / f"store-{key}.json").write_text(json.dumps(params, sort_keys=True))
    log(f"scale database built in {time.perf_counter() - started:.1f} s: {path.name} "
        f"({path.stat().st_size / 1e6:.0f} MB)")
    return path


def home_of(db_path: Path) -> Path:
    """The storepos home made with the database (its pepper: the demo PINs depend on it)."""
    return db_path.with_name(db_path.stem + "-home")


def _size_of(params: dict[str, Any]) -> tuple:
    return (params["products"], params["lines"])


def _params_of(db_path: Path) -> tuple | None:
    meta = db_path.with_suffix(".json")
    if not meta.exists():
        return None
    p = json.loads(meta.read_text())
    return _size_of(p)


# -- the build ----------------------------------------------------------------------------------

def _services_part(path: Path, params: dict[str, Any], home: Path) -> None:
    """Schema, the demo store and the checklist items, through storepos itself."""
    from storepos import clock
    from storepos.config import Settings
    from storepos.db import database
    from storepos.services.core import pins
    from storepos.services import checklist
    from storepos.services.core.bootstrap import close_database, open_store_database
    from storepos.services.demo import load_demo

    start = dt.datetime.combine(end_date(params) - dt.timedelta(days=params["days"]), dt.time(0, 30))
    prev = clock.use(clock.FixedClock(start))
    real_n = pins.SCRYPT_N
    pins.SCRYPT_N = 2**10  # the demo PINs: cheap to make; the cost is stored in each hash
    try:
        settings = Settings(home=home, db=str(path), terminal="T1", idle_lock_minutes=0)
        open_store_database(settings)
        load_demo()
        checklist.seed_all_stores()
        close_database()
        database.initialize(None)
    finally:
        pins.SCRYPT_N = real_n
        clock.use(prev)


def _build(path: Path, params: dict[str, Any], log: Any, home: Path) -> None:
    _services_part(path, params, home)
    rng = random.Random(params["seed"])
    con = sqlite3.connect(str(path), isolation_level=None)
    con.execute("PRAGMA journal_mode=DELETE")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("PRAGMA cache_size=-200000")
    con.execute("BEGIN")
    g = _Gen(con, rng, params, log)
    g.run()
    con.execute("COMMIT")
    con.execute("PRAGMA optimize")
    con.execute("ANALYZE")
    con.execute("PRAGMA journal_mode=WAL")
    con.close()


def _ts(value: dt.datetime) -> str:
    return str(value)  # peewee's own text form


class _Gen:
    def __init__(self, con: sqlite3.Connection, rng: random.Random, params: dict[str, Any], log: Any) -> None:
        self.con = con
        self.rng = rng
        self.p = params
        self.log = log
        self.end = end_date(params)
        self.first = self.end - dt.timedelta(days=params["days"] - 1)
        self.store_id = con.execute("SELECT id FROM store").fetchone()[0]

    def q(self, sql: str, *args: Any) -> list[tuple]:
        return self.con.execute(sql, args).fetchall()

    def many(self, table: str, cols: list[str], rows: list[tuple]) -> None:
        if rows:
            sql = f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})'
            self.con.executemany(sql, rows)

    def next_id(self, table: str) -> int:
        return (self.q(f'SELECT MAX(id) FROM "{table}"')[0][0] or 0) + 1

    def run(self) -> None:
        t0 = time.perf_counter()
        self.staff()
        self.terminals()
        self.products()
        self.log(f"  products {time.perf_counter() - t0:.1f} s")
        self.customers()
        self.sales()
        self.log(f"  sales {time.perf_counter() - t0:.1f} s")
        self.stock()
        self.checklists()
        self.log(f"  done {time.perf_counter() - t0:.1f} s")

    # -- people and places ------------------------------------------------------------------------

    def staff(self) -> None:
        row = self.q("SELECT pin_hash, created_at FROM staff WHERE code = '1001'")[0]
        rows = []
        for i in range(self.p["extra_staff"]):
            name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN) + self.rng.choice(GIVEN)
            rows.append((self.store_id, str(1003 + i), name, "staff", row[0], 5, None, 1, 0, 0, None, row[1]))
        self.many("staff", ["store_id", "code", "name", "role", "pin_hash", "discount_authority", "language",
                            "active", "failed_pins", "lockouts", "locked_until", "created_at"], rows)
        self.sellers = [r[0] for r in self.q("SELECT id FROM staff WHERE role IN ('staff', 'manager')")]
        self.manager = self.q("SELECT id FROM staff WHERE role = 'manager'")[0][0]

    def terminals(self) -> None:
        created = _ts(dt.datetime.combine(self.first, dt.time(0, 30)))
        for code in HISTORY_TERMINALS:
            self.con.execute("INSERT INTO terminal (store_id, code, created_at) VALUES (?, ?, ?)",
                             (self.store_id, code, created))
        self.terminal_ids = {code: self.q("SELECT id FROM terminal WHERE code = ?", code)[0][0]
                             for code in HISTORY_TERMINALS}

    def products(self) -> None:
        demo = self.q("SELECT name_zh, name_en, category_id, unit, price FROM product")
        self.cats = [c for (c,) in self.q("SELECT id FROM category")]
        con = self.con
        # The FTS triggers fire per row; one rebuild at the end is far cheaper.
        for name in ("product_fts_ai", "product_fts_ad", "product_fts_au"):
            con.execute(f"DROP TRIGGER IF EXISTS {name}")
        start = self.gen_start = self.next_id("product")
        created = _ts(dt.datetime.combine(self.first, dt.time(0, 30)))
        rows = []
        self.prices: dict[int, int] = {pid: price for pid, price in self.q("SELECT id, price FROM product")}
        self.names: dict[int, tuple[str, str, str]] = {
            pid: (sku, zh, en) for pid, sku, zh, en in self.q("SELECT id, sku, name_zh, name_en FROM product")}
        rng = self.rng
        for i in range(self.p["products"]):
            pid = start + i
            zh0, en0, cat, unit, price0 = rng.choice(demo)
            bzh, ben = rng.choice(BRANDS)
            size = rng.choice(SIZES)
            czh, cen = rng.choice(COLOURS)
            model = f"{ben[:2].upper()}-{rng.randint(100, 9999)}"
            zh = f"{bzh}{size}{zh0}（{czh}）{model}"
            en = " ".join(x for x in (ben, SIZES_EN[size], en0, f"({cen})", model) if x)
            price = max(100, int(price0 * rng.uniform(0.5, 1.8)) // 10 * 10)
            floor = price * rng.choice((80, 85, 90, 95)) // 100
            sku = f"BX{i + 1:06d}"
            barcode = ean13(f"69{rng.randint(1, 99):02d}{i + 1:08d}")
            active = 0 if rng.random() < 0.01 else 1
            rows.append((self.store_id, sku, barcode, zh, en, cat, unit, price, floor, 0, 0, active, created, created))
            self.prices[pid] = price
            self.names[pid] = (sku, zh, en)
        self.many("product", ["store_id", "sku", "barcode", "name_zh", "name_en", "category_id", "unit", "price",
                              "floor_price", "stock", "defective", "active", "created_at", "updated_at"], rows)
        from storepos.services import catalog

        for sql in catalog.search_index_rebuild_sql():
            con.execute(sql)
        self.product_ids = [pid for (pid,) in self.q("SELECT id FROM product WHERE active = 1 ORDER BY id")]
        # A popularity order: a few products sell a lot, most sell a little.
        self.popular = self.product_ids[:]
        rng.shuffle(self.popular)

    def pick_product(self) -> int:
        n = len(self.popular)
        return self.popular[int(n * self.rng.random() ** 3)]

    def customers(self) -> None:
        rng = self.rng
        created = _ts(dt.datetime.combine(self.first, dt.time(0, 30)))
        rows = []
        phones: set[str] = set()
        for i in range(self.p["customers"]):
            while True:
                phone = f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"
                if phone not in phones:
                    phones.add(phone)
                    break
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
            business = rng.random() < 0.08
            seg = "business" if business else ("vip" if rng.random() < 0.1 else "retail")
            rows.append((self.store_id, f"C{100000 + i}", name, phone, seg, "", "",
                         5_000_000 if business else 0, 30 if business else 0, created))
        self.many("customer", ["store_id", "number", "name", "phone", "segment", "address", "notes",
                               "credit_limit", "credit_days", "created_at"], rows)
        cs = self.q("SELECT id, segment FROM customer")
        self.customer_ids = [c for c, _s in cs]
        self.business_ids = [c for c, s in cs if s == "business"]

    # -- a year of trading -------------------------------------------------------------------------

    def sales(self) -> None:
        rng = self.rng
        days = self.p["days"]
        target = self.p["lines"]
        mean_lines = 2.5  # of the weights below
        per_day = target / mean_lines / days
        sale_id = first_sale = self.next_id("sale")
        line_id = self.next_id("sale_line")
        visit_id = self.next_id("visit")
        quote_id = self.next_id("quote")
        session_id = self.next_id("register_session")
        receipt = {t: 0 for t in HISTORY_TERMINALS}
        self.sold: dict[int, int] = defaultdict(int)
        self.returned: dict[int, int] = defaultdict(int)
        pending_returns: dict[dt.date, list[tuple]] = defaultdict(list)
        sales, lines, pays, moves, recv, visits, vprods, quotes, qlines, sessions = ([] for _ in range(10))
        lines_done = 0
        cols_sale = ["id", "store_id", "terminal_id", "session_id", "receipt_no", "cart_uuid", "kind", "original_id",
                     "staff_id", "customer_id", "quote_id", "visit_id", "subtotal", "discount", "total", "paid",
                     "balance_due", "vat", "vat_rate_percent", "fulfilment", "settle_mode", "deposit",
                     "delivery_date", "delivered", "delivered_at", "status", "approvals", "invoice_title",
                     "invoice_tax_no", "invoice_kind", "invoice_issued", "reprints", "created_at"]
        cols_line = ["id", "sale_id", "line_no", "product_id", "sku", "name_zh", "name_en", "qty", "unit_price",
                     "line_discount", "line_total", "original_line_id", "to_defective", "batches"]
        cols_pay = ["sale_id", "session_id", "method", "amount", "tendered", "change", "reference", "kind",
                    "created_at"]
        cols_move = ["store_id", "product_id", "qty", "reason", "location", "ref", "note", "batch_id", "staff_id",
                     "terminal", "at"]
        cols_visit = ["id", "store_id", "staff_id", "customer_id", "business_date", "started_at", "signal",
                      "signal_seen_at", "approached_at", "greeting", "needs", "budget", "outcome", "leave_reason",
                      "come_back_date", "step", "done", "skipped", "status", "ended_at", "quote_id", "sale_id",
                      "updated_at"]
        cols_quote = ["id", "store_id", "number", "customer_id", "staff_id", "visit_id", "status", "valid_until",
                      "notes", "revision", "discount", "subtotal", "total", "list_total", "sale_id", "given_at",
                      "accepted_at", "closed_at", "created_at", "updated_at"]
        cols_qline = ["quote_id", "position", "product_id", "sku", "name_zh", "name_en", "unit", "qty",
                      "list_price", "floor_price", "unit_price", "discount_pct", "total"]
        cols_session = ["id", "store_id", "terminal_id", "open_terminal", "opened_by_id", "opened_at",
                        "float_amount", "closed_by_id", "closed_at", "counted", "expected", "difference"]
        signals = ["gazes_long", "touches_product", "looks_then_raises_head", "stops_suddenly",
                   "talks_with_companion", "eyes_searching", "eyes_meet", "asked_first"]
        greeting = ["nod", "smile", "eye_contact", "stance_gestures", "warm_tone", "greeting_words"]
        leave = ["price_too_high", "out_of_stock", "just_looking", "consult_family", "comparing_shops",
                 "no_suitable_model"]
        all_steps = ["signal", "greeting", "needs", "outcome"]

        def flush(final: bool = False) -> None:
            if final or len(lines) > 200_000:
                self.many("sale", cols_sale, sales)
                self.many("sale_line", cols_line, lines)
                self.many("payment", cols_pay, pays)
                self.many("stock_move", cols_move, moves)
                self.many("receivable", ["store_id", "customer_id", "sale_id", "amount", "paid", "credited",
                                         "business_date", "due_date", "created_at"], recv)
                self.many("visit", cols_visit, visits)
                self.many("visit_product", ["visit_id", "product_id", "shown_at"], vprods)
                self.many("quote", cols_quote, quotes)
                self.many("quote_line", cols_qline, qlines)
                for lst in (sales, lines, pays, moves, recv, visits, vprods, quotes, qlines):
                    lst.clear()

        def visit_row(vid: int, staff: int, customer: int | None, day: dt.date, at: dt.datetime, outcome: str,
                      *, sale: int | None = None, quote: int | None = None, shown: list[int] = ()) -> None:
            seen = at - dt.timedelta(seconds=rng.randint(20, 300))
            appr = at + dt.timedelta(seconds=rng.randint(5, 90))
            ended = appr + dt.timedelta(minutes=rng.randint(3, 40))
            lr = rng.choice(leave) if outcome in ("left", "come_back") else None
            visits.append((vid, self.store_id, staff, customer, str(day), _ts(seen), rng.choice(signals), _ts(seen),
                           _ts(appr), json.dumps(rng.sample(greeting, rng.randint(3, 6))),
                           json.dumps({"quantity": "1"}, ensure_ascii=False), None, outcome, lr,
                           str(day + dt.timedelta(days=3)) if outcome == "come_back" else None,
                           "outcome", json.dumps(all_steps), "[]", "closed", _ts(ended), quote, sale, _ts(ended)))
            for pid in dict.fromkeys(shown):
                vprods.append((vid, pid, _ts(appr)))

        day_index = 0
        day = self.first
        quote_seq: dict[dt.date, int] = defaultdict(int)
        while day <= self.end:
            weekday_factor = 1.35 if day.weekday() >= 5 else 0.86
            remaining_days = (self.end - day).days + 1
            if remaining_days == 1:
                n_sales = max(1, int((target - lines_done) / mean_lines))
            else:
                n_sales = max(1, int(rng.gauss(per_day * weekday_factor, per_day * 0.08)))
            sess = {}
            cash_net = {}
            for code in HISTORY_TERMINALS:
                sess[code] = session_id
                cash_net[code] = 0
                session_id += 1
            times = sorted(dt.datetime.combine(day, dt.time(OPEN_UTC)) +
                           dt.timedelta(seconds=rng.randint(0, (CLOSE_UTC - OPEN_UTC) * 3600 - 1))
                           for _ in range(n_sales + len(pending_returns.get(day, []))))
            ti = 0
            # returns of earlier sales first (any time of the day)
            for orig in pending_returns.pop(day, []):
                o_sale, o_line, pid, qty, price, disc, total, method, customer, staff = orig
                at = times[ti]
                ti += 1
                code = rng.choice(HISTORY_TERMINALS)
                receipt[code] += 1
                sid = sale_id
                sale_id += 1
                sales.append((sid, self.store_id, self.terminal_ids[code], sess[code], receipt[code],
                              str(uuid.UUID(int=rng.getrandbits(128), version=4)), "return", o_sale, staff, customer,
                              None, None, -qty * price, -disc, -total, -total, 0, -vat_fen(total), VAT, "take",
                              "settle_then_deliver", 0, None, 1, _ts(at), "completed", "{}", "", "", "", 0, 0,
                              _ts(at)))
                lines.append((line_id, sid, 1, pid, *self.names[pid], -qty, price, -disc, -total, o_line, 0, "[]"))
                line_id += 1
                m = method if method != "account" else "cash"
                pays.append((sid, sess[code], m, -total, 0, 0, "", "refund", _ts(at)))
                if m == "cash":
                    cash_net[code] -= total
                moves.append((self.store_id, pid, qty, "return", "main", f"sale:{sid}", "", None, staff, code, _ts(at)))
                self.returned[pid] += qty
            for _ in range(n_sales):
                at = times[ti]
                ti += 1
                code = HISTORY_TERMINALS[0] if rng.random() < 0.6 else HISTORY_TERMINALS[1]
                receipt[code] += 1
                staff = rng.choice(self.sellers)
                customer = rng.choice(self.customer_ids) if rng.random() < 0.4 else None
                n_lines = rng.choices((1, 2, 3, 4, 5), weights=(30, 25, 20, 15, 10))[0]
                sid = sale_id
                sale_id += 1
                subtotal = discount = 0
                my_lines = []
                pids = []
                for ln in range(1, n_lines + 1):
                    pid = self.pick_product()
                    qty = rng.choices((1, 2, 3, 4), weights=(70, 18, 8, 4))[0]
                    price = self.prices[pid]
                    disc = (qty * price * rng.choice((2, 3, 5)) // 100) if rng.random() < 0.1 else 0
                    total = qty * price - disc
                    lines.append((line_id, sid, ln, pid, *self.names[pid], qty, price, disc, total, None, 0, "[]"))
                    moves.append((self.store_id, pid, -qty, "sale", "main", f"sale:{sid}", "", None, staff, code,
                                  _ts(at)))
                    my_lines.append((line_id, pid, qty, price, disc, total))
                    pids.append(pid)
                    line_id += 1
                    subtotal += qty * price
                    discount += disc
                    self.sold[pid] += qty
                lines_done += n_lines
                total = subtotal - discount
                # payments: one method, or split in two; a few business customers on account
                methods = []
                if customer in self._business_set() and rng.random() < 0.5:
                    methods = [("account", total)]
                elif rng.random() < 0.25 and total >= 200:
                    first = total * rng.randint(20, 80) // 100
                    methods = [(rng.choice(("cash", "card")), first), (rng.choice(("wechat", "alipay")), total - first)]
                else:
                    methods = [(rng.choices(("cash", "card", "wechat", "alipay"), weights=(25, 20, 35, 20))[0], total)]
                for method, amount in methods:
                    tendered = change = 0
                    if method == "cash":
                        tendered = -(-amount // 10000) * 10000 if rng.random() < 0.5 else amount
                        change = tendered - amount
                        cash_net[code] += amount
                    ref = f"{method[:2].upper()}{rng.getrandbits(40):012d}" if method in ("wechat", "alipay") else ""
                    pays.append((sid, sess[code], method, amount, tendered, change, ref, "sale", _ts(at)))
                if methods[0][0] == "account":
                    age = (self.end - day).days
                    recv.append((self.store_id, customer, sid, total, total if age > 30 else 0, 0, str(day),
                                 str(day + dt.timedelta(days=30)), _ts(at)))
                # visit (most sales came from one), quote (some)
                vid = qid = None
                if rng.random() < 0.7:
                    vid = visit_id
                    visit_id += 1
                    if rng.random() < self.p["quote_share"]:
                        qid = quote_id
                        quote_id += 1
                        quote_seq[day] += 1
                        quotes.append((qid, self.store_id, f"Q{day:%Y%m%d}-{quote_seq[day]:03d}", customer, staff, vid,
                                       "converted", str(day + dt.timedelta(days=7)), "", 1, discount, total, total,
                                       subtotal, sid, _ts(at), _ts(at), _ts(at), _ts(at), _ts(at)))
                        for pos, (_lid, pid, qty, price, disc, ltotal) in enumerate(my_lines, 1):
                            qlines.append((qid, pos, pid, *self.names[pid], "个", qty, price, price * 9 // 10, price, 0,
                                           qty * price))
                    visit_row(vid, staff, customer, day, at, "buys_now", sale=sid, quote=qid, shown=pids)
                sales.append((sid, self.store_id, self.terminal_ids[code], sess[code], receipt[code],
                              str(uuid.UUID(int=rng.getrandbits(128), version=4)), "sale", None, staff, customer,
                              qid, vid, subtotal, discount, total, total, 0, vat_fen(total), VAT, "take",
                              "settle_then_deliver", 0, None, 1, _ts(at), "completed", "{}", "", "", "", 0, 0,
                              _ts(at)))
                # some sales come back within two weeks (one line, whole quantity)
                if rng.random() < self.p["return_share"]:
                    back = day + dt.timedelta(days=rng.randint(1, 14))
                    if back <= self.end:
                        lid, pid, qty, price, disc, ltotal = rng.choice(my_lines)
                        pending_returns[back].append((sid, lid, pid, qty, price, disc, ltotal, methods[0][0],
                                                      customer, staff))
            # visits that did not buy today (browsing, left, wanted a quote, come back)
            for _ in range(int(n_sales * self.p["walk_in_visits"])):
                at = dt.datetime.combine(day, dt.time(OPEN_UTC)) + dt.timedelta(
                    seconds=rng.randint(0, (CLOSE_UTC - OPEN_UTC) * 3600 - 1))
                staff = rng.choice(self.sellers)
                customer = rng.choice(self.customer_ids) if rng.random() < 0.2 else None
                outcome = rng.choices(("browsing", "left", "wants_quote", "come_back"), weights=(40, 35, 10, 15))[0]
                vid = visit_id
                visit_id += 1
                qid = None
                shown = [self.pick_product() for _ in range(rng.randint(0, 3))]
                if outcome == "wants_quote" and shown:
                    qid = quote_id
                    quote_id += 1
                    quote_seq[day] += 1
                    status = "expired" if (self.end - day).days > 7 else "given"
                    sub = 0
                    for pos, pid in enumerate(dict.fromkeys(shown), 1):
                        price = self.prices[pid]
                        qlines.append((qid, pos, pid, *self.names[pid], "个", 1, price, price * 9 // 10, price, 0, price))
                        sub += price
                    quotes.append((qid, self.store_id, f"Q{day:%Y%m%d}-{quote_seq[day]:03d}", customer, staff, vid,
                                   status, str(day + dt.timedelta(days=7)), "", 1, 0, sub, sub, sub, None, _ts(at),
                                   None, _ts(at) if status == "expired" else None, _ts(at), _ts(at)))
                visit_row(vid, staff, customer, day, at, outcome, quote=qid, shown=shown)
            for code in HISTORY_TERMINALS:
                opened = dt.datetime.combine(day, dt.time(0, 50))
                closed = dt.datetime.combine(day, dt.time(13, 20))
                expected = 50_000 + cash_net[code]
                sessions.append((sess[code], self.store_id, self.terminal_ids[code], None, self.manager, _ts(opened),
                                 50_000, self.manager, _ts(closed), expected, expected, 0))
            flush()
            day_index += 1
            day += dt.timedelta(days=1)
        self.many("register_session", cols_session, sessions)
        flush(final=True)
        for code, last in receipt.items():
            self.con.execute("INSERT INTO receipt_counter (store_id, terminal_id, last_no) VALUES (?, ?, ?)",
                             (self.store_id, self.terminal_ids[code], last))
        self.log(f"  {sale_id - first_sale} sales and returns, {lines_done} sale lines")

    def _business_set(self) -> set[int]:
        if not hasattr(self, "_bset"):
            self._bset = set(self.business_ids)
        return self._bset

    def stock(self) -> None:
        """Goods in before the year started: enough for everything sold, plus what is on the shelf
        now; product.stock is exactly the sum of its moves."""
        rng = self.rng
        at = _ts(dt.datetime.combine(self.first, dt.time(0, 40)))
        moves = []
        current = dict(self.q("SELECT id, stock FROM product"))
        updates = []
        for pid in current:
            generated = pid >= self.gen_start
            shelf = rng.choice((0, 1, 2, 3, 5, 8, 12, 20, 30, 50, 80, 120)) if generated else 0
            # demo products already have their opening count as a move; top them up for what sold
            receive = self.sold.get(pid, 0) - self.returned.get(pid, 0) + shelf
            if receive > 0:
                moves.append((self.store_id, pid, receive, "receive", "main",
                              "opening stock" if generated else "restock", "", None, None, "", at))
            updates.append((current[pid] + shelf, pid))
        self.many("stock_move", ["store_id", "product_id", "qty", "reason", "location", "ref", "note", "batch_id",
                                 "staff_id", "terminal", "at"], moves)
        self.con.executemany("UPDATE product SET stock = ? WHERE id = ?", updates)

    def checklists(self) -> None:
        items = self.q("SELECT id, text_zh, text_en FROM checklist_item WHERE retired = 0")
        run_id = self.next_id("checklist_run")
        runs, entries = [], []
        day = self.first
        while day <= self.end:
            staff = self.rng.choice(self.sellers)
            start = dt.datetime.combine(day, dt.time(0, 45))
            sub = start + dt.timedelta(minutes=self.rng.randint(6, 14))
            late = sub.time() > dt.time(1, 0)
            runs.append((run_id, self.store_id, str(day), staff, _ts(start), "approved", staff, _ts(sub), _ts(sub),
                         int(late), self.manager, "", _ts(sub + dt.timedelta(hours=1)), 0))
            for n, (item, zh, en) in enumerate(items):
                problem = self.rng.random() < 0.03
                entries.append((run_id, item, "problem" if problem else "ok", "需要处理" if problem else "", staff,
                                _ts(start + dt.timedelta(seconds=30 * n)), zh, en))
            run_id += 1
            day += dt.timedelta(days=1)
        self.many("checklist_run", ["id", "store_id", "business_date", "started_by_id", "started_at", "status",
                                    "submitted_by_id", "submitted_at", "first_submitted_at", "late", "reviewer_id",
                                    "review_note", "reviewed_at", "returned_count"], runs)
        self.many("checklist_entry", ["run_id", "item_id", "answer", "note", "staff_id", "at", "text_zh", "text_en"],
                  entries)
