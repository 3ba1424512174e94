"""The store's standard sales procedure as data: read from fixtures/sop/*.toml (zh and en).

Nothing here is hard-coded: adding a checklist item or an approach signal is an edit to a
fixture file.  Each entry keeps both languages; ``label()`` picks the current one.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from storepos.i18n import pick
from storepos.paths import fixtures_dir


@dataclass(frozen=True)
class Entry:
    """One item of an SOP list: a code, zh/en text, optional tip and extras (key, kind, …)."""

    code: str
    zh: str
    en: str
    tip_zh: str = ""
    tip_en: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def label(self) -> str:
        return pick(self.zh, self.en)

    @property
    def tip(self) -> str:
        return pick(self.tip_zh, self.tip_en)

    def get(self, name: str, default: Any = None) -> Any:
        return self.extra.get(name, default)


class FixtureError(ValueError):
    """A fixture file is missing, unreadable or lacks a field (message names file and entry)."""


def _entry(raw: dict[str, Any], where: str) -> Entry:
    missing = [k for k in ("code", "zh", "en") if not str(raw.get(k, "")).strip()]
    if missing:
        raise FixtureError(f"{where}: missing {', '.join(missing)}")
    extra = {k: v for k, v in raw.items() if k not in ("code", "zh", "en", "tip_zh", "tip_en")}
    return Entry(code=str(raw["code"]), zh=str(raw["zh"]), en=str(raw["en"]),
                 tip_zh=str(raw.get("tip_zh", "")), tip_en=str(raw.get("tip_en", "")), extra=extra)


def load_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise FixtureError(f"{path}: file missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise FixtureError(f"{path}: {exc}") from None
    except UnicodeDecodeError as exc:  # a fixture saved in another encoding than UTF-8
        raise FixtureError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None


@cache
def sop_file(name: str) -> dict[str, Any]:
    return load_toml(fixtures_dir() / "sop" / f"{name}.toml")


def entries(name: str, table: str) -> tuple[Entry, ...]:
    """Entries of the array *table* in fixtures/sop/<name>.toml, codes checked unique."""
    raw = sop_file(name).get(table, [])
    out = tuple(_entry(r, f"sop/{name}.toml [{table}] #{i + 1}") for i, r in enumerate(raw))
    codes = [e.code for e in out]
    dupes = {c for c in codes if codes.count(c) > 1}
    if dupes:
        raise FixtureError(f"sop/{name}.toml [{table}]: duplicate codes {sorted(dupes)}")
    return out


def steps() -> tuple[Entry, ...]:
    return entries("steps", "steps")


def step(code: str) -> Entry:
    for s in steps():
        if s.code == code:
            return s
    raise KeyError(code)


@dataclass(frozen=True)
class Group:
    entry: Entry
    items: tuple[Entry, ...]


def checklist_groups() -> tuple[Group, ...]:
    groups = []
    for i, raw in enumerate(sop_file("checklist").get("groups", [])):
        where = f"sop/checklist.toml group #{i + 1}"
        items = tuple(_entry(r, f"{where} item #{j + 1}") for j, r in enumerate(raw.get("items", [])))
        groups.append(Group(_entry({k: v for k, v in raw.items() if k != "items"}, where), items))
    return tuple(groups)


def rubric_areas() -> tuple[Group, ...]:
    areas = []
    for i, raw in enumerate(sop_file("rubric").get("areas", [])):
        where = f"sop/rubric.toml area #{i + 1}"
        criteria = tuple(
            _entry({"code": f"{raw.get('code')}_{j + 1}", **r}, f"{where} criterion #{j + 1}")
            for j, r in enumerate(raw.get("criteria", [])))
        areas.append(Group(_entry({k: v for k, v in raw.items() if k != "criteria"}, where), criteria))
    return tuple(areas)


def validate_all() -> list[str]:
    """Load every SOP fixture; the problems found (empty when all is well)."""
    problems: list[str] = []
    checks = [
        ("steps", "steps"), ("approach", "signals"), ("approach", "greeting"),
        ("approach", "service_standards"), ("approach", "tips"), ("approach", "avoid"),
        ("needs", "fields"), ("outcomes", "outcomes"), ("outcomes", "leave_reasons"),
        ("survey", "dimensions"), ("survey", "channels"), ("rubric", "metrics"),
        ("checkout_checks", "checks"), ("checkout_checks", "fulfilment_modes"),
        ("followups", "kinds"),
    ]
    for name, table in checks:
        try:
            if not entries(name, table):
                problems.append(f"sop/{name}.toml: [{table}] is empty")
        except FixtureError as exc:
            problems.append(str(exc))
    for loader in (checklist_groups, rubric_areas):
        try:
            if not loader():
                problems.append(f"{loader.__name__}: empty")
        except FixtureError as exc:
            problems.append(str(exc))
    return problems
