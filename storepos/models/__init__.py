"""Peewee models, one module per area.  ALL_MODELS lists every table in creation order."""

from storepos.models.audit import Approval, AuditLog
from storepos.models.catalog import Category, Product, ProductBarcode
from storepos.models.checklist import ChecklistEntry, ChecklistItem, ChecklistRun
from storepos.models.customer import Customer
from storepos.models.sale import Payment, ReceiptCounter, Receivable, RegisterSession, Sale, SaleLine
from storepos.models.staff import Staff
from storepos.models.stock import Batch, StockMove
from storepos.models.store import Meta, Store, Terminal

ALL_MODELS: list = [
    Meta,
    Store,
    Terminal,
    Staff,
    Category,
    Product,
    ProductBarcode,
    Customer,
    AuditLog,
    Approval,
    Batch,
    StockMove,
    ChecklistItem,
    ChecklistRun,
    ChecklistEntry,
    RegisterSession,
    ReceiptCounter,
    Sale,
    SaleLine,
    Payment,
    Receivable,
]

__all__ = [
    "ALL_MODELS", "Approval", "AuditLog", "Batch", "Category", "ChecklistEntry", "ChecklistItem",
    "ChecklistRun", "Customer", "Meta", "Payment", "Product", "ProductBarcode", "ReceiptCounter",
    "Receivable", "RegisterSession", "Sale", "SaleLine", "Staff", "StockMove", "Store", "Terminal",
]
