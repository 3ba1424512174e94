"""Customers: phone validation, finding, numbering, the duplicate warning, manager-only credit."""

from __future__ import annotations

import pytest

from storepos.models import AuditLog, Customer
from storepos.services import customers, visits
from storepos.services.core.errors import DomainError, PermissionDenied


@pytest.mark.parametrize("typed, stored", [
    ("13812345678", "13812345678"),
    ("１３８ １２３４ ５６７８", "13812345678"),  # full-width digits and spaces
    ("+86 138-1234-5678", "13812345678"),
    ("020-83456789", "020-83456789"),
    ("(0757) 8123 4567", "0757-81234567"),
    ("010 6512 3456", "010-65123456"),
])
def test_phone_numbers_are_normalised(typed, stored):
    assert customers.normalize_phone(typed) == stored


@pytest.mark.parametrize("bad", ["12345678901", "1381234567", "138123456789", "12345678", "abc", "020-123"])
def test_bad_phone_numbers_are_refused(bad):
    with pytest.raises(ValueError, match="err.phone_format"):
        customers.normalize_phone(bad)


def test_find_by_chinese_fragment_phone_and_number(staff_actor):
    sid = staff_actor.store_id
    assert [c.number for c in customers.find(sid, "粤香")] == ["C0007"]
    assert "C0007" in [c.number for c in customers.find(sid, "餐饮")]
    assert [c.number for c in customers.find(sid, "13812345678")] == ["C0001"]
    assert [c.number for c in customers.find(sid, "5678")][0] == "C0001"
    assert [c.number for c in customers.find(sid, "c0003")] == ["C0003"]
    assert customers.find(sid, "zhangwei") == []  # no pinyin


def test_create_numbers_next_and_audits(staff_actor):
    c = customers.create(staff_actor, {"name": "赵丽", "phone": "13600001111", "segment": "retail"})
    assert c.number == "C0015" and c.phone == "13600001111"
    assert AuditLog.select().where(AuditLog.action == "customer.create", AuditLog.entity_id == str(c.id)).exists()


def test_bad_phone_refused_with_field_and_nothing_written(staff_actor):
    before = Customer.select().count()
    with pytest.raises(DomainError) as exc:
        customers.create(staff_actor, {"name": "赵丽", "phone": "1234"})
    assert exc.value.field == "phone" and exc.value.key == "err.phone_format"
    assert Customer.select().count() == before


def test_duplicate_phone_warns_until_confirmed(staff_actor):
    with pytest.raises(customers.DuplicateWarning) as exc:
        customers.create(staff_actor, {"name": "张先生", "phone": "138 1234 5678"})
    assert exc.value.field == "phone" and [c.number for c in exc.value.matches] == ["C0001"]
    assert "C0001" in exc.value.message
    c = customers.create(staff_actor, {"name": "张先生", "phone": "138 1234 5678"}, confirm_duplicate=True)
    assert c.number == "C0015"


@pytest.mark.parametrize("name", ["张伟", "张 伟", "粤香楼餐饮连锁公司", "珠江大酒店有限公司"])
def test_similar_name_warns(staff_actor, name):
    with pytest.raises(customers.DuplicateWarning) as exc:
        customers.create(staff_actor, {"name": name, "phone": "13600002222"})
    assert exc.value.field == "name"


def test_different_name_and_phone_no_warning(staff_actor):
    assert customers.create(staff_actor, {"name": "孙悟空", "phone": "13600003333"}).number == "C0015"


def test_credit_fields_are_manager_only(staff_actor, manager_actor):
    c = Customer.get(Customer.number == "C0001")
    with pytest.raises(PermissionDenied) as exc:
        customers.update(staff_actor, c.id, {"credit_limit": "5000", "credit_days": "30"})
    assert exc.value.field == "credit_limit"
    assert Customer.get_by_id(c.id).credit_limit == 0
    with pytest.raises(PermissionDenied):
        customers.create(staff_actor, {"name": "钱多多", "phone": "13600004444", "credit_limit": "100"})
    # staff may still change contact details (credit sent unchanged is fine)
    customers.update(staff_actor, c.id, {"address": "新地址", "credit_limit": "0.00", "credit_days": "0"})
    assert Customer.get_by_id(c.id).address == "新地址"
    customers.update(manager_actor, c.id, {"credit_limit": "5,000.50", "credit_days": "30"})
    c = Customer.get_by_id(c.id)
    assert (c.credit_limit, c.credit_days) == (500050, 30)
    row = AuditLog.select().where(AuditLog.action == "customer.update").order_by(AuditLog.id.desc()).first()
    assert row.after["credit_limit"] == 500050 and row.staff_id == manager_actor.staff_id


def test_history_lists_visits(staff_actor):
    c = Customer.get(Customer.number == "C0002")
    v = visits.start(staff_actor, customer_id=c.id)
    visits.set_outcome(staff_actor, v.id, "browsing")
    rows = customers.history(staff_actor.store_id, c.id)
    assert [(r.kind, r.ref) for r in rows] == [("visits", v.id)]
    assert "Just browsing" in rows[0].summary


def test_segments_are_shown_as_words_not_codes():
    from storepos.i18n import t
    from storepos.services.customers import SEGMENTS

    for seg in SEGMENTS:
        for lang in ("en", "zh_CN"):
            assert t(f"customer.segment_{seg}", lang) not in ("retail", "business")
