"""How well a store keeps its opening checklist: over a span of business days, the share of days
submitted, submitted on time and approved first time, and the items most often marked problem."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import peewee

from storepos import clock
from storepos.i18n import pick
from storepos.models import ChecklistEntry, ChecklistItem, ChecklistRun
from storepos.services.core.context import Actor
from storepos.services.core.permissions import require
from storepos.services.core.store import business_date, get_store


@dataclass
class Compliance:
    date_from: dt.date
    date_to: dt.date
    days: int
    submitted: int
    on_time: int
    approved_first_time: int
    top_problems: list[tuple[str, int]]

    @property
    def share_submitted(self) -> float:
        return self.submitted / self.days if self.days else 0.0

    @property
    def share_on_time(self) -> float:
        return self.on_time / self.days if self.days else 0.0

    @property
    def share_approved_first_time(self) -> float:
        return self.approved_first_time / self.submitted if self.submitted else 0.0


def _top_problems(runs: list[ChecklistRun], top: int) -> list[tuple[str, int]]:
    """(label, runs) of the items most often marked problem, by each run's latest answer.  An
    item is named as it reads now (as it was answered only should its row be gone)."""
    counts: Counter[int] = Counter()
    label: dict[int, str] = {}
    for r in runs:
        latest: dict[int, ChecklistEntry] = {}
        for e in ChecklistEntry.select().where(ChecklistEntry.run == r.id).order_by(ChecklistEntry.id):
            latest[e.item_id] = e
        for item_id, e in latest.items():
            if e.answer == "problem":
                counts[item_id] += 1
                label.setdefault(item_id, pick(e.text_zh, e.text_en))
    for item in ChecklistItem.select().where(ChecklistItem.id.in_(list(counts) or [0])):
        label[item.id] = pick(item.text_zh, item.text_en)
    return [(label[i], n) for i, n in counts.most_common(top)]


def compliance(store_id: int, date_from: dt.date, date_to: dt.date, *, top: int = 5) -> Compliance:
    """Shares over the business days from..to (inclusive): days with a submitted run, days submitted
    on time (before opening), and of the submitted runs those approved without being returned;
    the items most often marked problem (latest answer per run)."""
    days = max(0, (date_to - date_from).days + 1)
    runs = list(ChecklistRun.select().where(ChecklistRun.store == store_id,
                                            ChecklistRun.business_date >= date_from,
                                            ChecklistRun.business_date <= date_to))
    submitted = [r for r in runs if r.first_submitted_at is not None]
    on_time = [r for r in submitted if not r.late]
    first_time = [r for r in submitted if r.status == "approved" and r.returned_count == 0]
    return Compliance(date_from, date_to, days, len(submitted), len(on_time), len(first_time),
                      _top_problems(runs, top))


def recent_compliance(actor: Actor, days: int) -> Compliance:
    """Compliance over the last *days* business days, today included (from the store's first day
    when it is younger).  Raises PermissionDenied."""
    require(actor, "checklist.review")
    store = get_store(actor.store_id)
    today = business_date(store)
    start = today - dt.timedelta(days=days - 1)
    opened = clock.to_local(store.created_at, store.timezone).date()  # no days before the store existed
    first_run = (ChecklistRun.select(peewee.fn.MIN(ChecklistRun.business_date))
                 .where(ChecklistRun.store == store.id).scalar())
    if first_run is not None:  # history older than the store row (an import, a simulation)
        opened = min(opened, first_run if isinstance(first_run, dt.date) else dt.date.fromisoformat(str(first_run)))
    return compliance(store.id, max(start, min(opened, today)), today)
