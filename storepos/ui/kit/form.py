"""Forms: a labelled field with its message beside it, and :class:`FormModal`, the base of every
form in the app.

A form declares its fields and one ``save(values)`` that calls one service and returns the
result; the base owns the rest, the same in every form:

- Enter moves to the next field (from a Select or Checkbox too) and saves on the last one;
  Ctrl+S saves from anywhere; Esc cancels and keeps what was typed in the opener's draft;
- a prefilled value is replaced by the first key typed (:mod:`storepos.ui.kit.inputs`);
- a DomainError from the service shows beside its field (or, for a one-field form, beside the
  only field), the field gets the focus, the other input stays;
- the hint line (what Enter, Ctrl+S and Esc do) stays visible at 80x24: the fields scroll, the
  title, message and hint do not.

    class PinForm(FormModal[int]):
        TITLE_KEY = "staff.reset_pin_title"
        def fields(self):
            return [Field("pin", "staff.pin", password=True, max_length=8)]
        def save(self, values):
            auth.reset_pin(self.actor, self.staff_id, values["pin"])
            return self.staff_id
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Static

from storepos.i18n import t
from storepos.services.core.errors import DomainError
from storepos.ui.kit.fields import Field, FormField, read_value
from storepos.ui.kit.inputs import KitCheckbox, KitSelect, first_too_long
from storepos.ui.kit.screen import Modal
from storepos.ui.kit.text import Plain, safe

__all__ = ["Field", "FormField", "FormModal"]

T = TypeVar("T")


class FormModal(Modal[T]):
    """The base of every form: see the module doc.  Subclasses set TITLE_KEY (or override
    :meth:`title`), declare :meth:`fields` and implement :meth:`save`."""

    TITLE_KEY: ClassVar[str] = ""
    HINT_KEY: ClassVar[str] = "form.hint"
    BINDINGS = [
        Binding("escape", "cancel", "key.cancel"),
        Binding("ctrl+s", "save", "key.save"),
        Binding("enter", "next_field", "key.next_field", show=False),
    ]

    def __init__(self, *, draft: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # The opener's draft: filled on Esc with what was typed, used when the form opens again,
        # emptied on save.  None: Esc simply discards.
        self.draft = draft
        self._fields: list[Field] = []

    # -- what a form declares ----------------------------------------------------------------

    def form_title(self) -> str | Text:
        return t(self.TITLE_KEY)

    def intro(self) -> str | Text | None:
        """A line under the title (what the form acts on); None for none."""
        return None

    def fields(self) -> Sequence[Field]:  # pragma: no cover - overridden
        raise NotImplementedError

    def save(self, values: dict[str, Any]) -> T:  # pragma: no cover - overridden
        """Call the service with *values*; return the result.  Raise DomainError to refuse."""
        raise NotImplementedError

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        self._fields = list(self.fields())
        typed = dict(self.draft or {})
        with Vertical(classes="modal-box form-box", id=f"{type(self).__name__.lower()}-box"):
            title = self.form_title()
            yield Static(safe(title) if isinstance(title, str) else title, classes="title", id="form-title")
            intro = self.intro()
            if intro is not None:
                yield Static(safe(intro, lines=True) if isinstance(intro, str) else intro,
                             classes="hint form-intro", id="form-intro")
            with VerticalScroll(classes="form-fields"):
                for f in self._fields:
                    yield FormField(f.label, f.build(typed), name=f.name, hint_key=f.hint)
                yield from self.compose_extra()
            yield Static("", id="message", markup=False)
            yield Plain(t(self.HINT_KEY), classes="hint form-hint", id="form-hint")

    def compose_extra(self) -> ComposeResult:
        """Anything a form shows below its fields (a live figure, a list); nothing by default."""
        yield from ()

    def initial_focus(self) -> Widget | None:
        """The field that has the focus when the form opens: the first one by default."""
        first = self._focusable()
        return first[0] if first else None

    def on_mount(self) -> None:
        # (A subclass's own on_mount runs too — Textual calls every class's handler — so the
        # starting field is chosen here, by initial_focus.)
        target = self.initial_focus()
        if target is not None:
            target.focus()

    # -- keys ----------------------------------------------------------------------------------

    def _focusable(self) -> list[Widget]:
        out = []
        for ff in self.query(FormField):
            w = ff.input
            if not w.disabled and w.display:
                out.append(w)
        return out

    def _move_from(self, widget: Widget | None) -> None:
        order = self._focusable()
        if widget in order:
            i = order.index(widget)
            if i + 1 < len(order):
                order[i + 1].focus()
                return
        self.action_save()

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        if any(event.input is ff.input for ff in self.query(FormField)):
            event.stop()
            self._move_from(event.input)

    def action_next_field(self) -> None:
        """Enter on a Select or Checkbox (Inputs submit on their own)."""
        focused = self.focused
        if isinstance(focused, (KitSelect, KitCheckbox)):
            self._move_from(focused)

    def values(self) -> dict[str, Any]:
        return {ff.name: read_value(ff.input) for ff in self.query(FormField) if ff.name}

    def widget(self, name: str) -> Widget:
        for ff in self.query(FormField):
            if ff.name == name:
                return ff.input
        raise KeyError(name)

    def action_save(self) -> None:
        self.clear_errors()
        long = first_too_long(self)
        if long is not None:  # said beside the field, never cut to fit
            for ff in self.query(FormField):
                if ff.input is long:
                    ff.show_error(long.too_long_message())
            long.focus()
            return
        values = self.values()
        try:
            result = self.save(values)
        except DomainError as exc:
            self.show_form_error(exc)
            return
        if self.draft is not None:
            self.draft.clear()
        self.dismiss(result)

    def show_form_error(self, exc: Any) -> None:
        """Beside its field; a one-field form puts any error beside its only field."""
        names = [f.name for f in self._fields]
        if len(names) == 1 and exc.field not in names:
            exc = DomainError(exc.key, field=names[0], **exc.params)
        self.show_error(exc)

    def action_cancel(self) -> None:
        if self.draft is not None:
            self.draft.clear()
            values = self.values()
            prefills = {f.name: f.value for f in self._fields}
            if any(str(v or "").strip() and v != prefills.get(k) for k, v in values.items()
                   if not isinstance(v, bool)):
                self.draft.update(values)
        self.dismiss(None)
