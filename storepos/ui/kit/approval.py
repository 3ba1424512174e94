"""The manager's PIN on the spot: a modal that grants an override and returns the Approval."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from storepos.i18n import t
from storepos.services.core import approvals
from storepos.services.core.errors import DomainError
from storepos.ui.kit.screen import StoreposModal
from storepos.ui.kit.form import FormField


class ManagerApproval(StoreposModal):
    """push_screen(ManagerApproval(kind, why), callback): callback gets the Approval or None."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel")]

    def __init__(self, kind: str, why: str, *, entity: str = "", entity_id: object = "",
                 detail: dict[str, Any] | None = None, reason: str = "") -> None:
        super().__init__()
        self.kind = kind
        self.why = why
        self.entity = entity
        self.entity_id = entity_id
        self.detail = detail or {}
        self.default_reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="approval-box", classes="modal-box"):
            yield Static(t("approval.title", kind=t(f"approval.kind.{self.kind}")), classes="title")
            yield Static(self.why, id="approval-why")
            yield FormField("approval.manager_code", Input(id="manager_code", max_length=20), name="code")
            yield FormField("approval.manager_pin", Input(id="manager_pin", password=True, max_length=8),
                            name="pin")
            yield FormField("approval.reason", Input(self.default_reason, id="reason", max_length=500),
                            name="reason")
            yield Static(t("approval.hint"), classes="hint")
            yield Static("", id="message")

    def on_mount(self) -> None:
        self.query_one("#manager_code", Input).focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        order = ["manager_code", "manager_pin", "reason"]
        idx = order.index(event.input.id or "")
        if idx < 2:
            self.query_one(f"#{order[idx + 1]}", Input).focus()
        else:
            self.submit()

    def submit(self) -> None:
        self.clear_errors()
        try:
            approval = approvals.grant(
                self.actor, self.kind, self.query_one("#manager_code", Input).value,
                self.query_one("#manager_pin", Input).value, self.query_one("#reason", Input).value,
                entity=self.entity, entity_id=self.entity_id, detail=self.detail)
        except DomainError as exc:
            if exc.field == "pin":
                self.query_one("#manager_pin", Input).value = ""
            self.show_error(exc)
            return
        self.dismiss(approval)

    def action_cancel(self) -> None:
        self.dismiss(None)
