"""Peewee models, one module per area.  ALL_MODELS lists every table in creation order."""

from storepos.models.audit import Approval, AuditLog
from storepos.models.catalog import Category, Product
from storepos.models.checklist import ChecklistEntry, ChecklistItem, ChecklistRun
from storepos.models.customer import Customer
from storepos.models.quote import Quote, QuoteLine, QuoteRevision
from storepos.models.staff import Staff
from storepos.models.store import Meta, Store, Terminal
from storepos.models.visit import Visit, VisitProduct

ALL_MODELS: list = [
    Meta,
    Store,
    Terminal,
    Staff,
    Category,
    Product,
    Customer,
    AuditLog,
    Approval,
    Visit,
    VisitProduct,
    ChecklistItem,
    ChecklistRun,
    ChecklistEntry,
    Quote,
    QuoteLine,
    QuoteRevision,
]

__all__ = [
    "ALL_MODELS", "Approval", "AuditLog", "Category", "ChecklistEntry", "ChecklistItem",
    "ChecklistRun", "Customer", "Meta", "Product", "Quote", "QuoteLine", "QuoteRevision", "Staff",
    "Store", "Terminal", "Visit", "VisitProduct",
]
