"""The net: for each role, in Chinese and English, at 80x24 and 120x40, on the demo store seeded
with hostile data (markup in names, emoji, control characters, right-to-left text, U+3000, a
200-character name, prices of ¥0.01 and ¥999,999.99), open every area the role may open and
press every key its screens offer, filling each form with hostile data (tests/crawl/crawler.py).
The crawl runs at 80x24 and reads every screen a key opens there and again at 120x40 (the
terminal resized and back), so each screen's layout is checked at both sizes in one run.

It fails on any exception, any raw message key on screen and any Latin-only text in the Chinese
UI beyond what may be Latin there.  Junk typed everywhere writes no sale or payment, and
`storepos check` stays clean.
"""

from __future__ import annotations

import pytest
from support import login
from support.reliability_figures import record

from crawl.crawler import Crawl
from crawl.hostile import seed
from storepos.cli import run_checks
from storepos.models import Customer, Payment, Product, Sale, Staff
from storepos.services.core.permissions import can
from storepos.ui.kit import areas

ROLES = {"staff": ("1001", "1111"), "manager": ("9001", "9999"), "trainer": ("8001", "8888")}
SIZE, ALSO_AT = (80, 24), ((120, 40),)


def _data_words() -> set[str]:
    """What may show in Latin in the Chinese UI because it is data: names, codes, units."""
    import re

    words: set[str] = set()
    rows = [p for p in Product.select(Product.sku, Product.unit, Product.name_zh, Product.name_en).tuples()]
    rows += list(Customer.select(Customer.name, Customer.number, Customer.address, Customer.notes).tuples())
    rows += list(Staff.select(Staff.name, Staff.code).tuples())
    for row in rows:
        for value in row:
            words.update(re.findall(r"[A-Za-z][A-Za-z]+", str(value or "")))
    return words


def _areas_for(role_code: str) -> list[str]:
    """The areas the role may open, in the home's order (CRAWL_AREAS=a,b narrows it, to work on one)."""
    import os

    from storepos.services.core.store import find_store
    from storepos.services import staff

    store = find_store("S001")
    actor = staff.login(store.id, *ROLES[role_code], "T1")
    wanted = {a for a in os.environ.get("CRAWL_AREAS", "").split(",") if a}
    return [a.id for a in areas.rail_areas() + areas.role_areas()
            if can(actor, a.permission) and (not wanted or a.id in wanted)]


async def crawl_areas(make_app, role: str, lang: str, size: tuple[int, int], todo: list[str],
                      also_at: tuple[tuple[int, int], ...] = ()) -> Crawl:
    """Crawl *todo* in one app; after a crash, note it and go on with the next area in a new app."""
    words = _data_words()
    # File paths shown as typed (the export folder, an import file) are data too.
    import re

    words.update(re.findall(r"[A-Za-z][A-Za-z]+", str(make_app(lang=lang).settings.home)))
    crawl = Crawl(None, None, lang, data_words=words, also_at=also_at)
    while todo:
        app = make_app(lang=lang)
        app.restart_into = lambda practice: None  # the practice switch would end the app: a no-op here
        crawl.app = app
        try:
            async with app.run_test(size=size) as pilot:
                crawl.pilot = pilot
                await login(pilot, *ROLES[role])
                await crawl.check_sizes("home")
                while todo:
                    area_id = todo.pop(0)
                    await crawl.area(area_id)
                    if not app.is_running:
                        break
        except Exception as exc:  # noqa: BLE001 - the app crashed: say where, with the error
            crawl.problems.append(f"{crawl.last}: the app crashed: {type(exc).__name__}: {exc}")
    return crawl


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("role", list(ROLES))
async def test_every_screen_takes_every_key_with_hostile_data(demo, make_app, manager_actor, staff_actor,
                                                              role, lang):
    seed(manager_actor, staff_actor)
    sales, payments = Sale.select().count(), Payment.select().count()
    opened = _areas_for(role)
    crawl = await crawl_areas(make_app, role, lang, SIZE, list(opened), ALSO_AT)
    problems = crawl.report()
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:60])
    assert crawl.steps > len(opened) * 2
    assert Sale.select().count() == sales and Payment.select().count() == payments
    assert run_checks() == []
    if role == "manager" and lang == "zh_CN":
        record("fuzz_ui", areas=len(opened), inputs_typed=crawl._typed, anomalies=0)
