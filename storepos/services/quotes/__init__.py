"""Quoting and negotiation (SOP step 4, 报价与谈判): the quotes area's public API.

A quote moves draft → given → accepted → converted, or ends expired / cancelled.  Editing a
quote that was given makes the next revision (back to draft until given again); the given one
stays as a QuoteRevision snapshot, so the customer's earlier offers remain readable and a diff
shows what changed.

Price authority: a line (or the whole quote) that comes out further below list price than the
actor's discount authority, or below the product's floor price, is a *violation*; a manager's
approval (services.approvals.grant, then :func:`attach_approval`) covers it down to the total it
was approved at.  A quote with an uncovered violation cannot be given.

Money: fen in the database, Decimal in Python; a line total is rounded half-up once per line.
Checkout calls :func:`lines_for_checkout` (prices locked to the quote) and, inside its sale
transaction, :func:`mark_converted` (once only).

The modules, one job each: reading (find a quote, its lines and names), sums (the money),
authority (violations and managers' approvals), revisions (the next revision, snapshots and
diffs), lines (products, quantities, line discounts and prices), terms (whole-quote discount,
notes, validity, customer), drafts (starting a quote, from a visit), lifecycle (give, accept,
cancel, expire; the open quotes), to_checkout (locked lines, converted once), printout (the
printed quote), home (figure and notices), history (the customer page's rows).
"""

from __future__ import annotations

from storepos.services.quotes.authority import Violation, attach_approval, violations
from storepos.services.quotes.drafts import CUSTOMER_NEEDS, create
from storepos.services.quotes.history import quote_history
from storepos.services.quotes.home import NEAR_EXPIRY_DAYS, home_figure, home_notices
from storepos.services.quotes.lifecycle import (
    OPEN_STATUSES,
    OpenQuote,
    accept,
    cancel,
    expire_due,
    expire_if_new_day,
    give,
    open_quotes,
)
from storepos.services.quotes.lines import (
    MAX_QTY,
    DiscountPctInput,
    QtyInput,
    add_line,
    change_qty,
    remove_line,
    set_line_discount,
    set_qty,
    set_unit_price,
)
from storepos.services.quotes.printout import print_quote, render_text
from storepos.services.quotes.reading import (
    customer_label,
    days_left,
    get,
    line_name,
    lines_of,
    today_of,
)
from storepos.services.quotes.revisions import (
    EDITABLE,
    LineChange,
    diff,
    diff_revisions,
    revision_lines,
    revision_numbers,
)
from storepos.services.quotes.sums import line_total_fen
from storepos.services.quotes.terms import (
    NotesInput,
    parse_validity,
    set_customer,
    set_discount,
    set_notes,
    set_validity,
)
from storepos.services.quotes.to_checkout import CheckoutLine, lines_for_checkout, mark_converted

__all__ = [
    # reading
    "get", "lines_of", "line_name", "customer_label", "today_of", "days_left",
    # sums
    "line_total_fen",
    # authority
    "Violation", "violations", "attach_approval",
    # revisions
    "EDITABLE", "LineChange", "revision_numbers", "revision_lines", "diff", "diff_revisions",
    # lines
    "MAX_QTY", "QtyInput", "DiscountPctInput", "add_line", "set_qty", "change_qty", "set_line_discount",
    "set_unit_price", "remove_line",
    # terms
    "NotesInput", "set_discount", "set_notes", "parse_validity", "set_validity", "set_customer",
    # drafts
    "CUSTOMER_NEEDS", "create",
    # lifecycle
    "OPEN_STATUSES", "give", "accept", "cancel", "expire_due", "expire_if_new_day", "OpenQuote", "open_quotes",
    # to_checkout
    "CheckoutLine", "lines_for_checkout", "mark_converted",
    # printout
    "render_text", "print_quote",
    # home
    "NEAR_EXPIRY_DAYS", "home_figure", "home_notices",
    # the customer's page
    "quote_history",
]
