"""Receipts: per-terminal gapless numbers like T1-000123; text at 40 or 80 columns with CJK
widths right (services.printout); VAT contained shown; reprints counted and marked COPY; a
return prints as a negative ("red") receipt referencing its original."""

from __future__ import annotations

from storepos import clock
from storepos.db import transactional
from storepos.i18n import pick, t
from storepos.models import Customer, Payment, Sale, SaleLine, Staff, Store, Terminal
from storepos.money import fmt
from storepos.services.core import audit, printout
from storepos.services.checkout.service import _sale_for, receipt_label
from storepos.services.core.context import Actor

WIDTHS = (40, 80)


def label(sale: Sale) -> str:
    return receipt_label(Terminal.get_by_id(sale.terminal_id).code, sale.receipt_no)


def _money(fen: int) -> str:
    return fmt(fen, fen=True)


def render(sale: Sale, width: int = 40, *, copy_no: int = 0) -> str:
    """The receipt text of *sale* (a return prints negative, headed as a red receipt)."""
    if width not in WIDTHS:
        width = 40
    store = Store.get_by_id(sale.store_id)
    lr = printout.left_right
    out: list[str] = []
    out.append(printout.center(pick(store.name_zh, store.name_en), width))
    if sale.kind == "return":
        out.append(printout.center(t("receipt.red_title"), width))
    else:
        out.append(printout.center(t("receipt.title"), width))
    if copy_no:
        out.append(printout.center(t("receipt.copy", n=copy_no), width))
    if sale.status == "voided":
        out.append(printout.center(t("receipt.voided"), width))
    out.append(printout.rule(width))
    local = clock.to_local(sale.created_at, store.timezone)
    out.append(lr(t("receipt.number", no=label(sale)), local.strftime("%Y-%m-%d %H:%M"), width))
    staff = Staff.get_by_id(sale.staff_id)
    out.append(lr(t("receipt.staff", name=staff.name), t("receipt.terminal", code=Terminal.get_by_id(sale.terminal_id).code), width))
    if sale.original_id:
        out.append(t("receipt.original", no=label(Sale.get_by_id(sale.original_id))))
    if sale.customer_id:
        c = Customer.get_by_id(sale.customer_id)
        out.append(printout.fit(t("receipt.customer", name=c.name, number=c.number), width).rstrip())
    out.append(printout.rule(width))
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
    out.append(lr(t("receipt.subtotal"), _money(sale.subtotal), width))
    if sale.discount:
        out.append(lr(t("receipt.discount"), _money(-sale.discount), width))
    out.append(lr(t("receipt.total"), _money(sale.total), width))
    out.append(lr(t("receipt.vat", rate=sale.vat_rate_percent), _money(sale.vat), width))
    out.append(printout.rule(width, "."))
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
    if sale.kind == "sale":
        if sale.fulfilment == "deliver" and sale.delivery_date:
            out.append(t("receipt.delivery", date=sale.delivery_date.isoformat() if hasattr(
                sale.delivery_date, "isoformat") else str(sale.delivery_date)))
        if sale.invoice_kind:
            key = "receipt.invoice_issued" if sale.invoice_issued else "receipt.invoice_pending"
            out.extend(printout.wrap(t(key, title=sale.invoice_title), width))
    out.append(printout.rule(width))
    out.append(printout.center(t("receipt.thanks"), width))
    return "\n".join(line.rstrip() for line in out) + "\n"


@transactional
def reprint(actor: Actor, sale_id: int, width: int = 40) -> str:
    """Count a reprint and return the copy's text (marked COPY n)."""
    sale = _sale_for(actor, sale_id)
    Sale.update(reprints=Sale.reprints + 1).where(Sale.id == sale.id).execute()
    sale = Sale.get_by_id(sale.id)
    audit.record(actor, "sale.reprint", "sale", sale.id, after={"reprints": sale.reprints})
    return render(sale, width, copy_no=sale.reprints)


def deliver(sale: Sale, text: str, *, copy_no: int = 0) -> printout.Delivered:
    """Save the receipt under HOME/printouts/receipt/ and send it to the print command."""
    name = label(sale) + (f"-copy{copy_no}" if copy_no else "")
    return printout.deliver(text, "receipt", name)
