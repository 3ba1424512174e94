"""Practice mode (trainers): scenarios, sessions on the practice database, scoring, progress.

Isolation.  Practice runs on its OWN database (``Settings.practice_target``, default
HOME/practice.db).  :func:`prepare` opens it and, when it is new (or a trainer asks,
:func:`seed_from_live`), copies the live store's catalog, prices, staff (same PIN hashes; the
pepper file is shared) and customers into it.  The live database is only ever READ, through a
separate read-only connection (:func:`open_readonly`); its sales, stock moves and audit are never
copied and never written.  The practice database carries the mark ``database_role = practice`` in
storepos_meta and every practice write checks it (:func:`require_practice_db`).

Scenarios are data: fixtures/practice/scenarios.toml (validated on load: a problem names the file
and the scenario), plus scenarios a trainer adds in the app (:func:`add_scenario`, stored in the
practice database and audited).

A session: the trainer picks a trainee and a scenario (:func:`start_session`); the trainee works
the whole journey on the real screens (visit, needs, quote, negotiation, checkout, follow-up)
while the trainer plays the customer; :func:`end_session` collects what the trainee recorded in
the session's window (Visit, Quote, Sale rows and the audit trail: each step with its time) and
scores the objective points (:func:`objective`); the trainer scores the five rubric areas of
SOP §9 1-5 with a comment each (:func:`score_session`).  :func:`score_card` shows both, with what
was missed; :func:`progress` and :func:`export_progress_csv` show each trainee over time.

For the manager's staff performance (issue 9)::

    from storepos.services.practice.service import service as practice
    scores = practice.latest_scores(["1001", "1002"], target=settings.practice_target)
    # -> {"1001": PracticeScores(sessions=3, latest_at=datetime, scenario="restaurant_kitchen",
    #               latest={"sales_plan": 4, ...}, average={"sales_plan": Decimal("3.7"), ...},
    #               objective_percent=82), ...}   (codes without a scored session are left out)

It opens the practice database read-only with its own peewee database object (never the bound
proxy), so it works from the live app; a missing practice database gives {}.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

import peewee
from playhouse.db_url import connect as url_connect

from storepos import clock
from storepos.config import Settings
from storepos.db import database, is_url, transaction, transactional
from storepos.i18n import pick, t
from storepos.models import (Approval, AuditLog, Category, Customer, Meta, PracticeSession, PracticeStep,
                             Product, ProductBarcode, Quote, QuoteLine, RubricScore, Sale, Scenario, Staff,
                             Store, Visit)
from storepos.money import MoneyError, fmt, parse_amount, to_fen
from storepos.paths import fixtures_dir
from storepos.services.core import audit, sop
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound
from storepos.services.core.permissions import require
from storepos.services.core.store import get_store

ROLE_KEY = "database_role"
SCENARIO_FILE = "practice/scenarios.toml"
_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_]{1,39}$")
SCORE_MIN, SCORE_MAX = 1, 5
COMMENT_MAX = 500


# == scenarios ====================================================================================

class ScenarioError(sop.FixtureError):
    """A scenario file or entry is wrong; the message names the file and the scenario."""


@dataclass(frozen=True)
class PracticeScenario:
    """One scenario (from the fixture file or added in the app), both languages kept."""

    code: str
    title_zh: str
    title_en: str
    persona_zh: str
    persona_en: str
    signal: str  # approach.toml signal code
    spec_zh: str
    spec_en: str
    quantity: int
    delivery_zh: str
    delivery_en: str
    use_zh: str
    use_en: str
    budget: int | None  # fen
    objections: tuple[tuple[str, str], ...]  # (zh, en)
    outcome_zh: str
    outcome_en: str
    source: str = "fixture"  # fixture | app

    @property
    def title(self) -> str:
        return pick(self.title_zh, self.title_en)

    @property
    def persona(self) -> str:
        return pick(self.persona_zh, self.persona_en)

    @property
    def outcome(self) -> str:
        return pick(self.outcome_zh, self.outcome_en)

    @property
    def spec(self) -> str:
        return pick(self.spec_zh, self.spec_en)

    @property
    def delivery(self) -> str:
        return pick(self.delivery_zh, self.delivery_en)

    @property
    def use(self) -> str:
        return pick(self.use_zh, self.use_en)

    @property
    def objection_texts(self) -> list[str]:
        return [pick(zh, en) for zh, en in self.objections]

    @property
    def signal_label(self) -> str:
        return sop_label("approach", "signals", self.signal)


def sop_label(name: str, table: str, code: str) -> str:
    for e in sop.entries(name, table):
        if e.code == code:
            return e.label
    return code


def _text(raw: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str):
        raise ScenarioError(f"{where}: {key} must be text")
    value = value.strip()
    if required and not value:
        raise ScenarioError(f"{where}: missing {key}")
    return value


def parse_scenario(raw: dict[str, Any], where: str, *, source: str = "fixture") -> PracticeScenario:
    """One [[scenarios]] table -> PracticeScenario.  Raises ScenarioError naming *where*."""
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where}: not a table")
    code = str(raw.get("code", "")).strip()
    where = f"{where} ({code})" if code else where
    if not _CODE_RE.match(code):
        raise ScenarioError(f"{where}: code must be 2-40 of a-z, 0-9, _")
    signal = _text(raw, "signal", where)
    signals = {e.code for e in sop.entries("approach", "signals")}
    if signal not in signals:
        raise ScenarioError(f"{where}: unknown signal '{signal}' (use one of {', '.join(sorted(signals))})")
    needs = raw.get("needs")
    if not isinstance(needs, dict):
        raise ScenarioError(f"{where}: missing [scenarios.needs]")
    quantity = needs.get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= 100000:
        raise ScenarioError(f"{where}: needs.quantity must be a whole number from 1")
    budget_raw = raw.get("budget", "")
    budget: int | None = None
    if str(budget_raw).strip():
        try:
            budget = to_fen(parse_amount(str(budget_raw)))
        except MoneyError:
            raise ScenarioError(f"{where}: budget '{budget_raw}' is not an amount (e.g. \"3000.00\")") from None
    objections = raw.get("objections", [])
    if not isinstance(objections, list) or not objections:
        raise ScenarioError(f"{where}: at least one [[scenarios.objections]] (zh, en)")
    pairs = []
    for i, o in enumerate(objections, start=1):
        ow = f"{where} objection #{i}"
        if not isinstance(o, dict):
            raise ScenarioError(f"{ow}: not a table")
        pairs.append((_text(o, "zh", ow), _text(o, "en", ow)))
    nw = f"{where} needs"
    return PracticeScenario(
        code=code, title_zh=_text(raw, "title_zh", where), title_en=_text(raw, "title_en", where),
        persona_zh=_text(raw, "persona_zh", where), persona_en=_text(raw, "persona_en", where), signal=signal,
        spec_zh=_text(needs, "spec_zh", nw), spec_en=_text(needs, "spec_en", nw), quantity=quantity,
        delivery_zh=_text(needs, "delivery_zh", nw), delivery_en=_text(needs, "delivery_en", nw),
        use_zh=_text(needs, "use_zh", nw, required=False), use_en=_text(needs, "use_en", nw, required=False),
        budget=budget, objections=tuple(pairs), outcome_zh=_text(raw, "outcome_zh", where),
        outcome_en=_text(raw, "outcome_en", where), source=source)


def load_scenario_file(path: Path) -> tuple[tuple[PracticeScenario, ...], int]:
    """(scenarios, approach_within_seconds) of a scenario file.  Raises ScenarioError."""
    name = path.name if path.parent.name != "practice" else SCENARIO_FILE
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ScenarioError(f"{name}: file missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{name}: {exc}") from None
    within = data.get("approach_within_seconds", 60)
    if isinstance(within, bool) or not isinstance(within, int) or not 1 <= within <= 3600:
        raise ScenarioError(f"{name}: approach_within_seconds must be 1-3600")
    raw = data.get("scenarios")
    if not isinstance(raw, list) or not raw:
        raise ScenarioError(f"{name}: no [[scenarios]]")
    out = tuple(parse_scenario(r, f"{name} scenario #{i + 1}") for i, r in enumerate(raw))
    codes = [s.code for s in out]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise ScenarioError(f"{name}: duplicate scenario codes {dupes}")
    return out, within


@cache
def _shipped() -> tuple[tuple[PracticeScenario, ...], int]:
    return load_scenario_file(fixtures_dir() / SCENARIO_FILE)


def fixture_scenarios() -> tuple[PracticeScenario, ...]:
    return _shipped()[0]


def approach_within_seconds() -> int:
    return _shipped()[1]


def validate_scenarios() -> list[str]:
    """Problems in the shipped scenario file (empty when all is well; for `storepos check`)."""
    try:
        fixture_scenarios()
    except sop.FixtureError as exc:
        return [str(exc)]
    return []


def _from_row(row: Scenario) -> PracticeScenario:
    n = row.needs or {}
    return PracticeScenario(
        code=row.code, title_zh=row.title_zh, title_en=row.title_en, persona_zh=row.persona_zh,
        persona_en=row.persona_en, signal=row.signal, spec_zh=n.get("spec_zh", ""), spec_en=n.get("spec_en", ""),
        quantity=int(n.get("quantity", 1)), delivery_zh=n.get("delivery_zh", ""), delivery_en=n.get("delivery_en", ""),
        use_zh=n.get("use_zh", ""), use_en=n.get("use_en", ""), budget=row.budget,
        objections=tuple((o.get("zh", ""), o.get("en", "")) for o in row.objections or []),
        outcome_zh=row.outcome_zh, outcome_en=row.outcome_en, source="app")


def scenarios(store_id: int) -> list[PracticeScenario]:
    """The shipped scenarios, then the ones trainers added (oldest first)."""
    added = Scenario.select().where(Scenario.store == store_id).order_by(Scenario.created_at, Scenario.id)
    return list(fixture_scenarios()) + [_from_row(r) for r in added]


def get_scenario(store_id: int, code: str) -> PracticeScenario:
    for s in scenarios(store_id):
        if s.code == code:
            return s
    raise NotFound("err.practice_scenario_unknown", field="scenario")


def _lines(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[\n;；]", text or "") if p.strip()]


@transactional
def add_scenario(actor: Actor, data: dict[str, Any]) -> PracticeScenario:
    """A trainer's own scenario, stored in the practice database (audited).  *data* as typed:
    code, title_zh, title_en, persona_zh, persona_en, signal, spec_zh, spec_en, quantity, budget,
    delivery_zh, delivery_en, use_zh, use_en, objections_zh, objections_en (one per line or ';'),
    outcome_zh, outcome_en.  The zh texts are required, en ones optional (zh is shown instead).
    Raises DomainError(field=...) and writes nothing on bad input."""
    require(actor, "practice.scenario")
    require_practice_db()
    d = {k: (str(v).strip() if v is not None else "") for k, v in data.items()}
    code = d.get("code", "").lower()
    if not code:
        raise DomainError("err.required", field="code")
    if not _CODE_RE.match(code):
        raise DomainError("err.practice_code_format", field="code")
    if any(s.code == code for s in scenarios(actor.store_id)):
        raise DomainError("err.practice_code_taken", field="code", code=code)
    for name in ("title_zh", "persona_zh", "signal", "spec_zh", "quantity", "delivery_zh", "objections_zh",
                 "outcome_zh"):
        if not d.get(name):
            raise DomainError("err.required", field=name)
    for name, limit in (("title_zh", 100), ("title_en", 100)):
        if len(d.get(name, "")) > limit:
            raise DomainError("err.too_long", field=name, limit=limit)
    for name in ("persona_zh", "persona_en", "outcome_zh", "outcome_en", "spec_zh", "spec_en",
                 "objections_zh", "objections_en", "delivery_zh", "delivery_en", "use_zh", "use_en"):
        if len(d.get(name, "")) > 1000:
            raise DomainError("err.too_long", field=name, limit=1000)
    if d["signal"] not in {e.code for e in sop.entries("approach", "signals")}:
        raise DomainError("err.not_allowed_value", field="signal")
    qty_text = d["quantity"].replace(",", "")
    if not qty_text.isdigit() or not 1 <= int(qty_text) <= 100000:
        raise DomainError("err.not_a_whole_number", field="quantity")
    budget = None
    if d.get("budget"):
        try:
            budget = to_fen(parse_amount(d["budget"]))
        except MoneyError as exc:
            raise DomainError(exc.args[0], field="budget") from None
    zh_obj, en_obj = _lines(d["objections_zh"]), _lines(d.get("objections_en", ""))
    objections = [{"zh": zh, "en": en_obj[i] if i < len(en_obj) else ""} for i, zh in enumerate(zh_obj)]
    needs = {"spec_zh": d["spec_zh"], "spec_en": d.get("spec_en", ""), "quantity": int(qty_text),
             "delivery_zh": d["delivery_zh"], "delivery_en": d.get("delivery_en", ""),
             "use_zh": d.get("use_zh", ""), "use_en": d.get("use_en", "")}
    row = Scenario.create(store=actor.store_id, code=code, title_zh=d["title_zh"], title_en=d.get("title_en", ""),
                          persona_zh=d["persona_zh"], persona_en=d.get("persona_en", ""), signal=d["signal"],
                          needs=needs, budget=budget, objections=objections, outcome_zh=d["outcome_zh"],
                          outcome_en=d.get("outcome_en", ""), created_by=actor.staff_id, created_at=clock.now())
    audit.record(actor, "practice.scenario_add", "scenario", row.id,
                 after={"code": code, "title_zh": row.title_zh, "signal": row.signal})
    return _from_row(row)


# == the practice database ========================================================================

def open_readonly(target: str) -> peewee.Database:
    """A separate, read-only peewee database for *target* (never bound to the models).  SQLite:
    mode=ro URI; PostgreSQL: default_transaction_read_only.  Raises DomainError when missing."""
    target = target.strip()
    if is_url(target) and not target.lower().startswith("sqlite:"):
        return url_connect(target, options="-c default_transaction_read_only=on")
    path = target.split("://", 1)[1].lstrip("/") if target.lower().startswith("sqlite:") else target
    if target.lower().startswith("sqlite:////"):
        path = "/" + path
    p = Path(path).expanduser()
    if not p.is_file():
        raise DomainError("err.practice_db_missing", target=str(p))
    return peewee.SqliteDatabase(f"file:{url_quote(str(p.resolve()))}?mode=ro", uri=True, timeout=15,
                                 pragmas={"busy_timeout": 15000}, check_same_thread=False)


def is_practice_db() -> bool:
    row = Meta.get_or_none(Meta.key == ROLE_KEY)
    return row is not None and row.value == "practice"


def require_practice_db() -> None:
    """Practice writes only ever go to a database marked as the practice one."""
    if not is_practice_db():
        raise DomainError("err.practice_live_db")


def mark_as_practice() -> None:
    with transaction():
        if not Meta.update(value="practice").where(Meta.key == ROLE_KEY).execute():
            Meta.insert(key=ROLE_KEY, value="practice").execute()


def same_database(a: str, b: str) -> bool:
    if is_url(a) or is_url(b):
        return a.strip() == b.strip()
    return Path(a).expanduser().resolve() == Path(b).expanduser().resolve()


@dataclass
class SeedResult:
    stores: int = 0
    categories: int = 0
    staff: int = 0
    products: int = 0
    barcodes: int = 0
    customers: int = 0
    stock_moves: int = 0

    @property
    def total(self) -> int:
        return self.stores + self.categories + self.staff + self.products + self.barcodes + self.customers


@dataclass
class LiveCopy:
    """Rows read from the live database (dicts of field name -> value)."""

    stores: list[dict[str, Any]] = field(default_factory=list)
    categories: list[dict[str, Any]] = field(default_factory=list)
    staff: list[dict[str, Any]] = field(default_factory=list)
    products: list[dict[str, Any]] = field(default_factory=list)
    barcodes: list[dict[str, Any]] = field(default_factory=list)
    customers: list[dict[str, Any]] = field(default_factory=list)


def read_live(target: str, *, customers: bool = True) -> LiveCopy:
    """Read the live catalog, prices, staff (and customers) through a read-only connection.
    Raises DomainError when the live database is missing or cannot be read."""
    from storepos.models.schema import SCHEMA_VERSION

    live = open_readonly(target)
    try:
        live.connect()
        row = list(Meta.select(Meta.value).where(Meta.key == "schema_version").tuples().execute(live))
        version = int(row[0][0]) if row else None
        if version is None:
            raise DomainError("err.practice_live_not_storepos", target=target)
        if version != SCHEMA_VERSION:
            raise DomainError("err.practice_live_version", target=target, found=version, expected=SCHEMA_VERSION)
        copy = LiveCopy()
        copy.stores = list(Store.select().dicts().execute(live))
        copy.categories = list(Category.select().dicts().execute(live))
        copy.staff = list(Staff.select().dicts().execute(live))
        copy.products = list(Product.select().order_by(Product.id).dicts().execute(live))
        copy.barcodes = list(ProductBarcode.select().dicts().execute(live))
        if customers:
            copy.customers = list(Customer.select().dicts().execute(live))
        return copy
    except (peewee.DatabaseError, peewee.InterfaceError) as exc:
        raise DomainError("err.practice_live_unreadable", target=target, reason=" ".join(str(exc).split())) from None
    finally:
        if not live.is_closed():
            live.close()


@transactional
def apply_seed(copy: LiveCopy, actor: Actor | None = None) -> SeedResult:
    """Upsert the live rows into the bound PRACTICE database, matched by their codes (store code,
    category code, staff code, SKU, barcode, customer number), so sessions already recorded keep
    their references.  Stock is set to the live quantity by count moves in the practice ledger."""
    from storepos.services import catalog as stock_service

    require_practice_db()
    res = SeedResult()
    now = clock.now()
    store_map: dict[int, int] = {}
    for s in copy.stores:
        row = Store.get_or_none(Store.code == s["code"])
        values = {k: s[k] for k in ("name_zh", "name_en", "opening_time", "timezone", "settings")}
        if row is None:
            row = Store.create(code=s["code"], created_at=s["created_at"], **values)
            res.stores += 1
        else:
            Store.update(**values).where(Store.id == row.id).execute()
        store_map[s["id"]] = row.id
    cat_map: dict[int, int] = {}
    for c in copy.categories:
        sid = store_map[c["store"]]
        row = Category.get_or_none(Category.store == sid, Category.code == c["code"])
        if row is None:
            row = Category.create(store=sid, code=c["code"], name_zh=c["name_zh"], name_en=c["name_en"])
            res.categories += 1
        else:
            Category.update(name_zh=c["name_zh"], name_en=c["name_en"]).where(Category.id == row.id).execute()
        cat_map[c["id"]] = row.id
    for s in copy.staff:
        sid = store_map[s["store"]]
        values = {k: s[k] for k in ("name", "role", "pin_hash", "discount_authority", "language", "active")}
        values |= {"failed_pins": 0, "locked_until": None}
        row = Staff.get_or_none(Staff.store == sid, Staff.code == s["code"])
        if row is None:
            Staff.create(store=sid, code=s["code"], created_at=s["created_at"], lockouts=0, **values)
            res.staff += 1
        else:
            Staff.update(**values).where(Staff.id == row.id).execute()
    prod_map: dict[int, int] = {}
    for p in copy.products:
        sid = store_map[p["store"]]
        values = {k: p[k] for k in ("barcode", "name_zh", "name_en", "unit", "price", "floor_price", "active")}
        values["category"] = cat_map.get(p["category"]) if p["category"] is not None else None
        row = Product.get_or_none(Product.store == sid, Product.sku == p["sku"])
        if row is None:
            row = Product.create(store=sid, sku=p["sku"], stock=0, defective=0, created_at=p["created_at"],
                                 updated_at=now, **values)
            res.products += 1
        else:
            Product.update(updated_at=now, **values).where(Product.id == row.id).execute()
        prod_map[p["id"]] = row.id
        for location, want, have in (("main", p["stock"], row.stock), ("defective", p["defective"], row.defective)):
            if want != have:
                stock_service.apply_move(None, row.id, want - have, "count", ref="practice seed",
                                         location=location, allow_negative=True)
                res.stock_moves += 1
    for b in copy.barcodes:
        sid = store_map[b["store"]]
        pid = prod_map.get(b["product"])
        if pid is None:
            continue
        row = ProductBarcode.get_or_none(ProductBarcode.store == sid, ProductBarcode.code == b["code"])
        if row is None:
            ProductBarcode.create(store=sid, product=pid, code=b["code"])
            res.barcodes += 1
        elif row.product_id != pid:
            ProductBarcode.update(product=pid).where(ProductBarcode.id == row.id).execute()
    for c in copy.customers:
        sid = store_map[c["store"]]
        values = {k: c[k] for k in ("name", "phone", "segment", "address", "notes", "credit_limit", "credit_days")}
        row = Customer.get_or_none(Customer.store == sid, Customer.number == c["number"])
        if row is None:
            Customer.create(store=sid, number=c["number"], created_at=c["created_at"], **values)
            res.customers += 1
        else:
            Customer.update(**values).where(Customer.id == row.id).execute()
    first = next(iter(store_map.values()), None)
    audit.record(actor, "practice.seed", "store", first or "", store_id=first,
                 after={"stores": res.stores, "categories": res.categories, "staff": res.staff,
                        "products": res.products, "customers": res.customers, "stock_moves": res.stock_moves})
    return res


def seed_from_live(settings: Settings, actor: Actor | None = None, *, customers: bool = True) -> SeedResult:
    """Copy (again) the live catalog, prices, staff and customers into the bound practice
    database.  A trainer's "refresh from live" calls it with their actor."""
    if actor is not None:
        require(actor, "practice.use")
    if same_database(settings.live_target, settings.practice_target):
        raise DomainError("err.practice_same_db", target=settings.practice_target)
    require_practice_db()
    return apply_seed(read_live(settings.live_target, customers=customers), actor)


