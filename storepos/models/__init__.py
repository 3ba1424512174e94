"""Peewee models, one module per area.  ALL_MODELS lists every table in creation order."""

from storepos.models.audit import Approval, AuditLog
from storepos.models.catalog import Category, Product
from storepos.models.checklist import ChecklistEntry, ChecklistItem, ChecklistRun
from storepos.models.customer import Customer
from storepos.models.staff import Staff
from storepos.models.store import Meta, Store, Terminal

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
    ChecklistItem,
    ChecklistRun,
    ChecklistEntry,
]

__all__ = [
    "ALL_MODELS", "Approval", "AuditLog", "Category", "ChecklistEntry", "ChecklistItem",
    "ChecklistRun", "Customer", "Meta", "Product", "Staff",
    "Store", "Terminal",
]
