"""Walking a visit's steps: signal -> greeting -> needs -> outcome, skipping one, going back.

Moving on marks a step done (or skipped) and remembers where the visit stands, so an unfinished
visit reopens where it stopped.  The approach time is set by the first sign that the salesperson
has stepped up to the customer (see the package docstring).
"""

from __future__ import annotations

from typing import Any

from storepos import clock
from storepos.db import transactional
from storepos.models import Visit
from storepos.models.visit import VISIT_STEPS
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError
from storepos.services.visits.codes import codes_of, greeting_standards, signals
from storepos.services.visits.ending import close_visit
from storepos.services.visits.visits import open_visit, touch


def mark_step(v: Visit, step: str, *, done: bool) -> dict[str, Any]:
    """Changes that record *step* as done (or skipped)."""
    d = [s for s in v.done if s != step]
    sk = [s for s in v.skipped if s != step]
    (d if done else sk).append(step)
    return {"done": sorted(d, key=VISIT_STEPS.index), "skipped": sorted(sk, key=VISIT_STEPS.index)}


def next_step(step: str) -> str:
    """The step after *step* (the outcome is the last)."""
    i = VISIT_STEPS.index(step)
    return VISIT_STEPS[i + 1] if i + 1 < len(VISIT_STEPS) else step


@transactional
def set_signal(actor: Actor, visit_id: int, code: str) -> Visit:
    """The signal that prompted the approach (seen now); moves on to the greeting.  Raises
    DomainError(field="signal") for an unknown code."""
    v = open_visit(actor, visit_id)
    if code not in codes_of(signals()):
        raise DomainError("err.visit_bad_signal", field="signal")
    now = clock.now()
    changes: dict[str, Any] = ({"signal": code, "signal_seen_at": v.signal_seen_at or now, "step": "greeting"}
                               | mark_step(v, "signal", done=True))
    if code == "asked_first" and v.approached_at is None:
        changes["approached_at"] = now  # the customer came to us
    v = touch(v, **changes)
    audit.record(actor, "visit.signal", "visit", v.id, after={"signal": code})
    return v


@transactional
def mark_approached(actor: Actor, visit_id: int) -> Visit:
    """The salesperson steps up to the customer now (once; later calls keep the first time)."""
    v = open_visit(actor, visit_id)
    if v.approached_at is None:
        v = touch(v, approached_at=clock.now())
        audit.record(actor, "visit.approach", "visit", v.id, after={"approached_at": str(v.approached_at)})
    return v


@transactional
def toggle_greeting(actor: Actor, visit_id: int, code: str) -> Visit:
    """Tick or untick one greeting standard.  Raises DomainError(field="greeting") for an unknown
    code."""
    v = open_visit(actor, visit_id)
    if code not in codes_of(greeting_standards()):
        raise DomainError("err.visit_bad_greeting", field="greeting")
    met = list(v.greeting or [])
    met = [c for c in met if c != code] if code in met else met + [code]
    order = [e.code for e in greeting_standards()]
    met.sort(key=order.index)
    changes: dict[str, Any] = {"greeting": met}
    if v.approached_at is None:
        changes["approached_at"] = clock.now()  # greeting means they have approached
    v = touch(v, **changes)
    audit.record(actor, "visit.greeting", "visit", v.id, after={"greeting": met})
    return v


@transactional
def meet_all_greetings(actor: Actor, visit_id: int) -> Visit:
    """Every greeting standard met (one key when all were: not one per standard)."""
    v = open_visit(actor, visit_id)
    met = [e.code for e in greeting_standards()]
    changes: dict[str, Any] = {"greeting": met}
    if v.approached_at is None:
        changes["approached_at"] = clock.now()
    v = touch(v, **changes)
    audit.record(actor, "visit.greeting", "visit", v.id, after={"greeting": met})
    return v


@transactional
def complete_step(actor: Actor, visit_id: int, step: str) -> Visit:
    """Move on from *step*: the greeting counts as done as ticked (and sets the approach time);
    the signal only when one was chosen (else it stays open, and counts as skipped at the end).
    Raises DomainError("err.visit_bad_step") for the outcome (it ends the visit) or an unknown step."""
    v = open_visit(actor, visit_id)
    if step not in VISIT_STEPS[:-1]:
        raise DomainError("err.visit_bad_step")
    changes: dict[str, Any] = {"step": next_step(step)}
    if step == "greeting" and v.approached_at is None:
        changes["approached_at"] = clock.now()
    if step == "greeting" or (step == "signal" and v.signal):
        changes |= mark_step(v, step, done=True)
    v = touch(v, **changes)
    return v


@transactional
def skip(actor: Actor, visit_id: int, step: str) -> Visit:
    """Skip *step*: recorded in the visit's skipped list.  Skipping the outcome ends the visit
    without one.  Raises DomainError("err.visit_bad_step") for an unknown step."""
    v = open_visit(actor, visit_id)
    if step not in VISIT_STEPS:
        raise DomainError("err.visit_bad_step")
    changes = mark_step(v, step, done=False) | {"step": next_step(step)}
    if step == "greeting" and v.approached_at is None:
        changes["approached_at"] = clock.now()
    v = touch(v, **changes)
    audit.record(actor, "visit.skip", "visit", v.id, after={"step": step})
    if step == "outcome":
        v = close_visit(actor, v, outcome=None)
    return v


@transactional
def go_to(actor: Actor, visit_id: int, step: str) -> Visit:
    """Remember where the visit stands (going back a step keeps everything recorded).  Raises
    DomainError("err.visit_bad_step") for an unknown step."""
    v = open_visit(actor, visit_id)
    if step not in VISIT_STEPS:
        raise DomainError("err.visit_bad_step")
    return touch(v, step=step) if v.step != step else v
