"""A labelled form field with its message beside it, and helpers to show DomainErrors there."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from storepos.i18n import t


class FormField(Vertical):
    """Label, input and a message line.  ``name`` matches the service's field name."""

    DEFAULT_CSS = """
    FormField { height: auto; margin: 0 0 0 0; }
    FormField > Horizontal { height: auto; }
    FormField .field-label { width: 16; padding: 1 1 0 0; text-align: right; }
    FormField Input { width: 1fr; }
    FormField .field-error { color: $error; height: auto; padding-left: 17; display: none; }
    FormField.-invalid .field-error { display: block; }
    FormField.-invalid Input { border: tall $error; }
    """

    def __init__(self, label_key: str, widget: Widget, *, name: str, id: str | None = None) -> None:
        super().__init__(id=id or f"field-{name}", name=name)
        self.label_key = label_key
        self.input = widget

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(t(self.label_key), classes="field-label")
            yield self.input
        yield Static("", classes="field-error")

    def show_error(self, message: str) -> None:
        self.query_one(".field-error", Static).update(Text(message))
        self.add_class("-invalid")

    def clear_error(self) -> None:
        self.query_one(".field-error", Static).update("")
        self.remove_class("-invalid")

    def relabel(self) -> None:
        self.query_one(".field-label", Label).update(t(self.label_key))


def field_input(widget: Widget, name: str) -> Input:
    field = widget.query_one(f"#field-{name}", FormField)
    assert isinstance(field.input, Input)
    return field.input
