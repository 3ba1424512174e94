"""The crawler: opens every area a role may open, presses every key its screens offer (the footer's
and the palette's: each enabled binding of the screen and of its focusable widgets), fills each
form it opens with hostile data and saves it, then goes back with Esc.  After every step it reads
the screen and records a problem for:

- an exception (the app stops; the crawl ends there);
- a raw message key on screen (``quote.key_give`` instead of its text);
- Latin-only words in the Chinese UI beyond what may be Latin there (data: names, codes, units;
  key names like Esc and Ctrl; PIN, VAT, CSV …);
- a dialog's hint line (what its keys do: save, cancel) cut or scrolled out of sight.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from typing import Any

from textual.containers import ScrollableContainer
from textual.screen import ModalScreen, Screen
from textual.widgets import Checkbox, DataTable, Input, Select

from crawl.hostile import HOSTILE_NAMES, TYPED
from storepos.i18n import catalog

# Keys the crawler never presses: they leave the area or the app (quit, lock, log out, language —
# each has its own tests), move focus only, or open other areas (crawled on their own).
SKIP_KEYS = {"ctrl+q", "ctrl+l", "f12", "l", "x", "tab", "shift+tab", "escape", "ctrl+c", "ctrl+v", "ctrl+x",
             "ctrl+p", "f2", "f3", "f4", "enter", "up", "down", "left", "right", "home", "end", "pageup",
             "pagedown", "ctrl+home", "ctrl+end", "backspace", "space", "ctrl+a", "ctrl+e", "ctrl+k",
             "ctrl+u", "ctrl+w", "ctrl+f", "ctrl+d", "ctrl+z", "ctrl+y", "shift+left", "shift+right",
             "shift+home", "shift+end", "ctrl+left", "ctrl+right", "ctrl+shift+left", "ctrl+shift+right",
             "delete", "ctrl+shift+z", "ctrl+backspace", "ctrl+delete", "alt+backspace", "shift+up",
             "shift+down", "minus", "plus", "equals_sign"}

# Words that may be Latin in the Chinese UI.
ALLOWED_LATIN = {
    "PIN", "VAT", "CSV", "SKU", "UTF", "GB", "ID", "OK", "QR", "ESC", "Esc", "Enter", "Tab", "Ctrl",
    "Del", "Space", "PgUp", "PgDn", "Shift", "Alt", "Home", "End", "Backspace", "Delete", "Insert",
    "WAL", "SQLite", "PostgreSQL", "storepos", "CJK", "Textual", "A", "B", "C", "D", "E", "T", "S", "Q",
    "WeChat", "Alipay", "POS", "USB", "lp", "CUPS", "kg", "g", "m", "cm", "mm", "ml", "L", "pcs", "x",
    "TV", "PRACTICE", "am", "pm", "AM", "PM", "min", "h", "s",
    "English",  # the language switch names both languages in their own words: 中文/English
    "YYYY", "MM", "DD",  # a date's format, as typed (2026-03-02)
}
# What the crawler types into the palette to see it say that nothing matches (data, not UI text).
NOTHING_MATCHES = "qqzzxx"
_WORD = re.compile(r"[A-Za-z][A-Za-z]+")
_PATH = re.compile(r"\S*/\S*")
_KEYLIKE = re.compile(r"\b[a-z][a-z0-9_]*\.[a-z0-9_.]*[a-z0-9_]\b")


@dataclass
class Crawl:
    app: Any
    pilot: Any
    lang: str
    data_words: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    steps: int = 0
    forms: int = 0
    _typed: int = 0
    where: str = ""
    last: str = "login"  # the last step taken (named in a crash report)
    # Each screen a key opens is read at the run's size, then at each of these (and back).
    also_at: tuple[tuple[int, int], ...] = ()
    _read_at_sizes: weakref.WeakSet[Any] = field(default_factory=lambda: weakref.WeakSet())

    def __post_init__(self) -> None:
        self.keys = {k for k in catalog("en") if "." in k}
        for name in HOSTILE_NAMES + TYPED + [NOTHING_MATCHES]:
            self.data_words.update(_WORD.findall(name))

    # -- reading the screen --------------------------------------------------------------------

    def screen_text(self) -> str:
        strips = self.app.screen._compositor.render_strips()
        return "\n".join(strip.text for strip in strips)

    def _is_data(self, word: str) -> bool:
        """A word of the data (a name, a code), the start of one cut short by a narrow column, or any
        piece of one: a field scrolled sideways shows a window of what was typed in it ("ed" of "red")."""
        return word in self.data_words or any(word in d for d in self.data_words) \
            or any(d.startswith(word) for d in ALLOWED_LATIN)

    def report(self) -> list[str]:
        """The problems, each once, with how many steps showed it and the first of them."""
        seen: dict[str, list[str]] = {}
        for p in self.problems:
            where, _, what = p.partition(": ")
            seen.setdefault(what, []).append(where)
        return [f"{what}  [at {places[0]}" + (f" and {len(places) - 1} more]" if len(places) > 1 else "]")
                for what, places in seen.items()]

    def check(self, where: str) -> bool:
        """Record what is wrong on screen now; False when the app has stopped."""
        self.steps += 1
        exc = getattr(self.app, "_exception", None)
        if exc is not None:
            self.problems.append(f"{where}: exception {type(exc).__name__}: {exc}")
            return False
        if not self.app.is_running:
            self.problems.append(f"{where}: the app stopped")
            return False
        text = self.screen_text()
        for token in set(_KEYLIKE.findall(text)):
            if token in self.keys:
                self.problems.append(f"{where}: raw message key {token!r} on screen")
        for hint in self.cut_hints():
            self.problems.append(f"{where}: the dialog's hint {hint!r} is cut")
        if self.lang == "zh_CN":
            # A file path (an export written, a file to import) is data, shown as it is.
            # A path too long for its line wraps: its pieces are data too.
            paths = " ".join(_PATH.findall("".join(line.strip() for line in text.splitlines())))
            latin = {w for w in _WORD.findall(_PATH.sub(" ", text)) if w not in ALLOWED_LATIN and not self._is_data(w)
                     and w.upper() not in ALLOWED_LATIN and not re.fullmatch(r"F\d{1,2}", w) and w not in paths}
            if latin:
                self.problems.append(f"{where}: Latin-only text in the Chinese UI: {sorted(latin)[:12]}")
        return True

    def cut_hints(self) -> list[str]:
        """The hint lines of the dialog on top (``.hint``: what Enter, Ctrl+S, Esc do) that are not
        wholly in sight; a hint inside a scrolling part (a field's own hint) may scroll away."""
        screen = self.app.screen
        if not isinstance(screen, ModalScreen):
            return []
        cut = []
        for hint in screen.query(".hint"):
            if not hint.display or any(isinstance(a, ScrollableContainer) for a in hint.ancestors):
                continue
            text = " ".join(str(hint.render()).split())
            if not text:
                continue
            try:
                geometry = screen._compositor.find_widget(hint)
            except Exception:
                cut.append(text)
                continue
            if geometry.region.height == 0 or geometry.visible_region != geometry.region \
                    or not screen.region.contains_region(geometry.region):
                cut.append(text)
        return cut

    async def check_sizes(self, where: str) -> bool:
        """check() at the run's size, then at each size of ``also_at`` (the terminal resized, and
        back) the first time a screen shows: every screen read at 80x24 and at 120x40 in one crawl."""
        if not self.check(where):
            return False
        screen = self.app.screen
        if not self.also_at or screen in self._read_at_sizes:
            return True  # a screen already read at every size (the area's own, after an in-place key)
        self._read_at_sizes.add(screen)
        base = self.app.size
        for width, height in self.also_at:
            await self.resize(width, height)
            if not self.check(f"{where} at {width}x{height}"):
                return False
        await self.resize(base.width, base.height)
        return True

    async def resize(self, width: int, height: int) -> None:
        """Resize the terminal and wait until the screen on top is laid out at the new size."""
        await self.pilot.resize_terminal(width, height)
        for _ in range(10):
            if tuple(self.app.screen.size) == (width, height):
                break
            await self.pilot.pause()
        await self.pilot.pause()

    # -- moving around -------------------------------------------------------------------------

    async def settle(self) -> None:
        """Wait until the key's work is done: the app idle, then its workers (a search, a report)."""
        await self.pilot.pause()
        if any(w.is_running for w in self.app.workers):
            try:
                await self.app.workers.wait_for_complete()
            except Exception:
                pass
            await self.pilot.pause()

    async def back_to(self, base: Screen) -> None:
        for _ in range(6):
            if self.app.screen is base or base not in self.app.screen_stack:
                return
            await self.pilot.press("escape")
            await self.pilot.pause()
        while self.app.screen is not base and base in self.app.screen_stack and len(self.app.screen_stack) > 1:
            self.app.pop_screen()
            await self.pilot.pause()

    def keys_of(self, screen: Screen) -> list[tuple[str, Any]]:
        """Every enabled key binding storepos gives the screen, with the focus where it is and on
        each focusable widget with bindings of its own (a table's line keys): (key, widget to focus
        before pressing it)."""
        from storepos.ui.app import own_binding

        found: list[tuple[str, Any]] = []
        keys: set[str] = set()

        def collect(focus: Any) -> None:
            for key, active in screen.active_bindings.items():
                if active.enabled and key not in SKIP_KEYS and key not in keys and active.node is not self.app \
                        and own_binding(active.node, active.binding):
                    keys.add(key)
                    found.append((key, focus))

        focused = screen.focused
        collect(focused)
        for widget in screen.query("*"):
            if widget.focusable and not isinstance(widget, (Input, Select, Checkbox)) and \
                    type(widget).BINDINGS and widget is not focused and widget.display:
                widget.focus()
                collect(widget)
        if focused is not None:
            focused.focus()
        return found

    # -- filling forms -------------------------------------------------------------------------

    def next_typed(self) -> str:
        self._typed += 1
        return TYPED[self._typed % len(TYPED)]

    async def fill(self, where: str) -> None:
        """Type hostile data into every field of the screen on top, then save it (Ctrl+S where the
        screen has it, else Enter in the last field)."""
        screen = self.app.screen
        inputs = [w for w in screen.query(Input) if w.display and not w.disabled and w.region.height]
        if not inputs:
            return
        self.forms += 1
        self.last = f"{where}: filling the form"
        for inp in inputs:
            if self.app.screen is not screen:
                return
            inp.focus()
            text = self.next_typed()
            await self.pilot.press(text[0])  # the first key as typed (a prefill gives way to it)
            inp.insert_text_at_cursor(text[1:])
            await self.pilot.pause()
        if not self.check(f"{where} typed"):
            return
        keys = {k for k, a in screen.active_bindings.items()}
        self.last = f"{where}: saving the form"
        await self.pilot.press("ctrl+s" if "ctrl+s" in keys else "enter")
        await self.settle()
        self.check(f"{where} saved")

    # -- one area ------------------------------------------------------------------------------

    async def area(self, area_id: str) -> None:
        app = self.app
        app.action_go_home()
        await self.settle()
        self.last = f"opening {area_id}"
        app.open_area(area_id)
        await self.settle()
        base = app.screen
        if not await self.check_sizes(f"{area_id}"):
            return
        if app.screen is not base:
            return
        for key, focus in self.keys_of(base):
            if not app.is_running:
                return
            await self.back_to(base)
            if app.screen is not base:
                return
            if focus is not None and focus.is_attached:
                focus.focus()
            where = f"{area_id} [{key}]"
            self.last = where
            await self.pilot.press(key)
            await self.settle()
            if not await self.check_sizes(where):
                return
            if app.screen is not base and base in app.screen_stack:
                await self.fill(where)
                if not app.is_running:
                    return
        await self.back_to(base)
        # each drop-down's list opens and reads right (its Esc key named in the footer)
        for select in [s for s in base.query(Select) if s.display and not s.disabled and s.region.height]:
            if app.screen is not base or not select.is_attached:
                break
            select.focus()
            await self.pilot.press("space")
            await self.settle()
            self.check(f"{area_id} drop-down list")
            await self.pilot.press("escape")
            await self.settle()
        await self.back_to(base)
        # the palette lists the screen's actions by name: it opens and reads right, and so does
        # what it says when nothing matches what was typed
        await self.pilot.press("ctrl+p")
        await self.settle()
        await self.check_sizes(f"{area_id} palette")
        if app.screen is not base:
            await self.pilot.press(*NOTHING_MATCHES)
            await self.pilot.pause(0.6)  # the palette says "no matches" after half a second
            await self.settle()
            self.check(f"{area_id} palette, nothing matching")
        await self.back_to(base)

    async def tables(self, where: str) -> None:
        """Enter on the first row of each table of the screen (opens a page or a form)."""
        base = self.app.screen
        for table in list(base.query(DataTable)):
            if not table.display or not table.row_count:
                continue
            table.focus()
            await self.pilot.press("enter")
            await self.settle()
            if not self.check(f"{where} row"):
                return
            if self.app.screen is not base:
                await self.fill(f"{where} row")
            await self.back_to(base)
