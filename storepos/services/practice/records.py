"""What the trainee recorded in a session's window: visits, quotes, sales and approvals.

A session owns no rows of its own in those tables: the trainee works on the real screens, and
whatever they recorded between the session's start and end belongs to it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storepos import clock
from storepos.models import Approval, PracticeSession, Quote, Sale, Visit


@dataclass(frozen=True)
class Records:
    """The trainee's records in a session's window, oldest first."""

    visits: list[Visit]
    quotes: list[Quote]
    sales: list[Sale]
    approvals: list[Approval]


def records_of(session: PracticeSession, until: dt.datetime | None = None) -> Records:
    """What the trainee recorded in the session's window [started, ended or *until*]."""
    end = session.ended_at or until or clock.now()
    start = session.started_at
    tid, sid = session.trainee_id, session.store_id
    visits_ = list(Visit.select().where(Visit.store == sid, Visit.staff == tid, Visit.started_at >= start,
                                        Visit.started_at <= end).order_by(Visit.started_at, Visit.id))
    quotes_ = list(Quote.select().where(Quote.store == sid, Quote.staff == tid, Quote.created_at >= start,
                                        Quote.created_at <= end).order_by(Quote.created_at, Quote.id))
    sales_ = list(Sale.select().where(Sale.store == sid, Sale.staff == tid, Sale.kind == "sale",
                                      Sale.created_at >= start, Sale.created_at <= end)
                  .order_by(Sale.created_at, Sale.id))
    approvals_ = list(Approval.select().where(Approval.store == sid, Approval.requested_by == tid,
                                              Approval.at >= start, Approval.at <= end).order_by(Approval.at))
    return Records(visits_, quotes_, sales_, approvals_)
