"""The SOP codes a visit records (fixtures/sop: approach, needs, outcomes) and their labels.

A visit stores codes, never their text: the lists and the current-language labels come from here.
"""

from __future__ import annotations

from storepos.services.core import sop


def signals() -> tuple[sop.Entry, ...]:
    """The signals that prompt an approach (approach.toml [[signals]])."""
    return sop.entries("approach", "signals")


def greeting_standards() -> tuple[sop.Entry, ...]:
    """The greeting standards a salesperson ticks (approach.toml [[greeting]]), in fixture order."""
    return sop.entries("approach", "greeting")


def needs_fields() -> tuple[sop.Entry, ...]:
    """The needs a salesperson asks about (needs.toml [[fields]]), each with its kind."""
    return sop.entries("needs", "fields")


def outcomes() -> tuple[sop.Entry, ...]:
    """The ways a visit can end (outcomes.toml [[outcomes]])."""
    return sop.entries("outcomes", "outcomes")


def leave_reasons(*, include_system: bool = False) -> tuple[sop.Entry, ...]:
    """Why a customer left (outcomes.toml [[leave_reasons]]); the reasons only the system records
    (such as a visit unfinished at close) only with *include_system*."""
    return tuple(e for e in sop.entries("outcomes", "leave_reasons") if include_system or not e.get("system"))


def codes_of(entries: tuple[sop.Entry, ...]) -> set[str]:
    """The codes of *entries* (to check a code typed or sent against its list)."""
    return {e.code for e in entries}


def label(name: str, table: str, code: str | None) -> str:
    """The current-language label of a fixture code ('' for None, the code if unknown)."""
    if not code:
        return ""
    for e in sop.entries(name, table):
        if e.code == code:
            return e.label
    return code
