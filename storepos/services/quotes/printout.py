"""The printed quote, for 40- and 80-column printers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from storepos import clock
from storepos.db import transactional
from storepos.i18n import pick, t
from storepos.models import Quote, Staff
from storepos.money import fmt
from storepos.services.core import audit
from storepos.services.core import printout as p
from storepos.services.core.context import Actor
from storepos.services.core.permissions import require
from storepos.services.core.store import get_store, settings_of
from storepos.services.quotes.reading import customer_label, get, line_name, lines_of


def render_text(quote_id: int, width: int = 40) -> str:
    """The quote as text for a *width*-column printer (40 or 80), CJK widths right."""
    quote = Quote.get_by_id(quote_id)
    store = get_store(quote.store_id)
    staff = Staff.get_by_id(quote.staff_id)
    out: list[str] = []
    out.append(p.center(pick(store.name_zh, store.name_en), width))
    out.append(p.center(t("quote.print_title"), width))
    out.append(p.rule(width, "="))
    out.append(p.left_right(t("quote.print_number"), f"{quote.number} r{quote.revision}", width))
    created = clock.to_local(quote.created_at, store.timezone)
    out.append(p.left_right(t("quote.print_date"), f"{created:%Y-%m-%d}", width))
    out.append(p.left_right(t("quote.print_valid"), f"{quote.valid_until:%Y-%m-%d}", width))
    out.append(p.left_right(t("quote.print_customer"), customer_label(quote), width))
    out.append(p.left_right(t("quote.print_staff"), staff.name, width))
    out.append(p.rule(width))
    for ln in lines_of(quote.id):
        amount = fmt(ln.total, fen=True, symbol=False)
        price = f"{ln.qty} x {fmt(ln.unit_price, fen=True, symbol=False)}"
        if ln.discount_pct:
            price += f" -{ln.discount_pct}%"
        if width >= 60:
            left = p.fit(ln.sku, 10) + " " + p.fit(line_name(ln), width - 10 - 1 - 32)
            out.append(p.left_right(left, p.fit(price, 20).rstrip().rjust(20) + " " + amount.rjust(11), width))
        else:
            out.extend(p.wrap(f"{ln.sku} {line_name(ln)}", width))
            out.append(p.left_right("  " + price, amount, width))
    out.append(p.rule(width))
    out.append(p.left_right(t("quote.print_subtotal"), fmt(quote.subtotal, fen=True), width))
    if quote.discount:
        out.append(p.left_right(t("quote.print_discount"), fmt(-quote.discount, fen=True), width))
    out.append(p.left_right(t("quote.print_total"), fmt(quote.total, fen=True), width))
    vat = settings_of(store).vat_rate_percent
    if vat:
        contained = Decimal(quote.total) * vat / (100 + vat)
        out.append(p.left_right(t("quote.print_vat", rate=vat),
                                fmt(int(contained.quantize(Decimal(1), rounding=ROUND_HALF_UP)), fen=True), width))
    if quote.notes:
        out.append(p.rule(width))
        out.extend(p.wrap(quote.notes, width))
    out.append(p.rule(width, "="))
    out.extend(p.wrap(t("quote.print_footer", date=f"{quote.valid_until:%Y-%m-%d}"), width))
    out = p.practice_marked(out, width)  # practice: 练习 / PRACTICE at top and bottom
    return "\n".join(line.rstrip() for line in out) + "\n"


def print_quote(actor: Actor, quote_id: int, width: int = 40) -> Any:
    """Render, save under HOME/printouts/quote and send to the print command.  Returns
    printout.Delivered.  Raises NotFound for a quote of another store."""
    require(actor, "quote.use")
    quote = get(actor, quote_id)
    text = render_text(quote.id, width)
    result = p.deliver(text, "quote", f"{quote.number}-r{quote.revision}-{width}", store_id=quote.store_id)
    _record_print(actor, quote.id, width, result.status)
    return result


@transactional
def _record_print(actor: Actor, quote_id: int, width: int, status: str) -> None:
    audit.record(actor, "quote.print", "quote", quote_id, after={"width": width, "status": status})
