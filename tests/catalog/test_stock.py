"""The stock ledger: moves keep product quantities in step; guarded decrements; FIFO batches;
expiry listing; counts with manager approval; defective stock; home figures."""

from __future__ import annotations

import datetime as dt

import pytest

from storepos.models import Approval, AuditLog, Batch, Product, StockMove, Store
from storepos.services.core import approvals
from storepos.services import catalog, home
from storepos.services.core.errors import DomainError, NotFound, PermissionDenied
from storepos.services.core.store import update_settings


def _pid(sku: str) -> int:
    return Product.get(Product.sku == sku).id


def _stock(pid: int) -> int:
    return Product.get_by_id(pid).stock


def test_receive_sale_return_adjust_keep_ledger_consistent(staff_actor, manager_actor):
    pid = _pid("KC-0004")
    start = _stock(pid)
    catalog.receive(staff_actor, [{"product_id": pid, "qty": 5}], "DN-1")
    res = catalog.apply_move(staff_actor, pid, -4, "sale", "R-0001")
    assert res.stock == start + 1 and _stock(pid) == start + 1
    catalog.apply_move(staff_actor, pid, 1, "return", "R-0002")
    catalog.adjust(manager_actor, pid, -2, "broken in the store room")
    assert _stock(pid) == start
    moves = [(m.reason, m.qty) for m in StockMove.select().where(StockMove.product == pid).order_by(StockMove.id)]
    assert moves[1:] == [("receive", 5), ("sale", -4), ("return", 1), ("adjustment", -2)]
    assert sum(q for _, q in moves) == start
    assert catalog.ledger_problems() == []
    assert AuditLog.select().where(AuditLog.action == "stock.receive").count() == 1


def test_sale_beyond_stock_is_refused_and_writes_nothing(staff_actor):
    pid = _pid("KC-0004")
    have = _stock(pid)
    n = StockMove.select().count()
    with pytest.raises(DomainError) as err:
        catalog.apply_move(staff_actor, pid, -(have + 2), "sale", "R-1")
    assert err.value.key == "err.stock_short"
    assert (err.value.params["available"], err.value.params["short"]) == (have, 2)
    assert "2 short" in err.value.message
    assert _stock(pid) == have and StockMove.select().count() == n
    res = catalog.apply_move(staff_actor, pid, -(have + 2), "sale", "R-1", allow_negative=True)
    assert res.stock == -2 and catalog.ledger_problems() == []


def test_unknown_product_and_other_store(staff_actor):
    with pytest.raises(NotFound):
        catalog.apply_move(staff_actor, 999_999, -1, "sale")
    with pytest.raises(ValueError):
        catalog.apply_move(staff_actor, _pid("KC-0004"), -1, "stolen")


def test_fifo_takes_earliest_expiry_first_then_unbatched(staff_actor, fixed_clock):
    pid = _pid("KC-0005")
    base = _stock(pid)  # opening stock came without a batch
    catalog.receive(staff_actor, [{"product_id": pid, "qty": 3, "batch": "LATE", "expiry": "2026-09-01"}])
    fixed_clock.advance(days=1)
    catalog.receive(staff_actor, [{"product_id": pid, "qty": 2, "batch": "EARLY", "expiry": "2026-05-01"},
                                  {"product_id": pid, "qty": 4, "batch": "NODATE"}])
    assert [b.code for b in catalog.batches_of(pid)] == ["EARLY", "LATE", "NODATE"]
    res = catalog.apply_move(staff_actor, pid, -4, "sale", "R-9")
    assert [(code, q) for _, code, q in res.batches] == [("EARLY", -2), ("LATE", -2)]
    assert len(res.moves) == 2
    res = catalog.apply_move(staff_actor, pid, -(1 + 4 + 1), "sale", "R-10")
    assert [(code, q) for _, code, q in res.batches] == [("LATE", -1), ("NODATE", -4)]
    assert sum(m.qty for m in StockMove.select().where(StockMove.id.in_(res.moves), StockMove.batch.is_null())) == -1
    assert catalog.batches_of(pid) == []
    # a return to its batch puts the unit back there
    catalog.apply_move(staff_actor, pid, 1, "return", "R-10", batch="LATE")
    assert Batch.get(Batch.code == "LATE").qty_left == 1
    assert _stock(pid) == base + 9 - 10 + 1
    assert catalog.ledger_problems() == []


def test_receive_rejects_bad_lines_and_writes_nothing(staff_actor):
    pid = _pid("KC-0005")
    n = StockMove.select().count()
    for line, field, key in [({"qty": 0}, "qty", "err.too_small"),
                             ({"qty": "x"}, "qty", "err.not_a_whole_number"),
                             ({"qty": 1, "expiry": "2026-13-01"}, "expiry", "err.bad_date"),
                             ({"qty": 1, "expiry": "2026-03-01"}, "expiry", "err.expiry_past")]:
        with pytest.raises(DomainError) as err:
            catalog.receive(staff_actor, [{"product_id": pid, "qty": 2}, {"product_id": pid} | line])
        assert (err.value.field, err.value.key, err.value.params["line"]) == (field, key, 2)
    assert StockMove.select().count() == n


