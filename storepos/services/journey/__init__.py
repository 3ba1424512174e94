"""The journey area: one customer's way through the procedure on a terminal, as one typed object.

A step hands the next what it knows (the visit's customer, needs and products; the accepted
quote's lines) as a :class:`Handoff`, so nothing is retyped; the screens read it from the
terminal's :class:`Journey` instead of passing dicts on the App.  The journey issue keeps this
record in the database (surviving a restart and a change of terminal); here it lives as long as
the process.
"""

from __future__ import annotations

from storepos.services.journey.journeys import Handoff, Journey, cart_lines

__all__ = ["Handoff", "Journey", "cart_lines"]
