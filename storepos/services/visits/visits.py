"""The visit record: finding one, starting one, attaching its customer, discarding an empty one."""

from __future__ import annotations

from typing import Any

from storepos import clock
from storepos.db import transactional
from storepos.models import Visit, VisitProduct
from storepos.services import customers
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound
from storepos.services.core.store import business_date, get_store


def get(store_id: int, visit_id: int) -> Visit:
    """The visit *visit_id* of the store.  Raises NotFound("err.visit_not_found")."""
    v = Visit.get_or_none(Visit.id == visit_id, Visit.store == store_id)
    if v is None:
        raise NotFound("err.visit_not_found")
    return v


def open_visit(actor: Actor, visit_id: int) -> Visit:
    """The visit, which must still be open: raises NotFound, or DomainError("err.visit_closed")."""
    v = get(actor.store_id, visit_id)
    if v.status != "open":
        raise DomainError("err.visit_closed")
    return v


def view(v: Visit) -> dict[str, Any]:
    """What the audit log keeps of a visit (before and after a change)."""
    return {"staff": v.staff_id, "customer": v.customer_id, "signal": v.signal, "greeting": v.greeting,
            "needs": v.needs, "budget": v.budget, "outcome": v.outcome, "leave_reason": v.leave_reason,
            "come_back_date": v.come_back_date.isoformat() if v.come_back_date else None,
            "step": v.step, "done": v.done, "skipped": v.skipped, "status": v.status}


def touch(v: Visit, **changes: Any) -> Visit:
    """Write *changes* to the visit and stamp it as updated now (close of day ends an unfinished
    visit at this time); returns the visit as stored."""
    changes["updated_at"] = clock.now()
    Visit.update(**changes).where(Visit.id == v.id).execute()
    return Visit.get_by_id(v.id)


@transactional
def start(actor: Actor, *, customer_id: int | None = None) -> Visit:
    """A new visit by *actor*, starting now.  Raises NotFound for a customer of another store."""
    store = get_store(actor.store_id)
    if customer_id is not None:
        customers.get(actor.store_id, customer_id)
    now = clock.now()
    v = Visit.create(store=store.id, staff=actor.staff_id, customer=customer_id, started_at=now,
                     business_date=business_date(store), updated_at=now)
    audit.record(actor, "visit.start", "visit", v.id, after=view(v))
    return v


@transactional
def attach_customer(actor: Actor, visit_id: int, customer_id: int | None) -> Visit:
    """Attach (or with None detach) a customer; allowed on a closed visit too.  Raises NotFound."""
    v = get(actor.store_id, visit_id)
    if customer_id is not None:
        customers.get(actor.store_id, customer_id)
    before = v.customer_id
    v = touch(v, customer=customer_id)
    audit.record(actor, "visit.customer", "visit", v.id, before={"customer": before}, after={"customer": customer_id})
    return v


@transactional
def discard_if_empty(actor: Actor, visit_id: int) -> bool:
    """Remove a visit opened by mistake: nothing recorded on it at all.  True when removed."""
    v = get(actor.store_id, visit_id)
    empty = (v.status == "open" and not v.signal and not v.greeting and not v.needs and v.budget is None
             and not v.done and not v.skipped and v.customer_id is None
             and not VisitProduct.select().where(VisitProduct.visit == v.id).exists())
    if empty:
        Visit.delete().where(Visit.id == v.id).execute()
        audit.record(actor, "visit.discard", "visit", v.id, before=view(v))
    return empty
