"""The checkout area (SOP step 5): the cart, checks A–E, the sale as one transaction, what
follows it (balance, delivery, invoice, receipt), returns and voids.

Its public API is the names below; other areas and the screens use only these.  The modules:
cart (the cart value and its editing, no database), start (a new cart, its customer), checks
(A–E and their overrides), sale (complete_sale), receipt (numbers, text, reprint, printing),
find (a sale by id or receipt number), balances (the balance due, delivery), invoices, returns
(returns and voids), drafts (the cart's draft file), home (the sales figure), invariants (what
`storepos check` verifies of sales), history (the customer page's rows).
"""

from __future__ import annotations

from storepos.services.checkout.balances import mark_delivered, received_of, settle_balance
from storepos.services.checkout.cart import (
    MAX_QTY,
    METHODS,
    NEEDS_REFERENCE,
    ZERO,
    Cart,
    CartLine,
    PaymentIn,
    SaleOptions,
    Totals,
    cash_for,
    plan_of,
    vat_contained,
)
from storepos.services.checkout.checks import (
    OVERRIDE_KINDS,
    CheckResult,
    ChecksFailed,
    Credit,
    customer_credit,
    run_checks,
)
from storepos.services.checkout.drafts import (
    OpenPayment,
    ParkedCart,
    drop_cart,
    import_cart_file,
    load_draft,
    park_cart,
    parked_carts,
    payments_not_in_sale,
    resume_cart,
    save_draft,
)
from storepos.services.checkout.find import find_sale, sale_for
from storepos.services.checkout.history import sale_history
from storepos.services.checkout.home import sales_figure
from storepos.services.checkout.invariants import (
    CHECKS,
    receipts_gapless,
    register_sessions_add_up,
    returns_within_sold,
    sales_add_up,
    sales_match_stock,
)
from storepos.services.checkout.invoices import issue_invoice
from storepos.services.checkout.receipt import (
    WIDTHS,
    deliver,
    label,
    label_of,
    labels_of,
    print_status,
    receipt_label,
    receipt_of,
    render,
    reprint,
    retry_print,
)
from storepos.services.checkout.returns import (
    REFUND_ORDER,
    create_return,
    return_lines_view,
    returnable,
    returned_qty,
    void_sale,
)

# Not public: the sale's transaction without complete_sale's first lookup, for the test of a
# race past that lookup (tests/checkout/test_checkout.py).
from storepos.services.checkout.sale import _complete_sale_tx as _complete_sale_tx
from storepos.services.checkout.sale import complete_sale, sale_of_cart
from storepos.services.checkout.start import cart_customer, find_customers, start_cart

__all__ = [
    # the cart
    "ZERO", "METHODS", "NEEDS_REFERENCE", "MAX_QTY", "CartLine", "PaymentIn", "SaleOptions", "Totals", "Cart",
    "vat_contained", "cash_for", "plan_of", "start_cart", "find_customers", "cart_customer",
    # checks A–E
    "OVERRIDE_KINDS", "CheckResult", "ChecksFailed", "Credit", "customer_credit", "run_checks",
    # the sale and after it
    "complete_sale", "settle_balance", "mark_delivered", "received_of", "issue_invoice", "find_sale", "sale_for",
    "sale_of_cart",
    # receipts
    "WIDTHS", "receipt_label", "receipt_of", "label", "label_of", "labels_of", "render", "reprint", "deliver",
    "print_status", "retry_print",
    # returns and voids
    "REFUND_ORDER", "returned_qty", "returnable", "void_sale", "create_return", "return_lines_view",
    # the cart's draft file
    "save_draft", "load_draft", "OpenPayment", "payments_not_in_sale", "ParkedCart", "import_cart_file", "park_cart", "parked_carts", "resume_cart", "drop_cart",
    # home and `storepos check`
    "sales_figure", "sales_add_up", "sales_match_stock", "receipts_gapless", "returns_within_sold",
    "register_sessions_add_up", "CHECKS",
    # the customer's page
    "sale_history",
]
