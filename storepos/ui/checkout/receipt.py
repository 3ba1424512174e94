"""The receipt as printed (saved and sent to the print command when shown); the change shown
large.  The text is the service's, shown exactly as printed: names as typed, never markup.
Below it, the follow-ups the sale scheduled (kind and day); F opens them to do one now."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Digits

from storepos.i18n import t
from storepos.money import from_fen
from storepos.services import aftersales, checkout
from storepos.ui.kit.screen import Modal, next_step_binding
from storepos.ui.kit.text import Plain, safe


class ReceiptScreen(Modal[None]):
    BINDINGS = [next_step_binding(), Binding("escape,enter", "close", "key.close"), Binding("r", "reprint", "returns.key_reprint"),
                Binding("f", "followups", "checkout.key_followups"), Binding("w", "width", "key.width")]

    def __init__(self, sale_id: int, *, deliver: bool = True) -> None:
        super().__init__()
        self.sale_id = sale_id
        self.width = 40
        self.deliver = deliver

    def _sale(self) -> Any:
        return checkout.sale_for(self.actor, self.sale_id)

    def compose(self) -> ComposeResult:
        sale = self._sale()
        change = sum(p.change for p in sale.payments)
        with Vertical(classes="modal-box", id="receipt-box"):
            yield Plain(t("checkout.receipt_title", no=checkout.label(sale)), classes="title")
            if change:
                with Horizontal(id="receipt-change"):
                    yield Plain(t("pay.change"), id="receipt-change-label")
                    yield Digits(f"{from_fen(change):.2f}", id="change-large")
            with VerticalScroll(id="receipt-scroll"):
                yield Plain("", id="receipt-text")
            yield Plain("", id="receipt-followups")
            # Printed now: Enter/Esc goes on to the next sale; read later (from the customer's page):
            # back to where it was opened.
            yield Plain(t("checkout.receipt_hint" if self.deliver else "checkout.receipt_hint_read"), classes="hint")
            yield Plain("", id="message")

    def on_mount(self) -> None:
        sale = self._sale()
        text = checkout.render(sale, self.width)
        self._show(text)
        self._show_followups()
        if self.deliver:
            self._send(sale, text)

    def _show_followups(self) -> None:
        items = aftersales.followups_for_sale(self.actor, self.sale_id)
        box = self.query_one("#receipt-followups", Plain)
        box.display = bool(items)
        if items:
            each = " · ".join(t("checkout.receipt_followup", kind=i.kind_label, due=i.due_date.strftime("%m-%d"))
                              + ("" if i.active else t("checkout.receipt_followup_closed",
                                                       status=t(f"followup.status_{i.status}")))
                              for i in items)
            box.update(safe(t("checkout.receipt_followups", list=each), lines=True))

    def _show(self, text: str) -> None:
        self.query_one("#receipt-text", Plain).update(safe(text, lines=True))

    def _send(self, sale: Any, text: str, copy_no: int = 0) -> None:
        result = checkout.deliver(sale, text, copy_no=copy_no)
        if result.error:
            self.say(t("checkout.print_failed", path=str(result.path), error=result.error), error=True)
        elif result.path is not None:
            self.say(t("checkout.printed", path=str(result.path)))

    def action_width(self) -> None:
        self.width = 80 if self.width == 40 else 40
        self._show(checkout.render(self._sale(), self.width))

    def action_reprint(self) -> None:
        text = checkout.reprint(self.actor, self.sale_id, self.width)
        sale = self._sale()
        self._show(text)
        self._send(sale, text, sale.reprints)
        self.notify(t("checkout.reprinted", n=sale.reprints), markup=False)

    def action_followups(self) -> None:
        """The follow-ups this sale scheduled, in the follow-up list: every key of it works there."""
        if not aftersales.followups_for_sale(self.actor, self.sale_id):
            self.say(t("checkout.no_followups"), error=True)
            return
        from storepos.ui.aftersales.followups import FollowUpsScreen

        self.app.push_screen(FollowUpsScreen(sale_id=self.sale_id))

    def on_screen_resume(self) -> None:
        if self.query("#receipt-followups"):
            self._show_followups()  # back from the follow-ups: one may be done or moved

    def action_next_step(self) -> None:
        """F10: after the sale, the follow-ups it scheduled (none: on to the next sale)."""
        if aftersales.followups_for_sale(self.actor, self.sale_id):
            self.action_followups()
        else:
            self.action_close()

    def action_close(self) -> None:
        self.dismiss(None)
