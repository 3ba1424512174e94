"""After-sales (SOP §7–8): follow-ups made by sales, visits and quotes; the due list and contact
attempts; satisfaction surveys; service tickets.

Scheduling
- A completed sale (services.checkout.AFTER_SALE, inside the sale's transaction) schedules one
  follow-up per kind of the store's ``followup_schedule`` (days after the business date of the
  sale; 0 = none).  ``followup_category_overrides`` changes the days per product category code;
  a sale with lines in several categories takes, per kind, the earliest day any line asks for
  (a category saying 0 drops the kind only for its own lines).  A sale without a customer
  schedules nothing (there is no one to call).
- A delivery or installation date adds a ``delivery_check`` on the day after it
  (``followup_delivery_check_days``).
- :func:`sweep` (run by the home figure and the due list, cheap and idempotent) adds a
  ``come_back`` follow-up when the day a visit's customer promised to come back arrives, a
  ``quote_expiring`` one for a given quote with two days or fewer left, and cancels the open
  follow-ups of a voided sale.  A follow-up is UNIQUE on (store, kind, source), so nothing is
  ever scheduled twice, whoever runs the sweep.
- Owner: the salesperson of the sale, visit or quote.

Contact attempts: reached (done), no answer (rescheduled to a later day, tomorrow by default),
wrong number (cancelled).  ``on_time``: the first attempt was made on or before the first due date.

A survey scores every dimension of fixtures/sop/survey.toml 1–5; any score ≤ LOW_SCORE opens a
service ticket at once and tells the managers (home notice + audit).  Tickets go
open → in_progress → resolved → closed (or closed without a fix), each move and note a
TicketAction with who and when.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import peewee

from storepos import clock
from storepos.db import transactional
from storepos.i18n import t
from storepos.models import Category, Customer, Product, Quote, Sale, SaleLine, Staff, Store, Visit
from storepos.models.aftersales import (
    ACTIVE_STATUSES,
    ATTEMPT_OUTCOMES,
    FollowUp,
    FollowUpAttempt,
    ServiceTicket,
    SurveyResponse,
    TicketAction,
)
from storepos.services.core import audit, sop
from storepos.services import customers, home
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound, PermissionDenied
from storepos.services.core.permissions import can, require
from storepos.services.core.store import business_date, get_store, settings_of

LOW_SCORE = 2  # a score at or below this on any dimension opens a service ticket
COME_BACK_LOOKBACK_DAYS = 14  # the sweep still catches a come-back day missed this long ago
QUOTE_NEAR_DAYS = 2  # a given quote with this many days left (or fewer) gets a follow-up
TEXT_LIMIT = 2000

TICKET_MOVES: dict[str, tuple[str, ...]] = {
    "open": ("in_progress", "closed"),
    "in_progress": ("resolved", "closed"),
    "resolved": ("closed", "in_progress"),
    "closed": (),
}


# -- SOP data ----------------------------------------------------------------------------------

def kinds() -> tuple[sop.Entry, ...]:
    return sop.entries("followups", "kinds")


def kind_entry(code: str) -> sop.Entry | None:
    return next((e for e in kinds() if e.code == code), None)


def kind_label(code: str) -> str:
    e = kind_entry(code)
    return e.label if e else code


def channels() -> tuple[sop.Entry, ...]:
    return sop.entries("survey", "channels")


def channel_label(code: str) -> str:
    return next((e.label for e in channels() if e.code == code), code)


def dimensions() -> tuple[sop.Entry, ...]:
    return sop.entries("survey", "dimensions")


def _clean(text: str | None, field: str, *, required: bool = False) -> str:
    value = unicodedata.normalize("NFKC", text or "").strip()
    if required and not value:
        raise DomainError("err.required", field=field)
    if len(value) > TEXT_LIMIT:
        raise DomainError("err.too_long", field=field, limit=TEXT_LIMIT)
    return value


def _today(store_id: int) -> dt.date:
    return business_date(get_store(store_id))


def _local_day(at: dt.datetime, store: Store) -> dt.date:
    return clock.to_local(at, store.timezone).date()


# -- scheduling --------------------------------------------------------------------------------

def sale_schedule(store: Store, category_codes: list[str | None]) -> dict[str, int]:
    """Days after the sale per kind for a sale whose lines are in *category_codes* (None for a
    line without a category): the store's schedule, changed per category by its overrides; the
    earliest positive day per kind wins; kinds at 0 everywhere are left out."""
    policy = settings_of(store)
    base = dict(policy.followup_schedule)
    overrides = policy.followup_category_overrides
    all_kinds = set(base) | {k for o in overrides.values() for k in o}
    cats = category_codes or [None]
    out: dict[str, int] = {}
    for kind in all_kinds:
        days = [int(overrides.get(c or "", {}).get(kind, base.get(kind, 0))) for c in cats]
        positive = [d for d in days if d > 0]
        if positive:
            out[kind] = min(positive)
    order = [e.code for e in kinds()]
    return dict(sorted(out.items(), key=lambda kv: (kv[1], order.index(kv[0]) if kv[0] in order else 99)))


def _channel_of(kind: str) -> str:
    e = kind_entry(kind)
    return str(e.get("channel", "phone")) if e else "phone"


def _schedule(actor: Actor | None, store_id: int, kind: str, source: str | None, *, due: dt.date, owner: int,
              customer: int | None = None, sale: int | None = None, visit_id: int | None = None,
              quote_id: int | None = None, note: str = "", channel: str | None = None) -> FollowUp | None:
    """Create one follow-up unless (store, kind, source) exists already.  The new row, or None."""
    if source is not None and FollowUp.select().where(FollowUp.store == store_id, FollowUp.kind == kind,
                                                      FollowUp.source == source).exists():
        return None
    now = clock.now()
    row: dict[str, Any] = {
        "store": store_id, "customer": customer, "sale": sale, "visit_id": visit_id, "quote_id": quote_id,
        "source": source, "kind": kind, "channel": channel or _channel_of(kind), "due_date": due, "first_due": due,
        "owner": owner, "status": "open", "note": note, "created_at": now, "updated_at": now}
    if source is None:
        fu = FollowUp.create(**row)
    else:
        FollowUp.insert(**row).on_conflict_ignore().execute()  # a concurrent sweep made it: fine
        fu = FollowUp.get(FollowUp.store == store_id, FollowUp.kind == kind, FollowUp.source == source)
        if fu.created_at != now or fu.owner_id != owner:
            return None
    audit.record(actor, "followup.schedule", "followup", fu.id, store_id=store_id,
                 after={"kind": kind, "source": source, "due": str(due), "owner": owner, "customer": customer})
    return fu


def schedule_for_sale(actor: Actor, sale: Sale) -> list[FollowUp]:
    """The follow-ups a completed sale makes (called inside the sale's transaction)."""
    if sale.kind != "sale" or sale.customer_id is None:
        return []
    store = get_store(sale.store_id)
    day = _local_day(sale.created_at, store)
    cats = [code for (code,) in SaleLine.select(Category.code).join(Product, on=(SaleLine.product == Product.id))
            .join(Category, peewee.JOIN.LEFT_OUTER, on=(Product.category == Category.id))
            .where(SaleLine.sale == sale.id).tuples()]
    made = []
    src = f"sale:{sale.id}"
    for kind, days in sale_schedule(store, cats).items():
        fu = _schedule(actor, store.id, kind, src, due=day + dt.timedelta(days=days), owner=sale.staff_id,
                       customer=sale.customer_id, sale=sale.id, visit_id=sale.visit_id, quote_id=sale.quote_id)
        if fu:
            made.append(fu)
    check_days = settings_of(store).followup_delivery_check_days
    if sale.fulfilment == "deliver" and sale.delivery_date and check_days > 0:
        fu = _schedule(actor, store.id, "delivery_check", src,
                       due=sale.delivery_date + dt.timedelta(days=check_days), owner=sale.staff_id,
                       customer=sale.customer_id, sale=sale.id, visit_id=sale.visit_id, quote_id=sale.quote_id)
        if fu:
            made.append(fu)
    return made


def _sweep_work(store_id: int, today: dt.date) -> tuple[list[Visit], list[Quote], list[FollowUp]]:
    """What the sweep has to do (reads only)."""
    have_visit = FollowUp.select(FollowUp.visit_id).where(FollowUp.store == store_id, FollowUp.kind == "come_back")
    come_back = list(Visit.select().where(
        Visit.store == store_id, Visit.outcome == "come_back", Visit.sale_id.is_null(),
        Visit.come_back_date.between(today - dt.timedelta(days=COME_BACK_LOOKBACK_DAYS), today),
        Visit.id.not_in(have_visit)))
    have_quote = FollowUp.select(FollowUp.quote_id).where(FollowUp.store == store_id,
                                                          FollowUp.kind == "quote_expiring")
    expiring = list(Quote.select().where(
        Quote.store == store_id, Quote.status == "given",
        Quote.valid_until.between(today, today + dt.timedelta(days=QUOTE_NEAR_DAYS)),
        Quote.id.not_in(have_quote)))
    voided = Sale.select(Sale.id).where(Sale.store == store_id, Sale.status == "voided")
    stale = list(FollowUp.select().where(FollowUp.store == store_id, FollowUp.status.in_(ACTIVE_STATUSES),
                                         FollowUp.sale.in_(voided)))
    return come_back, expiring, stale


def sweep(store_id: int, today: dt.date | None = None) -> int:
    """Come-back days that have arrived, quotes about to expire, voided sales: make or cancel their
    follow-ups.  Idempotent; returns how many follow-ups it made or cancelled.  Three indexed reads
    when there is nothing to do (no write transaction then: the home screen calls it)."""
    today = today or _today(store_id)
    if not any(_sweep_work(store_id, today)):
        return 0
    return _sweep_tx(store_id, today)


@transactional
def _sweep_tx(store_id: int, today: dt.date) -> int:
    come_back, expiring, stale = _sweep_work(store_id, today)  # again, inside the transaction
    changed = 0
    for v in come_back:
        if _schedule(None, store_id, "come_back", f"visit:{v.id}", due=v.come_back_date, owner=v.staff_id,
                     customer=v.customer_id, visit_id=v.id):
            changed += 1
    for q in expiring:
        if _schedule(None, store_id, "quote_expiring", f"quote:{q.id}", due=today, owner=q.staff_id,
                     customer=q.customer_id, quote_id=q.id, visit_id=q.visit_id):
            changed += 1
    now = clock.now()
    for fu in stale:
        FollowUp.update(status="cancelled", done_at=now, updated_at=now).where(FollowUp.id == fu.id).execute()
        audit.record(None, "followup.cancel", "followup", fu.id, store_id=store_id,
                     before={"status": fu.status}, after={"status": "cancelled", "why": "sale_voided"})
        changed += 1
    return changed


@transactional
def create(actor: Actor, *, customer_id: int, kind: str, due: str | dt.date, channel: str | None = None,
           note: str = "", sale_id: int | None = None) -> FollowUp:
    """A follow-up made by hand (e.g. an upgrade interest to call about later), owned by *actor*."""
    require(actor, "followup.work")
    customers.get(actor.store_id, customer_id)
    if kind_entry(kind) is None:
        raise DomainError("err.not_allowed_value", field="kind")
    if channel is not None and channel not in {c.code for c in channels()}:
        raise DomainError("err.not_allowed_value", field="channel")
    day = _parse_future(due, _today(actor.store_id), allow_today=True, field="due")
    if sale_id is not None and Sale.get_or_none(Sale.id == sale_id, Sale.store == actor.store_id) is None:
        raise NotFound("err.sale_not_found", field="sale")
    fu = _schedule(actor, actor.store_id, kind, None, due=day, owner=actor.staff_id, customer=customer_id,
                   sale=sale_id, channel=channel, note=_clean(note, "note"))
    assert fu is not None
    return fu


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
    def channel_label(self) -> str:
        return channel_label(self.channel)


def get(actor: Actor, followup_id: int) -> FollowUp:
    fu = FollowUp.get_or_none(FollowUp.id == followup_id, FollowUp.store == actor.store_id)
    if fu is None:
        raise NotFound("err.followup_not_found")
    return fu


def due_list(actor: Actor, *, mine: bool = True, today: dt.date | None = None) -> list[DueItem]:
    """What is due today and overdue (still open or rescheduled), oldest first.  Staff see their
    own; a manager may see everyone's (mine=False)."""
    require(actor, "followup.work")
    today = today or _today(actor.store_id)
    sweep(actor.store_id, today)
    q = (FollowUp.select(FollowUp, Staff, Customer).join(Staff, on=(FollowUp.owner == Staff.id)).switch(FollowUp)
         .join(Customer, peewee.JOIN.LEFT_OUTER, on=(FollowUp.customer == Customer.id))
         .where(FollowUp.store == actor.store_id, FollowUp.status.in_(ACTIVE_STATUSES), FollowUp.due_date <= today))
    if mine or not can(actor, "followup.reassign"):
        q = q.where(FollowUp.owner == actor.staff_id)
    rows = list(q.order_by(FollowUp.due_date, FollowUp.id))
    from storepos.services.checkout import receipt

    sales = {s.id: s for s in Sale.select().where(Sale.id.in_({r.sale_id for r in rows if r.sale_id} or {0}))}
    out = []
    for r in rows:
        cust = r.customer if r.customer_id else None
        out.append(DueItem(r.id, r.kind, r.channel, r.status, r.due_date, (today - r.due_date).days,
                           r.customer_id, cust.name if cust else t("followup.walk_in"), cust.phone if cust else "",
                           r.owner_id, r.owner.name, r.sale_id,
                           receipt.label(sales[r.sale_id]) if r.sale_id in sales else "", r.attempts, r.note))
    return out


def counts(actor: Actor, today: dt.date | None = None) -> tuple[int, int]:
    """(due today, overdue) of *actor*'s own follow-ups."""
    today = today or _today(actor.store_id)
    base = FollowUp.select().where(FollowUp.store == actor.store_id, FollowUp.owner == actor.staff_id,
                                   FollowUp.status.in_(ACTIVE_STATUSES))
    return base.where(FollowUp.due_date == today).count(), base.where(FollowUp.due_date < today).count()


def _parse_future(value: str | dt.date | None, today: dt.date, *, field: str, allow_today: bool = False) -> dt.date:
    from storepos.services.visits import parse_day

    if isinstance(value, dt.date):
        day = value
    else:
        text = str(value or "").strip()
        if not text:
            raise DomainError("err.required", field=field)
        try:
            day = parse_day(text, today)
        except DomainError as exc:
            raise DomainError(exc.key, field=field) from None
        if day is None:
            raise DomainError("err.bad_date", field=field)
    if day < today or (day == today and not allow_today):
        raise DomainError("err.followup_date_future", field=field)
    return day


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


def _attempt(actor: Actor, fu: FollowUp, outcome: str, note: str, next_date: dt.date | None) -> FollowUp:
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
                    "on_time": _local_day(first or now, store) <= fu.first_due}
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
    day; default tomorrow); wrong_number: cancelled (fix the number on the customer's page)."""
    fu = _workable(actor, followup_id)
    if outcome not in ATTEMPT_OUTCOMES:
        raise DomainError("err.not_allowed_value", field="outcome")
    note = _clean(note, "note")
    day = None
    if outcome == "no_answer":
        today = _today(actor.store_id)
        day = _parse_future(next_date if next_date not in (None, "") else today + dt.timedelta(days=1), today,
                            field="next_date")
    return _attempt(actor, fu, outcome, note, day)


@transactional
def reassign(actor: Actor, followup_id: int, staff_code: str) -> FollowUp:
    """Give a follow-up to another salesperson (managers only)."""
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
def record_interest(actor: Actor, followup_id: int, note: str = "") -> Visit:
    """The customer is interested in an upgrade or another purchase: the follow-up is done
    (reached) and a visit with that customer starts now, for the salesperson to carry on."""
    from storepos.services import visits

    require(actor, "followup.work")
    fu = get(actor, followup_id)
    if fu.owner_id != actor.staff_id and not can(actor, "followup.reassign"):
        raise PermissionDenied("err.followup_not_yours")
    if fu.customer_id is None:
        raise DomainError("err.followup_no_customer")
    note = _clean(note, "note")
    if fu.status in ACTIVE_STATUSES:
        fu = _attempt(actor, fu, "reached", note, None)
    v = visits.start(actor, customer_id=fu.customer_id)
    FollowUp.update(interest=True, led_to_visit=v.id, updated_at=clock.now()).where(FollowUp.id == fu.id).execute()
    audit.record(actor, "followup.interest", "followup", fu.id, after={"visit": v.id, "note": note})
    return v


def attempts_of(followup_id: int) -> list[FollowUpAttempt]:
    return list(FollowUpAttempt.select().where(FollowUpAttempt.followup == followup_id)
                .order_by(FollowUpAttempt.at, FollowUpAttempt.id))


# -- surveys -----------------------------------------------------------------------------------

def check_score(code: str, value: Any) -> int:
    """A score 1–5 for dimension *code*, or DomainError beside that field."""
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
    if not text:
        raise DomainError("err.survey_score_required", field=code)
    if not text.isdigit() or not 1 <= int(text) <= 5:
        raise DomainError("err.survey_score_range", field=code)
    return int(text)


@dataclass(frozen=True)
class SurveyResult:
    survey: SurveyResponse
    ticket: ServiceTicket | None  # opened because of a low score
    low: tuple[str, ...]  # the dimension codes scored ≤ LOW_SCORE


def _sale(actor: Actor, sale_id: int) -> Sale:
    sale = Sale.get_or_none(Sale.id == sale_id, Sale.store == actor.store_id)
    if sale is None:
        raise NotFound("err.sale_not_found", field="receipt")
    return sale


@transactional
def submit_survey(actor: Actor, sale_id: int, scores: dict[str, Any], *, comment: str = "",
                  channel: str = "phone", followup_id: int | None = None) -> SurveyResult:
    """Record a satisfaction survey for a sale.  Every dimension 1–5 (DomainError beside the first
    bad one; nothing written).  The sale's open survey follow-up (or *followup_id*) is done.  A
    score ≤ LOW_SCORE on any dimension opens a service ticket and tells the managers."""
    require(actor, "followup.work")
    sale = _sale(actor, sale_id)
    if sale.kind != "sale":
        raise DomainError("err.survey_not_a_sale", field="receipt")
    clean = {d.code: check_score(d.code, scores.get(d.code)) for d in dimensions()}
    if channel not in {c.code for c in channels()}:
        raise DomainError("err.not_allowed_value", field="channel")
    comment = _clean(comment, "comment")
    fu = None
    if followup_id is not None:
        fu = get(actor, followup_id)
        if fu.sale_id not in (None, sale.id):
            raise DomainError("err.survey_other_sale")
    else:
        fu = (FollowUp.select().where(FollowUp.store == actor.store_id, FollowUp.sale == sale.id,
                                      FollowUp.kind == "survey", FollowUp.status.in_(ACTIVE_STATUSES)).first())
    values = list(clean.values())
    avg = (Decimal(sum(values) * 100) / len(values)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    survey = SurveyResponse.create(
        store=actor.store_id, sale=sale.id, customer=sale.customer_id, followup=fu.id if fu else None,
        sold_by=sale.staff_id, taken_by=actor.staff_id, channel=channel, scores=clean, lowest=min(values),
        average_x100=int(avg), comment=comment, created_at=clock.now())
    audit.record(actor, "survey.submit", "survey", survey.id,
                 after={"sale": sale.id, "scores": clean, "channel": channel, "comment": comment})
    if fu is not None and fu.status in ACTIVE_STATUSES:
        _attempt(actor, fu, "reached", t("followup.survey_taken"), None)
    low = tuple(code for code, v in clean.items() if v <= LOW_SCORE)
    ticket = None
    if low:
        labels = {d.code: d.label for d in dimensions()}
        problem = t("ticket.low_score_problem", scores="; ".join(f"{labels[c]} {clean[c]}" for c in low),
                    comment=comment or "—")
        ticket = _open_ticket(actor, problem=problem, customer_id=sale.customer_id, sale=sale,
                              source_survey=survey.id)
        audit.record(actor, "ticket.low_score", "ticket", ticket.id,
                     after={"survey": survey.id, "sale": sale.id, "low": {c: clean[c] for c in low}})
    return SurveyResult(survey, ticket, low)


def satisfaction(store_id: int, *, staff_id: int | None = None, start: dt.datetime | None = None,
                 end: dt.datetime | None = None) -> tuple[int, Decimal | None]:
    """(surveys, mean of the surveys' averages 1–5) — for performance reports; by seller."""
    q = SurveyResponse.select(SurveyResponse.average_x100).where(SurveyResponse.store == store_id)
    if staff_id is not None:
        q = q.where(SurveyResponse.sold_by == staff_id)
    if start is not None:
        q = q.where(SurveyResponse.created_at >= start)
    if end is not None:
        q = q.where(SurveyResponse.created_at < end)
    vals = [a for (a,) in q.tuples()]
    if not vals:
        return 0, None
    return len(vals), (Decimal(sum(vals)) / 100 / len(vals)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# -- service tickets ---------------------------------------------------------------------------

def _open_ticket(actor: Actor, *, problem: str, customer_id: int | None, sale: Sale | None,
                 source_survey: int | None = None) -> ServiceTicket:
    now = clock.now()
    ticket = ServiceTicket.create(store=actor.store_id, customer=customer_id, sale=sale.id if sale else None,
                                  problem=problem, status="open", opened_by=actor.staff_id,
                                  assigned_to=sale.staff_id if sale else actor.staff_id,
                                  source_survey=source_survey, created_at=now, updated_at=now)
    TicketAction.create(ticket=ticket.id, at=now, staff=actor.staff_id, text=problem, status="open")
    audit.record(actor, "ticket.open", "ticket", ticket.id,
                 after={"customer": customer_id, "sale": ticket.sale_id, "problem": problem,
                        "survey": source_survey})
    return ticket


@transactional
def open_ticket(actor: Actor, *, problem: str, customer_id: int | None = None, sale_id: int | None = None,
                receipt_text: str = "", customer_text: str = "") -> ServiceTicket:
    """A service ticket for a customer (and the sale, when known: by id or receipt number).  The
    customer by id, or typed as a number / phone (*customer_text*: one match needed)."""
    require(actor, "ticket.work")
    sale = None
    if sale_id is not None:
        sale = _sale(actor, sale_id)
    elif receipt_text.strip():
        from storepos.services.checkout import find_sale

        sale = find_sale(actor, receipt_text)
    if customer_id is None and customer_text.strip():
        customer_id = resolve_customer(actor.store_id, customer_text).id
    problem = _clean(problem, "problem", required=True)
    if customer_id is not None:
        customers.get(actor.store_id, customer_id)
    elif sale is not None:
        customer_id = sale.customer_id
    if customer_id is None and sale is None:
        raise DomainError("err.ticket_needs_customer", field="customer")
    return _open_ticket(actor, problem=problem, customer_id=customer_id, sale=sale)


def resolve_customer(store_id: int, text: str) -> Customer:
    """The one customer *text* (number, phone or name) finds; DomainError beside "customer"."""
    found = customers.find(store_id, text.strip(), limit=5)
    exact = [c for c in found if text.strip().upper() in (c.number.upper(), c.phone)]
    if len(exact) == 1:
        return exact[0]
    if len(found) == 1:
        return found[0]
    raise DomainError("err.customer_not_unique" if found else "err.customer_not_found", field="customer")


def can_see(actor: Actor, ticket: ServiceTicket) -> bool:
    return can(actor, "ticket.all") or actor.staff_id in (ticket.opened_by_id, ticket.assigned_to_id)


def get_ticket(actor: Actor, ticket_id: int) -> ServiceTicket:
    require(actor, "ticket.work")
    ticket = ServiceTicket.get_or_none(ServiceTicket.id == ticket_id, ServiceTicket.store == actor.store_id)
    if ticket is None or not can_see(actor, ticket):
        raise NotFound("err.ticket_not_found")
    return ticket


def tickets(actor: Actor, *, include_done: bool = False, limit: int = 200) -> list[ServiceTicket]:
    """Open and in-progress tickets oldest first (then, with include_done, the others newest
    first).  Managers see all; staff the ones they opened or are assigned."""
    require(actor, "ticket.work")
    q = ServiceTicket.select().where(ServiceTicket.store == actor.store_id)
    if not can(actor, "ticket.all"):
        q = q.where((ServiceTicket.opened_by == actor.staff_id) | (ServiceTicket.assigned_to == actor.staff_id))
    active = list(q.where(ServiceTicket.status.in_(("open", "in_progress")))
                  .order_by(ServiceTicket.created_at, ServiceTicket.id).limit(limit))
    if include_done:
        active += list(q.where(ServiceTicket.status.in_(("resolved", "closed")))
                       .order_by(ServiceTicket.updated_at.desc(), ServiceTicket.id.desc()).limit(limit))
    return active


def actions_of(ticket_id: int) -> list[TicketAction]:
    return list(TicketAction.select(TicketAction, Staff).join(Staff).where(TicketAction.ticket == ticket_id)
                .order_by(TicketAction.at, TicketAction.id))


@transactional
def add_action(actor: Actor, ticket_id: int, text: str) -> TicketAction:
    """Something done about the ticket (a call, a repair sent out…), with who and when."""
    ticket = get_ticket(actor, ticket_id)
    if ticket.status == "closed":
        raise DomainError("err.ticket_closed")
    text = _clean(text, "action", required=True)
    now = clock.now()
    row = TicketAction.create(ticket=ticket.id, at=now, staff=actor.staff_id, text=text)
    ServiceTicket.update(updated_at=now).where(ServiceTicket.id == ticket.id).execute()
    audit.record(actor, "ticket.action", "ticket", ticket.id, after={"text": text})
    return row


@transactional
def move_ticket(actor: Actor, ticket_id: int, to: str, *, text: str = "") -> ServiceTicket:
    """open → in_progress → resolved → closed; open or in progress → closed (not fixed); a
    resolved ticket may go back in progress.  Resolving needs the resolution (*text*); closing
    needs it too unless the ticket was resolved."""
    ticket = get_ticket(actor, ticket_id)
    if to not in TICKET_MOVES.get(ticket.status, ()):
        raise DomainError("err.ticket_bad_move", status=t(f"ticket.status_{ticket.status}"),
                          to=t(f"ticket.status_{to}") if to in TICKET_MOVES else to)
    text = _clean(text, "resolution")
    needs_text = to == "resolved" or (to == "closed" and ticket.status != "resolved")
    if needs_text and not text:
        raise DomainError("err.ticket_resolution_required", field="resolution")
    now = clock.now()
    changes: dict[str, Any] = {"status": to, "updated_at": now}
    if to == "resolved":
        changes |= {"resolution": text, "resolved_at": now}
    elif to == "closed":
        changes |= {"closed_at": now} | ({"resolution": text} if text and needs_text else {})
    elif to == "in_progress":
        changes["resolved_at"] = None
    ServiceTicket.update(**changes).where(ServiceTicket.id == ticket.id).execute()
    TicketAction.create(ticket=ticket.id, at=now, staff=actor.staff_id, status=to,
                        text=text or t(f"ticket.status_{to}"))
    audit.record(actor, "ticket.move", "ticket", ticket.id, before={"status": ticket.status},
                 after={"status": to, "text": text})
    return ServiceTicket.get_by_id(ticket.id)


def ticket_label(ticket: ServiceTicket) -> str:
    return f"#{ticket.id}"


# -- home, notices, history, hook --------------------------------------------------------------

def home_figure(actor: Actor) -> home.Figure:
    if not can(actor, "followup.work"):
        return home.Figure("home.glance_followups", "0")
    today = _today(actor.store_id)
    sweep(actor.store_id, today)
    due, overdue = counts(actor, today)
    return home.Figure("home.glance_followups", t("followup.glance_value", due=due, overdue=overdue),
                       alert=overdue > 0)


def low_score_tickets(store_id: int) -> list[ServiceTicket]:
    """Tickets a low survey score opened that nobody has taken up yet (still open)."""
    return list(ServiceTicket.select().where(ServiceTicket.store == store_id, ServiceTicket.status == "open",
                                             ServiceTicket.source_survey.is_null(False))
                .order_by(ServiceTicket.created_at))


def home_notices(actor: Actor) -> list[str]:
    out = []
    if can(actor, "ticket.all"):
        for tk in low_score_tickets(actor.store_id):
            who = Customer.get_by_id(tk.customer_id).name if tk.customer_id else t("followup.walk_in")
            seller = Staff.get_by_id(tk.assigned_to_id).name
            out.append(t("ticket.notice_low_score", ticket=ticket_label(tk), customer=who, seller=seller))
    _due, overdue = counts(actor)
    if overdue:
        out.append(t("followup.notice_overdue", n=overdue))
    return out



def followup_history(store_id: int, customer_id: int) -> list[customers.HistoryRow]:
    rows = FollowUp.select().where(FollowUp.store == store_id, FollowUp.customer == customer_id).order_by(
        FollowUp.due_date.desc()).limit(200)
    out = []
    for fu in rows:
        text = t("followup.history_row", kind=kind_label(fu.kind), due=fu.due_date.isoformat(),
                 status=t(f"followup.status_{fu.status}"), attempts=fu.attempts)
        out.append(customers.HistoryRow(fu.done_at or fu.created_at, "followups", text, fu.id))
    return out


def survey_history(store_id: int, customer_id: int) -> list[customers.HistoryRow]:
    rows = SurveyResponse.select().where(SurveyResponse.store == store_id, SurveyResponse.customer == customer_id
                                         ).order_by(SurveyResponse.created_at.desc()).limit(100)
    return [customers.HistoryRow(s.created_at, "surveys", t(
        "survey.history_row", average=f"{Decimal(s.average_x100) / 100:.1f}", lowest=s.lowest,
        comment=s.comment or "—"), s.id) for s in rows]


def ticket_history(store_id: int, customer_id: int) -> list[customers.HistoryRow]:
    rows = ServiceTicket.select().where(ServiceTicket.store == store_id, ServiceTicket.customer == customer_id
                                        ).order_by(ServiceTicket.created_at.desc()).limit(100)
    return [customers.HistoryRow(tk.created_at, "tickets", t(
        "ticket.history_row", ticket=ticket_label(tk), status=t(f"ticket.status_{tk.status}"),
        problem=tk.problem[:60]), tk.id) for tk in rows]
