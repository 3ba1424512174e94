"""One row of a products CSV checked on its own (no database): the cells as values to plan with,
or the reason the row is rejected.

Rules: a row needs a SKU, a name (中文名, else 英文名 is used for both) and a valid price;
floor_price must not be above price; barcode may hold several codes separated by ``|`` (the
first is the main one).  Empty cells come back as None ("keep what the product has").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from storepos.money import MoneyError, parse_amount, to_fen
from storepos.services.catalog.codes import CODE_RE, split_codes
from storepos.services.catalog.search import normalize_query

_TRUE = {"1", "true", "yes", "y", "是", "启用", "在售", "t"}
_FALSE = {"0", "false", "no", "n", "否", "停用", "停售", "f"}

Cell = Callable[[str], str]  # column key -> the row's stripped cell ("" when absent)


class RowRejected(Exception):
    """A row the import leaves out: an i18n key (import.*) and its parameters."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _amount(text: str, key: str) -> int:
    try:
        return to_fen(parse_amount(text))
    except MoneyError:
        raise RowRejected(key, value=text) from None


def _sku(cell: Cell) -> str:
    sku = normalize_query(cell("sku"))
    if not sku:
        raise RowRejected("import.missing_sku")
    if not CODE_RE.match(sku):
        raise RowRejected("import.bad_sku", value=sku)
    return sku


def _names(cell: Cell, cols: dict[str, int]) -> tuple[str, str | None]:
    zh, en = cell("name_zh"), cell("name_en")
    if not zh and not en:
        raise RowRejected("import.missing_name")
    if len(zh) > 200 or len(en) > 200:
        raise RowRejected("import.name_too_long")
    # Without a name_en column the English name is left alone, not emptied.
    return zh or en, en if "name_en" in cols else None


def _prices(cell: Cell) -> tuple[int, int | None]:
    price_text = cell("price")
    if not price_text:
        raise RowRejected("import.missing_price")
    price = _amount(price_text, "import.bad_price")
    floor_text = cell("floor_price")
    floor = _amount(floor_text, "import.bad_floor_price") if floor_text else None
    if floor is not None and floor > price:
        raise RowRejected("import.floor_above_price", floor=floor_text, price=price_text)
    return price, floor


def _barcodes(cell: Cell) -> list[str] | None:
    codes_text = cell("barcode")
    codes = split_codes(codes_text) if codes_text else None
    for code in codes or ():
        if not CODE_RE.match(code):
            raise RowRejected("import.bad_barcode", value=code)
    return codes


def _stock(cell: Cell) -> int | None:
    stock_text = unicodedata.normalize("NFKC", cell("stock")).replace(",", "")
    if not stock_text:
        return None
    try:
        stock = int(stock_text)
    except ValueError:
        raise RowRejected("import.bad_stock", value=stock_text) from None
    if stock < 0 or stock > 10_000_000:
        raise RowRejected("import.bad_stock", value=stock_text)
    return stock


def _active(cell: Cell) -> bool | None:
    active = cell("active").lower()
    if not active:
        return None
    if active in _TRUE:
        return True
    if active in _FALSE:
        return False
    raise RowRejected("import.bad_active", value=cell("active"))


def parse_row(cells: list[str], cols: dict[str, int]) -> dict[str, Any]:
    """One row's cells, checked on their own (no database).  Empty cells come back as None.

    Raises RowRejected for the first cell that is wrong (in the order of the columns' checks)."""
    def cell(name: str) -> str:
        i = cols.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    out: dict[str, Any] = {"sku": _sku(cell)}
    out["name_zh"], out["name_en"] = _names(cell, cols)
    out["price"], out["floor_price"] = _prices(cell)
    out["barcodes"] = _barcodes(cell)
    unit = cell("unit")
    if len(unit) > 10:
        raise RowRejected("import.bad_unit", value=unit)
    out["unit"] = unit or None
    out["stock"] = _stock(cell)
    out["active"] = _active(cell)
    category = cell("category")
    if len(category) > 40:
        raise RowRejected("import.bad_category", value=category)
    out["category"] = category or None
    return out
