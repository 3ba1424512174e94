"""A trainee's progress: their scored sessions over time, the trend per rubric area, and the CSV
export of it."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from storepos import clock, private
from storepos.models import PracticeSession, RubricScore, Staff
from storepos.services.core import sop
from storepos.services.core.context import Actor
from storepos.services.core.errors import NotFound
from storepos.services.core.permissions import require
from storepos.services.core.store import get_store
from storepos.services.practice.objective_points import percent
from storepos.services.practice.rubric import rubric_codes


@dataclass(frozen=True)
class ProgressRow:
    """One scored session of the trainee."""

    session_id: int
    started_at: dt.datetime
    scenario: str
    objective_points: int
    objective_max: int
    scores: dict[str, int]
    rubric_total: int

    @property
    def objective_percent(self) -> int:
        return percent(self.objective_points, self.objective_max)


@dataclass(frozen=True)
class AreaProgress:
    """One rubric area's scores over the trainee's sessions."""

    code: str
    label: str
    series: tuple[int, ...]  # oldest first

    @property
    def latest(self) -> int | None:
        return self.series[-1] if self.series else None

    @property
    def average(self) -> Decimal | None:
        if not self.series:
            return None
        return (Decimal(sum(self.series)) / len(self.series)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def change(self) -> int | None:
        """Latest minus first (positive: improving)."""
        return self.series[-1] - self.series[0] if len(self.series) >= 2 else None


@dataclass(frozen=True)
class Progress:
    """A trainee's progress."""

    trainee: Staff
    rows: tuple[ProgressRow, ...]  # scored sessions, oldest first
    areas: tuple[AreaProgress, ...]

    @property
    def objective_series(self) -> tuple[int, ...]:
        return tuple(r.objective_percent for r in self.rows)


def progress(store_id: int, trainee_id: int) -> Progress:
    """A trainee's scored sessions over time, per rubric area (oldest first).  Raises NotFound."""
    trainee = Staff.get_or_none(Staff.id == trainee_id, Staff.store == store_id)
    if trainee is None:
        raise NotFound("err.practice_trainee_unknown")
    done = list(PracticeSession.select().where(PracticeSession.store == store_id,
                                               PracticeSession.trainee == trainee_id,
                                               PracticeSession.status == "scored")
                .order_by(PracticeSession.started_at, PracticeSession.id))
    by_session: dict[int, dict[str, int]] = {s.id: {} for s in done}
    if done:
        for r in RubricScore.select().where(RubricScore.session.in_([s.id for s in done])):
            by_session[r.session_id][r.area] = r.score
    rows = tuple(ProgressRow(s.id, s.started_at, s.scenario, s.objective_points or 0, s.objective_max or 0,
                             by_session[s.id], s.rubric_total or 0) for s in done)
    areas = tuple(AreaProgress(g.entry.code, g.entry.label,
                               tuple(r.scores[g.entry.code] for r in rows if g.entry.code in r.scores))
                  for g in sop.rubric_areas())
    return Progress(trainee, rows, areas)


def trainees_with_sessions(store_id: int) -> list[Staff]:
    """The staff with at least one session that was not cancelled, by code."""
    ids = PracticeSession.select(PracticeSession.trainee).where(PracticeSession.store == store_id,
                                                                PracticeSession.status != "cancelled")
    return list(Staff.select().where(Staff.id.in_(ids)).order_by(Staff.code))


def export_progress_csv(actor: Actor, home: Path, trainee_id: int | None = None) -> Path:
    """Write the scored sessions (one row each; a trainee's or everyone's) to
    HOME/exports/practice-progress-<who>-<YYYYmmdd-HHMM>.csv (UTF-8 with BOM for spreadsheets).
    Raises PermissionDenied; OSError when the file cannot be written."""
    require(actor, "practice.use")
    store = get_store(actor.store_id)
    people = ([Staff.get_by_id(trainee_id)] if trainee_id is not None else trainees_with_sessions(store.id))
    codes = rubric_codes()
    folder = private.make_dir(Path(home) / "exports")
    stamp = clock.get().local_now(store.timezone).strftime("%Y%m%d-%H%M")
    who = people[0].code if trainee_id is not None and people else "all"
    path = folder / f"practice-progress-{who}-{stamp}.csv"
    with private.open_file(path, "w", encoding="utf-8-sig", newline="") as fh:  # 0600
        w = csv.writer(fh)
        w.writerow(["trainee_code", "trainee_name", "session", "started_local", "scenario", "objective_points",
                    "objective_max", "objective_percent", *codes, "rubric_total"])
        for person in people:
            for r in progress(store.id, person.id).rows:
                local = clock.to_local(r.started_at, store.timezone).strftime("%Y-%m-%d %H:%M")
                w.writerow([person.code, person.name, r.session_id, local, r.scenario, r.objective_points,
                            r.objective_max, r.objective_percent, *[r.scores.get(c, "") for c in codes],
                            r.rubric_total])
    return path
