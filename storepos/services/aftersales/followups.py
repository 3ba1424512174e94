"""Working the follow-ups: the due list (or what is upcoming) and its counts, a sale's follow-ups,
moving one to another day, contact attempts, reassignment, and an interest that starts a visit.

Contact attempts: reached (done), no answer (rescheduled to a later day, tomorrow by default),
wrong number (cancelled).  ``on_time``: the first attempt was made on or before the first due date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import peewee

from storepos import clock
from storepos.db import transactional
from storepos.i18n import t
from storepos.models import Customer, Staff, Visit
from storepos.models.aftersales import ACTIVE_STATUSES, ATTEMPT_OUTCOMES, FollowUp, FollowUpAttempt
from storepos.services import checkout, visits
from storepos.services.aftersales.days import local_day, parse_future_day, store_today
from storepos.services.aftersales.inputs import clean_text
from storepos.services.aftersales.scheduling import sweep
from storepos.services.aftersales.sop_lists import channel_label, kind_label
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound, PermissionDenied
from storepos.services.core.permissions import can, require
from storepos.services.core.store import get_store

# -- the due list ------------------------------------------------------------------------------

@dataclass(frozen=True)
class DueItem:
    id: int
    kind: str
    channel: str
    status: str
    due_date: dt.date
    overdue_days: int  # 0 when due today
    customer_id: int | None
    customer: str
    phone: str
    owner_id: int
    owner: str
    sale_id: int | None
    receipt: str
    attempts: int
    note: str

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def active(self) -> bool:
        """Still to do (open or rescheduled)."""
        return self.status in ACTIVE_STATUSES

    @property
    def channel_label(self) -> str:
        return channel_label(self.channel)


def get(actor: Actor, followup_id: int) -> FollowUp:
    """Follow-up *followup_id* of the actor's store; NotFound otherwise."""
    fu = FollowUp.get_or_none(FollowUp.id == followup_id, FollowUp.store == actor.store_id)
    if fu is None:
        raise NotFound("err.followup_not_found")
    return fu


def _base(actor: Actor) -> Any:
    """The actor's store's follow-ups with their owner and customer (None for a walk-in)."""
    return (FollowUp.select(FollowUp, Staff, Customer).join(Staff, on=(FollowUp.owner == Staff.id)).switch(FollowUp)
            .join(Customer, peewee.JOIN.LEFT_OUTER, on=(FollowUp.customer == Customer.id))
            .where(FollowUp.store == actor.store_id))


def _items(rows: list[FollowUp], today: dt.date) -> list[DueItem]:
    receipts = checkout.labels_of({r.sale_id for r in rows if r.sale_id})
    out = []
    for r in rows:
        cust = r.customer if r.customer_id else None
        out.append(DueItem(r.id, r.kind, r.channel, r.status, r.due_date, (today - r.due_date).days,
                           r.customer_id, cust.name if cust else t("followup.walk_in"), cust.phone if cust else "",
                           r.owner_id, r.owner.name, r.sale_id,
                           receipts.get(r.sale_id, "") if r.sale_id else "", r.attempts, r.note))
    return out


def due_list(actor: Actor, *, mine: bool = True, today: dt.date | None = None,
             upcoming: bool = False) -> list[DueItem]:
    """What is due today and overdue (still open or rescheduled), oldest first; with *upcoming*,
    what is due after today instead, soonest first (overdue_days negative then).  Staff see their
    own; a manager may see everyone's (mine=False).  Runs the sweep first.  Raises
    PermissionDenied without followup.work."""
    require(actor, "followup.work")
    today = today or store_today(actor.store_id)
    sweep(actor.store_id, today)
    q = _base(actor).where(FollowUp.status.in_(ACTIVE_STATUSES),
                           FollowUp.due_date > today if upcoming else FollowUp.due_date <= today)
    if mine or not can(actor, "followup.reassign"):
        q = q.where(FollowUp.owner == actor.staff_id)
    return _items(list(q.order_by(FollowUp.due_date, FollowUp.id)), today)


