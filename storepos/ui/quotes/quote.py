"""The quote at the counter (SOP step 4): scan or search products in, negotiate line by line,
give it to the customer (a manager's PIN where the price goes beyond authority), print, revise,
and take the accepted quote to checkout.

Every change is saved at once (one service call = one transaction), so Esc never loses work: the
quote stays a draft and is found again in the open-quotes list.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Static

from storepos.i18n import t
from storepos.money import fmt
from storepos.services import journey, quotes
from storepos.services.core.errors import DomainError
from storepos.ui.kit import areas
from storepos.ui.kit.screen import StoreposModal, StoreposScreen, translate_bindings
from storepos.ui.kit.approval import ManagerApproval
from storepos.ui.kit.chrome import StepRail
from storepos.ui.kit.form import FormField
from storepos.ui.kit.pickers import ProductPicker


class QuotePrompt(StoreposModal):
    """One value for the quote (quantity, discount, price, notes, validity).  *apply(value)* calls
    the service; a DomainError shows beside the field and keeps what was typed."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel")]

    def __init__(self, title: str, label_key: str, field: str, value: str,
                 apply: Callable[[str], Any], *, max_length: int = 40) -> None:
        super().__init__()
        self.title_text = title
        self.label_key = label_key
        self.field_name = field
        self.value = value
        self.apply = apply
        self.max_length = max_length

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="quote-prompt"):
            yield Static(self.title_text, classes="title")
            yield FormField(self.label_key, Input(self.value, id="prompt-input", max_length=self.max_length),
                            name=self.field_name)
            yield Static(t("quote.prompt_hint"), classes="hint")
            yield Static("", id="message")

    def on_mount(self) -> None:
        self.query_one("#prompt-input", Input).focus()

    @on(Input.Submitted, "#prompt-input")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.clear_errors()
        try:
            result = self.apply(event.value)
        except DomainError as exc:
            # Whatever the service called the field, the message belongs beside this one input.
            self.show_error(DomainError(exc.key, field=self.field_name, **exc.params))
            return
        self.dismiss(result if result is not None else True)

    def action_cancel(self) -> None:
        self.dismiss(None)


class QuoteLines(DataTable):  # type: ignore[type-arg]
    """The quote's lines; single keys change the highlighted one."""

    BINDINGS = [
        Binding("plus,equals_sign", "screen.qty(1)", "quote.key_qty_up", key_display="+"),
        Binding("minus", "screen.qty(-1)", "quote.key_qty_down", key_display="−"),
        Binding("q", "screen.ask_qty", "quote.key_qty"),
        Binding("d", "screen.line_discount", "quote.key_line_discount"),
        Binding("p", "screen.price", "quote.key_price"),
        Binding("delete,backspace", "screen.remove", "quote.key_remove", key_display="Del"),
    ]