def prepare(settings: Settings, *, load_demo: bool | None = None) -> Any:
    """Open the practice database for *settings* (bound as the app's database), created and
    seeded from the live one when new.  With --demo the demo store is loaded into the live demo
    database first.  Returns bootstrap.Opened.  Raises DomainError (same file as live, not a
    practice database, live missing), DatabaseOpenError, SchemaError."""
    from storepos.services.core.bootstrap import close_database, open_store_database

    practice_settings = settings.model_copy(update={"practice": True})
    live_settings = settings.model_copy(update={"practice": False})
    if same_database(settings.live_target, settings.practice_target):
        raise DomainError("err.practice_same_db", target=settings.practice_target)
    if load_demo if load_demo is not None else settings.demo:
        from storepos.services.demo import load_demo as _load_demo

        open_store_database(live_settings)
        try:
            _load_demo()
        finally:
            close_database()
            database.initialize(None)
    opened = open_store_database(practice_settings)
    if not is_practice_db():
        if not opened.created and Store.select().exists():
            close_database()
            database.initialize(None)
            raise DomainError("err.practice_not_practice_db", target=settings.practice_target)
        mark_as_practice()
    if not Store.select().exists():
        seed_from_live(practice_settings)
    return opened


# == sessions =====================================================================================

STAGES = ("approach", "needs", "quote", "negotiation", "checkout", "follow_up", "session", "other")
_STAGE_OF = {
    "visit.start": "approach", "visit.signal": "approach", "visit.approach": "approach",
    "visit.greeting": "approach", "visit.skip": "approach",
    "visit.needs": "needs", "visit.product_add": "needs", "visit.product_remove": "needs",
    "visit.customer": "needs", "customer.create": "needs",
    "quote.create": "quote", "quote.line_add": "quote", "quote.give": "quote", "quote.print": "quote",
    "quote.customer": "quote", "quote.validity": "quote", "quote.notes": "quote", "visit.link_quote": "quote",
    "quote.line_change": "negotiation", "quote.line_remove": "negotiation", "quote.discount": "negotiation",
    "quote.revise": "negotiation", "quote.approval": "negotiation", "quote.accept": "negotiation",
    "visit.close": "follow_up",
}
_PREFIX_STAGE = {"approval": "negotiation", "sale": "checkout", "register": "checkout", "quote": "quote",
                 "visit": "approach", "followup": "follow_up", "survey": "follow_up", "ticket": "follow_up",
                 "practice": "session"}