def followups_for_sale(actor: Actor, sale_id: int, today: dt.date | None = None) -> list[DueItem]:
    """Every follow-up sale *sale_id* scheduled (whatever its status or owner), soonest due
    first: for the sale's receipt.  Nothing for another store's sale; raises nothing."""
    today = today or store_today(actor.store_id)
    q = _base(actor).where(FollowUp.sale == sale_id).order_by(FollowUp.due_date, FollowUp.id)
    return _items(list(q), today)


def followup_item(actor: Actor, followup_id: int, today: dt.date | None = None) -> DueItem:
    """Follow-up *followup_id* as a row of the due list (whatever its status or owner).  Raises
    NotFound (none in the actor's store)."""
    today = today or store_today(actor.store_id)
    rows = list(_base(actor).where(FollowUp.id == followup_id))
    if not rows:
        raise NotFound("err.followup_not_found")
    return _items(rows, today)[0]


def counts(actor: Actor, today: dt.date | None = None) -> tuple[int, int]:
    """(due today, overdue) of *actor*'s own follow-ups."""
    today = today or store_today(actor.store_id)
    base = FollowUp.select().where(FollowUp.store == actor.store_id, FollowUp.owner == actor.staff_id,
                                   FollowUp.status.in_(ACTIVE_STATUSES))
    return base.where(FollowUp.due_date == today).count(), base.where(FollowUp.due_date < today).count()


# -- contact attempts --------------------------------------------------------------------------

def _workable(actor: Actor, followup_id: int) -> FollowUp:
    require(actor, "followup.work")
    fu = get(actor, followup_id)
    if fu.owner_id != actor.staff_id and not can(actor, "followup.reassign"):
        raise PermissionDenied("err.followup_not_yours")
    if fu.status not in ACTIVE_STATUSES:
        raise DomainError("err.followup_closed", status=t(f"followup.status_{fu.status}"))
    return fu


def _view(fu: FollowUp) -> dict[str, Any]:
    return {"status": fu.status, "due": str(fu.due_date), "owner": fu.owner_id, "attempts": fu.attempts}


def write_attempt(actor: Actor, fu: FollowUp, outcome: str, note: str, next_date: dt.date | None) -> FollowUp:
    """Record one contact attempt on *fu* and move it on (rescheduled to *next_date*, done or
    cancelled); the follow-up as it is now.  No permission or input checks: the caller made them
    (record_attempt, record_interest, a survey taken)."""
    store = get_store(actor.store_id)
    now = clock.now()
    FollowUpAttempt.create(followup=fu.id, at=now, staff=actor.staff_id, outcome=outcome, note=note,
                           next_date=next_date)
    changes: dict[str, Any] = {"attempts": FollowUp.attempts + 1, "updated_at": now}
    if note:
        changes["note"] = note
    if outcome == "no_answer":
        assert next_date is not None
        changes |= {"status": "rescheduled", "due_date": next_date}
    else:
        first = FollowUpAttempt.select(peewee.fn.MIN(FollowUpAttempt.at)).where(
            FollowUpAttempt.followup == fu.id).scalar()
        changes |= {"status": "done" if outcome == "reached" else "cancelled", "done_at": now,
                    "on_time": local_day(first or now, store) <= fu.first_due}
    before = _view(fu)
    FollowUp.update(**changes).where(FollowUp.id == fu.id).execute()
    fu = FollowUp.get_by_id(fu.id)
    audit.record(actor, "followup.attempt", "followup", fu.id, before=before,
                 after=_view(fu) | {"outcome": outcome, "note": note})
    return fu


@transactional
def record_attempt(actor: Actor, followup_id: int, outcome: str, *, note: str = "",
                   next_date: str | dt.date | None = None) -> FollowUp:
    """Record one contact attempt.  reached: done; no_answer: rescheduled to *next_date* (a later
    day; default tomorrow); wrong_number: cancelled (fix the number on the customer's page).
    Raises PermissionDenied (not the actor's follow-up, unless a manager), NotFound, and
    DomainError for a closed follow-up, an unknown outcome, a bad day or a note too long."""
    fu = _workable(actor, followup_id)
    if outcome not in ATTEMPT_OUTCOMES:
        raise DomainError("err.not_allowed_value", field="outcome")
    note = clean_text(note, "note")
    day = None
    if outcome == "no_answer":
        today = store_today(actor.store_id)
        day = parse_future_day(next_date if next_date not in (None, "") else today + dt.timedelta(days=1), today,
                               field="next_date")
    return write_attempt(actor, fu, outcome, note, day)


