"""Void a sale (manager's PIN, only while its goods have not left the store) and returns
(reference the original sale; never more than was sold, counting earlier returns; a negative
"red" receipt; refund by the original methods or cash; on account reduces the receivable)."""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from collections import defaultdict
from typing import Any

import peewee

from storepos import clock
from storepos.db import transactional
from storepos.models import Approval, Payment, Receivable, RegisterSession, Sale, SaleLine, Terminal
from storepos.money import fmt
from storepos.services import catalog
from storepos.services.checkout.find import sale_for
from storepos.services.checkout.receipt import next_receipt_no, receipt_label
from storepos.services.core import approvals as approvals_service
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError
from storepos.services.core.permissions import require
from storepos.services.register import current_session

# Order in which "refund by the original method" pays back: the debt first, then cards and
# mobile, cash last.
REFUND_ORDER = ("account", "card", "wechat", "alipay", "cash")


def returned_qty(sale: Sale) -> dict[int, int]:
    """original line id -> units already returned (completed returns only)."""
    rows = (SaleLine.select(SaleLine.original_line, peewee.fn.SUM(SaleLine.qty))
            .join(Sale, on=(SaleLine.sale == Sale.id))
            .where(Sale.original == sale.id, Sale.kind == "return", Sale.status == "completed")
            .group_by(SaleLine.original_line).tuples())
    return {lid: -int(q) for lid, q in rows}


def returnable(sale: Sale) -> dict[int, int]:
    """line id -> units that may still be returned."""
    done = returned_qty(sale)
    return {ln.id: ln.qty - done.get(ln.id, 0) for ln in sale.lines.order_by(SaleLine.line_no)}


def _net_by_method(sale: Sale) -> dict[str, int]:
    """What each method has paid on *sale* net of refunds so far (fen), returns included."""
    net: dict[str, int] = defaultdict(int)
    for method, amount in Payment.select(Payment.method, Payment.amount).where(Payment.sale == sale.id).tuples():
        net[method] += amount
    for ret in Sale.select(Sale.id).where(Sale.original == sale.id, Sale.kind == "return"):
        for method, amount in Payment.select(Payment.method, Payment.amount).where(Payment.sale == ret.id).tuples():
            net[method] += amount
    return net


def _credit_receivable(sale: Sale, amount: int) -> None:
    rec = Receivable.get_or_none(Receivable.sale == sale.id)
    if rec is None or amount <= 0:
        return
    out = rec.amount - rec.paid - rec.credited
    if amount > out:
        raise DomainError("err.refund_exceeds_receivable", owed=fmt(out, fen=True))
    Receivable.update(credited=Receivable.credited + amount).where(Receivable.id == rec.id).execute()


@transactional
def void_sale(actor: Actor, sale_id: int, approval_id: int) -> Sale:
    """Void a sale whose goods have not left the store, with a manager's void approval.  Stock goes
    back, each payment is refunded by its own method (cash out of the open register), the
    receivable is cancelled.  Raises DomainError when the approval is not a void approval of this
    store, the sale is not open, delivered, has returns, or no register is open."""
    require(actor, "checkout.sell")
    sale = sale_for(actor, sale_id)
    approval = Approval.get_or_none(Approval.id == approval_id, Approval.store == actor.store_id,
                                    Approval.kind == "void")
    if approval is None:
        raise DomainError("err.approval_invalid")
    if sale.kind != "sale" or sale.status != "completed":
        raise DomainError("err.sale_not_open")
    if sale.delivered:
        raise DomainError("err.void_delivered")
    if Sale.select().where(Sale.original == sale.id, Sale.kind == "return").exists():
        raise DomainError("err.void_has_returns")
    session = current_session(actor.store_id, actor.terminal)
    if session is None:
        raise DomainError("err.no_session", terminal=actor.terminal)
    now = clock.now()
    for ln in sale.lines:
        _put_back_stock(actor, ln.product_id, ln.qty, sale, reason="return",
                        batch=ln.batches[0] if ln.batches else None)
    for method, net in _net_by_method(sale).items():
        if net > 0:
            Payment.create(sale=sale, session=session, method=method, amount=-net, kind="void",
                           created_at=now)
    rec = Receivable.get_or_none(Receivable.sale == sale.id)
    if rec is not None:
        Receivable.update(credited=rec.amount - rec.paid).where(Receivable.id == rec.id).execute()
    Sale.update(status="voided", voided_at=now, voided_by=actor.staff_id, void_approval=approval.id).where(
        Sale.id == sale.id).execute()
    approvals_service.attach(approval.id, "sale", sale.id)
    audit.record(actor, "sale.void", "sale", sale.id, before={"status": "completed"},
                 after={"status": "voided", "approval": approval.id})
    return Sale.get_by_id(sale.id)


