"""`storepos check`: one test per invariant.  Each corrupts ONE record with raw SQL (as a bad
tool, a half-restored backup or a hand edit would) and checks the message names that record."""

from __future__ import annotations

from decimal import Decimal

import pytest
from support.checkout import cart_of, cash, customer, open_till, product, sell

from storepos.cli import main, run_checks
from storepos.db import database, is_sqlite
from storepos.models import AuditLog, RegisterSession, Sale, SaleLine
from storepos.services import checkout, register
from storepos.services.checkout import PaymentIn


def sql(text: str, *params) -> None:
    with database.obj.atomic():
        database.obj.execute_sql(text, params)


def q(text: str) -> str:
    return text if is_sqlite() else text.replace("?", "%s")


@pytest.fixture
def shop(staff_actor):
    """A few sales (cash, on account), a partial return, a closed register session; clean."""
    open_till(staff_actor, "500.00")
    s1 = sell(staff_actor, ("SA-0016", 3), ("SA-0015", 1))
    c = customer("C0003")
    cart = cart_of(staff_actor, ("SA-0016", 1), customer_id=c.id)
    s2 = checkout.complete_sale(staff_actor, cart, [PaymentIn("account", Decimal("12.50"))])
    line = next(ln for ln in s1.lines if ln.sku == "SA-0016")
    r1 = checkout.create_return(staff_actor, s1.id, {line.id: 1}, refund="cash")
    s3 = sell(staff_actor, ("SA-0015", 1), payments=[cash("99.00", "100.00")])
    expected = register.cash_summary(register.current_session(staff_actor.store_id, "T1")).expected
    session = register.close_session(staff_actor, f"{Decimal(expected) / 100:.2f}")
    assert run_checks() == [], run_checks()
    return {"s1": s1, "s2": s2, "r1": r1, "s3": s3, "line": line, "session": session}


def _one(problems: list[str], *needles: str) -> str:
    hits = [p for p in problems if all(n in p for n in needles)]
    assert hits, (needles, problems)
    return hits[0]


def test_a_line_total_that_is_not_qty_times_price(shop):
    sql(q("UPDATE sale_line SET line_total = line_total + 1 WHERE id = ?"), shop["line"].id)
    msg = _one(run_checks(), "T1-000001", "line 1")
    assert "line total" in msg


def test_a_sale_header_that_disagrees_with_its_lines(shop):
    sql(q("UPDATE sale SET subtotal = subtotal + 100, total = total + 100 WHERE id = ?"), shop["s3"].id)
    _one(run_checks(), "T1-000004", "lines add up")


def test_payments_that_do_not_add_up_to_the_total(shop):
    sql(q("UPDATE payment SET amount = amount - 1 WHERE sale_id = ?"), shop["s3"].id)
    _one(run_checks(), "T1-000004", "payments")


def test_on_account_part_must_equal_the_receivable(shop):
    sql(q("UPDATE receivable SET amount = amount + 500 WHERE sale_id = ?"), shop["s2"].id)
    _one(run_checks(), "T1-000002", "on account")


def test_product_stock_must_equal_opening_stock_plus_moves(shop):
    sql(q("UPDATE product SET stock = stock + 7 WHERE sku = ?"), "SA-0016")
    _one(run_checks(), "SA-0016", "moves")


def test_a_sale_whose_stock_move_is_missing(shop):
    sql(q("DELETE FROM stock_move WHERE ref = ?"), f"sale:{shop['s3'].id}")
    problems = run_checks()
    _one(problems, "T1-000004", "stock moves")


def test_receipt_numbers_gapless_per_terminal_names_the_gap(shop):
    sql(q("UPDATE sale SET receipt_no = 9 WHERE id = ?"), shop["s3"].id)
    msg = _one(run_checks(), "terminal T1", "missing")
    assert "4" in msg.split(":")[-1]


def test_receipt_counter_behind_the_last_receipt(shop):
    sql("UPDATE receipt_counter SET last_no = 2")
    _one(run_checks(), "terminal T1", "counter is at 2")


def test_returns_never_exceed_what_was_sold(shop):
    sql(q("UPDATE sale_line SET qty = -5, line_total = -5 * unit_price, line_discount = 0 WHERE sale_id = ?"),
        shop["r1"].id)
    _one(run_checks(), "T1-000001", "5 returned of 3 sold")


def test_register_session_expected_cash_follows_from_its_sales(shop):
    sql(q("UPDATE register_session SET expected = expected + 1000, difference = difference - 1000 WHERE id = ?"),
        shop["session"].id)
    _one(run_checks(), f"register session {shop['session'].id}", "expected cash")


def test_register_session_difference_is_counted_minus_expected(shop):
    sql(q("UPDATE register_session SET difference = 77 WHERE id = ?"), shop["session"].id)
    _one(run_checks(), f"register session {shop['session'].id}", "difference 77")


def test_audit_chain_unbroken_names_the_row(shop):
    row = AuditLog.select().order_by(AuditLog.id).offset(3).first()
    sql(q("UPDATE audit_log SET action = ? WHERE id = ?"), "sale.tampered", row.id)
    _one(run_checks(), f"audit row {row.id}", "changed")


def test_audit_row_removed_breaks_the_chain(shop):
    row = AuditLog.select().order_by(AuditLog.id).offset(3).first()
    sql(q("DELETE FROM audit_log WHERE id = ?"), row.id)
    _one(run_checks(), "audit row", "previous hash")


@pytest.mark.sqlite_only
def test_integrity_check_catches_a_broken_foreign_key(shop):
    database.obj.execute_sql("PRAGMA foreign_keys = OFF")
    sql("DELETE FROM sale WHERE id = ?", shop["s3"].id)
    database.obj.execute_sql("PRAGMA foreign_keys = ON")
    problems = run_checks()
    _one(problems, "foreign key")


def test_check_command_prints_the_problem_and_exits_1(shop, capsys):
    sql(q("UPDATE payment SET amount = amount - 1 WHERE sale_id = ?"), shop["s3"].id)
    assert main(["check", "--db", _target()]) == 1
    out = capsys.readouterr()
    assert "T1-000004" in out.out and "Traceback" not in out.err


def _target() -> str:
    from support import PG_URL

    return PG_URL if PG_URL else str(database.obj.database)


def test_clean_shop_has_no_problems_and_sessions_are_all_checked(shop):
    assert RegisterSession.select().count() == 1
    assert Sale.select().count() == 4 and SaleLine.select().count() == 5
    assert product("SA-0016").stock >= 0
