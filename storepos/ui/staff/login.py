"""Login: staff code + PIN.  On the demo database the demo codes and PINs are shown."""

from __future__ import annotations

from rich.table import Table
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from rich.text import Text
from textual.widgets import Input, Static

from storepos.i18n import pick, t
from storepos.services import staff
from storepos.services.core.errors import DomainError
from storepos.ui.kit.screen import StoreposScreen
from storepos.ui.kit.fields import FormField
from storepos.ui.kit.inputs import KitInput
from storepos.ui.kit.text import safe


class LoginScreen(StoreposScreen):
    BINDINGS: list = []

    def compose_body(self) -> ComposeResult:
        store = self.sapp.store
        with Horizontal(id="login-body"):
            with Vertical(id="login-form"):
                yield Static(safe(pick(store.name_zh, store.name_en) if store else "storepos"), classes="title",
                             id="login-store")
                yield Static(t("login.prompt"), classes="hint", id="login-prompt")
                yield FormField("login.code", KitInput(id="code", max_length=20), name="code")
                yield FormField("login.pin", KitInput(id="pin", password=True, max_length=8), name="pin")
                yield Static("", id="message")
            if self.sapp.settings.demo:
                yield Static(self._demo_table(), id="demo-codes")

    def _demo_table(self) -> Table:
        from storepos.services.demo import demo_staff

        table = Table(title=t("login.demo_title"), show_edge=False, padding=(0, 1), expand=True)
        table.add_column(t("login.demo_code"), no_wrap=True)
        table.add_column(t("login.pin"), no_wrap=True)
        table.add_column(t("login.demo_who"))
        for s in demo_staff():
            table.add_row(Text(str(s["code"])), Text(str(s["pin"])),
                          Text(t("topbar.who", name=s["name"], role=t("role." + s["role"]))))
        return table

    def on_mount(self) -> None:
        self.query_one("#code", Input).focus()

    @on(Input.Submitted, "#code")
    def _code_done(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    def _pin_done(self) -> None:
        self.attempt()

    def attempt(self) -> None:
        self.clear_errors()
        store = self.sapp.store
        code = self.query_one("#code", Input).value.strip()
        pin = self.query_one("#pin", Input).value
        if not code:
            self.show_error(DomainError("err.required", field="code"))
            return
        try:
            actor = staff.login(store.id, code, pin, self.sapp.settings.terminal)  # type: ignore[union-attr]
        except DomainError as exc:
            self.query_one("#pin", Input).value = ""
            if exc.field == "code":
                self.show_error(exc)
            else:
                self.show_error(DomainError(exc.key, field="pin", **exc.params))
            return
        self.sapp.signed_in(actor)

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#login-prompt", Static).update(t("login.prompt"))
        if self.sapp.settings.demo:
            self.query_one("#demo-codes", Static).update(self._demo_table())
