"""Staff (managers): add staff, change role and discount authority, reset a PIN, unlock, deactivate.

Every action names the person it acts on, in its confirmation and in its result, and the cursor
stays on that person: the next key never lands on someone else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.binding import Binding

from storepos import clock
from storepos.i18n import t
from storepos.services import staff
from storepos.ui.kit.fields import Field
from storepos.ui.kit.form import FormModal
from storepos.ui.kit.lists import Column, ListScreen
from storepos.ui.kit.text import safe

ROLES = ("staff", "manager", "trainer")


def who(s: Any) -> str:
    """A person as actions name them: "Lily Chen (1002)"."""
    return t("staff.who", name=s.name, code=s.code)


class StaffForm(FormModal[int]):
    """Add (no staff given) or edit one staff member; dismissed with their id."""

    def __init__(self, member: Any | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.member = member

    def form_title(self) -> str | Text:
        return t("staff.edit_title_of", who=who(self.member)) if self.member else t("staff.add_title")

    def fields(self) -> Sequence[Field]:
        s = self.member
        roles = [(t(f"role.{r}"), r) for r in ROLES]
        langs = [(t("lang.zh_CN"), "zh_CN"), (t("lang.en"), "en")]
        out = [
            Field("code", "staff.code", value=s.code if s else "", max_length=20),
            Field("name", "staff.name", value=s.name if s else "", max_length=60),
            Field("role", "staff.role", value=s.role if s else "staff", options=roles),
            Field("discount_authority", "staff.authority", value=str(s.discount_authority if s else 0),
                  max_length=3, hint="staff.authority_hint"),
            Field("language", "staff.language", value=(s.language if s and s.language else "zh_CN"), options=langs),
        ]
        if s is None:
            out.append(Field("pin", "staff.pin", password=True, max_length=8))
        return out

    def save(self, values: dict[str, Any]) -> int:
        data = {k: values[k] for k in ("code", "name", "role", "language")}
        data["discount_authority"] = values["discount_authority"] or "0"
        if self.member is None:
            return staff.create_staff(self.actor, data, values.get("pin") or "").id
        return staff.update_staff(self.actor, self.member.id, data).id


class PinForm(FormModal[int]):
    """A new PIN for one staff member (their lockout is cleared too); dismissed with their id."""

    HINT_KEY = "form.hint_one"

    def __init__(self, member: Any) -> None:
        super().__init__()
        self.member = member

    def form_title(self) -> str | Text:
        return t("staff.reset_pin_title", name=who(self.member))

    def fields(self) -> Sequence[Field]:
        return [Field("pin", "staff.pin", password=True, max_length=8)]

    def save(self, values: dict[str, Any]) -> int:
        staff.reset_pin(self.actor, self.member.id, values["pin"] or "")
        return int(self.member.id)


class StaffScreen(ListScreen[Any]):
    TITLE_KEY = "staff.title"
    EMPTY_KEY = "staff.none"
    HINT_KEY = "staff.hint"
    COLUMNS = (
        Column("code", "staff.code"),
        Column("name", "staff.name"),
        Column("role", "staff.role"),
        Column("authority", "staff.authority", justify="right"),
        Column("language", "staff.language"),
        Column("status", "staff.status"),
    )
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("a", "add", "key.add"),
        Binding("e", "edit", "key.edit"),
        Binding("p", "reset_pin", "staff.key_reset_pin"),
        Binding("u", "unlock", "staff.key_unlock"),
        Binding("d", "toggle_active", "staff.key_toggle_active"),
    ]

    def load_rows(self) -> Sequence[Any]:
        return staff.list_staff(self.actor.store_id)

    def row_key(self, row: Any) -> str:
        return str(row.id)

    def row_name(self, row: Any) -> str:
        return who(row)

    def row_cells(self, row: Any) -> Sequence[object]:
        if not row.active:
            status = safe(t("staff.inactive"), style="dim")
        elif row.locked_until and row.locked_until > clock.now():
            status = safe(t("staff.locked"), style="bold red")
        else:
            status = t("staff.active")
        return (row.code, row.name, t(f"role.{row.role}"), f"{row.discount_authority}%",
                t(f"lang.{row.language}") if row.language else "—", status)

    def open_row(self, row: Any) -> None:
        self.action_edit()

    def action_add(self) -> None:
        self.app.push_screen(StaffForm(), self.after_form("staff.added"))

    def action_edit(self) -> None:
        row = self.current
        if row is not None:
            self.app.push_screen(StaffForm(row), self.after_form("staff.saved_who", key=str(row.id)))

    def action_reset_pin(self) -> None:
        row = self.current
        if row is not None:
            self.app.push_screen(PinForm(row), self.after_form("staff.pin_reset", key=str(row.id)))

    def action_unlock(self) -> None:
        self.act(lambda row: staff.unlock_staff(self.actor, row.id), done="staff.unlocked")

    def action_toggle_active(self) -> None:
        row = self.current
        if row is None:
            self.say(t("list.no_row"), error=True)
            return
        if row.active:
            self.act(lambda r: staff.update_staff(self.actor, r.id, {"active": False}), done="staff.deactivated",
                     confirm="staff.confirm_deactivate")
        else:
            self.act(lambda r: staff.update_staff(self.actor, r.id, {"active": True}), done="staff.reactivated")
