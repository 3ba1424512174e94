"""The manager's side of a run: approve a submitted run or return it with a comment, the queue
of runs waiting for review, and the history of past runs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

from storepos import clock
from storepos.db import transactional
from storepos.i18n import t
from storepos.models import ChecklistRun, Staff
from storepos.services.checklist.runs import get_run
from storepos.services.checklist.state import ItemState, run_state, staff_names
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, parse
from storepos.services.core.permissions import require
from storepos.services.core.store import get_store


class ReturnInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    comment: str = Field(min_length=1, max_length=500)


@transactional
def approve(actor: Actor, run_id: int, note: str = "") -> ChecklistRun:
    """A manager approves a submitted run, with an optional note (cut to 500 characters).

    Raises PermissionDenied, NotFound, DomainError when the run is not submitted."""
    require(actor, "checklist.review")
    run = get_run(actor, run_id)
    if run.status != "submitted":
        raise DomainError("err.checklist_not_submitted", status=t(f"checklist.status.{run.status}"))
    note = (note or "").strip()[:500]
    ChecklistRun.update(status="approved", reviewer=actor.staff_id, reviewed_at=clock.now(),
                        review_note=note).where(ChecklistRun.id == run.id).execute()
    audit.record(actor, "checklist.approve", "checklist_run", run.id, before={"status": run.status},
                 after={"status": "approved", "note": note})
    return ChecklistRun.get_by_id(run.id)


@transactional
def return_run(actor: Actor, run_id: int, comment: str) -> ChecklistRun:
    """Send a submitted run back to the staff with a comment (required), shown on their home.

    Raises PermissionDenied, NotFound, DomainError (no comment: field "comment"; not submitted)."""
    require(actor, "checklist.review")
    data = parse(ReturnInput, {"comment": comment or ""})
    run = get_run(actor, run_id)
    if run.status != "submitted":
        raise DomainError("err.checklist_not_submitted", status=t(f"checklist.status.{run.status}"))
    ChecklistRun.update(status="returned", reviewer=actor.staff_id, reviewed_at=clock.now(),
                        review_note=data.comment, returned_count=ChecklistRun.returned_count + 1
                        ).where(ChecklistRun.id == run.id).execute()
    audit.record(actor, "checklist.return", "checklist_run", run.id, before={"status": run.status},
                 after={"status": "returned", "comment": data.comment})
    return ChecklistRun.get_by_id(run.id)


@dataclass
class RunSummary:
    run_id: int
    business_date: dt.date
    status: str
    started_by: str
    submitted_by: str
    submitted_at_local: dt.datetime | None
    late: bool
    answered: int
    total: int
    problems: list[ItemState] = field(default_factory=list)
    returned_count: int = 0
    reviewer: str = ""
    review_note: str = ""


def _summaries(store_id: int, runs: list[ChecklistRun]) -> list[RunSummary]:
    store = get_store(store_id)
    names = staff_names({r.started_by_id for r in runs} | {r.submitted_by_id or 0 for r in runs}
                        | {r.reviewer_id or 0 for r in runs})
    out = []
    for r in runs:
        st = run_state(store_id, r)
        out.append(RunSummary(
            r.id, r.business_date, r.status, names.get(r.started_by_id, ""),
            names.get(r.submitted_by_id or 0, ""),
            clock.to_local(r.submitted_at, store.timezone) if r.submitted_at else None,
            r.late, st.answered, st.total, st.problems, r.returned_count,
            names.get(r.reviewer_id or 0, ""), r.review_note))
    return out


def review_queue(actor: Actor) -> list[RunSummary]:
    """Submitted runs waiting for a manager (today and earlier), those with problems first.

    Raises PermissionDenied."""
    require(actor, "checklist.review")
    runs = list(ChecklistRun.select().where(ChecklistRun.store == actor.store_id,
                                            ChecklistRun.status == "submitted"))
    out = _summaries(actor.store_id, runs)
    out.sort(key=lambda s: (0 if s.problems else 1, -s.business_date.toordinal()))
    return out


def history(actor: Actor, date_from: dt.date, date_to: dt.date, *, staff_code: str | None = None,
            status: str | None = None) -> list[RunSummary]:
    """Runs between two business dates (inclusive), newest first, optionally of one staff member
    (who started or submitted it) or one status.

    Raises PermissionDenied, DomainError for an unknown staff code (field "staff")."""
    require(actor, "checklist.review")
    return runs_between(actor.store_id, date_from, date_to, staff_code=staff_code, status=status)


def runs_between(store_id: int, date_from: dt.date, date_to: dt.date, *, staff_code: str | None = None,
                 status: str | None = None) -> list[RunSummary]:
    """history() without the permission check, for a store (the CLI report).

    Raises DomainError for an unknown staff code (field "staff")."""
    q = ChecklistRun.select().where(ChecklistRun.store == store_id,
                                    ChecklistRun.business_date >= date_from,
                                    ChecklistRun.business_date <= date_to)
    if status:
        q = q.where(ChecklistRun.status == status)
    if staff_code:
        staff = Staff.get_or_none(Staff.store == store_id, Staff.code == staff_code.strip())
        if staff is None:
            raise DomainError("err.no_such_staff", field="staff", code=staff_code)
        q = q.where((ChecklistRun.started_by == staff.id) | (ChecklistRun.submitted_by == staff.id))
    return _summaries(store_id, list(q.order_by(ChecklistRun.business_date.desc())))
