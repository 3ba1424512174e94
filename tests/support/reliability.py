"""Terminals for the reliability tests (not a test module): forked worker processes that sell,
return and convert quotes against the test database, each on its own terminal.

Workers are forked (cheap: the parent has imported everything) after the parent has CLOSED its
own database connection; each opens its own.  A worker reports through a JSON file it writes at
the end (torture) or not at all (crash test: it is killed)."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import traceback
from decimal import Decimal
from pathlib import Path
from typing import Any

from storepos.config import Settings
from storepos.models import Customer, Product, RegisterSession, Sale, SaleLine, StockMove, Store
from storepos.services import staff
from storepos.services import checkout, quotes, register
from storepos.services import catalog
from storepos.services.core.bootstrap import close_database, open_store_database
from storepos.services.checkout import PaymentIn
from storepos.services.core.errors import DomainError

FORK = multiprocessing.get_context("fork")


def prepare_shop(manager, n_products: int = 6, stock_each: int = 30) -> list[int]:
    """Limited stock on a few products (through the ledger, so `storepos check` stays clean),
    a customer with room on account, a register open on T1..T4.  Returns the product ids."""
    ids = [p.id for p in Product.select().where(Product.price.between(500, 20000), Product.active == True)  # noqa: E712
           .order_by(Product.id).limit(n_products)]
    for pid in ids:
        have = Product.get_by_id(pid).stock
        if have != stock_each:
            catalog.adjust(manager, pid, stock_each - have, "torture test stock")
    Customer.update(credit_limit=10**9, credit_days=3650).where(Customer.number == "C0003").execute()
    return ids


def open_tills(store_id: int, terminals: list[str]) -> None:
    for term in terminals:
        actor = staff.login(store_id, "1001", "1111", term)
        if register.current_session(store_id, term) is None:
            register.open_session(actor, "500.00")


def _pay(rng: random.Random, total: Decimal, customer_id: int | None) -> list[PaymentIn]:
    r = rng.random()
    if customer_id is not None and r < 0.3:
        return [PaymentIn("account", total)]
    if r < 0.6:
        return [PaymentIn("cash", total, (total + 50).quantize(Decimal("1")))]
    if r < 0.8 and total > 1:
        half = (total / 2).quantize(Decimal("0.01"))
        return [PaymentIn("card", half, reference="T"), PaymentIn("cash", total - half, total - half)]
    return [PaymentIn("wechat", total, reference="W")]


def run_terminal(settings: Settings, terminal: str, n: int | None, seed: int, product_ids: list[int],
                 out: Path | None = None, ready: Path | None = None) -> dict[str, Any]:
    """Sell (≈70%), return (≈10%), convert a quote (≈15%), retry a finished cart (≈5%), *n* times
    (forever when None).  DomainErrors are refusals a user would see as a message; anything else
    is an error.  Writes the result as JSON to *out*."""
    rng = random.Random(seed)
    res: dict[str, Any] = {"terminal": terminal, "sales": [], "returns": [], "quotes": 0, "retries": 0,
                           "refused": {}, "errors": []}
    open_store_database(settings.model_copy(update={"terminal": terminal}))
    store_id = Store.get(Store.code == "S001").id
    actor = staff.login(store_id, "1001", "1111", terminal)
    c3 = Customer.get(Customer.number == "C0003").id
    done: list[tuple[Any, int]] = []  # (cart, sale id) for retries and returns
    if ready is not None:
        ready.write_text("ready")
    i = 0
    while n is None or i < n:
        i += 1
        r = rng.random()
        try:
            if r < 0.10 and done:
                _cart, sale_id = rng.choice(done)
                sale = Sale.get_by_id(sale_id)
                left = {lid: q for lid, q in checkout.returnable(sale).items() if q > 0}
                if not left or sale.balance_due:
                    continue
                lid = rng.choice(sorted(left))
                ret = checkout.create_return(actor, sale_id, {lid: 1}, refund=rng.choice(["original", "cash"]))
                res["returns"].append([ret.id, sale_id, SaleLine.get_by_id(lid).product_id, 1])
            elif r < 0.25:
                q = quotes.create(actor)
                pid = rng.choice(product_ids)
                quotes.add_line(actor, q.id, pid, rng.randint(1, 2))
                quotes.give(actor, q.id)
                quotes.accept(actor, q.id)
                lines = [ln.cart_line() for ln in quotes.lines_for_checkout(q.id)]
                cart = checkout.start_cart(actor, lines=lines, quote_id=q.id, locked=True)
                total = cart.totals().total
                sale = checkout.complete_sale(actor, cart, _pay(rng, total, None))
                res["quotes"] += 1
                _sold(res, done, cart, sale)
            elif r < 0.30 and done:
                cart, sale_id = rng.choice(done)
                again = checkout.complete_sale(actor, cart, cart.payments or None)
                res["retries"] += 1
                if again.id != sale_id:
                    res["errors"].append(f"retry of cart {cart.uuid} made sale {again.id}, not {sale_id}")
            else:
                picks = rng.sample(product_ids, rng.randint(1, 2))
                customer_id = c3 if rng.random() < 0.2 else None
                cart = checkout.start_cart(actor, lines=[{"product_id": p, "qty": rng.randint(1, 3)} for p in picks],
                                           customer_id=customer_id)
                pays = _pay(rng, cart.totals().total, customer_id)
                cart.payments = list(pays)
                sale = checkout.complete_sale(actor, cart, pays)
                _sold(res, done, cart, sale)
        except DomainError as exc:
            res["refused"][exc.key] = res["refused"].get(exc.key, 0) + 1
        except Exception:  # noqa: BLE001 - what would reach a user as a crash
            res["errors"].append(traceback.format_exc(limit=6))
    close_database()
    if out is not None:
        out.write_text(json.dumps(res), encoding="utf-8")
    return res


def take_payments(settings: Settings, terminal: str, product_id: int, acked: Path, ready: Path) -> None:
    """The payment dialog, forever: one cart, a ¥1.00 card payment after another, each kept the
    way the dialog keeps it (checkout.save_draft) and then acknowledged in *acked* (one reference
    a line, flushed: what the screen would have shown as "paid").  Killed by the test."""
    open_store_database(settings.model_copy(update={"terminal": terminal}))
    store_id = Store.get(Store.code == "S001").id
    actor = staff.login(store_id, "1001", "1111", terminal)
    cart = checkout.start_cart(actor, lines=[{"product_id": product_id, "qty": 90}])  # room for many ¥1.00 payments
    with acked.open("a", encoding="utf-8") as fh:
        ready.write_text("ready")
        for k in range(10_000_000):
            cart.add_payment("card", Decimal("1.00"), reference=f"R{k}")
            checkout.save_draft(cart, terminal)
            fh.write(f"R{k}\n")
            fh.flush()
            os.fsync(fh.fileno())


def _sold(res: dict[str, Any], done: list, cart: Any, sale: Sale) -> None:
    qty: dict[str, int] = {}
    for ln in cart.lines:
        qty[str(ln.product_id)] = qty.get(str(ln.product_id), 0) + ln.qty
    res["sales"].append([cart.uuid, sale.id, sale.receipt_no, qty])
    done.append((cart, sale.id))


def _child(fn, *args) -> None:
    try:
        fn(*args)
    except BaseException:  # noqa: BLE001
        traceback.print_exc()
        os._exit(3)
    os._exit(0)


def fork(fn, *args) -> Any:
    """Start fn(*args) in a forked process; the caller must have closed its database first."""
    p = FORK.Process(target=_child, args=(fn, *args))
    p.start()
    return p


def sale_is_whole(sale: Sale) -> list[str]:
    """What is missing from *sale*: lines, payments (= paid), stock moves (= lines), receivable
    (= on-account part).  Empty when the sale is wholly there."""
    from storepos.models import Payment, Receivable

    missing = []
    lines = list(sale.lines)
    if not lines:
        missing.append("lines")
    pays = list(Payment.select().where(Payment.sale == sale.id))
    if sum(p.amount for p in pays) != sale.paid or (sale.paid and not pays):
        missing.append("payments")
    moves = sum(m.qty for m in StockMove.select().where(StockMove.ref == f"sale:{sale.id}"))
    if moves != -sum(ln.qty for ln in lines):
        missing.append("stock moves")
    account = sum(p.amount for p in pays if p.method == "account")
    rec = Receivable.get_or_none(Receivable.sale == sale.id)
    if (rec.amount if rec else 0) != (account if sale.kind == "sale" else 0):
        missing.append("receivable")
    return missing


def open_sessions() -> int:
    return RegisterSession.select().where(RegisterSession.open_terminal.is_null(False)).count()
