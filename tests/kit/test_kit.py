"""The kit's rules, tried with real keys on a bare app: every form and list of the app gets them."""

from __future__ import annotations

import itertools
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Input, Static

from storepos.i18n import set_language, t
from storepos.services.core.errors import DomainError
from storepos.ui.kit.confirm import Confirm
from storepos.ui.kit.fields import Field
from storepos.ui.kit.form import FormModal
from storepos.ui.kit.inputs import KitSelect
from storepos.ui.kit.lists import Column, ListScreen
from storepos.ui.kit.prompt import Prompt
from storepos.ui.kit.text import clean, safe

HOSTILE = "Pot [/b] [red]x"


class Sample(FormModal[dict]):
    TITLE_KEY = "key.edit"

    def __init__(self, refuse: DomainError | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.refuse = refuse

    def fields(self):
        return [
            Field("code", "staff.code", value="1001"),
            Field("role", "staff.role", value="manager",
                  options=[("Staff [b]", "staff"), ("Manager", "manager"), ("Trainer", "trainer")]),
            Field("qty", "catalog.qty", value="1"),
            Field("note", "catalog.reason"),
        ]

    def save(self, values):
        if self.refuse is not None:
            raise self.refuse
        return values


class Host(App[None]):
    def __init__(self, screen_factory) -> None:
        super().__init__()
        self.factory = screen_factory
        self.results: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(self.factory(), self.results.append)


def _host(factory):
    set_language("en")
    return Host(factory)


async def test_prefilled_value_is_replaced_by_the_first_key_typed():
    app = _host(Sample)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("9", "enter")  # code: 1001 -> 9
        await pilot.press("enter")  # role: Enter moves on from a drop-down
        await pilot.press("3")  # qty: the prefilled 1 gives way: 3, not 13
        await pilot.press("enter", "n", "o", "t", "e", "enter")
        await pilot.pause()
    assert app.results == [{"code": "9", "role": "manager", "qty": "3", "note": "note"}]


async def test_arrow_keeps_a_prefilled_value_for_editing_and_typed_text_is_never_replaced():
    app = _host(Sample)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("end", "2")  # edit the prefill: 10012
        await pilot.press("enter", "down", "enter")  # role: ↓ changes the value in place
        await pilot.press("shift+tab", "shift+tab")  # back to the code: what was typed stays
        await pilot.press("7")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results[0]["code"] == "100127"
    assert app.results[0]["role"] == "trainer"


async def test_full_width_space_of_a_chinese_input_method_is_kept():
    app = _host(Sample)
    async with app.run_test(size=(80, 24)) as pilot:
        inp = app.screen.query_one("#note", Input)
        inp.focus()
        await pilot.press("a")
        await pilot.press("\u3000")
        await pilot.press("b")
        assert inp.value == "a\u3000b"


async def test_service_error_shows_beside_its_field_and_keeps_the_other_input():
    app = _host(lambda: Sample(refuse=DomainError("err.required", field="qty")))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, Sample)
        err = screen.query_one("#field-qty .field-error", Static)
        assert "required" in str(err.render()).lower() or str(err.render()).strip()
        assert screen.query_one("#code", Input).value == "5"
        assert screen.focused is screen.query_one("#qty", Input)


async def test_esc_keeps_the_draft_for_the_next_opening():
    draft: dict[str, Any] = {}
    app = _host(lambda: Sample(draft=draft))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4", "2", "escape")
        await pilot.pause()
        assert app.results == [None] and draft["code"] == "42"
        app.push_screen(Sample(draft=draft), app.results.append)
        await pilot.pause()
        await pilot.press("end", "1", "ctrl+s")  # the kept draft is edited, not replaced
        await pilot.pause()
    assert app.results[1]["code"] == "421"
    assert draft == {}


async def test_form_hint_stays_visible_at_80x24():
    app = _host(Sample)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        hint = app.screen.query_one("#form-hint", Static)
        assert hint.region.height >= 1 and hint.region.bottom <= 24


