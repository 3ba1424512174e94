"""Practice mode: isolation from live, scenarios as data, objective and rubric scoring, progress."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from support.practice import actor, journey, staff_id

from storepos.db import database
from storepos.i18n import t
from storepos.models import ALL_MODELS, AuditLog, Meta, PracticeSession, RubricScore, Scenario, Store, Product, Sale, Staff
from storepos.services import practice, quotes
from storepos.services.core import sop
from storepos.services.core.bootstrap import close_database, open_store_database
from storepos.services.core.errors import DomainError

GOOD = {area: {"score": "4", "comment": "ok"} for area in ("sales_plan", "prospecting", "demonstration",
                                                           "negotiation", "closing_aftersales")}


def _close() -> None:
    close_database()
    database.initialize(None)


@pytest.fixture
def marked(demo):
    """The demo database marked as a practice one (for the scoring tests, on either backend)."""
    practice.mark_as_practice()
    return demo


def _snapshot() -> dict:
    counts = {m._meta.table_name: m.select().count() for m in ALL_MODELS}
    head = Meta.get_or_none(Meta.key == "audit_head")
    last = AuditLog.select().order_by(AuditLog.id.desc()).first()
    return {"counts": counts, "head": head.value if head else None, "last_audit": last.hash if last else None}


# -- isolation ---------------------------------------------------------------------------------

def test_full_practice_session_leaves_every_live_table_unchanged(demo, tmp_path):
    before = _snapshot()
    live_products = {p.sku: (p.price, p.stock) for p in Product.select()}
    _close()
    psettings = demo.model_copy(update={"practice": True, "practice_db": str(tmp_path / "practice.db")})
    opened = practice.prepare(psettings)
    assert opened.created and practice.is_practice_db()
    # seeded from live: same catalog, prices and stock, staff log in with their own PINs
    assert {p.sku: (p.price, p.stock) for p in Product.select()} == live_products
    trainer = actor("8001", "8888")
    trainee = actor("1001", "1111")
    s = practice.start_session(trainer, staff_id("1001"), "restaurant_kitchen")
    made = journey(trainee)
    practice.end_session(trainer, s.id)
    practice.score_session(trainer, s.id, GOOD)
    practice.add_scenario(trainer, {"code": "shop_fitter", "title_zh": "装修公司", "persona_zh": "装修公司老板",
                                    "signal": "eyes_meet", "spec_zh": "整套厨具", "quantity": "3",
                                    "delivery_zh": "下月", "objections_zh": "太贵", "outcome_zh": "成交"})
    practice.seed_from_live(psettings, trainer)  # the trainer's "copy from live again"
    assert Sale.select().count() == 1 and made["sale"]
    _close()
    open_store_database(demo)
    assert _snapshot() == before
    assert not practice.is_practice_db()
    assert PracticeSession.select().count() == 0 and Scenario.select().count() == 0


def test_practice_writes_refuse_a_database_not_marked_practice(trainer_actor):
    with pytest.raises(DomainError) as err:
        practice.start_session(trainer_actor, staff_id("1001"), "restaurant_kitchen")
    assert err.value.key == "err.practice_live_db"
    assert PracticeSession.select().count() == 0


def test_practice_refuses_the_live_file_and_a_live_database_as_practice(demo, tmp_path):
    _close()
    same = demo.model_copy(update={"practice": True, "practice_db": demo.live_target})
    with pytest.raises(DomainError) as err:
        practice.prepare(same)
    assert err.value.key == "err.practice_same_db"
    # another storepos database holding a store (say a copy of live) is not taken for practice
    other = tmp_path / "other.db"
    open_store_database(demo.model_copy(update={"db": str(other)}))
    from storepos.services.demo import load_demo

    load_demo()
    _close()
    with pytest.raises(DomainError) as err:
        practice.prepare(demo.model_copy(update={"practice": True, "practice_db": str(other)}))
    assert err.value.key == "err.practice_not_practice_db"


@pytest.mark.sqlite_only
def test_missing_live_database_is_one_clear_message(settings, tmp_path):
    s = settings.model_copy(update={"practice": True, "db": str(tmp_path / "nope.db"),
                                    "practice_db": str(tmp_path / "p.db")})
    with pytest.raises(DomainError) as err:
        practice.prepare(s)
    _close()
    assert err.value.key == "err.practice_db_missing"
    assert not (tmp_path / "nope.db").exists()


def test_settings_keep_live_and_practice_targets_apart(tmp_path):
    from storepos.config import Settings

    s = Settings(home=tmp_path, db=str(tmp_path / "live.db"), practice=True)
    assert s.database_target == str(tmp_path / "practice.db")
    assert s.live_target == str(tmp_path / "live.db")
    assert Settings(home=tmp_path, demo=True, practice=True).database_target == str(tmp_path / "demo-practice.db")


# -- scenarios ---------------------------------------------------------------------------------

def test_shipped_scenarios_load_in_both_languages():
    shipped = practice.fixture_scenarios()
    assert len(shipped) >= 8
    signals = {e.code for e in sop.entries("approach", "signals")}
    for sc in shipped:
        assert sc.title_zh and sc.title_en and sc.persona_zh and sc.persona_en and sc.outcome_zh and sc.outcome_en
        assert sc.signal in signals and sc.objections and sc.quantity >= 1
    kitchen = next(s for s in shipped if s.code == "restaurant_kitchen")
    assert "三个月" in kitchen.persona_zh and "two new branches" in kitchen.persona_en
    assert kitchen.budget == 30_000_000
    assert practice.validate_scenarios() == []


def _second(old: str, new: str):
    def change(text: str) -> str:
        head, sep, tail = text.partition('code = "two"')
        return head + sep + tail.replace(old, new)
    return change


@pytest.mark.parametrize("change, expected", [
    (_second('title_en = "Two"', ""), "scenario #2 (two): missing title_en"),
    (_second('signal = "eyes_meet"', 'signal = "waves"'), "scenario #2 (two): unknown signal 'waves'"),
    (_second('budget = "80.00"', 'budget = "lots"'), "scenario #2 (two): budget 'lots'"),
    (lambda t: t.replace('code = "two"', 'code = "one"'), "duplicate scenario codes ['one']"),
    (_second("quantity = 2", "quantity = 0"), "scenario #2 (two): needs.quantity"),
    (_second('[[scenarios.objections]]\nzh = "贵"\nen = "dear"\n', ""), "scenario #2 (two): at least one"),
    (lambda t: t + "\n[[scenarios]]\ncode = 'x\n", "scenarios.toml: "),
])
def test_scenario_file_problems_name_the_file_and_the_scenario(tmp_path, change, expected):
    one = ('[[scenarios]]\ncode = "{c}"\ntitle_zh = "{c}"\ntitle_en = "{t}"\npersona_zh = "p"\npersona_en = "p"\n'
           'signal = "eyes_meet"\nbudget = "80.00"\noutcome_zh = "o"\noutcome_en = "o"\n'
           '[scenarios.needs]\nspec_zh = "s"\nspec_en = "s"\nquantity = 2\ndelivery_zh = "d"\ndelivery_en = "d"\n'
           '[[scenarios.objections]]\nzh = "贵"\nen = "dear"\n')
    text = one.format(c="one", t="One") + one.format(c="two", t="Two")
    path = tmp_path / "scenarios.toml"
    path.write_text(change(text), encoding="utf-8")
    with pytest.raises(practice.ScenarioError) as err:
        practice.load_scenario_file(path)
    assert "scenarios.toml" in str(err.value) and expected in str(err.value)


def test_trainer_adds_a_scenario_checked_and_audited(marked):
    trainer = actor("8001", "8888")
    data = {"code": "Shop_Fitter", "title_zh": "装修公司", "title_en": "Shop fitter", "persona_zh": "装修公司老板",
            "signal": "eyes_meet", "spec_zh": "整套厨具", "quantity": "3", "budget": "¥12,000",
            "delivery_zh": "下月", "objections_zh": "太贵；要比较", "objections_en": "Too dear", "outcome_zh": "成交"}
    for field, bad, key in (("signal", "waves", "err.not_allowed_value"), ("quantity", "two", "err.not_a_whole_number"),
                            ("persona_zh", "", "err.required"), ("budget", "abc", None), ("code", "9 x", None)):
        with pytest.raises(DomainError) as err:
            practice.add_scenario(trainer, data | {field: bad})
        assert err.value.field == field
        if key:
            assert err.value.key == key
    assert Scenario.select().count() == 0
    sc = practice.add_scenario(trainer, data)
    assert sc.code == "shop_fitter" and sc.budget == 1_200_000 and sc.source == "app"
    assert [o for o in sc.objections] == [("太贵", "Too dear"), ("要比较", "")]
    assert practice.get_scenario(sc and Store.get().id, "shop_fitter").title in ("装修公司", "Shop fitter")
    assert AuditLog.select().where(AuditLog.action == "practice.scenario_add").count() == 1
    with pytest.raises(DomainError) as err:
        practice.add_scenario(trainer, data)
    assert err.value.key == "err.practice_code_taken"
    with pytest.raises(DomainError):
        practice.add_scenario(actor("1001", "1111"), data | {"code": "other"})  # staff may not


# -- sessions and objective scoring ------------------------------------------------------------

def test_objective_points_are_scored_from_the_trainees_records(marked, fixed_clock):
    trainer, trainee = actor("8001", "8888"), actor("1001", "1111")
    s = practice.start_session(trainer, staff_id("1001"), "restaurant_kitchen")
    made = journey(trainee)
    s = practice.end_session(trainer, s.id)
    assert s.visit_ids == [made["visit"]] and s.quote_ids == [made["quote"]] and s.sale_ids == [made["sale"]]
    items = {i.code: i for i in practice.score_card(s.store_id, s.id).objective.items}
    assert items["signal"].status == "met" and items["signal_match"].status == "met"
    assert (items["greeting"].points, items["greeting"].max_points) == (6, 6)
    assert (items["needs"].points, items["needs"].max_points) == (5, 6)
    assert items["needs"].missing == ("notes",)
    assert items["quote"].status == "met" and items["quote"].params["how"] == t("practice.quote_within")
    assert items["checks"].status == "met" and items["checks"].params["overrides"] == 0
    assert items["follow_up"].status == "missed"  # a walk-in sale: nothing scheduled, no come-back date
    assert items["approach_time"].status == "met" and items["approach_time"].params["seconds"] == 20
    assert (s.objective_points, s.objective_max) == (16, 18)  # follow-up now counts (missed)
    stages = [st.stage for st in practice.score_card(s.store_id, s.id).steps]
    for stage in ("session", "approach", "needs", "quote", "checkout"):
        assert stage in stages
    times = [st.at for st in practice.score_card(s.store_id, s.id).steps]
    assert times == sorted(times)


def test_signal_details_show_in_the_language_of_the_card_not_of_the_end(marked, fixed_clock):
    from storepos.i18n import get_language, set_language

    trainer, trainee = actor("8001", "8888"), actor("1001", "1111")
    was = get_language()
    try:
        set_language("en")
        s = practice.start_session(trainer, staff_id("1001"), "eye_contact_browser")
        journey(trainee, signal="gazes_long", sell=False)
        s = practice.end_session(trainer, s.id)
        set_language("zh_CN")
        items = {i.code: i for i in practice.score_card(s.store_id, s.id).objective.items}
        zh = {e.code: e.label for e in sop.entries("approach", "signals")}
        assert zh["gazes_long"] in items["signal"].detail
        assert zh["eyes_meet"] in items["signal_match"].detail and zh["gazes_long"] in items["signal_match"].detail
        set_language("en")
        en = {e.code: e.label for e in sop.entries("approach", "signals")}
        assert en["gazes_long"] in items["signal"].detail and en != zh
    finally:
        set_language(was)


def test_what_was_missed_is_listed(marked, fixed_clock):
    trainer, trainee = actor("8001", "8888"), actor("1001", "1111")
    s = practice.start_session(trainer, staff_id("1001"), "eye_contact_browser")
    journey(trainee, signal="gazes_long", greeting=3, approach_after=90, needs={"spec": "空气炸锅"},
            come_back="+3")
    s = practice.end_session(trainer, s.id)
    card = practice.score_card(s.store_id, s.id)
    items = {i.code: i for i in card.objective.items}
    assert items["signal_match"].status == "missed"
    assert items["greeting"].status == "partial" and len(items["greeting"].missing) == 3
    assert items["needs"].points == 1
    assert items["quote"].status == "missed" and items["checks"].status == "missed"
    assert items["follow_up"].status == "met" and items["follow_up"].params["date"] == "2026-03-05"
    assert items["approach_time"].status == "missed"
    missed = "\n".join(card.missed)
    for label in (t("practice.obj_signal_match"), t("practice.obj_quote"),
                  t("practice.obj_approach_time")):
        assert label in missed
    assert practice.sop_label("approach", "greeting", items["greeting"].missing[0]) in missed


def test_quote_beyond_authority_counts_with_the_managers_approval(marked, fixed_clock):
    from storepos.services.core import approvals

    trainer, trainee = actor("8001", "8888"), actor("1001", "1111")
    s = practice.start_session(trainer, staff_id("1001"), "hotel_fridges_discount")
    q = quotes.create(trainee)
    line = quotes.add_line(trainee, q.id, Product.get(Product.sku == "KC-0002").id, 4)
    quotes.set_line_discount(trainee, line.id, "8")
    with pytest.raises(DomainError):
        quotes.give(trainee, q.id)
    appr = approvals.grant(trainee, "discount", "9001", "9999", "hotel volume", entity="quote", entity_id=q.id)
    quotes.attach_approval(trainee, q.id, appr.id, line_id=line.id)
    quotes.give(trainee, q.id)
    s = practice.end_session(trainer, s.id)
    item = next(i for i in practice.score_card(s.store_id, s.id).objective.items if i.code == "quote")
    assert item.status == "met" and item.params["how"] == t("practice.quote_approved")
    assert "approval.discount" in [st.action for st in practice.score_card(s.store_id, s.id).steps]


def test_records_outside_the_window_or_by_others_do_not_count(marked, fixed_clock):
    trainer, trainee, other = actor("8001", "8888"), actor("1001", "1111"), actor("1002", "2222")
    journey(trainee, sell=False)  # before the session
    fixed_clock.advance(minutes=10)
    s = practice.start_session(trainer, staff_id("1001"), "restaurant_kitchen")
    journey(other, sell=False)  # someone else during it
    s = practice.end_session(trainer, s.id)
    assert s.visit_ids == [] and s.quote_ids == [] and s.objective_points == 0


def test_one_running_session_per_trainee_and_not_oneself(marked):
    trainer = actor("8001", "8888")
    practice.start_session(trainer, staff_id("1001"), "restaurant_kitchen")
    with pytest.raises(DomainError) as err:
        practice.start_session(trainer, staff_id("1001"), "cafe_coffee_machine")
    assert err.value.key == "err.practice_already_running" and err.value.field == "trainee"
    with pytest.raises(DomainError) as err:
        practice.start_session(trainer, staff_id("8001"), "cafe_coffee_machine")
    assert err.value.field == "trainee"
    with pytest.raises(DomainError) as err:
        practice.start_session(trainer, staff_id("1002"), "no_such")
    assert err.value.field == "scenario"
    with pytest.raises(DomainError):
        practice.start_session(actor("1002", "2222"), staff_id("1001"), "restaurant_kitchen")  # staff may not


def test_session_rows_name_the_trainee_and_the_scenario_newest_first(marked, fixed_clock):
    trainer = actor("8001", "8888")
    first = practice.start_session(trainer, staff_id("1001"), "restaurant_kitchen")
    practice.score_session(trainer, first.id, GOOD)
    fixed_clock.advance(minutes=5)
    second = practice.start_session(trainer, staff_id("1002"), "cafe_coffee_machine")
    cancelled = practice.start_session(trainer, staff_id("1001"), "home_rice_cooker")
    practice.cancel_session(trainer, cancelled.id)
    rows = practice.session_rows(Store.get().id)
    assert [r.id for r in rows] == [second.id, first.id]  # newest first, the cancelled one left out
    new, old = rows
    assert (new.trainee_code, new.trainee_name) == ("1002", Staff.get(Staff.code == "1002").name)
    assert new.scenario_title == practice.get_scenario(Store.get().id, "cafe_coffee_machine").title
    assert new.status == "running" and new.objective == "—" and new.rubric_total is None
    assert old.status == "scored" and old.rubric_total == 20
    assert old.objective == f"{old.objective_points}/{old.objective_max}"
    assert [r.id for r in practice.session_rows(Store.get().id, trainee_id=staff_id("1002"))] == [second.id]


# -- rubric ------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad, key", [("0", "err.practice_score_range"), ("6", "err.practice_score_range"),
                                      ("", "err.practice_score_required"), ("a", "err.practice_score_range"),
                                      ("3.5", "err.practice_score_range"), ("-1", "err.practice_score_range")])
def test_rubric_scores_are_1_to_5_with_the_message_beside_the_field(marked, bad, key):
    trainer = actor("8001", "8888")
    s = practice.start_session(trainer, staff_id("1001"), "restaurant_kitchen")
    with pytest.raises(DomainError) as err:
        practice.score_session(trainer, s.id, GOOD | {"negotiation": {"score": bad, "comment": "x"}})
    assert err.value.key == key and err.value.field == "score_negotiation"
    assert RubricScore.select().count() == 0
    assert PracticeSession.get_by_id(s.id).status == "running"


def test_rubric_scored_ends_the_session_and_replaces_on_rescoring(marked):
    trainer = actor("8001", "8888")
    s = practice.start_session(trainer, staff_id("1001"), "restaurant_kitchen")
    with pytest.raises(DomainError) as err:
        practice.score_session(trainer, s.id, GOOD | {"sales_plan": {"score": "5", "comment": "x" * 501}})
    assert err.value.field == "comment_sales_plan"
    s = practice.score_session(trainer, s.id, GOOD | {"sales_plan": {"score": "５", "comment": "clear plan"}})
    assert s.status == "scored" and s.rubric_total == 21 and s.ended_at is not None
    s = practice.score_session(trainer, s.id, GOOD)
    assert s.rubric_total == 20 and RubricScore.select().count() == 5
    card = practice.score_card(s.store_id, s.id)
    assert [r.score for r in card.rubric] == [4] * 5 and card.rubric_total == 20


# -- progress ----------------------------------------------------------------------------------

def _scored_sessions(fixed_clock, series: list[int]) -> None:
    trainer, trainee = actor("8001", "8888"), actor("1001", "1111")
    for n in series:
        s = practice.start_session(trainer, staff_id("1001"), "home_rice_cooker")
        journey(trainee, sell=False)
        practice.score_session(trainer, s.id, GOOD | {"negotiation": {"score": str(n), "comment": ""}})
        fixed_clock.advance(days=1)


def test_progress_per_rubric_area_over_time(marked, fixed_clock):
    _scored_sessions(fixed_clock, [2, 3, 5])
    prog = practice.progress(Store.get().id, staff_id("1001"))
    assert len(prog.rows) == 3
    neg = next(a for a in prog.areas if a.code == "negotiation")
    assert neg.series == (2, 3, 5) and neg.latest == 5 and neg.change == 3 and neg.average == Decimal("3.3")
    plan = next(a for a in prog.areas if a.code == "sales_plan")
    assert plan.series == (4, 4, 4) and plan.change == 0
    assert [r.rubric_total for r in prog.rows] == [18, 19, 21]
    assert len(prog.objective_series) == 3 and all(0 < p < 100 for p in prog.objective_series)
    assert practice.progress(Store.get().id, staff_id("1002")).rows == ()


def test_progress_exports_csv_to_home_exports(marked, fixed_clock):
    _scored_sessions(fixed_clock, [2, 4])
    path = practice.export_progress_csv(actor("8001", "8888"), marked.home, staff_id("1001"))
    assert path.parent == Path(marked.home) / "exports" and path.name.startswith("practice-progress-1001-")
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    assert [r["negotiation"] for r in rows] == ["2", "4"]
    assert rows[0]["trainee_code"] == "1001" and rows[0]["scenario"] == "home_rice_cooker"
    everyone = practice.export_progress_csv(actor("8001", "8888"), marked.home)
    assert "practice-progress-all-" in everyone.name


def test_latest_scores_read_the_practice_file_from_the_live_app(demo, tmp_path, fixed_clock):
    _close()
    psettings = demo.model_copy(update={"practice": True, "practice_db": str(tmp_path / "practice.db")})
    practice.prepare(psettings)
    _scored_sessions(fixed_clock, [2, 5])
    _close()
    open_store_database(demo)  # the live app, bound to live
    got = practice.latest_scores(["1001", "1002"], target=psettings)
    assert set(got) == {"1001"}
    assert got["1001"].sessions == 2 and got["1001"].latest["negotiation"] == 5
    assert got["1001"].average["negotiation"] == Decimal("3.5") and got["1001"].scenario == "home_rice_cooker"
    assert practice.latest_scores(["1001"], target=str(tmp_path / "none.db")) == {}
    assert practice.latest_scores([], target=psettings) == {}
    assert Store.select().count() == 1  # still the live database bound


# -- the CLI restarts between live and practice --------------------------------------------------

def test_cli_restarts_the_app_into_practice_and_back(demo, monkeypatch, tmp_path):
    from storepos import cli
    from storepos.ui import app as app_module

    _close()
    runs: list[tuple[bool, str]] = []
    results = iter([app_module.RESTART_PRACTICE, app_module.RESTART_LIVE, None])

    class FakeApp:
        return_code = 0

        def __init__(self, settings):
            self.settings = settings

        def run(self):
            runs.append((self.settings.practice, practice.is_practice_db()))
            return next(results)

    monkeypatch.setattr(app_module, "make_app", FakeApp)
    s = demo.model_copy(update={"practice_db": str(tmp_path / "p.db")})
    assert cli._run_app(s) == 0
    assert runs == [(False, False), (True, True), (False, False)]
