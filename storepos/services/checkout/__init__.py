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
    _complete_sale_tx,
)
from storepos.services.checkout.cart import (  # noqa: F401
    ZERO,
    METHODS,
    NEEDS_REFERENCE,
    MAX_QTY,
    CartLine,
    PaymentIn,
    SaleOptions,
    Totals,
    Cart,
    vat_contained,
    cash_for,
)
from storepos.services.checkout.receipt import (  # noqa: F401
    WIDTHS,
    label,
    render,
    reprint,
    deliver,
)
from storepos.services.checkout.returns import (  # noqa: F401
    REFUND_ORDER,
    returned_qty,
    returnable,
    void_sale,
    create_return,
    return_lines_view,
)
from storepos.services.checkout.sale_checks import (  # noqa: F401
    sales_add_up,
    sales_match_stock,
    receipts_gapless,
    returns_within_sold,
    register_sessions_add_up,
    CHECKS,
)

__all__ = ['OVERRIDE_KINDS', 'start_cart', 'plan_of', 'CheckResult', 'ChecksFailed', 'Credit', 'customer_credit', 'run_checks', 'complete_sale', 'receipt_label', 'label_of', 'settle_balance', 'mark_delivered', 'received_of', 'issue_invoice', 'find_sale', 'sales_figure', 'find_customers', 'save_draft', 'load_draft', '_complete_sale_tx', 'ZERO', 'METHODS', 'NEEDS_REFERENCE', 'MAX_QTY', 'CartLine', 'PaymentIn', 'SaleOptions', 'Totals', 'Cart', 'vat_contained', 'cash_for', 'WIDTHS', 'label', 'render', 'reprint', 'deliver', 'REFUND_ORDER', 'returned_qty', 'returnable', 'void_sale', 'create_return', 'return_lines_view', 'sales_add_up', 'sales_match_stock', 'receipts_gapless', 'returns_within_sold', 'register_sessions_add_up', 'CHECKS']
