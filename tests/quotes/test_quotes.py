"""Quote rules: transitions, expiry, revisions and their diff, price authority, floor, convert once,
prices locked for checkout, printout widths."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from rich.cells import cell_len

from storepos.models import Approval, AuditLog, Product, Quote
from storepos.services.core import approvals
from storepos.services import quotes
from storepos.services.catalog import find_by_code
from storepos.services.core.errors import DomainError


def _product(sku: str) -> Product:
    return Product.get(Product.sku == sku)


def _quote_with(actor, *skus: str, qty: int = 1) -> Quote:
    q = quotes.create(actor)
    for sku in skus:
        quotes.add_line(actor, q.id, _product(sku).id, qty)
    return Quote.get_by_id(q.id)


def test_new_quote_is_numbered_per_day_and_valid_for_store_default(staff_actor, fixed_clock):
    a = quotes.create(staff_actor)
    b = quotes.create(staff_actor)
    assert (a.number, b.number) == ("Q20260302-001", "Q20260302-002")
    assert a.status == "draft" and a.revision == 1
    assert a.valid_until == dt.date(2026, 3, 9)


def test_line_totals_round_half_up_once_per_line(staff_actor):
    assert quotes.line_total_fen(130, 1, 5) == 124  # 1.235 yuan -> 1.24 (half-up)
    assert quotes.line_total_fen(333, 3, 5) == 949  # 9.4905 -> 9.49: rounded once, not per unit
    q = _quote_with(staff_actor, "KC-0001", qty=2)
    line = quotes.lines_of(q.id)[0]
    assert line.total == 2 * 268000
    quotes.set_line_discount(staff_actor, line.id, "5")
    q = Quote.get_by_id(q.id)
    assert q.total == 509200 and q.list_total == 536000


def test_scanning_the_same_product_again_adds_to_its_line(staff_actor):
    q = _quote_with(staff_actor, "KC-0001", "KC-0001")
    rows = quotes.lines_of(q.id)
    assert len(rows) == 1 and rows[0].qty == 2


def test_status_moves_draft_given_accepted_and_not_backwards(staff_actor):
    q = _quote_with(staff_actor, "KC-0001")
    with pytest.raises(DomainError) as exc:
        quotes.accept(staff_actor, q.id)
    assert exc.value.key == "err.quote_bad_transition"
    assert quotes.give(staff_actor, q.id).status == "given"
    assert quotes.accept(staff_actor, q.id).status == "accepted"
    with pytest.raises(DomainError):
        quotes.give(staff_actor, q.id)
    with pytest.raises(DomainError) as exc:
        quotes.add_line(staff_actor, q.id, _product("KC-0002").id)
    assert exc.value.key == "err.quote_not_editable"
    assert quotes.cancel(staff_actor, q.id, "changed mind").status == "cancelled"
    with pytest.raises(DomainError):
        quotes.cancel(staff_actor, q.id)


def test_empty_quote_cannot_be_given(staff_actor):
    q = quotes.create(staff_actor)
    with pytest.raises(DomainError) as exc:
        quotes.give(staff_actor, q.id)
    assert exc.value.key == "err.quote_empty"


def test_quotes_past_validity_expire_at_day_change(staff_actor, fixed_clock):
    given = _quote_with(staff_actor, "KC-0001")
    quotes.give(staff_actor, given.id)
    draft = _quote_with(staff_actor, "KC-0002")
    store_id = staff_actor.store_id
    assert quotes.expire_if_new_day(store_id) == 0
    fixed_clock.advance(days=7)  # 2026-03-09: the last valid day
    assert quotes.expire_if_new_day(store_id) == 0
    assert quotes.expire_if_new_day(store_id) == 0  # same day: not even a query
    fixed_clock.advance(days=1)
    assert quotes.expire_if_new_day(store_id) == 2
    assert {Quote.get_by_id(i).status for i in (given.id, draft.id)} == {"expired"}
    assert AuditLog.select().where(AuditLog.action == "quote.expire").count() == 2
    with pytest.raises(DomainError):
        quotes.accept(staff_actor, given.id)


def test_expire_due_leaves_converted_and_cancelled_alone(staff_actor, fixed_clock):
    q = _quote_with(staff_actor, "KC-0001")
    quotes.cancel(staff_actor, q.id)
    assert quotes.expire_due(staff_actor.store_id, dt.date(2027, 1, 1)) == 0


def test_editing_a_given_quote_makes_a_new_revision_and_keeps_the_old(staff_actor):
    q = _quote_with(staff_actor, "KC-0001", "KC-0002")
    quotes.give(staff_actor, q.id)
    first, second = quotes.lines_of(q.id)
    quotes.set_qty(staff_actor, first.id, 3)
    q = Quote.get_by_id(q.id)
    assert (q.revision, q.status) == (2, "draft")
    quotes.set_line_discount(staff_actor, first.id, 4)  # same revision while still draft
    quotes.remove_line(staff_actor, second.id)
    quotes.add_line(staff_actor, q.id, _product("KC-0003").id)
    assert Quote.get_by_id(q.id).revision == 2
    old_lines, _d, old_total = quotes.revision_lines(q.id, 1)
    assert [ln["sku"] for ln in old_lines] == ["KC-0001", "KC-0002"] and old_total == 268000 + 428000
    changes, _disc, totals = quotes.diff_revisions(q.id, 1, 2)
    by = {(c.kind, c.sku): c for c in changes}
    assert by[("changed", "KC-0001")].changes["qty"] == (1, 3)
    assert by[("changed", "KC-0001")].changes["discount_pct"] == (0, 4)
    assert ("removed", "KC-0002") in by and ("added", "KC-0003") in by
    quotes.give(staff_actor, q.id)
    assert quotes.revision_numbers(q.id) == [1, 2]


def test_price_change_shows_in_the_diff(staff_actor):
    q = _quote_with(staff_actor, "KC-0001")
    quotes.give(staff_actor, q.id)
    line = quotes.lines_of(q.id)[0]
    quotes.set_unit_price(staff_actor, line.id, "2600")
    changes, _d, _t = quotes.diff_revisions(q.id, 1, 2)
    assert changes[0].changes["unit_price"] == (268000, 260000)


def test_discount_beyond_authority_blocks_giving_until_a_manager_approves(staff_actor):
    q = _quote_with(staff_actor, "KC-0002")  # 4280, floor 3914 (8.5% off)
    line = quotes.lines_of(q.id)[0]
    quotes.set_line_discount(staff_actor, line.id, 5)
    assert quotes.violations(q.id, staff_actor.discount_authority) == []
    quotes.set_line_discount(staff_actor, line.id, 8)  # staff 1001 may give 5%
    found = quotes.violations(q.id, staff_actor.discount_authority)
    assert [(v.kind, v.line_id) for v in found] == [("discount", line.id)]
    with pytest.raises(DomainError) as exc:
        quotes.give(staff_actor, q.id)
    assert exc.value.key == "err.quote_needs_approval"
    with pytest.raises(DomainError):
        approvals.grant(staff_actor, "discount", "9001", "0000", "regular customer", entity="quote", entity_id=q.id)
    approval = approvals.grant(staff_actor, "discount", "9001", "9999", "regular customer", entity="quote",
                               entity_id=q.id, detail=found[0].detail)
    quotes.attach_approval(staff_actor, q.id, approval.id, line_id=line.id)
    assert quotes.give(staff_actor, q.id).status == "given"
    assert Approval.get_by_id(approval.id).reason == "regular customer"
    # A deeper discount later is not covered by the earlier approval.
    quotes.set_line_discount(staff_actor, line.id, 9)
    assert [v.kind for v in quotes.violations(q.id, staff_actor.discount_authority)] == ["price_floor"]


def test_manager_within_own_authority_needs_no_approval(manager_actor):
    q = _quote_with(manager_actor, "KC-0002")
    quotes.set_line_discount(manager_actor, quotes.lines_of(q.id)[0].id, 8)
    assert quotes.give(manager_actor, q.id).status == "given"


def test_unit_price_below_floor_needs_a_manager_even_within_authority(manager_actor):
    q = _quote_with(manager_actor, "KC-0001")  # 2680, floor 2534
    line = quotes.lines_of(q.id)[0]
    quotes.set_unit_price(manager_actor, line.id, "2500")
    found = quotes.violations(q.id, manager_actor.discount_authority)
    assert [v.kind for v in found] == ["price_floor"]
    with pytest.raises(DomainError):
        quotes.give(manager_actor, q.id)
    approval = approvals.grant(manager_actor, "price_floor", "9001", "9999", "display model", entity="quote",
                               entity_id=q.id)
    quotes.attach_approval(manager_actor, q.id, approval.id, line_id=line.id)
    assert quotes.give(manager_actor, q.id).status == "given"


def test_whole_quote_discount_counts_against_authority(staff_actor):
    q = _quote_with(staff_actor, "KC-0002")  # 4280, floor 3914
    quotes.set_discount(staff_actor, q.id, "100")  # ~2.3%
    assert quotes.violations(q.id, 5) == []
    quotes.set_discount(staff_actor, q.id, "300")  # ~7%
    found = quotes.violations(q.id, 5)
    assert [(v.kind, v.line_id) for v in found] == [("discount", None)]
    approval = approvals.grant(staff_actor, "discount", "9001", "9999", "bulk", entity="quote", entity_id=q.id)
    quotes.attach_approval(staff_actor, q.id, approval.id)
    assert quotes.give(staff_actor, q.id).status == "given"


def test_whole_quote_discount_cannot_exceed_the_lines(staff_actor):
    q = _quote_with(staff_actor, "KC-0001")
    with pytest.raises(DomainError) as exc:
        quotes.set_discount(staff_actor, q.id, "99999")
    assert exc.value.field == "discount"
    with pytest.raises(DomainError) as exc:
        quotes.set_line_discount(staff_actor, quotes.lines_of(q.id)[0].id, "abc")
    assert exc.value.field == "discount_pct"


def test_approval_for_another_quote_is_refused(staff_actor):
    a = _quote_with(staff_actor, "KC-0001")
    b = _quote_with(staff_actor, "KC-0001")
    approval = approvals.grant(staff_actor, "discount", "9001", "9999", "x", entity="quote", entity_id=a.id)
    with pytest.raises(DomainError):
        quotes.attach_approval(staff_actor, b.id, approval.id)


def _accepted(actor, *skus, discount: str = "0") -> Quote:
    q = _quote_with(actor, *skus)
    if discount != "0":
        quotes.set_discount(actor, q.id, discount)
    quotes.give(actor, q.id)
    return quotes.accept(actor, q.id)


def test_checkout_lines_lock_the_quoted_prices(manager_actor):
    q = _accepted(manager_actor, "KC-0001", "KC-0002", discount="100.01")
    Product.update(price=999900).where(Product.sku == "KC-0001").execute()  # price list changes later
    lines = quotes.lines_for_checkout(q.id)
    assert [ln.unit_price for ln in lines] == [268000, 428000]
    assert sum(ln.line_total for ln in lines) == Quote.get_by_id(q.id).total == 268000 + 428000 - 10001
    assert all(ln.discount == ln.unit_price * ln.qty - ln.line_total for ln in lines)
    assert not any(ln.short for ln in lines)
    cart = [ln.cart_line() for ln in lines]  # what services.checkout.start_cart(lines=...) takes
    assert sum(c["unit_price"] * c["qty"] - c["discount"] for c in cart) == Decimal("6859.99")


def test_checkout_lines_report_stock_shortfall_now(staff_actor):
    q = _accepted(staff_actor, "KC-0001")
    Product.update(stock=0).where(Product.sku == "KC-0001").execute()
    assert quotes.lines_for_checkout(q.id)[0].short


def test_a_quote_converts_once(staff_actor):
    q = _accepted(staff_actor, "KC-0001")
    assert quotes.mark_converted(q.id, 501, actor=staff_actor).status == "converted"
    with pytest.raises(DomainError) as exc:
        quotes.mark_converted(q.id, 502)
    assert exc.value.key == "err.quote_already_converted"
    with pytest.raises(DomainError):
        quotes.lines_for_checkout(q.id)
    assert Quote.get_by_id(q.id).sale_id == 501


def test_only_accepted_valid_quotes_go_to_checkout(staff_actor, fixed_clock):
    q = _quote_with(staff_actor, "KC-0001")
    with pytest.raises(DomainError) as exc:
        quotes.lines_for_checkout(q.id)
    assert exc.value.key == "err.quote_not_accepted"
    quotes.give(staff_actor, q.id)
    quotes.accept(staff_actor, q.id)
    fixed_clock.advance(days=8)
    with pytest.raises(DomainError) as exc:
        quotes.mark_converted(q.id, 1)
    assert exc.value.key == "err.quote_expired"


def test_open_list_shows_days_left_and_near_expiry_notice(staff_actor, fixed_clock):
    from storepos.services import home

    q = _quote_with(staff_actor, "KC-0001")
    quotes.give(staff_actor, q.id)
    rows = quotes.open_quotes(staff_actor.store_id, statuses=("given",))
    assert [(r.number, r.days_left) for r in rows] == [(q.number, 7)]
    assert home.notices(staff_actor) == []
    fixed_clock.advance(days=5)
    notes = home.notices(staff_actor)
    assert len(notes) == 1 and q.number in notes[0]
    fig = {f.key: f for f in home.glance(staff_actor)}["quote.glance"]
    assert fig.value == "1" and fig.alert
    assert "2 day(s)" in notes[0] or "2 天后" in notes[0]
    fixed_clock.advance(days=2)  # its last day: "expires today", never "in 0 day(s)"
    notes = home.notices(staff_actor)
    assert "expires today" in notes[0] or "今天到期" in notes[0], notes


@pytest.mark.parametrize("width", [40, 80])
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_printout_fits_the_paper(staff_actor, width, lang):
    from storepos.i18n import set_language

    set_language(lang)
    q = _quote_with(staff_actor, "KC-0001", "KC-0002")
    quotes.set_line_discount(staff_actor, quotes.lines_of(q.id)[0].id, 3)
    quotes.set_discount(staff_actor, q.id, "20")
    quotes.set_notes(staff_actor, q.id, "送货上门，安装调试，周末可以" * 3)
    text = quotes.render_text(q.id, width)
    assert all(cell_len(line) <= width for line in text.splitlines())
    assert q.number in text and "2,680.00" in text
    result = quotes.print_quote(staff_actor, q.id, width)
    assert result.path is not None and result.path.read_text(encoding="utf-8") == text
    set_language("en")


def test_quote_from_a_visit_carries_customer_and_products_shown(staff_actor):
    from storepos import clock
    from storepos.models import Customer, Visit, VisitProduct

    cust = Customer.select().first()
    now = clock.now()
    visit = Visit.create(store=staff_actor.store_id, staff=staff_actor.staff_id, customer=cust.id,
                         business_date=quotes.today_of(staff_actor.store_id), started_at=now,
                         needs={"spec": "双头"}, updated_at=now)
    VisitProduct.create(visit=visit.id, product=_product("KC-0002").id, shown_at=now)
    q = quotes.create(staff_actor, visit_id=visit.id)
    assert q.customer_id == cust.id and "双头" in q.notes
    assert [ln.sku for ln in quotes.lines_of(q.id)] == ["KC-0002"]
    assert Visit.get_by_id(visit.id).quote_id == q.id


def test_find_by_code_finds_demo_barcode(demo):
    assert find_by_code(1, "6917674936532").sku == "KC-0001"
    assert Decimal("2680.00") == find_by_code(1, "KC-0001").price


def test_quote_from_visit_prints_only_customer_facing_needs(staff_actor):
    from storepos.services import visits

    v = visits.start(staff_actor)
    visits.set_needs(staff_actor, v.id, {"spec": "商用双头", "quantity": "2", "budget": "8000",
                                         "use": "餐厅", "notes": "客户嫌贵，可让价"})
    visits.set_outcome(staff_actor, v.id, "wants_quote")
    q = quotes.create(staff_actor, visit_id=v.id)
    text = quotes.render_text(q.id, 40)
    assert "商用双头" in text and "餐厅" in text
    assert "8,000.00" not in text and "可让价" not in text


def test_the_home_figure_counts_every_given_quote_past_200(staff_actor, fixed_clock):
    """The figure is a count in the database, not the length of a list capped at 200."""
    from storepos.models import Quote
    from storepos.services import home

    q = _quote_with(staff_actor, "KC-0001")
    quotes.give(staff_actor, q.id)
    row = Quote.get_by_id(q.id)
    fields = {f.name: getattr(row, f.name) for f in Quote._meta.sorted_fields if f.name != "id"}
    Quote.insert_many([fields | {"number": f"Q-BULK-{i:04d}"} for i in range(230)]).execute()
    fig = {f.key: f for f in home.glance(staff_actor)}["quote.glance"]
    assert fig.value == "231" and not fig.alert  # 7 days left each: none near expiry yet
    fixed_clock.advance(days=5)
    fig = {f.key: f for f in home.glance(staff_actor)}["quote.glance"]
    assert fig.value == "231" and fig.alert
