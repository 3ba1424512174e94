"""The receipt as printed (saved and queued for the printer when shown); the change shown
large.  A line under the receipt follows its print: printing… / printed / failed with the
printer's own last words, and p prints a failed one again (the printer runs in the background:
a stuck one never holds this screen up).  The text is the service's, shown exactly as printed: names as typed, never markup.
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
    BINDINGS = [next_step_binding(), Binding("escape,enter", "close", "key.close"),
                Binding("p", "retry_print", "checkout.key_retry_print"), Binding("r", "reprint", "returns.key_reprint"),
                Binding("f", "followups", "checkout.key_followups"), Binding("w", "width", "key.width")]

    def __init__(self, sale_id: int, *, deliver: bool = True) -> None:
        super().__init__()
        self.sale_id = sale_id
        self.width = 40
        self.deliver = deliver
        self.job_id: int | None = None  # the print job this screen follows
        self.print_state: str | None = None  # its status: queued | printing | printed | failed
        self._path = ""

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
            yield Plain("", id="receipt-print")
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
        self.query_one("#receipt-print", Plain).display = self.deliver  # read later: no print under way
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
        """Save and queue (returns at once); the print line follows the job from here."""
        result = checkout.deliver(sale, text, copy_no=copy_no)
        self._path = str(result.path or "")
        box = self.query_one("#receipt-print", Plain)
        box.display = True
        if result.job_id is None:
            self.job_id = self.print_state = None
            key = "checkout.print_practice" if result.status == "practice" else "checkout.print_saved_only"
            box.update(safe(t(key, path=self._path)))
            box.set_class(False, "-error")
            return
        self.job_id = result.job_id
        self._follow()

    def _follow(self) -> None:
        """Show the job's status; look again shortly while it is queued or printing."""
        if self.job_id is None or not self.is_attached:
            return
        status = checkout.print_status(self.actor, self.job_id)
        if status is None:
            return
        changed = status.status != self.print_state
        self.print_state = status.status
        box = self.query_one("#receipt-print", Plain)
        if status.status == "failed":
            text = t("checkout.print_failed_retry", error=status.error)
        elif status.status == "printed":
            text = t("checkout.print_printed", path=self._path)
        else:
            text = status.label
        box.update(safe(text))
        box.set_class(status.status == "failed", "-error")
        if changed:
            self.refresh_bindings()  # p shows while the print has failed
        if status.status in ("queued", "printing"):
            self.set_timer(0.25, self._follow)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry_print":
            return self.print_state == "failed"
        return True

    def action_retry_print(self) -> None:
        """p: send the failed print to the printer again."""
        if self.job_id is None or self.print_state != "failed":
            return
        checkout.retry_print(self.actor, self.job_id)
        self.print_state = None
        self._follow()

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
