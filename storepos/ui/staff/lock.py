"""The idle lock: covers the screen until the same staff member (or a manager) enters a PIN.
Dismissing it returns to the exact screen and input that was left."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Static

from storepos.i18n import t
from storepos.services import staff
from storepos.services.core.errors import DomainError
from storepos.ui.kit.screen import StoreposModal
from storepos.ui.kit.form import FormField


class LockScreen(StoreposModal):
    BINDINGS = [Binding("f10", "logout", "key.logout", priority=True)]

    def compose(self) -> ComposeResult:
        actor = self.actor
        with Vertical(id="lock-box"):
            yield Static(t("lock.title"), classes="title")
            yield Static(t("lock.who", name=actor.name, code=actor.code), id="lock-who")
            yield FormField("login.code", Input(actor.code, id="code", max_length=20), name="code")
            yield FormField("login.pin", Input(id="pin", password=True, max_length=8), name="pin")
            yield Static("", id="message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#code")
    def _code_done(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    def _unlock(self) -> None:
        self.clear_errors()
        code = self.query_one("#code", Input).value.strip()
        pin = self.query_one("#pin", Input).value
        try:
            staff.unlock_check(self.actor, code, pin)
        except DomainError as exc:
            self.query_one("#pin", Input).value = ""
            self.show_error(exc if exc.field else DomainError(exc.key, field="pin", **exc.params))
            return
        self.dismiss("unlocked")

    def action_logout(self) -> None:
        self.dismiss("logout")
