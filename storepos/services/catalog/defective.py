"""Defective stock (不合格品库): sellable units moved aside (damaged, faulty, returned broken),
and written off from there (scrapped or sent back to the supplier)."""

from __future__ import annotations

from typing import Any

from storepos.db import transactional
from storepos.i18n import t
from storepos.services.catalog.ledger import MoveResult, apply_move, product_of, stated_reason
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.numbers import parse_whole
from storepos.services.core.permissions import require


def _parse_qty(value: Any) -> int:
    return parse_whole(value, field="qty", minimum=1)


@transactional
def move_to_defective(actor: Actor, product_id: int, qty: Any, reason: str, *,
                      batch: str | None = None) -> MoveResult:
    """Move sellable units to the defective location (damaged, faulty, returned broken).
    Returns the defective location's move (its ``stock`` is the new defective quantity).

    Raises PermissionDenied, DomainError (qty, reason, err.stock_short) and NotFound."""
    require(actor, "stock.defective")
    n = _parse_qty(qty)
    why = stated_reason(reason)
    p = product_of(actor, product_id)
    out = apply_move(actor, product_id, -n, "defective", t("stock.ref_defective"), batch=batch, note=why)
    res = apply_move(actor, product_id, n, "defective", t("stock.ref_defective"), location="defective",
                     note=why)
    audit.record(actor, "stock.defective", "product", product_id,
                 before={"stock": p.stock, "defective": p.defective},
                 after={"stock": out.stock, "defective": res.stock, "qty": n, "reason": why})
    return res


@transactional
def dispose_defective(actor: Actor, product_id: int, qty: Any, reason: str) -> MoveResult:
    """Write defective units off (scrapped or sent back to the supplier): manager.

    Raises PermissionDenied, DomainError (qty, reason, err.stock_short) and NotFound."""
    require(actor, "stock.adjust")
    n = _parse_qty(qty)
    why = stated_reason(reason)
    p = product_of(actor, product_id)
    res = apply_move(actor, product_id, -n, "adjustment", t("stock.ref_dispose"), location="defective",
                     note=why)
    audit.record(actor, "stock.dispose_defective", "product", product_id, before={"defective": p.defective},
                 after={"defective": res.stock, "qty": n, "reason": why})
    return res
