"""Property-based tests of the form fields, each example on a database of its own.

- Any text typed into a kit field replaces the prefill and is what the form hands its service,
  exactly (brackets, CJK, emoji, U+3000 included); after Esc the draft gives it back for editing.
- What the product, customer and staff forms send to their services is either kept exactly as
  typed (after trimming) or refused with a message beside one of the form's fields and nothing
  written — every example on a fresh copy of the demo store, so no example sees another's rows
  and every example is checked (none returns early once one was accepted).
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from support import type_text
from hypothesis import strategies as st

from storepos.models import ALL_MODELS, Meta
from storepos.services import catalog, customers, staff
from storepos.services.core.errors import DomainError
from storepos.services.core.store import find_store
from storepos.ui.kit.fields import Field
from storepos.ui.kit.form import FormModal

EXAMPLES = int(os.environ.get("STOREPOS_FUZZ_EXAMPLES", "25"))
PROPS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# What a counter keyboard and a Chinese input method can type into a one-line field.
typed = st.text(alphabet=st.one_of(
    st.characters(codec="utf-8", categories=("L", "N", "P", "S")),
    st.sampled_from(list("[]/\\{}%$#@!'\"<>") + ["\u3000", "咖", "啡", "😀", " "])),
    min_size=1, max_size=24).filter(lambda s: s[0] != " ")
names = st.one_of(typed, st.sampled_from(["Pot [/b] [red]x", "[/bold]", "咖啡机😀", "全角\u3000空格",
                                          "\u202eRTL", "a" * 60, "长" * 100]))
prefills = st.sampled_from(["", "1", "0", "2026-03-02", "¥1,200.00"])


def _rows() -> tuple:
    head = Meta.get_or_none(Meta.key == "audit_head")
    return tuple(m.select().count() for m in ALL_MODELS) + (head.value if head else None,)


class OneField(FormModal[dict]):
    def __init__(self, prefill: str, **kw: Any) -> None:
        super().__init__(**kw)
        self.prefill = prefill

    def fields(self):
        return [Field("value", "catalog.reason", value=self.prefill, max_length=200)]

    def save(self, values):
        return values


async def _type_into_form(prefill: str, text: str, draft: dict) -> list[Any]:
    from textual.app import App

    class Host(App[None]):
        results: list[Any] = []

        def on_mount(self) -> None:
            self.push_screen(OneField(prefill, draft=draft), self.results.append)

    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, text)
        await pilot.press("escape")  # kept in the draft
        await pilot.pause()
        app.push_screen(OneField(prefill, draft=draft), app.results.append)
        await pilot.pause()
        await pilot.press("end", "!", "enter")  # the draft comes back for editing, not replaced
        await pilot.pause()
        return app.results


@settings(PROPS, max_examples=max(5, EXAMPLES // 3))  # an app per example: fewer, each one whole
@given(prefill=prefills, text=typed)
def test_any_text_typed_replaces_the_prefill_and_reaches_the_service_exactly(prefill, text):
    draft: dict[str, Any] = {}
    results = asyncio.run(_type_into_form(prefill, text, draft))
    assert results[0] is None
    assert results[1] == {"value": text + "!"}
    assert draft == {}


def _refused_beside(exc: DomainError, fields: set[str]) -> None:
    assert exc.message and not exc.message.startswith("err.")
    assert exc.field in fields, f"{exc.key} names {exc.field!r}, not a field of the form"


PRODUCT_FIELDS = {"sku", "barcode", "extra_barcodes", "name_zh", "name_en", "category", "unit", "price",
                  "floor_price", "active"}


@PROPS
@given(name=names, sku=typed, price=st.one_of(typed, st.sampled_from(["0.01", "999999.99", "1e309", "-1",
                                                                       "１２.５０", "1,000"])))
def test_product_form_keeps_what_was_typed_or_refuses_beside_a_field(fresh_demo, name, sku, price):
    with fresh_demo():
        store = find_store("S001")
        manager = staff.login(store.id, "9001", "9999", "T1")
        data = {"sku": sku, "barcode": "", "extra_barcodes": "", "name_zh": name, "name_en": name,
                "category": "", "unit": "个", "price": price, "floor_price": "", "active": True}
        before = _rows()
        try:
            pid = catalog.create_product(manager, data)
        except DomainError as exc:
            _refused_beside(exc, PRODUCT_FIELDS)
            assert _rows() == before, "refused but wrote something"
            return
        view = catalog.product_view(catalog.get_product(store.id, pid))
        assert view["name_zh"] == name.strip() and view["sku"] == sku.strip().upper() or view["sku"] == sku.strip()


CUSTOMER_FIELDS = {"name", "phone", "segment", "address", "notes", "credit_limit", "credit_days"}


@PROPS
@given(name=names, phone=st.one_of(typed, st.sampled_from(["13812345678", "+86 138 1234 5678", "１３８１２３４５６７８",
                                                           "020-83456789", "12345"])), notes=typed)
def test_customer_form_keeps_what_was_typed_or_refuses_beside_a_field(fresh_demo, name, phone, notes):
    with fresh_demo():
        store = find_store("S001")
        seller = staff.login(store.id, "1001", "1111", "T1")
        before = _rows()
        try:
            c = customers.create(seller, {"name": name, "phone": phone, "segment": "retail", "address": "",
                                          "notes": notes}, confirm_duplicate=True)
        except DomainError as exc:
            _refused_beside(exc, CUSTOMER_FIELDS)
            assert _rows() == before, "refused but wrote something"
            return
        assert customers.get(store.id, c.id).name == name.strip()
        assert customers.get(store.id, c.id).notes == notes.strip()


STAFF_FIELDS = {"code", "name", "role", "discount_authority", "language", "pin"}


@PROPS
@given(code=typed, name=names, authority=st.one_of(typed, st.sampled_from(["0", "150", "015", "１５", "-1", "100"])),
       pin=st.sampled_from(["1234", "12", "１２３４", "abcd", "123456789"]))
def test_staff_form_keeps_what_was_typed_or_refuses_beside_a_field(fresh_demo, code, name, authority, pin):
    with fresh_demo():
        store = find_store("S001")
        manager = staff.login(store.id, "9001", "9999", "T1")
        before = _rows()
        try:
            s = staff.create_staff(manager, {"code": code, "name": name, "role": "staff",
                                             "discount_authority": authority, "language": "zh_CN"}, pin)
        except DomainError as exc:
            _refused_beside(exc, STAFF_FIELDS)
            assert _rows() == before, "refused but wrote something"
            return
        assert s.name == name.strip() and 0 <= s.discount_authority <= 100
        assert staff.login(store.id, s.code, pin, "T1").staff_id == s.id
