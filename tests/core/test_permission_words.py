"""Refusals in words (issue 18 point 10): every guarded action has a name in both languages, and a
refusal says what may not be done and which roles can."""

from __future__ import annotations

import pytest

from storepos.i18n import catalog, t
from storepos.services.core.context import Actor
from storepos.services.core.errors import PermissionDenied
from storepos.services.core.permissions import PERMISSIONS, refusal, require, roles_for


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_action_has_a_name_and_every_role_a_word_in_both_languages(lang):
    words = catalog(lang)
    missing = [a for a in PERMISSIONS if f"perm.{a}" not in words]
    assert missing == []
    roles = {r for rs in PERMISSIONS.values() for r in rs}
    assert all(f"perm_role.{r}" in words for r in roles)


@pytest.mark.parametrize("action", sorted(PERMISSIONS))
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_refusal_names_the_action_and_the_roles_never_the_code(action, lang):
    from storepos.i18n import get_language, set_language

    before = get_language()
    set_language(lang)
    try:
        text = refusal(action).message
        assert action not in text and "⟦" not in text and "{" not in text
        assert t(f"perm.{action}") in text
        for role in roles_for(action):
            assert t(f"perm_role.{role}") in text
    finally:
        set_language(before)


def test_a_salesperson_refused_an_import_is_told_only_a_manager_can():
    from storepos.i18n import get_language, set_language

    actor = Actor(staff_id=1, store_id=1, role="staff", code="1001", name="Lily", terminal="T1")
    with pytest.raises(PermissionDenied) as exc:
        require(actor, "catalog.import")
    before = get_language()
    set_language("en")
    try:
        assert exc.value.message == "Only a manager can import products."
        set_language("zh_CN")
        assert exc.value.message == "只有店长可以导入商品。"  # the language shown at the time
        assert refusal("practice.use").message == "只有店长或培训师可以组织练习。"
    finally:
        set_language(before)
