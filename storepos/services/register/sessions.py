"""The register session of a terminal (its cash register, 钱箱): opening float, expected vs counted at close.

Expected cash = float + cash taken (net of change given) − cash refunded, over the session's
payments.  A difference beyond the store's ``register_difference_limit`` needs a manager's PIN
(an Approval of kind register_difference).  One open session per terminal (a UNIQUE column).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import peewee

from storepos import clock
from storepos.db import transactional
from storepos.models import Approval, Payment, RegisterSession, Terminal
from storepos.money import fmt, MoneyError, parse_amount, to_fen
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError
from storepos.services.core.permissions import require
from storepos.services.core.store import ensure_terminal, get_store, settings_of

DENOMINATIONS = ("100", "50", "20", "10", "5", "1", "0.5", "0.1")


def terminal_of(actor: Actor) -> Terminal:
    """The actor's terminal, made on first use."""
    return ensure_terminal(get_store(actor.store_id), actor.terminal)


def current_session(store_id: int, terminal_code: str) -> RegisterSession | None:
    """The open register session of a terminal, or None."""
    return (RegisterSession.select().join(Terminal, on=(RegisterSession.terminal == Terminal.id))
            .where(Terminal.store == store_id, Terminal.code == terminal_code,
                   RegisterSession.open_terminal.is_null(False))
            .first())


def opened_by_name(session: RegisterSession) -> str:
    """The name of the staff member who opened *session*."""
    return str(session.opened_by.name)


def _amount(text: Any, field: str) -> Decimal:
    try:
        return parse_amount(text)
    except MoneyError as exc:
        raise DomainError(str(exc.args[0]), field=field) from None


@transactional
def open_session(actor: Actor, float_amount: Any) -> RegisterSession:
    """Open the terminal's register with the counted float.  Raises DomainError when one is
    already open on this terminal or the amount is not valid."""
    require(actor, "checkout.register")
    amount = _amount(float_amount, "float_amount")
    limit = settings_of(get_store(actor.store_id)).max_opening_float
    if to_fen(amount) > limit:  # "1,000,000,000" for 1,000: a slip, never a float
        raise DomainError("err.float_too_large", field="float_amount", amount=fmt(amount),
                          limit=fmt(limit, fen=True))
    term = terminal_of(actor)
    if RegisterSession.select().where(RegisterSession.open_terminal == term.id).exists():
        raise DomainError("err.session_already_open", field="float_amount", terminal=term.code)
    try:
        with RegisterSession._meta.database.atomic():
            session = RegisterSession.create(
                store=actor.store_id, terminal=term, open_terminal=term.id, opened_by=actor.staff_id,
                opened_at=clock.now(), float_amount=to_fen(amount))
    except peewee.IntegrityError:
        raise DomainError("err.session_already_open", field="float_amount", terminal=term.code) from None
    audit.record(actor, "register.open", "register_session", session.id, after={"float": to_fen(amount)})
    return session


@dataclass(frozen=True)
class CashSummary:
    float_amount: int  # fen, as every figure here
    cash_sales: int  # cash applied to sales and balances (tendered − change)
    tendered: int
    change: int
    refunds: int  # cash paid back (positive number)
    expected: int


def cash_summary(session: RegisterSession) -> CashSummary:
    """What the register should hold: the float plus cash taken less change given and cash paid
    back, over the session's cash payments."""
    rows = list(Payment.select(Payment.amount, Payment.tendered, Payment.change)
                .where(Payment.session == session.id, Payment.method == "cash").tuples())
    taken = sum(a for a, _t, _c in rows if a > 0)
    refunds = -sum(a for a, _t, _c in rows if a < 0)
    tendered = sum(t for a, t, _c in rows if a > 0)
    change = sum(c for a, _t, c in rows if a > 0)
    expected = session.float_amount + tendered - change - refunds
    return CashSummary(session.float_amount, taken, tendered, change, refunds, expected)


def count_denominations(counts: dict[str, Any]) -> int:
    """Counted cash in fen from {denomination: count}.  Raises DomainError on a bad count."""
    total = Decimal(0)
    for denom, count in counts.items():
        if str(denom) not in DENOMINATIONS:
            raise DomainError("err.bad_denomination", field=f"d_{denom}", denomination=denom)
        text = str(count).strip() or "0"
        if not text.isdigit():
            raise DomainError("err.not_a_whole_number", field=f"d_{denom}")
        total += Decimal(str(denom)) * int(text)
    return to_fen(total)


@transactional
def close_session(actor: Actor, counted: Any = None, *, denominations: dict[str, Any] | None = None,
                  approval_id: int | None = None) -> RegisterSession:
    """Close the terminal's open session with the counted cash (a total, or counts by
    denomination).  A difference beyond the store limit raises DomainError
    err.register_difference unless *approval_id* is a manager's register_difference approval."""
    require(actor, "checkout.register")
    session = current_session(actor.store_id, actor.terminal)
    if session is None:
        raise DomainError("err.no_session", terminal=actor.terminal)
    typed = counted is not None and bool(str(counted).strip())
    if denominations:
        counted_fen = count_denominations(denominations)
        denoms = {k: int(str(v).strip() or 0) for k, v in denominations.items()}
        if typed and to_fen(_amount(counted, "counted")) != counted_fen:
            # Both a total and note counts that disagree: neither is taken for the other.
            raise DomainError("err.count_disagrees", field="counted", counted=fmt(_amount(counted, "counted")),
                              notes=fmt(counted_fen, fen=True))
    elif typed:
        counted_fen = to_fen(_amount(counted, "counted"))
        denoms = None
    else:
        raise DomainError("err.required", field="counted")
    summary = cash_summary(session)
    difference = counted_fen - summary.expected
    limit = settings_of(get_store(actor.store_id)).register_difference_limit
    approval = None
    if abs(difference) > limit:
        if approval_id is None:
            raise DomainError("err.register_difference", field="counted",
                              difference=("+" if difference > 0 else "") + fmt(difference, fen=True),
                              limit=fmt(limit, fen=True))
        approval = Approval.get_or_none(Approval.id == approval_id, Approval.store == actor.store_id,
                                        Approval.kind == "register_difference")
        if approval is None:
            raise DomainError("err.approval_invalid")
    updated = (RegisterSession.update(
        open_terminal=None, closed_by=actor.staff_id, closed_at=clock.now(), counted=counted_fen,
        counted_denominations=denoms, expected=summary.expected, difference=difference,
        approval=approval.id if approval else None)
        .where(RegisterSession.id == session.id, RegisterSession.open_terminal.is_null(False)).execute())
    if updated != 1:  # pragma: no cover - the IMMEDIATE transaction serialises closes
        raise DomainError("err.no_session", terminal=actor.terminal)
    from storepos.services.checkout import payments_not_in_sale

    pending = payments_not_in_sale(actor.store_id, actor.terminal)
    audit.record(actor, "register.close", "register_session", session.id,
                 after={"expected": summary.expected, "counted": counted_fen, "difference": difference,
                        "approval": approval.id if approval else None,
                        # taken on carts no sale has consumed: to complete or refund (listed at close)
                        "not_in_sale": [{"cart": p.cart_uuid, "method": p.method, "amount": str(p.amount),
                                         "reference": p.reference} for p in pending]})
    return RegisterSession.get_by_id(session.id)
