"""The revisions of a quote: each revision's lines and what changed from the one before (←/→).

Everything shown is built as rich Text: product names and SKUs are data, never markup.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll

from storepos.i18n import t
from storepos.money import fmt
from storepos.services import quotes
from storepos.ui.kit.screen import Modal
from storepos.ui.kit.text import Plain, clean, safe

_KIND_STYLE = {"added": "green", "removed": "red"}


class RevisionsModal(Modal[None]):
    """Each revision's lines and what changed from the one before (←/→); Esc back."""

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
            yield Plain(safe(t("quote.rev_title", number=quote.number)), classes="title", id="revisions-title")
            with VerticalScroll(id="revisions-scroll"):
                yield Plain("", id="revisions-body")
            yield Plain(t("quote.rev_hint"), classes="hint", id="revisions-hint")

    def on_mount(self) -> None:
        self.show()

    def action_step(self, delta: int) -> None:
        self.index = max(0, min(len(self.numbers) - 1, self.index + delta))
        self.show()

    def show(self) -> None:
        if not self.numbers:
            self.query_one("#revisions-body", Plain).update(Text(t("quote.rev_none"), style="dim"))
            return
        self.query_one("#revisions-body", Plain).update(revision_text(self.quote_id, self.numbers, self.index))
        self.query_one("#revisions-scroll", VerticalScroll).scroll_home(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#revisions-hint", Plain).update(t("quote.rev_hint"))
        self.show()


def _line_text(ln: dict[str, Any]) -> Text:
    disc = f" -{ln['discount_pct']}%" if ln["discount_pct"] else ""
    return Text.assemble("  ", clean(ln["sku"]), " ", clean(quotes.line_name(ln)),
                         f"  {ln['qty']} × {fmt(ln['unit_price'], fen=True)}{disc} = {fmt(ln['total'], fen=True)}\n")


def _change_text(c: Any) -> Text:
    out = Text.assemble((f"  {t('quote.rev_' + c.kind)} ", _KIND_STYLE.get(c.kind, "yellow")),
                        (clean(c.sku), _KIND_STYLE.get(c.kind, "yellow")), " ",
                        (clean(c.name), _KIND_STYLE.get(c.kind, "yellow")))
    parts = []
    for name, (a, b) in c.changes.items():
        if name in ("unit_price", "total"):
            a, b = fmt(a, fen=True), fmt(b, fen=True)
        parts.append(f"{t('quote.rev_field_' + name)} {a} → {b}")
    if parts:
        out.append("  " + "; ".join(parts))
    out.append("\n")
    return out


def revision_text(quote_id: int, numbers: list[int], index: int) -> Text:
    """Revision *numbers[index]*: its lines, and the changes from the revision before it."""
    rev = numbers[index]
    lines, _disc, total = quotes.revision_lines(quote_id, rev)
    out = Text()
    out.append(t("quote.rev_showing", revision=rev, which=index + 1, count=len(numbers),
                 total=fmt(total, fen=True)) + "\n", style="bold")
    for ln in lines:
        out.append_text(_line_text(ln))
    out.append("\n")
    if index == 0:
        out.append(t("quote.rev_first"), style="dim")
        return out
    prev = numbers[index - 1]
    changes, (d0, d1), (t0, t1) = quotes.diff_revisions(quote_id, prev, rev)
    out.append(t("quote.rev_changes", prev=prev) + "\n", style="bold")
    if not changes:
        out.append("  " + t("quote.rev_none") + "\n", style="dim")
    for c in changes:
        out.append_text(_change_text(c))
    if d0 != d1:
        out.append("  " + t("quote.rev_discount", before=fmt(d0, fen=True), after=fmt(d1, fen=True)) + "\n")
    if t0 != t1:
        out.append("  " + t("quote.rev_total", before=fmt(t0, fen=True), after=fmt(t1, fen=True)) + "\n",
                   style="bold")
    return out
