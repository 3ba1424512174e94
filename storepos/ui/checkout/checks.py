"""The five checks before a sale (SOP §5, A–E): failed ones marked, a manager can override one
(recorded as an Approval).  Dismissed with True (all pass or overridden: go on) or None (back)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable

from storepos.i18n import t
from storepos.services import checkout
from storepos.services.checkout import Cart, CheckResult
from storepos.ui.kit.approval import ManagerApproval
from storepos.ui.kit.screen import Modal
from storepos.ui.kit.table import Column, Table
from storepos.ui.kit.text import Plain

CHECK_COLUMNS = (Column("letter", ""), Column("check", ""), Column("status", ""), Column("over", ""))


class ChecksScreen(Modal[bool]):
    BINDINGS = [Binding("escape", "cancel", "key.back"), Binding("m", "override", "checkout.override"),
                Binding("enter", "go_on", "key.confirm", priority=True)]

    def __init__(self, cart: Cart, on_account: Decimal) -> None:
        super().__init__()
        self.cart = cart
        self.on_account = on_account
        self.results: list[CheckResult] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="checks-box"):
            yield Plain(t("checkout.checks_title"), classes="title")
            yield Table(id="checks", zebra_stripes=False)
            yield Plain("", id="check-detail")
            yield Plain(t("checkout.checks_hint"), classes="hint")
            yield Plain("", id="message")

    def on_mount(self) -> None:
        table = self.query_one("#checks", Table)
        table.set_columns(CHECK_COLUMNS)
        self.load()
        table.focus()

    def load(self) -> None:
        self.results = checkout.run_checks(self.actor, self.cart, on_account=self.on_account)
        rows = []
        first_bad = None
        for i, r in enumerate(self.results):
            if not r.applies:
                status = Text(t("checkout.check_na"), style="dim")
            elif r.overridden:
                status = Text(t("checkout.check_override"), style="bold yellow")
            elif r.ok:
                status = Text(t("checkout.check_ok"), style="bold green")
            else:
                status = Text(t("checkout.check_fail"), style="bold red")
                first_bad = i if first_bad is None else first_bad
            over = t("checkout.over_by", amount=r.over_by) if r.over_by and not r.passed else ""
            rows.append((str(i), (r.letter, r.label, status, over)))
        table = self.query_one("#checks", Table)
        table.fill(rows, keep=str(first_bad) if first_bad is not None else None)
        self._detail()

    @on(DataTable.RowHighlighted)
    def _detail(self, *_: Any) -> None:
        r = self._current()
        if r is not None:
            self.query_one("#check-detail", Plain).update(f"{r.letter}. {r.message}")

    def _current(self) -> CheckResult | None:
        row = self.query_one("#checks", Table).cursor_row or 0
        return self.results[row] if 0 <= row < len(self.results) else None

    def action_override(self) -> None:
        r = self._current()
        if r is None or r.ok:
            r = next((x for x in self.results if not x.ok), None)
        if r is None:
            return
        kind = "price_floor" if r.key == "check.authority_floor" else r.approval_kind
        result = r

        def done(approval: Any) -> None:
            if approval is not None:
                self.cart.approvals[result.code] = approval.id
                self.load()

        self.app.push_screen(ManagerApproval(kind, f"{r.letter}. {r.label}: {r.message}", entity="cart",
                                             entity_id=self.cart.uuid, detail={"check": r.code}), done)

    def action_go_on(self) -> None:
        if all(r.ok for r in self.results):
            self.dismiss(True)
        else:
            self.say(t("err.checks_failed", letters=", ".join(r.letter for r in self.results if not r.ok)),
                     error=True)

    def action_cancel(self) -> None:
        self.dismiss(None)
