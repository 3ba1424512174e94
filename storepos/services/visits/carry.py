"""Carrying a visit forward: what a quote or checkout takes over from it, what it led to, and the
customers due to come back (for follow-ups)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from storepos import clock
from storepos.db import transactional
from storepos.models import Visit
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import NotFound
from storepos.services.visits.products import product_ids
from storepos.services.visits.visits import get

# The outcomes that carry the visit forward, and the area they open.
CARRY_OUTCOMES = {"wants_quote": "quote", "buys_now": "checkout"}


def units_for(needs: dict[str, Any], shown: list[int] | tuple[int, ...]) -> dict[int, int]:
    """How many of each product shown the quote or cart starts with: the quantity the needs
    stated when one product was shown (the one the customer wants); 1 each when several were
    shown (alternatives: the salesperson sets the one chosen) or none was stated."""
    raw = str(needs.get("quantity") or "").strip()
    stated = int(raw) if raw.isascii() and raw.isdigit() else 0
    units = stated if len(shown) == 1 and 1 <= stated <= 9999 else 1
    return dict.fromkeys(shown, units)


def carry_forward(visit_id: int) -> dict[str, Any]:
    """What a quote or checkout takes over from a visit, without retyping:
    {"visit_id", "store_id", "staff_id", "customer_id" (or None), "needs" (field -> value, the
    budget in fen under "budget"), "budget_fen", "product_ids" (in the order shown),
    "quantities" (product id -> units, see :func:`units_for`), "outcome", "come_back_date"}.  Raises
    NotFound("err.visit_not_found")."""
    v = Visit.get_or_none(Visit.id == visit_id)
    if v is None:
        raise NotFound("err.visit_not_found")
    needs = dict(v.needs or {})
    if v.budget is not None:
        needs["budget"] = v.budget
    shown = product_ids(v.id)
    return {"visit_id": v.id, "store_id": v.store_id, "staff_id": v.staff_id, "customer_id": v.customer_id,
            "needs": needs, "budget_fen": v.budget, "product_ids": shown, "quantities": units_for(needs, shown),
            "outcome": v.outcome, "come_back_date": v.come_back_date}


@transactional
def link_quote(actor: Actor, visit_id: int, quote_id: int) -> None:
    """Record the quote the visit led to.  Raises NotFound."""
    v = get(actor.store_id, visit_id)
    Visit.update(quote_id=quote_id, updated_at=clock.now()).where(Visit.id == v.id).execute()
    audit.record(actor, "visit.link_quote", "visit", v.id, after={"quote_id": quote_id})


@transactional
def link_sale(actor: Actor, visit_id: int, sale_id: int) -> None:
    """Record the sale the visit led to.  Raises NotFound."""
    v = get(actor.store_id, visit_id)
    Visit.update(sale_id=sale_id, updated_at=clock.now()).where(Visit.id == v.id).execute()
    audit.record(actor, "visit.link_sale", "visit", v.id, after={"sale_id": sale_id})


def come_back_due(store_id: int, day: dt.date) -> list[Visit]:
    """Visits closed as "will come back" on *day* (for follow-ups), oldest first."""
    return list(Visit.select().where(Visit.store == store_id, Visit.come_back_date == day,
                                     Visit.outcome == "come_back").order_by(Visit.started_at))
