"""The objective points of a session, read from what the trainee recorded (no judgement).

Seven items: the approach signal logged (and the one the "customer" gave), the greeting
standards, the needs fields, a quote given within authority or approved, the checks passed at
checkout, a follow-up scheduled, and the time to approach.  An item that cannot apply is "na" and
counts neither way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from storepos.i18n import t
from storepos.models import FollowUp, PracticeSession, QuoteLine, Visit
from storepos.money import fmt
from storepos.services import visits
from storepos.services.core import sop
from storepos.services.core.errors import DomainError
from storepos.services.practice.records import Records, records_of
from storepos.services.practice.scenarios import approach_within_seconds, get_scenario, sop_label

# Other areas may add counters: fn(session, records) -> follow-ups the trainee scheduled.
FOLLOW_UP_COUNTERS: list[Callable[[PracticeSession, Records], int]] = []


def _follow_ups(session: PracticeSession, rec: Records) -> int | None:
    """Follow-ups scheduled for the session's sales, visits or quotes (after-sales records)."""
    cond = None
    for part in ((FollowUp.sale.in_([x.id for x in rec.sales]) if rec.sales else None),
                 (FollowUp.visit_id.in_([v.id for v in rec.visits]) if rec.visits else None),
                 (FollowUp.quote_id.in_([q.id for q in rec.quotes]) if rec.quotes else None)):
        if part is not None:
            cond = part if cond is None else cond | part
    total = sum(fn(session, rec) for fn in FOLLOW_UP_COUNTERS)
    if cond is not None:
        total += FollowUp.select().where(cond).count()
    return total


# The params of an item that hold an approach-signal code (labelled when shown).
_SIGNAL_PARAMS = {"signal": ("signal",), "signal_match": ("expected", "got")}


@dataclass(frozen=True)
class ObjectiveItem:
    """One objective point (or a few, for greeting and needs), kept as JSON on the session."""

    code: str  # signal | signal_match | greeting | needs | quote | checks | follow_up | approach_time
    points: int
    max_points: int
    status: str  # met | partial | missed | na
    params: dict[str, Any] = field(default_factory=dict)
    missing: tuple[str, ...] = ()  # fixture codes not done (greeting standards, needs fields)

    def as_json(self) -> dict[str, Any]:
        """The item as kept in ``PracticeSession.objective``."""
        return {"code": self.code, "points": self.points, "max": self.max_points, "status": self.status,
                "params": self.params, "missing": list(self.missing)}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> ObjectiveItem:
        """An item kept by :meth:`as_json`."""
        return cls(raw["code"], int(raw["points"]), int(raw["max"]), raw["status"], dict(raw.get("params") or {}),
                   tuple(raw.get("missing") or ()))

    @property
    def label(self) -> str:
        return t(f"practice.obj_{self.code}")

    @property
    def detail(self) -> str:
        """The item's detail in the current language: signal codes kept in the params are shown
        by their SOP label now (a label kept by an older session is shown as it was kept)."""
        params = dict(self.params)
        for name in _SIGNAL_PARAMS.get(self.code, ()):
            if params.get(name) not in (None, "", "—"):
                params[name] = sop_label("approach", "signals", str(params[name]))
        return t(f"practice.obj_{self.code}_{self.status}", **params)

    @property
    def missing_labels(self) -> list[str]:
        if self.code == "greeting":
            return [sop_label("approach", "greeting", c) for c in self.missing]
        if self.code == "needs":
            return [sop_label("needs", "fields", c) for c in self.missing]
        return list(self.missing)


@dataclass(frozen=True)
class ObjectiveCard:
    """A session's objective items; the "na" ones count neither way."""

    items: tuple[ObjectiveItem, ...]

    @property
    def points(self) -> int:
        return sum(i.points for i in self.items if i.status != "na")

    @property
    def max_points(self) -> int:
        return sum(i.max_points for i in self.items if i.status != "na")

    @property
    def percent(self) -> int:
        return percent(self.points, self.max_points)