_NOT_STEPS = {"staff", "terminal"}


def stage_of(action: str) -> str:
    if action in _STAGE_OF:
        return _STAGE_OF[action]
    return _PREFIX_STAGE.get(action.split(".", 1)[0], "other")


def get_session(store_id: int, session_id: int) -> PracticeSession:
    row = PracticeSession.get_or_none(PracticeSession.id == session_id, PracticeSession.store == store_id)
    if row is None:
        raise NotFound("err.practice_session_unknown")
    return row


def trainees(store_id: int, exclude: int | None = None) -> list[Staff]:
    q = Staff.select().where(Staff.store == store_id, Staff.active == True)  # noqa: E712
    if exclude is not None:
        q = q.where(Staff.id != exclude)
    return list(q.order_by(Staff.code))


def running(store_id: int) -> list[PracticeSession]:
    return list(PracticeSession.select().where(PracticeSession.store == store_id,
                                               PracticeSession.status == "running")
                .order_by(PracticeSession.started_at))


def sessions(store_id: int, *, trainee_id: int | None = None, limit: int = 200) -> list[PracticeSession]:
    q = PracticeSession.select().where(PracticeSession.store == store_id,
                                       PracticeSession.status != "cancelled")
    if trainee_id is not None:
        q = q.where(PracticeSession.trainee == trainee_id)
    return list(q.order_by(PracticeSession.started_at.desc(), PracticeSession.id.desc()).limit(limit))