async def test_one_value_prompt_puts_any_service_error_beside_its_field():
    def apply(value: str) -> int:
        if value != "3":
            raise DomainError("err.not_a_whole_number", field="something_else")
        return 3

    app = _host(lambda: Prompt("Quantity", "catalog.qty", "1", apply))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x", "enter")
        await pilot.pause()
        assert "-invalid" in app.screen.query_one("#field-value").classes
        await pilot.press("backspace", "3", "enter")
        await pilot.pause()
    assert app.results == [3]


def test_data_is_never_markup_and_control_characters_become_visible():
    assert safe(HOSTILE).plain == HOSTILE
    assert clean("a\x1b[31m\x07\x00b") == "a\u241b[31m\u2407\u2400b"
    assert clean("two\nlines") == "two\u23celines" and clean("two\nlines", lines=True) == "two\nlines"
    assert clean("全角\u3000空格") == "全角\u3000空格"


async def test_select_options_show_brackets_as_typed():
    app = _host(Sample)
    async with app.run_test(size=(80, 24)) as pilot:
        sel = app.screen.query_one("#role", KitSelect)
        sel.value = "staff"
        await pilot.pause()
        assert "Staff [b]" in str(sel.query_one("SelectCurrent").render()) or \
            "Staff [b]" in "".join(str(s.render()) for s in sel.query(Static))


class People(ListScreen[tuple[str, str]]):
    TITLE_KEY = "staff.title"
    COLUMNS = (Column("code", "staff.code"), Column("name", "staff.name"))
    people = [("9001", "刘建国"), ("1001", HOSTILE), ("1002", "Lily Chen")]

    def load_rows(self):
        return list(self.people)

    def row_key(self, row):
        return row[0]

    def row_cells(self, row):
        return row

    def row_name(self, row):
        return f"{row[1]} ({row[0]})"

    def compose(self) -> ComposeResult:  # no top bar on the bare host app
        yield from self.compose_body()

    def action_rename(self) -> None:
        def rename(row):
            People.people = [(c, n + "!" if c == row[0] else n) for c, n in People.people]
        self.act(rename, done="list.not_done", confirm="list.not_done")


async def test_list_keeps_the_cursor_on_the_row_acted_on_and_names_it():
    People.people = [("9001", "刘建国"), ("1001", HOSTILE), ("1002", "Lily Chen")]
    app = _host(People)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("down", "down")
        assert screen.current == ("1002", "Lily Chen")
        screen.action_rename()
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert "Lily Chen (1002)" in str(app.screen.query_one("#confirm-question", Static).render())
        await pilot.press("enter")
        await pilot.pause()
        assert screen.current == ("1002", "Lily Chen!")  # still on the same person, not the first row
        assert "Lily Chen (1002)" in str(screen.query_one("#message", Static).render())
        # the hostile name shows exactly as typed
        cell = screen.table.get_row("1001")[1]
        assert isinstance(cell, Text) and cell.plain == HOSTILE


def _text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_select_list_names_its_esc_key_in_the_users_language_and_follows_a_switch():
    from storepos.ui.kit.inputs import KitSelectOverlay

    set_language("zh_CN")
    app = Host(Sample)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#role", KitSelect).focus()
        await pilot.press("space")
        await pilot.pause()
        overlay = app.screen.focused
        assert isinstance(overlay, KitSelectOverlay)
        esc = app.screen.active_bindings["escape"]
        assert esc.node is overlay and esc.binding.description == "收起列表"
        set_language("en")
        app.screen.relabel()
        assert app.screen.active_bindings["escape"].binding.description == "Close list"
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query_one("#role", KitSelect).expanded
    set_language("en")


