"""Stock as a ledger: every change of a product's quantity is a StockMove, written in the same
transaction that changes ``product.stock`` (or ``product.defective``).

THE ONE WAY TO CHANGE STOCK (checkout, returns, receiving, counts, imports all use it)::

    from storepos.services.catalog.stock import apply_move

    result = apply_move(actor, product_id, -qty, "sale", ref=sale_number,
                        allow_negative=settings_of(store).allow_negative_stock)

``apply_move(actor, product_id, delta, reason, ref="", *, batch=None, expiry=None,
allow_negative=False, location="main", note="") -> MoveResult``

- Call it inside your own ``@transactional`` service function: the move, the product's quantity
  and your sale rows commit or roll back together (alone it opens its own transaction).
- ``delta`` is signed: negative takes stock out (sale, adjustment down, to defective), positive
  puts it in (receive, return).  ``reason`` is one of REASONS
  (receive | sale | return | adjustment | defective | count | transfer).
- The decrement is a guarded conditional UPDATE
  (``stock = stock + delta WHERE id = ? AND stock + delta >= 0``), so two terminals can never
  oversell; when there is not enough it raises
  ``DomainError("err.stock_short", field="qty", sku=, name=, available=, wanted=, short=)``
  and writes nothing.  ``allow_negative=True`` (store policy ``allow_negative_stock``) skips the
  guard.  An unknown product (or one of another store) raises ``NotFound("err.product_not_found")``.
- FIFO / first-expiry-first: a negative move without ``batch`` takes from the product's batches
  oldest first (earliest expiry first, then batches without an expiry by receipt time), and
  only what the batches do not cover from stock that came without a batch.  With ``batch="CODE"``
  it takes from (or, for a positive delta, adds to / creates) that batch; ``expiry`` dates a new
  batch.  One StockMove row is written per batch slice; ``MoveResult.batches`` lists
  ``(batch_id, code, qty)`` so a sale line can remember where its units came from (pass the code
  back as ``batch=`` on the return to restore that batch).
- ``location="defective"`` moves the not-sellable quantity (不合格品库) instead; batches are
  not tracked there.
- apply_move writes no audit row of its own (the StockMove row, with staff, terminal and time,
  is the record); the calling operation audits itself.

Operations built on it here: receive, record_count (manager approval above the store's
count_approval_threshold), move_to_defective, dispose_defective, adjust; queries: expiring,
low_stock, moves_of, ledger_problems.  Home figures "low_stock" and "expiring" are registered here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import peewee
from pydantic import BaseModel, ConfigDict, Field, field_validator

from storepos import clock
from storepos.db import is_sqlite, transactional
from storepos.i18n import pick, t
from storepos.models import Approval, Batch, Product, StockMove
from storepos.models.stock import LOCATIONS, REASONS
from storepos.services.core import audit
from storepos.services import home
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound, parse
from storepos.services.core.numbers import WholeNumber, parse_whole
from storepos.services.core.permissions import require
from storepos.services.core.store import business_date, get_store, settings_of


@dataclass(frozen=True)
class MoveResult:
    product_id: int
    qty: int  # the signed change applied
    stock: int  # the location's quantity after the move
    moves: tuple[int, ...]  # StockMove ids written
    batches: tuple[tuple[int, str, int], ...] = ()  # (batch id, code, signed qty) per batch slice


def _col(location: str) -> peewee.Field:
    return Product.defective if location == "defective" else Product.stock


def _batch_order() -> tuple:
    # Earliest expiry first (batches without an expiry after the dated ones), then oldest receipt.
    return (Batch.expiry.is_null(), Batch.expiry, Batch.received_at, Batch.id)


@transactional
def apply_move(
    actor: Actor | None,
    product_id: int,
    delta: int,
    reason: str,
    ref: str = "",
    *,
    batch: str | None = None,
    expiry: dt.date | None = None,
    allow_negative: bool = False,
    location: str = "main",
    note: str = "",
) -> MoveResult:
    """Change one product's quantity by *delta* and write the ledger rows (see module doc).

    *actor* None is the system (demo load, CLI import): no store check, no staff on the rows."""
    if reason not in REASONS:
        raise ValueError(f"unknown stock move reason {reason!r}")
    if location not in LOCATIONS:
        raise ValueError(f"unknown stock location {location!r}")
    if isinstance(delta, bool) or not isinstance(delta, int) or delta == 0:
        raise ValueError("delta must be a non-zero int")
    col = _col(location)
    q = Product.update({col: col + delta}).where(Product.id == product_id)
    if actor is not None:
        q = q.where(Product.store == actor.store_id)
    if delta < 0 and not allow_negative:
        q = q.where(col + delta >= 0)
    if q.execute() == 0:
        row = Product.get_or_none(Product.id == product_id)
        if row is None or (actor is not None and row.store_id != actor.store_id):
            raise NotFound("err.product_not_found")
        have = row.defective if location == "defective" else row.stock
        raise DomainError("err.stock_short", field="qty", sku=row.sku, name=pick(row.name_zh, row.name_en),
                          available=have, wanted=-delta, short=-(have + delta))
    prod = Product.select(Product.id, Product.store, Product.stock, Product.defective).where(
        Product.id == product_id).get()
    now = clock.now()
    common = {"store": prod.store_id, "product": product_id, "reason": reason, "location": location,
              "ref": (ref or "")[:120], "note": (note or "")[:200],
              "staff": actor.staff_id if actor else None, "terminal": actor.terminal if actor else "",
              "at": now}
    slices: list[tuple[Batch | None, int]] = []
    code = (batch or "").strip() or None
    if location == "main" and code is None and expiry is not None and delta > 0:
        code = f"EXP{expiry:%Y%m%d}"
    if location == "main" and code is not None:
        b = Batch.get_or_none(Batch.product == product_id, Batch.code == code)
        if delta > 0:
            if b is None:
                b = Batch.create(store=prod.store_id, product=product_id, code=code, expiry=expiry,
                                 received_at=now, qty_received=delta, qty_left=delta)
            else:
                upd: dict[Any, Any] = {Batch.qty_left: Batch.qty_left + delta}
                if reason == "receive":
                    upd[Batch.qty_received] = Batch.qty_received + delta
                if expiry is not None and b.expiry is None:
                    upd[Batch.expiry] = expiry
                Batch.update(upd).where(Batch.id == b.id).execute()
            slices.append((b, delta))
        else:
            if b is None:
                raise DomainError("err.batch_unknown", field="batch", code=code)
            n = Batch.update(qty_left=Batch.qty_left + delta).where(
                Batch.id == b.id, Batch.qty_left + delta >= 0).execute()
            if n == 0:
                raise DomainError("err.batch_short", field="qty", code=code, available=b.qty_left,
                                  short=-(b.qty_left + delta))
            slices.append((b, delta))
    elif location == "main" and delta < 0:
        need = -delta
        for b in (Batch.select(Batch.id, Batch.code, Batch.qty_left)
                  .where(Batch.product == product_id, Batch.qty_left > 0)
                  .order_by(*_batch_order())):
            if need <= 0:
                break
            take = min(need, b.qty_left)
            Batch.update(qty_left=Batch.qty_left - take).where(Batch.id == b.id).execute()
            slices.append((b, -take))
            need -= take
        if need > 0:
            slices.append((None, -need))
    else:
        slices.append((None, delta))
    ids = []
    for b, qty in slices:
        ids.append(StockMove.insert(common | {"qty": qty, "batch": b.id if b else None}).execute())
    after = prod.defective if location == "defective" else prod.stock
    return MoveResult(product_id, delta, after, tuple(ids),
                      tuple((b.id, b.code, qty) for b, qty in slices if b is not None))


def _product(actor: Actor, product_id: int, *, lock: bool = False) -> Product:
    q = Product.select().where(Product.id == product_id, Product.store == actor.store_id)
    if lock and not is_sqlite():
        q = q.for_update()
    row = q.first()
    if row is None:
        raise NotFound("err.product_not_found")
    return row


# -- receiving (入库) ----------------------------------------------------------------------------

class ReceiveLine(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    product_id: int
    qty: WholeNumber = Field(ge=1, le=1_000_000)
    batch: str = Field("", max_length=40)
    expiry: dt.date | None = None

    @field_validator("expiry", mode="before")
    @classmethod
    def _blank_date(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace("/", "-").replace(".", "-")
            if not value:
                return None
            if len(value) == 8 and value.isdigit():
                value = f"{value[:4]}-{value[4:6]}-{value[6:]}"
        return value


def parse_receive_line(actor: Actor, data: dict[str, Any]) -> ReceiveLine:
    """Check one line as typed (qty, batch, expiry); raises DomainError with the field."""
    line = parse(ReceiveLine, data)
    if line.expiry is not None:
        today = business_date(get_store(actor.store_id))
        if line.expiry < today:
            raise DomainError("err.expiry_past", field="expiry", date=line.expiry.isoformat())
    return line


@transactional
def receive(actor: Actor, lines: list[dict[str, Any]], ref: str = "") -> list[MoveResult]:
    """Goods in (入库): each line adds qty to stock (into its batch when it has a batch code or an
    expiry date).  All lines or none.  A DomainError names the line (params ``line`` 1-based)."""
    require(actor, "stock.receive")
    ref = (ref or "").strip()
    if len(ref) > 120:
        raise DomainError("err.too_long", field="ref", limit=120)
    if not lines:
        raise DomainError("err.receive_empty")
    parsed = []
    for i, data in enumerate(lines, 1):
        try:
            parsed.append(parse_receive_line(actor, data))
        except DomainError as exc:
            exc.params.setdefault("line", i)
            raise
    results = []
    for line in parsed:
        _product(actor, line.product_id)
        results.append(apply_move(actor, line.product_id, line.qty, "receive", ref or t("stock.ref_receive"),
                                  batch=line.batch or None, expiry=line.expiry))
    audit.record(actor, "stock.receive", "stock_move", results[0].moves[0], after={
        "ref": ref, "lines": [{"product": ln.product_id, "qty": ln.qty, "batch": ln.batch,
                                "expiry": ln.expiry.isoformat() if ln.expiry else None} for ln in parsed]})
    return results


# -- stock count (盘点) ---------------------------------------------------------------------------

@dataclass(frozen=True)
class CountCheck:
    product_id: int
    sku: str
    name: str
    stock: int
    counted: int
    diff: int
    needs_approval: bool


def _parse_count(value: Any) -> int:
    return parse_whole(value, field="counted", minimum=0, maximum=10_000_000)


def check_count(actor: Actor, product_id: int, counted: Any) -> CountCheck:
    """What recording *counted* would do: the difference and whether a manager must approve."""
    require(actor, "stock.count")
    n = _parse_count(counted)
    p = _product(actor, product_id)
    diff = n - p.stock
    limit = settings_of(get_store(actor.store_id)).count_approval_threshold
    return CountCheck(p.id, p.sku, pick(p.name_zh, p.name_en), p.stock, n, diff,
                      abs(diff) > limit and not actor.is_manager)


@transactional
def record_count(actor: Actor, product_id: int, counted: Any, *, approval_id: int | None = None,
                 note: str = "") -> CountCheck:
    """Record a stock count: the difference to the book stock is written as a "count" move.

    When |difference| > the store's count_approval_threshold and the actor is not a manager, an
    Approval of kind "stock_count" for this product and this counted quantity is required
    (``approval_id``); without it DomainError("err.count_needs_approval", field="counted")."""
    require(actor, "stock.count")
    n = _parse_count(counted)
    p = _product(actor, product_id, lock=True)
    diff = n - p.stock
    limit = settings_of(get_store(actor.store_id)).count_approval_threshold
    if abs(diff) > limit and not actor.is_manager:
        ok = False
        if approval_id is not None:
            a = Approval.get_or_none(Approval.id == approval_id)
            ok = (a is not None and a.store_id == actor.store_id and a.kind == "stock_count"
                  and a.entity == "product" and a.entity_id == str(product_id)
                  and int((a.detail or {}).get("counted", -1)) == n)
        if not ok:
            raise DomainError("err.count_needs_approval", field="counted", diff=diff, limit=limit)
    move_id = None
    if diff:
        res = apply_move(actor, product_id, diff, "count", t("stock.ref_count"), note=note)
        move_id = res.moves[0]
    audit.record(actor, "stock.count", "product", product_id, before={"stock": p.stock},
                 after={"stock": n, "diff": diff, "approval": approval_id, "move": move_id, "note": note})
    return CountCheck(p.id, p.sku, pick(p.name_zh, p.name_en), p.stock, n, diff, False)


# -- defective stock (不合格品库) ------------------------------------------------------------------

def _parse_qty(value: Any) -> int:
    return parse_whole(value, field="qty", minimum=1)


def _parse_reason(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError("err.reason_required", field="reason")
    if len(text) > 200:
        raise DomainError("err.too_long", field="reason", limit=200)
    return text


@transactional
def move_to_defective(actor: Actor, product_id: int, qty: Any, reason: str, *,
                      batch: str | None = None) -> MoveResult:
    """Move sellable units to the defective location (damaged, faulty, returned broken).
    Returns the defective location's move (its ``stock`` is the new defective quantity)."""
    require(actor, "stock.defective")
    n = _parse_qty(qty)
    why = _parse_reason(reason)
    p = _product(actor, product_id)
    out = apply_move(actor, product_id, -n, "defective", t("stock.ref_defective"), batch=batch, note=why)
    res = apply_move(actor, product_id, n, "defective", t("stock.ref_defective"), location="defective",
                     note=why)
    audit.record(actor, "stock.defective", "product", product_id,
                 before={"stock": p.stock, "defective": p.defective},
                 after={"stock": out.stock, "defective": res.stock, "qty": n, "reason": why})
    return res


