"""A session's steps: what the trainee did, each with its time and stage of the journey.

The steps are rebuilt from the trainee's audit trail in the session's window; the session's own
steps (start, end, score) are written as they happen and kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from storepos.models import AuditLog, PracticeSession, PracticeStep

STAGES = ("approach", "needs", "quote", "negotiation", "checkout", "follow_up", "session", "other")
_STAGE_OF = {
    "visit.start": "approach", "visit.signal": "approach", "visit.approach": "approach",
    "visit.greeting": "approach", "visit.skip": "approach",
    "visit.needs": "needs", "visit.product_add": "needs", "visit.product_remove": "needs",
    "visit.customer": "needs", "customer.create": "needs",
    "quote.create": "quote", "quote.line_add": "quote", "quote.give": "quote", "quote.print": "quote",
    "quote.customer": "quote", "quote.validity": "quote", "quote.notes": "quote", "visit.link_quote": "quote",
    "quote.line_change": "negotiation", "quote.line_remove": "negotiation", "quote.discount": "negotiation",
    "quote.revise": "negotiation", "quote.approval": "negotiation", "quote.accept": "negotiation",
    "visit.close": "follow_up",
}
_PREFIX_STAGE = {"approval": "negotiation", "sale": "checkout", "register": "checkout", "quote": "quote",
                 "visit": "approach", "followup": "follow_up", "survey": "follow_up", "ticket": "follow_up",
                 "practice": "session"}


_NOT_STEPS = {"staff", "terminal"}


def stage_of(action: str) -> str:
    """The stage of the journey (one of :data:`STAGES`) an audit action belongs to."""
    if action in _STAGE_OF:
        return _STAGE_OF[action]
    return _PREFIX_STAGE.get(action.split(".", 1)[0], "other")


def record_step(session_id: int, at: dt.datetime, action: str, entity: str = "", entity_id: Any = "") -> None:
    """Write one step of the session (the caller's transaction)."""
    PracticeStep.create(session=session_id, at=at, stage=stage_of(action), action=action, entity=entity,
                        entity_id=str(entity_id))


def collect_steps(session: PracticeSession, end: dt.datetime) -> None:
    """Rebuild the session's steps from the trainee's audit trail in the window (kept: the
    session's own steps)."""
    PracticeStep.delete().where(PracticeStep.session == session.id,
                                PracticeStep.stage != "session").execute()
    rows = (AuditLog.select().where(AuditLog.store == session.store_id, AuditLog.staff == session.trainee_id,
                                    AuditLog.at >= session.started_at, AuditLog.at <= end)
            .order_by(AuditLog.id))
    for r in rows:
        if r.action.split(".", 1)[0] in _NOT_STEPS:
            continue  # logging in and out is not part of the customer's journey
        record_step(session.id, r.at, r.action, r.entity, r.entity_id)
