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
from storepos.services.catalog.stock import (  # noqa: F401
    MoveResult,
    apply_move,
    ReceiveLine,
    parse_receive_line,
    receive,
    CountCheck,
    check_count,
    record_count,
    move_to_defective,
    dispose_defective,
    adjust,
    ExpiringBatch,
    expiring,
    low_stock_query,
    low_stock,
    batches_of,
    moves_of,
    ledger_problems,
    low_stock_figure,
    expiring_figure,
    expired_notices,
)
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

__all__ = ['ProductHit', 'normalize_query', 'find_by_code', 'search', 'browse', 'count_products', 'split_codes', 'ProductInput', 'barcode_owners', 'categories', 'product_view', 'get_product', 'create_product', 'update_product', 'MoveResult', 'apply_move', 'ReceiveLine', 'parse_receive_line', 'receive', 'CountCheck', 'check_count', 'record_count', 'move_to_defective', 'dispose_defective', 'adjust', 'ExpiringBatch', 'expiring', 'low_stock_query', 'low_stock', 'batches_of', 'moves_of', 'ledger_problems', 'low_stock_figure', 'expiring_figure', 'expired_notices', 'COLUMNS', 'HEADERS', 'ZH_HEADERS', 'Progress', 'Rejected', 'RowPlan', 'ImportPlan', 'decode', 'read_source', 'plan_import', 'run_import', 'import_products', 'export_rows', 'export_products', 'export_allowed']
