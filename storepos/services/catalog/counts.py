"""Stock counts (盘点): the counted quantity replaces the book stock through a "count" move; a
difference above the store's count_approval_threshold needs a manager (or a manager's approval)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storepos.db import transactional
from storepos.i18n import pick, t
from storepos.models import Approval
from storepos.services.catalog.ledger import apply_move, product_of
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError
from storepos.services.core.numbers import parse_whole
from storepos.services.core.permissions import require
from storepos.services.core.store import get_store, settings_of


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
    """What recording *counted* would do: the difference and whether a manager must approve.

    Raises PermissionDenied, DomainError (field "counted") and NotFound."""
    require(actor, "stock.count")
    n = _parse_count(counted)
    p = product_of(actor, product_id)
    diff = n - p.stock
    limit = settings_of(get_store(actor.store_id)).count_approval_threshold
    return CountCheck(p.id, p.sku, pick(p.name_zh, p.name_en), p.stock, n, diff,
                      abs(diff) > limit and not actor.is_manager)


def _approves(actor: Actor, approval_id: int | None, product_id: int, counted: int) -> bool:
    """Whether *approval_id* is a manager's stock_count approval for this product and this count."""
    if approval_id is None:
        return False
    a = Approval.get_or_none(Approval.id == approval_id)
    return (a is not None and a.store_id == actor.store_id and a.kind == "stock_count"
            and a.entity == "product" and a.entity_id == str(product_id)
            and int((a.detail or {}).get("counted", -1)) == counted)


@transactional
def record_count(actor: Actor, product_id: int, counted: Any, *, approval_id: int | None = None,
                 note: str = "") -> CountCheck:
    """Record a stock count: the difference to the book stock is written as a "count" move.

    When |difference| > the store's count_approval_threshold and the actor is not a manager, an
    Approval of kind "stock_count" for this product and this counted quantity is required
    (``approval_id``); without it DomainError("err.count_needs_approval", field="counted")."""
    require(actor, "stock.count")
    n = _parse_count(counted)
    p = product_of(actor, product_id, lock=True)
    diff = n - p.stock
    limit = settings_of(get_store(actor.store_id)).count_approval_threshold
    if abs(diff) > limit and not actor.is_manager and not _approves(actor, approval_id, product_id, n):
        raise DomainError("err.count_needs_approval", field="counted", diff=diff, limit=limit)
    move_id = None
    if diff:
        res = apply_move(actor, product_id, diff, "count", t("stock.ref_count"), note=note)
        move_id = res.moves[0]
    audit.record(actor, "stock.count", "product", product_id, before={"stock": p.stock},
                 after={"stock": n, "diff": diff, "approval": approval_id, "move": move_id, "note": note})
    return CountCheck(p.id, p.sku, pick(p.name_zh, p.name_en), p.stock, n, diff, False)
