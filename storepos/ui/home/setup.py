"""First run: store name, opening time, the first manager's name, code and PIN."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Input, Static

from storepos.i18n import t
from storepos.services import staff
from storepos.services.core.errors import DomainError
from storepos.ui.kit.screen import StoreposScreen
from storepos.ui.kit.form import FormField


class SetupScreen(StoreposScreen):
    BINDINGS = [Binding("ctrl+s", "submit", "key.save")]

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="setup"):
            yield Static(t("setup.title"), classes="title")
            yield Static(t("setup.intro"), classes="hint")
            yield FormField("setup.store_name", Input(id="store_name"), name="store_name")
            yield FormField("setup.opening_time", Input("09:00", id="opening_time"), name="opening_time")
            yield FormField("setup.manager_name", Input(id="manager_name"), name="manager_name")
            yield FormField("setup.manager_code", Input(id="manager_code"), name="manager_code")
            yield FormField("setup.manager_pin", Input(password=True, id="manager_pin"), name="manager_pin")
            yield FormField("setup.manager_pin2", Input(password=True, id="manager_pin2"), name="manager_pin2")
            yield Static("", id="message")
            yield Button(t("setup.create"), id="create", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#store_name", Input).focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        idx = inputs.index(event.input)
        if idx + 1 < len(inputs):
            inputs[idx + 1].focus()
        else:
            self.action_submit()

    @on(Button.Pressed, "#create")
    def action_submit(self) -> None:
        self.clear_errors()
        values = {i.id: i.value for i in self.query(Input)}
        if values["manager_pin"] != values["manager_pin2"]:
            self.show_error(DomainError("err.pin_mismatch", field="manager_pin2"))
            return
        try:
            actor = staff.first_run(values, terminal=self.sapp.settings.terminal)
        except DomainError as exc:
            self.show_error(exc)
            return
        self.sapp.load_store()
        self.notify(t("setup.done", name=actor.name))
        self.sapp.signed_in(actor)

    def relabel(self) -> None:
        super().relabel()
        self.query_one(".title", Static).update(t("setup.title"))
