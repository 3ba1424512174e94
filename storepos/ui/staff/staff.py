"""Staff (managers): add staff, change role and discount authority, reset a PIN, unlock."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Select, Static

from storepos import clock
from storepos.i18n import t
from storepos.services.staff import create_staff, list_staff, reset_pin, unlock_staff, update_staff
from storepos.services.core.errors import DomainError
from storepos.ui.kit.screen import StoreposModal, StoreposScreen
from storepos.ui.kit.form import FormField


class StaffForm(StoreposModal):
    """Add or edit one staff member; returns True when saved."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel"), Binding("ctrl+s", "save", "key.save")]

    def __init__(self, staff: Any | None = None) -> None:
        super().__init__()
        self.staff = staff

    def compose(self) -> ComposeResult:
        s = self.staff
        roles = [(t(f"role.{r}"), r) for r in ("staff", "manager", "trainer")]
        langs = [(t("lang.zh_CN"), "zh_CN"), (t("lang.en"), "en")]
        with Vertical(classes="modal-box", id="staff-form"):
            yield Static(t("staff.edit_title" if s else "staff.add_title"), classes="title")
            yield FormField("staff.code", Input(s.code if s else "", id="code", max_length=20), name="code")
            yield FormField("staff.name", Input(s.name if s else "", id="name", max_length=60), name="name")
            yield FormField("staff.role", Select(roles, value=s.role if s else "staff", allow_blank=False,
                                                 id="role"), name="role")
            yield FormField("staff.authority", Input(str(s.discount_authority if s else 0), id="authority",
                                                     type="integer", max_length=3), name="discount_authority")
            yield FormField("staff.language", Select(langs, value=(s.language if s and s.language else "zh_CN"),
                                                     allow_blank=False, id="language"), name="language")
            if s is None:
                yield FormField("staff.pin", Input(id="pin", password=True, max_length=8), name="pin")
            yield Static("", id="message")
            yield Static(t("staff.form_hint"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#code", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        idx = inputs.index(event.input)
        if idx + 1 < len(inputs):
            inputs[idx + 1].focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        self.clear_errors()
        data = {
            "code": self.query_one("#code", Input).value,
            "name": self.query_one("#name", Input).value,
            "role": self.query_one("#role", Select).value,
            "discount_authority": self.query_one("#authority", Input).value or "0",
            "language": self.query_one("#language", Select).value,
        }
        try:
            if self.staff is None:
                create_staff(self.actor, data, self.query_one("#pin", Input).value)
            else:
                update_staff(self.actor, self.staff.id, data)
        except DomainError as exc:
            self.show_error(exc)
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class PinForm(StoreposModal):
    BINDINGS = [Binding("escape", "cancel", "key.cancel")]

    def __init__(self, staff: Any) -> None:
        super().__init__()
        self.staff = staff

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Static(t("staff.reset_pin_title", name=self.staff.name), classes="title")
            yield FormField("staff.pin", Input(id="pin", password=True, max_length=8), name="pin")
            yield Static("", id="message")

    def on_mount(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted)
    def _save(self) -> None:
        self.clear_errors()
        try:
            reset_pin(self.actor, self.staff.id, self.query_one("#pin", Input).value)
        except DomainError as exc:
            self.show_error(exc if exc.field else DomainError(exc.key, field="pin", **exc.params))
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class StaffScreen(StoreposScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "key.back"),
        Binding("a", "add", "key.add"),
        Binding("e", "edit", "key.edit"),
        Binding("p", "reset_pin", "staff.key_reset_pin"),
        Binding("u", "unlock", "staff.key_unlock"),
        Binding("d", "toggle_active", "staff.key_toggle_active"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(t("staff.title"), classes="title", id="staff-title")
        yield DataTable(id="staff-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="message")

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns(t("staff.code"), t("staff.name"), t("staff.role"), t("staff.authority"),
                          t("staff.language"), t("staff.status"))
        now = clock.now()
        self._rows = list_staff(self.actor.store_id)
        for s in self._rows:
            if not s.active:
                status = t("staff.inactive")
            elif s.locked_until and s.locked_until > now:
                status = t("staff.locked")
            else:
                status = t("staff.active")
            table.add_row(s.code, s.name, t(f"role.{s.role}"), f"{s.discount_authority}%",
                          t(f"lang.{s.language}") if s.language else "—", status, key=str(s.id))
        table.focus()

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_edit()

    def _current(self) -> Any | None:
        table = self.query_one(DataTable)
        if not self._rows or table.cursor_row is None or table.cursor_row >= len(self._rows):
            return None
        return self._rows[table.cursor_row]

    def _after(self, saved: Any) -> None:
        if saved:
            self.say(t("staff.saved"))
        self.load()

    def action_add(self) -> None:
        self.app.push_screen(StaffForm(), self._after)

    def action_edit(self) -> None:
        s = self._current()
        if s is not None:
            self.app.push_screen(StaffForm(s), self._after)

    def action_reset_pin(self) -> None:
        s = self._current()
        if s is not None:
            self.app.push_screen(PinForm(s), self._after)

    def action_unlock(self) -> None:
        s = self._current()
        if s is None:
            return
        unlock_staff(self.actor, s.id)
        self.say(t("staff.unlocked", name=s.name))
        self.load()

    def action_toggle_active(self) -> None:
        s = self._current()
        if s is None:
            return
        try:
            update_staff(self.actor, s.id, {"active": not s.active})
        except DomainError as exc:
            self.show_error(exc)
            return
        self.load()

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#staff-title", Static).update(t("staff.title"))
        self.load()
