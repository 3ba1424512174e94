"""The quote's steps with the customer: give it (a manager's PIN where a price goes beyond
authority), the customer accepts, print, revisions, cancel, and the accepted quote to checkout
(handed over through app.journey).  A mixin of QuoteScreen (storepos/ui/quotes/quote.py)."""

from __future__ import annotations

from functools import partial
from typing import Any

from storepos.i18n import t
from storepos.services import checkout, journey, quotes
from storepos.services.core.errors import DomainError
from storepos.ui.kit import areas
from storepos.ui.kit.approval import ManagerApproval
from storepos.ui.quotes import dialogs
from storepos.ui.quotes.revisions import RevisionsModal


class QuoteSteps:
    """give / accept / cancel / print / revisions / checkout and the palette's list of actions;
    the screen gives quote, quote_id, actor, sapp, say, _run and _ask."""

    quote: Any
    quote_id: int | None
    actor: Any
    sapp: Any
    app: Any

    def action_give(self) -> None:
        quote = self.quote
        if quote is None:
            self.say(t("err.quote_empty"), error=True)
            return
        if quote.status == "draft":
            problems = quotes.violations(quote.id, self.actor.discount_authority)
            if problems:
                v = problems[0]
                self.app.push_screen(ManagerApproval(v.kind, v.why, entity="quote", entity_id=quote.id,
                                                     detail=v.detail),
                                     partial(self._approved, v, len(problems)))
                return
        q = self._run(quotes.give, self.actor, quote.id)
        if q:
            self.say(t("quote.given", number=q.number, revision=q.revision))

    def _approved(self, violation: quotes.Violation, count: int, approval: Any) -> None:
        if approval is None:
            self.say(t("quote.give_refused", count=count), error=True)
            return
        if self._run(quotes.attach_approval, self.actor, self.quote_id, approval.id, line_id=violation.line_id):
            self.action_give()  # the next violation, or give

    def action_next_step(self) -> None:
        """F10: the quote's next step.  A draft is given to the customer (a manager's PIN first
        where a price needs one); a given quote the customer accepts goes to checkout with its
        lines locked, in one key; an accepted one goes to checkout; a sold one says its receipt."""
        quote = self.quote
        if quote is None:
            self.say(t("err.quote_empty"), error=True)
            return
        if quote.status == "draft":
            self.action_give()
        elif quote.status == "given":
            if self._run(quotes.accept, self.actor, quote.id):
                self.action_checkout()
        elif quote.status == "accepted":
            self.action_checkout()
        elif quote.status == "converted":
            receipt = checkout.receipt_of(self.actor.store_id, quote.sale_id)
            self.say(t("quote.sold", receipt=receipt or "?"))
        else:
            self.say(t("quote.next_step_closed", status=t(f"quote.status.{quote.status}")), error=True)

    def action_accept(self) -> None:
        if self.quote_id is None:
            self.say(t("err.quote_empty"), error=True)
            return
        q = self._run(quotes.accept, self.actor, self.quote_id)
        if q:
            self.say(t("quote.accepted", number=q.number))

    def action_cancel_quote(self) -> None:
        quote = self.quote
        if quote is None:
            return
        self._ask(dialogs.ask_cancel(self.actor, quote),
                  after=lambda _r: self.say(t("quote.cancelled", number=quote.number)))

    def action_print(self, width: int) -> None:
        if self.quote_id is None:
            self.say(t("err.quote_empty"), error=True)
            return
        result = quotes.print_quote(self.actor, self.quote_id, width)
        # queued: the printer works in the background (a failure is listed on home, d retries)
        key = {"queued": "quote.printed", "practice": "quote.print_practice"}.get(result.status, "quote.print_saved")
        self.say(t(key, path=str(result.path or "")))

    def action_revisions(self) -> None:
        if self.quote_id is None:
            self.say(t("err.quote_empty"), error=True)
            return
        self.app.push_screen(RevisionsModal(self.quote_id))

    def action_checkout(self) -> None:
        quote = self.quote
        if quote is None or quote.status != "accepted":
            self.say(t("quote.checkout_not_accepted"), error=True)
            return
        try:
            lines = quotes.lines_for_checkout(quote.id)
        except DomainError as exc:
            self.say(exc.message, error=True)
            return
        area = areas.AREAS.get("checkout")
        if area is None:
            self.say(t("quote.checkout_missing"), error=True)
            return
        short = [ln.sku for ln in lines if ln.short]
        if short:
            self.notify(t("quote.stock_short", items=", ".join(short)), severity="warning", markup=False)
        # Hand the quote to checkout: its lines, locked at the quoted prices (services.journey); the
        # sale transaction then calls quotes.mark_converted(quote_id, sale_id).
        self.sapp.journey.hand_over(journey.Handoff.from_quote(quote, [ln.cart_line() for ln in lines]))
        self.sapp.open_area("checkout")

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        """Every action of the quote by name, wherever the focus is (the app's palette adds
        those the screen's keys did not already give)."""
        keys = [("quote.key_give", "g", self.action_give), ("quote.key_accept", "a", self.action_accept),
                ("quote.key_checkout", "k", self.action_checkout),
                ("quote.key_customer", "c", self.action_customer),
                ("quote.key_print", "o", partial(self.action_print, 40)),
                ("quote.key_print_wide", "O", partial(self.action_print, 80)),
                ("quote.key_revisions", "r", self.action_revisions),
                ("quote.key_discount", "w", self.action_whole_discount),
                ("quote.key_notes", "n", self.action_notes), ("quote.key_validity", "v", self.action_validity),
                ("quote.key_cancel_quote", "x", self.action_cancel_quote),
                ("quote.key_qty", "q", self.action_ask_qty),
                ("quote.key_line_discount", "d", self.action_line_discount),
                ("quote.key_price", "p", self.action_price), ("quote.key_remove", "Del", self.action_remove)]
        return [(t(key), shown, fn) for key, shown, fn in keys]
