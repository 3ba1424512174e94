"""Today at a glance for the home screen.  Each area registers the figures it owns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from storepos.services.core.context import Actor


@dataclass(frozen=True)
class Figure:
    key: str  # i18n label key
    value: str
    alert: bool = False  # needs attention (shown highlighted)


# name -> provider(actor) -> Figure.  The names fix the order on the home screen.
ORDER = ("checklist", "visits", "quotes", "sales", "followups")
PROVIDERS: dict[str, Callable[[Actor], Figure]] = {}


def provider(name: str) -> Callable[[Callable[[Actor], Figure]], Callable[[Actor], Figure]]:
    def deco(fn: Callable[[Actor], Figure]) -> Callable[[Actor], Figure]:
        PROVIDERS[name] = fn
        return fn

    return deco


def glance(actor: Actor) -> list[Figure]:
    """The figures for *actor*'s home: the fixed five first (0 until their area exists), then
    any other area's figures."""
    out = []
    for name in ORDER:
        fn = PROVIDERS.get(name)
        out.append(fn(actor) if fn else Figure(f"home.glance_{name}", "0"))
    for name, fn in PROVIDERS.items():
        if name not in ORDER:
            out.append(fn(actor))
    return out


# Notices for the home screen (e.g. "your checklist was returned: …"): provider(actor) -> texts.
NOTICES: list[Callable[[Actor], list[str]]] = []


def notices(actor: Actor) -> list[str]:
    out: list[str] = []
    for fn in NOTICES:
        out.extend(fn(actor))
    return out
