"""The kit's input widgets: one rule for every field of the app.

- A **prefilled** value (one the program put there: the line's quantity, today's date, the
  remainder to pay) is shown selected and is **replaced by the first key typed**; arrow keys,
  Home/End or a click keep it for editing.  What the *user* typed is never replaced: coming back to
  a field (Esc to a step, an error beside it) keeps the text and puts the cursor at its end.
- Every character a keyboard or an input method types goes in, including the full-width space
  U+3000 of a Chinese IME (Textual's Input drops it).  Fields do not restrict characters
  (full-width digits from an IME are valid numbers): the service checks and says what is wrong.
- **Too long is said, never cut.**  ``max_length`` does not drop the keys beyond it (Textual's
  Input would: "1,000,000,000" in a 12-character field became 100,000,000): every key goes in,
  the field's message says how long it may be, and Enter (or a form's save) refuses the field
  until it is shortened (``too_long``, ``first_too_long``).
- In a form, Enter moves to the next field from every kind of field: Select and Checkbox included
  (↑/↓ change a Select's value, Space opens its list or toggles the box).
- **Fast typing lands where it was typed.**  Textual hands each key to the widget focused when
  the app reads it, and runs an Enter's submission (or a key's binding) only later: a burst
  ("大号⏎2⏎" from a quick typist or a paste) would all land in the first field.  A KitInput takes
  Enter in its own key queue and holds the keys behind it until the submission has moved the
  focus, then replays them, in order, to the field focused then; a widget that gets keys after
  the focus left it (a key binding moved it) passes them on the same way (``KeyOrder``).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Checkbox, Input, OptionList, Select
from textual.widgets._input import Selection
from textual.widgets._select import SelectCurrent, SelectOverlay

from storepos.i18n import t
from storepos.ui.kit.text import clean


def _char_of(event: events.Key) -> str | None:
    """The character a key event types.  A terminal sends it with the key; the test pilot sends
    some characters by their Unicode name only (U+3000 as "ideographic_space", ¡ as
    "inverted_exclamation_mark"): those are looked up by name."""
    if event.character is not None or "+" in event.key or "_" not in event.key:
        return event.character
    try:
        return unicodedata.lookup(event.key.replace("_", " "))
    except KeyError:
        return None


def _typeable(ch: str | None) -> bool:
    """A character an input should take: printable, or a space separator (U+3000, U+00A0)."""
    return ch is not None and len(ch) == 1 and (ch.isprintable() or unicodedata.category(ch) == "Zs")


HOLD_AT_MOST = 0.15  # seconds: when no screen handled the Enter (the keys are not kept longer)


class KeyOrder:
    """Keys a widget receives after the focus left it (or while it holds them) are replayed, in
    order, to the widget focused now (see the module doc)."""

    _held: list[tuple[str, str | None]] | None = None

    def hold_keys(self) -> None:
        """Hold the keys that follow until the focus leaves this widget (the submission or the
        binding moved it), or, when it stays, a moment later: then replay them."""
        if self._held is None:
            self._held = []
            self.app.set_timer(HOLD_AT_MOST, self._release_keys)  # type: ignore[attr-defined]

    def _release_keys(self) -> None:
        held, self._held = self._held, None
        app = self.app  # type: ignore[attr-defined]
        if not held or not app.is_running or app._exit_renderables or not app.screen_stack:
            return  # nothing held, or the app is closing: no screen to take the keys
        for key, character in held:
            app.post_message(events.Key(key, character))

    def _on_blur(self, event: events.Blur) -> None:
        super()._on_blur(event)  # type: ignore[misc]
        self._release_keys()

    def _on_unmount(self) -> None:
        super()._on_unmount()  # type: ignore[misc]
        self._release_keys()  # a dialog closed by the submission: the keys go on to what shows next

    def keep_order(self, event: events.Key) -> bool:
        """True when *event* was held or passed on (the caller stops there)."""
        if self._held is None and (self.has_focus or self.app.focused is None):  # type: ignore[attr-defined]
            return False
        event.stop()
        event.prevent_default()
        if self._held is not None:
            self._held.append((event.key, event.character))
        else:
            self.app.post_message(events.Key(event.key, event.character))  # type: ignore[attr-defined]
        return True


class KitInput(KeyOrder, Input):
    """An Input whose prefilled value gives way to the first key typed (see the module doc)."""

    SUBMIT_IN_ORDER = True  # Enter submits at once and holds the keys behind it
    _was_too_long = False

    class TooLong(Message):
        """The text grew beyond the field's limit, or came back within it (``input.too_long``)."""

        def __init__(self, input: KitInput) -> None:
            super().__init__()
            self.input = input

    def __init__(self, value: str | None = None, *args: Any, prefilled: bool | None = None,
                 **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        kwargs.pop("type", None)  # no character restriction: the service checks (full-width digits)
        # The limit is ours: Textual's max_length would drop the keys beyond it without a word.
        self.length_limit = int(kwargs.pop("max_length", 0) or 0)
        super().__init__(value, *args, **kwargs)
        # A value given at construction is the program's (a prefill) unless told otherwise.
        self.pristine = bool(value) if prefilled is None else prefilled

    @property
    def too_long(self) -> bool:
        return bool(self.length_limit) and len(self.value) > self.length_limit

    def too_long_message(self) -> str:
        return t("err.too_long_typed", limit=self.length_limit, n=len(self.value))

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        if self.too_long != self._was_too_long:
            self._was_too_long = self.too_long
            self.post_message(self.TooLong(self))

    async def action_submit(self) -> None:
        if self.too_long:  # refused until shortened: the message beside the field says why
            self.post_message(self.TooLong(self))
            return
        await super().action_submit()

    def prefill(self, value: str) -> None:
        """Put a value the program suggests: the first key typed replaces it."""
        with self.prevent(Input.Changed):
            self.value = value
        self.pristine = bool(value)
        if self.has_focus:
            self._select_prefill()
        else:
            self.cursor_position = len(self.value)

    def set_typed(self, value: str) -> None:
        """Put back a value the user typed earlier (a kept draft): it is edited, never replaced."""
        self.value = value
        self.pristine = False
        self.cursor_position = len(self.value)

    def _select_prefill(self) -> None:
        self.selection = Selection(0, len(self.value))

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        if self.pristine and self.value:
            self._select_prefill()

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return _typeable(character)

    async def _on_key(self, event: events.Key) -> None:
        if self.keep_order(event):
            return
        if event.key == "enter" and type(self).SUBMIT_IN_ORDER:
            # Enter in this field's own key queue: the keys behind it wait for the submission.
            event.stop()
            event.prevent_default()
            self.hold_keys()
            await self.action_submit()
            return
        ch = _char_of(event)
        if _typeable(ch) and (not (ch or "").isprintable() or event.character is None):
            # Textual drops space separators other than " " (U+3000 from a Chinese IME), and keys
            # that come by name only: insert them.
            event.stop()
            event.prevent_default()
            self._type(ch or "")
            return
        if _typeable(ch):
            self.pristine = False  # the selection (if any) is replaced by Input itself
        elif event.key not in ("enter", "tab", "shift+tab", "escape"):
            self._edited()
        await super()._on_key(event)

    def _type(self, text: str) -> None:
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *selection)
        self.pristine = False

    def _on_paste(self, event: events.Paste) -> None:
        self.pristine = False
        super()._on_paste(event)

    def _edited(self) -> None:
        # Arrows, Home/End, Backspace: the user edits the prefilled value instead of replacing it.
        self.pristine = False

    async def _on_click(self, event: events.Click) -> None:
        self.pristine = False
        await super()._on_click(event)


