"""Making follow-ups: the ones a completed sale schedules, the ones the sweep makes from visits and
quotes (or cancels for a voided sale), and one made by hand.

- A completed sale (the manifest's AFTER_SALE, inside the sale's transaction) schedules one
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
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import peewee

from storepos import clock
from storepos.db import transactional
from storepos.models import Category, Product, Quote, Sale, SaleLine, Store, Visit
from storepos.models.aftersales import ACTIVE_STATUSES, FollowUp
from storepos.services import customers
from storepos.services.aftersales.days import local_day, parse_future_day, store_today
from storepos.services.aftersales.inputs import clean_text
from storepos.services.aftersales.sop_lists import channel_of, channels, kind_entry, kinds
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound
from storepos.services.core.permissions import require
from storepos.services.core.store import get_store, settings_of

COME_BACK_LOOKBACK_DAYS = 14  # the sweep still catches a come-back day missed this long ago
QUOTE_NEAR_DAYS = 2  # a given quote with this many days left (or fewer) gets a follow-up


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


def schedule_one(actor: Actor | None, store_id: int, kind: str, source: str | None, *, due: dt.date,
                 owner: int, customer: int | None = None, sale: int | None = None, visit_id: int | None = None,
                 quote_id: int | None = None, note: str = "", channel: str | None = None) -> FollowUp | None:
    """Create one follow-up unless (store, kind, source) exists already.  The new row, or None.
    No permission or input checks: the caller made them."""
    if source is not None and FollowUp.select().where(FollowUp.store == store_id, FollowUp.kind == kind,
                                                      FollowUp.source == source).exists():
        return None
    now = clock.now()
    row: dict[str, Any] = {
        "store": store_id, "customer": customer, "sale": sale, "visit_id": visit_id, "quote_id": quote_id,
        "source": source, "kind": kind, "channel": channel or channel_of(kind), "due_date": due, "first_due": due,
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


def _category_codes(sale: Sale) -> list[str | None]:
    """The category code of each line of *sale* (None for a product without a category)."""
    return [code for (code,) in SaleLine.select(Category.code).join(Product, on=(SaleLine.product == Product.id))
            .join(Category, peewee.JOIN.LEFT_OUTER, on=(Product.category == Category.id))
            .where(SaleLine.sale == sale.id).tuples()]


def schedule_for_sale(actor: Actor, sale: Sale) -> list[FollowUp]:
    """The follow-ups a completed sale makes (called inside the sale's transaction): the store's
    schedule for the sale's categories, and a delivery check after a delivery date.  Nothing for
    a return or a sale without a customer.  Raises nothing of its own."""
    if sale.kind != "sale" or sale.customer_id is None:
        return []
    store = get_store(sale.store_id)
    day = local_day(sale.created_at, store)
    made = []
    src = f"sale:{sale.id}"
    for kind, days in sale_schedule(store, _category_codes(sale)).items():
        fu = schedule_one(actor, store.id, kind, src, due=day + dt.timedelta(days=days), owner=sale.staff_id,
                          customer=sale.customer_id, sale=sale.id, visit_id=sale.visit_id, quote_id=sale.quote_id)
        if fu:
            made.append(fu)
    check_days = settings_of(store).followup_delivery_check_days
    if sale.fulfilment == "deliver" and sale.delivery_date and check_days > 0:
        fu = schedule_one(actor, store.id, "delivery_check", src,
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
    today = today or store_today(store_id)
    if not any(_sweep_work(store_id, today)):
        return 0
    return _sweep_tx(store_id, today)


@transactional
def _sweep_tx(store_id: int, today: dt.date) -> int:
    come_back, expiring, stale = _sweep_work(store_id, today)  # again, inside the transaction
    changed = 0
    for v in come_back:
        if schedule_one(None, store_id, "come_back", f"visit:{v.id}", due=v.come_back_date, owner=v.staff_id,
                        customer=v.customer_id, visit_id=v.id):
            changed += 1
    for q in expiring:
        if schedule_one(None, store_id, "quote_expiring", f"quote:{q.id}", due=today, owner=q.staff_id,
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
    """A follow-up made by hand (e.g. an upgrade interest to call about later), owned by *actor*.
    Raises PermissionDenied without followup.work, NotFound for an unknown customer or sale, and
    DomainError for an unknown kind or channel, a day in the past or a note too long."""
    require(actor, "followup.work")
    customers.get(actor.store_id, customer_id)
    if kind_entry(kind) is None:
        raise DomainError("err.not_allowed_value", field="kind")
    if channel is not None and channel not in {c.code for c in channels()}:
        raise DomainError("err.not_allowed_value", field="channel")
    day = parse_future_day(due, store_today(actor.store_id), allow_today=True, field="due")
    if sale_id is not None and Sale.get_or_none(Sale.id == sale_id, Sale.store == actor.store_id) is None:
        raise NotFound("err.sale_not_found", field="sale")
    fu = schedule_one(actor, actor.store_id, kind, None, due=day, owner=actor.staff_id, customer=customer_id,
                      sale=sale_id, channel=channel, note=clean_text(note, "note"))
    assert fu is not None
    return fu
