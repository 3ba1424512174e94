"""The areas a user can open (procedure steps and role areas), listed in storepos.ui.manifest.

Home builds its procedure rail and its keys from that list, and so does the command palette.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# The rail of DESIGN.md, in order: fixture step code -> home key.
RAIL: tuple[tuple[str, str], ...] = (
    ("checklist", "1"),
    ("greet", "2"),
    ("needs", "3"),
    ("quote", "4"),
    ("close", "5"),
    ("aftersales", "6"),
)


@dataclass(frozen=True)
class Area:
    id: str
    label: str  # i18n key
    open: str | Callable[[Any], Any]  # "module:name" of a Screen class or of open(app); or open itself
    permission: str = "home.open"
    step: str | None = None  # fixture step code when the area is a step of the rail
    key: str | None = None  # key on the home screen (rail steps take theirs from RAIL)
    global_key: str | None = None  # key that works on every screen of the shop floor
    order: int = 100
    help: str = ""  # i18n key of a one-line description

    @property
    def home_key(self) -> str | None:
        if self.step:
            return dict(RAIL).get(self.step, self.key)
        return self.key

    def target(self) -> Any:
        if not isinstance(self.open, str):
            return self.open
        module, _, name = self.open.partition(":")
        return getattr(importlib.import_module(module), name)

    def launch(self, app: Any) -> None:
        """Open the area on *app*: push its screen, or call its open function."""
        from textual.screen import Screen

        target = self.target()
        if isinstance(target, type) and issubclass(target, Screen):
            app.push_screen(target())
        else:
            target(app)


_by_id: dict[str, Area] = {}


def __getattr__(name: str) -> Any:
    # AREAS (id -> Area) is read from the manifest on first use: the manifest imports Area from here.
    if name == "AREAS":
        if not _by_id:
            from storepos.ui.manifest import AREAS as listed

            _by_id.update((a.id, a) for a in listed)
        return _by_id
    raise AttributeError(name)


def rail_areas() -> list[Area]:
    order = [code for code, _ in RAIL]
    steps = [a for a in __getattr__("AREAS").values() if a.step in order]
    return sorted(steps, key=lambda a: order.index(a.step))


def role_areas() -> list[Area]:
    return sorted((a for a in __getattr__("AREAS").values() if a.step is None), key=lambda a: (a.order, a.id))
