"""The catalog area: products (finding and editing them), their stock (the ledger and what is
built on it) and the products CSV.  Its public API: use these names, not the modules.

- finding: search.py (search as you type, scanning a code, the catalog list)
- editing: products.py, categories.py, codes.py (what a SKU or barcode may look like)
- stock: ledger.py (apply_move, the one way to change stock; the ledger check), batches.py
  (FIFO, expiry), receiving.py, counts.py, defective.py, adjustments.py, low_stock.py
- home.py: the home figures and the expired notice (named in services/manifest.py)
- CSV: csv_format.py (columns, encodings), import_rows.py, import_plan.py, csv_import.py,
  csv_export.py
"""

from __future__ import annotations

from storepos.services.catalog.search import (
    ProductHit,
    browse,
    count_products,
    find_by_code,
    normalize_query,
    search,
    search_index_rebuild_sql,
)
from storepos.services.catalog.codes import split_codes
from storepos.services.catalog.categories import categories
from storepos.services.catalog.products import (
    ProductInput,
    barcode_owners,
    create_product,
    get_product,
    product_view,
    update_product,
)
from storepos.services.catalog.ledger import REASONS, MoveResult, apply_move, ledger_problems, moves_of, take_for_sale
from storepos.services.catalog.batches import ExpiringBatch, batches_of, expiring
from storepos.services.catalog.receiving import ReceiveLine, parse_receive_line, receive
from storepos.services.catalog.counts import CountCheck, check_count, record_count
from storepos.services.catalog.defective import dispose_defective, move_to_defective
from storepos.services.catalog.adjustments import adjust
from storepos.services.catalog.low_stock import low_stock, low_stock_query
from storepos.services.catalog.home import expired_notices, expiring_figure, low_stock_figure
from storepos.services.catalog.csv_format import COLUMNS, HEADERS, ZH_HEADERS, decode, read_source
from storepos.services.catalog.import_plan import ImportPlan, Progress, Rejected, RowPlan, plan_import
from storepos.services.catalog.csv_import import import_products, import_products_in_worker, run_import
from storepos.services.catalog.csv_export import export_allowed, export_products, export_rows

__all__ = [
    # finding products
    "ProductHit", "normalize_query", "find_by_code", "search", "browse", "count_products",
    "search_index_rebuild_sql",
    # editing products
    "split_codes", "ProductInput", "barcode_owners", "categories", "product_view", "get_product",
    "create_product", "update_product",
    # stock
    "REASONS", "MoveResult", "apply_move", "take_for_sale", "moves_of", "ledger_problems",
    "ExpiringBatch", "expiring", "batches_of",
    "ReceiveLine", "parse_receive_line", "receive",
    "CountCheck", "check_count", "record_count",
    "move_to_defective", "dispose_defective", "adjust",
    "low_stock_query", "low_stock",
    # home
    "low_stock_figure", "expiring_figure", "expired_notices",
    # products CSV
    "COLUMNS", "HEADERS", "ZH_HEADERS", "Progress", "Rejected", "RowPlan", "ImportPlan", "decode",
    "read_source", "plan_import", "run_import", "import_products", "import_products_in_worker",
    "export_rows", "export_products", "export_allowed",
]
