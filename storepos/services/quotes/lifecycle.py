"""A quote's status: draft → given → accepted (→ converted at checkout), or it ends expired or
cancelled; and the list of quotes still open."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee

from storepos import clock
from storepos.db import database, transactional
from storepos.i18n import t
from storepos.models import Customer, Quote, QuoteRevision, Staff, Store
from storepos.models.quote import OPEN_STATUSES
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError
from storepos.services.core.permissions import require
from storepos.services.core.store import business_date, get_store
from storepos.services.quotes.authority import violations
from storepos.services.quotes.reading import audit_view, get, lines_of, today_of
from storepos.services.quotes.revisions import snapshot_line


@transactional
def give(actor: Actor, quote_id: int) -> Quote:
    """Hand the quote to the customer: revision n is kept as given.

    Raises DomainError when it has no lines, its validity has passed, or something on it is
    beyond the actor's authority / below floor without a manager's approval."""
    require(actor, "quote.use")
    quote = get(actor, quote_id)
    if quote.status != "draft":
        raise DomainError("err.quote_bad_transition", status=t(f"quote.status.{quote.status}"),
                          to=t("quote.status.given"))
    rows = lines_of(quote.id)
    if not rows:
        raise DomainError("err.quote_empty")
    today = today_of(actor.store_id)
    if quote.valid_until < today:
        raise DomainError("err.quote_validity_past", field="valid_until")
    problems = violations(quote.id, actor.discount_authority)
    if problems:
        raise DomainError("err.quote_needs_approval", count=len(problems))
    now = clock.now()
    QuoteRevision.delete().where(QuoteRevision.quote == quote.id,
                                 QuoteRevision.revision == quote.revision).execute()
    QuoteRevision.create(quote=quote.id, revision=quote.revision, lines=[snapshot_line(r) for r in rows],
                         discount=quote.discount, subtotal=quote.subtotal, total=quote.total,
                         valid_until=quote.valid_until, notes=quote.notes, at=now, by=actor.staff_id)
    before = audit_view(quote)
    quote.status = "given"
    quote.given_at = now
    quote.updated_at = now
    quote.save()
    audit.record(actor, "quote.give", "quote", quote.id, before=before, after=audit_view(quote))
    return quote


@transactional
def accept(actor: Actor, quote_id: int) -> Quote:
    """The customer accepts the given quote.  Raises DomainError unless it is given and still valid."""
    require(actor, "quote.use")
    quote = get(actor, quote_id)
    if quote.status != "given":
        raise DomainError("err.quote_bad_transition", status=t(f"quote.status.{quote.status}"),
                          to=t("quote.status.accepted"))
    if quote.valid_until < today_of(actor.store_id):
        raise DomainError("err.quote_expired", number=quote.number)
    before = audit_view(quote)
    quote.status = "accepted"
    quote.accepted_at = quote.updated_at = clock.now()
    quote.save()
    audit.record(actor, "quote.accept", "quote", quote.id, before=before, after=audit_view(quote))
    return quote


@transactional
def cancel(actor: Actor, quote_id: int, reason: str = "") -> Quote:
    """Cancel an open quote (draft, given or accepted).  Raises DomainError for a closed one."""
    require(actor, "quote.use")
    quote = get(actor, quote_id)
    if quote.status not in OPEN_STATUSES:
        raise DomainError("err.quote_bad_transition", status=t(f"quote.status.{quote.status}"),
                          to=t("quote.status.cancelled"))
    before = audit_view(quote)
    quote.status = "cancelled"
    quote.closed_at = quote.updated_at = clock.now()
    quote.save()
    audit.record(actor, "quote.cancel", "quote", quote.id, before=before,
                 after=audit_view(quote) | {"reason": (reason or "").strip()[:500]})
    return quote


@transactional
def expire_due(store_id: int, today: dt.date) -> int:
    """Turn the store's open quotes whose validity ended before *today* into expired.  Returns
    how many.  One indexed query (store, status, valid_until) when there is nothing to do."""
    due = list(Quote.select(Quote.id, Quote.number, Quote.status, Quote.valid_until)
               .where(Quote.store == store_id, Quote.status.in_(OPEN_STATUSES), Quote.valid_until < today))
    if not due:
        return 0
    now = clock.now()
    for q in due:
        changed = (Quote.update(status="expired", closed_at=now, updated_at=now)
                   .where(Quote.id == q.id, Quote.status == q.status).execute())
        if changed:
            audit.record(None, "quote.expire", "quote", q.id, before={"status": q.status},
                         after={"status": "expired", "valid_until": str(q.valid_until)}, store_id=store_id)
    return len(due)


_last_checked: dict[tuple[int, int], dt.date] = {}  # (database, store) -> day checked


def expire_if_new_day(store: Store | int) -> int:
    """expire_due once per business day and store (at start, then when the date changes)."""
    store = get_store(store) if isinstance(store, int) else store
    today = business_date(store)
    key = (id(database.obj), store.id)
    if _last_checked.get(key) == today:
        return 0
    count = expire_due(store.id, today)
    _last_checked[key] = today
    return count


@dataclass(frozen=True)
class OpenQuote:
    id: int
    number: str
    status: str
    customer: str
    staff: str
    total: int
    valid_until: dt.date
    days_left: int
    revision: int


def given_counts(store_id: int, near_days: int) -> tuple[int, int]:
    """(given quotes still valid, those within *near_days* of their last day), counted by the
    database in one indexed query (store, status, valid_until), however many there are."""
    today = today_of(store_id)
    near_until = today + dt.timedelta(days=near_days)
    row = (Quote.select(peewee.fn.COUNT(Quote.id),
                        peewee.fn.SUM(peewee.Case(None, [(Quote.valid_until <= near_until, 1)], 0)))
           .where(Quote.store == store_id, Quote.status == "given", Quote.valid_until >= today).tuples().first())
    return int(row[0] or 0), int(row[1] or 0)


def open_quotes(store_id: int, *, staff_id: int | None = None, statuses: tuple[str, ...] = OPEN_STATUSES,
                limit: int = 200) -> list[OpenQuote]:
    """Open quotes, soonest expiry first (given, not yet accepted: the ones to chase)."""
    today = today_of(store_id)
    q = Quote.select().where(Quote.store == store_id, Quote.status.in_(statuses), Quote.valid_until >= today)
    if staff_id is not None:
        q = q.where(Quote.staff == staff_id)
    rows = list(q.order_by(Quote.valid_until, Quote.number).limit(limit))
    cust_ids = {r.customer_id for r in rows if r.customer_id}
    names = {c.id: c.name for c in Customer.select(Customer.id, Customer.name).where(Customer.id.in_(cust_ids))} \
        if cust_ids else {}
    staff = {s.id: s.name for s in Staff.select(Staff.id, Staff.name).where(
        Staff.id.in_({r.staff_id for r in rows}))} if rows else {}
    out = []
    for row in rows:
        cust = names.get(row.customer_id, "") if row.customer_id else t("quote.walk_in")
        out.append(OpenQuote(row.id, row.number, row.status, cust, staff.get(row.staff_id, ""), row.total,
                             row.valid_until, (row.valid_until - today).days, row.revision))
    return out
