"""Batches: stock that came in with a code or an expiry date, sold first-expiry-first (FIFO),
and the list of what has expired or soon will.

A move through the ledger (ledger.apply_move) asks :func:`batch_slices` which batches it
changes; one StockMove row is then written per slice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from storepos.i18n import pick
from storepos.models import Batch, Product
from storepos.services.core.errors import DomainError
from storepos.services.core.store import business_date, get_store, settings_of

Slice = tuple[Batch | None, int]  # (the batch, or None for stock without one; signed qty)


def batch_order() -> tuple:
    """The order sales take batches in: earliest expiry first, then oldest receipt."""
    # Batches without an expiry come after the dated ones.
    return (Batch.expiry.is_null(), Batch.expiry, Batch.received_at, Batch.id)


def batch_slices(store_id: int, product_id: int, delta: int, reason: str, *, location: str,
                 batch: str | None, expiry: dt.date | None, now: dt.datetime) -> list[Slice]:
    """Change the batches a move of *delta* touches and say how much each one took or got.

    Only the main location has batches.  With a batch code (or, for stock coming in, an expiry
    date, which names the batch EXP<date>) the move goes into or out of that batch; stock going
    out without one is taken first-expiry-first, what the batches do not cover from stock that
    came without a batch.  Raises DomainError("err.batch_unknown") / ("err.batch_short")."""
    code = (batch or "").strip() or None
    if location == "main" and code is None and expiry is not None and delta > 0:
        code = f"EXP{expiry:%Y%m%d}"
    if location == "main" and code is not None:
        if delta > 0:
            return [(_into_batch(store_id, product_id, code, delta, reason, expiry, now), delta)]
        return [(_out_of_batch(product_id, code, delta), delta)]
    if location == "main" and delta < 0:
        return _first_expiry_first(product_id, -delta)
    return [(None, delta)]


def _into_batch(store_id: int, product_id: int, code: str, delta: int, reason: str, expiry: dt.date | None,
                now: dt.datetime) -> Batch:
    b = Batch.get_or_none(Batch.product == product_id, Batch.code == code)
    if b is None:
        return Batch.create(store=store_id, product=product_id, code=code, expiry=expiry,
                            received_at=now, qty_received=delta, qty_left=delta)
    upd: dict[Any, Any] = {Batch.qty_left: Batch.qty_left + delta}
    if reason == "receive":
        upd[Batch.qty_received] = Batch.qty_received + delta
    if expiry is not None and b.expiry is None:
        upd[Batch.expiry] = expiry
    Batch.update(upd).where(Batch.id == b.id).execute()
    return b


def _out_of_batch(product_id: int, code: str, delta: int) -> Batch:
    b = Batch.get_or_none(Batch.product == product_id, Batch.code == code)
    if b is None:
        raise DomainError("err.batch_unknown", field="batch", code=code)
    # Guarded like the product's quantity: a batch never goes below zero.
    n = Batch.update(qty_left=Batch.qty_left + delta).where(
        Batch.id == b.id, Batch.qty_left + delta >= 0).execute()
    if n == 0:
        raise DomainError("err.batch_short", field="qty", code=code, available=b.qty_left,
                          short=-(b.qty_left + delta))
    return b


def _first_expiry_first(product_id: int, need: int) -> list[Slice]:
    slices: list[Slice] = []
    for b in (Batch.select(Batch.id, Batch.code, Batch.qty_left)
              .where(Batch.product == product_id, Batch.qty_left > 0)
              .order_by(*batch_order())):
        if need <= 0:
            break
        take = min(need, b.qty_left)
        Batch.update(qty_left=Batch.qty_left - take).where(Batch.id == b.id).execute()
        slices.append((b, -take))
        need -= take
    if need > 0:
        slices.append((None, -need))
    return slices


def batches_of(product_id: int) -> list[Batch]:
    """The product's batches with stock left, in the order sales take them."""
    return list(Batch.select().where(Batch.product == product_id, Batch.qty_left > 0).order_by(*batch_order()))


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
