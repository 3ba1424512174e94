"""The trainer's rubric scores: the five areas of SOP §9 (fixtures/sop/rubric.toml), 1-5 each
with a comment."""

from __future__ import annotations

from typing import Any

from storepos import clock
from storepos.db import transactional
from storepos.models import PracticeSession, RubricScore
from storepos.services.core import audit, sop
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError
from storepos.services.core.permissions import require
from storepos.services.practice.isolation import require_practice_db
from storepos.services.practice.sessions import end_session, get_session
from storepos.services.practice.steps import record_step

SCORE_MIN, SCORE_MAX = 1, 5
COMMENT_MAX = 500


def rubric_codes() -> list[str]:
    """The rubric area codes, in the SOP's order."""
    return [g.entry.code for g in sop.rubric_areas()]


def parse_score(value: Any, area: str) -> int:
    """A rubric score typed by the trainer: a whole number 1-5.  DomainError(field=score_<area>)."""
    text = str(value if value is not None else "").strip()
    # full-width digits from a Chinese input method count as the digits they look like
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not text:
        raise DomainError("err.practice_score_required", field=f"score_{area}")
    if not text.isdigit() or not SCORE_MIN <= int(text) <= SCORE_MAX:
        raise DomainError("err.practice_score_range", field=f"score_{area}", low=SCORE_MIN, high=SCORE_MAX)
    return int(text)


def _clean_scores(scores: dict[str, dict[str, Any]]) -> dict[str, tuple[int, str]]:
    """{area: (score, comment)} for every rubric area.  Raises DomainError(field=...)."""
    codes = rubric_codes()
    unknown = set(scores) - set(codes)
    if unknown:
        raise DomainError("err.practice_area_unknown", field=f"score_{min(unknown)}")
    clean: dict[str, tuple[int, str]] = {}
    for code in codes:
        raw = scores.get(code) or {}
        value = parse_score(raw.get("score"), code)
        comment = " ".join(str(raw.get("comment") or "").split())
        if len(comment) > COMMENT_MAX:
            raise DomainError("err.too_long", field=f"comment_{code}", limit=COMMENT_MAX)
        clean[code] = (value, comment)
    return clean


@transactional
def score_session(actor: Actor, session_id: int, scores: dict[str, dict[str, Any]]) -> PracticeSession:
    """The trainer's rubric scores: {area code: {"score": 1-5, "comment": text}} for all five
    areas of fixtures/sop/rubric.toml.  A session that is still running is ended first.  A
    score given again replaces the earlier one.  All or nothing: DomainError(field=
    "score_<area>" | "comment_<area>") and nothing written."""
    require(actor, "practice.use")
    require_practice_db()
    s = get_session(actor.store_id, session_id)
    if s.status == "cancelled":
        raise DomainError("err.practice_cancelled")
    clean = _clean_scores(scores)
    if s.status == "running":
        s = end_session(actor, s.id)
    now = clock.now()
    RubricScore.delete().where(RubricScore.session == s.id).execute()
    for code, (value, comment) in clean.items():
        RubricScore.create(session=s.id, area=code, score=value, comment=comment, scored_by=actor.staff_id, at=now)
    total = sum(v for v, _c in clean.values())
    PracticeSession.update(status="scored", scored_at=now, rubric_total=total).where(
        PracticeSession.id == s.id).execute()
    record_step(s.id, now, "practice.score", "practice_session", s.id)
    audit.record(actor, "practice.score", "practice_session", s.id,
                 after={code: v for code, (v, _c) in clean.items()})
    return PracticeSession.get_by_id(s.id)


def scores_of(session_id: int) -> dict[str, RubricScore]:
    """The rubric scores given to a session, by area code."""
    return {r.area: r for r in RubricScore.select().where(RubricScore.session == session_id)}
