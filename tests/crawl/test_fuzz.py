"""Bad input everywhere (hypothesis): every service entry point that takes what a user typed gets
arbitrary text, numbers (huge, negative, NaN, 1e309, "1,000", full-width digits), Unicode (CJK,
emoji, control characters, RTL) and SQL- or markup-looking strings.  Each is either accepted or
refused with a DomainError (or the documented MoneyError/FixtureError of a parser) — never an
unhandled exception — and a refusal writes nothing (row counts of every table and the audit
chain head compared before and after).  The CLI gets junk argv in-process (exit 0/1/2, no
traceback).  STOREPOS_FUZZ_EXAMPLES scales every property (default 25)."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from support.checkout import cart_of, open_till, product
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.reliability_figures import record

from storepos.models import ALL_MODELS, Meta, Quote, Store, Visit
from storepos.money import MoneyError, parse_amount
from storepos.services.staff import create_staff, login
from storepos.services import checkout, customers, quotes, register, visits
from storepos.services import catalog
from storepos.services.staff import setup
from storepos.services.core.errors import DomainError
from storepos.services.core.sop import FixtureError, load_toml

EXAMPLES = int(os.environ.get("STOREPOS_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

NASTY = [
    "", " ", "0", "-1", "-0", "1e309", "-1e309", "NaN", "nan", "inf", "-Infinity", "1,000", "1,000.50",
    "１２３", "１２.５０", "٣", "Ⅻ", "½", "0x10", "1_000", "12.345", "9" * 40, "-" + "9" * 30, "¥12.50",
    "12元", "12.5%", "110%", "-5%", "%", "'; DROP TABLE sale; --", "\" OR 1=1 --", "[bold]x[/]",
    "[/]", "[link=http://x]y[/link]", "<script>alert(1)</script>", "{name}", "%s%s%n", "\x00",
    "a\x00b", "\x1b[31mred", "\u202eRTL\u202c", "مرحبا", "咖啡机", "😀🛒", "\n\t\r", "\u200b", "ｆｕｌｌ",
    "2026-02-30", "2026-13-01", "9999-12-31", "0000-00-00", "20260301", "三个月内", "𠀀𠀁",
]
numbers = st.one_of(st.integers(min_value=-10**30, max_value=10**30),
                    st.floats(allow_nan=True, allow_infinity=True),
                    st.decimals(allow_nan=True, allow_infinity=True))
text = st.one_of(st.sampled_from(NASTY), st.text(max_size=30),
                 st.from_regex(r"-?[0-9０-９,.]{1,25}%?", fullmatch=True), numbers.map(str))
junk = text  # what a user can type is text; numbers arrive as their spellings

TRIED = {"inputs": 0, "accepted": 0, "refused": 0}


def snapshot() -> tuple:
    head = Meta.get_or_none(Meta.key == "audit_head")
    return tuple(m.select().count() for m in ALL_MODELS) + (head.value if head else None,)


def attempt(fn, *args, writes: bool = True, refusals=(DomainError,), **kw):
    """Run fn; a refusal must leave the database as it was.  Returns the result or None."""
    TRIED["inputs"] += 1
    before = snapshot() if writes else None
    try:
        out = fn(*args, **kw)
    except refusals as exc:
        TRIED["refused"] += 1
        if isinstance(exc, DomainError):
            assert exc.message  # a translatable message, not a bare key
        if writes:
            assert snapshot() == before, f"{fn.__name__} refused ({exc}) but wrote something"
        return None
    TRIED["accepted"] += 1
    return out


# -- parsers ------------------------------------------------------------------------------------

@FUZZ
@given(value=junk)
def test_amount_parser_accepts_or_refuses(value):
    out = attempt(parse_amount, value, writes=False, refusals=(MoneyError,))
    if out is not None:
        assert out.is_finite() and out == out.quantize(Decimal("0.01"))


# -- auth, setup, staff --------------------------------------------------------------------------

@FUZZ
@given(code=text, pin=text, terminal=text)
def test_login_with_junk(demo, code, pin, terminal):
    attempt(login, Store.get().id, code, pin, terminal, writes=code.strip() in ("1001", "1002"))


@FUZZ
@given(store_name=junk, opening=junk, name=junk, code=junk, pin=junk)
def test_first_run_with_junk(db, store_name, opening, name, code, pin):
    if not setup.needs_setup():
        return
    attempt(setup.first_run, {"store_name": store_name, "opening_time": opening, "manager_name": name,
                              "manager_code": code, "manager_pin": pin}, terminal="T1")


@FUZZ
@given(code=junk, name=junk, role=junk, authority=junk, lang=junk, pin=junk)
def test_create_staff_with_junk(manager_actor, code, name, role, authority, lang, pin):
    attempt(create_staff, manager_actor, {"code": code, "name": name, "role": role,
                                               "discount_authority": authority, "language": lang}, pin)


# -- customers and visits ------------------------------------------------------------------------

@FUZZ
@given(name=junk, phone=junk, segment=junk, address=junk, notes=junk, limit=junk, days=junk)
def test_create_customer_with_junk(manager_actor, name, phone, segment, address, notes, limit, days):
    data = {"name": name, "phone": phone, "segment": segment, "address": address, "notes": notes,
            "credit_limit": limit, "credit_days": days}
    attempt(customers.create, manager_actor, data, confirm_duplicate=True)


@FUZZ
@given(values=st.lists(junk, min_size=1, max_size=8))
def test_visit_needs_with_junk(staff_actor, values):
    visit = Visit.select().first() or visits.start(staff_actor)
    codes = [e.code for e in visits.needs_fields()]
    data = {code: v for code, v in zip(codes, values)}
    attempt(visits.set_needs, staff_actor, visit.id, data)


# -- quotes ------------------------------------------------------------------------------------

@pytest.fixture
def draft(staff_actor):
    q = quotes.create(staff_actor)
    line = quotes.add_line(staff_actor, q.id, product("SA-0016").id, 1)
    return q.id, line.id


@FUZZ
@given(qty=junk, discount=junk, price=junk, validity=junk, whole=junk, notes=junk)
def test_quote_fields_with_junk(staff_actor, draft, qty, discount, price, validity, whole, notes):
    qid, lid = draft
    attempt(quotes.set_qty, staff_actor, lid, qty)
    attempt(quotes.set_line_discount, staff_actor, lid, discount)
    attempt(quotes.set_unit_price, staff_actor, lid, price)
    attempt(quotes.set_validity, staff_actor, qid, validity)
    attempt(quotes.set_discount, staff_actor, qid, whole)
    attempt(quotes.set_notes, staff_actor, qid, notes)
    assert Quote.get_by_id(qid).status == "draft"


# -- checkout and register -----------------------------------------------------------------------

@FUZZ
@given(discount=junk, qty=junk, amount=junk, tendered=junk, method=junk, reference=junk)
def test_checkout_inputs_with_junk(staff_actor, discount, qty, amount, tendered, method, reference):
    from storepos.services.checkout import PaymentIn

    if register.current_session(staff_actor.store_id, "T1") is None:
        open_till(staff_actor)
    cart = cart_of(staff_actor, ("SA-0016", 1))
    attempt(cart.set_discount, 0, discount, writes=False)
    attempt(cart.set_qty, 0, qty, writes=False)
    paid = attempt(parse_amount, amount, writes=False, refusals=(MoneyError,))
    given_cash = attempt(parse_amount, tendered, writes=False, refusals=(MoneyError,))
    if paid is not None:
        attempt(cart.add_payment, str(method), paid, tendered=given_cash, reference=str(reference),
                writes=False)
        attempt(checkout.complete_sale, staff_actor, cart,
                [PaymentIn(str(method), paid, given_cash or Decimal(0), reference=str(reference))])


@FUZZ
@given(amount=junk, counted=junk, denom=junk, count=junk)
def test_register_with_junk(staff_actor, amount, counted, denom, count):
    if register.current_session(staff_actor.store_id, "T1") is None:
        attempt(register.open_session, staff_actor, amount)
    if register.current_session(staff_actor.store_id, "T1") is not None:
        attempt(register.count_denominations, {str(denom): count}, writes=False)
        attempt(register.close_session, staff_actor, counted)


# -- stock -------------------------------------------------------------------------------------

@FUZZ
@given(qty=junk, batch=junk, expiry=junk, counted=junk)
def test_stock_receive_and_count_with_junk(staff_actor, qty, batch, expiry, counted):
    pid = product("SA-0016").id
    attempt(catalog.receive, staff_actor, [{"product_id": pid, "qty": qty, "batch": batch, "expiry": expiry}])
    attempt(catalog.check_count, staff_actor, pid, counted, writes=False)
    attempt(catalog.record_count, staff_actor, pid, counted)


# -- files: products CSV, fixtures ---------------------------------------------------------------

csv_cells = st.one_of(text, st.sampled_from(["SA-0016", "NEW-1", "12.50", "1", "-3", "咖啡", ""]))
csv_text = st.lists(st.lists(csv_cells, min_size=1, max_size=11), min_size=0, max_size=6).map(
    lambda rows: "\n".join(
        ["sku,barcode,name_zh,name_en,category,unit,price,floor_price,stock,active"]
        + [",".join(r) for r in rows]))


@FUZZ
@given(data=st.one_of(st.binary(max_size=300), csv_text.map(lambda s: s.encode("utf-8")),
                      csv_text.map(lambda s: s.encode("gb18030", errors="replace")),
                      st.text(max_size=200).map(lambda s: s.encode("utf-16"))))
def test_products_csv_import_with_junk_files(manager_actor, data):
    attempt(catalog.plan_import, manager_actor.store_id, data, writes=False)
    plan = attempt(catalog.import_products, manager_actor, data)
    if plan is not None:
        from storepos.cli import run_checks

        assert run_checks() == []


@FUZZ
@given(data=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(lambda s: s.encode("utf-8"))))
def test_fixture_toml_loader_with_junk(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fx") / "junk.toml"
    path.write_bytes(data)
    attempt(load_toml, path, writes=False, refusals=(FixtureError,))




@pytest.mark.parametrize("val", ["a\x00b", "x\x1b[31my", "\u202eabc\u202c", "'; DROP TABLE customer; --",
                                 "[bold]x[/]", "咖啡😀"])
def test_control_characters_and_injection_in_stored_text(manager_actor, staff_actor, val):
    """Found by fuzzing on PostgreSQL: a NUL character in any text raised psycopg2's ValueError
    (a crash).  NULs are now dropped on both databases; the rest is stored as typed."""
    c = attempt(customers.create, manager_actor, {"name": val, "phone": "13812345678", "address": val,
                                                   "notes": val}, confirm_duplicate=True)
    if c is not None:
        assert "\x00" not in customers.get(manager_actor.store_id, c.id).name
    attempt(create_staff, manager_actor, {"code": "7777", "name": val}, "1234")
    q = quotes.create(staff_actor)
    attempt(quotes.set_notes, staff_actor, q.id, val)
    assert "\x00" not in Quote.get_by_id(q.id).notes
    from storepos.models import Customer

    assert Customer.select().count() >= 14  # nothing dropped


# -- the CLI, in-process -------------------------------------------------------------------------

CLI_COMMANDS = ["init", "check", "backup", "report", "products", "products import", "products export",
                "--version", "--help", "check --help", "nosuchcommand"]
cli_value = st.one_of(text, st.sampled_from(["zh_CN", "en", "T9", "--demo", "-h", "today", "daily"]))


@FUZZ
@given(command=st.sampled_from(CLI_COMMANDS), opts=st.lists(
    st.tuples(st.sampled_from(["--lang", "--terminal", "--home", "--db", "--bogus", "--practice", "--demo",
                               ""]), cli_value), max_size=3), db_choice=st.integers(0, 2))
def test_cli_commands_and_options_with_junk(db, tmp_path_factory, monkeypatch, capsys, command, opts, db_choice):
    """Every command with junk options and arguments: exit 0, 1 or 2, one clear line, no traceback.
    (Not `serve` — it would start serving — nor the bare command, which opens the app.)"""
    from storepos.cli import main

    where = tmp_path_factory.mktemp("cli")
    monkeypatch.chdir(where)
    argv = command.split()
    for opt, value in opts:
        if opt == "--db":
            continue
        if opt in ("--practice", "--demo"):
            argv.append(opt)
        elif opt:
            argv += [opt, value.replace("\x00", "")]
        else:
            argv.append(value.replace("\x00", ""))
    target = [db.database_target, str(where / "new.db"), "x" + next((v for _o, v in opts), "").replace("://", "")
              .replace("\x00", "")][db_choice]
    argv += ["--home", str(where / "home"), "--db", target]
    TRIED["inputs"] += 1
    try:
        code = main(argv)
    except SystemExit as exc:  # --help / --version
        code = exc.code
    out = capsys.readouterr()
    assert code in (0, 1, 2), (argv, code, out.err[-500:])
    assert "Traceback" not in out.err + out.out, (argv, out.err[-1500:])
    from storepos.services.core.bootstrap import open_store_database

    open_store_database(db)  # the CLI rebinds the database; give the test its own back


@pytest.fixture(scope="module", autouse=True)
def _record_figures():
    """After this module's tests in this process: add what they tried to the run's figures (under
    xdist the properties spread over the workers; each adds its own count)."""
    yield
    if TRIED["inputs"]:
        record("fuzz_services", add=True, inputs_tried=TRIED["inputs"], accepted=TRIED["accepted"],
               refused=TRIED["refused"], examples_per_property=EXAMPLES, anomalies=0)


def test_every_try_is_counted_as_accepted_or_refused():
    attempt(parse_amount, "12.50", writes=False, refusals=(MoneyError,))
    assert TRIED["inputs"] > 0 and TRIED["inputs"] >= TRIED["accepted"] + TRIED["refused"]
