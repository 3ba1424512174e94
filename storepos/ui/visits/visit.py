"""A customer visit (SOP §1-2), one key at a time: (a) the signal, (b) the greeting standard,
(c) the needs and products shown, (d) the outcome.  F2 starts one from anywhere on the floor.

Keys: 1-8 signal · n m e g t w greeting toggles · b l q s r outcome · Enter/Tab next step ·
Esc back a step (nothing typed is lost) · Ctrl+→ skip the step · F3 customer.
Everything is saved as it is entered, so an unfinished visit reopens where it stopped.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import ContentSwitcher, DataTable, Input, Static

from storepos import clock
from storepos.i18n import pick, t
from storepos.money import fmt
from storepos.services import customers, journey, visits
from storepos.services.visits import VISIT_STEPS
from storepos.services.core import sop
from storepos.services.core.errors import DomainError
from storepos.ui.kit import areas
from storepos.ui.kit.screen import StoreposScreen
from storepos.ui.customers.customers import CustomerPicker
from storepos.ui.kit.chrome import StepRail
from storepos.ui.kit.form import FormField
from storepos.ui.kit.pickers import ProductPicker

STEP_LETTERS = dict(zip(VISIT_STEPS, "abcd", strict=True))
RAIL_STEP = {"signal": "greet", "greeting": "greet", "needs": "needs", "outcome": "needs", "done": "needs"}


class VisitScreen(StoreposScreen):
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("tab", "next", "visit.key_next", priority=True),
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
        yield Static("", id="visit-head")
        yield Static("", id="visit-steps")
        with ContentSwitcher(initial="panel-signal", id="visit-panels"):
            with Horizontal(id="panel-signal"):
                yield Static("", id="signal-list")
                yield Static("", id="signal-tips")
            with Horizontal(id="panel-greeting"):
                yield Static("", id="greeting-list")
                yield Static("", id="greeting-tips")
            with VerticalScroll(id="panel-needs"):
                for e in visits.needs_fields():
                    yield FormField(f"visit.need_{e.code}", Input(id=f"need-{e.code}", placeholder=pick(
                        e.get("hint_zh", ""), e.get("hint_en", "")), max_length=500),
                        name=e.code)
                yield Static(t("visit.products_shown"), classes="section-title", id="products-title")
                yield ProductPicker(self.actor.store_id, id="visit-picker")
                yield Static("", id="products-list")
            with Vertical(id="panel-outcome"):
                yield Static("", id="outcome-list")
                yield FormField("visit.come_back_date", Input(id="come-back", placeholder=t("visit.date_placeholder"),
                                                               max_length=20), name="come_back_date")
            with VerticalScroll(id="panel-done"):
                yield Static("", id="done-summary")
        yield Static("", id="message")

    def on_mount(self) -> None:
        v = self.visit
        needs = dict(v.needs or {})
        if v.budget is not None:
            needs["budget"] = fmt(v.budget, fen=True, symbol=False)
        for e in visits.needs_fields():
            if e.code in needs:
                self.query_one(f"#need-{e.code}", Input).value = str(needs[e.code])
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
        elif step == "outcome" and self.mode == "date":
            self.query_one("#come-back", Input).focus()
        else:
            self.set_focus(None)
        self.refresh_bindings()

    def refresh_view(self) -> None:
        v = self.visit
        tz = self.sapp.store.timezone if self.sapp.store else "Asia/Shanghai"
        started = clock.to_local(v.started_at, tz).strftime("%H:%M")
        if v.customer_id:
            c = customers.get(self.actor.store_id, v.customer_id)
            who = f"{c.name} ({c.number} · {c.phone})"
        else:
            who = t("visit.no_customer")
        self.query_one("#visit-head", Static).update(
            Text.assemble((t("visit.title", time=started), "bold"), "  ", t("visit.customer", who=who)))
        steps = Text()
        for i, s in enumerate(VISIT_STEPS):
            if i:
                steps.append(" › ", style="dim")
            mark = " ✓" if s in v.done else (" ⤼" if s in v.skipped else "")
            style = "bold reverse" if s == self.step else ("dim" if s in v.skipped else "")
            steps.append(f"{STEP_LETTERS[s]} {t('visit.step_' + s)}{mark}", style=style)
        self.query_one("#visit-steps", Static).update(steps)
        getattr(self, f"_render_{self.step}")(v)

    def _render_signal(self, v: Any) -> None:
        text = Text(t("visit.signal_prompt") + "\n", style="bold")
        for e in visits.signals():
            chosen = e.code == v.signal
            text.append(f"{'●' if chosen else ' '} {e.get('key')} ", style="bold")
            text.append(e.label + "\n", style="reverse" if chosen else "")
        self.query_one("#signal-list", Static).update(text)
        tips = Text()
        chosen = next((e for e in visits.signals() if e.code == v.signal), None)
        if chosen is not None and chosen.tip:
            tips.append(chosen.tip + "\n\n", style="bold")
        for e in sop.entries("approach", "tips"):
            tips.append("· " + e.label + "\n")
        self.query_one("#signal-tips", Static).update(tips)

    def _render_greeting(self, v: Any) -> None:
        text = Text(t("visit.greeting_prompt") + "\n", style="bold")
        for e in visits.greeting_standards():
            on_ = e.code in (v.greeting or [])
            text.append(f"[{'x' if on_ else ' '}] {e.get('key')} ", style="bold")
            text.append(e.label + "\n", style="green" if on_ else "")
        text.append(t("visit.greeting_count", met=len(v.greeting or []), total=len(visits.greeting_standards())),
                    style="dim")
        self.query_one("#greeting-list", Static).update(text)
        tips = Text()
        chosen = next((e for e in visits.signals() if e.code == v.signal), None)
        if chosen is not None and chosen.tip:
            tips.append(chosen.tip + "\n\n", style="bold")
        for e in visits.greeting_standards():
            if e.tip:
                tips.append(e.tip + "\n\n")
        tips.append(t("visit.service_standard") + " ", style="bold")
        tips.append("、".join(e.label for e in sop.entries("approach", "service_standards")) + "\n")
        tips.append(t("visit.avoid") + " ", style="bold")
        tips.append("、".join(e.label for e in sop.entries("approach", "avoid")))
        self.query_one("#greeting-tips", Static).update(tips)

    def _render_needs(self, v: Any) -> None:
        lines = Text()
        for p in visits.products_shown(v.id):
            lines.append(f"· {p.sku}  {pick(p.name_zh, p.name_en)}"
                         f"  {fmt(p.price, fen=True)}\n")
        if not lines:
            lines.append(t("visit.no_products"), style="dim")
        self.query_one("#products-list", Static).update(lines)

    def _render_outcome(self, v: Any) -> None:
        text = Text()
        if self.mode == "reason":
            text.append(t("visit.reason_prompt") + "\n", style="bold")
            for i, e in enumerate(visits.leave_reasons(), 1):
                text.append(f"  {i} ", style="bold")
                text.append(e.label + "\n")
        else:
            text.append(t("visit.outcome_prompt") + "\n", style="bold")
            for e in visits.outcomes():
                text.append(f"  {e.get('key')} ", style="bold")
                text.append(e.label + "\n")
            if self.mode == "date":
                text.append(t("visit.date_prompt"), style="bold")
        self.query_one("#outcome-list", Static).update(text)
        self.query_one("#field-come_back_date").display = self.mode == "date"

    def _render_done(self, v: Any) -> None:
        tz = self.sapp.store.timezone if self.sapp.store else "Asia/Shanghai"
        out = Text()

        def row(label_key: str, value: str) -> None:
            out.append(f"{t(label_key)}: ", style="bold")
            out.append((value or "—") + "\n")

        row("visit.outcome", visits.summary(v))
        row("visit.signal", visits.label("approach", "signals", v.signal))
        met = [visits.label("approach", "greeting", c) for c in v.greeting or []]
        row("visit.greeting", f"{len(met)}/{len(visits.greeting_standards())} " + "、".join(met))
        needs = []
        for e in visits.needs_fields():
            if e.code == "budget" and v.budget is not None:
                needs.append(f"{e.label} {fmt(v.budget, fen=True)}")
            elif e.code in (v.needs or {}):
                needs.append(f"{e.label} {v.needs[e.code]}")
        row("visit.needs", "；".join(needs))
        row("visit.products_shown", "、".join(p.sku for p in visits.products_shown(v.id)))
        row("visit.skipped", "、".join(t("visit.step_" + s) for s in v.skipped))
        secs = visits.seconds_to_approach(v)
        row("visit.time_to_approach", t("visit.seconds", n=secs) if secs is not None else "")
        dur = visits.duration_seconds(v)
        ended = clock.to_local(v.ended_at, tz).strftime("%H:%M") if v.ended_at else ""
        row("visit.duration", t("visit.minutes", n=round(dur / 60), ended=ended) if dur is not None else "")
        out.append("\n" + t("visit.done_hint"), style="dim")
        self.query_one("#done-summary", Static).update(out)

    # -- actions ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        step = getattr(self, "step", "signal")
        if action == "key_choice":
            return step in ("signal", "greeting", "outcome") and self.mode != "date"
        if action == "skip":
            return step != "done"
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
                date_input = self.query_one("#come-back", Input)
                if not date_input.value:
                    date_input.value = (self.sapp.now_local().date() + dt.timedelta(days=1)).isoformat()
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
                        self.notify(t("visit.discarded"))
                    else:
                        self.notify(t("visit.kept_open"))
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
        self.app.push_screen(CustomerPicker(draft=self.customer_draft), self._customer_picked)

    def _customer_picked(self, customer_id: Any) -> None:
        if customer_id:
            self._run(visits.attach_customer, customer_id)
            self.refresh_view()

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        return [(t("visit.key_customer"), "", self.action_customer), (t("visit.key_skip"), "", self.action_skip)]


class VisitsScreen(StoreposScreen):
    """Today's visits, mine or everyone's; Enter continues an open one where it stopped."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "key.back"),
        Binding("m", "toggle_mine", "visit.key_mine"),
        Binding("n", "new", "visit.key_new"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.mine = True
        self._ids: list[int] = []

    def compose_body(self) -> ComposeResult:
        yield Static("", classes="title", id="visits-title")
        yield DataTable(id="visits-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="message")

    def on_screen_resume(self) -> None:
        self.load()

    def load(self) -> None:
        mine, total = visits.counts_today(self.actor)
        self.query_one("#visits-title", Static).update(
            t("visit.list_title_mine" if self.mine else "visit.list_title_all", mine=mine, total=total))
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for key, width in (("time", 5), ("staff", 8), ("customer", 14), ("signal", 16), ("status", 24)):
            table.add_column(t(f"visit.col_{key}"), width=width)
        tz = self.sapp.store.timezone if self.sapp.store else "Asia/Shanghai"
        rows = visits.today_visits(self.actor, mine=self.mine)
        self._ids = [v.id for v in rows]
        for v in rows:
            table.add_row(clock.to_local(v.started_at, tz).strftime("%H:%M"), v.staff.name,
                          v.customer.name if v.customer_id else "—",
                          visits.label("approach", "signals", v.signal) or "—", visits.summary(v), key=str(v.id))
        if not rows:
            self.say(t("visit.list_empty"))
        table.focus()

    def action_toggle_mine(self) -> None:
        self.mine = not self.mine
        self.load()

    def action_new(self) -> None:
        self.sapp.open_area("visit")

    @on(DataTable.RowSelected, "#visits-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self._ids):
            self.app.push_screen(VisitScreen(self._ids[event.cursor_row]))


def start_visit(app: Any, *, step: str | None = None) -> None:
    """A new visit, now.  On a visit screen already, the new one takes its place (the other one
    stays saved and open in today's list)."""
    try:
        v = visits.start(app.actor)
    except DomainError as exc:
        app.notify(exc.message, severity="error")
        return
    screen = VisitScreen(v.id, step=step)
    if isinstance(app.screen, VisitScreen):
        app.switch_screen(screen)
    else:
        app.push_screen(screen)


def continue_needs(app: Any) -> None:
    """Home key 3: my latest open visit at its needs step, else a new visit at the needs step."""
    v = visits.latest_open(app.actor)
    if v is None:
        start_visit(app, step="needs")
        return
    try:
        visits.go_to(app.actor, v.id, "needs")
    except DomainError:
        pass
    app.push_screen(VisitScreen(v.id, step="needs"))
