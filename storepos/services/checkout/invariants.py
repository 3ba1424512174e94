"""Invariants of sales for `storepos check`; each message names the record that breaks it.

- every sale adds up: lines (qty × price − discount = line total), header (subtotal − discount =
  total, the lines' sums), payments (= paid; paid + balance due = total; a void nets to 0), and
  its on-account part equals its receivable;
- every sale's stock moves (ref ``sale:<id>``) equal its lines, so a sale is wholly there;
- receipt numbers are gapless per terminal (the missing numbers are named);
- returns never exceed what was sold;
- each closed register session's expected cash follows from its cash payments, and its
  difference from the counted cash; an open session is not marked closed.
"""

from __future__ import annotations

from collections import defaultdict

from storepos.i18n import t
from storepos.models import (Payment, ReceiptCounter, Receivable, RegisterSession, Sale, SaleLine, StockMove,
                             Terminal)
from storepos.services.register import cash_summary


def _terminals() -> dict[int, str]:
    return dict(Terminal.select(Terminal.id, Terminal.code).tuples())


def _label(codes: dict[int, str], terminal_id: int, receipt_no: int, sale_id: int) -> str:
    return t("integrity.sale_label", receipt=f"{codes.get(terminal_id, terminal_id)}-{receipt_no:06d}",
             id=sale_id)


def sales_add_up() -> list[str]:
    """Each line's total, each header against its lines, each sale's payments against paid and
    balance due (a voided sale's net to 0), each sale's on-account payments against its
    receivable."""
    problems: list[str] = []
    codes = _terminals()
    heads = {s.id: s for s in Sale.select(Sale.id, Sale.terminal, Sale.receipt_no, Sale.kind, Sale.status,
                                          Sale.subtotal, Sale.discount, Sale.total, Sale.paid,
                                          Sale.balance_due)}

    def name(sale_id: int) -> str:
        s = heads.get(sale_id)
        return _label(codes, s.terminal_id, s.receipt_no, s.id) if s else str(sale_id)

    lines: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for sale_id, line_no, qty, unit, disc, total in SaleLine.select(
            SaleLine.sale, SaleLine.line_no, SaleLine.qty, SaleLine.unit_price, SaleLine.line_discount,
            SaleLine.line_total).tuples():
        acc = lines[sale_id]
        acc[0] += qty * unit
        acc[1] += disc
        acc[2] += total
        if qty * unit - disc != total:
            problems.append(t("integrity.line_total", sale=name(sale_id), line=line_no, total=total, qty=qty,
                              price=unit, discount=disc))
    pays: dict[int, int] = defaultdict(int)
    on_account: dict[int, int] = defaultdict(int)
    for sale_id, method, amount in Payment.select(Payment.sale, Payment.method, Payment.amount).tuples():
        pays[sale_id] += amount
        if method == "account" and amount > 0:
            on_account[sale_id] += amount
    receivables = dict(Receivable.select(Receivable.sale, Receivable.amount).tuples())
    for s in heads.values():
        label = name(s.id)
        sub, disc, tot = lines.get(s.id, [0, 0, 0])
        if s.id not in lines:
            problems.append(t("integrity.sale_no_lines", sale=label))
        elif (sub, disc, tot) != (s.subtotal, s.discount, s.total) or s.subtotal - s.discount != s.total:
            problems.append(t("integrity.sale_header", sale=label, lines=f"{sub}/{disc}/{tot}",
                              header=f"{s.subtotal}/{s.discount}/{s.total}"))
        paid = pays.get(s.id, 0)
        if s.status == "voided":
            if paid != 0:
                problems.append(t("integrity.void_payments", sale=label, paid=paid))
        elif paid != s.paid or s.paid + s.balance_due != s.total:
            problems.append(t("integrity.sale_payments", sale=label, payments=paid, paid=s.paid,
                              balance=s.balance_due, total=s.total))
        if s.kind == "sale" and on_account.get(s.id, 0) != receivables.get(s.id, 0):
            problems.append(t("integrity.sale_receivable", sale=label, account=on_account.get(s.id, 0),
                              receivable=receivables.get(s.id, 0)))
    return problems