class QuoteScreen(StoreposScreen):
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("g", "give", "quote.key_give"),
        Binding("a", "accept", "quote.key_accept"),
        Binding("k", "checkout", "quote.key_checkout"),
        Binding("o", "print(40)", "quote.key_print"),
        Binding("O", "print(80)", "quote.key_print_wide", show=False),
        Binding("w", "whole_discount", "quote.key_discount"),
        Binding("c", "customer", "quote.key_customer"),
        Binding("n", "notes", "quote.key_notes"),
        Binding("v", "validity", "quote.key_validity"),
        Binding("r", "revisions", "quote.key_revisions"),
        Binding("x", "cancel_quote", "quote.key_cancel_quote"),
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
        self._line_ids: list[int] = []

    # -- layout ------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Vertical(id="quote-body"):
            yield StepRail("quote", id="quote-rail")
            yield Static("", id="quote-head")
            yield ProductPicker(self.actor.store_id, id="quote-picker")
            yield QuoteLines(id="quote-lines", cursor_type="row", zebra_stripes=True)
            yield Static("", id="quote-totals")
            yield Static(t("quote.hint"), id="quote-hint", classes="hint")
            yield Static("", id="message")

    def on_mount(self) -> None:
        table = self.query_one(QuoteLines)
        translate_bindings(table)
        self._columns(table)
        if self.quote_id is None and self.visit_id is not None:
            self._create()
        self.load()
        self.query_one(ProductPicker).focus_input()

    def _columns(self, table: DataTable) -> None:  # type: ignore[type-arg]
        table.clear(columns=True)
        for key, width in (("col_no", 2), ("col_sku", 8), ("col_name", 21), ("col_qty", 4), ("col_price", 10),
                           ("col_disc", 4), ("col_total", 11), ("col_flag", 1)):
            table.add_column(t(f"quote.{key}"), key=key, width=width)

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
        return self.quote_id

    def load(self) -> None:
        quote = self.quote
        table = self.query_one(QuoteLines)
        row = table.cursor_row
        table.clear()
        self._line_ids = []
        head = self.query_one("#quote-head", Static)
        totals = self.query_one("#quote-totals", Static)
        if quote is None:
            head.update(Text(t("quote.new_quote"), style="bold"))
            totals.update("")
            return
        today = quotes.today_of(self.actor.store_id)
        head.update(Text(t("quote.head", number=quote.number, revision=quote.revision,
                           status=t(f"quote.status.{quote.status}"), customer=quotes.customer_label(quote),
                           valid=f"{quote.valid_until:%m-%d}", days=quotes.days_left(quote, today)),
                         style="bold"))
        problems = quotes.violations(quote.id, self.actor.discount_authority) if quote.status == "draft" else []
        flagged = {v.line_id for v in problems}
        for i, ln in enumerate(quotes.lines_of(quote.id), start=1):
            self._line_ids.append(ln.id)
            flag = Text("!", style="bold red") if ln.id in flagged else Text("")
            table.add_row(str(i), ln.sku, quotes.line_name(ln), str(ln.qty),
                          Text(fmt(ln.unit_price, fen=True), justify="right"),
                          f"{ln.discount_pct}%" if ln.discount_pct else "",
                          Text(fmt(ln.total, fen=True), justify="right"), flag, key=str(ln.id))
        if self._line_ids and row is not None:
            table.move_cursor(row=min(row, len(self._line_ids) - 1))
        text = Text(t("quote.totals", subtotal=fmt(quote.subtotal, fen=True),
                      discount=fmt(-quote.discount, fen=True) if quote.discount else fmt(0),
                      total=fmt(quote.total, fen=True)), style="bold")
        if problems:
            text.append("  " + t("quote.needs_manager", count=len(problems)), style="bold red")
        totals.update(text)

    def _current_line(self) -> int | None:
        table = self.query_one(QuoteLines)
        if not self._line_ids or table.cursor_row is None or table.cursor_row >= len(self._line_ids):
            self.say(t("quote.no_line"), error=True)
            return None
        return self._line_ids[table.cursor_row]

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
        after = self.quote
        if before is not None and after is not None and after.revision > before.revision:
            self.say(t("quote.revision_new", revision=after.revision))
        return result if result is not None else True

    def _warn_authority(self, line_id: int) -> None:
        for v in quotes.violations(self.quote_id, self.actor.discount_authority):  # type: ignore[arg-type]
            if v.line_id == line_id:
                key = "quote.below_floor" if v.kind == "price_floor" else "quote.over_authority"
                self.say(t(key, authority=self.actor.discount_authority), error=True)

    # -- entry -------------------------------------------------------------------------------

    @on(ProductPicker.Picked, "#quote-picker")
    def _picked(self, event: ProductPicker.Picked) -> None:
        if self._create() is None:
            return
        line = self._run(quotes.add_line, self.actor, self.quote_id, event.product.id, 1)
        if line:
            self.say(t("quote.added", name=event.product.name))
            if line.id in self._line_ids:
                self.query_one(QuoteLines).move_cursor(row=self._line_ids.index(line.id))

    def action_search(self) -> None:
        self.query_one(ProductPicker).focus_input()

    def action_qty(self, delta: int) -> None:
        line = self._current_line()
        if line is not None:
            self._run(quotes.change_qty, self.actor, line, delta)

    def _prompt(self, title: str, label_key: str, field: str, value: str, apply: Callable[[str], Any],
                after: Callable[[Any], None] | None = None, **kwargs: Any) -> None:
        def done(result: Any) -> None:
            self.load()
            if result is not None and after is not None:
                after(result)

        self.app.push_screen(QuotePrompt(title, label_key, field, value, apply, **kwargs), done)

    def _line(self, line_id: int) -> Any:
        return next(ln for ln in quotes.lines_of(self.quote_id) if ln.id == line_id)  # type: ignore[arg-type]

    def action_ask_qty(self) -> None:
        line_id = self._current_line()
        if line_id is None:
            return
        ln = self._line(line_id)
        self._prompt(t("quote.prompt_title_qty", name=quotes.line_name(ln)), "quote.prompt_qty", "qty",
                     str(ln.qty), lambda v: quotes.set_qty(self.actor, line_id, v.strip()))

    def action_line_discount(self) -> None:
        line_id = self._current_line()
        if line_id is None:
            return
        ln = self._line(line_id)
        self._prompt(t("quote.prompt_title_discount_pct", name=quotes.line_name(ln),
                       authority=self.actor.discount_authority), "quote.prompt_discount_pct", "discount_pct",
                     str(ln.discount_pct or ""), lambda v: quotes.set_line_discount(self.actor, line_id, v),
                     after=lambda _r: self._warn_authority(line_id))

    def action_price(self) -> None:
        line_id = self._current_line()
        if line_id is None:
            return
        ln = self._line(line_id)
        self._prompt(t("quote.prompt_title_price", name=quotes.line_name(ln), price=fmt(ln.list_price, fen=True)),
                     "quote.prompt_price", "unit_price", fmt(ln.unit_price, fen=True, symbol=False),
                     lambda v: quotes.set_unit_price(self.actor, line_id, v),
                     after=lambda _r: self._warn_authority(line_id))

    def action_remove(self) -> None:
        line = self._current_line()
        if line is not None:
            self._run(quotes.remove_line, self.actor, line)

    def action_whole_discount(self) -> None:
        quote = self.quote
        if quote is None:
            return
        self._prompt(t("quote.prompt_title_discount", subtotal=fmt(quote.subtotal, fen=True)),
                     "quote.prompt_discount", "discount",
                     fmt(quote.discount, fen=True, symbol=False) if quote.discount else "",
                     lambda v: quotes.set_discount(self.actor, quote.id, v),
                     after=lambda _r: self._after_whole_discount())

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
        quote = self.quote
        self._prompt(t("quote.prompt_title_notes"), "quote.prompt_notes", "notes", quote.notes.replace("\n", " / "),
                     lambda v: quotes.set_notes(self.actor, quote.id, v), max_length=1000,
                     after=lambda _r: self.say(t("quote.notes_saved")))

    def action_validity(self) -> None:
        if self._create() is None:
            return
        quote = self.quote
        self._prompt(t("quote.prompt_title_validity"), "quote.prompt_validity", "valid_until",
                     quote.valid_until.isoformat(), lambda v: quotes.set_validity(self.actor, quote.id, v),
                     after=lambda _r: self.say(t("quote.validity_saved", date=self.quote.valid_until.isoformat())))

    def action_customer(self) -> None:
        from storepos.ui.customers.customers import CustomerPicker

        if self._create() is None:
            return
        self.app.push_screen(CustomerPicker(draft=self.customer_draft), self._customer_chosen)

    def _customer_chosen(self, customer_id: Any) -> None:
        if customer_id is None or self.quote_id is None:
            return
        if self._run(quotes.set_customer, self.actor, self.quote_id, int(customer_id)):
            self.say(t("quote.customer_set", name=quotes.customer_label(self.quote)))

    # -- status ------------------------------------------------------------------------------

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

    def action_accept(self) -> None:
        if self.quote_id is None:
            return
        q = self._run(quotes.accept, self.actor, self.quote_id)
        if q:
            self.say(t("quote.accepted", number=q.number))

    def action_cancel_quote(self) -> None:
        quote = self.quote
        if quote is None:
            return
        self._prompt(t("quote.prompt_title_cancel", number=quote.number), "quote.prompt_reason", "reason", "",
                     lambda v: quotes.cancel(self.actor, quote.id, v), max_length=500,
                     after=lambda _r: self.say(t("quote.cancelled", number=quote.number)))

    def action_print(self, width: int) -> None:
        if self.quote_id is None:
            return
        result = quotes.print_quote(self.actor, self.quote_id, width)
        if result.printed:
            self.say(t("quote.printed", path=result.path))
        elif result.error:
            self.say(t("quote.print_failed", path=result.path, error=result.error), error=True)
        else:
            self.say(t("quote.print_saved", path=result.path))

    def action_revisions(self) -> None:
        if self.quote_id is not None:
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
            self.notify(t("quote.stock_short", items=", ".join(short)), severity="warning")
        # Hand the quote to checkout: its lines, locked at the quoted prices (services.journey); the
        # sale transaction then calls quotes.mark_converted(quote_id, sale_id).
        self.sapp.journey.hand_over(journey.Handoff.from_quote(quote, [ln.cart_line() for ln in lines]))
        self.sapp.open_area("checkout")

    def action_back(self) -> None:
        self.app.pop_screen()

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        return [(t("quote.key_give"), "", self.action_give), (t("quote.key_accept"), "", self.action_accept),
                (t("quote.key_print"), "", partial(self.action_print, 40)),
                (t("quote.key_print_wide"), "", partial(self.action_print, 80)),
                (t("quote.key_revisions"), "", self.action_revisions),
                (t("quote.key_customer"), "", self.action_customer),
                (t("quote.key_checkout"), "", self.action_checkout)]

    def relabel(self) -> None:
        super().relabel()
        table = self.query_one(QuoteLines)
        translate_bindings(table)
        self._columns(table)
        self.query_one("#quote-hint", Static).update(t("quote.hint"))
        self.query_one(StepRail).render_rail()
        self.load()


