"""Receipts: per-terminal gapless numbers like T1-000123; text at 40 or 80 columns with CJK
widths right (services.printout); VAT contained shown; reprints counted and marked COPY; a
return prints as a negative ("red") receipt referencing its original."""

from __future__ import annotations

from storepos import clock
from storepos.db import transactional
from storepos.i18n import pick, t
from storepos.models import (
    Customer,
    Payment,
    ReceiptCounter,
    Sale,
    SaleLine,
    Staff,
    Store,
    Terminal,
)
from storepos.money import fmt
from storepos.services.checkout.find import sale_for
from storepos.services.core import audit, printout
from storepos.services.core.context import Actor

WIDTHS = (40, 80)


# -- numbers ----------------------------------------------------------------------------------

def next_receipt_no(store_id: int, terminal: Terminal | int) -> int:
    """Bump the terminal's counter inside the sale's transaction (gapless: a rollback returns it).
    One statement: the first sale of a terminal makes its counter, later ones add one to it."""
    terminal_id = terminal if isinstance(terminal, int) else terminal.id
    q = (ReceiptCounter.insert(store=store_id, terminal=terminal_id, last_no=1)
         .on_conflict(conflict_target=[ReceiptCounter.terminal], update={ReceiptCounter.last_no: ReceiptCounter.last_no + 1})
         .returning(ReceiptCounter.last_no))
    return int(next(iter(q.tuples().execute()))[0])


def receipt_label(terminal_code: str, receipt_no: int) -> str:
    """The receipt number as printed and typed: terminal code and six digits, 'T1-000123'."""
    return f"{terminal_code}-{receipt_no:06d}"


def label(sale: Sale) -> str:
    """The receipt number of *sale*, 'T1-000123'."""
    return receipt_label(Terminal.get_by_id(sale.terminal_id).code, sale.receipt_no)


label_of = label  # the same function under its older name; both are in use


def labels_of(sale_ids: set[int] | list[int]) -> dict[int, str]:
    """The receipt numbers of sales *sale_ids* ('T1-000123'), by sale id, in one query."""
    ids = {int(i) for i in sale_ids if i}
    if not ids:
        return {}
    rows = (Sale.select(Sale.id, Sale.receipt_no, Terminal.code).join(Terminal, on=(Sale.terminal == Terminal.id))
            .where(Sale.id.in_(ids)).tuples())
    return {sid: receipt_label(code, no) for sid, no, code in rows}


def receipt_of(store_id: int, sale_id: int | None) -> str | None:
    """The receipt number of sale *sale_id* of the store ('T1-000123'), or None when there is none."""
    if not sale_id:
        return None
    sale = Sale.get_or_none(Sale.id == sale_id, Sale.store == store_id)
    return label(sale) if sale is not None else None


# -- the text ---------------------------------------------------------------------------------

def _money(fen: int) -> str:
    return fmt(fen, fen=True)


def render(sale: Sale, width: int = 40, *, copy_no: int = 0) -> str:
    """The receipt text of *sale* (a return prints negative, headed as a red receipt).  A width
    other than 40 or 80 prints at 40."""
    if width not in WIDTHS:
        width = 40
    out = (_head(sale, width, copy_no) + _items(sale, width) + _sums(sale, width) + _payments(sale, width)
           + _closing(sale, width))
    out = printout.practice_marked(out, width)  # practice: 练习 / PRACTICE at top and bottom
    return "\n".join(line.rstrip() for line in out) + "\n"


def _head(sale: Sale, width: int, copy_no: int) -> list[str]:
    """Store, title (red for a return, COPY n, VOIDED), number and time, staff and terminal, the
    original of a return, the customer."""
    store = Store.get_by_id(sale.store_id)
    lr = printout.left_right
    out = [printout.center(pick(store.name_zh, store.name_en), width)]
    out.append(printout.center(t("receipt.red_title" if sale.kind == "return" else "receipt.title"), width))
    if copy_no:
        out.append(printout.center(t("receipt.copy", n=copy_no), width))
    if sale.status == "voided":
        out.append(printout.center(t("receipt.voided"), width))
    out.append(printout.rule(width))
    local = clock.to_local(sale.created_at, store.timezone)
    out.append(lr(t("receipt.number", no=label(sale)), local.strftime("%Y-%m-%d %H:%M"), width))
    staff = Staff.get_by_id(sale.staff_id)
    out.append(lr(t("receipt.staff", name=staff.name),
                  t("receipt.terminal", code=Terminal.get_by_id(sale.terminal_id).code), width))
    if sale.original_id:
        out.append(t("receipt.original", no=label(Sale.get_by_id(sale.original_id))))
    if sale.customer_id:
        c = Customer.get_by_id(sale.customer_id)
        out.append(printout.fit(t("receipt.customer", name=c.name, number=c.number), width).rstrip())
    out.append(printout.rule(width))
    return out


