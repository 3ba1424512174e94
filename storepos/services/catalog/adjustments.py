"""Adjustments: a manager's correction of the sellable quantity, with the reason on the move."""

from __future__ import annotations

from storepos.db import transactional
from storepos.i18n import t
from storepos.services.catalog.ledger import MoveResult, apply_move, product_of, stated_reason
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError
from storepos.services.core.permissions import require


@transactional
def adjust(actor: Actor, product_id: int, delta: int, reason: str, *, batch: str | None = None) -> MoveResult:
    """A manager's correction of the sellable quantity (e.g. writing off an expired batch).

    Raises PermissionDenied, DomainError (reason; err.not_a_whole_number for a delta that is not
    a non-zero int; err.stock_short, err.batch_unknown, err.batch_short) and NotFound."""
    require(actor, "stock.adjust")
    why = stated_reason(reason)
    if not isinstance(delta, int) or isinstance(delta, bool) or delta == 0:
        raise DomainError("err.not_a_whole_number", field="qty")
    p = product_of(actor, product_id)
    res = apply_move(actor, product_id, delta, "adjustment", t("stock.ref_adjust"), batch=batch, note=why)
    audit.record(actor, "stock.adjust", "product", product_id, before={"stock": p.stock},
                 after={"stock": res.stock, "delta": delta, "batch": batch, "reason": why})
    return res
