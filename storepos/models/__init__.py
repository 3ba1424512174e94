"""Peewee models, one module per area.  ALL_MODELS lists every table in creation order."""

from storepos.models.aftersales import (
                                         FollowUp,
                                         FollowUpAttempt,
                                         ServiceTicket,
                                         SurveyResponse,
                                         TicketAction,
)
from storepos.models.audit import Approval, AuditLog
from storepos.models.catalog import Category, Product, ProductBarcode
from storepos.models.checklist import ChecklistEntry, ChecklistItem, ChecklistRun
from storepos.models.customer import Customer
from storepos.models.journey import CartDraft, Journey
from storepos.models.practice import PracticeSession, PracticeStep, RubricScore, Scenario
from storepos.models.printing import PrintJob
from storepos.models.quote import Quote, QuoteLine, QuoteRevision
from storepos.models.sale import (
                                         Payment,
                                         ReceiptCounter,
                                         Receivable,
                                         RegisterSession,
                                         Sale,
                                         SaleLine,
)
from storepos.models.staff import Staff
from storepos.models.stock import Batch, StockMove
from storepos.models.store import Meta, Store, Terminal
from storepos.models.visit import Visit, VisitProduct

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
    ChecklistItem,
    ChecklistRun,
    ChecklistEntry,
    Visit,
    VisitProduct,
    Batch,
    StockMove,
    Quote,
    QuoteLine,
    QuoteRevision,
    RegisterSession,
    ReceiptCounter,
    Sale,
    SaleLine,
    Payment,
    Receivable,
    FollowUp,
    FollowUpAttempt,
    SurveyResponse,
    ServiceTicket,
    TicketAction,
    Scenario,
    PracticeSession,
    PracticeStep,
    RubricScore,
    Journey,
    CartDraft,
    PrintJob,
]

__all__ = [
    "ALL_MODELS", "Approval", "AuditLog", "Batch", "CartDraft", "Category", "ChecklistEntry", "ChecklistItem",
    "ChecklistRun", "Customer", "FollowUp", "FollowUpAttempt", "Journey", "Meta", "Payment", "PracticeSession",
    "PracticeStep", "PrintJob", "Product", "ProductBarcode", "Quote", "QuoteLine", "QuoteRevision", "ReceiptCounter",
    "Receivable", "RegisterSession", "RubricScore", "Sale", "SaleLine", "Scenario", "ServiceTicket",
    "Staff", "StockMove", "Store", "SurveyResponse", "Terminal", "TicketAction", "Visit", "VisitProduct",
]
