"""The terminal's journey and the handoff between steps (see the package doc)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Handoff:
    """What one step of the procedure gives the next.

    *target* names the step it is for ("quote" or "checkout"); *lines* are cart lines
    (product_id, qty and, from a quote, unit_price and the rest checkout.start_cart takes);
    *locked*: the lines are a given quote's and may not change at the counter."""

    target: str
    visit_id: int | None = None
    quote_id: int | None = None
    customer_id: int | None = None
    needs: dict[str, Any] = field(default_factory=dict)
    product_ids: tuple[int, ...] = ()
    lines: tuple[dict[str, Any], ...] = ()
    locked: bool = False
    outcome: str | None = None

    @classmethod
    def from_visit(cls, target: str, carry: dict[str, Any]) -> Handoff:
        """From visits.carry_forward(visit_id)."""
        return cls(target=target, visit_id=carry.get("visit_id"), customer_id=carry.get("customer_id"),
                   needs=dict(carry.get("needs") or {}), product_ids=tuple(carry.get("product_ids") or ()),
                   outcome=carry.get("outcome"))

    @classmethod
    def from_quote(cls, quote: Any, lines: list[dict[str, Any]]) -> Handoff:
        """An accepted quote to checkout: its lines, locked at the quoted prices."""
        return cls(target="checkout", quote_id=quote.id, customer_id=quote.customer_id, visit_id=quote.visit_id,
                   lines=tuple(lines), locked=True)


def cart_lines(handoff: Handoff) -> list[dict[str, Any]]:
    """The cart lines a handoff starts checkout with: a quote's lines as quoted; a visit's products
    shown, one each, or the quantity of the needs when one product was shown."""
    if handoff.lines:
        return [dict(ln) for ln in handoff.lines]
    ids = list(handoff.product_ids)
    qty = str(handoff.needs.get("quantity") or "").strip()
    n = int(qty) if len(ids) == 1 and qty.isdigit() and int(qty) > 0 else 1
    return [{"product_id": pid, "qty": n} for pid in ids]


@dataclass
class Journey:
    """A terminal's journey: the handoff waiting for the next step and the cart at the till."""

    store_id: int
    terminal: str
    handoff: Handoff | None = None
    cart: Any = None  # checkout.Cart: the terminal's current cart

    def hand_over(self, handoff: Handoff) -> None:
        """The step is done: *handoff* waits for the step it names."""
        self.handoff = handoff

    def take(self, target: str) -> Handoff | None:
        """The handoff waiting for *target* (taken: a second call gives None)."""
        found = self.handoff
        if found is None or found.target != target:
            return None
        self.handoff = None
        return found