def _step(session_id: int, at: dt.datetime, action: str, entity: str = "", entity_id: Any = "") -> None:
    PracticeStep.create(session=session_id, at=at, stage=stage_of(action), action=action, entity=entity,
                        entity_id=str(entity_id))


@transactional
def start_session(actor: Actor, trainee_id: int, scenario_code: str) -> PracticeSession:
    """The trainer *actor* starts a session of *scenario_code* for *trainee_id*, now.  One running
    session per trainee (their records in the window belong to it)."""
    require(actor, "practice.use")
    require_practice_db()
    if not scenario_code:
        raise DomainError("err.required", field="scenario")
    get_scenario(actor.store_id, scenario_code)
    trainee = Staff.get_or_none(Staff.id == trainee_id, Staff.store == actor.store_id, Staff.active == True)  # noqa: E712
    if trainee is None:
        raise DomainError("err.practice_trainee_unknown", field="trainee")
    if trainee.id == actor.staff_id:
        raise DomainError("err.practice_trainee_self", field="trainee")
    if PracticeSession.select().where(PracticeSession.store == actor.store_id, PracticeSession.trainee == trainee.id,
                                      PracticeSession.status == "running").exists():
        raise DomainError("err.practice_already_running", field="trainee", name=trainee.name)
    now = clock.now()
    row = PracticeSession.create(store=actor.store_id, trainer=actor.staff_id, trainee=trainee.id,
                                 scenario=scenario_code, status="running", started_at=now)
    _step(row.id, now, "practice.start", "practice_session", row.id)
    audit.record(actor, "practice.start", "practice_session", row.id,
                 after={"trainee": trainee.code, "scenario": scenario_code})
    return row


