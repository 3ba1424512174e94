"""Practice sessions: the trainer starts one for a trainee, the trainee works, the trainer ends it.

The trainee works the whole journey on the real screens (visit, needs, quote, negotiation,
checkout, follow-up) while the trainer plays the customer.  Ending a session links what the
trainee recorded in its window, rebuilds the steps and scores the objective points; the trainer
then scores the rubric (``rubric.score_session``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storepos import clock
from storepos.db import transactional
from storepos.models import PracticeSession, Staff
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound
from storepos.services.core.permissions import require
from storepos.services.practice.isolation import require_practice_db
from storepos.services.practice.objective_points import objective
from storepos.services.practice.records import records_of
from storepos.services.practice.scenarios import get_scenario, scenario_title
from storepos.services.practice.steps import collect_steps, record_step


def get_session(store_id: int, session_id: int) -> PracticeSession:
    """The session *session_id* of the store.  Raises NotFound."""
    row = PracticeSession.get_or_none(PracticeSession.id == session_id, PracticeSession.store == store_id)
    if row is None:
        raise NotFound("err.practice_session_unknown")
    return row


def trainee_of(session: PracticeSession) -> Staff:
    """The staff member the session trains."""
    return Staff.get_by_id(session.trainee_id)


def trainees(store_id: int, exclude: int | None = None) -> list[Staff]:
    """The active staff who can be trained (all but *exclude*, the trainer), by code."""
    q = Staff.select().where(Staff.store == store_id, Staff.active == True)  # noqa: E712
    if exclude is not None:
        q = q.where(Staff.id != exclude)
    return list(q.order_by(Staff.code))


def running(store_id: int) -> list[PracticeSession]:
    """The store's running sessions, oldest first."""
    return list(PracticeSession.select().where(PracticeSession.store == store_id,
                                               PracticeSession.status == "running")
                .order_by(PracticeSession.started_at))


def sessions(store_id: int, *, trainee_id: int | None = None, limit: int = 200) -> list[PracticeSession]:
    """The store's (or a trainee's) sessions that were not cancelled, newest first."""
    q = PracticeSession.select().where(PracticeSession.store == store_id,
                                       PracticeSession.status != "cancelled")
    if trainee_id is not None:
        q = q.where(PracticeSession.trainee == trainee_id)
    return list(q.order_by(PracticeSession.started_at.desc(), PracticeSession.id.desc()).limit(limit))


@dataclass(frozen=True)
class SessionRow:
    """One session as the trainer's list shows it: who, which scenario, how far, the scores."""

    id: int
    started_at: dt.datetime
    trainee_id: int
    trainee_code: str
    trainee_name: str
    scenario: str
    scenario_title: str
    status: str
    objective_points: int | None
    objective_max: int | None
    rubric_total: int | None

    @property
    def objective(self) -> str:
        """"points/max" once the objective points are known, else "—"."""
        return f"{self.objective_points}/{self.objective_max}" if self.objective_max else "—"


def session_rows(store_id: int, *, trainee_id: int | None = None, limit: int = 200) -> list[SessionRow]:
    """The sessions of :func:`sessions` with the trainee's code and name and the scenario's title
    (in the current language; its code when the scenario is gone), newest first."""
    rows = sessions(store_id, trainee_id=trainee_id, limit=limit)
    ids = {r.trainee_id for r in rows}
    people = ({p.id: p for p in Staff.select(Staff.id, Staff.code, Staff.name).where(Staff.id.in_(list(ids)))}
              if ids else {})
    titles: dict[str, str] = {}
    out = []
    for r in rows:
        person = people.get(r.trainee_id)
        if r.scenario not in titles:
            titles[r.scenario] = scenario_title(store_id, r.scenario)
        out.append(SessionRow(r.id, r.started_at, r.trainee_id, person.code if person else "?",
                              person.name if person else "?", r.scenario, titles[r.scenario], r.status,
                              r.objective_points, r.objective_max, r.rubric_total))
    return out


