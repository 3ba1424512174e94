"""The quote's one-value dialogs, each a kit Prompt calling one service: a line's quantity,
discount and price, the whole-quote discount, notes, validity and the reason for cancelling.

The value the quote has now is prefilled and the first key typed replaces it (typing 3 over the
prefilled 1 gives 3); a service error shows beside the field and keeps what was typed; Esc leaves
the quote as it was.  Titles name what they act on, data shown exactly as typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from storepos.i18n import t
from storepos.money import fmt
from storepos.services import quotes
from storepos.ui.kit.prompt import Prompt
from storepos.ui.kit.text import safe

if TYPE_CHECKING:
    from storepos.services.core.context import Actor

__all__ = [
    "QuotePrompt",
    "ask_cancel",
    "ask_line_discount",
    "ask_notes",
    "ask_price",
    "ask_qty",
    "ask_validity",
    "ask_whole_discount",
]


class QuotePrompt(Prompt[Any]):
    """One value of the quote (the kit Prompt with the quote's hint: Esc keeps the quote as it was)."""

    HINT_KEY = "quote.prompt_hint"


def _title(key: str, **params: Any) -> Text:
    return safe(t(key, **params))


def ask_qty(actor: Actor, ln: Any) -> QuotePrompt:
    return QuotePrompt(_title("quote.prompt_title_qty", name=quotes.line_name(ln)), "quote.prompt_qty",
                       str(ln.qty), lambda v: quotes.set_qty(actor, ln.id, v.strip()), name="qty")


def ask_line_discount(actor: Actor, ln: Any) -> QuotePrompt:
    return QuotePrompt(_title("quote.prompt_title_discount_pct", name=quotes.line_name(ln),
                              authority=actor.discount_authority),
                       "quote.prompt_discount_pct", str(ln.discount_pct or ""),
                       lambda v: quotes.set_line_discount(actor, ln.id, v), name="discount_pct")


def ask_price(actor: Actor, ln: Any) -> QuotePrompt:
    return QuotePrompt(_title("quote.prompt_title_price", name=quotes.line_name(ln),
                              price=fmt(ln.list_price, fen=True)),
                       "quote.prompt_price", fmt(ln.unit_price, fen=True, symbol=False),
                       lambda v: quotes.set_unit_price(actor, ln.id, v), name="unit_price")


def ask_whole_discount(actor: Actor, quote: Any) -> QuotePrompt:
    value = fmt(quote.discount, fen=True, symbol=False) if quote.discount else ""
    return QuotePrompt(_title("quote.prompt_title_discount", subtotal=fmt(quote.subtotal, fen=True)),
                       "quote.prompt_discount", value, lambda v: quotes.set_discount(actor, quote.id, v),
                       name="discount")


def ask_notes(actor: Actor, quote: Any) -> QuotePrompt:
    # One line to type in: the notes' line breaks show as " / " (the service keeps what is typed).
    return QuotePrompt(_title("quote.prompt_title_notes"), "quote.prompt_notes",
                       (quote.notes or "").replace("\n", " / "),
                       lambda v: quotes.set_notes(actor, quote.id, v), name="notes", max_length=1000)


def ask_validity(actor: Actor, quote: Any) -> QuotePrompt:
    return QuotePrompt(_title("quote.prompt_title_validity"), "quote.prompt_validity",
                       quote.valid_until.isoformat(), lambda v: quotes.set_validity(actor, quote.id, v),
                       name="valid_until")


def ask_cancel(actor: Actor, quote: Any) -> QuotePrompt:
    """Cancelling names the quote (its number and customer) and asks why."""
    return QuotePrompt(_title("quote.prompt_title_cancel", number=quote.number), "quote.prompt_reason", "",
                       lambda v: quotes.cancel(actor, quote.id, v), name="reason", max_length=500,
                       intro=safe(t("quote.cancel_intro", customer=quotes.customer_label(quote),
                                    total=fmt(quote.total, fen=True))))
