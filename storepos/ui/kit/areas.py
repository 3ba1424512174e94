"""The areas a user can open (procedure steps and role areas), registered by each UI module.

Home builds its procedure rail and its keys from this registry, and so does the command palette,
so a step shows up only once its screen exists.  Modules in storepos/ui/screens register on import.
"""

from __future__ import annotations

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
    open: Callable[[Any], Any]  # open(app): push the screen
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


AREAS: dict[str, Area] = {}

# Run once the app has loaded its store (before login): fn(store), e.g. ending yesterday's
# unfinished visits.  Keep them cheap (an indexed check).
STARTUP: list[Callable[[Any], None]] = []


def register(area: Area) -> Area:
    AREAS[area.id] = area
    return area


def load_all() -> None:
    """Import every screen module so that they register their areas."""
    import importlib
    import pkgutil

    import storepos.ui as pkg

    for info in pkgutil.iter_modules(pkg.__path__):
        if info.ispkg and info.name != "kit":
            sub = importlib.import_module(f"storepos.ui.{info.name}")
            for mod in pkgutil.iter_modules(sub.__path__):
                importlib.import_module(f"storepos.ui.{info.name}.{mod.name}")


def rail_areas() -> list[Area]:
    order = [code for code, _ in RAIL]
    steps = [a for a in AREAS.values() if a.step in order]
    return sorted(steps, key=lambda a: order.index(a.step))


def role_areas() -> list[Area]:
    return sorted((a for a in AREAS.values() if a.step is None), key=lambda a: (a.order, a.id))
