"""A trainee's progress: scored sessions over time, per rubric area (sparklines), CSV export."""

from __future__ import annotations

from rich.table import Table
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Select, Sparkline

from storepos import clock
from storepos.i18n import get_language, t
from storepos.services import practice
from storepos.services.core.errors import DomainError
from storepos.ui.kit.fields import FormField
from storepos.ui.kit.inputs import KitSelect
from storepos.ui.kit.screen import StoreposScreen
from storepos.ui.kit.text import Plain, safe


class ProgressScreen(StoreposScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "key.back"),
                Binding("x", "export", "practice.key_export"),
                Binding("ctrl+x", "export_all", "practice.key_export_all")]

    def __init__(self, trainee_id: int | None = None) -> None:
        super().__init__()
        self.trainee_id = trainee_id

    def compose_body(self) -> ComposeResult:
        store_id = self.actor.store_id
        people = practice.trainees_with_sessions(store_id)
        if self.trainee_id is None and people:
            self.trainee_id = people[0].id
        if self.trainee_id is not None and self.trainee_id not in {p.id for p in people}:
            # The trainee of the highlighted session has nothing scored yet: shown first, empty.
            people = [p for p in practice.trainees(store_id) if p.id == self.trainee_id] + list(people)
        if self.trainee_id is None and people:
            self.trainee_id = people[0].id
        options = [(t("practice.trainee_short", code=p.code, name=p.name), p.id) for p in people]
        yield Plain(t("practice.progress_title"), classes="title", id="progress-title")
        yield FormField("practice.trainee", KitSelect(options, id="progress-trainee", value=self.trainee_id
                                                      if self.trainee_id is not None else Select.BLANK),
                        name="trainee")
        with VerticalScroll(id="progress-scroll"):
            yield Plain("", id="progress-summary")
            for code in practice.rubric_codes() + ["objective"]:
                with Horizontal(classes="progress-row", id=f"row-{code}"):
                    yield Plain("", classes="progress-label", id=f"label-{code}")
                    yield Sparkline([], classes="progress-spark", id=f"spark-{code}")
                    yield Plain("", classes="progress-figures", id=f"fig-{code}")
            yield Plain("", id="progress-table")
        yield Plain("", id="message")

    def on_mount(self) -> None:
        self.show_progress()
        self.query_one("#progress-trainee", KitSelect).focus()

    @on(Select.Changed, "#progress-trainee")
    def _changed(self, event: Select.Changed) -> None:
        if event.value is not Select.BLANK and event.value != self.trainee_id:
            self.trainee_id = int(event.value)  # type: ignore[arg-type]
            self.show_progress()

    def show_progress(self) -> None:
        store = self.sapp.store
        assert store is not None
        if self.trainee_id is None:
            self.query_one("#progress-summary", Plain).update(t("practice.progress_none"))
            return
        prog = practice.progress(store.id, self.trainee_id)
        self.query_one("#progress-summary", Plain).update(
            t("practice.progress_summary", name=prog.trainee.name, n=len(prog.rows)))
        for area in prog.areas:
            self._row(area.code, area.label, list(area.series),
                      t("practice.progress_figures", latest=area.latest if area.latest is not None else "—",
                        average=area.average if area.average is not None else "—",
                        change=self._change(area.change)))
        series = list(prog.objective_series)
        self._row("objective", t("practice.progress_objective"), series,
                  t("practice.progress_objective_figures", latest=series[-1] if series else "—"))
        table = Table(show_edge=False, expand=True, padding=(0, 1))
        table.add_column(safe(t("practice.col_when")), width=11, no_wrap=True)
        table.add_column(safe(t("practice.col_scenario")), ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column(safe(t("practice.col_objective")), justify="right", width=6, no_wrap=True)
        for area in prog.areas:
            table.add_column(safe(self._short(area.code, area.label)), justify="right", width=4, no_wrap=True)
        table.add_column(safe("Σ"), justify="right", width=3, no_wrap=True)
        codes = [a.code for a in prog.areas]
        for r in reversed(prog.rows):
            table.add_row(safe(clock.to_local(r.started_at, store.timezone).strftime("%m-%d %H:%M")),
                          safe(practice.scenario_title(store.id, r.scenario)), safe(f"{r.objective_percent}%"),
                          *[safe(str(r.scores.get(c, ""))) for c in codes], safe(str(r.rubric_total)))
        self.query_one("#progress-table", Plain).update(table)

    @staticmethod
    def _short(code: str, label: str) -> str:
        """A rubric area's column head: its first two characters in Chinese, its code's in English."""
        return label[:2] if get_language() == "zh_CN" else code[:2].upper()

    @staticmethod
    def _change(value: int | None) -> str:
        if value is None:
            return "—"
        return f"+{value}" if value > 0 else str(value)

    def _row(self, code: str, label: str, series: list[int], figures: str) -> None:
        self.query_one(f"#label-{code}", Plain).update(label)
        spark = self.query_one(f"#spark-{code}", Sparkline)
        spark.data = [float(v) for v in series] or [0.0]
        self.query_one(f"#fig-{code}", Plain).update(figures)

    def action_export(self) -> None:
        self._export(self.trainee_id)

    def action_export_all(self) -> None:
        self._export(None)

    def _export(self, trainee_id: int | None) -> None:
        try:
            path = practice.export_progress_csv(self.actor, self.sapp.settings.files_home, trainee_id)
        except (DomainError, OSError) as exc:
            self.say(exc.message if isinstance(exc, DomainError) else str(exc), error=True)
            return
        self.say(t("practice.exported", path=str(path)))

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#progress-title", Plain).update(t("practice.progress_title"))
        self.show_progress()