@transactional
def dispose_defective(actor: Actor, product_id: int, qty: Any, reason: str) -> MoveResult:
    """Write defective units off (scrapped or sent back to the supplier): manager."""
    require(actor, "stock.adjust")
    n = _parse_qty(qty)
    why = _parse_reason(reason)
    p = _product(actor, product_id)
    res = apply_move(actor, product_id, -n, "adjustment", t("stock.ref_dispose"), location="defective",
                     note=why)
    audit.record(actor, "stock.dispose_defective", "product", product_id, before={"defective": p.defective},
                 after={"defective": res.stock, "qty": n, "reason": why})
    return res


@transactional
def adjust(actor: Actor, product_id: int, delta: int, reason: str, *, batch: str | None = None) -> MoveResult:
    """A manager's correction of the sellable quantity (e.g. writing off an expired batch)."""
    require(actor, "stock.adjust")
    why = _parse_reason(reason)
    if not isinstance(delta, int) or isinstance(delta, bool) or delta == 0:
        raise DomainError("err.not_a_whole_number", field="qty")
    p = _product(actor, product_id)
    res = apply_move(actor, product_id, delta, "adjustment", t("stock.ref_adjust"), batch=batch, note=why)
    audit.record(actor, "stock.adjust", "product", product_id, before={"stock": p.stock},
                 after={"stock": res.stock, "delta": delta, "batch": batch, "reason": why})
    return res