@dataclass(frozen=True)
class Records:
    visits: list[Visit]
    quotes: list[Quote]
    sales: list[Sale]
    approvals: list[Approval]


def records_of(session: PracticeSession, until: dt.datetime | None = None) -> Records:
    """What the trainee recorded in the session's window [started, ended or *until*]."""
    end = session.ended_at or until or clock.now()
    start = session.started_at
    tid, sid = session.trainee_id, session.store_id
    visits_ = list(Visit.select().where(Visit.store == sid, Visit.staff == tid, Visit.started_at >= start,
                                        Visit.started_at <= end).order_by(Visit.started_at, Visit.id))
    quotes_ = list(Quote.select().where(Quote.store == sid, Quote.staff == tid, Quote.created_at >= start,
                                        Quote.created_at <= end).order_by(Quote.created_at, Quote.id))
    sales_ = list(Sale.select().where(Sale.store == sid, Sale.staff == tid, Sale.kind == "sale",
                                      Sale.created_at >= start, Sale.created_at <= end)
                  .order_by(Sale.created_at, Sale.id))
    approvals_ = list(Approval.select().where(Approval.store == sid, Approval.requested_by == tid,
                                              Approval.at >= start, Approval.at <= end).order_by(Approval.at))
    return Records(visits_, quotes_, sales_, approvals_)


def _collect_steps(session: PracticeSession, end: dt.datetime) -> None:
    """Rebuild the session's steps from the trainee's audit trail in the window (kept: the
    session's own steps)."""
    PracticeStep.delete().where(PracticeStep.session == session.id,
                                PracticeStep.stage != "session").execute()
    rows = (AuditLog.select().where(AuditLog.store == session.store_id, AuditLog.staff == session.trainee_id,
                                    AuditLog.at >= session.started_at, AuditLog.at <= end)
            .order_by(AuditLog.id))
    for r in rows:
        if r.action.split(".", 1)[0] in _NOT_STEPS:
            continue  # logging in and out is not part of the customer's journey
        _step(session.id, r.at, r.action, r.entity, r.entity_id)


@transactional
def refresh_steps(actor: Actor, session_id: int) -> PracticeSession:
    """Pick up what the trainee has done so far (a running session's live view)."""
    require(actor, "practice.use")
    s = get_session(actor.store_id, session_id)
    end = s.ended_at or clock.now()
    _collect_steps(s, end)
    rec = records_of(s, end)
    PracticeSession.update(visit_ids=[v.id for v in rec.visits], quote_ids=[q.id for q in rec.quotes],
                           sale_ids=[x.id for x in rec.sales]).where(PracticeSession.id == s.id).execute()
    return PracticeSession.get_by_id(s.id)


@transactional
def end_session(actor: Actor, session_id: int) -> PracticeSession:
    """End a running session now: link the trainee's records, rebuild the steps, score the
    objective points.  Then the trainer scores the rubric (:func:`score_session`)."""
    require(actor, "practice.use")
    require_practice_db()
    s = get_session(actor.store_id, session_id)
    if s.status != "running":
        raise DomainError("err.practice_not_running")
    now = clock.now()
    PracticeSession.update(ended_at=now, status="ended").where(PracticeSession.id == s.id).execute()
    s = PracticeSession.get_by_id(s.id)
    _collect_steps(s, now)
    rec = records_of(s)
    card = objective(s, rec)
    PracticeSession.update(visit_ids=[v.id for v in rec.visits], quote_ids=[q.id for q in rec.quotes],
                           sale_ids=[x.id for x in rec.sales], objective=[i.as_json() for i in card.items],
                           objective_points=card.points, objective_max=card.max_points
                           ).where(PracticeSession.id == s.id).execute()
    _step(s.id, now, "practice.end", "practice_session", s.id)
    audit.record(actor, "practice.end", "practice_session", s.id,
                 after={"visits": len(rec.visits), "quotes": len(rec.quotes), "sales": len(rec.sales),
                        "objective": f"{card.points}/{card.max_points}"})
    return PracticeSession.get_by_id(s.id)


@transactional
def cancel_session(actor: Actor, session_id: int) -> PracticeSession:
    require(actor, "practice.use")
    s = get_session(actor.store_id, session_id)
    if s.status != "running":
        raise DomainError("err.practice_not_running")
    PracticeSession.update(status="cancelled", ended_at=clock.now()).where(PracticeSession.id == s.id).execute()
    audit.record(actor, "practice.cancel", "practice_session", s.id)
    return PracticeSession.get_by_id(s.id)


# == objective scoring ============================================================================

# Other areas may add counters: fn(session, records) -> follow-ups the trainee scheduled.
FOLLOW_UP_COUNTERS: list[Callable[[PracticeSession, Records], int]] = []


def _follow_ups(session: PracticeSession, rec: Records) -> int | None:
    """Follow-ups scheduled for the session's sales, visits or quotes (after-sales records)."""
    from storepos.models import FollowUp

    cond = None
    for part in ((FollowUp.sale.in_([x.id for x in rec.sales]) if rec.sales else None),
                 (FollowUp.visit_id.in_([v.id for v in rec.visits]) if rec.visits else None),
                 (FollowUp.quote_id.in_([q.id for q in rec.quotes]) if rec.quotes else None)):
        if part is not None:
            cond = part if cond is None else cond | part
    total = sum(fn(session, rec) for fn in FOLLOW_UP_COUNTERS)
    if cond is not None:
        total += FollowUp.select().where(cond).count()
    return total


