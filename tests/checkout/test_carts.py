"""Carts kept in the database: the terminal's current cart, parking and resuming, never dropped
without being asked, gone once sold; a record that cannot be read is refused, not crashed on."""

from __future__ import annotations

from decimal import Decimal

import pytest
from support.checkout import cart_of, cash, open_till

from storepos.models import CartDraft, Sale
from storepos.services import checkout
from storepos.services.core.bootstrap import close_database, open_store_database
from storepos.services.core.errors import DomainError, NotFound


def test_the_current_cart_comes_back_with_its_payments_after_a_restart(demo, staff_actor):
    cart = cart_of(staff_actor, ("SA-0016", 2))
    cart.add_payment("card", Decimal("10.00"), reference="REF1")
    checkout.save_draft(cart, "T1")
    close_database()
    open_store_database(demo)
    again = checkout.load_draft(staff_actor.store_id, "T1")
    assert again == cart and again.payments[0].amount == Decimal("10.00")
    assert checkout.load_draft(staff_actor.store_id, "T2") is None


def test_a_record_with_an_amount_that_is_not_a_number_is_refused_not_crashed_on(demo, staff_actor):
    cart = cart_of(staff_actor, ("SA-0016", 2))
    checkout.save_draft(cart, "T1")
    row = CartDraft.get(CartDraft.uuid == cart.uuid)
    data = row.data
    data["lines"][0]["unit_price"] = "ten"
    CartDraft.update(data=data).where(CartDraft.id == row.id).execute()
    assert checkout.load_draft(staff_actor.store_id, "T1") is None


def test_a_new_current_cart_parks_the_one_before_when_it_holds_anything(demo, staff_actor):
    first = cart_of(staff_actor, ("SA-0016", 1))
    checkout.save_draft(first, "T1")
    second = checkout.start_cart(staff_actor)
    checkout.save_draft(second, "T1")
    assert checkout.load_draft(staff_actor.store_id, "T1").uuid == second.uuid
    parked = checkout.parked_carts(staff_actor.store_id)
    assert [p.uuid for p in parked] == [first.uuid] and parked[0].lines == 1
    # an empty current cart is simply replaced: nothing to keep
    third = cart_of(staff_actor, ("SA-0017", 1))
    checkout.save_draft(third, "T1")
    assert [p.uuid for p in checkout.parked_carts(staff_actor.store_id)] == [first.uuid]
    assert CartDraft.get_or_none(CartDraft.uuid == second.uuid) is None


def test_a_cart_parked_on_one_terminal_is_resumed_on_another(demo, staff_actor):
    cart = cart_of(staff_actor, ("SA-0016", 3))
    parked = checkout.park_cart(cart, "T1", label="王女士")
    assert parked.label == "王女士" and parked.total == cart.totals().total
    assert checkout.load_draft(staff_actor.store_id, "T1") is None
    held = cart_of(staff_actor, ("SA-0017", 1))
    checkout.save_draft(held, "T2")
    back = checkout.resume_cart(staff_actor.store_id, cart.uuid, "T2")
    assert back == cart and checkout.load_draft(staff_actor.store_id, "T2").uuid == cart.uuid
    # what T2 had is parked, not overwritten
    assert [p.uuid for p in checkout.parked_carts(staff_actor.store_id)] == [held.uuid]
    with pytest.raises(NotFound):
        checkout.resume_cart(staff_actor.store_id, cart.uuid, "T1")  # no longer parked


def test_an_empty_cart_cannot_be_parked_and_a_paid_one_cannot_be_dropped(demo, staff_actor):
    with pytest.raises(DomainError) as exc:
        checkout.park_cart(checkout.start_cart(staff_actor), "T1")
    assert exc.value.key == "err.cart_park_empty"
    cart = cart_of(staff_actor, ("SA-0016", 1))
    cart.add_payment("cash", Decimal("5.00"), tendered=Decimal("5.00"))
    checkout.save_draft(cart, "T1")
    with pytest.raises(DomainError) as exc:
        checkout.drop_cart(cart, "T1")
    assert exc.value.key == "err.cart_drop_paid"
    assert checkout.load_draft(staff_actor.store_id, "T1") == cart
    unpaid = cart_of(staff_actor, ("SA-0017", 1))
    checkout.save_draft(unpaid, "T3")
    checkout.drop_cart(unpaid, "T3")
    assert checkout.load_draft(staff_actor.store_id, "T3") is None


def test_a_sale_removes_its_cart_in_the_same_transaction(demo, staff_actor):
    open_till(staff_actor)
    cart = cart_of(staff_actor, ("SA-0016", 1))
    checkout.save_draft(cart, "T1")
    sale = checkout.complete_sale(staff_actor, cart, [cash(str(cart.totals().total))])
    assert Sale.get_by_id(sale.id).cart_uuid == cart.uuid
    assert CartDraft.get_or_none(CartDraft.uuid == cart.uuid) is None
    assert checkout.load_draft(staff_actor.store_id, "T1") is None


async def test_a_payment_taken_in_the_dialog_is_kept_before_the_dialog_closes(demo, make_app, staff_actor):
    """A card payment of part of the total, then the terminal dies with the dialog open: the
    cart's record already says it was paid (not "Paid ¥0.00", which invites charging twice)."""
    from support import login, type_text, until

    from storepos.ui.checkout.checkout import CheckoutScreen
    from storepos.ui.checkout.payment import PaymentScreen

    open_till(staff_actor)
    cart = cart_of(staff_actor, ("SA-0016", 4))
    checkout.save_draft(cart, "T1")
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen) and app.screen.cart.uuid == cart.uuid
        await pilot.press("f10")
        assert await until(pilot, lambda: isinstance(app.screen, PaymentScreen))
        await pilot.press("k")  # card
        await type_text(pilot, "10")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PaymentScreen)  # still open: more remains
        kept = checkout.load_draft(staff_actor.store_id, "T1")
        assert [(p.method, p.amount) for p in kept.payments] == [("card", Decimal("10.00"))]
        await pilot.press("delete")  # dropped again: the record follows
        await pilot.pause()
        assert checkout.load_draft(staff_actor.store_id, "T1").payments == []


def test_a_cart_file_of_an_earlier_version_comes_into_the_database(demo, staff_actor, tmp_path):
    import json

    cart = cart_of(staff_actor, ("SA-0016", 2))
    cart.add_payment("card", Decimal("3.00"), reference="OLD")
    path = tmp_path / "carts" / "T1.json"
    path.parent.mkdir()
    path.write_text(json.dumps(cart.to_dict()), encoding="utf-8")
    assert checkout.import_cart_file(path, "T1") == cart
    assert checkout.load_draft(staff_actor.store_id, "T1") == cart and not path.exists()
    assert path.with_suffix(".imported").exists()
    assert checkout.import_cart_file(path, "T1") is None  # once
    bad = tmp_path / "carts" / "T2.json"
    bad.write_text("{not json", encoding="utf-8")
    assert checkout.import_cart_file(bad, "T2") is None and bad.exists()  # left for a person to look at
