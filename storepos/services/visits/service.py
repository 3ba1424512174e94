"""Customer visits (SOP §1-2): the approach log, greeting standard, needs, products shown, outcome.

A visit starts at the current time and walks four steps: signal -> greeting -> needs -> outcome.
Any step may be skipped; steps still empty when the visit ends count as skipped too, so the record
always says what was not done.  Codes come from fixtures/sop (approach, needs, outcomes).

Times (naive UTC): started_at (F2 pressed), signal_seen_at (the signal recorded), approached_at
(the salesperson greets the customer: the first greeting standard ticked, or the greeting step
left; "asked_first" means at once), ended_at.  Time to approach = approached_at - signal_seen_at.

For later areas:
- carry_forward(visit_id) -> dict: what a quote or checkout needs from the visit;
- link_quote / link_sale: record what the visit led to;
- come_back_due(store_id, day): visits whose customer said they would come back on *day*.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import peewee

from storepos import clock
from storepos.db import transactional
from storepos.i18n import t
from storepos.models import Customer, Product, Staff, Store, Visit, VisitProduct
from storepos.models.visit import VISIT_STEPS
from storepos.money import MoneyError, fmt, parse_amount, to_fen
from storepos.services.core import audit, sop
from storepos.services import customers
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound
from storepos.services.core.numbers import parse_whole
from storepos.services.home import Figure
from storepos.services.core.store import business_date, get_store

CLOSE_REASON = "unfinished_at_close"
CARRY_OUTCOMES = {"wants_quote": "quote", "buys_now": "checkout"}


# -- SOP data ----------------------------------------------------------------------------------

def signals() -> tuple[sop.Entry, ...]:
    return sop.entries("approach", "signals")


def greeting_standards() -> tuple[sop.Entry, ...]:
    return sop.entries("approach", "greeting")


def needs_fields() -> tuple[sop.Entry, ...]:
    return sop.entries("needs", "fields")


def outcomes() -> tuple[sop.Entry, ...]:
    return sop.entries("outcomes", "outcomes")


def leave_reasons(*, include_system: bool = False) -> tuple[sop.Entry, ...]:
    return tuple(e for e in sop.entries("outcomes", "leave_reasons") if include_system or not e.get("system"))


def _codes(entries: tuple[sop.Entry, ...]) -> set[str]:
    return {e.code for e in entries}


def label(name: str, table: str, code: str | None) -> str:
    """The current-language label of a fixture code ('' for None, the code if unknown)."""
    if not code:
        return ""
    for e in sop.entries(name, table):
        if e.code == code:
            return e.label
    return code


# -- reading -----------------------------------------------------------------------------------

def get(store_id: int, visit_id: int) -> Visit:
    v = Visit.get_or_none(Visit.id == visit_id, Visit.store == store_id)
    if v is None:
        raise NotFound("err.visit_not_found")
    return v


def _open(actor: Actor, visit_id: int) -> Visit:
    v = get(actor.store_id, visit_id)
    if v.status != "open":
        raise DomainError("err.visit_closed")
    return v


def product_ids(visit_id: int) -> list[int]:
    return [pid for (pid,) in VisitProduct.select(VisitProduct.product).where(
        VisitProduct.visit == visit_id).order_by(VisitProduct.shown_at, VisitProduct.id).tuples()]


def products_shown(visit_id: int) -> list[Product]:
    return list(Product.select().join(VisitProduct, on=(VisitProduct.product == Product.id))
                .where(VisitProduct.visit == visit_id).order_by(VisitProduct.shown_at, VisitProduct.id))


def view(v: Visit) -> dict[str, Any]:
    return {"staff": v.staff_id, "customer": v.customer_id, "signal": v.signal, "greeting": v.greeting,
            "needs": v.needs, "budget": v.budget, "outcome": v.outcome, "leave_reason": v.leave_reason,
            "come_back_date": v.come_back_date.isoformat() if v.come_back_date else None,
            "step": v.step, "done": v.done, "skipped": v.skipped, "status": v.status}


def _touch(v: Visit, **changes: Any) -> Visit:
    changes["updated_at"] = clock.now()
    Visit.update(**changes).where(Visit.id == v.id).execute()
    return Visit.get_by_id(v.id)


def _mark(v: Visit, step: str, *, done: bool) -> dict[str, Any]:
    """Changes that record *step* as done (or skipped)."""
    d = [s for s in v.done if s != step]
    sk = [s for s in v.skipped if s != step]
    (d if done else sk).append(step)
    return {"done": sorted(d, key=VISIT_STEPS.index), "skipped": sorted(sk, key=VISIT_STEPS.index)}


def _next_step(step: str) -> str:
    i = VISIT_STEPS.index(step)
    return VISIT_STEPS[i + 1] if i + 1 < len(VISIT_STEPS) else step


# -- writing -----------------------------------------------------------------------------------

@transactional
def start(actor: Actor, *, customer_id: int | None = None) -> Visit:
    """A new visit by *actor*, starting now."""
    store = get_store(actor.store_id)
    if customer_id is not None:
        customers.get(actor.store_id, customer_id)
    now = clock.now()
    v = Visit.create(store=store.id, staff=actor.staff_id, customer=customer_id, started_at=now,
                     business_date=business_date(store), updated_at=now)
    audit.record(actor, "visit.start", "visit", v.id, after=view(v))
    return v


@transactional
def set_signal(actor: Actor, visit_id: int, code: str) -> Visit:
    """The signal that prompted the approach (seen now); moves on to the greeting."""
    v = _open(actor, visit_id)
    if code not in _codes(signals()):
        raise DomainError("err.visit_bad_signal", field="signal")
    now = clock.now()
    changes: dict[str, Any] = {"signal": code, "signal_seen_at": v.signal_seen_at or now, "step": "greeting"} | _mark(v, "signal", done=True)
    if code == "asked_first" and v.approached_at is None:
        changes["approached_at"] = now  # the customer came to us
    v = _touch(v, **changes)
    audit.record(actor, "visit.signal", "visit", v.id, after={"signal": code})
    return v


@transactional
def mark_approached(actor: Actor, visit_id: int) -> Visit:
    """The salesperson steps up to the customer now (once; later calls keep the first time)."""
    v = _open(actor, visit_id)
    if v.approached_at is None:
        v = _touch(v, approached_at=clock.now())
        audit.record(actor, "visit.approach", "visit", v.id, after={"approached_at": str(v.approached_at)})
    return v


@transactional
def toggle_greeting(actor: Actor, visit_id: int, code: str) -> Visit:
    """Tick or untick one greeting standard."""
    v = _open(actor, visit_id)
    if code not in _codes(greeting_standards()):
        raise DomainError("err.visit_bad_greeting", field="greeting")
    met = list(v.greeting or [])
    met = [c for c in met if c != code] if code in met else met + [code]
    order = [e.code for e in greeting_standards()]
    met.sort(key=order.index)
    changes: dict[str, Any] = {"greeting": met}
    if v.approached_at is None:
        changes["approached_at"] = clock.now()  # greeting means they have approached
    v = _touch(v, **changes)
    audit.record(actor, "visit.greeting", "visit", v.id, after={"greeting": met})
    return v


_DATE_RES = (
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"), "ymd"),
    (re.compile(r"^(\d{1,2})[-/.月](\d{1,2})日?$"), "md"),
)


def parse_day(text: str, today: dt.date) -> dt.date | None:
    """A date typed as 2026-03-20, 2026/3/20, 2026年3月20日, 3-20 or 3月20日 (month-day: this
    year, or next year when already past), or +N (N days from today).  None when not a date."""
    s = unicodedata.normalize("NFKC", text or "").strip().replace(" ", "")
    if re.fullmatch(r"\+\d{1,3}", s):
        return today + dt.timedelta(days=int(s[1:]))
    for pattern, kind in _DATE_RES:
        m = pattern.match(s)
        if not m:
            continue
        try:
            if kind == "ymd":
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            day = dt.date(today.year, int(m[1]), int(m[2]))
            return day if day >= today else dt.date(today.year + 1, int(m[1]), int(m[2]))
        except ValueError:
            raise DomainError("err.bad_date") from None
    return None


def clean_needs(data: dict[str, Any], today: dt.date) -> tuple[dict[str, Any], int | None]:
    """Validate needs by the kinds of fixtures/sop/needs.toml: text, int, money, date.

    Returns (needs dict without budget, budget fen or None).  Empty values are left out.
    A "date" field takes a date (stored ISO) or, when it is not one, free text such as "三个月内".
    Raises DomainError(field=<field code>)."""
    fields = {e.code: e for e in needs_fields()}
    unknown = set(data) - set(fields)
    if unknown:
        raise DomainError("err.visit_bad_need", field=sorted(unknown)[0])
    out: dict[str, Any] = {}
    budget: int | None = None
    for code, entry in fields.items():
        raw = data.get(code)
        if raw is None:
            continue
        text = " ".join(unicodedata.normalize("NFKC", str(raw)).split())
        if not text:
            continue
        kind = entry.get("kind", "text")
        if len(text) > 500:
            raise DomainError("err.too_long", field=code, limit=500)
        if kind == "int":
            value: Any = parse_whole(text, field=code)
            if not 1 <= value <= 1_000_000:
                raise DomainError("err.visit_quantity_range", field=code)
        elif kind == "money":
            try:
                fen = to_fen(parse_amount(text))
            except MoneyError as exc:
                raise DomainError(exc.args[0], field=code) from None
            if code == "budget":
                budget = fen
                continue
            value = fen
        elif kind == "date":
            day = parse_day(text, today)
            if day is not None and day < today:
                raise DomainError("err.visit_date_past", field=code)
            value = day.isoformat() if day else text
        else:
            value = text
        out[code] = value
    return out, budget


def check_needs(actor: Actor, data: dict[str, Any]) -> None:
    """Check needs as typed without writing anything: DomainError(field=code) on the first bad one."""
    clean_needs(data, business_date(get_store(actor.store_id)))


@transactional
def set_needs(actor: Actor, visit_id: int, data: dict[str, Any], *, done: bool = True) -> Visit:
    """Record the needs (field code -> what was typed).  All or nothing: a bad field raises
    DomainError(field=code) and nothing is written.  done=False saves a draft."""
    v = _open(actor, visit_id)
    needs, budget = clean_needs(data, business_date(get_store(actor.store_id)))
    changes: dict[str, Any] = {"needs": needs, "budget": budget}
    if done:
        changes |= _mark(v, "needs", done=True) | {"step": "outcome"}
    before = {"needs": v.needs, "budget": v.budget}
    v = _touch(v, **changes)
    if before != {"needs": needs, "budget": budget} or done:
        audit.record(actor, "visit.needs", "visit", v.id, before=before, after={"needs": needs, "budget": budget})
    return v


@transactional
def add_product(actor: Actor, visit_id: int, product_id: int) -> bool:
    """A product shown to the customer (False when it was already on the list)."""
    v = _open(actor, visit_id)
    if not Product.select().where(Product.id == product_id, Product.store == actor.store_id).exists():
        raise NotFound("err.visit_no_product")
    if VisitProduct.select().where(VisitProduct.visit == v.id, VisitProduct.product == product_id).exists():
        return False
    VisitProduct.create(visit=v.id, product=product_id, shown_at=clock.now())
    _touch(v)
    audit.record(actor, "visit.product_add", "visit", v.id, after={"product": product_id})
    return True


@transactional
def remove_product(actor: Actor, visit_id: int, product_id: int) -> None:
    v = _open(actor, visit_id)
    n = VisitProduct.delete().where(VisitProduct.visit == v.id, VisitProduct.product == product_id).execute()
    if n:
        _touch(v)
        audit.record(actor, "visit.product_remove", "visit", v.id, before={"product": product_id})


@transactional
def complete_step(actor: Actor, visit_id: int, step: str) -> Visit:
    """Move on from *step*: the greeting counts as done as ticked (and sets the approach time);
    the signal only when one was chosen (else it stays open, and counts as skipped at the end)."""
    v = _open(actor, visit_id)
    if step not in VISIT_STEPS[:-1]:
        raise DomainError("err.visit_bad_step")
    changes: dict[str, Any] = {"step": _next_step(step)}
    if step == "greeting" and v.approached_at is None:
        changes["approached_at"] = clock.now()
    if step == "greeting" or (step == "signal" and v.signal):
        changes |= _mark(v, step, done=True)
    v = _touch(v, **changes)
    return v


@transactional
def skip(actor: Actor, visit_id: int, step: str) -> Visit:
    """Skip *step*: recorded in the visit's skipped list.  Skipping the outcome ends the visit
    without one."""
    v = _open(actor, visit_id)
    if step not in VISIT_STEPS:
        raise DomainError("err.visit_bad_step")
    changes = _mark(v, step, done=False) | {"step": _next_step(step)}
    if step == "greeting" and v.approached_at is None:
        changes["approached_at"] = clock.now()
    v = _touch(v, **changes)
    audit.record(actor, "visit.skip", "visit", v.id, after={"step": step})
    if step == "outcome":
        v = _close(actor, v, outcome=None)
    return v


@transactional
def go_to(actor: Actor, visit_id: int, step: str) -> Visit:
    """Remember where the visit stands (going back a step keeps everything recorded)."""
    v = _open(actor, visit_id)
    if step not in VISIT_STEPS:
        raise DomainError("err.visit_bad_step")
    return _touch(v, step=step) if v.step != step else v


def _close(actor: Actor | None, v: Visit, *, outcome: str | None, leave_reason: str | None = None,
           come_back_date: dt.date | None = None, ended_at: dt.datetime | None = None) -> Visit:
    before = view(v)
    skipped = list(v.skipped)
    for step in VISIT_STEPS:
        if step == "outcome" and outcome is not None:
            continue
        if step not in v.done and step not in skipped:
            skipped.append(step)  # left empty: it counts as skipped
    v = _touch(v, outcome=outcome, leave_reason=leave_reason, come_back_date=come_back_date,
               status="closed", ended_at=ended_at or clock.now(), step="outcome",
               skipped=sorted(skipped, key=VISIT_STEPS.index),
               done=sorted(set(v.done) | ({"outcome"} if outcome else set()), key=VISIT_STEPS.index))
    audit.record(actor, "visit.close", "visit", v.id, before=before, after=view(v), store_id=v.store_id)
    return v


@dataclass(frozen=True)
class OutcomeResult:
    visit: Visit
    carry_to: str | None  # "quote" | "checkout" when the outcome carries forward, else None


@transactional
def set_outcome(actor: Actor, visit_id: int, code: str, *, leave_reason: str | None = None,
                come_back: str | dt.date | None = None) -> OutcomeResult:
    """End the visit with an outcome.  "left" needs a leave reason; "come_back" needs a date
    (today or later; typed as for parse_day).  Only an open visit takes an outcome (reopen a
    closed one first)."""
    v = _open(actor, visit_id)
    if code not in _codes(outcomes()):
        raise DomainError("err.visit_bad_outcome", field="outcome")
    reason = None
    day = None
    if code == "left":
        if not leave_reason:
            raise DomainError("err.visit_reason_required", field="leave_reason")
        if leave_reason not in _codes(leave_reasons()):
            raise DomainError("err.not_allowed_value", field="leave_reason")
        reason = leave_reason
    elif code == "come_back":
        today = business_date(get_store(actor.store_id))
        if isinstance(come_back, dt.date):
            day = come_back
        else:
            if not str(come_back or "").strip():
                raise DomainError("err.visit_date_required", field="come_back_date")
            day = parse_day(str(come_back), today)
            if day is None:
                raise DomainError("err.bad_date", field="come_back_date")
        if day < today:
            raise DomainError("err.visit_date_past", field="come_back_date")
    v = _close(actor, v, outcome=code, leave_reason=reason, come_back_date=day)
    return OutcomeResult(v, CARRY_OUTCOMES.get(code))


@transactional
def reopen(actor: Actor, visit_id: int) -> Visit:
    """Reopen a closed visit of today (the customer is still here), at its outcome step.  Not once
    it led to a quote or sale, nor on a later day (the day's figures are closed)."""
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
    v = _touch(v, status="open", outcome=None, leave_reason=None, come_back_date=None, ended_at=None,
               step="outcome", done=done, skipped=[s for s in v.skipped if s != "outcome"])
    audit.record(actor, "visit.reopen", "visit", v.id, before=before, after=view(v))
    return v


@transactional
def attach_customer(actor: Actor, visit_id: int, customer_id: int | None) -> Visit:
    """Attach (or with None detach) a customer; allowed on a closed visit too."""
    v = get(actor.store_id, visit_id)
    if customer_id is not None:
        customers.get(actor.store_id, customer_id)
    before = v.customer_id
    v = _touch(v, customer=customer_id)
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


# -- carry forward (quote, checkout, follow-ups) -----------------------------------------------

def carry_forward(visit_id: int) -> dict[str, Any]:
    """What a quote or checkout takes over from a visit, without retyping:
    {"visit_id", "store_id", "staff_id", "customer_id" (or None), "needs" (field -> value, the
    budget in fen under "budget"), "budget_fen", "product_ids" (in the order shown),
    "outcome", "come_back_date"}."""
    v = Visit.get_or_none(Visit.id == visit_id)
    if v is None:
        raise NotFound("err.visit_not_found")
    needs = dict(v.needs or {})
    if v.budget is not None:
        needs["budget"] = v.budget
    return {"visit_id": v.id, "store_id": v.store_id, "staff_id": v.staff_id, "customer_id": v.customer_id,
            "needs": needs, "budget_fen": v.budget, "product_ids": product_ids(v.id), "outcome": v.outcome,
            "come_back_date": v.come_back_date}


@transactional
def link_quote(actor: Actor, visit_id: int, quote_id: int) -> None:
    v = get(actor.store_id, visit_id)
    Visit.update(quote_id=quote_id, updated_at=clock.now()).where(Visit.id == v.id).execute()
    audit.record(actor, "visit.link_quote", "visit", v.id, after={"quote_id": quote_id})


@transactional
def link_sale(actor: Actor, visit_id: int, sale_id: int) -> None:
    v = get(actor.store_id, visit_id)
    Visit.update(sale_id=sale_id, updated_at=clock.now()).where(Visit.id == v.id).execute()
    audit.record(actor, "visit.link_sale", "visit", v.id, after={"sale_id": sale_id})


def come_back_due(store_id: int, day: dt.date) -> list[Visit]:
    """Visits closed as "will come back" on *day* (for follow-ups), oldest first."""
    return list(Visit.select().where(Visit.store == store_id, Visit.come_back_date == day,
                                     Visit.outcome == "come_back").order_by(Visit.started_at))


# -- lists, end of day, figures ----------------------------------------------------------------

def today_visits(actor: Actor, *, mine: bool = True, day: dt.date | None = None) -> list[Visit]:
    day = day or business_date(get_store(actor.store_id))
    q = (Visit.select(Visit, Staff, Customer).join(Staff).switch(Visit)
         .join(Customer, peewee.JOIN.LEFT_OUTER).where(Visit.store == actor.store_id, Visit.business_date == day))
    if mine:
        q = q.where(Visit.staff == actor.staff_id)
    return list(q.order_by(Visit.started_at.desc(), Visit.id.desc()))


def latest_open(actor: Actor) -> Visit | None:
    day = business_date(get_store(actor.store_id))
    return (Visit.select().where(Visit.store == actor.store_id, Visit.staff == actor.staff_id,
                                 Visit.business_date == day, Visit.status == "open")
            .order_by(Visit.updated_at.desc(), Visit.id.desc()).first())


@transactional
def close_day(store_id: int, business_date_: dt.date) -> int:
    """End every visit still open on or before *business_date_* as "left" (reason
    "unfinished_at_close"), ended at its last activity.  Returns how many."""
    rows = list(Visit.select().where(Visit.store == store_id, Visit.status == "open",
                                     Visit.business_date <= business_date_))
    for v in rows:
        _close(None, v, outcome="left", leave_reason=CLOSE_REASON, ended_at=v.updated_at)
    return len(rows)


def close_earlier_days(store: Store) -> int:
    """At app start: close the visits left open on days before today (an indexed check)."""
    yesterday = business_date(store) - dt.timedelta(days=1)
    if not Visit.select().where(Visit.store == store.id, Visit.status == "open",
                                Visit.business_date <= yesterday).exists():
        return 0
    return close_day(store.id, yesterday)


def seconds_to_approach(v: Visit) -> int | None:
    if v.signal_seen_at is None or v.approached_at is None:
        return None
    return max(0, int((v.approached_at - v.signal_seen_at).total_seconds()))


def duration_seconds(v: Visit) -> int | None:
    if v.ended_at is None:
        return None
    return max(0, int((v.ended_at - v.started_at).total_seconds()))


@dataclass(frozen=True)
class DayTimes:
    visits: int
    approached: int  # visits with both times
    avg_seconds_to_approach: int | None
    closed: int
    avg_duration_seconds: int | None


def day_times(store_id: int, day: dt.date, *, staff_id: int | None = None) -> DayTimes:
    """Average time to approach and visit duration for one business day (reports)."""
    q = Visit.select().where(Visit.store == store_id, Visit.business_date == day)
    if staff_id is not None:
        q = q.where(Visit.staff == staff_id)
    rows = list(q)
    ta = [s for s in (seconds_to_approach(v) for v in rows) if s is not None]
    du = [s for s in (duration_seconds(v) for v in rows) if s is not None]
    return DayTimes(len(rows), len(ta), round(sum(ta) / len(ta)) if ta else None, len(du),
                    round(sum(du) / len(du)) if du else None)


def counts_today(actor: Actor) -> tuple[int, int]:
    day = business_date(get_store(actor.store_id))
    base = Visit.select().where(Visit.store == actor.store_id, Visit.business_date == day)
    return base.where(Visit.staff == actor.staff_id).count(), base.count()


def home_figure(actor: Actor) -> Figure:
    mine, total = counts_today(actor)
    return Figure("home.glance_visits", t("visit.glance_value", mine=mine, total=total))


def summary(v: Visit) -> str:
    """One line: outcome (reason/date) or step; for lists and history."""
    if v.status == "open":
        return t("visit.status_open", step=t(f"visit.step_{v.step}"))
    text = label("outcomes", "outcomes", v.outcome) if v.outcome else t("visit.no_outcome")
    if v.leave_reason:
        text += f" · {label('outcomes', 'leave_reasons', v.leave_reason)}"
    if v.come_back_date:
        text += f" · {v.come_back_date.isoformat()}"
    if v.budget is not None:
        text += f" · {t('visit.budget_short', amount=fmt(v.budget, fen=True))}"
    return text


def visit_history(store_id: int, customer_id: int) -> list[customers.HistoryRow]:
    rows = Visit.select().where(Visit.store == store_id, Visit.customer == customer_id).order_by(
        Visit.started_at.desc()).limit(200)
    return [customers.HistoryRow(v.started_at, "visits", t("visit.history_row", summary=summary(v)), v.id)
            for v in rows]