@dataclass(frozen=True)
class ObjectiveItem:
    code: str  # signal | signal_match | greeting | needs | quote | checks | follow_up | approach_time
    points: int
    max_points: int
    status: str  # met | partial | missed | na
    params: dict[str, Any] = field(default_factory=dict)
    missing: tuple[str, ...] = ()  # fixture codes not done (greeting standards, needs fields)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "points": self.points, "max": self.max_points, "status": self.status,
                "params": self.params, "missing": list(self.missing)}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> ObjectiveItem:
        return cls(raw["code"], int(raw["points"]), int(raw["max"]), raw["status"], dict(raw.get("params") or {}),
                   tuple(raw.get("missing") or ()))

    @property
    def label(self) -> str:
        return t(f"practice.obj_{self.code}")

    @property
    def detail(self) -> str:
        return t(f"practice.obj_{self.code}_{self.status}", **self.params)

    @property
    def missing_labels(self) -> list[str]:
        if self.code == "greeting":
            return [sop_label("approach", "greeting", c) for c in self.missing]
        if self.code == "needs":
            return [sop_label("needs", "fields", c) for c in self.missing]
        return list(self.missing)


@dataclass(frozen=True)
class ObjectiveCard:
    items: tuple[ObjectiveItem, ...]

    @property
    def points(self) -> int:
        return sum(i.points for i in self.items if i.status != "na")

    @property
    def max_points(self) -> int:
        return sum(i.max_points for i in self.items if i.status != "na")

    @property
    def percent(self) -> int:
        return percent(self.points, self.max_points)


