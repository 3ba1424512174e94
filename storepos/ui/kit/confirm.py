"""Confirm: a yes/no question that names what it acts on ("Deactivate Lily Chen (1002)?").

``push_screen(Confirm(question), callback)``: callback gets True (Enter or y) or None (Esc or n).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from storepos.i18n import t
from storepos.ui.kit.screen import Modal
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
