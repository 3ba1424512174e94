"""The manager's PIN on the spot: a form that grants an override and returns the Approval.

``push_screen(ManagerApproval(kind, why, entity=..., entity_id=...), callback)``: callback gets
the recorded Approval, or None when cancelled.  A wrong PIN empties the PIN field (and counts
towards the manager's lockout); the code and reason stay.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text

from storepos.i18n import t
from storepos.services.core import approvals
from storepos.services.core.errors import DomainError
from storepos.ui.kit.fields import Field
from storepos.ui.kit.form import FormModal
from storepos.ui.kit.inputs import KitInput


class ManagerApproval(FormModal[Any]):
    HINT_KEY = "approval.hint"

    def __init__(self, kind: str, why: str, *, entity: str = "", entity_id: object = "",
                 detail: dict[str, Any] | None = None, reason: str = "") -> None:
        super().__init__()
        self.kind = kind
        self.why = why
        self.entity = entity
        self.entity_id = entity_id
        self.detail = detail or {}
        self.default_reason = reason

    def form_title(self) -> str | Text:
        return t("approval.title", kind=t(f"approval.kind.{self.kind}"))

    def intro(self) -> str | Text | None:
        return self.why

    def fields(self) -> Sequence[Field]:
        return [
            Field("code", "approval.manager_code", max_length=20),
            Field("pin", "approval.manager_pin", password=True, max_length=8),
            Field("reason", "approval.reason", value=self.default_reason, max_length=500),
        ]

    def save(self, values: dict[str, Any]) -> Any:
        try:
            return approvals.grant(self.actor, self.kind, values["code"], values["pin"], values["reason"],
                                   entity=self.entity, entity_id=self.entity_id, detail=self.detail)
        except DomainError as exc:
            if exc.field == "pin":
                pin = self.widget("pin")
                assert isinstance(pin, KitInput)
                pin.value = ""
            raise
