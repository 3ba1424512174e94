"""Satisfaction survey (SOP §8) for one sale: a score 1–5 per dimension of fixtures/sop/survey.toml
(type the digit; the cursor moves on), expectations and suggestions, the channel (F6); F9 saves.
A score outside 1–5 shows its message beside the field.  A low score opens a service ticket."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Static

from storepos.i18n import t
from storepos.models import Customer, Sale, Staff
from storepos.services import aftersales, checkout
from storepos.services.core.errors import DomainError
from storepos.ui.kit.screen import StoreposScreen
from storepos.ui.kit.form import FormField


class DataField(FormField):
    """A FormField whose label is fixture text (an SOP entry), not an i18n key."""

    def __init__(self, entry: Any, widget: Any, *, name: str) -> None:
        super().__init__("", widget, name=name)
        self.entry = entry
        self.add_class("score-field")

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self.entry.label, classes="field-label")
            yield self.input
        yield Static("", classes="field-error")

    def relabel(self) -> None:
        self.query_one(".field-label", Label).update(self.entry.label)


class SurveyScreen(StoreposScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "key.back"),
        Binding("f6", "channel", "survey.key_channel"),
        Binding("f9", "save", "survey.key_save", priority=True),
    ]

    def __init__(self, *, sale_id: int | None = None, followup_id: int | None = None,
                 channel: str | None = None) -> None:
        super().__init__()
        self.sale_id = sale_id
        self.followup_id = followup_id
        codes = [c.code for c in aftersales.channels()]
        self.channel = channel if channel in codes else codes[0]
        self.saved: aftersales.SurveyResult | None = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="survey"):
            yield Static(t("survey.title"), classes="title", id="survey-title")
            yield FormField("survey.receipt", Input(id="survey-receipt", max_length=20,
                                                    placeholder=t("survey.receipt_hint")), name="receipt")
            yield Static("", id="survey-sale")
            yield Static(t("survey.intro_hint"), classes="hint", id="survey-intro")
            for d in aftersales.dimensions():
                yield DataField(d, Input(id=f"score-{d.code}", max_length=1, classes="score"), name=d.code)
            yield FormField("survey.comment", Input(id="survey-comment", max_length=500,
                                                    placeholder=t("survey.comment_hint")), name="comment")
            yield Static("", id="survey-channel")
            yield Static("", id="message")

    def on_mount(self) -> None:
        self.query_one("#field-receipt").display = self.sale_id is None
        self.show_sale()
        self.show_channel()
        if self.sale_id is None:
            self.query_one("#survey-receipt", Input).focus()
        else:
            self.query_one(f"#score-{aftersales.dimensions()[0].code}", Input).focus()

    def show_sale(self) -> None:
        box = self.query_one("#survey-sale", Static)
        if self.sale_id is None:
            box.update("")
            return
        sale = Sale.get_by_id(self.sale_id)
        who = Customer.get_by_id(sale.customer_id).name if sale.customer_id else t("followup.walk_in")
        box.update(t("survey.sale_info", receipt=checkout.label(sale), customer=who,
                     seller=Staff.get_by_id(sale.staff_id).name))

    def show_channel(self) -> None:
        self.query_one("#survey-channel", Static).update(
            f"{t('survey.channel')}: {aftersales.channel_label(self.channel)}  ({t('survey.channel_hint')})")

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#survey-title", Static).update(t("survey.title"))
        self.query_one("#survey-intro", Static).update(t("survey.intro_hint"))
        self.show_sale()
        self.show_channel()

    @on(Input.Submitted, "#survey-receipt")
    def _find(self, event: Input.Submitted) -> None:
        self.clear_errors()
        try:
            sale = checkout.find_sale(self.actor, event.value)
        except DomainError as exc:
            self.show_error(exc)
            return
        self.sale_id = sale.id
        self.show_sale()
        self.query_one(f"#score-{aftersales.dimensions()[0].code}", Input).focus()

    @on(Input.Changed, ".score")
    def _score(self, event: Input.Changed) -> None:
        code = (event.input.id or "").removeprefix("score-")
        field = self.query_one(f"#field-{code}", FormField)
        if not event.value:
            field.clear_error()
            return
        try:
            aftersales.check_score(code, event.value)
        except DomainError as exc:
            field.show_error(exc.message)
            return
        field.clear_error()
        self.focus_next()

    def scores(self) -> dict[str, str]:
        return {d.code: self.query_one(f"#score-{d.code}", Input).value for d in aftersales.dimensions()}

    def action_channel(self) -> None:
        codes = [c.code for c in aftersales.channels()]
        self.channel = codes[(codes.index(self.channel) + 1) % len(codes)]
        self.show_channel()

    def action_save(self) -> None:
        if self.saved is not None:
            return
        self.clear_errors()
        if self.sale_id is None:
            self.show_error(DomainError("survey.need_sale", field="receipt"))
            return
        try:
            res = aftersales.submit_survey(self.actor, self.sale_id, self.scores(),
                                           comment=self.query_one("#survey-comment", Input).value,
                                           channel=self.channel, followup_id=self.followup_id)
        except DomainError as exc:
            self.show_error(exc)
            return
        self.saved = res
        if res.ticket is not None:
            message = t("survey.saved_ticket", ticket=aftersales.ticket_label(res.ticket))
        else:
            message = t("survey.saved", average=f"{res.survey.average_x100 / 100:.1f}")
        self.app.pop_screen()
        say = getattr(self.app.screen, "say", None)
        if say is not None:
            say(message, error=res.ticket is not None)
        else:
            self.app.notify(message, severity="warning" if res.ticket else "information")
