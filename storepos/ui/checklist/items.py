"""Manager: the checklist items themselves (add, reword, retire/restore), a list on the kit.

Every result names the item it acted on and the cursor stays on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget

from storepos.i18n import pick, t
from storepos.services import checklist
from storepos.ui.kit.fields import Field
from storepos.ui.kit.form import FormModal
from storepos.ui.kit.lists import Column, ListScreen
from storepos.ui.kit.text import safe


def item_name(item: Any) -> str:
    """An item as results name it: its wording in the current language."""
    return pick(item.text_zh, item.text_en)


class ItemForm(FormModal[int]):
    """Add (no item given) or reword one checklist item; dismissed with the item's id."""

    def __init__(self, item: Any | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.item = item

    def form_title(self) -> str | Text:
        if self.item is None:
            return t("checklist.item_add")
        return t("checklist.item_edit_of", name=item_name(self.item))

    def fields(self) -> Sequence[Field]:
        i = self.item
        groups = [(e.label, code) for code, e in checklist.group_labels().items()]
        yes_no = [(t("checklist.mandatory_yes"), "yes"), (t("checklist.mandatory_no"), "no")]
        return [
            Field("group", "checklist.item_group", value=i.group if i else groups[0][1], options=groups),
            Field("text_zh", "checklist.item_zh", value=i.text_zh if i else "", max_length=200),
            Field("text_en", "checklist.item_en", value=i.text_en if i else "", max_length=200),
            Field("tip_zh", "checklist.item_tip_zh", value=i.tip_zh if i else "", max_length=1000),
            Field("tip_en", "checklist.item_tip_en", value=i.tip_en if i else "", max_length=1000),
            Field("mandatory", "checklist.item_mandatory",
                  value="yes" if (i is None or i.mandatory) else "no", options=yes_no),
        ]

    def initial_focus(self) -> Widget | None:
        return self.widget("text_zh")

    def save(self, values: dict[str, Any]) -> int:
        data = {name: values.get(name) or "" for name in ("group", "text_zh", "text_en", "tip_zh", "tip_en")}
        data["mandatory"] = values.get("mandatory") == "yes"
        if self.item is None:
            return int(checklist.add_item(self.actor, data).id)
        return int(checklist.reword_item(self.actor, self.item.id, data).id)


class ChecklistItemsScreen(ListScreen[Any]):
    TITLE_KEY = "checklist.items_title"
    EMPTY_KEY = "checklist.items_empty"
    # The wording first and the group last: at 80 columns a long wording pushes the group off the
    # right edge (it scrolls), never the mandatory flag or the state.
    COLUMNS = (
        Column("item", "checklist.col_item"),
        Column("mandatory", "checklist.item_mandatory"),
        Column("state", "checklist.col_state"),
        Column("group", "checklist.item_group"),
    )
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("a", "add", "key.add"),
        Binding("e", "edit", "key.edit"),
        Binding("d", "retire", "checklist.key_retire"),
    ]

    def __init__(self) -> None:
        super().__init__()
        # What was typed in a form closed with Esc, by item id ("new" for an item being added).
        self.drafts: dict[str, dict[str, Any]] = {}

    def load_rows(self) -> Sequence[Any]:
        return checklist.items(self.actor.store_id, include_retired=True)

    def row_key(self, row: Any) -> str:
        return str(row.id)

    def row_name(self, row: Any) -> str:
        return item_name(row)

    def row_cells(self, row: Any) -> Sequence[object]:
        state = safe(t("checklist.retired"), style="dim") if row.retired else t("checklist.active")
        return (item_name(row), t("checklist.mandatory_yes") if row.mandatory else t("checklist.mandatory_no"),
                state, checklist.group_label(row.group))

    def open_row(self, row: Any) -> None:
        self.action_edit()

    def action_add(self) -> None:
        self.app.push_screen(ItemForm(draft=self.drafts.setdefault("new", {})),
                             self.after_form("checklist.item_added"))

    def action_edit(self) -> None:
        row = self.current
        if row is None:
            self.say(t("list.no_row"), error=True)
            return
        key = str(row.id)
        self.app.push_screen(ItemForm(row, draft=self.drafts.setdefault(key, {})),
                             self.after_form("checklist.item_saved", key=key))

    def action_retire(self) -> None:
        row = self.current
        if row is None:
            self.say(t("list.no_row"), error=True)
            return
        retire = not row.retired
        self.act(lambda r: checklist.retire_item(self.actor, r.id, retire),
                 done="checklist.item_retired" if retire else "checklist.item_restored")
