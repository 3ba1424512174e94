"""A customer visit (SOP §1-2): F2 starts one from anywhere on the floor, home key 3 continues my
latest one at its needs step, and today's visits list (v) reopens one where it stopped.

The screen is in screen.py (what each step shows: panels.py), the list in today.py; this module
is what the areas open (storepos/ui/manifest.py)."""

from __future__ import annotations

from typing import Any

from storepos.services import visits
from storepos.services.core.errors import DomainError
from storepos.ui.visits.screen import VisitScreen
from storepos.ui.visits.today import VisitsScreen

__all__ = ["VisitScreen", "VisitsScreen", "continue_needs", "start_visit"]


def start_visit(app: Any, *, step: str | None = None) -> None:
    """A new visit, now.  On a visit screen already, the new one takes its place (the other one
    stays saved and open in today's list)."""
    try:
        v = visits.start(app.actor)
    except DomainError as exc:
        app.notify(exc.message, severity="error", markup=False)
        return
    screen = VisitScreen(v.id, step=step)
    if isinstance(app.screen, VisitScreen):
        app.switch_screen(screen)
    else:
        app.push_screen(screen)


def continue_needs(app: Any) -> None:
    """Home key 3: my latest open visit at its needs step, else a new visit at the needs step."""
    v = visits.latest_open(app.actor)
    if v is None:
        start_visit(app, step="needs")
        return
    try:
        visits.go_to(app.actor, v.id, "needs")
    except DomainError:
        pass
    app.push_screen(VisitScreen(v.id, step="needs"))
