"""Today's visits: the list on the visits screen, the one to continue, the day's counts, and the
one-line summary lists and histories show."""

from __future__ import annotations

import datetime as dt

import peewee

from storepos.i18n import t
from storepos.models import Customer, Staff, Visit
from storepos.money import fmt
from storepos.services.core.context import Actor
from storepos.services.core.store import business_date, get_store
from storepos.services.visits.codes import label


def today_visits(actor: Actor, *, mine: bool = True, day: dt.date | None = None) -> list[Visit]:
    """The visits of the business day (today unless *day*), the actor's own unless not *mine*;
    newest first, with their staff and customer loaded."""
    day = day or business_date(get_store(actor.store_id))
    q = (Visit.select(Visit, Staff, Customer).join(Staff).switch(Visit)
         .join(Customer, peewee.JOIN.LEFT_OUTER).where(Visit.store == actor.store_id, Visit.business_date == day))
    if mine:
        q = q.where(Visit.staff == actor.staff_id)
    return list(q.order_by(Visit.started_at.desc(), Visit.id.desc()))


def latest_open(actor: Actor) -> Visit | None:
    """The actor's open visit of today touched last (the one to continue), or None."""
    day = business_date(get_store(actor.store_id))
    return (Visit.select().where(Visit.store == actor.store_id, Visit.staff == actor.staff_id,
                                 Visit.business_date == day, Visit.status == "open")
            .order_by(Visit.updated_at.desc(), Visit.id.desc()).first())


def counts_today(actor: Actor) -> tuple[int, int]:
    """(the actor's visits today, the store's visits today)."""
    day = business_date(get_store(actor.store_id))
    base = Visit.select().where(Visit.store == actor.store_id, Visit.business_date == day)
    return base.where(Visit.staff == actor.staff_id).count(), base.count()


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
