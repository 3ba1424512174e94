"""The key budget of the procedure, as a newcomer meets it at 80x24 in Chinese and in English:
one whole customer journey (checklist submitted → visit with signal and greetings → needs →
quote → checkout in cash → the sale's follow-up done) in at most 30 keys beyond typed data, and
a cash sale of three scanned items in at most 6 keys beyond the scans.  Every key pressed that is
not typed data is counted; the paths are the README's ("The guided flow")."""

from __future__ import annotations

import pytest
from support import login, type_text, until

from storepos.models import Customer, FollowUp, Product, Quote, Sale, SaleLine
from storepos.services import checklist, register
from storepos.ui.checkout.checkout import CheckoutScreen
from storepos.ui.checkout.payment import PaymentScreen
from storepos.ui.checkout.receipt import ReceiptScreen
from storepos.ui.home.home import HomeScreen
from storepos.ui.quotes.quote import QuoteScreen
from storepos.ui.visits.screen import VisitScreen

JOURNEY_BUDGET = 30
CASH_SALE_BUDGET = 6


class Keys:
    """Presses keys through the pilot and counts them (typed data goes through type_text)."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.count = 0
        self.log: list[str] = []

    async def press(self, *keys: str) -> None:
        for key in keys:
            self.count += 1
            self.log.append(key)
            await self.pilot.press(key)
            await self.pilot.pause()

    async def data(self, text: str) -> None:
        await type_text(self.pilot, text)


def _ready_for_the_day(staff_actor) -> None:
    for item in checklist.items(staff_actor.store_id):
        checklist.answer(staff_actor, item.id, "ok")
    checklist.submit(staff_actor)
    register.open_session(staff_actor, "500.00")


def _product() -> Product:
    return (Product.select().where(Product.active == True, Product.stock > 5, Product.price > 0)
            .order_by(Product.sku).first())


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
async def test_a_whole_customer_journey_takes_at_most_30_keys(demo, make_app, staff_actor, lang):
    _ready_for_the_day(staff_actor)
    product = _product()
    customer = Customer.select().where(Customer.store == staff_actor.store_id).order_by(Customer.number).first()
    app = make_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        keys = Keys(pilot)
        await keys.press("f2")  # a customer comes in
        assert isinstance(app.screen, VisitScreen)
        visit = app.screen
        await keys.press("2")  # the signal: touches a product
        await keys.press("a")  # the greeting: every standard met, on to the needs
        assert visit.step == "needs"
        await keys.press("f6")  # who the customer is (a regular: found by name)
        await keys.data(customer.name)
        assert await until(pilot, lambda: bool(app.screen.query("#customer-results")) or True)
        await keys.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, VisitScreen))
        assert visit.visit.customer_id == customer.id
        await keys.data("大号")  # spec
        await keys.press("enter")
        await keys.data("2")  # quantity: 2 sets
        await keys.press("enter", "enter", "enter", "enter", "enter")  # budget, delivery, use, notes: the products
        await keys.data(product.sku)  # the product shown
        await keys.press("enter")
        await keys.press("f10")  # needs confirmed
        assert visit.step == "outcome"
        await keys.press("f10")  # the customer wants a quote: it opens with the product, 2 of it
        assert await until(pilot, lambda: isinstance(app.screen, QuoteScreen))
        quote_screen = app.screen
        quote = Quote.get_by_id(quote_screen.quote_id)
        assert [(ln.product_id, ln.qty) for ln in quote.lines] == [(product.id, 2)]
        await keys.press("f10")  # give it to the customer
        assert Quote.get_by_id(quote.id).status == "given"
        await keys.press("f10")  # accepted: checkout opens with its lines locked
        assert await until(pilot, lambda: isinstance(app.screen, CheckoutScreen))
        cart = app.screen.cart
        assert cart.quote_id == quote.id and cart.locked and [ln.qty for ln in cart.lines] == [2]
        await keys.press("f10")  # to the payment
        assert await until(pilot, lambda: isinstance(app.screen, PaymentScreen))
        await keys.press("enter", "enter")  # cash (highlighted first), the amount due (prefilled)
        assert await until(pilot, lambda: isinstance(app.screen, ReceiptScreen))
        sale = Sale.get()
        assert sale.quote_id == quote.id and SaleLine.get(SaleLine.sale == sale).qty == 2
        assert Quote.get_by_id(quote.id).status == "converted"
        await keys.press("f10")  # the follow-ups the sale scheduled
        await keys.press("f10")  # the first one done: the customer was reached
        first = FollowUp.select().where(FollowUp.sale == sale.id).order_by(FollowUp.due_date).first()
        assert FollowUp.get_by_id(first.id).status == "done"
        assert keys.count <= JOURNEY_BUDGET, keys.log
        print(lang, keys.count, keys.log)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
async def test_a_cash_sale_of_three_scans_takes_at_most_6_keys(demo, make_app, staff_actor, lang):
    _ready_for_the_day(staff_actor)
    codes = [p.barcode for p in Product.select().where(Product.active == True, Product.stock > 3)
             .order_by(Product.sku).limit(3)]
    app = make_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        keys = Keys(pilot)
        await keys.press("f4")
        assert isinstance(app.screen, CheckoutScreen)
        for code in codes:  # the scans (not counted): the scanner types the code and Enter
            await type_text(pilot, code)
            await pilot.press("enter")
        await pilot.pause()
        assert len(app.screen.cart.lines) == 3
        await keys.press("f10")  # pay
        assert await until(pilot, lambda: isinstance(app.screen, PaymentScreen))
        await keys.press("enter", "enter")  # cash, the amount due (prefilled): the receipt prints
        assert await until(pilot, lambda: isinstance(app.screen, ReceiptScreen))
        assert Sale.select().count() == 1
        assert keys.count <= CASH_SALE_BUDGET, keys.log
        await keys.press("enter")  # the next customer
        assert isinstance(app.screen, CheckoutScreen) and app.screen.cart.lines == []
        assert not isinstance(app.screen, HomeScreen)
