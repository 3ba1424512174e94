"""The products shown to the customer during a visit, in the order they were shown."""

from __future__ import annotations

from storepos import clock
from storepos.db import transactional
from storepos.models import Product, VisitProduct
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import NotFound
from storepos.services.visits.visits import open_visit, touch


def product_ids(visit_id: int) -> list[int]:
    """The ids of the products shown on the visit, in the order shown."""
    return [pid for (pid,) in VisitProduct.select(VisitProduct.product).where(
        VisitProduct.visit == visit_id).order_by(VisitProduct.shown_at, VisitProduct.id).tuples()]


def products_shown(visit_id: int) -> list[Product]:
    """The products shown on the visit, in the order shown."""
    return list(Product.select().join(VisitProduct, on=(VisitProduct.product == Product.id))
                .where(VisitProduct.visit == visit_id).order_by(VisitProduct.shown_at, VisitProduct.id))


@transactional
def add_product(actor: Actor, visit_id: int, product_id: int) -> bool:
    """A product shown to the customer (False when it was already on the list).  Raises NotFound
    for a product of another store, DomainError on a closed visit."""
    v = open_visit(actor, visit_id)
    if not Product.select().where(Product.id == product_id, Product.store == actor.store_id).exists():
        raise NotFound("err.visit_no_product")
    if VisitProduct.select().where(VisitProduct.visit == v.id, VisitProduct.product == product_id).exists():
        return False
    VisitProduct.create(visit=v.id, product=product_id, shown_at=clock.now())
    touch(v)
    audit.record(actor, "visit.product_add", "visit", v.id, after={"product": product_id})
    return True


@transactional
def remove_product(actor: Actor, visit_id: int, product_id: int) -> None:
    """Take a product off the list shown (nothing when it was not on it).  Raises DomainError on a
    closed visit."""
    v = open_visit(actor, visit_id)
    n = VisitProduct.delete().where(VisitProduct.visit == v.id, VisitProduct.product == product_id).execute()
    if n:
        touch(v)
        audit.record(actor, "visit.product_remove", "visit", v.id, before={"product": product_id})