class KitOptionList(KeyOrder, OptionList):
    """An OptionList whose keys stay in order when one of them moves the focus (a method key of
    the payment dialog): the keys behind it go to the field focused then."""

    def _on_key(self, event: events.Key) -> None:
        # (Textual calls one handler per class, and the base classes' after it.)
        if self.keep_order(event):
            return
        if event.is_printable:  # a letter is a binding that may move the focus: hold what follows
            self.hold_keys()


class KitSelectOverlay(SelectOverlay, inherit_bindings=False):
    """The Select's pop-up list, its Esc key named in the user's language (Textual: "Dismiss menu")."""

    BINDINGS = [Binding("escape", "dismiss", "key.dismiss_menu")]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from storepos.ui.kit.screen import translate_bindings  # the screen module imports this one

        super().__init__(*args, **kwargs)
        translate_bindings(self)  # again after a language switch: the screen's relabel


class KitSelect(Select, inherit_bindings=False):  # type: ignore[type-arg]
    """A Select for the keyboard: ↑/↓ change the value in place, Space opens the list, Enter is left
    to the form (next field).  Option prompts are data: shown exactly as given, never as markup."""

    BINDINGS = [
        Binding("space", "show_overlay", show=False),
        Binding("up", "cycle(-1)", show=False),
        Binding("down", "cycle(1)", show=False),
    ]

    def __init__(self, options: Any, *, value: Any = Select.BLANK, allow_blank: bool = False,
                 **kwargs: Any) -> None:
        opts = [(p if isinstance(p, Text) else Text(clean(p)), v) for p, v in options]
        self._values = [v for _p, v in opts]
        if not allow_blank and (value is Select.BLANK or value not in self._values) and self._values:
            value = self._values[0]  # Select.BLANK is False here: never hand it to a no-blank Select
        super().__init__(opts, value=value, allow_blank=allow_blank, **kwargs)

    def compose(self) -> ComposeResult:
        # Select.compose with the kit's overlay (Select finds it as a SelectOverlay).
        yield SelectCurrent(self.prompt)
        yield KitSelectOverlay(type_to_search=self._type_to_search).data_bind(compact=Select.compact)

    def action_cycle(self, delta: int) -> None:
        if not self._values:
            return
        try:
            i = self._values.index(self.value)
        except ValueError:
            i = -1 if delta > 0 else 0
        self.value = self._values[(i + delta) % len(self._values)]


class KitCheckbox(Checkbox, inherit_bindings=False):
    """A Checkbox where Space toggles and Enter is left to the form (next field)."""

    BINDINGS = [Binding("space", "toggle_button", show=False)]


class FieldSubmitted(Message):
    """Enter on a Select or Checkbox of a form: move on (Inputs post Input.Submitted)."""

    def __init__(self, widget: Any) -> None:
        super().__init__()
        self.widget = widget


def first_too_long(root: Any) -> KitInput | None:
    """The first KitInput under *root* whose text is longer than its limit (a form refuses to
    save then), or None."""
    for widget in root.query(KitInput):
        if widget.too_long:
            return widget
    return None
