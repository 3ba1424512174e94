"""How a visit ends: its outcome (with a leave reason or a come-back date), and reopening it while
the customer is still here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storepos import clock
from storepos.db import transactional
from storepos.models import Visit
from storepos.models.visit import VISIT_STEPS
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError
from storepos.services.core.store import business_date, get_store
from storepos.services.visits.carry import CARRY_OUTCOMES
from storepos.services.visits.codes import codes_of, leave_reasons, outcomes
from storepos.services.visits.dates import parse_day
from storepos.services.visits.visits import get, open_visit, touch, view


def close_visit(actor: Actor | None, v: Visit, *, outcome: str | None, leave_reason: str | None = None,
                come_back_date: dt.date | None = None, ended_at: dt.datetime | None = None) -> Visit:
    """Close *v* with *outcome* (None: ended without one), now or at *ended_at*.  *actor* is None
    when the system closes it (close of day)."""
    before = view(v)
    skipped = list(v.skipped)
    for step in VISIT_STEPS:
        if step == "outcome" and outcome is not None:
            continue
        if step not in v.done and step not in skipped:
            skipped.append(step)  # left empty: it counts as skipped
    v = touch(v, outcome=outcome, leave_reason=leave_reason, come_back_date=come_back_date,
              status="closed", ended_at=ended_at or clock.now(), step="outcome",
              skipped=sorted(skipped, key=VISIT_STEPS.index),
              done=sorted(set(v.done) | ({"outcome"} if outcome else set()), key=VISIT_STEPS.index))
    audit.record(actor, "visit.close", "visit", v.id, before=before, after=view(v), store_id=v.store_id)
    return v


@dataclass(frozen=True)
class OutcomeResult:
    visit: Visit
    carry_to: str | None  # "quote" | "checkout" when the outcome carries forward, else None


def _leave_reason(leave_reason: str | None) -> str:
    """The reason a customer left, checked against the list staff may choose from."""
    if not leave_reason:
        raise DomainError("err.visit_reason_required", field="leave_reason")
    if leave_reason not in codes_of(leave_reasons()):
        raise DomainError("err.not_allowed_value", field="leave_reason")
    return leave_reason


def _come_back_day(actor: Actor, come_back: str | dt.date | None) -> dt.date:
    """The day the customer said they would come back: today or later."""
    today = business_date(get_store(actor.store_id))
    if isinstance(come_back, dt.date):
        day = come_back
    else:
        if not str(come_back or "").strip():
            raise DomainError("err.visit_date_required", field="come_back_date")
        parsed = parse_day(str(come_back), today)
        if parsed is None:
            raise DomainError("err.bad_date", field="come_back_date")
        day = parsed
    if day < today:
        raise DomainError("err.visit_date_past", field="come_back_date")
    return day


@transactional
def set_outcome(actor: Actor, visit_id: int, code: str, *, leave_reason: str | None = None,
                come_back: str | dt.date | None = None) -> OutcomeResult:
    """End the visit with an outcome.  "left" needs a leave reason; "come_back" needs a date
    (today or later; typed as for parse_day).  Only an open visit takes an outcome (reopen a
    closed one first).  Raises DomainError naming the field (outcome, leave_reason,
    come_back_date)."""
    v = open_visit(actor, visit_id)
    if code not in codes_of(outcomes()):
        raise DomainError("err.visit_bad_outcome", field="outcome")
    reason = _leave_reason(leave_reason) if code == "left" else None
    day = _come_back_day(actor, come_back) if code == "come_back" else None
    v = close_visit(actor, v, outcome=code, leave_reason=reason, come_back_date=day)
    return OutcomeResult(v, CARRY_OUTCOMES.get(code))


@transactional
def reopen(actor: Actor, visit_id: int) -> Visit:
    """Reopen a closed visit of today (the customer is still here), at its outcome step.  Not once
    it led to a quote or sale, nor on a later day (the day's figures are closed): DomainError."""
    v = get(actor.store_id, visit_id)
    if v.status == "open":
        return v
    if v.quote_id or v.sale_id:
        raise DomainError("err.visit_carried_forward")
    if v.business_date != business_date(get_store(actor.store_id)):
        raise DomainError("err.visit_other_day")
    before = view(v)
    done = [s for s in v.done if s != "outcome"]
    # "skipped" only keeps what was skipped on purpose before; the empty steps are open again.
    v = touch(v, status="open", outcome=None, leave_reason=None, come_back_date=None, ended_at=None,
              step="outcome", done=done, skipped=[s for s in v.skipped if s != "outcome"])
    audit.record(actor, "visit.reopen", "visit", v.id, before=before, after=view(v))
    return v