def percent(points: int | None, max_points: int | None) -> int:
    """*points* of *max_points* as a whole percent, half up (0 when there is no maximum)."""
    if not max_points:
        return 0
    return int((Decimal(points or 0) * 100 / Decimal(max_points)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _status(points: int, max_points: int) -> str:
    return "met" if points >= max_points else ("partial" if points > 0 else "missed")


# -- the items, in the order of the journey ------------------------------------------------------

def _signal_items(visit: Visit | None, scenario_signal: str | None) -> list[ObjectiveItem]:
    """The signal logged, and was it the one the "customer" gave."""
    items: list[ObjectiveItem] = []
    if visit is None:
        items.append(ObjectiveItem("signal", 0, 1, "missed", {}, ("no_visit",)))
    else:
        ok = bool(visit.signal)
        items.append(ObjectiveItem("signal", int(ok), 1, "met" if ok else "missed",
                                   {"signal": visit.signal if ok else ""}))
    if scenario_signal:
        got = visit.signal if visit is not None else None
        ok = got == scenario_signal
        items.append(ObjectiveItem("signal_match", int(ok), 1, "met" if ok else "missed",
                                   {"expected": scenario_signal, "got": got or "—"}))
    return items


def _greeting_item(visit: Visit | None) -> ObjectiveItem:
    """The greeting standards met (of the six)."""
    standards = [e.code for e in sop.entries("approach", "greeting")]
    met = [c for c in standards if visit is not None and c in (visit.greeting or [])]
    return ObjectiveItem("greeting", len(met), len(standards), _status(len(met), len(standards)),
                         {"met": len(met), "total": len(standards)},
                         tuple(c for c in standards if c not in met))


def _needs_item(visit: Visit | None) -> ObjectiveItem:
    """The needs fields captured (the budget is a column of its own)."""
    fields = [e.code for e in sop.entries("needs", "fields")]
    have = set((visit.needs or {}).keys()) if visit is not None else set()
    if visit is not None and visit.budget is not None:
        have.add("budget")
    got_fields = [c for c in fields if c in have]
    return ObjectiveItem("needs", len(got_fields), len(fields), _status(len(got_fields), len(fields)),
                         {"met": len(got_fields), "total": len(fields)},
                         tuple(c for c in fields if c not in have))


def _quote_item(rec: Records) -> ObjectiveItem:
    """A quote given within authority, or with the manager's approval."""
    given = [q for q in rec.quotes if q.status in ("given", "accepted", "converted")]
    quote_approvals = [a for a in rec.approvals if a.kind in ("discount", "price_floor")]
    if not given:
        return ObjectiveItem("quote", 0, 1, "missed", {"n": len(rec.quotes)}, ("draft",) if rec.quotes else ("none",))
    q = given[-1]
    approved = q.approval_id is not None or QuoteLine.select().where(
        QuoteLine.quote == q.id, QuoteLine.approval.is_null(False)).exists()
    how = "approved" if approved or quote_approvals else "within"
    return ObjectiveItem("quote", 1, 1, "met", {"number": q.number, "how": t(f"practice.quote_{how}"),
                                                "total": fmt(q.total, fen=True)})


def _checks_item(rec: Records) -> ObjectiveItem:
    """The five checks passed at checkout (a completed sale passed them, or a manager overrode)."""
    if not rec.sales:
        return ObjectiveItem("checks", 0, 1, "missed", {})
    sale = rec.sales[-1]
    overrides = len(sale.approvals or {})
    return ObjectiveItem("checks", 1, 1, "met", {"overrides": overrides, "total": fmt(sale.total, fen=True)})


def _follow_up_item(session: PracticeSession, rec: Records) -> ObjectiveItem:
    """A follow-up scheduled (or a come-back date noted on the visit)."""
    made = _follow_ups(session, rec)
    come_back = [v for v in rec.visits if v.come_back_date is not None]
    if come_back or made:
        when = come_back[0].come_back_date if come_back else None
        return ObjectiveItem("follow_up", 1, 1, "met", {"date": when.isoformat() if when else "", "n": made or 0})
    if made is None:
        return ObjectiveItem("follow_up", 0, 1, "na", {})
    return ObjectiveItem("follow_up", 0, 1, "missed", {})


def _approach_time_item(visit: Visit | None) -> ObjectiveItem:
    """The customer approached within the scenario file's limit."""
    within = approach_within_seconds()
    secs = visits.seconds_to_approach(visit) if visit is not None else None
    if secs is None:
        return ObjectiveItem("approach_time", 0, 1, "missed", {"limit": within, "seconds": "—"})
    ok = secs <= within
    return ObjectiveItem("approach_time", int(ok), 1, "met" if ok else "missed", {"limit": within, "seconds": secs})


def objective(session: PracticeSession, rec: Records | None = None) -> ObjectiveCard:
    """The objective points, scored from the trainee's records in the session's window (*rec*,
    read when not given).  Raises ScenarioError when the shipped scenario file is wrong."""
    rec = rec or records_of(session)
    scenario_signal = None
    try:
        scenario_signal = get_scenario(session.store_id, session.scenario).signal
    except DomainError:
        pass
    visit = rec.visits[0] if rec.visits else None
    items = [*_signal_items(visit, scenario_signal), _greeting_item(visit), _needs_item(visit), _quote_item(rec),
             _checks_item(rec), _follow_up_item(session, rec), _approach_time_item(visit)]
    return ObjectiveCard(tuple(items))
