"""Checkout: register sessions, sales (and returns), their lines and payments, the per-terminal
receipt counter and on-account receivables.  Money in integer fen; no logic beyond field rules."""

from __future__ import annotations

import peewee

from storepos.models.audit import Approval
from storepos.models.base import BaseModel, JSONField, MoneyField
from storepos.models.catalog import Product
from storepos.models.customer import Customer
from storepos.models.staff import Staff
from storepos.models.store import Store, Terminal

SALE_KINDS = ("sale", "return")
SALE_STATUSES = ("completed", "voided")
PAYMENT_METHODS = ("cash", "card", "wechat", "alipay", "account")
FULFILMENTS = ("take", "deliver")
SETTLE_MODES = ("settle_then_deliver", "deliver_then_settle")
INVOICE_KINDS = ("", "ordinary", "special")


class RegisterSession(BaseModel):
    """One till's cash drawer from opening float to counted close.

    ``open_terminal`` holds the terminal id while the session is open and NULL once closed; its
    UNIQUE constraint makes "one open session per terminal" a database fact."""

    store = peewee.ForeignKeyField(Store, backref="+", on_delete="RESTRICT")
    terminal = peewee.ForeignKeyField(Terminal, backref="+", on_delete="RESTRICT")
    open_terminal = peewee.IntegerField(null=True, unique=True)
    opened_by = peewee.ForeignKeyField(Staff, backref="+", on_delete="RESTRICT")
    opened_at = peewee.DateTimeField(index=True)
    float_amount = MoneyField(default=0)
    closed_by = peewee.ForeignKeyField(Staff, null=True, backref="+", on_delete="RESTRICT")
    closed_at = peewee.DateTimeField(null=True)
    counted = MoneyField(null=True)
    counted_denominations = JSONField(null=True)
    expected = MoneyField(null=True)
    difference = MoneyField(null=True)
    approval = peewee.ForeignKeyField(Approval, null=True, backref="+", on_delete="RESTRICT")

    class Meta:
        indexes = ((("store", "opened_at"), False),)


class ReceiptCounter(BaseModel):
    """The last receipt number given out on a terminal; bumped inside the sale's transaction,
    so a rolled-back sale gives its number back (gapless)."""

    store = peewee.ForeignKeyField(Store, backref="+", on_delete="RESTRICT")
    terminal = peewee.ForeignKeyField(Terminal, backref="+", on_delete="RESTRICT", unique=True)
    last_no = peewee.IntegerField(default=0)


class Sale(BaseModel):
    store = peewee.ForeignKeyField(Store, backref="+", on_delete="RESTRICT")
    terminal = peewee.ForeignKeyField(Terminal, backref="+", on_delete="RESTRICT")
    session = peewee.ForeignKeyField(RegisterSession, backref="sales", on_delete="RESTRICT")
    receipt_no = peewee.IntegerField()
    cart_uuid = peewee.CharField(max_length=36, unique=True)
    kind = peewee.CharField(max_length=10, default="sale")
    original = peewee.ForeignKeyField("self", null=True, backref="returns", on_delete="RESTRICT")
    staff = peewee.ForeignKeyField(Staff, backref="+", on_delete="RESTRICT")
    customer = peewee.ForeignKeyField(Customer, null=True, backref="+", on_delete="RESTRICT")
    quote_id = peewee.IntegerField(null=True, index=True)
    visit_id = peewee.IntegerField(null=True, index=True)
    subtotal = MoneyField(default=0)
    discount = MoneyField(default=0)
    total = MoneyField(default=0)
    paid = MoneyField(default=0)
    balance_due = MoneyField(default=0)
    vat = MoneyField(default=0)  # VAT contained in the total (prices are tax-inclusive)
    vat_rate_percent = peewee.IntegerField(default=0)
    fulfilment = peewee.CharField(max_length=10, default="take")
    settle_mode = peewee.CharField(max_length=24, default="settle_then_deliver")
    deposit = peewee.BooleanField(default=False)
    delivery_date = peewee.DateField(null=True)
    delivered = peewee.BooleanField(default=False)  # the goods have left the store
    delivered_at = peewee.DateTimeField(null=True)
    status = peewee.CharField(max_length=10, default="completed")
    voided_at = peewee.DateTimeField(null=True)
    voided_by = peewee.ForeignKeyField(Staff, null=True, backref="+", on_delete="RESTRICT")
    void_approval = peewee.ForeignKeyField(Approval, null=True, backref="+", on_delete="RESTRICT")
    approvals = JSONField(default=dict)  # check code -> Approval id (manager overrides)
    invoice_title = peewee.CharField(max_length=200, default="")
    invoice_tax_no = peewee.CharField(max_length=40, default="")
    invoice_kind = peewee.CharField(max_length=10, default="")  # "" (none) | ordinary | special
    invoice_issued = peewee.BooleanField(default=False)
    invoice_issued_at = peewee.DateTimeField(null=True)
    reprints = peewee.IntegerField(default=0)
    created_at = peewee.DateTimeField(index=True)

    class Meta:
        indexes = (
            (("store", "terminal", "receipt_no"), True),
            # the manager's desk (services.reports): a period's sales, a seller's, the voids
            (("store", "created_at"), False),
            (("store", "staff", "created_at"), False),
            (("store", "voided_at"), False),
        )


