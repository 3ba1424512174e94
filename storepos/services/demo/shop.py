"""One simulated business day of the shop, driven through the same services a user drives:
opening checklist, visits with signals, needs and outcomes, quotes, sales with split payments and
discounts, deliveries with deposits, returns, voids, register open and close, follow-ups worked and
satisfaction surveys taken.  Every service call is a savepoint: a refusal leaves nothing behind."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from storepos import clock
from storepos.db import database
from storepos.models import ChecklistItem, Customer, Product, Sale, Staff, Store
from storepos.money import from_fen
from storepos.services import catalog, checklist, checkout, quotes, register, visits
from storepos.services.checkout import PaymentIn
from storepos.services.core import approvals
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError
from storepos.services.core.store import business_date, settings_of
from storepos.services.demo.results import SimResult
from storepos.services.staff import actor_for

SIGNALS = ("gazes_long", "touches_product", "looks_then_raises_head", "stops_suddenly", "talks_with_companion",
           "eyes_searching", "eyes_meet", "asked_first")
GREETINGS = ("nod", "smile", "eye_contact", "stance_gestures", "warm_tone", "greeting_words")
LEAVE_REASONS = ("price_too_high", "out_of_stock", "just_looking", "consult_family", "comparing_shops",
                 "no_suitable_model")
SPECS = ("双头", "5升", "不锈钢", "商用", "家用小号", "大容量", "静音", "节能")


def attempt(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run one service call in a savepoint: a DomainError undoes it and returns None."""
    try:
        with database.obj.atomic():
            return fn(*args, **kwargs)
    except DomainError:
        return None


