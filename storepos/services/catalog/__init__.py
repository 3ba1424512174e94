"""The catalog area: its public API."""

from __future__ import annotations

from storepos.services.catalog.products import (  # noqa: F401
    ProductHit,
    normalize_query,
    find_by_code,
    search,
    browse,
    count_products,
    split_codes,
    ProductInput,
    barcode_owners,
    categories,
    product_view,
    get_product,
    create_product,
    update_product,
)
from storepos.services.catalog.ledger import REASONS, MoveResult, apply_move, ledger_problems, moves_of
from storepos.services.catalog.batches import ExpiringBatch, batches_of, expiring
from storepos.services.catalog.receiving import ReceiveLine, parse_receive_line, receive
from storepos.services.catalog.counts import CountCheck, check_count, record_count
from storepos.services.catalog.defective import dispose_defective, move_to_defective
from storepos.services.catalog.adjustments import adjust
from storepos.services.catalog.low_stock import low_stock, low_stock_query
from storepos.services.catalog.home import expired_notices, expiring_figure, low_stock_figure
from storepos.services.catalog.products_io import (  # noqa: F401
    COLUMNS,
    HEADERS,
    ZH_HEADERS,
    Progress,
    Rejected,
    RowPlan,
    ImportPlan,
    decode,
    read_source,
    plan_import,
    run_import,
    import_products,
    export_rows,
    export_products,
    export_allowed,
)

__all__ = ['ProductHit', 'normalize_query', 'find_by_code', 'search', 'browse', 'count_products', 'split_codes', 'ProductInput', 'barcode_owners', 'categories', 'product_view', 'get_product', 'create_product', 'update_product', 'REASONS', 'MoveResult', 'apply_move', 'ReceiveLine', 'parse_receive_line', 'receive', 'CountCheck', 'check_count', 'record_count', 'move_to_defective', 'dispose_defective', 'adjust', 'ExpiringBatch', 'expiring', 'low_stock_query', 'low_stock', 'batches_of', 'moves_of', 'ledger_problems', 'low_stock_figure', 'expiring_figure', 'expired_notices', 'COLUMNS', 'HEADERS', 'ZH_HEADERS', 'Progress', 'Rejected', 'RowPlan', 'ImportPlan', 'decode', 'read_source', 'plan_import', 'run_import', 'import_products', 'export_rows', 'export_products', 'export_allowed']