class SaleLine(BaseModel):
    sale = peewee.ForeignKeyField(Sale, backref="lines", on_delete="CASCADE")
    line_no = peewee.IntegerField()
    product = peewee.ForeignKeyField(Product, backref="+", on_delete="RESTRICT")
    sku = peewee.CharField(max_length=40)
    name_zh = peewee.CharField(max_length=200)
    name_en = peewee.CharField(max_length=200, default="")
    qty = peewee.IntegerField()  # negative on a return
    unit_price = MoneyField()
    line_discount = MoneyField(default=0)
    line_total = MoneyField()  # qty * unit_price - line_discount, rounded half-up once
    original_line = peewee.ForeignKeyField("self", null=True, backref="returned_by", on_delete="RESTRICT")
    to_defective = peewee.BooleanField(default=False)  # a returned unit not put back for sale
    batches = JSONField(default=list)  # stock batch codes the units came from (FIFO), for returns

    class Meta:
        indexes = ((("sale", "line_no"), True),)


class Payment(BaseModel):
    sale = peewee.ForeignKeyField(Sale, backref="payments", on_delete="CASCADE")
    session = peewee.ForeignKeyField(RegisterSession, backref="payments", on_delete="RESTRICT")
    method = peewee.CharField(max_length=10)
    amount = MoneyField()  # applied to the sale; negative for a refund
    tendered = MoneyField(default=0)  # cash handed over
    change = MoneyField(default=0)  # cash given back
    reference = peewee.CharField(max_length=64, default="")
    kind = peewee.CharField(max_length=10, default="sale")  # sale | balance | refund | void
    created_at = peewee.DateTimeField()

    class Meta:
        indexes = ((("created_at", "method"), False),)  # money moved in a period (reports)


class Receivable(BaseModel):
    """What a customer owes for an on-account sale; due at created + credit days."""

    store = peewee.ForeignKeyField(Store, backref="+", on_delete="RESTRICT")
    customer = peewee.ForeignKeyField(Customer, backref="receivables", on_delete="RESTRICT")
    sale = peewee.ForeignKeyField(Sale, backref="receivables", on_delete="RESTRICT", unique=True)
    amount = MoneyField()
    paid = MoneyField(default=0)
    credited = MoneyField(default=0)  # reduced by returns on account and by a void
    business_date = peewee.DateField()
    due_date = peewee.DateField()
    created_at = peewee.DateTimeField()

    class Meta:
        indexes = ((("customer", "due_date"), False), (("store", "business_date"), False))
