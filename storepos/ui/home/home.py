"""Home: today at a glance, the procedure rail (one key per step) and the role's own areas."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from storepos.i18n import t
from storepos.services import aftersales, quotes
from storepos.services import home as home_service
from storepos.services.core import printout
from storepos.services.core.permissions import can
from storepos.ui.kit import areas
from storepos.ui.kit.chrome import StepRail
from storepos.ui.kit.screen import StoreposScreen, next_step_binding, translate_bindings
from storepos.ui.kit.text import safe


class HomeScreen(StoreposScreen):
    BINDINGS = [
        next_step_binding(),
        Binding("l", "app.switch_language", "key.language"),
        Binding("x", "app.logout", "key.logout"),
        Binding("d", "retry_prints", "printout.key_retry"),  # shown while this terminal has failed prints
    ]

    def __init__(self) -> None:
        super().__init__()
        self._failed_prints = 0
        self._area_keys: dict[str, str] = {}
        for area in self._areas():
            key = area.home_key
            if key:
                self._area_keys[key] = area.id
                self._bindings.bind(key, f"open_area('{area.id}')", area.label,
                                    show=area.step is not None)
        translate_bindings(self)

    def action_next_step(self) -> None:
        """F10 from home: the journey under way goes on (what a step handed the next opens it; a
        sale's follow-ups after its receipt); with none, the next customer's visit starts."""
        from storepos.ui.journey.others import continue_at

        journey = self.sapp.journey
        state = journey.state() if journey is not None else None
        if state is not None and (state.handoff is not None
                                  or (state.step in ("receipt", "followup") and state.sale_id)):
            continue_at(self.app, state)  # the same step a customer taken over here opens at
            return
        self.sapp.open_area("visit")

    def _areas(self) -> list[areas.Area]:
        actor = self.sapp.actor
        return [a for a in areas.rail_areas() + areas.role_areas() if can(actor, a.permission)]

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="home"):
            yield Static("", id="notices")
            yield StepRail(None, id="rail")
            with Horizontal(id="home-columns"):
                with Vertical(id="glance-box"):
                    yield Static(t("home.glance_title"), classes="section-title", id="glance-title")
                    yield Static("", id="glance")
                with Vertical(id="areas-box"):
                    yield Static(t("home.areas_title"), classes="section-title", id="areas-title")
                    yield Static("", id="areas")
            with Vertical(id="next-box"):  # a tall terminal: what comes next, from where you are
                yield Static(t("home.next_title"), classes="section-title", id="next-title")
                yield Static("", id="next")

    PRINT_CHECK_SECONDS = 3.0

    def on_mount(self) -> None:
        if printout.printing_configured():  # a print that fails while home is open shows up here
            self.set_interval(self.PRINT_CHECK_SECONDS, self._check_prints)

    def _check_prints(self) -> None:
        if self.sapp.actor is None or self.app.screen is not self:
            return
        actor = self.actor
        if len(printout.failed_jobs(actor.store_id, actor.terminal)) != self._failed_prints:
            self.refresh_home()

    def on_screen_resume(self) -> None:  # also when the screen first shows
        if self.sapp.actor is not None:  # a logout from a deeper screen passes through home
            self.refresh_home()

    def refresh_home(self) -> None:
        actor = self.actor
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(no_wrap=True, overflow="ellipsis", ratio=1)
        table.add_column(justify="right", no_wrap=True)
        for fig in home_service.glance(actor):
            table.add_row(Text(t(fig.key)), safe(fig.value, style="bold red" if fig.alert else "bold"))
        self.query_one("#glance", Static).update(table)
        lines = Text()
        for area in self._areas():
            if area.step is not None:
                continue
            lines.append(f"[{area.home_key or ' '}] ", style="bold")
            lines.append(t(area.label) + "\n")
        lines.append("[l] ", style="bold")
        lines.append(t("key.language") + "   ")
        lines.append("[ctrl+l] ", style="bold")
        lines.append(t("key.lock") + "   ")
        lines.append("[x] ", style="bold")
        lines.append(t("key.logout") + "\n")
        lines.append("[ctrl+p] ", style="bold")
        lines.append(t("home.palette_hint"))
        self.query_one("#areas", Static).update(lines)
        notes = home_service.notices(actor)
        failed = len(printout.failed_jobs(actor.store_id, actor.terminal))
        if failed != self._failed_prints:
            self._failed_prints = failed
            self.refresh_bindings()
        box = self.query_one("#notices", Static)
        box.update(safe("\n".join(notes), lines=True))  # notices name customers and staff: data
        box.display = bool(notes)
        self.query_one("#rail", StepRail).render_rail()
        self._up_next()

    UP_NEXT_MIN_HEIGHT = 32  # rows: below this the panel would push the figures off the screen

    def on_resize(self) -> None:
        if self.sapp.actor is not None:
            self._up_next()

    def _up_next(self) -> None:
        """At 120x40 (any terminal of 32 rows or more) home fills: the journey under way, the
        follow-ups due and the quotes waiting for an answer, each with the key that opens it."""
        box = self.query_one("#next-box")
        rows = self.app.size.height - 10
        box.display = self.app.size.height >= self.UP_NEXT_MIN_HEIGHT
        if not box.display:
            return
        actor = self.actor
        text = Text()
        state = self.sapp.journey.state() if self.sapp.journey is not None else None
        if state is not None:
            text.append(t("home.next_journey", step=t(f"home.step_{state.step}")) + "\n", style="bold")
        if can(actor, "followup.work"):
            due = aftersales.due_list(actor)
            text.append(t("home.next_followups", n=len(due)) + "\n", style="bold")
            for item in due[: max(1, rows // 3)]:
                text.append("  " + t("home.next_followup", due=f"{item.due_date:%m-%d}", kind=item.kind_label) + " ")
                text.append(safe(item.customer))
                text.append("\n")
        if can(actor, "quote.use"):
            waiting = [q for q in quotes.open_quotes(actor.store_id, staff_id=actor.staff_id) if q.status == "given"]
            text.append(t("home.next_quotes", n=len(waiting)) + "\n", style="bold")
            for q in waiting[: max(1, rows // 3)]:
                text.append("  " + t("home.next_quote", number=q.number, days=q.days_left) + " ")
                text.append(safe(q.customer))
                text.append("\n")
        self.query_one("#next", Static).update(text)

    def action_open_area(self, area_id: str) -> None:
        self.sapp.open_area(area_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry_prints":
            return self._failed_prints > 0
        return True

    def action_retry_prints(self) -> None:
        """d: every failed print of this terminal goes to the printer again (listed on home)."""
        actor = self.actor
        n = printout.retry_failed(actor.store_id, actor.terminal)
        self.notify(t("printout.retried", n=n))
        self.refresh_home()

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#glance-title", Static).update(t("home.glance_title"))
        self.query_one("#areas-title", Static).update(t("home.areas_title"))
        self.query_one("#next-title", Static).update(t("home.next_title"))
        self.refresh_home()
