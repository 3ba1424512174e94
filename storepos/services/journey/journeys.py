"""The terminal's journey and the handoff between steps (see the package doc)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import peewee

from storepos import clock
from storepos.db import transaction
from storepos.models import Journey as JourneyRow
from storepos.models.journey import JOURNEY_STEPS
from storepos.services import visits
from storepos.services.core.errors import DomainError, NotFound


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

    def to_data(self) -> dict[str, Any]:
        """JSON-ready (amounts as text: checkout.start_cart reads them back exactly)."""
        data = dataclasses.asdict(self)
        data["lines"] = [{k: (str(v) if not isinstance(v, (int, bool, type(None))) else v) for k, v in ln.items()}
                         for ln in self.lines]
        data["product_ids"] = list(self.product_ids)
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Handoff | None:
        """to_data's result back; None for data that is not a handoff."""
        try:
            return cls(target=str(data["target"]), visit_id=data.get("visit_id"), quote_id=data.get("quote_id"),
                       customer_id=data.get("customer_id"), needs=dict(data.get("needs") or {}),
                       product_ids=tuple(int(p) for p in data.get("product_ids") or ()),
                       lines=tuple(dict(ln) for ln in data.get("lines") or ()), locked=bool(data.get("locked")),
                       outcome=data.get("outcome"))
        except (KeyError, TypeError, ValueError):
            return None


def quantities(handoff: Handoff) -> dict[int, int]:
    """The units of each product shown (visits.units_for: the needs' quantity for one product
    shown, 1 each for several)."""
    return visits.units_for(handoff.needs, handoff.product_ids)


def cart_lines(handoff: Handoff) -> list[dict[str, Any]]:
    """The cart lines a handoff starts checkout (or a quote) with: a quote's lines as quoted; a
    visit's products shown, each at the quantity the needs stated."""
    if handoff.lines:
        return [dict(ln) for ln in handoff.lines]
    return [{"product_id": pid, "qty": n} for pid, n in quantities(handoff).items()]


@dataclass(frozen=True)
class JourneyState:
    """Where a terminal's open journey is: the step reached, the records it made so far and the
    handoff waiting for the next step."""

    id: int
    store_id: int
    terminal: str
    step: str
    customer_id: int | None
    visit_id: int | None
    quote_id: int | None
    sale_id: int | None
    handoff: Handoff | None


def _key(store_id: int, terminal: str) -> str:
    return f"{store_id}:{terminal}"


def _state(row: JourneyRow) -> JourneyState:
    handoff = Handoff.from_data(row.handoff) if isinstance(row.handoff, dict) else None
    return JourneyState(row.id, row.store_id, row.terminal, row.step, row.customer_id, row.visit_id,
                        row.quote_id, row.sale_id, handoff)


@dataclass(frozen=True)
class WaitingJourney:
    """A journey open on another terminal of the store (the customer may come to this counter):
    the step it reached, who the customer is, the quote, and what it hands on, if anything
    (*target*: the step the handoff waits for, "" when none waits)."""

    id: int
    terminal: str
    target: str
    customer: str
    quote_number: str
    lines: int
    step: str = ""
    visit_id: int | None = None
    quote_id: int | None = None
    sale_id: int | None = None
    updated_at: Any = None


def under_way(store_id: int, *, other_than: str) -> list[WaitingJourney]:
    """The store's journeys open on terminals other than *other_than*, most recent first (one
    query: the customer's name and the quote's number come with each row)."""
    from storepos.models import Customer, Quote

    rows = (JourneyRow.select(JourneyRow, Customer.name.alias("customer_name"), Quote.number.alias("quote_no"))
            .join(Customer, peewee.JOIN.LEFT_OUTER, on=(Customer.id == JourneyRow.customer_id))
            .switch(JourneyRow)
            .join(Quote, peewee.JOIN.LEFT_OUTER, on=(Quote.id == JourneyRow.quote_id))
            .where(JourneyRow.store == store_id, JourneyRow.open_key.is_null(False),
                   JourneyRow.terminal != other_than)
            .order_by(JourneyRow.updated_at.desc(), JourneyRow.id.desc()).objects())
    out = []
    for row in rows:
        handoff = Handoff.from_data(row.handoff) if isinstance(row.handoff, dict) else None
        out.append(WaitingJourney(row.id, row.terminal, handoff.target if handoff else "", row.customer_name or "",
                                  row.quote_no or "", len(handoff.lines or handoff.product_ids) if handoff else 0,
                                  step=row.step, visit_id=row.visit_id, quote_id=row.quote_id, sale_id=row.sale_id,
                                  updated_at=row.updated_at))
    return out


