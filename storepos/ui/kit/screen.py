"""The base of every storepos screen: translated key bindings, the top bar, messages and errors.

- :class:`StoreposScreen`: a full screen (top bar, ``compose_body``, footer with its keys).
- :class:`Modal` ``[T]``: a modal typed by its result.  ``dismiss(value)`` with a T means done;
  ``dismiss(None)`` always means cancelled, nothing else does (no False, 0 or strings as
  sentinels).  A modal with several outcomes returns a small enum or dataclass.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from storepos.i18n import t
from storepos.services.core.errors import DomainError
from storepos.services.core.permissions import can, refusal
from storepos.ui.kit.chrome import KeyFooter, TopBar
from storepos.ui.kit.fields import FormField
from storepos.ui.kit.text import safe

if TYPE_CHECKING:
    from storepos.services.core.context import Actor
    from storepos.ui.app import StoreposApp

T = TypeVar("T")


def is_key(text: str) -> bool:
    """Whether a binding description is an i18n key ("quote.key_give") rather than text."""
    return bool(text) and "." in text and " " not in text


def translate_bindings(node: Any) -> None:
    """Binding descriptions are i18n keys in BINDINGS; show them in the current language."""
    originals: dict[tuple[str, str], str] = node.__dict__.setdefault("_binding_keys", {})
    for key, bindings in node._bindings.key_to_bindings.items():
        new = []
        for b in bindings:
            ident = (key, b.action)
            if ident not in originals:
                originals[ident] = b.description
            source = originals[ident]
            desc = t(source) if is_key(source) else source
            new.append(replace(b, description=desc))
        node._bindings.key_to_bindings[key] = new


def next_step_binding() -> Binding:
    """THE next-step key (F10), the same on every screen of the customer's journey, first in its
    footer: it does the procedure's next thing from where the user is (the screen's
    ``action_next_step``)."""
    return Binding("f10", "next_step", "key.next_step", priority=True)


class ScreenMixin:
    """Shared helpers for full screens and modals."""

    # action -> the permission it needs (services/core/permissions.py).  A key whose permission
    # the user's role lacks is hidden from the footer and the command palette (check_action says
    # False); pressed anyway, it says what may not be done and who can.  A screen that overrides
    # check_action asks ``self.permitted(action)`` first.
    NEEDS: ClassVar[dict[str, str]] = {}

    def permitted(self, action: str) -> bool:
        need = self.NEEDS.get(action)
        if need is None:
            return True
        actor = getattr(self.app, "actor", None)  # type: ignore[attr-defined]
        return actor is None or can(actor, need)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.permitted(action)

    def on_key(self, event: events.Key) -> None:
        # A hidden key does not run its action: it says why instead (only when it is this screen's).
        if not self.NEEDS:
            return
        for binding in getattr(self, "BINDINGS", ()):
            if isinstance(binding, Binding) and event.key in binding.key.split(",") \
                    and not self.permitted(binding.action):
                event.stop()
                self.say(refusal(self.NEEDS[binding.action]).message, error=True)
                return

    def _on_input_submitted(self, event: Input.Submitted) -> None:
        # After the screen's own handlers (they come first in the class order): the field's Enter
        # has done its work (the focus moved, or an error shows), so the keys typed behind it go
        # on now, to the field focused (kit/inputs.py: KeyOrder).
        release = getattr(event.input, "_release_keys", None)
        if release is not None:
            release()

    @property
    def sapp(self) -> StoreposApp:
        return self.app  # type: ignore[attr-defined,return-value]

    @property
    def actor(self) -> Actor:
        assert self.sapp.actor is not None
        return self.sapp.actor

    def show_error(self, exc: DomainError, *, fallback: str = "#message") -> None:
        """Show a DomainError beside its field; else in the screen's message line."""
        if exc.field:
            for field in self.query(FormField):  # type: ignore[attr-defined]
                if field.name == exc.field or field.name == exc.field.split(".")[-1]:
                    field.show_error(exc.message)
                    try:
                        field.input.focus()
                    except Exception:
                        pass
                    return
        self.say(exc.message, error=True, target=fallback)

    def clear_errors(self) -> None:
        for field in self.query(FormField):  # type: ignore[attr-defined]
            field.clear_error()
        self.say("")

    def say(self, message: str, *, error: bool = False, target: str = "#message") -> None:
        """A message in the screen's message line (plain text: messages quote user input)."""
        found = self.query(target)  # type: ignore[attr-defined]
        if found:
            widget = found.first(Static)
            widget.update(safe(message, lines=True))
            widget.set_class(error, "-error")
        elif message:
            self.notify(message, severity="error" if error else "information", markup=False)  # type: ignore[attr-defined]

    def translate_widget_bindings(self) -> None:
        """The widgets' own keys (a table's line keys, a picker's) in the current language too."""
        for widget in self.query("*"):  # type: ignore[attr-defined]
            if any(is_key(b.description) for b in type(widget).BINDINGS if isinstance(b, Binding)):
                translate_bindings(widget)

    def relabel(self) -> None:
        """After a language switch: translate bindings and labels (input kept)."""
        translate_bindings(self)
        self.translate_widget_bindings()
        for field in self.query(FormField):  # type: ignore[attr-defined]
            field.relabel()
        for bar in self.query(TopBar):  # type: ignore[attr-defined]
            bar.refresh_bar()
        self.refresh_bindings()  # type: ignore[attr-defined]


class StoreposScreen(ScreenMixin, Screen):  # type: ignore[type-arg]
    """A full screen: top bar, body (compose_body), footer with the screen's keys."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield from self.compose_body()
        yield KeyFooter()

    def _on_mount(self, event: Any) -> None:
        self.translate_widget_bindings()

    def compose_body(self) -> ComposeResult:  # pragma: no cover - overridden
        yield from ()


class Modal(ScreenMixin, ModalScreen[T], Generic[T]):
    """A modal typed by its result: ``dismiss(T)`` when done, ``dismiss(None)`` when cancelled."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    def _on_mount(self, event: Any) -> None:
        self.translate_widget_bindings()
        # A modal hides the top bar's PRACTICE mark: practice mode puts its own on every modal.
        settings = getattr(self.app, "settings", None)
        if settings is not None and settings.practice and not self.query(".practice-badge"):
            self.mount(Static(t("topbar.practice"), classes="practice-badge"))

    def action_cancel(self) -> None:
        self.dismiss(None)

