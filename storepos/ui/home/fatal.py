"""A screen that says why the app cannot go on (e.g. the pepper file is missing)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from storepos.i18n import t
from storepos.ui.kit.chrome import KeyFooter
from storepos.ui.kit.screen import StoreposScreen
from storepos.ui.kit.text import safe


class FatalScreen(StoreposScreen):
    BINDINGS = [Binding("escape,q", "app.quit", "key.quit")]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="fatal"):
            yield Static(t("fatal.title"), classes="title")
            yield Static(safe(self.message, lines=True), id="fatal-message")
        yield KeyFooter()
