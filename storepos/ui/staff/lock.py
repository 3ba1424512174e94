"""The idle lock: covers the screen until the same staff member (or a manager) enters a PIN.
Dismissing it returns to the exact screen and input that was left."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding

from storepos.i18n import t
from storepos.services import staff
from storepos.services.core.errors import DomainError
from storepos.ui.kit.chrome import KeyFooter
from storepos.ui.kit.fields import Field
from storepos.ui.kit.form import FormModal


class Unlocked(enum.Enum):
    """How the lock ended: the same terminal goes on, or its user logs out."""

    BACK = "back"
    LOGOUT = "logout"


class LockScreen(FormModal[Unlocked]):
    HINT_KEY = "lock.hint"
    BINDINGS = [
        Binding("f10", "logout", "key.logout", priority=True),
        Binding("enter", "next_field", "key.next_field", show=False),
    ]

    def form_title(self) -> str | Text:
        return t("lock.title")

    def intro(self) -> str:
        return t("lock.who", name=self.actor.name, code=self.actor.code)

    def fields(self) -> Sequence[Field]:
        return [Field("code", "login.code", value=self.actor.code, max_length=20),
                Field("pin", "login.pin", password=True, max_length=8)]

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield KeyFooter()

    def initial_focus(self) -> Any:
        return self.widget("pin")

    def save(self, values: dict[str, Any]) -> Unlocked:
        try:
            staff.unlock_check(self.actor, (values["code"] or "").strip(), values["pin"] or "")
        except DomainError as exc:
            self.widget("pin").value = ""  # type: ignore[attr-defined]
            raise exc if exc.field else DomainError(exc.key, field="pin", **exc.params) from None
        return Unlocked.BACK

    def action_cancel(self) -> None:
        """Esc does not unlock."""

    def action_logout(self) -> None:
        self.dismiss(Unlocked.LOGOUT)