def _line_refund(line: SaleLine, qty: int, already: int, already_value: int) -> int:
    """The value (fen) of *qty* units of *line* when *already* units (worth *already_value*) came
    back before: pro rata, rounded half-up; the return that empties the line takes the remainder,
    so the refunds of a line always add up to what was paid for it."""
    if already + qty == line.qty:
        return line.line_total - already_value
    return (line.line_total * qty * 2 + line.qty) // (2 * line.qty)


def _returned_value(sale: Sale) -> dict[int, int]:
    rows = (SaleLine.select(SaleLine.original_line, peewee.fn.SUM(SaleLine.line_total))
            .join(Sale, on=(SaleLine.sale == Sale.id))
            .where(Sale.original == sale.id, Sale.kind == "return", Sale.status == "completed")
            .group_by(SaleLine.original_line).tuples())
    return {lid: -int(v) for lid, v in rows}


def _vat_fen(total: int, rate: int) -> int:
    """VAT contained in *total* fen (≥ 0) at *rate* percent, rounded half-up."""
    if not rate:
        return 0
    return (total * rate * 2 + (100 + rate)) // (2 * (100 + rate))


@transactional
def create_return(actor: Actor, sale_id: int, lines: dict[int, int], *, refund: str = "original",
                  defective: set[int] | frozenset[int] = frozenset(), uuid: str | None = None,
                  reason: str = "") -> Sale:
    """A return against *sale_id*: {sale line id: units}.  Idempotent on *uuid*.  Refund by the
    original methods (``"original"``) or ``"cash"``; lines in *defective* do not go back to
    sellable stock.  Raises DomainError when the sale is not open or still has a balance due, no
    register is open, a line is not the sale's or more units come back than are left."""
    require(actor, "checkout.return")
    uuid = uuid or str(uuidlib.uuid4())
    existing = Sale.get_or_none(Sale.cart_uuid == uuid)
    if existing is not None:
        return existing
    if refund not in ("original", "cash"):
        raise DomainError("err.not_allowed_value", field="refund")
    original = sale_for(actor, sale_id)
    if original.kind != "sale" or original.status != "completed":
        raise DomainError("err.sale_not_open")
    if original.balance_due > 0:
        raise DomainError("err.return_balance_due", due=fmt(original.balance_due, fen=True))
    wanted = {int(k): int(v) for k, v in lines.items() if int(v) != 0}
    if not wanted:
        raise DomainError("err.return_empty")
    session = current_session(actor.store_id, actor.terminal)
    if session is None:
        raise DomainError("err.no_session", terminal=actor.terminal)
    plan = _plan_return(original, wanted)
    value = sum(refund_fen for _ln, _q, refund_fen in plan)
    now = clock.now()
    terminal = Terminal.get_by_id(session.terminal_id)
    ret = _write_return(actor, original, plan, value, uuid=uuid, session=session, terminal=terminal,
                        defective=defective, now=now)
    parts = _refund_parts(original, value, refund)
    for method, amount in parts:
        if method == "account":
            _credit_receivable(original, amount)
        Payment.create(sale=ret, session=session, method=method, amount=-amount, kind="refund",
                       created_at=now)
    audit.record(actor, "sale.return", "sale", ret.id, after={
        "receipt": receipt_label(terminal.code, ret.receipt_no), "original": original.id, "value": value,
        "lines": {str(ln.id): q for ln, q, _r in plan}, "refund": parts,
        "defective": sorted(int(x) for x in defective), "reason": reason[:200]})
    return Sale.get_by_id(ret.id)