# -- queries -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExpiringBatch:
    batch_id: int
    product_id: int
    sku: str
    name_zh: str
    name_en: str
    code: str
    expiry: dt.date
    qty_left: int
    days_left: int  # negative: expired that many days ago; 0: expires today

    @property
    def expired(self) -> bool:
        return self.days_left < 0

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)


def expiring(store_id: int, within_days: int | None = None, *, today: dt.date | None = None) -> list[ExpiringBatch]:
    """Batches still in stock that have expired or expire within *within_days* (default: the
    store's expiry_warning_days), soonest first.  For the opening checklist's "nothing expired"."""
    store = get_store(store_id)
    if within_days is None:
        within_days = settings_of(store).expiry_warning_days
    today = today or business_date(store)
    until = today + dt.timedelta(days=within_days)
    rows = (Batch.select(Batch.id, Batch.product, Batch.code, Batch.expiry, Batch.qty_left,
                         Product.sku, Product.name_zh, Product.name_en)
            .join(Product, on=(Batch.product == Product.id))
            .where(Batch.store == store_id, Batch.qty_left > 0, Batch.expiry.is_null(False),
                   Batch.expiry <= until)
            .order_by(Batch.expiry, Product.sku).tuples())
    out = []
    for bid, pid, code, expiry, left, sku, zh, en in rows:
        if isinstance(expiry, str):
            expiry = dt.date.fromisoformat(expiry)
        out.append(ExpiringBatch(bid, pid, sku, zh, en, code, expiry, left, (expiry - today).days))
    return out