def waiting(store_id: int, target: str, *, other_than: str) -> list[WaitingJourney]:
    """The journeys open on terminals other than *other_than* whose handoff waits for *target*
    ("checkout", "quote"), most recent first."""
    return [j for j in under_way(store_id, other_than=other_than) if j.target == target]


class Journey:
    """A terminal's journey, kept in the database (table ``journey``): whatever a step hands the
    next survives a restart, a lock and the app's screens being rebuilt.  Stateless itself: each
    call reads or writes the terminal's open journey."""

    def __init__(self, store_id: int, terminal: str) -> None:
        self.store_id = store_id
        self.terminal = terminal

    def _row(self) -> JourneyRow | None:
        return JourneyRow.get_or_none(JourneyRow.open_key == _key(self.store_id, self.terminal))

    def state(self) -> JourneyState | None:
        """The open journey, or None when none is under way."""
        row = self._row()
        return _state(row) if row is not None else None

    def _open(self) -> JourneyRow:
        row = self._row()
        if row is None:
            now = clock.now()
            row = JourneyRow.create(store=self.store_id, terminal=self.terminal,
                                    open_key=_key(self.store_id, self.terminal), step="visit",
                                    started_at=now, updated_at=now)
        return row

    def reached(self, step: str, **ids: int | None) -> JourneyState:
        """The journey is at *step* (one of JOURNEY_STEPS); *ids* (customer_id, visit_id,
        quote_id, sale_id) record what it made.  A new journey starts when none is open."""
        if step not in JOURNEY_STEPS:
            raise ValueError(step)
        with transaction():
            row = self._open()
            for name in ("customer_id", "visit_id", "quote_id", "sale_id"):
                if ids.get(name) is not None:
                    setattr(row, name, ids[name])
            row.step = step
            row.updated_at = clock.now()
            row.save()
        return _state(row)

    def begin(self, *, visit_id: int | None = None, customer_id: int | None = None) -> JourneyState:
        """A customer's visit starts (or comes back on screen): the terminal's journey is this
        visit's; one open for another visit ends first (that customer's journey is over here)."""
        with transaction():
            row = self._row()
            if row is not None and row.visit_id is not None and visit_id is not None and row.visit_id != visit_id:
                self.end()
                row = None
            if row is None:
                row = self._open()
            if row.visit_id is None and visit_id is not None:
                row.visit_id = visit_id
                row.step = "visit"
            if customer_id is not None:
                row.customer_id = customer_id
            row.updated_at = clock.now()
            row.save()
        return _state(row)

    def hand_over(self, handoff: Handoff) -> None:
        """The step is done: *handoff* waits for the step it names (the journey is at that step)."""
        with transaction():
            row = self._open()
            row.handoff = handoff.to_data()
            row.step = handoff.target if handoff.target in JOURNEY_STEPS else row.step
            for name in ("customer_id", "visit_id", "quote_id"):
                value = getattr(handoff, name)
                if value is not None:
                    setattr(row, name, value)
            row.updated_at = clock.now()
            row.save()

    def take(self, target: str) -> Handoff | None:
        """The handoff waiting for *target* (taken: a second call gives None)."""
        with transaction():
            row = self._row()
            found = Handoff.from_data(row.handoff) if row is not None and isinstance(row.handoff, dict) else None
            if found is None or found.target != target:
                return None
            row.handoff = None
            row.updated_at = clock.now()
            row.save()
        return found

    def adopt(self, journey_id: int) -> JourneyState:
        """Take over journey *journey_id* of another terminal of the store (the customer came to
        this counter): it becomes this terminal's open journey, its handoff with it.  This
        terminal's own open journey ends first unless something waits in it (DomainError then:
        finish or hand it on first).  Raises NotFound when the journey is no longer open."""
        with transaction():
            row = JourneyRow.get_or_none(JourneyRow.id == journey_id, JourneyRow.store == self.store_id,
                                         JourneyRow.open_key.is_null(False))
            if row is None:
                raise NotFound("err.journey_gone")
            mine = self._row()
            if mine is not None and mine.id != row.id:
                if mine.handoff:
                    raise DomainError("err.journey_busy")
                self.end()
            row.terminal = self.terminal
            row.open_key = _key(self.store_id, self.terminal)
            row.updated_at = clock.now()
            row.save()
        return _state(row)

    def end(self) -> None:
        """The journey is over (its follow-up done, or the customer left): the next starts afresh."""
        now = clock.now()
        (JourneyRow.update(open_key=None, ended_at=now, updated_at=now, step="done")
         .where(JourneyRow.open_key == _key(self.store_id, self.terminal)).execute())