async def test_palette_says_no_matches_in_chinese_and_follows_a_language_switch(demo, make_app):
    from support import login, type_text, until
    from textual.command import CommandInput, CommandPalette

    app = make_app(lang="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        assert "输入想做的操作" in _text(app)
        await type_text(pilot, "qqzzxx")
        assert await until(pilot, lambda: "没有找到匹配的操作" in _text(app), timeout=3)
        assert "No matches" not in _text(app)
        await pilot.press("f12")
        await pilot.pause()
        assert "No matches found" in _text(app) and "没有找到" not in _text(app)
        assert app.screen.query_one(CommandInput).placeholder.startswith("Type what you want to do")


def _lines(text: str, width: int) -> list[str]:
    from storepos.ui.kit.text import break_offsets

    cuts = [0, *break_offsets(text, width), len(text)]
    return [text[a:b].rstrip() for a, b in itertools.pairwise(cuts)]


def test_chinese_lines_never_start_with_a_closing_mark_nor_split_a_number_from_its_measure_word():
    lines = _lines("请在顾客进店后30秒内上前招呼，保持微笑。每天清点12个货架。", 14)
    assert all(not line.startswith(("，", "。")) for line in lines), lines
    assert "".join(lines) == "请在顾客进店后30秒内上前招呼，保持微笑。每天清点12个货架。"
    assert all("30秒" in line for line in lines if "30" in line) and all("12个" in line for line in lines if "12" in line)
    for width in range(8, 40):  # at every width a screen has
        for line in _lines("一二三四五，六七八九十。共有12个货架、30天账期（月结）。", width):
            assert not line.startswith(("，", "。", "、", "）")) and not line.endswith("（"), (width, line)
    assert _lines("Enter next field · Ctrl+S save", 20) == ["Enter next field ·", "Ctrl+S save"]


async def test_plain_text_wraps_chinese_the_chinese_way_on_screen():
    from storepos.ui.kit.text import Plain

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield Plain("每天开门前检查货架，共12个货架。", id="p")

    app = One()
    async with app.run_test(size=(16, 5)) as pilot:
        await pilot.pause()
        rows = [strip.text.rstrip() for strip in app.screen._compositor.render_strips()][:3]
        assert rows[:2] == ["每天开门前检查货", "架，共12个货架。"]


class Notes(People):
    COLUMNS = (Column("code", "staff.code", width=6), Column("name", "staff.name", width=20, grow=1))
    people = [("1", "一个很长的名字" * 6)]


async def test_a_growing_column_takes_a_wider_terminals_room_and_gives_it_back():
    app = _host(Notes)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.table
        at_80 = table.columns["name"].width
        assert at_80 > 20  # the room left at 80 columns goes to the name
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert table.columns["name"].width == at_80 + 40
        assert table.current_key == "1"  # the cursor stayed
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert table.columns["name"].width == at_80


class WithPlaceholder(Sample):
    def fields(self):
        return [Field("reference", "pay.reference", placeholder="pay.reference_placeholder")]


async def test_a_fields_placeholder_follows_a_language_switch_while_the_form_is_open():
    app = _host(WithPlaceholder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#reference", Input)
        assert box.placeholder == t("pay.reference_placeholder")
        english = box.placeholder
        set_language("zh_CN")
        app.screen.relabel()
        await pilot.pause()
        assert box.placeholder == t("pay.reference_placeholder") != english
    set_language("en")


async def test_table_sync_appends_and_redraws_in_place_without_filling_again():
    from storepos.ui.kit.table import Table

    class Host2(App[None]):
        def compose(self) -> ComposeResult:
            yield Table(id="t")

    app = Host2()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(Table)
        table.set_columns([Column("a", "staff.code"), Column("b", "staff.name")])
        fills = []
        real_fill = table.fill
        table.fill = lambda rows, keep=None: (fills.append(1), real_fill(rows, keep=keep))  # type: ignore[method-assign]
        table.sync([("1", ("1", HOSTILE))])
        assert fills == [1]  # the first showing fills
        table.sync([("1", ("1", HOSTILE)), ("2", ("2", "Wok"))], keep="2")
        table.sync([("1", ("1", HOSTILE)), ("2", ("2", "Wok ×2"))], keep="2")
        await pilot.pause()
        assert fills == [1]  # appended, then redrawn in place
        assert table.row_keys == ["1", "2"] and table.current_key == "2"
        assert str(table.get_row("2")[1]) == "Wok ×2" and table.get_row("1")[1].plain == HOSTILE
        table.sync([("2", ("2", "Wok ×2"))])  # a row removed: filled again
        assert fills == [1, 1] and table.row_keys == ["2"]
