"""The aftersales area (SOP §7–8): its public API.

- sop_lists: the SOP's follow-up kinds and contact channels
- scheduling: the follow-ups a sale, a visit's come-back day or an expiring quote makes (sweep),
  or staff make by hand
- followups: the due list and its counts; contact attempts, reassignment, interest
- surveys: satisfaction surveys, a low score opening a ticket
- service_tickets: service tickets and their moves
- history: the customer's page rows; home: the home figure and notices
- days, inputs: the store's day, free text and a sale of the store, as the others check them
"""

from __future__ import annotations

from storepos.services.aftersales.followups import (
    Assignee,
    DueItem,
    assignees,
    attempts_of,
    counts,
    due_list,
    followup_item,
    followups_for_sale,
    get,
    reassign,
    record_attempt,
    record_interest,
    reschedule,
)
from storepos.services.aftersales.history import followup_history, survey_history, ticket_history
from storepos.services.aftersales.home import home_figure, home_notices
from storepos.services.aftersales.inputs import TEXT_LIMIT
from storepos.services.aftersales.scheduling import (
    COME_BACK_LOOKBACK_DAYS,
    QUOTE_NEAR_DAYS,
    create,
    sale_schedule,
    schedule_for_sale,
    sweep,
)
from storepos.services.aftersales.service_tickets import (
    TICKET_MOVES,
    ActionRow,
    TicketRow,
    actions_of,
    add_action,
    can_see,
    get_ticket,
    low_score_tickets,
    move_ticket,
    open_ticket,
    resolve_customer,
    ticket_label,
    ticket_rows,
    ticket_sale,
    ticket_view,
    tickets,
)
from storepos.services.aftersales.sop_lists import (
    channel_label,
    channels,
    kind_entry,
    kind_label,
    kinds,
)
from storepos.services.aftersales.surveys import (
    LOW_SCORE,
    SaleSummary,
    SurveyResult,
    check_score,
    dimensions,
    find_survey_sale,
    sale_summary,
    satisfaction,
    submit_survey,
)

__all__ = [
    # the SOP's lists
    "kinds", "kind_entry", "kind_label", "channels", "channel_label", "dimensions",
    # making follow-ups
    "COME_BACK_LOOKBACK_DAYS", "QUOTE_NEAR_DAYS", "sale_schedule", "schedule_for_sale", "sweep", "create",
    # working them
    "DueItem", "get", "due_list", "followups_for_sale", "followup_item", "counts", "record_attempt", "reschedule",
    "reassign", "record_interest", "attempts_of",
    "Assignee", "assignees",
    # surveys
    "LOW_SCORE", "check_score", "SurveyResult", "submit_survey", "satisfaction",
    "SaleSummary", "sale_summary", "find_survey_sale",
    # service tickets
    "TEXT_LIMIT", "TICKET_MOVES", "open_ticket", "resolve_customer", "can_see", "get_ticket", "tickets",
    "actions_of", "add_action", "move_ticket", "ticket_label", "low_score_tickets",
    "TicketRow", "ActionRow", "ticket_rows", "ticket_view", "ticket_sale",
    # home and the customer's page
    "home_figure", "home_notices", "followup_history", "survey_history", "ticket_history",
]
