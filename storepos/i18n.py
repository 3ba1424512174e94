"""Message catalogs (zh_CN, en) and the current language.

Catalogs are TOML files under storepos/locales/<lang>/ (one per area); nested tables flatten to
dotted keys: ``[login] title = "..."`` is ``t("login.title")``.  Text with ``{name}`` placeholders
is formatted with the keyword arguments of :func:`t`.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
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
    """The language's words, flattened.  Parsing the TOML files costs a start ~45 ms (tomllib is
    pure Python); their flattened form is kept as JSON beside them (locales/__pycache__, as Python
    keeps its bytecode), named by the files' sizes and times, and read back in ~2 ms."""
    files = sorted((_LOCALES / lang).glob("*.toml"))
    stamp = hashlib.sha256(repr([(f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files]).encode())
    cached = _LOCALES / "__pycache__" / f"{lang}-{stamp.hexdigest()[:16]}.json"
    try:
        return dict(json.loads(cached.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass
    import tomllib

    out: dict[str, str] = {}
    for path in files:
        with path.open("rb") as fh:
            _flatten("", tomllib.load(fh), out)
    _keep(cached, out)
    return out


def _keep(cached: Path, words: dict[str, str]) -> None:
    """Write the flattened catalog for the next start; a read-only install just parses again."""
    try:
        cached.parent.mkdir(exist_ok=True)
        for old in cached.parent.glob(cached.name.split("-")[0] + "-*.json"):
            old.unlink(missing_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, cached)
    except OSError:
        pass


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
