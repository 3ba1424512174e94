"""Message catalogs (zh_CN, en) and the current language.

Catalogs are TOML files under storepos/locales/<lang>/ (one per area); nested tables flatten to
dotted keys: ``[login] title = "..."`` is ``t("login.title")``.  Text with ``{name}`` placeholders
is formatted with the keyword arguments of :func:`t`.
"""

from __future__ import annotations

import threading
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"
_LOCALES = Path(__file__).resolve().parent / "locales"

_state = threading.local()
_default = {"lang": DEFAULT_LANGUAGE}


def normalize_language(lang: str | None) -> str | None:
    """'zh', 'zh-CN', 'zh_CN.UTF-8' -> 'zh_CN'; 'en_US' -> 'en'; anything else -> None."""
    if not lang:
        return None
    code = lang.split(".")[0].replace("-", "_").lower()
    if code.startswith("zh"):
        return "zh_CN"
    if code.startswith("en"):
        return "en"
    return None


def _flatten(prefix: str, table: dict[str, Any], out: dict[str, str]) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(full, value, out)
        else:
            out[full] = str(value)


@cache
def catalog(lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted((_LOCALES / lang).glob("*.toml")):
        with path.open("rb") as fh:
            _flatten("", tomllib.load(fh), out)
    return out


def set_language(lang: str) -> str:
    """Set the process-wide language; returns the normalised code."""
    code = normalize_language(lang) or DEFAULT_LANGUAGE
    _default["lang"] = code
    _state.lang = code
    return code


def get_language() -> str:
    return getattr(_state, "lang", None) or _default["lang"]


def has(key: str, lang: str | None = None) -> bool:
    return key in catalog(lang or get_language())


def t(key: str, lang: str | None = None, /, **params: Any) -> str:
    """Translate *key*; a missing key shows as ⟦key⟧ so tests and users notice."""
    text = catalog(lang or get_language()).get(key)
    if text is None:
        text = catalog("en").get(key)
        if text is None:
            return f"⟦{key}⟧"
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def pick(zh: str | None, en: str | None, lang: str | None = None) -> str:
    """Choose between a record's Chinese and English text for the current language."""
    if (lang or get_language()) == "zh_CN":
        return zh or en or ""
    return en or zh or ""
