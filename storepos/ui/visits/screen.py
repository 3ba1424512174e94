"""The visit screen (SOP §1-2), one key at a time: (a) the signal, (b) the greeting standard,
(c) the needs and products shown, (d) the outcome.  What each step shows is built in panels.py.

Keys: 1-8 signal · n m e g t w greeting toggles · b l q s r outcome · Enter/Tab next step ·
Esc back a step (nothing typed is lost) · Ctrl+→ skip the step · F6 customer.
Everything is saved as it is entered, so an unfinished visit reopens where it stopped.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import ContentSwitcher, Input, Static

from storepos import clock
from storepos.i18n import pick, t
from storepos.money import fmt
from storepos.services import customers, journey, visits
from storepos.services.core.errors import DomainError
from storepos.services.visits import VISIT_STEPS
from storepos.ui.kit import areas
from storepos.ui.kit.chrome import StepRail
from storepos.ui.kit.form import FormField
from storepos.ui.kit.inputs import KitInput
from storepos.ui.kit.pickers import CustomerChoice, CustomerPicker, ProductPicker
from storepos.ui.kit.screen import StoreposScreen, next_step_binding
from storepos.ui.kit.text import Plain
from storepos.ui.visits import panels

RAIL_STEP = {"signal": "greet", "greeting": "greet", "needs": "needs", "outcome": "needs", "done": "needs"}

class VisitScreen(StoreposScreen):
    BINDINGS = [
        next_step_binding(),
        Binding("escape", "back", "key.back"),
        Binding("tab", "next", "visit.key_next", priority=True, show=False),  # F10 does it, and more
        Binding("a", "all_greetings", "visit.key_all_greetings", show=False),
        Binding("enter", "next", "visit.key_next", show=False),
        Binding("ctrl+right", "skip", "visit.key_skip", priority=True),
        Binding("f6", "customer", "visit.key_customer"),
        Binding("f8", "remove_product", "visit.key_remove_product"),
        Binding("o", "reopen", "visit.key_reopen", show=False),
    ]

    def __init__(self, visit_id: int, *, step: str | None = None) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.start_step = step
        self.customer_draft: dict[str, Any] = {}  # a new customer typed before Esc, for this visit
        self.mode = ""  # outcome sub-mode: "" | "reason" | "date"
        self._letters: dict[str, str] = {}
        for e in visits.signals():
            self._bindings.bind(str(e.get("key")), f"key_choice('{e.get('key')}')", show=False)
        for e in visits.greeting_standards() + visits.outcomes():
            self._letters[str(e.get("key"))] = e.code
            self._bindings.bind(str(e.get("key")), f"key_choice('{e.get('key')}')", show=False)
        for i in range(1, 10):
            if str(i) not in self._bindings.key_to_bindings:
                self._bindings.bind(str(i), f"key_choice('{i}')", show=False)

    # -- layout -----------------------------------------------------------------------------

    @property
    def visit(self) -> Any:
        return visits.get(self.actor.store_id, self.visit_id)

    def compose_body(self) -> ComposeResult:
        yield StepRail("greet", id="rail")
        yield Plain("", id="visit-head")
        yield Plain("", id="visit-steps")
        with ContentSwitcher(initial="panel-signal", id="visit-panels"):
            with Horizontal(id="panel-signal"):
                yield Plain("", id="signal-list")
                yield Plain("", id="signal-tips")
            with Horizontal(id="panel-greeting"):
                yield Plain("", id="greeting-list")
                yield Plain("", id="greeting-tips")
            with VerticalScroll(id="panel-needs"):
                for e in visits.needs_fields():
                    hint = pick(e.get("hint_zh", ""), e.get("hint_en", ""))
                    yield FormField(f"visit.need_{e.code}", KitInput(id=f"need-{e.code}", placeholder=hint,
                                                                     max_length=500), name=e.code)
                yield Plain(t("visit.products_shown"), classes="section-title", id="products-title")
                yield ProductPicker(self.actor.store_id, id="visit-picker")
                yield Plain("", id="products-list")
            with Vertical(id="panel-outcome"):
                yield Plain("", id="outcome-list")
                yield FormField("visit.come_back_date", KitInput(id="come-back", placeholder=t("visit.date_placeholder"),
                                                                  max_length=20), name="come_back_date")
            with VerticalScroll(id="panel-done"):
                yield Plain("", id="done-summary")
        yield Plain("", id="message")

    def on_mount(self) -> None:
        v = self.visit
        if self.sapp.journey is not None and v.outcome is None:
            self.sapp.journey.begin(visit_id=v.id, customer_id=v.customer_id)
        needs = dict(v.needs or {})
        if v.budget is not None:
            needs["budget"] = fmt(v.budget, fen=True, symbol=False)
        for e in visits.needs_fields():
            if e.code in needs:  # what was typed before: kept, edited, never replaced
                self.query_one(f"#need-{e.code}", KitInput).set_typed(str(needs[e.code]))
        self.query_one("#field-come_back_date").display = False
        step = "done" if v.status == "closed" else (self.start_step or v.step)
        self.show_step(step)

    def show_step(self, step: str) -> None:
        self.step = step
        self.mode = ""
        self.query_one("#visit-panels", ContentSwitcher).current = f"panel-{step}"
        self.query_one("#rail", StepRail).set_step(RAIL_STEP[step])
        self.refresh_view()
        if step == "needs":
            first = visits.needs_fields()[0].code
            self.query_one(f"#need-{first}", Input).focus()
        else:
            self.set_focus(None)
        self.refresh_bindings()

    def refresh_view(self) -> None:
        v = self.visit
        tz = self.sapp.store.timezone if self.sapp.store else "Asia/Shanghai"
        started = clock.to_local(v.started_at, tz).strftime("%H:%M")
        customer = customers.get(self.actor.store_id, v.customer_id) if v.customer_id else None
        self.query_one("#visit-head", Static).update(panels.head(started, customer))
        self.query_one("#visit-steps", Static).update(panels.steps(v, self.step))
        if self.step == "signal":
            choices, tips = panels.signal(v)
            self.query_one("#signal-list", Static).update(choices)
            self.query_one("#signal-tips", Static).update(tips)
        elif self.step == "greeting":
            choices, tips = panels.greeting(v)
            self.query_one("#greeting-list", Static).update(choices)
            self.query_one("#greeting-tips", Static).update(tips)
        elif self.step == "needs":
            self.query_one("#products-list", Static).update(panels.products(v))
        elif self.step == "outcome":
            self.query_one("#outcome-list", Static).update(panels.outcome(self.mode))
            self.query_one("#field-come_back_date").display = self.mode == "date"
        else:
            self.query_one("#done-summary", Static).update(panels.done(v, tz))

    # -- actions ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        step = getattr(self, "step", "signal")
        if action == "key_choice":
            return step in ("signal", "greeting", "outcome") and self.mode != "date"
        if action == "skip":
            return step != "done"
        if action == "all_greetings":
            return step == "greeting"
        if action == "remove_product":
            return step == "needs"
        if action == "reopen":
            return step == "done"
        if action == "next" and step == "outcome":
            return self.mode == "date" or None
        return True

    def _run(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(self.actor, self.visit_id, *args, **kwargs)
        except DomainError as exc:
            self.show_error(exc)
            return None

    def action_key_choice(self, key: str) -> None:
        self.clear_errors()
        if self.step == "signal":
            code = next((e.code for e in visits.signals() if str(e.get("key")) == key), None)
            if code and self._run(visits.set_signal, code):
                self.show_step("greeting")
        elif self.step == "greeting":
            code = self._letters.get(key)
            if code in {e.code for e in visits.greeting_standards()}:
                self._run(visits.toggle_greeting, code)
                self.refresh_view()
        elif self.step == "outcome":
            if self.mode == "reason":
                reasons = visits.leave_reasons()
                if key.isdigit() and 1 <= int(key) <= len(reasons):
                    self._finish("left", leave_reason=reasons[int(key) - 1].code)
                return
            code = self._letters.get(key)
            if code == "left":
                self.mode = "reason"
                self.refresh_view()
            elif code == "come_back":
                self.mode = "date"
                date_input = self.query_one("#come-back", KitInput)
                if not date_input.value:  # tomorrow, suggested: the first key typed replaces it
                    date_input.prefill((self.sapp.now_local().date() + dt.timedelta(days=1)).isoformat())
                self.refresh_view()
                date_input.focus()
                self.refresh_bindings()
            elif code in {e.code for e in visits.outcomes()}:
                self._finish(code)

    def _finish(self, code: str, **kwargs: Any) -> None:
        result = self._run(visits.set_outcome, code, **kwargs)
        if result is None:
            return
        self.show_step("done")
        if result.carry_to:
            area = areas.AREAS.get(result.carry_to)
            if area is None:
                self.say(t(f"visit.no_area_{result.carry_to}"))
                return
            self.sapp.journey.hand_over(journey.Handoff.from_visit(result.carry_to, visits.carry_forward(self.visit_id)))
            self.app.pop_screen()
            self.sapp.open_area(area.id)
        else:
            self.say(t("visit.saved"))

    def action_all_greetings(self) -> None:
        """Every greeting standard met, and on to the needs: one key, not one per standard."""
        if self.step == "greeting" and self._run(visits.meet_all_greetings) and self._run(visits.complete_step, "greeting"):
            self.show_step("needs")

    def action_next_step(self) -> None:
        """F10: the procedure's next thing.  Signal and greeting: on (as Tab); the needs: saved,
        on to the outcome; the outcome: the customer wants a quote, which opens with the products
        shown at the quantities stated (a visit that ends otherwise takes its outcome key)."""
        self.clear_errors()
        step = self.step
        if step == "needs":
            self.save_needs(done=True)
        elif step == "outcome" and self.mode == "":
            self._finish("wants_quote")
        elif step == "outcome" and self.mode == "date":
            self.action_next()
        elif step == "outcome":
            self.say(t("visit.next_step_reason"))
        else:
            self.action_next()

    def action_next(self) -> None:
        self.clear_errors()
        step = self.step
        if step == "needs":
            focused = self.focused
            if isinstance(focused, Input) and (focused.id or "").startswith("need-"):
                self.focus_next()  # Tab walks the fields, then into the product picker
            else:
                self.save_needs(done=True)  # Tab from the picker: the needs are done
            return
        if step in ("signal", "greeting"):
            if self._run(visits.complete_step, step):
                self.show_step(VISIT_STEPS[VISIT_STEPS.index(step) + 1])
        elif step == "outcome" and self.mode == "date":
            self._finish("come_back", come_back=self.query_one("#come-back", Input).value)
        elif step == "done":
            self.app.pop_screen()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "come-back":
            self._finish("come_back", come_back=event.value)
            return
        if not (event.input.id or "").startswith("need-"):
            return
        # Enter checks this field (its message beside it, a stale one cleared), then moves on:
        # to the next field, and from the last one into the product picker ("Products shown").
        fields = [e.code for e in visits.needs_fields()]
        code = event.input.id.removeprefix("need-")
        self.query_one(f"#field-{code}", FormField).clear_error()
        self.say("")
        try:
            visits.check_needs(self.actor, {code: event.value})
        except DomainError as exc:
            self.show_error(exc)
            return
        idx = fields.index(code)
        if idx + 1 < len(fields):
            self.query_one(f"#need-{fields[idx + 1]}", Input).focus()
        else:
            self.query_one("#visit-picker #picker-input", Input).focus()
            self.query_one("#products-title").scroll_visible()

    def needs_data(self) -> dict[str, str]:
        return {e.code: self.query_one(f"#need-{e.code}", Input).value for e in visits.needs_fields()}

    def save_needs(self, *, done: bool) -> bool:
        self.clear_errors()
        if self._run(visits.set_needs, self.needs_data(), done=done) is None:
            return False
        if done:
            self.show_step("outcome")
        return True

    @on(ProductPicker.Picked)
    def _picked(self, event: ProductPicker.Picked) -> None:
        added = self._run(visits.add_product, event.product.id)
        if added is False:
            self.say(t("visit.product_already", name=event.product.name))
        self.refresh_view()

    def action_remove_product(self) -> None:
        ids = visits.product_ids(self.visit_id)
        if ids:
            self._run(visits.remove_product, ids[-1])
            self.refresh_view()

    def action_skip(self) -> None:
        self.clear_errors()
        step = self.step
        if step == "outcome" and self.mode:
            self.mode = ""
        if step == "needs":
            self._run(visits.set_needs, self.needs_data(), done=False)  # keep what is valid
        if self._run(visits.skip, step) is None:
            return
        self.show_step("done" if step == "outcome" else VISIT_STEPS[VISIT_STEPS.index(step) + 1])
        self.say(t("visit.skipped_msg", step=t("visit.step_" + step)))

    def action_back(self) -> None:
        self.clear_errors()
        step = self.step
        if step == "outcome" and self.mode:
            self.mode = ""
            self.refresh_view()
            self.set_focus(None)
            self.refresh_bindings()
            return
        if step in ("signal", "done"):
            if step == "signal":
                try:
                    if visits.discard_if_empty(self.actor, self.visit_id):
                        self.notify(t("visit.discarded"), markup=False)
                    else:
                        self.notify(t("visit.kept_open"), markup=False)
                except DomainError:
                    pass
            self.app.pop_screen()
            return
        if step == "needs":
            try:  # keep a valid draft; an invalid one stays in the fields on screen
                visits.set_needs(self.actor, self.visit_id, self.needs_data(), done=False)
            except DomainError:
                pass
        prev = VISIT_STEPS[VISIT_STEPS.index(step) - 1]
        self._run(visits.go_to, prev)
        self.show_step(prev)

    def action_reopen(self) -> None:
        if self._run(visits.reopen):
            self.show_step("outcome")

    def action_customer(self) -> None:
        self.app.push_screen(CustomerPicker(draft=self.customer_draft, allow_none=True), self._customer_picked)

    def _customer_picked(self, choice: CustomerChoice | None) -> None:
        if choice is None:
            return
        had = self.visit.customer_id
        if choice.customer_id is None and had is None:
            return
        if self._run(visits.attach_customer, choice.customer_id) is None:
            return
        self.refresh_view()
        c = customers.get(self.actor.store_id, choice.customer_id or had)
        self.say(t("visit.customer_set" if choice.customer_id else "visit.customer_cleared",
                   name=c.name, number=c.number))

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        return [(t("visit.key_customer"), "", self.action_customer), (t("visit.key_skip"), "", self.action_skip)]
