"""Today at a glance for the home screen: the figures and notices the areas contribute
(listed in storepos.services.manifest)."""

from __future__ import annotations

from dataclasses import dataclass

from storepos.services import manifest
from storepos.services.core.context import Actor


@dataclass(frozen=True)
class Figure:
    key: str  # i18n label key
    value: str
    alert: bool = False  # needs attention (shown highlighted)


def glance(actor: Actor) -> list[Figure]:
    """The figures for *actor*'s home, in the manifest's order."""
    return [manifest.load(ref)(actor) for _name, ref in manifest.HOME_FIGURES]


def notices(actor: Actor) -> list[str]:
    """The notices for *actor*'s home (a returned checklist, a quote about to expire, …)."""
    out: list[str] = []
    for fn in manifest.each(manifest.HOME_NOTICES):
        out.extend(fn(actor))
    return out
