"""Practice scenarios are data: the shipped fixture file and the ones a trainer adds in the app.

fixtures/practice/scenarios.toml is validated on load (a problem names the file and the
scenario); a trainer's own scenario (:func:`add_scenario`) is stored in the practice database
and audited.  Both come back as :class:`PracticeScenario`, both languages kept.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from storepos import clock
from storepos.db import transactional
from storepos.i18n import pick
from storepos.models import Scenario
from storepos.money import MoneyError, parse_amount, to_fen
from storepos.paths import fixtures_dir
from storepos.services.core import audit, sop
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound
from storepos.services.core.permissions import require
from storepos.services.practice.isolation import require_practice_db

SCENARIO_FILE = "practice/scenarios.toml"
_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_]{1,39}$")


class ScenarioError(sop.FixtureError):
    """A scenario file or entry is wrong; the message names the file and the scenario."""


@dataclass(frozen=True)
class PracticeScenario:
    """One scenario (from the fixture file or added in the app), both languages kept."""

    code: str
    title_zh: str
    title_en: str
    persona_zh: str
    persona_en: str
    signal: str  # approach.toml signal code
    spec_zh: str
    spec_en: str
    quantity: int
    delivery_zh: str
    delivery_en: str
    use_zh: str
    use_en: str
    budget: int | None  # fen
    objections: tuple[tuple[str, str], ...]  # (zh, en)
    outcome_zh: str
    outcome_en: str
    source: str = "fixture"  # fixture | app

    @property
    def title(self) -> str:
        return pick(self.title_zh, self.title_en)

    @property
    def persona(self) -> str:
        return pick(self.persona_zh, self.persona_en)

    @property
    def outcome(self) -> str:
        return pick(self.outcome_zh, self.outcome_en)

    @property
    def spec(self) -> str:
        return pick(self.spec_zh, self.spec_en)

    @property
    def delivery(self) -> str:
        return pick(self.delivery_zh, self.delivery_en)

    @property
    def use(self) -> str:
        return pick(self.use_zh, self.use_en)

    @property
    def objection_texts(self) -> list[str]:
        return [pick(zh, en) for zh, en in self.objections]

    @property
    def signal_label(self) -> str:
        return sop_label("approach", "signals", self.signal)


def sop_label(name: str, table: str, code: str) -> str:
    """The label of *code* in the SOP table *name*/*table* (the code itself when unknown)."""
    for e in sop.entries(name, table):
        if e.code == code:
            return e.label
    return code


# -- the shipped file ----------------------------------------------------------------------------

def _text(raw: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str):
        raise ScenarioError(f"{where}: {key} must be text")
    value = value.strip()
    if required and not value:
        raise ScenarioError(f"{where}: missing {key}")
    return value


def parse_scenario(raw: dict[str, Any], where: str, *, source: str = "fixture") -> PracticeScenario:
    """One [[scenarios]] table -> PracticeScenario.  Raises ScenarioError naming *where*."""
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where}: not a table")
    code = str(raw.get("code", "")).strip()
    where = f"{where} ({code})" if code else where
    if not _CODE_RE.match(code):
        raise ScenarioError(f"{where}: code must be 2-40 of a-z, 0-9, _")
    signal = _text(raw, "signal", where)
    signals = {e.code for e in sop.entries("approach", "signals")}
    if signal not in signals:
        raise ScenarioError(f"{where}: unknown signal '{signal}' (use one of {', '.join(sorted(signals))})")
    needs = raw.get("needs")
    if not isinstance(needs, dict):
        raise ScenarioError(f"{where}: missing [scenarios.needs]")
    quantity = needs.get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= 100000:
        raise ScenarioError(f"{where}: needs.quantity must be a whole number from 1")
    budget_raw = raw.get("budget", "")
    budget: int | None = None
    if str(budget_raw).strip():
        try:
            budget = to_fen(parse_amount(str(budget_raw)))
        except MoneyError:
            raise ScenarioError(f"{where}: budget '{budget_raw}' is not an amount (e.g. \"3000.00\")") from None
    objections = raw.get("objections", [])
    if not isinstance(objections, list) or not objections:
        raise ScenarioError(f"{where}: at least one [[scenarios.objections]] (zh, en)")
    pairs = []
    for i, o in enumerate(objections, start=1):
        ow = f"{where} objection #{i}"
        if not isinstance(o, dict):
            raise ScenarioError(f"{ow}: not a table")
        pairs.append((_text(o, "zh", ow), _text(o, "en", ow)))
    nw = f"{where} needs"
    return PracticeScenario(
        code=code, title_zh=_text(raw, "title_zh", where), title_en=_text(raw, "title_en", where),
        persona_zh=_text(raw, "persona_zh", where), persona_en=_text(raw, "persona_en", where), signal=signal,
        spec_zh=_text(needs, "spec_zh", nw), spec_en=_text(needs, "spec_en", nw), quantity=quantity,
        delivery_zh=_text(needs, "delivery_zh", nw), delivery_en=_text(needs, "delivery_en", nw),
        use_zh=_text(needs, "use_zh", nw, required=False), use_en=_text(needs, "use_en", nw, required=False),
        budget=budget, objections=tuple(pairs), outcome_zh=_text(raw, "outcome_zh", where),
        outcome_en=_text(raw, "outcome_en", where), source=source)


def load_scenario_file(path: Path) -> tuple[tuple[PracticeScenario, ...], int]:
    """(scenarios, approach_within_seconds) of a scenario file.  Raises ScenarioError."""
    name = path.name if path.parent.name != "practice" else SCENARIO_FILE
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ScenarioError(f"{name}: file missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{name}: {exc}") from None
    within = data.get("approach_within_seconds", 60)
    if isinstance(within, bool) or not isinstance(within, int) or not 1 <= within <= 3600:
        raise ScenarioError(f"{name}: approach_within_seconds must be 1-3600")
    raw = data.get("scenarios")
    if not isinstance(raw, list) or not raw:
        raise ScenarioError(f"{name}: no [[scenarios]]")
    out = tuple(parse_scenario(r, f"{name} scenario #{i + 1}") for i, r in enumerate(raw))
    codes = [s.code for s in out]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise ScenarioError(f"{name}: duplicate scenario codes {dupes}")
    return out, within


@cache
def _shipped() -> tuple[tuple[PracticeScenario, ...], int]:
    return load_scenario_file(fixtures_dir() / SCENARIO_FILE)


def fixture_scenarios() -> tuple[PracticeScenario, ...]:
    """The scenarios of the shipped file (read once).  Raises ScenarioError when it is wrong."""
    return _shipped()[0]


def approach_within_seconds() -> int:
    """The shipped file's limit for approaching the customer.  Raises ScenarioError."""
    return _shipped()[1]


def validate_scenarios() -> list[str]:
    """Problems in the shipped scenario file (empty when all is well; for `storepos check`)."""
    try:
        fixture_scenarios()
    except sop.FixtureError as exc:
        return [str(exc)]
    return []


# -- the trainer's own, in the practice database -------------------------------------------------

def _from_row(row: Scenario) -> PracticeScenario:
    n = row.needs or {}
    return PracticeScenario(
        code=row.code, title_zh=row.title_zh, title_en=row.title_en, persona_zh=row.persona_zh,
        persona_en=row.persona_en, signal=row.signal, spec_zh=n.get("spec_zh", ""), spec_en=n.get("spec_en", ""),
        quantity=int(n.get("quantity", 1)), delivery_zh=n.get("delivery_zh", ""), delivery_en=n.get("delivery_en", ""),
        use_zh=n.get("use_zh", ""), use_en=n.get("use_en", ""), budget=row.budget,
        objections=tuple((o.get("zh", ""), o.get("en", "")) for o in row.objections or []),
        outcome_zh=row.outcome_zh, outcome_en=row.outcome_en, source="app")


def scenarios(store_id: int) -> list[PracticeScenario]:
    """The shipped scenarios, then the ones trainers added (oldest first)."""
    added = Scenario.select().where(Scenario.store == store_id).order_by(Scenario.created_at, Scenario.id)
    return list(fixture_scenarios()) + [_from_row(r) for r in added]


def get_scenario(store_id: int, code: str) -> PracticeScenario:
    """The scenario *code* (shipped or added).  Raises NotFound(field="scenario")."""
    for s in scenarios(store_id):
        if s.code == code:
            return s
    raise NotFound("err.practice_scenario_unknown", field="scenario")


def scenario_title(store_id: int, code: str) -> str:
    """The scenario's title in the current language; the code when it is gone."""
    try:
        return get_scenario(store_id, code).title
    except DomainError:
        return code


def _lines(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[\n;；]", text or "") if p.strip()]


def _check_scenario_input(d: dict[str, str], store_id: int) -> tuple[str, int, int | None]:
    """(code, quantity, budget in fen) of a trainer's typed scenario.  Raises DomainError(field=...)."""
    code = d.get("code", "").lower()
    if not code:
        raise DomainError("err.required", field="code")
    if not _CODE_RE.match(code):
        raise DomainError("err.practice_code_format", field="code")
    if any(s.code == code for s in scenarios(store_id)):
        raise DomainError("err.practice_code_taken", field="code", code=code)
    for name in ("title_zh", "persona_zh", "signal", "spec_zh", "quantity", "delivery_zh", "objections_zh",
                 "outcome_zh"):
        if not d.get(name):
            raise DomainError("err.required", field=name)
    for name, limit in (("title_zh", 100), ("title_en", 100)):
        if len(d.get(name, "")) > limit:
            raise DomainError("err.too_long", field=name, limit=limit)
    for name in ("persona_zh", "persona_en", "outcome_zh", "outcome_en", "spec_zh", "spec_en",
                 "objections_zh", "objections_en", "delivery_zh", "delivery_en", "use_zh", "use_en"):
        if len(d.get(name, "")) > 1000:
            raise DomainError("err.too_long", field=name, limit=1000)
    if d["signal"] not in {e.code for e in sop.entries("approach", "signals")}:
        raise DomainError("err.not_allowed_value", field="signal")
    qty_text = d["quantity"].replace(",", "")
    if not qty_text.isdigit() or not 1 <= int(qty_text) <= 100000:
        raise DomainError("err.not_a_whole_number", field="quantity")
    budget = None
    if d.get("budget"):
        try:
            budget = to_fen(parse_amount(d["budget"]))
        except MoneyError as exc:
            raise DomainError(exc.args[0], field="budget") from None
    return code, int(qty_text), budget


@transactional
def add_scenario(actor: Actor, data: dict[str, Any]) -> PracticeScenario:
    """A trainer's own scenario, stored in the practice database (audited).  *data* as typed:
    code, title_zh, title_en, persona_zh, persona_en, signal, spec_zh, spec_en, quantity, budget,
    delivery_zh, delivery_en, use_zh, use_en, objections_zh, objections_en (one per line or ';'),
    outcome_zh, outcome_en.  The zh texts are required, en ones optional (zh is shown instead).
    Raises DomainError(field=...) and writes nothing on bad input."""
    require(actor, "practice.scenario")
    require_practice_db()
    d = {k: (str(v).strip() if v is not None else "") for k, v in data.items()}
    code, quantity, budget = _check_scenario_input(d, actor.store_id)
    zh_obj, en_obj = _lines(d["objections_zh"]), _lines(d.get("objections_en", ""))
    objections = [{"zh": zh, "en": en_obj[i] if i < len(en_obj) else ""} for i, zh in enumerate(zh_obj)]
    needs = {"spec_zh": d["spec_zh"], "spec_en": d.get("spec_en", ""), "quantity": quantity,
             "delivery_zh": d["delivery_zh"], "delivery_en": d.get("delivery_en", ""),
             "use_zh": d.get("use_zh", ""), "use_en": d.get("use_en", "")}
    row = Scenario.create(store=actor.store_id, code=code, title_zh=d["title_zh"], title_en=d.get("title_en", ""),
                          persona_zh=d["persona_zh"], persona_en=d.get("persona_en", ""), signal=d["signal"],
                          needs=needs, budget=budget, objections=objections, outcome_zh=d["outcome_zh"],
                          outcome_en=d.get("outcome_en", ""), created_by=actor.staff_id, created_at=clock.now())
    audit.record(actor, "practice.scenario_add", "scenario", row.id,
                 after={"code": code, "title_zh": row.title_zh, "signal": row.signal})
    return _from_row(row)
