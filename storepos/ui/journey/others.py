"""Customers at other terminals (j on home, and the palette): every journey open on another
terminal of the store, at whatever step it reached (a visit at its needs, a quote given, a
customer handed to checkout, a sale whose follow-ups wait).  Enter takes the customer over here
(services.journey: the journey moves to this terminal) and opens the step they are at, with what
it holds: the visit, the quote, the cart, the sale's follow-ups.  Esc goes back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.binding import Binding

from storepos import clock
from storepos.i18n import t
from storepos.services import journey
from storepos.services.core.errors import DomainError
from storepos.ui.kit.lists import Column, ListScreen


def continue_at(app: Any, state: journey.JourneyState) -> None:
    """Open the step *state* is at, with what the journey holds (a handoff opens the step it
    waits for and is taken there)."""
    if state.handoff is not None:
        app.open_area(state.handoff.target)
    elif state.step in ("visit", "needs") and state.visit_id:
        from storepos.ui.visits.screen import VisitScreen

        app.push_screen(VisitScreen(state.visit_id, step="needs" if state.step == "needs" else None))
    elif state.step == "quote" and state.quote_id:
        from storepos.ui.quotes.quote import QuoteScreen

        app.push_screen(QuoteScreen(state.quote_id))
    elif state.step in ("receipt", "followup") and state.sale_id:
        from storepos.ui.aftersales.followups import FollowUpsScreen

        app.push_screen(FollowUpsScreen(sale_id=state.sale_id))
    else:
        app.open_area("checkout" if state.step == "checkout" else "visit")


class OtherTerminalsScreen(ListScreen[journey.WaitingJourney]):
    TITLE_KEY = "journey.title"
    EMPTY_KEY = "journey.none"
    HINT_KEY = "journey.hint"
    # Fixed widths at 80 columns; the customer and the step take a wider terminal's room.
    COLUMNS = (
        Column("terminal", "journey.col_terminal", width=8),
        Column("customer", "journey.col_customer", width=16, grow=2),
        Column("step", "journey.col_step", width=20, grow=1),
        Column("quote", "journey.col_quote", width=14),
        Column("since", "journey.col_since", width=5),
    )
    BINDINGS = [
        Binding("enter", "take", "journey.key_take"),
        Binding("escape", "back", "key.back"),
    ]

    def load_rows(self) -> Sequence[journey.WaitingJourney]:
        return journey.under_way(self.actor.store_id, other_than=self.app.settings.terminal)

    def row_key(self, row: journey.WaitingJourney) -> str:
        return str(row.id)

    def row_name(self, row: journey.WaitingJourney) -> str:
        return t("journey.row_name", customer=row.customer or t("journey.walk_in"), terminal=row.terminal)

    def row_cells(self, row: journey.WaitingJourney) -> Sequence[object]:
        step = t(f"journey.step_{row.step}")
        if row.target:
            step = t("journey.handed_to", step=t(f"journey.step_{row.target}"))
        tz = self.sapp.store.timezone if self.sapp.store else "Asia/Shanghai"
        since = clock.to_local(row.updated_at, tz).strftime("%H:%M") if row.updated_at else ""
        return (row.terminal, row.customer or t("journey.walk_in"), step, row.quote_number, since)

    def open_row(self, row: journey.WaitingJourney) -> None:
        try:
            state = self.sapp.journey.adopt(row.id)
        except DomainError as exc:
            self.say(exc.message, error=True)
            self.reload()
            return
        self.app.pop_screen()
        self.app.notify(t("journey.taken", name=self.row_name(row)), markup=False)
        continue_at(self.app, state)

    def action_take(self) -> None:
        row = self.current
        if row is None:
            self.say(t("journey.none"), error=True)
            return
        self.open_row(row)

    def action_back(self) -> None:
        self.app.pop_screen()
