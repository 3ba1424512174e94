"""The products CSV file: its columns, the header names accepted, its encoding and its records.

Format (fixtures/demo/products.csv): ``sku,barcode,name_zh,name_en,category,unit,price,
floor_price,stock,active``; Chinese headers are accepted too (货号,条码,中文名,英文名,类别,单位,售价,
底价,库存,启用 and a few synonyms, see HEADERS).  UTF-8 with or without BOM, or GB18030 (what
Excel on a Chinese Windows writes), detected from the bytes.  Columns other than these are
ignored; sku, a name and price are required.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from storepos.services.core.errors import DomainError

COLUMNS = ("sku", "barcode", "name_zh", "name_en", "category", "unit", "price", "floor_price", "stock",
           "active")
HEADERS: dict[str, tuple[str, ...]] = {
    "sku": ("sku", "货号", "商品编码", "编码", "商品编号"),
    "barcode": ("barcode", "barcodes", "条码", "条形码", "商品条码"),
    "name_zh": ("name_zh", "中文名", "中文名称", "名称", "商品名称", "品名"),
    "name_en": ("name_en", "英文名", "英文名称", "name"),
    "category": ("category", "类别", "分类", "品类"),
    "unit": ("unit", "单位"),
    "price": ("price", "售价", "价格", "零售价", "单价"),
    "floor_price": ("floor_price", "底价", "最低价", "最低售价"),
    "stock": ("stock", "库存", "数量", "库存数量"),
    "active": ("active", "启用", "在售", "状态"),
}
ZH_HEADERS = {key: names[1] for key, names in HEADERS.items()}


def _norm_header(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip().lstrip("\ufeff").lower().replace(" ", "_")


_HEADER_LOOKUP = {_norm_header(name): key for key, names in HEADERS.items() for name in names}


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding found: utf-8-sig, utf-8 or gb18030.

    Raises DomainError("err.import_encoding", field="path") for none of them."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise DomainError("err.import_encoding", field="path") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise DomainError("err.import_encoding", field="path") from None


def read_source(source: str | Path | bytes) -> bytes:
    """The bytes of an import: given as bytes, or read from the file at a path.

    Raises DomainError (field "path"): err.required, err.file_not_found, err.file_unreadable."""
    if isinstance(source, bytes):
        return source
    path = Path(str(source).strip()).expanduser()
    if not str(source).strip():
        raise DomainError("err.required", field="path")
    if not path.is_file():
        raise DomainError("err.file_not_found", field="path", path=str(path))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DomainError("err.file_unreadable", field="path", path=str(path), reason=exc.strerror or str(exc)) \
            from None


def records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) of each non-blank CSV record.

    Raises DomainError("err.import_bad_csv", field="path") for text that is not CSV."""
    reader = csv.reader(io.StringIO(text, newline=""))
    prev_end = 0
    try:
        for cells in reader:
            start = prev_end + 1
            prev_end = reader.line_num
            if any(c.strip() for c in cells):
                yield start, cells
    except csv.Error as exc:
        raise DomainError("err.import_bad_csv", field="path", line=reader.line_num, reason=str(exc)) from None


def header_map(cells: list[str]) -> dict[str, int]:
    """Column key -> index for a header row (the first of several same columns wins).

    Raises DomainError("err.import_missing_columns", field="path") without sku, price or a name."""
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        key = _HEADER_LOOKUP.get(_norm_header(cell))
        if key is not None and key not in found:
            found[key] = i
    missing = [c for c in ("sku", "price") if c not in found]
    if "name_zh" not in found and "name_en" not in found:
        missing.append("name_zh")
    if missing:
        raise DomainError("err.import_missing_columns", field="path", columns=", ".join(missing))
    return found
