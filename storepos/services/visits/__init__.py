"""The visits area (SOP §1-2): the approach log, greeting standard, needs, products shown, outcome.

A visit starts at the current time and walks four steps (VISIT_STEPS): signal -> greeting ->
needs -> outcome.  Any step may be skipped; steps still empty when the visit ends count as skipped
too, so the record always says what was not done.  Codes come from fixtures/sop (approach, needs,
outcomes).

Times (naive UTC): started_at (F2 pressed), signal_seen_at (the signal recorded), approached_at
(the salesperson greets the customer: the first greeting standard ticked, or the greeting step
left; "asked_first" means at once), ended_at.  Time to approach = approached_at - signal_seen_at.

For later areas:
- carry_forward(visit_id) -> dict: what a quote or checkout needs from the visit;
- link_quote / link_sale: record what the visit led to;
- come_back_due(store_id, day): visits whose customer said they would come back on *day*.

Modules: codes (the SOP lists), dates (a typed day), visits (the record), steps, needs, products
(shown), ending (the outcome, reopening), carry, closing (close of day), lists, timing, home, history.
"""

from __future__ import annotations

from storepos.services.visits.carry import (
    CARRY_OUTCOMES,
    carry_forward,
    come_back_due,
    link_quote,
    link_sale,
    units_for,
)
from storepos.services.visits.closing import CLOSE_REASON, close_day, close_earlier_days
from storepos.services.visits.codes import (
    greeting_standards,
    label,
    leave_reasons,
    needs_fields,
    outcomes,
    signals,
)
from storepos.services.visits.dates import parse_day
from storepos.services.visits.ending import OutcomeResult, reopen, set_outcome
from storepos.services.visits.history import visit_history
from storepos.services.visits.home import home_figure
from storepos.services.visits.lists import counts_today, latest_open, summary, today_visits
from storepos.services.visits.needs import check_needs, clean_needs, set_needs
from storepos.services.visits.products import (
    add_product,
    product_ids,
    products_shown,
    remove_product,
)
from storepos.services.visits.steps import (
    VISIT_STEPS,
    complete_step,
    go_to,
    mark_approached,
    meet_all_greetings,
    set_signal,
    skip,
    toggle_greeting,
)
from storepos.services.visits.timing import (
    DayTimes,
    day_times,
    duration_seconds,
    seconds_to_approach,
)
from storepos.services.visits.visits import attach_customer, discard_if_empty, get, start, view

__all__ = [
    # the SOP lists and their labels
    "signals", "greeting_standards", "needs_fields", "outcomes", "leave_reasons", "label",
    # the record
    "VISIT_STEPS", "get", "view", "start", "attach_customer", "discard_if_empty",
    # the steps
    "set_signal", "mark_approached", "toggle_greeting", "meet_all_greetings", "complete_step", "skip", "go_to",
    # needs and products shown
    "parse_day", "clean_needs", "check_needs", "set_needs",
    "product_ids", "products_shown", "add_product", "remove_product",
    # the outcome
    "OutcomeResult", "set_outcome", "reopen",
    # carried forward
    "CARRY_OUTCOMES", "carry_forward", "link_quote", "link_sale", "come_back_due", "units_for",
    # close of day
    "CLOSE_REASON", "close_day", "close_earlier_days",
    # lists, times, figures
    "today_visits", "latest_open", "counts_today", "summary",
    "seconds_to_approach", "duration_seconds", "DayTimes", "day_times",
    "home_figure", "visit_history",
]
