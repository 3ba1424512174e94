"""Practice scores for the manager's staff performance (issue 9), read from the LIVE app.

It opens the practice database read-only with its own peewee database object (never the bound
proxy), so it works while the live database is bound; a missing practice database gives {}.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import peewee

from storepos.config import Settings, load_settings
from storepos.models import PracticeSession, RubricScore, Staff
from storepos.services.core.errors import DomainError
from storepos.services.practice.isolation import open_readonly
from storepos.services.practice.objective_points import percent


@dataclass(frozen=True)
class PracticeScores:
    """A staff member's practice scores, to show beside their live results."""

    sessions: int  # scored sessions
    latest_at: dt.datetime  # naive UTC start of the latest scored session
    scenario: str
    latest: dict[str, int]  # rubric area code -> score of the latest session
    average: dict[str, Decimal]  # rubric area code -> average over all scored sessions
    objective_percent: int  # of the latest session


def _read_scored(db: peewee.Database, codes: list[str]) -> tuple[list[dict[str, Any]], list[tuple[int, str, int]]]:
    """(scored sessions of staff *codes*, oldest first; their (session, area, score) rows)."""
    sessions_q = (PracticeSession.select(PracticeSession.id, PracticeSession.started_at, PracticeSession.scenario,
                                         PracticeSession.objective_points, PracticeSession.objective_max,
                                         Staff.code.alias("code"))
                  .join(Staff, on=(PracticeSession.trainee == Staff.id))
                  .where(Staff.code.in_(codes), PracticeSession.status == "scored")
                  .order_by(PracticeSession.started_at, PracticeSession.id).dicts())
    rows = list(sessions_q.execute(db))
    if not rows:
        return [], []
    scores = list(RubricScore.select(RubricScore.session, RubricScore.area, RubricScore.score)
                  .where(RubricScore.session.in_([r["id"] for r in rows])).tuples().execute(db))
    return rows, scores


def _summary(mine: list[dict[str, Any]], per_session: dict[int, dict[str, int]]) -> PracticeScores:
    """One person's scored sessions (oldest first) -> their PracticeScores."""
    last = mine[-1]
    sums: dict[str, list[int]] = {}
    for r in mine:
        for area, score in per_session.get(r["id"], {}).items():
            sums.setdefault(area, []).append(score)
    average = {a: (Decimal(sum(v)) / len(v)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
               for a, v in sums.items()}
    started = last["started_at"]
    if isinstance(started, str):
        started = dt.datetime.fromisoformat(started)
    return PracticeScores(len(mine), started, last["scenario"], per_session.get(last["id"], {}), average,
                          percent(last["objective_points"], last["objective_max"]))


def latest_scores(staff_codes: Iterable[str], *, target: str | Settings | None = None) -> dict[str, PracticeScores]:
    """Practice scores of staff (by code) for showing next to their live results.  Reads the
    practice database READ-ONLY through its own connection (never the bound proxy); *target* is
    its path/URL or the Settings (default: settings from the environment).  Staff without a
    scored session are left out; no practice database at all gives {}.  Raises nothing for a
    missing or unreadable practice database.

    Example::

        from storepos.services import practice
        scores = practice.latest_scores(["1001", "1002"], target=settings.practice_target)
        # -> {"1001": PracticeScores(sessions=3, latest_at=datetime, scenario="restaurant_kitchen",
        #               latest={"sales_plan": 4, ...}, average={"sales_plan": Decimal("3.7"), ...},
        #               objective_percent=82), ...}   (codes without a scored session are left out)
    """
    codes = [str(c) for c in staff_codes]
    if not codes:
        return {}
    if target is None:
        target = load_settings()
    path = target.practice_target if isinstance(target, Settings) else str(target)
    try:
        db = open_readonly(path)
    except DomainError:
        return {}
    try:
        db.connect()
        rows, scores = _read_scored(db, codes)
        if not rows:
            return {}
    except (peewee.DatabaseError, peewee.InterfaceError):
        return {}
    finally:
        if not db.is_closed():
            db.close()
    per_session: dict[int, dict[str, int]] = {}
    for sid, area, score in scores:
        per_session.setdefault(sid, {})[area] = score
    out: dict[str, PracticeScores] = {}
    for code in codes:
        mine = [r for r in rows if r["code"] == code]
        if mine:
            out[code] = _summary(mine, per_session)
    return out