def percent(points: int | None, max_points: int | None) -> int:
    if not max_points:
        return 0
    return int((Decimal(points or 0) * 100 / Decimal(max_points)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _status(points: int, max_points: int) -> str:
    return "met" if points >= max_points else ("partial" if points > 0 else "missed")


def objective(session: PracticeSession, rec: Records | None = None) -> ObjectiveCard:
    """The objective points, scored from the trainee's records in the session's window."""
    from storepos.services import visits as visit_service

    rec = rec or records_of(session)
    scenario_signal = None
    try:
        scenario_signal = get_scenario(session.store_id, session.scenario).signal
    except DomainError:
        pass
    visit = rec.visits[0] if rec.visits else None
    items: list[ObjectiveItem] = []
    # 1. signal logged, and was it the one the "customer" gave
    if visit is None:
        items.append(ObjectiveItem("signal", 0, 1, "missed", {}, ("no_visit",)))
    else:
        ok = bool(visit.signal)
        items.append(ObjectiveItem("signal", int(ok), 1, "met" if ok else "missed",
                                   {"signal": sop_label("approach", "signals", visit.signal) if ok else ""}))
    if scenario_signal:
        got = visit.signal if visit is not None else None
        ok = got == scenario_signal
        items.append(ObjectiveItem("signal_match", int(ok), 1, "met" if ok else "missed",
                                   {"expected": sop_label("approach", "signals", scenario_signal),
                                    "got": sop_label("approach", "signals", got) if got else "—"}))
    # 2. greeting standards met (of the six)
    standards = [e.code for e in sop.entries("approach", "greeting")]
    met = [c for c in standards if visit is not None and c in (visit.greeting or [])]
    items.append(ObjectiveItem("greeting", len(met), len(standards), _status(len(met), len(standards)),
                               {"met": len(met), "total": len(standards)},
                               tuple(c for c in standards if c not in met)))
    # 3. needs fields captured
    fields = [e.code for e in sop.entries("needs", "fields")]
    have = set((visit.needs or {}).keys()) if visit is not None else set()
    if visit is not None and visit.budget is not None:
        have.add("budget")
    got_fields = [c for c in fields if c in have]
    items.append(ObjectiveItem("needs", len(got_fields), len(fields), _status(len(got_fields), len(fields)),
                               {"met": len(got_fields), "total": len(fields)},
                               tuple(c for c in fields if c not in have)))
    # 4. quote given within authority, or with the manager's approval
    given = [q for q in rec.quotes if q.status in ("given", "accepted", "converted")]
    quote_approvals = [a for a in rec.approvals if a.kind in ("discount", "price_floor")]
    if not given:
        items.append(ObjectiveItem("quote", 0, 1, "missed",
                                   {"n": len(rec.quotes)}, ("draft",) if rec.quotes else ("none",)))
    else:
        q = given[-1]
        approved = q.approval_id is not None or QuoteLine.select().where(
            QuoteLine.quote == q.id, QuoteLine.approval.is_null(False)).exists()
        how = "approved" if approved or quote_approvals else "within"
        items.append(ObjectiveItem("quote", 1, 1, "met", {"number": q.number, "how": t(f"practice.quote_{how}"),
                                                          "total": fmt(q.total, fen=True)}))
    # 5. the five checks passed at checkout (a completed sale passed them, or a manager overrode)
    if not rec.sales:
        items.append(ObjectiveItem("checks", 0, 1, "missed", {}))
    else:
        sale = rec.sales[-1]
        overrides = len(sale.approvals or {})
        items.append(ObjectiveItem("checks", 1, 1, "met", {"overrides": overrides,
                                                          "total": fmt(sale.total, fen=True)}))
    # 6. follow-up scheduled
    made = _follow_ups(session, rec)
    come_back = [v for v in rec.visits if v.come_back_date is not None]
    if come_back or made:
        when = come_back[0].come_back_date if come_back else None
        items.append(ObjectiveItem("follow_up", 1, 1, "met", {"date": when.isoformat() if when else "",
                                                              "n": made or 0}))
    elif made is None:
        items.append(ObjectiveItem("follow_up", 0, 1, "na", {}))
    else:
        items.append(ObjectiveItem("follow_up", 0, 1, "missed", {}))
    # 7. time to approach
    within = approach_within_seconds()
    secs = visit_service.seconds_to_approach(visit) if visit is not None else None
    if secs is None:
        items.append(ObjectiveItem("approach_time", 0, 1, "missed", {"limit": within, "seconds": "—"}))
    else:
        ok = secs <= within
        items.append(ObjectiveItem("approach_time", int(ok), 1, "met" if ok else "missed",
                                   {"limit": within, "seconds": secs}))
    return ObjectiveCard(tuple(items))


# == rubric scoring ===============================================================================

def rubric_codes() -> list[str]:
    return [g.entry.code for g in sop.rubric_areas()]


def parse_score(value: Any, area: str) -> int:
    """A rubric score typed by the trainer: a whole number 1-5.  DomainError(field=score_<area>)."""
    text = str(value if value is not None else "").strip()
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not text:
        raise DomainError("err.practice_score_required", field=f"score_{area}")
    if not text.isdigit() or not SCORE_MIN <= int(text) <= SCORE_MAX:
        raise DomainError("err.practice_score_range", field=f"score_{area}", low=SCORE_MIN, high=SCORE_MAX)
    return int(text)


@transactional
def score_session(actor: Actor, session_id: int, scores: dict[str, dict[str, Any]]) -> PracticeSession:
    """The trainer's rubric scores: {area code: {"score": 1-5, "comment": text}} for all five
    areas of fixtures/sop/rubric.toml.  A session that is still running is ended first.  A
    score given again replaces the earlier one.  All or nothing: DomainError(field=
    "score_<area>" | "comment_<area>") and nothing written."""
    require(actor, "practice.use")
    require_practice_db()
    s = get_session(actor.store_id, session_id)
    if s.status == "cancelled":
        raise DomainError("err.practice_cancelled")
    codes = rubric_codes()
    unknown = set(scores) - set(codes)
    if unknown:
        raise DomainError("err.practice_area_unknown", field=f"score_{min(unknown)}")
    clean: dict[str, tuple[int, str]] = {}
    for code in codes:
        raw = scores.get(code) or {}
        value = parse_score(raw.get("score"), code)
        comment = " ".join(str(raw.get("comment") or "").split())
        if len(comment) > COMMENT_MAX:
            raise DomainError("err.too_long", field=f"comment_{code}", limit=COMMENT_MAX)
        clean[code] = (value, comment)
    if s.status == "running":
        s = end_session(actor, s.id)
    now = clock.now()
    RubricScore.delete().where(RubricScore.session == s.id).execute()
    for code, (value, comment) in clean.items():
        RubricScore.create(session=s.id, area=code, score=value, comment=comment, scored_by=actor.staff_id, at=now)
    total = sum(v for v, _c in clean.values())
    PracticeSession.update(status="scored", scored_at=now, rubric_total=total).where(
        PracticeSession.id == s.id).execute()
    _step(s.id, now, "practice.score", "practice_session", s.id)
    audit.record(actor, "practice.score", "practice_session", s.id,
                 after={code: v for code, (v, _c) in clean.items()})
    return PracticeSession.get_by_id(s.id)


def scores_of(session_id: int) -> dict[str, RubricScore]:
    return {r.area: r for r in RubricScore.select().where(RubricScore.session == session_id)}


# == score card ===================================================================================

@dataclass(frozen=True)
class RubricRow:
    code: str
    label: str
    criteria: tuple[str, ...]
    score: int | None
    comment: str


@dataclass(frozen=True)
class StepRow:
    at: dt.datetime
    offset_seconds: int
    stage: str
    action: str

    @property
    def offset(self) -> str:
        m, s = divmod(max(0, self.offset_seconds), 60)
        return f"+{m:02d}:{s:02d}"

    @property
    def label(self) -> str:
        key = f"practice.action.{self.action.replace('.', '_')}"
        from storepos.i18n import has

        return t(key) if has(key, "en") else self.action


@dataclass(frozen=True)
class ScoreCard:
    session: PracticeSession
    scenario: PracticeScenario | None
    trainee: Staff
    trainer: Staff
    objective: ObjectiveCard
    rubric: tuple[RubricRow, ...]
    steps: tuple[StepRow, ...]

    @property
    def rubric_total(self) -> int | None:
        got = [r.score for r in self.rubric if r.score is not None]
        return sum(got) if len(got) == len(self.rubric) else None

    @property
    def rubric_max(self) -> int:
        return SCORE_MAX * len(self.rubric)

    @property
    def missed(self) -> list[str]:
        """What was missed, one line each (objective items not met, low rubric areas)."""
        out = []
        for item in self.objective.items:
            if item.status in ("missed", "partial"):
                extra = ", ".join(item.missing_labels) if item.code in ("greeting", "needs") else ""
                out.append(f"{item.label}: {item.detail}" + (f" ({extra})" if extra else ""))
        for r in self.rubric:
            if r.score is not None and r.score <= 2:
                out.append(t("practice.missed_rubric", area=r.label, score=r.score))
        return out

    @property
    def duration_seconds(self) -> int | None:
        if self.session.ended_at is None:
            return None
        return int((self.session.ended_at - self.session.started_at).total_seconds())


def score_card(store_id: int, session_id: int) -> ScoreCard:
    s = get_session(store_id, session_id)
    try:
        scenario: PracticeScenario | None = get_scenario(store_id, s.scenario)
    except DomainError:
        scenario = None
    card = (ObjectiveCard(tuple(ObjectiveItem.from_json(r) for r in s.objective))
            if s.objective is not None else objective(s))
    given = scores_of(s.id)
    rubric = tuple(RubricRow(g.entry.code, g.entry.label, tuple(c.label for c in g.items),
                             given[g.entry.code].score if g.entry.code in given else None,
                             given[g.entry.code].comment if g.entry.code in given else "")
                   for g in sop.rubric_areas())
    steps = tuple(StepRow(r.at, int((r.at - s.started_at).total_seconds()), r.stage, r.action)
                  for r in PracticeStep.select().where(PracticeStep.session == s.id)
                  .order_by(PracticeStep.at, PracticeStep.id))
    return ScoreCard(s, scenario, Staff.get_by_id(s.trainee_id), Staff.get_by_id(s.trainer_id), card, rubric,
                     steps)


def scenario_title(store_id: int, code: str) -> str:
    try:
        return get_scenario(store_id, code).title
    except DomainError:
        return code


# == progress =====================================================================================

@dataclass(frozen=True)
class ProgressRow:
    session_id: int
    started_at: dt.datetime
    scenario: str
    objective_points: int
    objective_max: int
    scores: dict[str, int]
    rubric_total: int

    @property
    def objective_percent(self) -> int:
        return percent(self.objective_points, self.objective_max)


@dataclass(frozen=True)
class AreaProgress:
    code: str
    label: str
    series: tuple[int, ...]  # oldest first

    @property
    def latest(self) -> int | None:
        return self.series[-1] if self.series else None

    @property
    def average(self) -> Decimal | None:
        if not self.series:
            return None
        return (Decimal(sum(self.series)) / len(self.series)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def change(self) -> int | None:
        """Latest minus first (positive: improving)."""
        return self.series[-1] - self.series[0] if len(self.series) >= 2 else None


@dataclass(frozen=True)
class Progress:
    trainee: Staff
    rows: tuple[ProgressRow, ...]  # scored sessions, oldest first
    areas: tuple[AreaProgress, ...]

    @property
    def objective_series(self) -> tuple[int, ...]:
        return tuple(r.objective_percent for r in self.rows)


def progress(store_id: int, trainee_id: int) -> Progress:
    """A trainee's scored sessions over time, per rubric area (oldest first)."""
    trainee = Staff.get_or_none(Staff.id == trainee_id, Staff.store == store_id)
    if trainee is None:
        raise NotFound("err.practice_trainee_unknown")
    done = list(PracticeSession.select().where(PracticeSession.store == store_id,
                                               PracticeSession.trainee == trainee_id,
                                               PracticeSession.status == "scored")
                .order_by(PracticeSession.started_at, PracticeSession.id))
    by_session: dict[int, dict[str, int]] = {s.id: {} for s in done}
    if done:
        for r in RubricScore.select().where(RubricScore.session.in_([s.id for s in done])):
            by_session[r.session_id][r.area] = r.score
    rows = tuple(ProgressRow(s.id, s.started_at, s.scenario, s.objective_points or 0, s.objective_max or 0,
                             by_session[s.id], s.rubric_total or 0) for s in done)
    areas = tuple(AreaProgress(g.entry.code, g.entry.label,
                               tuple(r.scores[g.entry.code] for r in rows if g.entry.code in r.scores))
                  for g in sop.rubric_areas())
    return Progress(trainee, rows, areas)


def trainees_with_sessions(store_id: int) -> list[Staff]:
    ids = PracticeSession.select(PracticeSession.trainee).where(PracticeSession.store == store_id,
                                                                PracticeSession.status != "cancelled")
    return list(Staff.select().where(Staff.id.in_(ids)).order_by(Staff.code))


def export_progress_csv(actor: Actor, home: Path, trainee_id: int | None = None) -> Path:
    """Write the scored sessions (one row each; a trainee's or everyone's) to
    HOME/exports/practice-progress-<who>-<YYYYmmdd-HHMM>.csv (UTF-8 with BOM for spreadsheets)."""
    require(actor, "practice.use")
    store = get_store(actor.store_id)
    people = ([Staff.get_by_id(trainee_id)] if trainee_id is not None else trainees_with_sessions(store.id))
    codes = rubric_codes()
    folder = Path(home) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock.get().local_now(store.timezone).strftime("%Y%m%d-%H%M")
    who = people[0].code if trainee_id is not None and people else "all"
    path = folder / f"practice-progress-{who}-{stamp}.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["trainee_code", "trainee_name", "session", "started_local", "scenario", "objective_points",
                    "objective_max", "objective_percent", *codes, "rubric_total"])
        for person in people:
            for r in progress(store.id, person.id).rows:
                local = clock.to_local(r.started_at, store.timezone).strftime("%Y-%m-%d %H:%M")
                w.writerow([person.code, person.name, r.session_id, local, r.scenario, r.objective_points,
                            r.objective_max, r.objective_percent, *[r.scores.get(c, "") for c in codes],
                            r.rubric_total])
    return path


# == for the manager's staff performance (issue 9) ================================================

@dataclass(frozen=True)
class PracticeScores:
    sessions: int  # scored sessions
    latest_at: dt.datetime  # naive UTC start of the latest scored session
    scenario: str
    latest: dict[str, int]  # rubric area code -> score of the latest session
    average: dict[str, Decimal]  # rubric area code -> average over all scored sessions
    objective_percent: int  # of the latest session


def latest_scores(staff_codes: Iterable[str], *, target: str | Settings | None = None) -> dict[str, PracticeScores]:
    """Practice scores of staff (by code) for showing next to their live results.  Reads the
    practice database READ-ONLY through its own connection (never the bound proxy); *target* is
    its path/URL or the Settings (default: settings from the environment).  Staff without a
    scored session are left out; no practice database at all gives {}."""
    codes = [str(c) for c in staff_codes]
    if not codes:
        return {}
    if target is None:
        from storepos.config import load_settings

        target = load_settings()
    path = target.practice_target if isinstance(target, Settings) else str(target)
    try:
        db = open_readonly(path)
    except DomainError:
        return {}
    try:
        db.connect()
        sessions_q = (PracticeSession.select(PracticeSession.id, PracticeSession.started_at, PracticeSession.scenario,
                                             PracticeSession.objective_points, PracticeSession.objective_max,
                                             Staff.code.alias("code"))
                      .join(Staff, on=(PracticeSession.trainee == Staff.id))
                      .where(Staff.code.in_(codes), PracticeSession.status == "scored")
                      .order_by(PracticeSession.started_at, PracticeSession.id).dicts())
        rows = list(sessions_q.execute(db))
        if not rows:
            return {}
        scores = list(RubricScore.select(RubricScore.session, RubricScore.area, RubricScore.score)
                      .where(RubricScore.session.in_([r["id"] for r in rows])).tuples().execute(db))
    except (peewee.DatabaseError, peewee.InterfaceError):
        return {}
    finally:
        if not db.is_closed():
            db.close()
    per_session: dict[int, dict[str, int]] = {}
    for sid, area, score in scores:
        per_session.setdefault(sid, {})[area] = score
    out: dict[str, PracticeScores] = {}
    for code in codes:
        mine = [r for r in rows if r["code"] == code]
        if not mine:
            continue
        last = mine[-1]
        sums: dict[str, list[int]] = {}
        for r in mine:
            for area, score in per_session.get(r["id"], {}).items():
                sums.setdefault(area, []).append(score)
        average = {a: (Decimal(sum(v)) / len(v)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
                   for a, v in sums.items()}
        started = last["started_at"]
        if isinstance(started, str):
            started = dt.datetime.fromisoformat(started)
        out[code] = PracticeScores(len(mine), started, last["scenario"], per_session.get(last["id"], {}), average,
                                   percent(last["objective_points"], last["objective_max"]))
    return out


# == home =========================================================================================

def home_notices(actor: Actor) -> list[str]:
    """The trainee sees their running session; a trainer sees how many are running."""
    try:
        rows = running(actor.store_id)
    except peewee.DatabaseError:
        return []
    out = []
    for s in rows:
        if s.trainee_id == actor.staff_id:
            out.append(t("practice.notice_trainee", trainer=Staff.get_by_id(s.trainer_id).name))
        elif s.trainer_id == actor.staff_id:
            out.append(t("practice.notice_trainer", trainee=Staff.get_by_id(s.trainee_id).name,
                         scenario=scenario_title(actor.store_id, s.scenario)))
    return out