def _plan_return(original: Sale, wanted: dict[int, int]) -> list[tuple[SaleLine, int, int]]:
    """(original line, units back, refund in fen) per wanted line; DomainError for a line not of
    the sale or more units than are left of it."""
    by_id = {ln.id: ln for ln in original.lines}
    done = returned_qty(original)
    done_value = _returned_value(original)
    plan: list[tuple[SaleLine, int, int]] = []
    for lid, qty in wanted.items():
        ln = by_id.get(lid)
        if ln is None:
            raise DomainError("err.return_wrong_line")
        left = ln.qty - done.get(lid, 0)
        if qty < 0 or qty > left:
            raise DomainError("err.return_too_many", sku=ln.sku, left=left, qty=qty)
        plan.append((ln, qty, _line_refund(ln, qty, done.get(lid, 0), done_value.get(lid, 0))))
    return plan


def _write_return(actor: Actor, original: Sale, plan: list[tuple[SaleLine, int, int]], value: int, *,
                  uuid: str, session: RegisterSession, terminal: Terminal,
                  defective: set[int] | frozenset[int], now: dt.datetime) -> Sale:
    """The return's row (negative, under the terminal's next receipt number) and its lines, each
    putting its units back (to defective when marked so)."""
    receipt_no = next_receipt_no(actor.store_id, terminal)
    gross = sum(ln.unit_price * q for ln, q, _r in plan)
    ret = Sale.create(
        store=actor.store_id, terminal=terminal, session=session, receipt_no=receipt_no, cart_uuid=uuid,
        kind="return", original=original, staff=actor.staff_id, customer=original.customer_id,
        quote_id=original.quote_id, visit_id=original.visit_id, subtotal=-gross, discount=-(gross - value),
        total=-value, paid=-value, balance_due=0, vat=-_vat_fen(value, original.vat_rate_percent),
        vat_rate_percent=original.vat_rate_percent, fulfilment="take", settle_mode=original.settle_mode,
        delivered=True, delivered_at=now, status="completed", approvals={}, created_at=now)
    for i, (ln, qty, refund_fen) in enumerate(plan, start=1):
        bad = ln.id in defective
        SaleLine.create(sale=ret, line_no=i, product=ln.product_id, sku=ln.sku, name_zh=ln.name_zh,
                        name_en=ln.name_en, qty=-qty, unit_price=ln.unit_price,
                        line_discount=-(ln.unit_price * qty - refund_fen), line_total=-refund_fen,
                        original_line=ln, to_defective=bad)
        _put_back_stock(actor, ln.product_id, qty, ret, defective=bad,
                        batch=ln.batches[0] if ln.batches and not bad else None)
    return ret


def _refund_parts(original: Sale, value: int, refund: str) -> list[tuple[str, int]]:
    """How *value* fen go back: all cash, or by the original's methods in REFUND_ORDER (net of
    earlier refunds), any rest in cash."""
    left = value
    if refund == "cash":
        return [("cash", left)]
    net = _net_by_method(original)
    parts: list[tuple[str, int]] = []
    for method in REFUND_ORDER:
        if left <= 0:
            break
        take = min(left, max(net.get(method, 0), 0))
        if take > 0:
            parts.append((method, take))
            left -= take
    if left > 0:
        parts.append(("cash", left))
    return parts


def _put_back_stock(actor: Actor, product_id: int, qty: int, sale: Sale, *, reason: str = "return",
                    defective: bool = False, batch: str | None = None) -> None:
    """Put *qty* units back (a return or a void) through the stock ledger: to sellable stock
    (its first batch when known) or to the defective location."""
    if defective:
        catalog.apply_move(actor, product_id, qty, reason, ref=f"sale:{sale.id}", location="defective")
    else:
        catalog.apply_move(actor, product_id, qty, reason, ref=f"sale:{sale.id}", batch=batch or None)


def return_lines_view(sale: Sale) -> list[dict[str, Any]]:
    """The original lines with what was sold and what may still come back (for the screen)."""
    left = returnable(sale)
    return [{"id": ln.id, "sku": ln.sku, "name_zh": ln.name_zh, "name_en": ln.name_en, "qty": ln.qty,
             "left": left[ln.id], "line_total": ln.line_total, "unit_price": ln.unit_price}
            for ln in sale.lines.order_by(SaleLine.line_no)]
