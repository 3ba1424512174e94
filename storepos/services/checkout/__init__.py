"""The checkout area: its public API."""

from __future__ import annotations

from storepos.services.checkout.service import (  # noqa: F401
    OVERRIDE_KINDS,
    start_cart,
    plan_of,
    CheckResult,
    ChecksFailed,
    Credit,
    customer_credit,
    run_checks,
    complete_sale,
    _complete_sale_tx,
    receipt_label,
    label_of,
    settle_balance,
    mark_delivered,
    received_of,
    issue_invoice,
    find_sale,
    sales_figure,
    find_customers,
    save_draft,
    load_draft,
)

__all__ = ['OVERRIDE_KINDS', 'start_cart', 'plan_of', 'CheckResult', 'ChecksFailed', 'Credit', 'customer_credit', 'run_checks', 'complete_sale', '_complete_sale_tx', 'receipt_label', 'label_of', 'settle_balance', 'mark_delivered', 'received_of', 'issue_invoice', 'find_sale', 'sales_figure', 'find_customers', 'save_draft', 'load_draft']
