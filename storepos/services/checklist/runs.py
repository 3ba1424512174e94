"""The staff's side of a run: one run per store and business day, started by the first answer,
answered item by item and submitted before the doors open (late after); a run a manager
returned is fixed and submitted again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import peewee
from pydantic import BaseModel, ConfigDict, Field

from storepos import clock
from storepos.db import database, transactional
from storepos.i18n import pick, t
from storepos.models import ChecklistEntry, ChecklistItem, ChecklistRun
from storepos.services.checklist.item_list import get_item, seed_missing
from storepos.services.checklist.state import EDITABLE, RunState, run_state
from storepos.services.checklist.window import is_late
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound, parse
from storepos.services.core.permissions import require
from storepos.services.core.store import business_date, get_store


def find_run(store_id: int, day: dt.date) -> ChecklistRun | None:
    """The store's run of business day *day*, if anyone started one."""
    return ChecklistRun.get_or_none(ChecklistRun.store == store_id, ChecklistRun.business_date == day)


def today_run(actor: Actor) -> ChecklistRun | None:
    """Today's run of the actor's store, if anyone started it.  Raises NotFound for no store."""
    store = get_store(actor.store_id)
    return find_run(store.id, business_date(store))


@transactional
def open_run(actor: Actor) -> ChecklistRun:
    """Today's run for the actor's store, started now if nobody has started it yet.

    Safe against two terminals starting it at once: the (store, business_date) key is unique, and
    the loser of the race re-reads the winner's run.  Raises PermissionDenied."""
    require(actor, "checklist.run")
    store = get_store(actor.store_id)
    day = business_date(store)
    if not ChecklistItem.select().where(ChecklistItem.store == store.id).exists():
        seed_missing(store.id)
    run = find_run(store.id, day)
    if run is not None:
        return run
    try:
        with database.obj.atomic():
            run = ChecklistRun.create(store=store.id, business_date=day, started_by=actor.staff_id,
                                      started_at=clock.now(), status="open")
    except peewee.IntegrityError:
        run = find_run(store.id, day)
        assert run is not None
        return run
    audit.record(actor, "checklist.start", "checklist_run", run.id, after={"date": day.isoformat()})
    return run


def get_run(actor: Actor, run_id: int) -> ChecklistRun:
    """One run of the actor's store.  Raises NotFound for another store's run or none."""
    run = ChecklistRun.get_or_none(ChecklistRun.id == run_id, ChecklistRun.store == actor.store_id)
    if run is None:
        raise NotFound("err.checklist_run_not_found")
    return run


def _editable_run(actor: Actor, run_id: int | None) -> ChecklistRun:
    """Today's run (started if need be) or the run *run_id*, read fresh inside the caller's
    transaction; raises DomainError when it is submitted or approved (read-only)."""
    run = open_run(actor) if run_id is None else get_run(actor, run_id)
    run = ChecklistRun.get_by_id(run.id)
    if run.status not in EDITABLE:
        raise DomainError("err.checklist_read_only", status=t(f"checklist.status.{run.status}"))
    return run


class AnswerInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    answer: Literal["ok", "problem", "na"]
    note: str = Field("", max_length=500)


@transactional
def answer(actor: Actor, item_id: int, value: str, note: str = "", *, run_id: int | None = None) -> ChecklistEntry:
    """Answer one item of today's run (or of the returned run *run_id*).

    A problem needs a note (field "note"); n/a is refused on a mandatory item (field "answer");
    a submitted or approved run is read-only.  Raises PermissionDenied, NotFound, DomainError."""
    require(actor, "checklist.run")
    data = parse(AnswerInput, {"answer": value, "note": note or ""})
    run = _editable_run(actor, run_id)
    item = get_item(actor, item_id)
    if item.retired:
        raise DomainError("err.checklist_item_retired", field="answer")
    if data.answer == "problem" and not data.note:
        raise DomainError("err.checklist_note_required", field="note")
    if data.answer == "na" and item.mandatory:
        raise DomainError("err.checklist_na_mandatory", field="answer")
    entry = ChecklistEntry.create(run=run.id, item=item.id, answer=data.answer,
                                  note=data.note,
                                  staff=actor.staff_id, at=clock.now(),
                                  text_zh=item.text_zh, text_en=item.text_en)
    audit.record(actor, "checklist.answer", "checklist_run", run.id,
                 after={"item": item.code, "answer": data.answer, "note": data.note})
    return entry


def today_state(actor: Actor) -> RunState:
    """Today's run as the screen shows it (not started when nobody has answered yet)."""
    store = get_store(actor.store_id)
    return run_state(store.id, find_run(store.id, business_date(store)))


def state_of(actor: Actor, run_id: int) -> RunState:
    """The run *run_id* as the screen shows it.  Raises NotFound."""
    return run_state(actor.store_id, get_run(actor, run_id))


def answer_history(actor: Actor, run_id: int, item_id: int | None = None) -> list[ChecklistEntry]:
    """Every answer given in a run (oldest first): who answered what, when.  Raises NotFound."""
    run = get_run(actor, run_id)
    q = ChecklistEntry.select().where(ChecklistEntry.run == run.id)
    if item_id is not None:
        q = q.where(ChecklistEntry.item == item_id)
    return list(q.order_by(ChecklistEntry.id))


@transactional
def submit(actor: Actor, run_id: int | None = None) -> ChecklistRun:
    """Submit today's run (or the returned run *run_id*): every mandatory item must be answered.
    The first submission after the store's opening time marks the run late.

    Raises PermissionDenied, NotFound, DomainError (read-only run; mandatory items unanswered,
    the first three named)."""
    require(actor, "checklist.run")
    run = _editable_run(actor, run_id)
    state = run_state(actor.store_id, run)
    if state.missing:
        raise DomainError("err.checklist_missing", count=len(state.missing),
                          items=pick("；", "; ").join(i.label for i in state.missing[:3])
                          + ("…" if len(state.missing) > 3 else ""))
    now = clock.now()
    store = get_store(actor.store_id)
    changes: dict[str, Any] = {"status": "submitted", "submitted_by": actor.staff_id, "submitted_at": now}
    if run.first_submitted_at is None:  # a resubmission after a return keeps the first verdict
        changes["first_submitted_at"] = now
        changes["late"] = is_late(store, run.business_date, now)
    ChecklistRun.update(**changes).where(ChecklistRun.id == run.id).execute()
    audit.record(actor, "checklist.submit", "checklist_run", run.id, before={"status": run.status},
                 after={"status": "submitted", "late": changes.get("late", run.late),
                        "answered": state.answered, "problems": len(state.problems)})
    return ChecklistRun.get_by_id(run.id)


def returned_runs(actor: Actor) -> list[ChecklistRun]:
    """Runs of this store sent back by a manager and not yet resubmitted (oldest first)."""
    return list(ChecklistRun.select().where(ChecklistRun.store == actor.store_id,
                                            ChecklistRun.status == "returned")
                .order_by(ChecklistRun.business_date))
