"""The parts every screen shares: the top bar (store, staff, terminal, time) and the step rail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from storepos import clock
from storepos.i18n import pick, t
from storepos.services.core import sop
from storepos.ui.kit.areas import AREAS, RAIL
from storepos.ui.kit.text import Plain

if TYPE_CHECKING:
    from storepos.ui.app import StoreposApp



class KeyFooter(Widget, can_focus=False):
    """The footer of every screen: the screen's keys on one line, the palette key on the right.

    One widget drawing one line of text, where Textual's footer mounts a widget per key and
    rebuilds them all whenever the bindings may have changed (each focus move, each key that
    touches a binding's state): at the counter that was a third of the cost of a keypress.  It
    redraws only when what it shows (key, label, enabled) changes.  A click on a key presses it.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description", "footer-key--disabled"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom; height: 1; width: 1fr; text-wrap: nowrap; text-overflow: clip;
        color: $footer-foreground; background: $footer-background;
        .footer-key--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        .footer-key--description { color: $footer-description-foreground;
                                   background: $footer-description-background; }
        .footer-key--disabled { text-style: dim; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[Any, ...] = ()
        self._spans: list[tuple[int, int, str]] = []  # (start, end, key) of each key drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _keys(self, screen: Screen) -> tuple[Any, ...]:  # type: ignore[type-arg]
        """(key, shown key, label, enabled) of each key to show, and the palette's (or None)."""
        app = screen.app
        seen: set[str] = set()
        keys = []
        palette = None
        # The screen's own keys first (its step's keys, in the order it declares them), then the
        # focused widget's, then the app's: the same order whichever widget has the focus.
        rank = {id(screen): 0, id(app): 2}

        def place(active: Any) -> tuple[int, int]:
            declared = list(active.node._bindings.key_to_bindings)
            return rank.get(id(active.node), 1), declared.index(active.binding.key) \
                if active.binding.key in declared else len(declared)

        found = sorted(screen.active_bindings.values(), key=place)
        for _node, b, enabled, _tooltip in found:
            if b.key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = (b.key, app.get_key_display(b), b.description, bool(enabled))
            elif b.show and b.action not in seen:  # one key per action, as Textual's footer
                seen.add(b.action)
                keys.append((b.key, app.get_key_display(b), b.description, bool(enabled)))
        return tuple(keys), palette

    def _bindings_changed(self, screen: Screen) -> None:  # type: ignore[type-arg]
        if not self.is_attached or screen is not self.screen:
            return
        shown = self._keys(screen)
        if shown != self._shown:
            self._shown = shown
            self.refresh()

    def render(self) -> Text:
        """The keys from the left, each whole or not at all; the palette's key always on the right."""
        keys, palette = self._shown or ((), None)
        styles = (self.get_component_rich_style("footer-key--key", partial=True),
                  self.get_component_rich_style("footer-key--description", partial=True))
        dim = self.get_component_rich_style("footer-key--disabled", partial=True)

        def item(shown: str, label: str, enabled: bool) -> Text:
            key_style, desc_style = (s + dim for s in styles) if not enabled else styles
            text = Text(f" {shown} ", key_style, end="")
            if label:
                text.append(f"{label} ", desc_style)
            return text

        width = self.size.width
        right = item(*palette[1:]) if palette is not None else Text()
        room = width - (right.cell_len + 1 if palette is not None else 0)
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, str]] = []
        for key, *rest in keys:
            text = item(*rest)
            if line.cell_len + text.cell_len > room:
                break
            spans.append((line.cell_len, line.cell_len + text.cell_len, key))
            line.append_text(text)
        if palette is not None and right.cell_len < width:
            line.append(" " * (room - line.cell_len))
            line.append("▏")
            spans.append((line.cell_len, line.cell_len + right.cell_len, palette[0]))
            line.append_text(right)
        self._spans = spans
        return line

    def on_resize(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return

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
        self.update(text, layout=False)  # one docked line: its size never changes


# The journey's step (services.journey) -> the rail's step it is at, and whether that step is
# behind it (a receipt: the sale is made).
_JOURNEY_AT = {"visit": ("greet", False), "needs": ("needs", False), "quote": ("quote", False),
               "checkout": ("close", False), "receipt": ("close", True), "followup": ("aftersales", False)}


class StepRail(Plain):
    """The procedure rail with the current step marked, its SOP tip and what comes next; the
    steps the terminal's journey has behind it carry a ✓ (the rail reads the journey)."""

    DEFAULT_CSS = """
    StepRail { height: auto; padding: 0 1; border: round $primary; margin: 0 0 1 0; }
    """

    def __init__(self, current: str | None = None, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.current = current

    def on_mount(self) -> None:
        self.render_rail()

    def set_step(self, code: str | None) -> None:
        self.current = code
        self.render_rail()

    def steps_done(self) -> set[str]:
        """The rail's steps the terminal's open journey has passed."""
        handle = getattr(self.app, "journey", None)
        if handle is None or getattr(self.app, "actor", None) is None:
            return set()
        state = handle.state()
        if state is None or state.step not in _JOURNEY_AT:
            return set()
        at, passed = _JOURNEY_AT[state.step]
        order = [code for code, _ in RAIL]
        done = set(order[1:order.index(at)])  # from the greeting on: the checklist is the day's, not the journey's
        return done | {at} if passed else done

    def render_rail(self) -> None:
        text = Text()
        landed = {a.step for a in AREAS.values() if a.step}
        done = self.steps_done()
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
            label = f"{'✓' if code in done else ''}{key} {entry.label}"
            text.append(label, style="bold reverse" if code == self.current else ("dim" if code in done else ""))
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