class RevisionsModal(StoreposModal):
    """Each revision's lines and what changed from the one before (←/→)."""

    BINDINGS = [Binding("escape", "close", "key.back"), Binding("left", "step(-1)", show=False),
                Binding("right", "step(1)", show=False)]

    def __init__(self, quote_id: int) -> None:
        super().__init__()
        self.quote_id = quote_id
        self.numbers = quotes.revision_numbers(quote_id)
        self.index = len(self.numbers) - 1

    def compose(self) -> ComposeResult:
        quote = quotes.get(self.actor, self.quote_id)
        with Vertical(classes="modal-box", id="revisions-box"):
            yield Static(t("quote.rev_title", number=quote.number), classes="title")
            with VerticalScroll(id="revisions-scroll"):
                yield Static("", id="revisions-body")
            yield Static(t("quote.rev_hint"), classes="hint")

    def on_mount(self) -> None:
        self.show()

    def action_step(self, delta: int) -> None:
        self.index = max(0, min(len(self.numbers) - 1, self.index + delta))
        self.show()

    def show(self) -> None:
        rev = self.numbers[self.index]
        lines, _disc, total = quotes.revision_lines(self.quote_id, rev)
        out = Text()
        out.append(t("quote.rev_showing", revision=rev, which=self.index + 1, count=len(self.numbers),
                     total=fmt(total, fen=True)) + "\n", style="bold")
        for ln in lines:
            disc = f" -{ln['discount_pct']}%" if ln["discount_pct"] else ""
            out.append(f"  {ln['sku']} {quotes.line_name(ln)}  {ln['qty']} × "
                       f"{fmt(ln['unit_price'], fen=True)}{disc} = "
                       f"{fmt(ln['total'], fen=True)}\n")
        out.append("\n")
        if self.index == 0:
            out.append(t("quote.rev_first"), style="dim")
        else:
            prev = self.numbers[self.index - 1]
            changes, (d0, d1), (t0, t1) = quotes.diff_revisions(self.quote_id, prev, rev)
            out.append(t("quote.rev_changes", prev=prev) + "\n", style="bold")
            if not changes:
                out.append("  " + t("quote.rev_none") + "\n", style="dim")
            for c in changes:
                out.append(f"  {t('quote.rev_' + c.kind)} {c.sku} {c.name}",
                           style={"added": "green", "removed": "red"}.get(c.kind, "yellow"))
                parts = []
                for name, (a, b) in c.changes.items():
                    if name in ("unit_price", "total"):
                        a, b = fmt(a, fen=True), fmt(b, fen=True)
                    parts.append(f"{t('quote.rev_field_' + name)} {a} → {b}")
                out.append(("  " + "; ".join(parts)) if parts else "")
                out.append("\n")
            if d0 != d1:
                out.append("  " + t("quote.rev_discount", before=fmt(d0, fen=True), after=fmt(d1, fen=True)) + "\n")
            if t0 != t1:
                out.append("  " + t("quote.rev_total", before=fmt(t0, fen=True), after=fmt(t1, fen=True)) + "\n",
                           style="bold")
        self.query_one("#revisions-body", Static).update(out)

    def action_close(self) -> None:
        self.dismiss(None)


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
    _gated(app, lambda gate: QuoteScreen(gate_approval_id=gate))


def open_quote_for_visit(app: Any, visit_id: int) -> None:
    """A new quote prefilled from a visit: its customer, needs (as notes) and products shown."""
    _gated(app, lambda gate: QuoteScreen(visit_id=visit_id, gate_approval_id=gate))


def _gated(app: Any, make: Callable[[int | None], QuoteScreen]) -> None:
    """Starting a quote passes the opening-checklist gate (issue 4) first."""
    from storepos.ui.checklist.gate import ensure_gate

    ensure_gate(app.screen, lambda approval: app.push_screen(make(approval.id if approval else None)))