@transactional
def start_session(actor: Actor, trainee_id: int, scenario_code: str) -> PracticeSession:
    """The trainer *actor* starts a session of *scenario_code* for *trainee_id*, now.  One running
    session per trainee (their records in the window belong to it).  Raises PermissionDenied,
    DomainError (not the practice database, unknown scenario or trainee, the trainer themselves,
    a session already running)."""
    require(actor, "practice.use")
    require_practice_db()
    if not scenario_code:
        raise DomainError("err.required", field="scenario")
    get_scenario(actor.store_id, scenario_code)
    trainee = Staff.get_or_none(Staff.id == trainee_id, Staff.store == actor.store_id, Staff.active == True)  # noqa: E712
    if trainee is None:
        raise DomainError("err.practice_trainee_unknown", field="trainee")
    if trainee.id == actor.staff_id:
        raise DomainError("err.practice_trainee_self", field="trainee")
    if PracticeSession.select().where(PracticeSession.store == actor.store_id, PracticeSession.trainee == trainee.id,
                                      PracticeSession.status == "running").exists():
        raise DomainError("err.practice_already_running", field="trainee", name=trainee.name)
    now = clock.now()
    row = PracticeSession.create(store=actor.store_id, trainer=actor.staff_id, trainee=trainee.id,
                                 scenario=scenario_code, status="running", started_at=now)
    record_step(row.id, now, "practice.start", "practice_session", row.id)
    audit.record(actor, "practice.start", "practice_session", row.id,
                 after={"trainee": trainee.code, "scenario": scenario_code})
    return row


@transactional
def refresh_steps(actor: Actor, session_id: int) -> PracticeSession:
    """Pick up what the trainee has done so far (a running session's live view).  Raises
    PermissionDenied, NotFound."""
    require(actor, "practice.use")
    s = get_session(actor.store_id, session_id)
    end = s.ended_at or clock.now()
    collect_steps(s, end)
    rec = records_of(s, end)
    PracticeSession.update(visit_ids=[v.id for v in rec.visits], quote_ids=[q.id for q in rec.quotes],
                           sale_ids=[x.id for x in rec.sales]).where(PracticeSession.id == s.id).execute()
    return PracticeSession.get_by_id(s.id)


@transactional
def end_session(actor: Actor, session_id: int) -> PracticeSession:
    """End a running session now: link the trainee's records, rebuild the steps, score the
    objective points.  Then the trainer scores the rubric (``score_session``).  Raises
    PermissionDenied, NotFound, DomainError (not the practice database, not running)."""
    require(actor, "practice.use")
    require_practice_db()
    s = get_session(actor.store_id, session_id)
    if s.status != "running":
        raise DomainError("err.practice_not_running")
    now = clock.now()
    PracticeSession.update(ended_at=now, status="ended").where(PracticeSession.id == s.id).execute()
    s = PracticeSession.get_by_id(s.id)
    collect_steps(s, now)
    rec = records_of(s)
    card = objective(s, rec)
    PracticeSession.update(visit_ids=[v.id for v in rec.visits], quote_ids=[q.id for q in rec.quotes],
                           sale_ids=[x.id for x in rec.sales], objective=[i.as_json() for i in card.items],
                           objective_points=card.points, objective_max=card.max_points
                           ).where(PracticeSession.id == s.id).execute()
    record_step(s.id, now, "practice.end", "practice_session", s.id)
    audit.record(actor, "practice.end", "practice_session", s.id,
                 after={"visits": len(rec.visits), "quotes": len(rec.quotes), "sales": len(rec.sales),
                        "objective": f"{card.points}/{card.max_points}"})
    return PracticeSession.get_by_id(s.id)


@transactional
def cancel_session(actor: Actor, session_id: int) -> PracticeSession:
    """Cancel a running session (it is left out of the lists and the progress).  Raises
    PermissionDenied, NotFound, DomainError (not running)."""
    require(actor, "practice.use")
    s = get_session(actor.store_id, session_id)
    if s.status != "running":
        raise DomainError("err.practice_not_running")
    PracticeSession.update(status="cancelled", ended_at=clock.now()).where(PracticeSession.id == s.id).execute()
    audit.record(actor, "practice.cancel", "practice_session", s.id)
    return PracticeSession.get_by_id(s.id)
