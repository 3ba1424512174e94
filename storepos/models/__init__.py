"""Peewee models, one module per area.  ALL_MODELS lists every table in creation order."""

from storepos.models.audit import Approval, AuditLog
from storepos.models.catalog import Category, Product
from storepos.models.customer import Customer
from storepos.models.sale import Payment, ReceiptCounter, Receivable, RegisterSession, Sale, SaleLine
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
    RegisterSession,
    ReceiptCounter,
    Sale,
    SaleLine,
    Payment,
    Receivable,
]

__all__ = [
    "ALL_MODELS", "Approval", "AuditLog", "Category", "Customer", "Meta", "Payment", "Product",
    "ReceiptCounter", "Receivable", "RegisterSession", "Sale", "SaleLine", "Staff", "Store", "Terminal",
]