def _items(sale: Sale, width: int) -> list[str]:
    """One line per item at 80 columns; at 40 the name wraps above its SKU, quantity and price."""
    lr = printout.left_right
    out: list[str] = []
    for ln in sale.lines.order_by(SaleLine.line_no):
        name = pick(ln.name_zh, ln.name_en)
        qty_price = f"{ln.qty} x {_money(ln.unit_price)}"
        if width >= 80:
            right = f"{qty_price:>22}  {_money(ln.line_total):>14}"
            out.append(lr(f"{ln.sku} {name}", right, width))
        else:
            out.extend(printout.wrap(name, width))
            out.append(lr(f"  {ln.sku}  {qty_price}", _money(ln.unit_price * ln.qty), width))
        if ln.line_discount:
            out.append(lr("  " + t("receipt.line_discount"), _money(-ln.line_discount), width))
        if ln.to_defective:
            out.append("  " + t("receipt.defective"))
    out.append(printout.rule(width))
    return out


def _sums(sale: Sale, width: int) -> list[str]:
    lr = printout.left_right
    out = [lr(t("receipt.subtotal"), _money(sale.subtotal), width)]
    if sale.discount:
        out.append(lr(t("receipt.discount"), _money(-sale.discount), width))
    out.append(lr(t("receipt.total"), _money(sale.total), width))
    out.append(lr(t("receipt.vat", rate=sale.vat_rate_percent), _money(sale.vat), width))
    out.append(printout.rule(width, "."))
    return out


def _payments(sale: Sale, width: int) -> list[str]:
    """Each payment (a void's refunds marked), cash with tendered and change, the balance due."""
    lr = printout.left_right
    out: list[str] = []
    for p in Payment.select().where(Payment.sale == sale.id).order_by(Payment.id):
        method = t(f"pay.method.{p.method}")
        if p.reference:
            method = f"{method} {p.reference}"
        if p.kind == "void":
            method = t("receipt.void_refund", method=method)
        out.append(lr(method, _money(p.amount), width))
        if p.method == "cash" and p.change:
            out.append(lr("  " + t("receipt.tendered"), _money(p.tendered), width))
            out.append(lr("  " + t("receipt.change"), _money(p.change), width))
    if sale.balance_due:
        out.append(lr(t("receipt.balance_due"), _money(sale.balance_due), width))
    return out


def _closing(sale: Sale, width: int) -> list[str]:
    """A sale's delivery date and invoice state, then the thanks."""
    out: list[str] = []
    if sale.kind == "sale":
        if sale.fulfilment == "deliver" and sale.delivery_date:
            out.append(t("receipt.delivery", date=sale.delivery_date.isoformat() if hasattr(
                sale.delivery_date, "isoformat") else str(sale.delivery_date)))
        if sale.invoice_kind:
            key = "receipt.invoice_issued" if sale.invoice_issued else "receipt.invoice_pending"
            out.extend(printout.wrap(t(key, title=sale.invoice_title), width))
    out.append(printout.rule(width))
    out.append(printout.center(t("receipt.thanks"), width))
    return out


# -- printing ---------------------------------------------------------------------------------

@transactional
def reprint(actor: Actor, sale_id: int, width: int = 40) -> str:
    """Count a reprint and return the copy's text (marked COPY n).  Raises NotFound for a sale
    not of the actor's store."""
    sale = sale_for(actor, sale_id)
    Sale.update(reprints=Sale.reprints + 1).where(Sale.id == sale.id).execute()
    sale = Sale.get_by_id(sale.id)
    audit.record(actor, "sale.reprint", "sale", sale.id, after={"reprints": sale.reprints})
    return render(sale, width, copy_no=sale.reprints)


def deliver(sale: Sale, text: str, *, copy_no: int = 0) -> printout.Delivered:
    """Save the receipt under HOME/printouts/receipt/ (the practice folder in practice) and queue
    it for the terminal's printer; returns at once (printout.Delivered: its status and job)."""
    name = label(sale) + (f"-copy{copy_no}" if copy_no else "")
    return printout.deliver(text, "receipt", name, store_id=sale.store_id)


def print_status(actor: Actor, job_id: int) -> printout.PrintStatus | None:
    """The print job *job_id* of the actor's store (queued, printing, printed, failed with the
    printer's words), or None."""
    return printout.job_status(actor.store_id, job_id)


def retry_print(actor: Actor, job_id: int) -> printout.PrintStatus | None:
    """Send a failed print of the actor's store to the printer again; returns its status."""
    return printout.retry(actor.store_id, job_id)
