"""Invariants of sales for `storepos check`: every sale adds up, receipt numbers are gapless per
terminal, returns never exceed what was sold, register sessions add up."""

from __future__ import annotations

from collections import defaultdict

import peewee

from storepos.models import Payment, ReceiptCounter, RegisterSession, Sale, SaleLine, Terminal


def sales_add_up() -> list[str]:
    problems: list[str] = []
    lines: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for sale_id, qty, unit, disc, total in SaleLine.select(
            SaleLine.sale, SaleLine.qty, SaleLine.unit_price, SaleLine.line_discount, SaleLine.line_total).tuples():
        acc = lines[sale_id]
        acc[0] += qty * unit
        acc[1] += disc
        acc[2] += total
        if qty * unit - disc != total:
            problems.append(f"sale {sale_id}: a line's total {total} is not qty×price−discount")
    pays: dict[int, int] = defaultdict(int)
    for sale_id, amount in Payment.select(Payment.sale, Payment.amount).tuples():
        pays[sale_id] += amount
    for s in Sale.select(Sale.id, Sale.kind, Sale.status, Sale.subtotal, Sale.discount, Sale.total, Sale.paid,
                         Sale.balance_due):
        sub, disc, tot = lines.get(s.id, [0, 0, 0])
        if (sub, disc, tot) != (s.subtotal, s.discount, s.total) or s.subtotal - s.discount != s.total:
            problems.append(f"sale {s.id}: lines ({sub}/{disc}/{tot}) do not add up to the header "
                            f"({s.subtotal}/{s.discount}/{s.total})")
        paid = pays.get(s.id, 0)
        if s.status == "voided":
            if paid != 0:
                problems.append(f"sale {s.id}: voided but payments net to {paid}, not 0")
        elif paid != s.paid or s.paid + s.balance_due != s.total:
            problems.append(f"sale {s.id}: payments {paid}, paid {s.paid}, balance {s.balance_due}, "
                            f"total {s.total} do not add up")
    return problems


def receipts_gapless() -> list[str]:
    problems: list[str] = []
    counters = {c.terminal_id: c.last_no for c in ReceiptCounter.select()}
    rows = (Sale.select(Sale.terminal, peewee.fn.COUNT(Sale.id), peewee.fn.MIN(Sale.receipt_no),
                        peewee.fn.MAX(Sale.receipt_no)).group_by(Sale.terminal).tuples())
    seen = set()
    for term_id, count, low, high in rows:
        seen.add(term_id)
        code = Terminal.get_by_id(term_id).code
        if low != 1 or high != count:
            problems.append(f"terminal {code}: receipt numbers have gaps ({count} receipts, {low}..{high})")
        if counters.get(term_id, 0) != high:
            problems.append(f"terminal {code}: receipt counter {counters.get(term_id, 0)} ≠ last receipt {high}")
    for term_id, last in counters.items():
        if term_id not in seen and last:
            problems.append(f"terminal {term_id}: receipt counter at {last} but no receipts")
    return problems


def returns_within_sold() -> list[str]:
    problems: list[str] = []
    back: dict[int, int] = defaultdict(int)
    for orig, qty in (SaleLine.select(SaleLine.original_line, SaleLine.qty).join(Sale)
                      .where(Sale.kind == "return", Sale.status == "completed",
                             SaleLine.original_line.is_null(False)).tuples()):
        back[orig] += -qty
    if back:
        for ln in SaleLine.select().where(SaleLine.id.in_(list(back))):
            if back[ln.id] > ln.qty or back[ln.id] < 0:
                problems.append(f"sale line {ln.id}: {back[ln.id]} returned of {ln.qty} sold")
    return problems


def one_open_session() -> list[str]:
    problems = []
    for s in RegisterSession.select().where(RegisterSession.closed_at.is_null(False),
                                            RegisterSession.open_terminal.is_null(False)):
        problems.append(f"register session {s.id}: closed but still marked open")
    return problems


CHECKS = (sales_add_up, receipts_gapless, returns_within_sold, one_open_session)
