"""The crawler opens a new, empty quote; this opens the hostile one (products and a customer named
with markup, control characters, prices of ¥0.01 and ¥999,999.99) and the open list showing it,
and presses every key of each with the crawler's checks: no exception, no raw message key, no
Latin words in the Chinese UI beyond the data."""

from __future__ import annotations

import pytest
from crawl.crawler import Crawl
from crawl.hostile import seed
from crawl.test_crawl import _data_words
from support import login

from storepos.ui.quotes.quote import QuoteScreen
from storepos.ui.quotes.quote_list import QuoteListScreen

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
async def test_hostile_quote_and_open_list_take_every_key(demo, make_app, manager_actor, staff_actor, lang):
    made = seed(manager_actor, staff_actor)
    qid = made["quotes"][0]
    app = make_app(lang=lang)
    crawl = Crawl(app, None, lang, data_words=_data_words())
    async with app.run_test(size=(80, 24)) as pilot:
        crawl.pilot = pilot
        await login(pilot, "9001", "9999")
        for name, make in (("quote", lambda: QuoteScreen(qid)), ("quote_list", QuoteListScreen)):
            app.action_go_home()
            await crawl.settle()
            app.push_screen(make())
            await crawl.settle()
            base = app.screen
            assert crawl.check(name)
            for key, focus in [*crawl.keys_of(base), ("enter", None), ("tab", None)]:
                await crawl.back_to(base)
                if focus is not None and focus.is_attached:
                    focus.focus()
                where = f"{name} [{key}]"
                crawl.last = where
                await pilot.press(key)
                await crawl.settle()
                if not crawl.check(where):
                    break
                if app.screen is not base and base in app.screen_stack:
                    await crawl.fill(where)
            await crawl.back_to(base)
            await pilot.press("ctrl+p")
            await crawl.settle()
            crawl.check(f"{name} palette")
            await crawl.back_to(base)
            if name == "quote_list":
                if base.given_only:
                    await pilot.press("f")  # every open quote: the hostile draft too
                    await crawl.settle()
                crawl.check("quote_list [f]")
                assert "[/bold]closing" in crawl.screen_text()
    problems = crawl.report()
    assert not problems, "\n".join(problems)
    assert crawl.steps > 15 and crawl.forms >= 2
