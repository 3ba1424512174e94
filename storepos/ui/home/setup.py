"""First run: store name, opening time, the first manager's name, code and PIN (a kit form)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storepos.i18n import t
from storepos.services import staff
from storepos.services.core.errors import DomainError
from storepos.ui.kit.fields import Field
from storepos.ui.kit.form import FormModal


class SetupScreen(FormModal[Any]):
    """Dismissed with the first manager's Actor; there is nothing behind it to go back to."""

    TITLE_KEY = "setup.title"

    def intro(self) -> str:
        return t("setup.intro")

    def fields(self) -> Sequence[Field]:
        return [
            Field("store_name", "setup.store_name", max_length=100),
            Field("opening_time", "setup.opening_time", value="09:00", max_length=5),
            Field("manager_name", "setup.manager_name", max_length=60),
            Field("manager_code", "setup.manager_code", max_length=20),
            Field("manager_pin", "setup.manager_pin", password=True, max_length=8),
            Field("manager_pin2", "setup.manager_pin2", password=True, max_length=8),
        ]

    def save(self, values: dict[str, Any]) -> Any:
        if values["manager_pin"] != values["manager_pin2"]:
            raise DomainError("err.pin_mismatch", field="manager_pin2")
        return staff.first_run(values, terminal=self.sapp.settings.terminal)

    def action_cancel(self) -> None:
        """Esc does nothing here: the store must be set up before anything else."""
