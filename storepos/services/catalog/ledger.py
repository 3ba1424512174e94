"""Stock as a ledger: every change of a product's quantity is a StockMove, written in the same
transaction that changes ``product.stock`` (or ``product.defective``).

THE ONE WAY TO CHANGE STOCK (checkout, returns, receiving, counts, imports all use it)::

    from storepos.services.catalog import apply_move

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
  back as ``batch=`` on the return to restore that batch).  The batch side is in batches.py.
- ``location="defective"`` moves the not-sellable quantity (不合格品库) instead; batches are
  not tracked there.
- apply_move writes no audit row of its own (the StockMove row, with staff, terminal and time,
  is the record); the calling operation audits itself.

The operations built on it are in receiving.py, counts.py, defective.py and adjustments.py.

A sale takes all its lines at once with ``take_for_sale(actor, [(product_id, qty), ...], ref,
allow_negative=...)``: the same guard and FIFO batches as apply_move, in a fixed number of
statements (one guarded UPDATE for every product, one read of their batches, one INSERT of the
moves) whatever the number of lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee

from storepos import clock
from storepos.db import is_sqlite, transactional
from storepos.i18n import pick, t
from storepos.models import Batch, Product, StockMove
from storepos.models.stock import LOCATIONS, REASONS
from storepos.services.catalog.batches import batch_order, batch_slices
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound


@dataclass(frozen=True)
class MoveResult:
    product_id: int
    qty: int  # the signed change applied
    stock: int  # the location's quantity after the move
    moves: tuple[int, ...]  # StockMove ids written
    batches: tuple[tuple[int, str, int], ...] = ()  # (batch id, code, signed qty) per batch slice


def _column(location: str) -> peewee.Field:
    return Product.defective if location == "defective" else Product.stock


def _check_move(delta: int, reason: str, location: str) -> None:
    # A programming error, not the user's: ValueError, not DomainError.
    if reason not in REASONS:
        raise ValueError(f"unknown stock move reason {reason!r}")
    if location not in LOCATIONS:
        raise ValueError(f"unknown stock location {location!r}")
    if isinstance(delta, bool) or not isinstance(delta, int) or delta == 0:
        raise ValueError("delta must be a non-zero int")


def _change_quantity(actor: Actor | None, product_id: int, delta: int, location: str,
                     allow_negative: bool) -> None:
    """The guarded UPDATE of the product's quantity; raises NotFound or err.stock_short."""
    col = _column(location)
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

    *actor* None is the system (demo load, CLI import): no store check, no staff on the rows.
    Raises NotFound, DomainError (err.stock_short, err.batch_unknown, err.batch_short) and
    ValueError for a reason, location or delta no caller should pass."""
    _check_move(delta, reason, location)
    _change_quantity(actor, product_id, delta, location, allow_negative)
    prod = Product.select(Product.id, Product.store, Product.stock, Product.defective).where(
        Product.id == product_id).get()
    now = clock.now()
    common = {"store": prod.store_id, "product": product_id, "reason": reason, "location": location,
              "ref": (ref or "")[:120], "note": (note or "")[:200],
              "staff": actor.staff_id if actor else None, "terminal": actor.terminal if actor else "",
              "at": now}
    slices = batch_slices(prod.store_id, product_id, delta, reason, location=location, batch=batch,
                          expiry=expiry, now=now)
    ids = []
    for b, qty in slices:
        ids.append(StockMove.insert(common | {"qty": qty, "batch": b.id if b else None}).execute())
    after = prod.defective if location == "defective" else prod.stock
    return MoveResult(product_id, delta, after, tuple(ids),
                      tuple((b.id, b.code, qty) for b, qty in slices if b is not None))


def take_for_sale(actor: Actor, lines: list[tuple[int, int]], ref: str, *,
                  allow_negative: bool = False) -> list[list[str]]:
    """Take the units of a sale's lines (product id, qty), as apply_move(-qty, "sale") would for
    each, in a fixed number of statements: ONE guarded UPDATE for every product (``stock =
    stock - CASE id ... END`` where the result stays >= 0 unless *allow_negative*), one read of
    their batches, an UPDATE per batch drawn on (first-expiry-first), and one multi-row INSERT of
    the stock moves.  Returns each line's batch codes.  Raises DomainError("err.stock_short")
    naming the first product short (NotFound for one not of the store); the caller's
    transaction rolls the rest back."""
    need: dict[int, int] = {}
    for pid, qty in lines:
        if isinstance(qty, bool) or not isinstance(qty, int) or qty <= 0:
            raise ValueError("qty must be a positive int")
        need[pid] = need.get(pid, 0) + qty
    if not need:
        return []
    taken = peewee.Case(Product.id, [(pid, qty) for pid, qty in need.items()])
    q = Product.update({Product.stock: Product.stock - taken}).where(Product.id.in_(list(need)),
                                                                     Product.store == actor.store_id)
    if not allow_negative:
        q = q.where(Product.stock - taken >= 0)
    changed = {pid for (pid,) in q.returning(Product.id).tuples().execute()}
    if len(changed) != len(need):
        _refuse_short(actor, {pid: qty for pid, qty in need.items() if pid not in changed})
    left: dict[int, list[list]] = {}
    for bid, code, qty_left, pid in (Batch.select(Batch.id, Batch.code, Batch.qty_left, Batch.product)
                                     .where(Batch.product.in_(list(need)), Batch.qty_left > 0)
                                     .order_by(Batch.product, *batch_order()).tuples()):
        left.setdefault(pid, []).append([bid, code, qty_left])
    now = clock.now()
    common = {"store": actor.store_id, "reason": "sale", "location": "main", "ref": (ref or "")[:120], "note": "",
              "staff": actor.staff_id, "terminal": actor.terminal, "at": now}
    moves, codes, drawn = [], [], {}
    for pid, qty in lines:
        want, used = qty, []
        for b in left.get(pid, ()):
            if want <= 0:
                break
            take = min(want, b[2])
            if take <= 0:
                continue
            b[2] -= take
            want -= take
            drawn[b[0]] = drawn.get(b[0], 0) + take
            moves.append(common | {"product": pid, "qty": -take, "batch": b[0]})
            used.append(b[1])
        if want > 0:
            moves.append(common | {"product": pid, "qty": -want, "batch": None})
        codes.append(used)
    for bid, take in drawn.items():
        Batch.update(qty_left=Batch.qty_left - take).where(Batch.id == bid).execute()
    StockMove.insert_many(moves).execute()
    return codes


def _refuse_short(actor: Actor, need: dict[int, int]) -> None:
    """Why take_for_sale's UPDATE left the products *need* names unchanged (their stock is still
    as it was): the first one short, or unknown."""
    rows = {p.id: p for p in Product.select().where(Product.id.in_(list(need)))}
    for pid, qty in need.items():
        row = rows.get(pid)
        if row is None or row.store_id != actor.store_id:
            raise NotFound("err.product_not_found")
        if row.stock < qty:
            raise DomainError("err.stock_short", field="qty", sku=row.sku, name=pick(row.name_zh, row.name_en),
                              available=row.stock, wanted=qty, short=qty - row.stock)
    raise DomainError("err.stock_short", field="qty", sku="", name="", available=0, wanted=0, short=0)


def product_of(actor: Actor, product_id: int, *, lock: bool = False) -> Product:
    """The actor's store's product, read before an operation changes its stock (*lock*: FOR
    UPDATE where the database has it).  Raises NotFound("err.product_not_found")."""
    q = Product.select().where(Product.id == product_id, Product.store == actor.store_id)
    if lock and not is_sqlite():
        q = q.for_update()
    row = q.first()
    if row is None:
        raise NotFound("err.product_not_found")
    return row


def stated_reason(text: str) -> str:
    """The reason a person gives for a stock change, as written on the move's note (at most its
    200 characters).  Raises DomainError("err.reason_required") / ("err.too_long"), field "reason"."""
    text = (text or "").strip()
    if not text:
        raise DomainError("err.reason_required", field="reason")
    if len(text) > 200:
        raise DomainError("err.too_long", field="reason", limit=200)
    return text


def moves_of(product_id: int, limit: int = 100) -> list[StockMove]:
    """The product's latest moves, newest first."""
    return list(StockMove.select().where(StockMove.product == product_id)
                .order_by(StockMove.at.desc(), StockMove.id.desc()).limit(limit))


def ledger_problems() -> list[str]:
    """Products whose quantities differ from the sum of their moves; batches likewise.

    One of `storepos check`'s invariants (listed in services/manifest.py)."""
    problems = []
    for location in LOCATIONS:
        col = _column(location)
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
