"""The storepos Textual app, built by make_app(settings) for the CLI and every UI test."""

from __future__ import annotations

import time
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.screen import Screen

from storepos import clock
from storepos.config import Settings
from storepos.i18n import get_language, set_language, t
from storepos.paths import styles_dir
from storepos.services import journey, manifest, staff
from storepos.services.core import audit, printout
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError
from storepos.services.core.permissions import can
from storepos.services.core.store import ensure_terminal, first_store
from storepos.ui.kit import areas
from storepos.ui.kit.palette import KitCommandPalette
from storepos.ui.kit.screen import is_key, translate_bindings

# What the app returns (App.exit result) when a trainer switches between the live and the practice
# database: storepos.cli._run_app runs the app again on the other one.
RESTART_PRACTICE = "restart:practice"
RESTART_LIVE = "restart:live"


def own_binding(node: Any, binding: Binding) -> bool:
    """Whether *binding* of *node* is one storepos declares (not a Textual widget's own key)."""
    for cls in type(node).__mro__:
        if cls.__module__.startswith("storepos") and any(
                (b.action if isinstance(b, Binding) else b[1]) == binding.action for b in cls.__dict__.get("BINDINGS", ())):
            return True
    return False


class AreaCommands(Provider):
    """The command palette: every area the user may open, every action of the current screen
    (each key binding there, by its name in the user's language) and the app's own actions."""

    def _commands(self) -> list[tuple[str, str, Any]]:
        app: StoreposApp = self.app  # type: ignore[assignment]
        out: list[tuple[str, str, Any]] = []
        if app.actor is None:
            return out
        screen = self.screen  # the screen under the palette
        out.extend(self._screen_actions(app, screen))
        extra = getattr(screen, "palette_commands", None)
        if extra is not None:
            seen = {label for label, _h, _cb in out}
            out.extend((label, help_, cb) for label, help_, cb in extra() if label not in seen)
        for area in list(areas.rail_areas()) + areas.role_areas():
            if can(app.actor, area.permission):
                out.append((t(area.label), t(area.help) if area.help else "", partial(app.open_area, area.id)))
        out.append((t("palette.home"), "", app.action_go_home))
        out.append((t("palette.language"), "", app.action_switch_language))
        out.append((t("palette.lock"), "", app.action_lock))
        out.append((t("palette.logout"), "", app.action_logout))
        return out

    @staticmethod
    def _screen_actions(app: StoreposApp, screen: Screen) -> list[tuple[str, str, Any]]:
        """Each enabled binding storepos gives *screen* and its focused widgets, named by its
        description; the key is the help line.  Area keys and the app's own keys come below;
        Textual's own widget keys (cursor moves, copy) are not actions of the shop."""
        out: list[tuple[str, str, Any]] = []
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            b = active.binding
            if not active.enabled or not b.description or active.node is app or not own_binding(active.node, b):
                continue
            if b.action.startswith(("open_area", "open_global", "app.")):
                continue
            label = t(b.description) if is_key(b.description) else b.description
            if label in seen:
                continue
            seen.add(label)
            node = active.node
            out.append((label, app.get_key_display(b),
                        partial(app.call_later, app.run_action, b.action, node)))
        return out

    async def discover(self) -> Hits:
        for label, help_, cb in self._commands():
            yield Hit(1.0, label, cb, help=help_ or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_, cb in self._commands():
            score = matcher.match(label)
            if score > 0 or (query and query.lower() in label.lower()):
                yield Hit(max(score, 0.5), matcher.highlight(label), cb, help=help_ or None)


class StoreposApp(App[int]):
    TITLE = "storepos"
    COMMANDS = {AreaCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS = [
        Binding("f12", "switch_language", "key.language", priority=True),
        Binding("ctrl+l", "lock", "key.lock", priority=True),
        Binding("ctrl+q", "quit", "key.quit", priority=True, show=False),
        # Declared here (not left to Textual) so the footer names the palette in the user's language.
        Binding("ctrl+p", "command_palette", "key.palette", priority=True, show=False),
    ]

    def __init__(self, settings: Settings, **kwargs: Any) -> None:
        self.CSS_PATH = [str(p) for p in sorted(styles_dir().glob("*.tcss"))]
        super().__init__(**kwargs)
        self.settings = settings
        self.actor: Actor | None = None
        self.store: Any = None  # the store this terminal belongs to (services.core.store)
        self.last_input = time.monotonic()
        self.locked = False
        # The terminal's journey, kept in the database: what a step hands the next (a visit to its
        # quote or checkout, an accepted quote to checkout) and the step reached (services.journey).
        self.journey: journey.Journey | None = None
        for area in areas.AREAS.values():
            if area.global_key:  # one key from anywhere on the shop floor, even inside a field
                self._bindings.bind(area.global_key, f"open_global('{area.id}')", area.label,
                                    priority=True)
        set_language(settings.lang or get_language())
        translate_bindings(self)

    # How keys are named in the footer and the palette (Textual writes "escape", "tab", "delete").
    KEY_NAMES = {"escape": "Esc", "tab": "Tab", "enter": "Enter", "delete": "Del", "backspace": "⌫",
                 "space": "Space", "up": "↑", "down": "↓", "left": "←", "right": "→", "home": "Home",
                 "end": "End", "pageup": "PgUp", "pagedown": "PgDn", "slash": "/", "minus": "−", "plus": "+",
                 "equals_sign": "=", "question_mark": "?", "full_stop": "."}

    def get_key_display(self, binding: Binding) -> str:
        if binding.key_display:
            return binding.key_display
        first = binding.key.split(",")[0]
        *mods, key = first.split("+") if first not in ("+",) else ["+"]
        name = self.KEY_NAMES.get(key, key.upper() if len(key) > 1 and key[0] == "f" and key[1:].isdigit()
                                  else key)
        return "".join("^" if m == "ctrl" else f"{m.capitalize()}+" for m in mods) + name

    def action_command_palette(self) -> None:
        """The command palette, in the user's language (kit.palette)."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(KitCommandPalette(id="--command-palette"))

    def notify(self, message: str, *, markup: bool = True, **kwargs: Any) -> None:  # type: ignore[override]
        """Notifications are plain text: they often quote what the user typed (e.g. "[/]")."""
        super().notify(message, markup=False, **kwargs)

    # -- start ------------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # The shop's own commands come from AreaCommands; keep Textual's theme/quit entries out.
        return iter(())

    def on_mount(self) -> None:
        from storepos.ui.home.setup import SetupScreen
        from storepos.ui.staff.login import LoginScreen

        self.title = t("app.title")
        if self.settings.practice:
            self.add_class("-practice")  # styles/practice.tcss: every screen and modal marked
        try:
            staff.ensure_pepper()
            audit.check_key()  # a missing/replaced audit key: one clear screen, not a refused sale
        except DomainError as exc:
            from storepos.ui.home.fatal import FatalScreen

            self.push_screen(FatalScreen(exc.message))
            return
        if staff.needs_setup():
            self.push_screen(SetupScreen(), self._set_up)
        else:
            self.load_store()
            self.push_screen(LoginScreen())
        if self.settings.idle_lock_minutes:
            self.set_interval(1.0, self._check_idle)

    def _set_up(self, actor: Any) -> None:
        if actor is None:
            return
        self.load_store()
        self.notify(t("setup.done", name=actor.name))
        self.signed_in(actor)

    def load_store(self) -> None:
        self.store = first_store()
        if self.store is not None:
            ensure_terminal(self.store, self.settings.terminal)
            if self.journey is None:
                self.journey = journey.Journey(store_id=self.store.id, terminal=self.settings.terminal)
            # A cart an earlier version kept in a file comes into the database (nothing lost).
            # HOME/carts is the live folder: a practice run never takes a cart from it.
            kept = Path(self.settings.home) / "carts" / f"{self.settings.terminal}.json"
            if not self.settings.practice and kept.exists():
                from storepos.services import checkout  # only then: its import is a tenth of a start

                checkout.import_cart_file(kept, self.settings.terminal)
            # The printer works in the background: prints queued before a restart go out now.
            printout.start_worker()
            for task in manifest.each(manifest.AT_START):
                task(self.store)

    # -- session ----------------------------------------------------------------------------

    def signed_in(self, actor: Actor) -> None:
        """After login or first-run setup: the staff's language, then home."""
        from storepos.ui.home.home import HomeScreen

        self.actor = actor
        if self.store is None:
            self.load_store()
        if actor.language and not self.settings.lang:
            set_language(actor.language)
        self.last_input = time.monotonic()
        self.relabel_all()
        self.switch_screen(HomeScreen()) if len(self.screen_stack) > 1 else self.push_screen(HomeScreen())

    def action_logout(self) -> None:
        from storepos.ui.staff.login import LoginScreen

        self.actor = None
        self.locked = False
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(LoginScreen())

    def action_go_home(self) -> None:
        from storepos.ui.home.home import HomeScreen

        if self.actor is None or self.locked:
            return
        while len(self.screen_stack) > 2 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Area keys and lock only for a signed-in, unlocked terminal (hidden from the footer otherwise).
        if action in ("open_area", "open_global", "lock"):
            return self.actor is not None and not self.locked
        return True

    def action_open_area(self, area_id: str) -> None:
        self.open_area(area_id)

    def open_area(self, area_id: str) -> None:
        area = areas.AREAS.get(area_id)
        if area is None or self.actor is None or self.locked:
            return
        if not can(self.actor, area.permission):
            self.notify(t("err.permission_denied_area", area=t(area.label)), severity="error")
            return
        area.launch(self)

    def action_open_global(self, area_id: str) -> None:
        """An area's global key (e.g. F2 new visit): on every shop-floor screen, not over a modal
        (an approval, a form) nor before login."""
        from textual.screen import ModalScreen

        if isinstance(self.screen, ModalScreen):
            return
        self.open_area(area_id)

    # -- language ---------------------------------------------------------------------------

    def action_switch_language(self) -> None:
        new = "en" if get_language() == "zh_CN" else "zh_CN"
        self.set_lang(new)

    def set_lang(self, lang: str) -> None:
        set_language(lang)
        if self.actor is not None:
            try:
                staff.set_language(self.actor, lang)
            except DomainError:
                pass
        self.relabel_all()

    def relabel_all(self) -> None:
        self.title = t("app.title")
        translate_bindings(self)
        for screen in self.screen_stack:
            relabel = getattr(screen, "relabel", None)
            if relabel is not None:
                relabel()
        self.refresh_bindings()

    # -- idle lock --------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.Paste)):
            self.last_input = time.monotonic()
            if not self._screen_stack:
                return  # the rest of a scanner's burst arriving while the app closes: no screen to take it
        await super().on_event(event)

    def _check_idle(self) -> None:
        limit = self.settings.idle_lock_minutes * 60
        if self.actor is not None and not self.locked and time.monotonic() - self.last_input >= limit:
            self.action_lock()

    def action_lock(self) -> None:
        from storepos.ui.staff.lock import LockScreen

        if self.actor is None or self.locked:
            return
        self.locked = True
        self.push_screen(LockScreen(), self._unlocked)

    def _unlocked(self, result: Any) -> None:
        self.locked = False
        self.last_input = time.monotonic()
        from storepos.ui.staff.lock import Unlocked

        if result is Unlocked.LOGOUT:
            self.action_logout()

    def restart_into(self, practice: bool) -> None:
        """End the app asking the CLI to run it again on the practice (or the live) database."""
        self.exit(result=RESTART_PRACTICE if practice else RESTART_LIVE)  # type: ignore[arg-type]

    def now_local(self) -> Any:
        assert self.store is not None
        return clock.get().local_now(self.store.timezone)


def make_app(settings: Settings, **kwargs: Any) -> StoreposApp:
    """Build the app from settings; the database must already be open (services.bootstrap)."""
    return StoreposApp(settings, **kwargs)