@transactional
def reassign(actor: Actor, followup_id: int, staff_code: str) -> FollowUp:
    """Give a follow-up to another salesperson (managers only).  Raises PermissionDenied,
    NotFound (the follow-up, or no active staff with *staff_code*) and DomainError for a closed
    follow-up or an empty code."""
    require(actor, "followup.reassign")
    fu = get(actor, followup_id)
    if fu.status not in ACTIVE_STATUSES:
        raise DomainError("err.followup_closed", status=t(f"followup.status_{fu.status}"))
    code = (staff_code or "").strip()
    if not code:
        raise DomainError("err.required", field="staff")
    staff = Staff.get_or_none(Staff.store == actor.store_id, Staff.code == code, Staff.active == True)
    if staff is None:
        raise NotFound("err.followup_no_staff", field="staff", code=code)
    if staff.id == fu.owner_id:
        return fu
    before = _view(fu)
    FollowUp.update(owner=staff.id, updated_at=clock.now()).where(FollowUp.id == fu.id).execute()
    fu = FollowUp.get_by_id(fu.id)
    audit.record(actor, "followup.reassign", "followup", fu.id, before=before, after=_view(fu))
    return fu


@transactional
def reschedule(actor: Actor, followup_id: int, due: str | dt.date) -> FollowUp:
    """Move an open follow-up to another day (today or later) without a contact attempt: its
    status becomes rescheduled; the first due date (on time or late) stays.  Raises
    PermissionDenied (not the actor's follow-up, unless a manager), NotFound, and DomainError
    beside ``due`` for a day empty, unreadable or in the past, and for a closed follow-up."""
    fu = _workable(actor, followup_id)
    day = parse_future_day(due, store_today(actor.store_id), allow_today=True, field="due")
    if day == fu.due_date:
        return fu
    before = _view(fu)
    FollowUp.update(due_date=day, status="rescheduled", updated_at=clock.now()).where(FollowUp.id == fu.id).execute()
    fu = FollowUp.get_by_id(fu.id)
    audit.record(actor, "followup.reschedule", "followup", fu.id, before=before, after=_view(fu))
    return fu


@transactional
def record_interest(actor: Actor, followup_id: int, note: str = "") -> Visit:
    """The customer is interested in an upgrade or another purchase: the follow-up is done
    (reached) and a visit with that customer starts now, for the salesperson to carry on.
    Raises PermissionDenied, NotFound, and DomainError for a follow-up without a customer or a
    note too long."""
    require(actor, "followup.work")
    fu = get(actor, followup_id)
    if fu.owner_id != actor.staff_id and not can(actor, "followup.reassign"):
        raise PermissionDenied("err.followup_not_yours")
    if fu.customer_id is None:
        raise DomainError("err.followup_no_customer")
    note = clean_text(note, "note")
    if fu.status in ACTIVE_STATUSES:
        fu = write_attempt(actor, fu, "reached", note, None)
    v = visits.start(actor, customer_id=fu.customer_id)
    FollowUp.update(interest=True, led_to_visit=v.id, updated_at=clock.now()).where(FollowUp.id == fu.id).execute()
    audit.record(actor, "followup.interest", "followup", fu.id, after={"visit": v.id, "note": note})
    return v


def attempts_of(followup_id: int) -> list[FollowUpAttempt]:
    """The contact attempts of a follow-up, oldest first."""
    return list(FollowUpAttempt.select().where(FollowUpAttempt.followup == followup_id)
                .order_by(FollowUpAttempt.at, FollowUpAttempt.id))


@dataclass(frozen=True)
class Assignee:
    """A salesperson a follow-up can be given to."""

    id: int
    code: str
    name: str


def assignees(actor: Actor) -> list[Assignee]:
    """The active staff of the actor's store a manager may give a follow-up to, by code.  Raises
    PermissionDenied without followup.reassign."""
    require(actor, "followup.reassign")
    return [Assignee(i, c, n) for i, c, n in Staff.select(Staff.id, Staff.code, Staff.name)
            .where(Staff.store == actor.store_id, Staff.active == True).order_by(Staff.code).tuples()]
