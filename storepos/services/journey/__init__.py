"""The journey area: one customer's way through the procedure on a terminal, as one record.

A step hands the next what it knows (the visit's customer, needs and products with the
quantities stated; the accepted quote's lines) as a :class:`Handoff`, so nothing is retyped; the
terminal's :class:`Journey` keeps it, with the step reached and the records made (visit, quote,
sale), in the database: it survives a restart and a lock.  The terminal's carts are kept in the
database too (services/checkout/drafts.py: current and parked carts).
"""

from __future__ import annotations

from storepos.services.journey.journeys import (
    Handoff,
    Journey,
    JourneyState,
    WaitingJourney,
    cart_lines,
    quantities,
    under_way,
    waiting,
)

__all__ = ["Handoff", "Journey", "JourneyState", "WaitingJourney", "cart_lines", "quantities", "under_way", "waiting"]
