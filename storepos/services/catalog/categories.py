"""Categories of products: listing them, finding one by its code, and the ones an import creates."""

from __future__ import annotations

from storepos.models import Category
from storepos.services.core.errors import DomainError


def categories(store_id: int) -> list[Category]:
    """The store's categories, by code."""
    return list(Category.select().where(Category.store == store_id).order_by(Category.code))


def category_id_of(store_id: int, code: str) -> int:
    """The id of the store's category *code*.

    Raises DomainError("err.category_unknown", field="category") when there is none."""
    cat = Category.get_or_none(Category.store == store_id, Category.code == code)
    if cat is None:
        raise DomainError("err.category_unknown", field="category", code=code)
    return cat.id


def category_code(category_id: int | None) -> str:
    """The code of a category ("" for none, or for one that no longer exists)."""
    cat = Category.get_or_none(Category.id == category_id) if category_id else None
    return cat.code if cat else ""


def category_names(store_id: int) -> tuple[dict[str, int], dict[int, str]]:
    """How an import matches a category cell: (lowercased code, Chinese or English name -> id,
    id -> code)."""
    by_name: dict[str, int] = {}
    code_of: dict[int, str] = {}
    for cid, code, zh, en in Category.select(Category.id, Category.code, Category.name_zh, Category.name_en) \
            .where(Category.store == store_id).tuples():
        code_of[cid] = code
        for name in (en, zh, code):
            if name:
                by_name[name.strip().lower()] = cid
    return by_name, code_of


def add_named_category(store_id: int, text: str) -> int:
    """A new category whose code and name are *text* (an import's category nobody has yet);
    its English name only when *text* is ASCII.  Returns its id.  Call inside a transaction."""
    return Category.insert(store=store_id, code=text, name_zh=text,
                           name_en=text if text.isascii() else "").execute()