def sales_match_stock() -> list[str]:
    """Each sale's stock moves (ref sale:<id>, any location) net to its lines: −qty for a sale,
    +qty for a return, 0 for a voided sale (taken, then put back)."""
    problems: list[str] = []
    codes = _terminals()
    want: dict[tuple[int, int], int] = defaultdict(int)
    heads = {}
    for s in Sale.select(Sale.id, Sale.terminal, Sale.receipt_no, Sale.status):
        heads[s.id] = s
    for sale_id, product_id, qty in SaleLine.select(SaleLine.sale, SaleLine.product, SaleLine.qty).tuples():
        head = heads.get(sale_id)
        if head is None or head.status != "voided":
            want[(sale_id, product_id)] -= qty
    have: dict[tuple[int, int], int] = defaultdict(int)
    for ref, product_id, qty in (StockMove.select(StockMove.ref, StockMove.product, StockMove.qty)
                                 .where(StockMove.ref.startswith("sale:")).tuples()):
        tail = ref[5:]
        if not tail.isdigit():
            continue
        have[(int(tail), product_id)] += qty
    for key in sorted(set(want) | set(have)):
        sale_id, product_id = key
        if want.get(key, 0) == have.get(key, 0):
            continue
        s = heads.get(sale_id)
        label = _label(codes, s.terminal_id, s.receipt_no, s.id) if s else t("integrity.missing_sale", id=sale_id)
        problems.append(t("integrity.sale_stock", sale=label, product=product_id, lines=want.get(key, 0),
                          moves=have.get(key, 0)))
    return problems


def _ranges(numbers: list[int], limit: int = 5) -> str:
    shown = ", ".join(str(n) for n in numbers[:limit])
    return shown + (" …" if len(numbers) > limit else "")


def receipts_gapless() -> list[str]:
    """Per terminal: no receipt number missing from 1 to the highest, and the counter at the
    highest."""
    problems: list[str] = []
    codes = _terminals()
    counters = {c.terminal_id: c.last_no for c in ReceiptCounter.select()}
    numbers: dict[int, list[int]] = defaultdict(list)
    for term_id, no in Sale.select(Sale.terminal, Sale.receipt_no).tuples():
        numbers[term_id].append(no)
    for term_id, nos in numbers.items():
        code = codes.get(term_id, term_id)
        high = max(nos)
        present = set(nos)
        missing = [n for n in range(1, high + 1) if n not in present]
        if missing:
            problems.append(t("integrity.receipt_gap", terminal=code, missing=_ranges(missing),
                              count=len(missing), high=high))
        if counters.get(term_id, 0) != high:
            problems.append(t("integrity.receipt_counter", terminal=code, counter=counters.get(term_id, 0),
                              high=high))
    for term_id, last in counters.items():
        if term_id not in numbers and last:
            problems.append(t("integrity.receipt_counter", terminal=codes.get(term_id, term_id), counter=last,
                              high=0))
    return problems


def returns_within_sold() -> list[str]:
    """No sale line has more units back (over its completed returns) than were sold."""
    problems: list[str] = []
    codes = _terminals()
    back: dict[int, int] = defaultdict(int)
    for orig, qty in (SaleLine.select(SaleLine.original_line, SaleLine.qty).join(Sale)
                      .where(Sale.kind == "return", Sale.status == "completed",
                             SaleLine.original_line.is_null(False)).tuples()):
        back[orig] += -qty
    if back:
        q = (SaleLine.select(SaleLine, Sale.terminal, Sale.receipt_no).join(Sale)
             .where(SaleLine.id.in_(list(back))))
        for ln in q:
            if back[ln.id] > ln.qty or back[ln.id] < 0:
                problems.append(t("integrity.return_exceeds", sale=_label(codes, ln.sale.terminal_id,
                                                                           ln.sale.receipt_no, ln.sale_id),
                                  line=ln.line_no, sku=ln.sku, returned=back[ln.id], sold=ln.qty))
    return problems


def register_sessions_add_up() -> list[str]:
    """A closed session's stored expected cash = float + cash tendered − change − cash refunded
    over its payments; its difference = counted − expected.  Closed ⇔ not marked open."""
    problems: list[str] = []
    codes = _terminals()
    for s in RegisterSession.select():
        code = codes.get(s.terminal_id, s.terminal_id)
        if s.closed_at is not None and s.open_terminal is not None:
            problems.append(t("integrity.session_open_closed", session=s.id, terminal=code))
        if s.closed_at is None:
            continue
        expected = cash_summary(s).expected
        if s.expected != expected:
            problems.append(t("integrity.session_expected", session=s.id, terminal=code, stored=s.expected,
                              payments=expected))
        if s.counted is not None and s.expected is not None and s.difference != s.counted - s.expected:
            problems.append(t("integrity.session_difference", session=s.id, terminal=code,
                              difference=s.difference, counted=s.counted, expected=s.expected))
    return problems


CHECKS = (sales_add_up, sales_match_stock, receipts_gapless, returns_within_sold, register_sessions_add_up)
