"""A customer served on one terminal comes to another counter: j on home lists every journey open
on the other terminals, at whatever step it reached, and Enter takes it over and opens that step."""

from __future__ import annotations

from support import login, until

from storepos.models import Product, Store
from storepos.services import journey, quotes, visits
from storepos.services.journey import Handoff, Journey
from storepos.ui.journey.others import OtherTerminalsScreen
from storepos.ui.kit.chrome import StepRail
from storepos.ui.quotes.quote import QuoteScreen
from storepos.ui.visits.screen import VisitScreen

HOSTILE = "[/b]张[red]三"


def _store_id() -> int:
    return Store.select().first().id


def test_journeys_under_way_elsewhere_name_their_step_customer_and_quote(demo, staff_actor):
    from storepos.services import customers

    c = customers.create(staff_actor, {"name": HOSTILE, "phone": "13900000077"})
    product = Product.select().where(Product.active == True).order_by(Product.sku).first()
    v = visits.start(staff_actor)
    visits.add_product(staff_actor, v.id, product.id)
    q = quotes.create(staff_actor, visit_id=v.id)
    t1 = Journey(store_id=staff_actor.store_id, terminal="T1")
    t1.reached("quote", quote_id=q.id, visit_id=v.id, customer_id=c.id)
    t3 = Journey(store_id=staff_actor.store_id, terminal="T3")
    t3.reached("needs", visit_id=v.id)
    t3.hand_over(Handoff(target="quote", visit_id=v.id))
    rows = journey.under_way(staff_actor.store_id, other_than="T2")
    assert [(r.terminal, r.step, r.target) for r in rows] == [("T3", "quote", "quote"), ("T1", "quote", "")]
    assert rows[1].customer == HOSTILE and rows[1].quote_number == q.number and rows[1].quote_id == q.id
    assert [r.terminal for r in journey.under_way(staff_actor.store_id, other_than="T1")] == ["T3"]
    assert journey.waiting(staff_actor.store_id, "quote", other_than="T2")[0].terminal == "T3"


async def test_a_quote_given_on_t1_is_taken_over_on_t2_and_opens_there(demo, staff_actor, make_app):
    product = Product.select().where(Product.active == True).order_by(Product.sku).first()
    v = visits.start(staff_actor)
    visits.add_product(staff_actor, v.id, product.id)
    q = quotes.create(staff_actor, visit_id=v.id)
    Journey(store_id=_store_id(), terminal="T1").reached("quote", quote_id=q.id, visit_id=v.id)
    other = visits.start(staff_actor)
    Journey(store_id=_store_id(), terminal="T3").reached("needs", visit_id=other.id)
    app = make_app(lang="en", terminal="T2")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("j")
        assert await until(pilot, lambda: isinstance(app.screen, OtherTerminalsScreen))
        screen = app.screen
        assert [r.terminal for r in screen.rows] == ["T3", "T1"]
        text = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert "T1" in text and q.number in text and "needs" in text
        await pilot.press("down", "enter")
        assert await until(pilot, lambda: isinstance(app.screen, QuoteScreen))
        assert app.screen.quote_id == q.id
        rail = str(app.screen.query_one(StepRail).render())
        assert "✓2" in rail and "✓3" in rail and "✓4" not in rail  # the rail reads the journey
        assert Journey(store_id=_store_id(), terminal="T1").state() is None
        assert Journey(store_id=_store_id(), terminal="T2").state().quote_id == q.id
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("j")
        assert await until(pilot, lambda: isinstance(app.screen, OtherTerminalsScreen))
        assert [r.terminal for r in app.screen.rows] == ["T3"]
        await pilot.press("enter")  # the visit at its needs, on the visit screen
        assert await until(pilot, lambda: isinstance(app.screen, VisitScreen))
        assert app.screen.visit_id == other.id
