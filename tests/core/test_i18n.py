"""Both catalogs complete; every key the code uses exists; no screen shows a raw key."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from storepos.i18n import LANGUAGES, catalog, t

SRC = Path(__file__).resolve().parents[2] / "storepos"


def test_catalogs_have_the_same_keys():
    zh, en = set(catalog("zh_CN")), set(catalog("en"))
    assert sorted(zh - en) == [], "keys only in zh_CN"
    assert sorted(en - zh) == [], "keys only in en"


def test_placeholders_match_between_languages():
    pat = re.compile(r"{(\w+)}")
    for key, en_text in catalog("en").items():
        assert set(pat.findall(en_text)) == set(pat.findall(catalog("zh_CN")[key])), key


def _literal_keys() -> set[str]:
    """String literals passed to t() and i18n keys in BINDINGS / FormField / Area across the code."""
    keys: set[str] = set()
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                args = node.args
                if name in ("t", "DomainError", "NotFound", "PermissionDenied", "FormField", "MoneyError",
                            "UsageError") and args:
                    first = args[0]
                    if isinstance(first, ast.Constant) and isinstance(first.value, str) and re.fullmatch(
                            r"[a-z_]+(\.[a-z0-9_]+)+", first.value):
                        keys.add(first.value)
                if name == "Binding" and len(args) >= 3 and isinstance(args[2], ast.Constant):
                    if isinstance(args[2].value, str) and "." in args[2].value:
                        keys.add(args[2].value)
                for kw in node.keywords:
                    if kw.arg in ("label", "help") and isinstance(kw.value, ast.Constant) and \
                            isinstance(kw.value.value, str) and re.fullmatch(r"[a-z_]+(\.[a-z0-9_]+)+", kw.value.value):
                        keys.add(kw.value.value)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("err.") \
                    and re.fullmatch(r"err\.[a-z0-9_]+", node.value):
                keys.add(node.value)
    return keys


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_used_in_code_exists(lang):
    missing = sorted(k for k in _literal_keys() if k not in catalog(lang))
    assert missing == []


def test_missing_key_shows_marker_not_crash():
    assert t("no.such.key") == "⟦no.such.key⟧"


def test_chinese_texts_address_the_user_as_nin_never_ni():
    """One form of address in the Chinese UI: 您.  (The practice scenarios' customer lines in
    fixtures/ may say 你们: a customer speaking.)"""
    informal = sorted(key for key, text in catalog("zh_CN").items() if "你" in text)
    assert informal == []


def test_english_texts_use_english_punctuation():
    full_width = re.compile("[，。：；！？（）、]")
    found = sorted(key for key, text in catalog("en").items() if full_width.search(text))
    assert found == []


def test_the_catalog_is_read_back_from_its_json_and_follows_an_edited_file(tmp_path, monkeypatch):
    import shutil

    from storepos import i18n

    locales = tmp_path / "locales"
    shutil.copytree(i18n._LOCALES / "en", locales / "en")
    monkeypatch.setattr(i18n, "_LOCALES", locales)
    i18n.catalog.cache_clear()
    try:
        parsed = i18n.catalog("en")
        kept = list((locales / "__pycache__").glob("en-*.json"))
        assert len(kept) == 1
        i18n.catalog.cache_clear()
        assert i18n.catalog("en") == parsed  # read back from the JSON
        core = locales / "en" / "core.toml"
        core.write_text(core.read_text(encoding="utf-8") + '\n[zz_test]\nword = "fresh"\n', encoding="utf-8")
        i18n.catalog.cache_clear()
        assert i18n.catalog("en")["zz_test.word"] == "fresh"  # the edit is seen, not the stale copy
        assert len(list((locales / "__pycache__").glob("en-*.json"))) == 1  # the old copy went
        (locales / "__pycache__").chmod(0o500)
        i18n.catalog.cache_clear()
        assert i18n.catalog("en")["zz_test.word"] == "fresh"  # a read-only install still works
    finally:
        (locales / "__pycache__").chmod(0o700)
        monkeypatch.undo()
        i18n.catalog.cache_clear()
