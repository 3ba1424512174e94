"""A session's score card: the objective points and the rubric side by side, the steps with their
times, and what was missed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storepos.i18n import has, t
from storepos.models import PracticeSession, PracticeStep, Staff
from storepos.services.core import sop
from storepos.services.core.errors import DomainError
from storepos.services.practice.objective_points import ObjectiveCard, ObjectiveItem, objective
from storepos.services.practice.rubric import SCORE_MAX, scores_of
from storepos.services.practice.scenarios import PracticeScenario, get_scenario
from storepos.services.practice.sessions import get_session


@dataclass(frozen=True)
class RubricRow:
    """One rubric area on the card (score None: not scored yet)."""

    code: str
    label: str
    criteria: tuple[str, ...]
    score: int | None
    comment: str


@dataclass(frozen=True)
class StepRow:
    """One step of the session, with its time from the start."""

    at: dt.datetime
    offset_seconds: int
    stage: str
    action: str

    @property
    def offset(self) -> str:
        m, s = divmod(max(0, self.offset_seconds), 60)
        return f"+{m:02d}:{s:02d}"

    @property
    def label(self) -> str:
        key = f"practice.action.{self.action.replace('.', '_')}"
        return t(key) if has(key, "en") else self.action


@dataclass(frozen=True)
class ScoreCard:
    """Everything the card shows of one session."""

    session: PracticeSession
    scenario: PracticeScenario | None
    trainee: Staff
    trainer: Staff
    objective: ObjectiveCard
    rubric: tuple[RubricRow, ...]
    steps: tuple[StepRow, ...]

    @property
    def rubric_total(self) -> int | None:
        got = [r.score for r in self.rubric if r.score is not None]
        return sum(got) if len(got) == len(self.rubric) else None

    @property
    def rubric_max(self) -> int:
        return SCORE_MAX * len(self.rubric)

    @property
    def missed(self) -> list[str]:
        """What was missed, one line each (objective items not met, low rubric areas)."""
        out = []
        for item in self.objective.items:
            if item.status in ("missed", "partial"):
                extra = ", ".join(item.missing_labels) if item.code in ("greeting", "needs") else ""
                out.append(f"{item.label}: {item.detail}" + (f" ({extra})" if extra else ""))
        for r in self.rubric:
            if r.score is not None and r.score <= 2:
                out.append(t("practice.missed_rubric", area=r.label, score=r.score))
        return out

    @property
    def duration_seconds(self) -> int | None:
        if self.session.ended_at is None:
            return None
        return int((self.session.ended_at - self.session.started_at).total_seconds())


def score_card(store_id: int, session_id: int) -> ScoreCard:
    """The card of a session: the objective points kept when it ended (scored now while it
    runs), the rubric, the steps.  Raises NotFound."""
    s = get_session(store_id, session_id)
    try:
        scenario: PracticeScenario | None = get_scenario(store_id, s.scenario)
    except DomainError:
        scenario = None
    card = (ObjectiveCard(tuple(ObjectiveItem.from_json(r) for r in s.objective))
            if s.objective is not None else objective(s))
    given = scores_of(s.id)
    rubric = tuple(RubricRow(g.entry.code, g.entry.label, tuple(c.label for c in g.items),
                             given[g.entry.code].score if g.entry.code in given else None,
                             given[g.entry.code].comment if g.entry.code in given else "")
                   for g in sop.rubric_areas())
    steps = tuple(StepRow(r.at, int((r.at - s.started_at).total_seconds()), r.stage, r.action)
                  for r in PracticeStep.select().where(PracticeStep.session == s.id)
                  .order_by(PracticeStep.at, PracticeStep.id))
    return ScoreCard(s, scenario, Staff.get_by_id(s.trainee_id), Staff.get_by_id(s.trainer_id), card, rubric,
                     steps)
