"""The cash register of this terminal (钱箱): open with a counted float; close by counting notes
and coins (or the total).  A difference beyond the store's limit asks for a manager's PIN."""

from __future__ import annotations

from decimal import Decimal

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widgets import Input

from storepos import clock
from storepos.i18n import t
from storepos.money import fmt
from storepos.services import checkout, register
from storepos.services.core.errors import DomainError
from storepos.services.core.store import get_store
from storepos.ui.kit.approval import ManagerApproval
from storepos.ui.kit.fields import FormField
from storepos.ui.kit.inputs import KitInput, first_too_long
from storepos.ui.kit.screen import StoreposScreen
from storepos.ui.kit.text import Plain, money, safe


class RegisterScreen(StoreposScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "key.back"),
                Binding("ctrl+s", "close_register", "register.key_close", priority=True)]

    def compose_body(self) -> ComposeResult:
        with Vertical(id="register"):
            yield Plain(t("register.title"), classes="title", id="register-title")
            yield Plain("", id="register-state")
            yield Plain("", id="register-pending")
            with Vertical(id="open-form"):
                yield FormField("register.float", KitInput(id="float_amount", max_length=12), name="float_amount")
                yield Plain(t("register.open_hint"), classes="hint", id="open-hint")
            with Vertical(id="close-form"):
                with Grid(id="denoms"):
                    for d in register.DENOMINATIONS:
                        yield Plain(t("register.denomination", d=d), classes="denom-label")
                        yield KitInput(id=f"d_{d.replace('.', '_')}", max_length=5)
                yield FormField("register.counted", KitInput(id="counted", max_length=12), name="counted")
                yield Plain(t("register.close_hint"), classes="hint", id="close-hint")
            yield Plain("", id="message")

    _session_open = False

    def on_mount(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Ctrl+S closes an open register: with the register closed it is not offered (the
        footer and the palette show only what can be done)."""
        if action == "close_register":
            return self._session_open
        return super().check_action(action, parameters)

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#register-title", Plain).update(t("register.title"))
        self.query_one("#open-hint", Plain).update(t("register.open_hint"))
        self.query_one("#close-hint", Plain).update(t("register.close_hint"))
        for label, d in zip(self.query(".denom-label").results(Plain), register.DENOMINATIONS, strict=False):
            label.update(t("register.denomination", d=d))
        self.load(focus=False)

    def load(self, *, focus: bool = True) -> None:
        session = register.current_session(self.actor.store_id, self.actor.terminal)
        if self._session_open != (session is not None):
            self._session_open = session is not None
            self.refresh_bindings()
        self.query_one("#open-form").display = session is None
        self.query_one("#close-form").display = session is not None
        state = self.query_one("#register-state", Plain)
        self._show_pending()
        if session is None:
            state.update(t("register.closed", terminal=self.actor.terminal))
            if focus:
                self.query_one("#float_amount", Input).focus()
            return
        s = register.cash_summary(session)
        store = get_store(self.actor.store_id)
        grid = Table.grid(padding=(0, 2))
        grid.add_column()
        grid.add_column(justify="right")
        # rich parses str cells as markup: every cell is a Text (the opener's name is data)
        grid.add_row(safe(t("register.open_since", time=clock.to_local(session.opened_at, store.timezone)
                            .strftime("%m-%d %H:%M"), name=register.opened_by_name(session))), safe(""))
        grid.add_row(safe(t("register.float")), money(s.float_amount, fen=True))
        grid.add_row(safe(t("register.cash_sales")), money(s.cash_sales, fen=True))
        grid.add_row(safe(t("register.refunds")), money(-s.refunds, fen=True))
        grid.add_row(safe(t("register.expected")), money(s.expected, fen=True))
        state.update(grid)
        if focus:
            self.query_one("#d_100", Input).focus()

    def _show_pending(self) -> None:
        """Payments taken on carts no sale has consumed (a customer who walked away, a crash
        before the sale): listed so they are completed or refunded, never forgotten."""
        pending = checkout.payments_not_in_sale(self.actor.store_id, self.actor.terminal)
        box = self.query_one("#register-pending", Plain)
        box.display = bool(pending)
        if not pending:
            box.update("")
            return
        total = sum((p.amount for p in pending), Decimal(0))
        text = Text(t("register.not_in_sale", n=len(pending), total=fmt(total)) + "\n", style="bold")
        store = get_store(self.actor.store_id)
        for p in pending[:4]:
            where = t("register.on_parked", label=p.cart_label) if p.parked else t("register.on_current")
            text.append(safe(t("register.not_in_sale_row", method=t(f"pay.method.{p.method}"), amount=fmt(p.amount),
                               reference=p.reference or "—", where=where,
                               time=clock.to_local(p.at, store.timezone).strftime("%H:%M")) + "\n"))
        if len(pending) > 4:
            text.append(t("register.not_in_sale_more", n=len(pending) - 4) + "\n")
        text.append(t("register.not_in_sale_hint"), style="dim")
        box.update(text)

    @on(Input.Submitted, "#float_amount")
    def _open(self, event: Input.Submitted) -> None:
        self.clear_errors()
        try:
            session = register.open_session(self.actor, event.value)
        except DomainError as exc:
            self.show_error(exc)
            return
        self._reset_inputs()
        self.load()
        self.say(t("register.opened", amount=fmt(session.float_amount, fen=True)))

    @on(Input.Submitted, "#close-form Input")
    def _next(self, event: Input.Submitted) -> None:
        inputs = list(self.query("#close-form Input"))
        idx = inputs.index(event.input)
        if idx + 1 < len(inputs):
            inputs[idx + 1].focus()
        else:
            self.action_close_register()

    def _reset_inputs(self) -> None:
        """A register opened or closed: the next session starts with an empty float, empty note
        counts and an empty total (the old counts would be taken for the next close)."""
        for field in self.query("#register Input").results(Input):
            field.value = ""

    def _denominations(self) -> dict[str, str]:
        out = {}
        for d in register.DENOMINATIONS:
            value = self.query_one(f"#d_{d.replace('.', '_')}", Input).value.strip()
            if value:
                out[d] = value
        return out

    def action_close_register(self, approval_id: int | None = None) -> None:
        if register.current_session(self.actor.store_id, self.actor.terminal) is None:
            return
        self.clear_errors()
        long = first_too_long(self.query_one("#close-form"))
        if long is not None:  # a count too long to show is refused, never cut
            self.say(long.too_long_message(), error=True)
            long.focus()
            return
        denoms = self._denominations()
        counted = self.query_one("#counted", Input).value
        try:
            closed = register.close_session(self.actor, None if denoms else counted,
                                            denominations=denoms or None, approval_id=approval_id)
        except DomainError as exc:
            if exc.key == "err.register_difference" and approval_id is None:
                self.app.push_screen(ManagerApproval("register_difference", exc.message, entity="register_session"),
                                     lambda a: self.action_close_register(a.id) if a is not None else None)
                return
            self.show_error(exc)
            return
        self._reset_inputs()
        self.load()
        self.say(t("register.closed_ok", expected=fmt(closed.expected, fen=True),
                   counted=fmt(closed.counted, fen=True), difference=fmt(closed.difference, fen=True)))
