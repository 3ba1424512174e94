"""The score card of one practice session: objective points, the trainer's rubric, what was missed,
and the steps with their times."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll

from storepos import clock
from storepos.i18n import t
from storepos.services import practice
from storepos.ui.kit.screen import StoreposScreen
from storepos.ui.kit.text import Plain, clean, safe

_MARK = {"met": ("✓", "green"), "partial": ("◐", "yellow"), "missed": ("✗", "red"), "na": ("–", "dim")}


class ScoreCardScreen(StoreposScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "key.back"),
                Binding("s", "score", "practice.key_score")]

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="card-scroll"):
            yield Plain("", id="card-head")
            yield Plain("", id="card-objective")
            yield Plain("", id="card-rubric")
            yield Plain("", id="card-missed")
            yield Plain("", id="card-steps")
        yield Plain("", id="message")

    def on_mount(self) -> None:
        self.render_card()
        self.query_one("#card-scroll").focus()

    def on_screen_resume(self) -> None:
        self.render_card()

    def render_card(self) -> None:
        store = self.sapp.store
        assert store is not None
        card = practice.score_card(store.id, self.session_id)
        s = card.session
        head = Text()
        head.append(clean(t("practice.card_title", name=card.trainee.name, code=card.trainee.code)) + "\n",
                    style="bold")
        head.append(clean(t("practice.card_scenario", title=card.scenario.title if card.scenario else s.scenario))
                    + "\n")
        when = clock.to_local(s.started_at, store.timezone).strftime("%Y-%m-%d %H:%M")
        dur = card.duration_seconds
        head.append(clean(t("practice.card_when", when=when, minutes=(dur // 60) if dur is not None else "—",
                            trainer=card.trainer.name, status=t(f"practice.status_{s.status}"))))
        self.query_one("#card-head", Plain).update(head)

        obj = Table(title=safe(t("practice.card_objective", points=card.objective.points,
                                 max=card.objective.max_points, percent=card.objective.percent)), title_justify="left", show_edge=False,
                    expand=True, padding=(0, 1))
        obj.add_column("", width=1)
        obj.add_column(safe(t("practice.col_item")), ratio=2)
        obj.add_column(safe(t("practice.col_points")), justify="right", width=6)
        obj.add_column(safe(t("practice.col_detail")), ratio=3)
        for item in card.objective.items:
            mark, style = _MARK.get(item.status, ("?", ""))
            pts = "—" if item.status == "na" else f"{item.points}/{item.max_points}"
            obj.add_row(Text(mark, style=style), safe(item.label), safe(pts), safe(item.detail))
        self.query_one("#card-objective", Plain).update(obj)

        rub = Table(title=safe(self._rubric_title(card)), title_justify="left", show_edge=False, expand=True,
                    padding=(0, 1))
        rub.add_column(safe(t("practice.col_area")), ratio=2)
        rub.add_column(safe(t("practice.col_score")), justify="right", width=5)
        rub.add_column(safe(t("practice.col_comment")), ratio=3)
        for r in card.rubric:
            rub.add_row(safe(r.label), safe("—" if r.score is None else f"{r.score}/5"), safe(r.comment))
        self.query_one("#card-rubric", Plain).update(rub)

        missed = Text(t("practice.card_missed") + "\n", style="bold")
        lines = card.missed
        if not lines:
            missed.append(t("practice.card_nothing_missed"), style="green")
        for line in lines:
            missed.append(f"• {clean(line)}\n", style="red")
        self.query_one("#card-missed", Plain).update(missed)

        steps = Table(title=safe(t("practice.card_steps", n=len(card.steps))), title_justify="left", show_edge=False,
                      expand=True, padding=(0, 1))
        steps.add_column(safe(t("practice.col_time")), width=7)
        steps.add_column(safe(t("practice.col_stage")), width=14)
        steps.add_column(safe(t("practice.col_step")), ratio=1)
        for st in card.steps:
            steps.add_row(safe(st.offset), safe(t(f"practice.stage_{st.stage}")), safe(st.label))
        self.query_one("#card-steps", Plain).update(steps)

    @staticmethod
    def _rubric_title(card: Any) -> str:
        total = card.rubric_total
        if total is None:
            return t("practice.card_rubric_pending")
        return t("practice.card_rubric", total=total, max=card.rubric_max)

    def action_score(self) -> None:
        from storepos.ui.practice.rubric import RubricForm

        self.app.push_screen(RubricForm(self.session_id), self._scored)

    def _scored(self, session_id: int | None) -> None:
        self.render_card()
        if session_id is not None:
            self.say(t("practice.card_scored"))

    def relabel(self) -> None:
        super().relabel()
        self.render_card()
