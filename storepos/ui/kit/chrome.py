"""The parts every screen shares: the top bar (store, staff, terminal, time) and the step rail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Footer, Static

from storepos import clock
from storepos.i18n import pick, t
from storepos.services.core import sop
from storepos.ui.kit.areas import AREAS, RAIL

if TYPE_CHECKING:
    from storepos.ui.app import StoreposApp



class KeyFooter(Footer):
    """The footer of every screen: Textual's, rebuilt only when the keys it shows change.

    Textual's footer rebuilds all its key widgets whenever the screen's bindings may have changed
    (every focus move, every key that touches a binding's state); each rebuild restyles every key.
    At the counter that is most of the cost of a scan or a keypress: this one compares what it
    would show (key, label, enabled) with what it shows and rebuilds only on a difference.
    """

    _shown: tuple[Any, ...] | None = None

    def _signature(self, screen: Screen) -> tuple[Any, ...]:  # type: ignore[type-arg]
        app = screen.app
        keys = tuple((b.key, b.action, b.description, bool(enabled), tooltip, id(b.group) if b.group else 0,
                      app.get_key_display(b))
                     for (_, b, enabled, tooltip) in screen.active_bindings.values() if b.show)
        return keys, self.compact, self.show_command_palette, app.COMMAND_PALETTE_BINDING in screen.active_bindings

    def compose(self) -> Any:
        if self._bindings_ready:
            self._shown = self._signature(self.screen)
        return super().compose()

    def bindings_changed(self, screen: Screen) -> None:  # type: ignore[type-arg]
        if self._bindings_ready and self._shown is not None and screen is self.screen \
                and self._signature(screen) == self._shown:
            return
        super().bindings_changed(screen)


class TopBar(Static):
    """One line: store · staff (role) · terminal · local time · language [· PRACTICE]."""

    DEFAULT_CSS = """
    TopBar { dock: top; height: 1; background: $primary; color: $text; padding: 0 1; }
    TopBar.-practice { background: $warning; color: black; }
    """

    def on_mount(self) -> None:
        self.refresh_bar()
        self.set_interval(15, self.refresh_bar)

    def refresh_bar(self) -> None:
        app: StoreposApp = self.app  # type: ignore[assignment]
        parts: list[str] = []
        store = getattr(app, "store", None)
        if store is not None:
            parts.append(pick(store.name_zh, store.name_en))
        actor = getattr(app, "actor", None)
        if actor is not None:
            parts.append(t("topbar.who", name=actor.name, role=t("role." + actor.role)))
        parts.append(t("topbar.terminal", code=app.settings.terminal))
        if store is not None:
            parts.append(clock.get().local_now(store.timezone).strftime("%H:%M"))
        parts.append(t("lang.name"))
        text = Text(" · ".join(parts))
        if app.settings.practice:
            self.add_class("-practice")
            text = Text(t("topbar.practice") + "  ") + text
        self.update(text)


class StepRail(Static):
    """The procedure rail with the current step marked, its SOP tip and what comes next."""

    DEFAULT_CSS = """
    StepRail { height: auto; padding: 0 1; border: round $primary; margin: 0 0 1 0; }
    """

    def __init__(self, current: str | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.current = current

    def on_mount(self) -> None:
        self.render_rail()

    def set_step(self, code: str | None) -> None:
        self.current = code
        self.render_rail()

    def render_rail(self) -> None:
        text = Text()
        landed = {a.step for a in AREAS.values() if a.step}
        shown = 0
        for code, key in RAIL:
            if code not in landed and code != self.current:
                continue  # only steps whose screen exists
            try:
                entry = sop.step(code)
            except KeyError:
                continue
            shown += 1
            if shown > 1:
                text.append(" → ", style="dim")
            label = f"{key} {entry.label}"
            text.append(label, style="bold reverse" if code == self.current else "")
        if not shown and not self.current:
            text.append(t("rail.none"), style="dim")
        if self.current:
            try:
                entry = sop.step(self.current)
            except KeyError:
                entry = None
            if entry is not None:
                text.append("\n")
                # No space after "要点：" before Chinese: a space lets the whole tip (one "word" to the
                # wrapper) jump to the next line, which a short rail cuts off.
                tip = entry.tip
                text.append(t("rail.tip") + (" " if tip[:1].isascii() else ""), style="bold")
                text.append(tip)
                nxt = pick(entry.get("next_zh", ""), entry.get("next_en", ""))
                if nxt:
                    text.append("\n")
                    text.append(t("rail.next") + " ", style="bold")
                    text.append(nxt)
        self.update(text)
