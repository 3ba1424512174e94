"""Form fields: a labelled field with its message beside it (:class:`FormField`) and the
declaration a form makes of each field (:class:`Field`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from storepos.i18n import t
from storepos.ui.kit.inputs import KitCheckbox, KitInput, KitSelect
from storepos.ui.kit.text import safe


class FormField(Vertical):
    """Label, input and a message line.  ``name`` matches the service's field name."""

    DEFAULT_CSS = """
    FormField { height: auto; margin: 0 0 0 0; }
    FormField > Horizontal { height: auto; }
    FormField .field-label { width: 16; padding: 1 1 0 0; text-align: right; }
    FormField Input { width: 1fr; }
    FormField Select { width: 1fr; }
    FormField .field-error { color: $error; height: auto; padding-left: 17; display: none; }
    FormField.-invalid .field-error { display: block; }
    FormField.-invalid Input { border: tall $error; }
    FormField .field-hint { color: $text-muted; height: auto; padding-left: 17; }
    """

    def __init__(self, label_key: str, widget: Widget, *, name: str, id: str | None = None,
                 hint_key: str = "") -> None:
        super().__init__(id=id or f"field-{name}", name=name)
        self.label_key = label_key
        self.hint_key = hint_key
        self.input = widget

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(t(self.label_key), classes="field-label", markup=False)
            yield self.input
        yield Static("", classes="field-error", markup=False)
        if self.hint_key:
            yield Static(t(self.hint_key), classes="field-hint", markup=False)

    def on_kit_input_too_long(self, event: KitInput.TooLong) -> None:
        """Too long: said beside the field as it is typed (nothing is cut); gone once shortened."""
        event.stop()
        if event.input.too_long:
            self.show_error(event.input.too_long_message())
            self._too_long_shown = True
        elif getattr(self, "_too_long_shown", False):
            self.clear_error()
            self._too_long_shown = False

    def show_error(self, message: str) -> None:
        self.query_one(".field-error", Static).update(safe(message, lines=True))
        self.add_class("-invalid")

    def clear_error(self) -> None:
        self.query_one(".field-error", Static).update("")
        self.remove_class("-invalid")

    def relabel(self) -> None:
        self.query_one(".field-label", Label).update(t(self.label_key))
        if self.hint_key:
            self.query_one(".field-hint", Static).update(t(self.hint_key))
        placeholder = getattr(self.input, "placeholder_key", "")
        if placeholder and isinstance(self.input, Input):
            self.input.placeholder = t(placeholder)


def field_input(widget: Widget, name: str) -> Input:
    found = widget.query_one(f"#field-{name}", FormField)
    assert isinstance(found.input, Input)
    return found.input


@dataclass(frozen=True)
class Field:
    """One field of a form.

    *name* is the service's field name (its errors land here); *label* an i18n key; *value* the
    prefill (replaced by the first key typed); *options* (prompt, value) pairs make a drop-down,
    *check* a checkbox whose label is that i18n key.  Prompts of options are data (shown as is)."""

    name: str
    label: str
    value: Any = ""
    options: Sequence[tuple[Any, Any]] | None = None
    check: str = ""  # checkbox: i18n key of its label
    password: bool = False
    max_length: int = 0
    placeholder: str = ""  # i18n key
    hint: str = ""  # i18n key: a line under the field
    disabled: bool = False

    @property
    def widget_id(self) -> str:
        return self.name.replace(".", "-")

    def build(self, typed: dict[str, Any]) -> Widget:
        """The input widget, holding what the user typed before (a kept draft) or the prefill."""
        if self.options is not None:
            value = typed.get(self.name, self.value)
            return KitSelect(self.options, value=value, id=self.widget_id, disabled=self.disabled)
        if self.check:
            return KitCheckbox(t(self.check), bool(typed.get(self.name, self.value)), id=self.widget_id,
                               disabled=self.disabled)
        widget = KitInput(id=self.widget_id, password=self.password, max_length=self.max_length,
                          placeholder=t(self.placeholder) if self.placeholder else "", disabled=self.disabled)
        widget.placeholder_key = self.placeholder or ""  # FormField.relabel translates it again
        if self.name in typed:
            widget.set_typed(str(typed[self.name]))
        elif self.value not in (None, ""):
            widget.prefill(str(self.value))
        return widget


def read_value(widget: Widget) -> Any:
    if isinstance(widget, Select):
        value = widget.value
        return None if value is Select.BLANK else value
    if isinstance(widget, KitCheckbox):
        return bool(widget.value)
    return getattr(widget, "value", None)
