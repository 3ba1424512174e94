"""The quote at the counter (SOP step 4): scan or search products in, negotiate line by line,
give it to the customer (a manager's PIN where the price goes beyond authority), print, revise,
and take the accepted quote to checkout.

Every change is saved at once (one service call = one transaction), so Esc never loses work: the
quote stays a draft and is found again in the open-quotes list.

The pieces: lines (the line table and its keys), dialogs (the one-value prompts), revisions (the
revisions view), steps (give, accept, print, cancel, to checkout); this module is the screen
(building the quote) and how a quote is opened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen

from storepos.i18n import t
from storepos.money import fmt
from storepos.services import checkout, quotes
from storepos.services.core.errors import DomainError
from storepos.ui.kit.chrome import StepRail
from storepos.ui.kit.pickers import CustomerChoice, CustomerPicker, ProductPicker
from storepos.ui.kit.screen import StoreposScreen, next_step_binding
from storepos.ui.kit.text import Plain, safe
from storepos.ui.quotes import dialogs
from storepos.ui.quotes.dialogs import QuotePrompt
from storepos.ui.quotes.lines import QuoteLines
from storepos.ui.quotes.revisions import RevisionsModal
from storepos.ui.quotes.steps import QuoteSteps

__all__ = ["QuotePrompt", "QuoteScreen", "RevisionsModal", "new_quote", "open_quote", "open_quote_for_visit"]


class QuotePicker(ProductPicker):
    """The kit's product picker; Tab (named in the footer while scanning) goes to the lines."""

    BINDINGS = [Binding("tab", "screen.switch_focus", "quote.key_to_lines")]


