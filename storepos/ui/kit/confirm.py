"""Confirm: a yes/no question that names what it acts on ("Deactivate Lily Chen (1002)?").

``push_screen(Confirm(question), callback)``: callback gets True (Enter or y) or None (Esc or n).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from storepos.i18n import t
from storepos.ui.kit.screen import Modal, translate_bindings
from storepos.ui.kit.text import safe


class Confirm(Modal[bool]):
    BINDINGS = [
        Binding("enter,y", "yes", "key.confirm", priority=True),
        Binding("escape,n", "cancel", "key.cancel", priority=True),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box confirm-box", id="confirm-box"):
            yield Static(safe(self.question, lines=True), classes="title", id="confirm-question")
            yield Static(t("confirm.hint"), classes="hint", id="confirm-hint")

    def action_yes(self) -> None:
        self.dismiss(True)


class Choice(Modal[str]):
    """A question with a few answers, each on its own key ("p park it · d drop it · Esc keep
    selling"): the callback gets the chosen answer's value, or None for Esc.

    ``push_screen(Choice(question, [("p", "park", "checkout.choice_park"), ...]), callback)``"""

    BINDINGS = [Binding("escape", "cancel", "key.cancel", priority=True)]

    def __init__(self, question: str, answers: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.question = question
        self.answers = answers
        for key, value, label in answers:
            self._bindings.bind(key, f"choose('{value}')", label, priority=True)
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        hint = " · ".join(f"{key}: {t(label)}" for key, _value, label in self.answers)
        with Vertical(classes="modal-box confirm-box", id="choice-box"):
            yield Static(safe(self.question, lines=True), classes="title", id="choice-question")
            yield Static(safe(f"{hint} · Esc: {t('choice.keep')}"), classes="hint", id="choice-hint")

    def action_choose(self, value: str) -> None:
        if any(v == value for _k, v, _l in self.answers):
            self.dismiss(value)