def low_stock_query(store_id: int, threshold: int) -> peewee.ModelSelect:
    return Product.select().where(Product.store == store_id, Product.active == True,  # noqa: E712
                                  Product.stock <= threshold)


def low_stock(store_id: int, threshold: int | None = None, *, limit: int = 200) -> list[Product]:
    """Active products at or below the store's low_stock_threshold, fewest first."""
    if threshold is None:
        threshold = settings_of(get_store(store_id)).low_stock_threshold
    return list(low_stock_query(store_id, threshold).order_by(Product.stock, Product.sku).limit(limit))


def batches_of(product_id: int) -> list[Batch]:
    """The product's batches with stock left, in the order sales take them."""
    return list(Batch.select().where(Batch.product == product_id, Batch.qty_left > 0).order_by(*_batch_order()))


def moves_of(product_id: int, limit: int = 100) -> list[StockMove]:
    return list(StockMove.select().where(StockMove.product == product_id)
                .order_by(StockMove.at.desc(), StockMove.id.desc()).limit(limit))


def ledger_problems() -> list[str]:
    """Products whose quantities differ from the sum of their moves; batches likewise."""
    problems = []
    for location in LOCATIONS:
        col = _col(location)
        sums = (StockMove.select(StockMove.product, peewee.fn.SUM(StockMove.qty).alias("total"))
                .where(StockMove.location == location).group_by(StockMove.product))
        q = (Product.select(Product.sku, col, peewee.fn.COALESCE(sums.c.total, 0))
             .join(sums, peewee.JOIN.LEFT_OUTER, on=(sums.c.product_id == Product.id))
             .where(col != peewee.fn.COALESCE(sums.c.total, 0)).tuples())
        for sku, have, total in q:
            problems.append(t("stock.check_ledger", sku=sku, location=location, have=have, moves=total))
    bsums = (StockMove.select(StockMove.batch, peewee.fn.SUM(StockMove.qty).alias("total"))
             .where(StockMove.batch.is_null(False)).group_by(StockMove.batch))
    q = (Batch.select(Batch.code, Batch.qty_left, peewee.fn.COALESCE(bsums.c.total, 0))
         .join(bsums, peewee.JOIN.LEFT_OUTER, on=(bsums.c.batch_id == Batch.id))
         .where(Batch.qty_left != peewee.fn.COALESCE(bsums.c.total, 0)).tuples())
    for code, left, total in q:
        problems.append(t("stock.check_batch", code=code, have=left, moves=total))
    return problems


# -- home figures --------------------------------------------------------------------------------

def low_stock_figure(actor: Actor) -> home.Figure:
    store = get_store(actor.store_id)
    n = low_stock_query(actor.store_id, settings_of(store).low_stock_threshold).count()
    return home.Figure("home.glance_low_stock", str(n), alert=n > 0)


def expiring_figure(actor: Actor) -> home.Figure:
    items = expiring(actor.store_id)
    return home.Figure("home.glance_expiring", str(len(items)), alert=bool(items))


def expired_notices(actor: Actor) -> list[str]:
    expired = [b for b in expiring(actor.store_id, 0) if b.expired]
    return [t("stock.notice_expired", count=len(expired))] if expired else []


__all__ = ["CountCheck", "ExpiringBatch", "MoveResult", "REASONS", "ReceiveLine", "adjust", "apply_move",
           "batches_of", "check_count", "dispose_defective", "expiring", "ledger_problems", "low_stock",
           "move_to_defective", "moves_of", "parse_receive_line", "receive", "record_count"]