class Shop:
    """The simulated shop: its staff, customers and what is pending from day to day; ``day(d)``
    runs one business day through the services."""

    def __init__(self, store: Store, rng: random.Random, manager_pin: str | None, result: SimResult) -> None:
        self.store = store
        self.rng = rng
        self.result = result
        staff = list(Staff.select().where(Staff.store == store.id, Staff.active == True)
                     .order_by(Staff.code))
        sellers = [s for s in staff if s.role == "staff"]
        managers = [s for s in staff if s.role == "manager"]
        self.sellers = [actor_for(s, f"T{i + 1}") for i, s in enumerate(sellers)]
        self.manager = actor_for(managers[0], "T1") if managers else None
        self.manager_pin = manager_pin
        if not self.sellers and self.manager is not None:
            self.sellers = [self.manager]
        self.customers = [c for c in Customer.select().where(Customer.store == store.id).order_by(Customer.number)]
        self.pending_quotes: list[tuple[dt.date, int, Actor]] = []
        self.deliveries: list[tuple[dt.date, int, Actor]] = []
        self.recent: list[tuple[int, Actor]] = []  # (sale id, seller) for returns

    # -- helpers ---------------------------------------------------------------------------

    def at(self, day: dt.date, hh: int, mm: int = 0, ss: int = 0) -> None:
        clock.get().set(clock.to_utc(dt.datetime.combine(day, dt.time(hh, mm, ss)), self.store.timezone))  # type: ignore[attr-defined]

    def advance(self, seconds: int) -> None:
        clock.get().advance(seconds=seconds)  # type: ignore[attr-defined]

    def grant(self, actor: Actor, kind: str, reason: str, **kw: Any) -> Any:
        if self.manager is None or self.manager_pin is None:
            return None
        appr = attempt(approvals.grant, actor, kind, self.manager.code, self.manager_pin, reason, **kw)
        if appr is not None:
            self.result.approvals += 1
        return appr

    def pool(self) -> list[tuple[int, int, int]]:
        """(product id, price fen, stock) of products worth selling today, in id order."""
        return [(pid, price, st) for pid, price, st in
                Product.select(Product.id, Product.price, Product.stock)
                .where(Product.store == self.store.id, Product.active == True, Product.stock >= 3)
                .order_by(Product.id).tuples()]

    def pick_products(self, n: int) -> list[int]:
        # most customers buy the cheaper things; a few the commercial kitchen kit
        cheap = [p for p in self.today_pool if p[1] <= 80000]
        dear = [p for p in self.today_pool if p[1] > 80000]
        out: list[int] = []
        for _ in range(n):
            src = dear if dear and self.rng.random() < 0.12 else cheap or dear
            if src:
                pid = self.rng.choice(src)[0]
                if pid not in out:
                    out.append(pid)
        return out

    def payments(self, total: Decimal, customer_id: int | None) -> tuple[list[PaymentIn], int | None]:
        r = self.rng.random()
        if r < 0.05:
            credit = [c for c in self.customers if c.credit_limit >= 100 * total * 2]
            if credit:
                c = self.rng.choice(credit)
                return [PaymentIn("account", total)], c.id
        ref = f"SIM{self.rng.randrange(10**8):08d}"
        if r < 0.47:
            step = Decimal(self.rng.choice((1, 10, 50, 100)))
            tendered = ((total / step).to_integral_value(rounding="ROUND_CEILING")) * step
            return [PaymentIn("cash", total, tendered)], customer_id
        if r < 0.62:
            return [PaymentIn("card", total)], customer_id
        if r < 0.82:
            return [PaymentIn("wechat", total, reference=ref)], customer_id
        if r < 0.92:
            return [PaymentIn("alipay", total, reference=ref)], customer_id
        part = (total * Decimal(self.rng.choice((30, 50, 70))) / 100).quantize(Decimal("0.01"))
        if part <= 0 or part >= total:
            return [PaymentIn("cash", total)], customer_id
        return [PaymentIn("cash", part), PaymentIn("wechat", total - part, reference=ref)], customer_id

    # -- the day ---------------------------------------------------------------------------

    def checklist(self, day: dt.date) -> None:
        opener = self.rng.choice(self.sellers)
        late = self.rng.random() < 0.1
        self.at(day, 8, 40 if not late else 55)
        if attempt(checklist.open_run, opener) is None:
            return
        items = list(ChecklistItem.select().where(ChecklistItem.store == self.store.id,
                                                   ChecklistItem.retired == False)
                     .order_by(ChecklistItem.position, ChecklistItem.id))
        for item in items:
            self.advance(self.rng.randint(10, 40))
            if self.rng.random() < 0.03:
                attempt(checklist.answer, opener, item.id, "problem", self.rng.choice(("有灰尘", "样品摆放不齐", "价签缺失")))
            else:
                attempt(checklist.answer, opener, item.id, "ok")
        if late:
            self.at(day, 9, self.rng.randint(5, 25))
        run = attempt(checklist.submit, opener)
        if run is not None and self.manager is not None:
            self.at(day, 9, 40)
            attempt(checklist.approve, self.manager, run.id)

    def sell(self, actor: Actor, product_ids: list[int], *, visit_id: int | None = None,
             customer_id: int | None = None, deliver: bool = False) -> Sale | None:
        if not product_ids:
            return None
        lines = [{"product_id": pid, "qty": 1 if self.rng.random() < 0.8 else 2} for pid in product_ids]
        if customer_id is None and self.customers and self.rng.random() < 0.35:
            customer_id = self.rng.choice(self.customers).id  # a known customer: after-sales follows up
        cart = attempt(checkout.start_cart, actor, lines=lines, customer_id=customer_id, visit_id=visit_id)
        if cart is None:
            return None
        r = self.rng.random()
        if r < 0.2:
            cart.set_discount(0, f"{min(actor.discount_authority, self.rng.choice((2, 3, 5)))}%")
        elif r < 0.23:
            cart.set_discount(0, "10%")
            appr = self.grant(actor, "discount", self.rng.choice(("老客户", "样机", "批量购买")), entity="cart",
                              entity_id=cart.uuid)
            if appr is None:
                cart.set_discount(0, "")
            else:
                cart.approvals["authority"] = appr.id
        total = cart.totals().total
        if deliver:
            cart.options.fulfilment = "deliver"
            cart.options.delivery_date = business_date(self.store) + dt.timedelta(days=self.rng.randint(1, 4))
            cart.options.deposit = True
            deposit = (total * Decimal("0.3")).quantize(Decimal("0.01"))
            pays = [PaymentIn(self.rng.choice(("cash", "card")), deposit)]
        else:
            pays, customer_id = self.payments(total, customer_id)
            if customer_id != cart.customer_id:
                cart.customer_id = customer_id
        sale = attempt(checkout.complete_sale, actor, cart, pays)
        if sale is None and any(p.method == "account" for p in pays):  # credit check said no: pay cash
            sale = attempt(checkout.complete_sale, actor, cart, [PaymentIn("cash", total)])
        if sale is not None:
            self.result.sales += 1
            if deliver:
                self.deliveries.append((cart.options.delivery_date, sale.id, actor))
            elif sale.balance_due == 0:
                self.recent.append((sale.id, actor))
                self.recent = self.recent[-60:]
        return sale

    def visit(self, day: dt.date, actor: Actor) -> None:
        rng = self.rng
        v = attempt(visits.start, actor, customer_id=rng.choice(self.customers).id
                 if self.customers and rng.random() < 0.15 else None)
        if v is None:
            return
        self.result.visits += 1
        if rng.random() < 0.85:
            attempt(visits.set_signal, actor, v.id, rng.choice(SIGNALS))
            self.advance(rng.randint(5, 150))
        for code in rng.sample(GREETINGS, rng.randint(1, 4)):
            attempt(visits.toggle_greeting, actor, v.id, code)
        shown = self.pick_products(rng.randint(1, 3))
        if rng.random() < 0.65:
            self.advance(rng.randint(30, 240))
            needs = {"spec": rng.choice(SPECS), "quantity": str(rng.randint(1, 3))}
            if rng.random() < 0.5:
                needs["budget"] = str(rng.choice((200, 500, 1000, 3000, 8000)))
            attempt(visits.set_needs, actor, v.id, needs)
        for pid in shown:
            attempt(visits.add_product, actor, v.id, pid)
        self.advance(rng.randint(60, 900))
        r = rng.random()
        if r < 0.30:
            if attempt(visits.set_outcome, actor, v.id, "buys_now") is not None:
                self.advance(rng.randint(30, 180))
                sale = self.sell(actor, shown, visit_id=v.id, deliver=rng.random() < 0.08)
                if sale is None:
                    return
        elif r < 0.45:
            if attempt(visits.set_outcome, actor, v.id, "wants_quote") is not None:
                q = attempt(quotes.create, actor, visit_id=v.id)
                if q is not None and attempt(quotes.give, actor, q.id) is not None:
                    self.result.quotes += 1
                    if rng.random() < 0.5:
                        self.pending_quotes.append((day + dt.timedelta(days=rng.randint(0, 3)), q.id, actor))
        elif r < 0.80:
            attempt(visits.set_outcome, actor, v.id, "left", leave_reason=rng.choice(LEAVE_REASONS))
        elif r < 0.90:
            attempt(visits.set_outcome, actor, v.id, "come_back", come_back=day + dt.timedelta(days=rng.randint(1, 7)))
        else:
            attempt(visits.set_outcome, actor, v.id, "browsing")

    def followups(self, day: dt.date) -> None:
        from storepos.models.aftersales import ACTIVE_STATUSES, FollowUp
        from storepos.services import aftersales

        rng = self.rng
        attempt(aftersales.sweep, self.store.id, day)
        actors = {a.staff_id: a for a in self.sellers}
        if self.manager is not None:
            actors.setdefault(self.manager.staff_id, self.manager)
        dims = [d.code for d in aftersales.dimensions()]
        for fu in (FollowUp.select().where(FollowUp.store == self.store.id, FollowUp.status.in_(ACTIVE_STATUSES),
                                           FollowUp.due_date <= day).order_by(FollowUp.due_date, FollowUp.id)):
            actor = actors.get(fu.owner_id)
            r = rng.random()
            if actor is None or r < 0.1:
                continue  # not reached today: it will be late
            self.advance(rng.randint(60, 600))
            if r < 0.25:
                attempt(aftersales.record_attempt, actor, fu.id, "no_answer")
            elif fu.kind == "survey" and fu.sale_id is not None:
                base = rng.choice((5, 5, 4, 4, 4, 3))
                scores = {d: max(1, min(5, base + rng.choice((0, 0, 0, 1, -1)))) for d in dims}
                if rng.random() < 0.03:
                    scores[rng.choice(dims)] = 2  # an unhappy customer: a service ticket opens
                if attempt(aftersales.submit_survey, actor, fu.sale_id, scores, followup_id=fu.id,
                        comment=rng.choice(("", "", "送货快", "希望多些优惠", "服务热情"))) is not None:
                    self.result.surveys += 1
            else:
                if attempt(aftersales.record_attempt, actor, fu.id, "reached") is not None:
                    self.result.followups += 1

    def convert_quote(self, quote_id: int, actor: Actor) -> None:
        if attempt(quotes.accept, actor, quote_id) is None:
            return
        try:
            lines = quotes.lines_for_checkout(quote_id)
        except DomainError:
            return
        cart = attempt(checkout.start_cart, actor, lines=[ln.cart_line() for ln in lines], quote_id=quote_id,
                    locked=True)
        if cart is None:
            return
        total = cart.totals().total
        pays, _cust = self.payments(total, None)
        if any(p.method == "account" for p in pays):
            pays = [PaymentIn("card", total)]
        if attempt(checkout.complete_sale, actor, cart, pays) is not None:
            self.result.sales += 1

    def day(self, day: dt.date) -> None:
        """One shop day, in the order a real one runs (every random draw in that order: the same
        seed gives the same data)."""
        self.today_pool = self.pool()
        self.checklist(day)
        self.at(day, 9, 0)
        tills = {a.terminal: a for a in self.sellers}
        for a in tills.values():
            if attempt(register.open_session, a, "500.00") is not None:
                self.result.sessions += 1
        self.deliveries_due(day)
        self.visitors(day)
        # after-sales: the day's follow-ups (a survey when it is one), mostly on time
        self.at(day, 15, self.rng.randint(0, 59))
        self.followups(day)
        # quotes the customers come back to accept
        self.at(day, 16, self.rng.randint(0, 59))
        for when, qid, actor in [q for q in self.pending_quotes if q[0] <= day]:
            self.pending_quotes.remove((when, qid, actor))
            self.convert_quote(qid, actor)
        self.return_or_void(day)
        # restock what runs low (goods in), weekly
        if day.weekday() == 0 and self.manager is not None:
            low = [pid for pid, _p, st in self.pool() if st < 6][:20]
            if low:
                self.at(day, 8, 30)
                attempt(catalog.receive, self.manager, [{"product_id": pid, "qty": 10} for pid in low], "SIM")
        self.close_tills(day, tills)
        self.at(day, 21, 30)
        visits.close_day(self.store.id, day)

    def deliveries_due(self, day: dt.date) -> None:
        """Deliveries due today: the balance settled, the goods leave."""
        rng = self.rng
        for due, sale_id, actor in [d for d in self.deliveries if d[0] <= day]:
            self.deliveries.remove((due, sale_id, actor))
            self.at(day, 10, rng.randint(0, 59))
            sale = Sale.get_by_id(sale_id)
            if sale.status == "completed" and sale.balance_due > 0:
                attempt(checkout.settle_balance, actor, sale_id,
                     [PaymentIn(rng.choice(("card", "wechat")), from_fen(sale.balance_due),
                                reference=f"SIM{rng.randrange(10**8):08d}")])
            attempt(checkout.mark_delivered, actor, sale_id)

    def visitors(self, day: dt.date) -> None:
        """The day's visitors, in time order, each greeted by one of the sellers on duty."""
        rng = self.rng
        n = sum(rng.randint(3, 6) for _ in self.sellers)
        times = sorted(rng.randint(9 * 3600 + 1800, 20 * 3600) for _ in range(n))
        walkins = set(rng.sample(range(n), min(n, rng.randint(1, 3))))
        for i, secs in enumerate(times):
            self.at(day, secs // 3600, secs % 3600 // 60, secs % 60)
            actor = rng.choice(self.sellers)
            if i in walkins:
                self.sell(actor, self.pick_products(1))
            else:
                self.visit(day, actor)

    def return_or_void(self, day: dt.date) -> None:
        """Now and then a return of an earlier sale, or a void of a sale not yet delivered."""
        rng = self.rng
        if self.recent and rng.random() < 0.35:
            sale_id, seller = rng.choice(self.recent)
            self.at(day, 17, rng.randint(0, 59))
            sale = Sale.get_by_id(sale_id)
            line = sale.lines.first()
            if line is not None and attempt(checkout.create_return, seller, sale_id, {line.id: 1},
                                         reason=rng.choice(("质量问题", "尺寸不合适", "不想要了"))) is not None:
                self.result.returns += 1
                self.recent.remove((sale_id, seller))
        if rng.random() < 0.12 and self.manager_pin:
            actor = rng.choice(self.sellers)
            self.at(day, 18, rng.randint(0, 59))
            sale = self.sell(actor, self.pick_products(1), deliver=True)
            if sale is not None:
                appr = self.grant(actor, "void", rng.choice(("客户改变主意", "开错单")))
                if appr is not None and attempt(checkout.void_sale, actor, sale.id, appr.id) is not None:
                    self.result.voids += 1
                    self.deliveries = [d for d in self.deliveries if d[1] != sale.id]

    def close_tills(self, day: dt.date, tills: dict[str, Any]) -> None:
        """Close the tills: most count right, some a little off, rarely beyond the limit."""
        rng = self.rng
        limit = settings_of(self.store).register_difference_limit
        for k, a in enumerate(tills.values()):
            self.at(day, 21, 5 + k)
            session = register.current_session(self.store.id, a.terminal)
            if session is None:
                continue
            expected = register.cash_summary(session).expected
            r = rng.random()
            diff = 0 if r < 0.85 else rng.choice((-1, 1)) * (rng.randint(1, limit // 100) * 100 if r < 0.97
                                                             else limit + rng.randint(5, 30) * 100)
            approval_id = None
            if abs(diff) > limit:
                appr = self.grant(a, "register_difference", "点钞差异已复核")
                if appr is None:
                    diff = 0
                else:
                    approval_id = appr.id
            attempt(register.close_session, a, str(from_fen(expected + diff)), approval_id=approval_id)