class QuoteScreen(QuoteSteps, StoreposScreen):
    # The footer shows the quote's steps first (give, the customer accepts, checkout): at 80
    # columns those are the keys that fit.  The line keys and the rarer ones are on the hint line
    # above it; the command palette lists every one by name.
    BINDINGS = [
        next_step_binding(),
        Binding("g", "give", "quote.key_give"),
        Binding("a", "accept", "quote.key_accept"),
        Binding("k", "checkout", "quote.key_checkout"),
        Binding("c", "customer", "quote.key_customer"),
        Binding("escape", "back", "key.back"),
        Binding("o", "print(40)", "quote.key_print"),
        Binding("r", "revisions", "quote.key_revisions"),
        Binding("O", "print(80)", "quote.key_print_wide", show=False),
        Binding("w", "whole_discount", "quote.key_discount", show=False),
        Binding("n", "notes", "quote.key_notes", show=False),
        Binding("v", "validity", "quote.key_validity", show=False),
        Binding("x", "cancel_quote", "quote.key_cancel_quote", show=False),
        Binding("s,slash", "search", "quote.key_search", show=False),
    ]

    def __init__(self, quote_id: int | None = None, *, visit_id: int | None = None,
                 customer_id: int | None = None, gate_approval_id: int | None = None) -> None:
        super().__init__()
        self.quote_id = quote_id
        self.gate_approval_id = gate_approval_id
        self.visit_id = visit_id
        self.customer_id = customer_id
        self.customer_draft: dict[str, Any] = {}  # a new customer typed before Esc, for this quote

    # -- layout ------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Vertical(id="quote-body"):
            yield StepRail("quote", id="quote-rail")
            yield Plain("", id="quote-head")
            yield QuotePicker(self.actor.store_id, id="quote-picker")
            yield QuoteLines(id="quote-lines")
            yield Plain("", id="quote-totals")
            yield Plain("", id="quote-hint", classes="hint")
            yield Plain("", id="message")

    @property
    def lines(self) -> QuoteLines:
        return self.query_one(QuoteLines)

    def on_mount(self) -> None:
        self.lines.declare_columns(self.app.size.width)
        if self.quote_id is None and self.visit_id is not None:
            self._create()
        self.load()
        quote = self.quote
        if quote is not None and quote.status != "draft" and self.lines.row_count:
            self.lines.focus()  # following a given quote up: its keys (accept, checkout) at hand
        else:
            self.query_one(ProductPicker).focus_input()
        self._show_hint()

    def on_resize(self, event: events.Resize) -> None:
        # A wider terminal gives the product names more room.
        self.lines.declare_columns(event.size.width)
        self.load()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._show_hint()

    def _show_hint(self) -> None:
        """The hint names the keys the footer has no room for: the line keys on the lines, how to
        reach them (and give, accept, checkout) while scanning."""
        on_lines = self.focused is self.lines
        quote = self.quote
        sold = checkout.receipt_of(self.actor.store_id, quote.sale_id) if quote is not None else None
        if sold:  # the journey moved on: never a stale "press k"
            self.query_one("#quote-hint", Plain).update(t("quote.hint_sold", receipt=sold))
            return
        self.query_one("#quote-hint", Plain).update(t("quote.hint" if on_lines else "quote.hint_scan"))

    # -- data --------------------------------------------------------------------------------

    @property
    def quote(self) -> Any | None:
        return quotes.get(self.actor, self.quote_id) if self.quote_id else None

    def _create(self) -> int | None:
        """The quote is made on its first change, so opening and leaving makes nothing."""
        if self.quote_id is None:
            # The opening-checklist gate ran before this screen opened (open_quote); a manager's
            # gate approval, if one was needed, is pointed at the quote here.
            try:
                q = quotes.create(self.actor, customer_id=self.customer_id, visit_id=self.visit_id,
                                  gate_approval_id=self.gate_approval_id)
            except DomainError as exc:
                self.show_error(exc)
                return None
            self.quote_id = q.id
            if self.sapp.journey is not None:
                self.sapp.journey.reached("quote", quote_id=q.id, customer_id=q.customer_id, visit_id=self.visit_id)
        return self.quote_id

    def load(self, *, keep: str | None = None) -> None:
        quote = self.quote
        head = self.query_one("#quote-head", Plain)
        totals = self.query_one("#quote-totals", Plain)
        if quote is None:
            self.lines.show_lines([], set())
            head.update(safe(t("quote.new_quote"), style="bold"))
            totals.update("")
            return
        today = quotes.today_of(self.actor.store_id)
        head.update(safe(t("quote.head", number=quote.number, revision=quote.revision,
                           status=t(f"quote.status.{quote.status}"), customer=quotes.customer_label(quote),
                           valid=f"{quote.valid_until:%m-%d}", days=quotes.days_left(quote, today)),
                         style="bold"))
        problems = quotes.violations(quote.id, self.actor.discount_authority) if quote.status == "draft" else []
        self.lines.show_lines(quotes.lines_of(quote.id), {v.line_id for v in problems if v.line_id}, keep=keep)
        text = Text(t("quote.totals", subtotal=fmt(quote.subtotal, fen=True),
                      discount=fmt(-quote.discount, fen=True) if quote.discount else fmt(0),
                      total=fmt(quote.total, fen=True)), style="bold")
        if problems:
            text.append("  " + t("quote.needs_manager", count=len(problems)), style="bold red")
        sold = checkout.receipt_of(self.actor.store_id, quote.sale_id) if quote.status == "converted" else None
        if sold:
            text.append("  " + t("quote.sold", receipt=sold), style="bold green")
        totals.update(text)
        self._show_hint()

    def _current_line(self) -> Any | None:
        """The highlighted line (or None, saying to choose one)."""
        line_id = self.lines.line_id if self.quote_id else None
        line = next((ln for ln in quotes.lines_of(self.quote_id) if ln.id == line_id), None) \
            if line_id is not None else None
        if line is None:
            self.say(t("quote.no_line"), error=True)
        return line

    def _run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call a service; show its DomainError in the message line; reload the view."""
        before = self.quote
        try:
            result = fn(*args, **kwargs)
        except DomainError as exc:
            self.say(exc.message, error=True)
            return None
        self.say("")
        self.load()
        self._said_revision(before)
        return result if result is not None else True

    def _said_revision(self, before: Any | None) -> None:
        after = self.quote
        if before is not None and after is not None and after.revision > before.revision:
            self.say(t("quote.revision_new", revision=after.revision))

    def _warn_authority(self, line_id: int) -> None:
        for v in quotes.violations(self.quote_id, self.actor.discount_authority):  # type: ignore[arg-type]
            if v.line_id == line_id:
                key = "quote.below_floor" if v.kind == "price_floor" else "quote.over_authority"
                self.say(t(key, authority=self.actor.discount_authority), error=True)

    def _ask(self, prompt: QuotePrompt, after: Callable[[Any], None] | None = None) -> None:
        """Push a prompt; when it saved, reload (the cursor stays on its line) and say *after*."""
        before = self.quote

        def done(result: Any) -> None:
            if result is None:
                return
            self.load()
            self.say("")
            self._said_revision(before)
            if after is not None:
                after(result)

        self.app.push_screen(prompt, done)

    # -- entry -------------------------------------------------------------------------------

    @on(ProductPicker.Picked, "#quote-picker")
    def _picked(self, event: ProductPicker.Picked) -> None:
        if self._create() is None:
            return
        line = self._run(quotes.add_line, self.actor, self.quote_id, event.product.id, 1)
        if line:
            self.say(t("quote.added", name=event.product.name))
            self.lines.go_to(line.id)

    def action_search(self) -> None:
        self.query_one(ProductPicker).focus_input()

    def action_switch_focus(self) -> None:
        if self.focused is self.lines:
            self.query_one(ProductPicker).focus_input()
        else:
            self.lines.focus()

    def action_qty(self, delta: int) -> None:
        line = self._current_line()
        if line is not None:
            self._run(quotes.change_qty, self.actor, line.id, delta)

    def action_ask_qty(self) -> None:
        line = self._current_line()
        if line is not None:
            self._ask(dialogs.ask_qty(self.actor, line))

    def action_line_discount(self) -> None:
        line = self._current_line()
        if line is not None:
            self._ask(dialogs.ask_line_discount(self.actor, line), after=lambda _r: self._warn_authority(line.id))

    def action_price(self) -> None:
        line = self._current_line()
        if line is not None:
            self._ask(dialogs.ask_price(self.actor, line), after=lambda _r: self._warn_authority(line.id))

    def action_remove(self) -> None:
        line = self._current_line()
        if line is not None:
            self._run(quotes.remove_line, self.actor, line.id)

    def action_whole_discount(self) -> None:
        quote = self.quote
        if quote is None:
            self.say(t("err.quote_empty"), error=True)
            return
        self._ask(dialogs.ask_whole_discount(self.actor, quote), after=lambda _r: self._after_whole_discount())

    def _after_whole_discount(self) -> None:
        quote = self.quote
        if quote is None:
            return
        if any(v.line_id is None for v in quotes.violations(quote.id, self.actor.discount_authority)):
            self.say(t("quote.over_authority", authority=self.actor.discount_authority), error=True)
        else:
            self.say(t("quote.discount_saved", amount=fmt(quote.discount, fen=True)))

    def action_notes(self) -> None:
        if self._create() is None:
            return
        self._ask(dialogs.ask_notes(self.actor, self.quote), after=lambda _r: self.say(t("quote.notes_saved")))

    def action_validity(self) -> None:
        if self._create() is None:
            return
        self._ask(dialogs.ask_validity(self.actor, self.quote),
                  after=lambda _r: self.say(t("quote.validity_saved", date=self.quote.valid_until.isoformat())))

    def action_customer(self) -> None:
        if self._create() is None:
            return
        self.app.push_screen(CustomerPicker(draft=self.customer_draft), self._customer_chosen)

    def _customer_chosen(self, choice: CustomerChoice | None) -> None:
        if choice is None or self.quote_id is None:
            return
        if self._run(quotes.set_customer, self.actor, self.quote_id, choice.customer_id):
            self.say(t("quote.customer_set", name=quotes.customer_label(self.quote)))

    def action_back(self) -> None:
        self.app.pop_screen()

    def relabel(self) -> None:
        super().relabel()
        self.lines.declare_columns(self.size.width or self.app.size.width)
        self.query_one(StepRail).render_rail()
        self.query_one(ProductPicker).relabel()
        self._show_hint()
        self.load()


def open_quote(app: Any, quote_id: int | None = None) -> None:
    """Open a quote (a new one when *quote_id* is None).  A visit that carried forward into the
    quote area (the journey's handoff, from the visit screen) starts a quote from that visit."""
    handoff = app.journey.take("quote") if quote_id is None and app.journey else None
    if handoff is not None and handoff.visit_id:
        open_quote_for_visit(app, int(handoff.visit_id))
        return
    if quote_id is not None:
        app.push_screen(QuoteScreen(quote_id))
        return
    new_quote(app)


def new_quote(app: Any) -> None:
    """A new, empty quote (made on its first change), after the opening-checklist gate."""
    _gated(app, lambda gate: QuoteScreen(gate_approval_id=gate))


def open_quote_for_visit(app: Any, visit_id: int) -> None:
    """A new quote prefilled from a visit: its customer, needs (as notes) and products shown."""
    _gated(app, lambda gate: QuoteScreen(visit_id=visit_id, gate_approval_id=gate))


def _gated(app: Any, make: Callable[[int | None], Screen]) -> None:  # type: ignore[type-arg]
    """Starting a quote passes the opening-checklist gate (issue 4) first."""
    from storepos.ui.checklist.gate import ensure_gate

    ensure_gate(app.screen, lambda approval: app.push_screen(make(approval.id if approval else None)))