def test_expiring_lists_expired_and_soon_expiring_batches(staff_actor, manager_actor, fixed_clock):
    a, b = _pid("KC-0006"), _pid("KC-0007")
    catalog.receive(staff_actor, [{"product_id": a, "qty": 2, "batch": "OLD", "expiry": "2026-03-10"},
                                  {"product_id": b, "qty": 1, "batch": "SOON", "expiry": "2026-03-20"},
                                  {"product_id": b, "qty": 1, "batch": "FAR", "expiry": "2027-01-01"}])
    fixed_clock.advance(days=10)  # business date 2026-03-12
    items = catalog.expiring(staff_actor.store_id, 30)
    assert [(i.code, i.expired, i.days_left) for i in items] == [("OLD", True, -2), ("SOON", False, 8)]
    assert [i.code for i in catalog.expiring(staff_actor.store_id, 0)] == ["OLD"]
    figs = {f.key: f for f in home.glance(staff_actor)}
    assert figs["home.glance_expiring"].value == "2" and figs["home.glance_expiring"].alert
    assert any("expired" in n for n in home.notices(staff_actor))
    # a sold-out batch is no longer listed
    catalog.adjust(manager_actor, a, -2, "expired, thrown away", batch="OLD")
    assert [i.code for i in catalog.expiring(staff_actor.store_id, 30)] == ["SOON"]


def test_low_stock_figure_follows_threshold(manager_actor):
    sid = manager_actor.store_id
    update_settings(manager_actor, {"low_stock_threshold": 0})
    zero = Product.select().where(Product.store == sid, Product.active == True, Product.stock <= 0).count()  # noqa: E712
    figs = {f.key: f.value for f in home.glance(manager_actor)}
    assert figs["home.glance_low_stock"] == str(zero)
    pid = _pid("KC-0001")
    catalog.apply_move(manager_actor, pid, -_stock(pid), "sale")
    assert {f.key: f.value for f in home.glance(manager_actor)}["home.glance_low_stock"] == str(zero + 1)
    assert pid in [p.id for p in catalog.low_stock(sid)]


def test_count_small_difference_recorded_big_one_needs_manager(staff_actor, manager_actor):
    pid = _pid("KC-0002")
    have = _stock(pid)
    check = catalog.check_count(staff_actor, pid, have - 1)
    assert (check.diff, check.needs_approval) == (-1, False)
    catalog.record_count(staff_actor, pid, have - 1)
    assert _stock(pid) == have - 1
    big = have - 1 + 50
    assert catalog.check_count(staff_actor, pid, big).needs_approval
    with pytest.raises(DomainError) as err:
        catalog.record_count(staff_actor, pid, big)
    assert (err.value.key, err.value.field) == ("err.count_needs_approval", "counted")
    approval = approvals.grant(staff_actor, "stock_count", "9001", "9999", "delivery not booked",
                               entity="product", entity_id=pid, detail={"counted": big})
    other = approvals.grant(staff_actor, "stock_count", "9001", "9999", "x", entity="product",
                            entity_id=pid, detail={"counted": big + 1})
    with pytest.raises(DomainError):  # approved for another figure
        catalog.record_count(staff_actor, pid, big, approval_id=other.id)
    catalog.record_count(staff_actor, pid, big, approval_id=approval.id)
    assert _stock(pid) == big
    assert [m.reason for m in StockMove.select().where(StockMove.product == pid).order_by(StockMove.id)][-2:] == \
        ["count", "count"]
    # a manager's own count needs no second PIN
    assert not catalog.check_count(manager_actor, pid, 0).needs_approval
    with pytest.raises(DomainError) as err:
        catalog.record_count(staff_actor, pid, "-3")
    assert err.value.field == "counted"
    assert catalog.ledger_problems() == []


def test_defective_location_is_not_sellable(staff_actor, manager_actor):
    pid = _pid("KC-0003")
    have = _stock(pid)
    res = catalog.move_to_defective(staff_actor, pid, 2, "dented on delivery")
    p = Product.get_by_id(pid)
    assert (p.stock, p.defective, res.stock) == (have - 2, 2, 2)
    with pytest.raises(DomainError) as err:
        catalog.apply_move(staff_actor, pid, -(have - 1), "sale")
    assert err.value.key == "err.stock_short"
    with pytest.raises(DomainError) as err:
        catalog.move_to_defective(staff_actor, pid, 1, "  ")
    assert err.value.field == "reason"
    with pytest.raises(PermissionDenied):
        catalog.dispose_defective(staff_actor, pid, 1, "scrap")
    catalog.dispose_defective(manager_actor, pid, 2, "scrapped")
    assert Product.get_by_id(pid).defective == 0
    # a broken return can go straight to the defective location
    catalog.apply_move(staff_actor, pid, 1, "return", "R-5", location="defective")
    assert Product.get_by_id(pid).defective == 1
    assert catalog.ledger_problems() == []


def test_ledger_check_finds_a_silent_overwrite(staff_actor):
    pid = _pid("KC-0001")
    Product.update(stock=Product.stock + 1).where(Product.id == pid).execute()
    problems = catalog.ledger_problems()
    assert len(problems) == 1 and "KC-0001" in problems[0]


def test_trainer_cannot_receive(trainer_actor):
    with pytest.raises(PermissionDenied):
        catalog.receive(trainer_actor, [{"product_id": _pid("KC-0001"), "qty": 1}])
    assert Store.select().count() == 1 and Approval.select().count() == 0
    assert catalog.find_by_code(trainer_actor.store_id, "KC-0001") is not None


def test_receive_date_forms(staff_actor):
    pid = _pid("KC-0008")
    catalog.receive(staff_actor, [{"product_id": pid, "qty": 1, "expiry": "20261231"}])
    b = Batch.get(Batch.product == pid)
    assert (b.code, b.expiry) == ("EXP20261231", dt.date(2026, 12, 31))
