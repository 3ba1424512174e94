"""The manager's desk (SOP §9, 销售绩效评估): daily report, conversion funnel, staff performance,
approvals log, the last 30 days, drill-down lists and CSV.  This package is the area's public API.

Every figure comes from an aggregate query (GROUP BY / SUM / COUNT / AVG in SQL) over indexed
columns: Sale (store, created_at), (store, staff, created_at), (store, voided_at); Payment
(created_at); Approval (store, at), (entity, entity_id); Visit (store, business_date, staff);
Receivable (store, business_date); RegisterSession (store, opened_at).  Nothing loops over sale
lines in Python.  Lists (discounts, approvals, drill-downs) are the records behind a figure.
Periods are store-local business dates, inclusive; money is integer fen throughout.

- periods: the period a figure covers, typed dates, the base conditions of sales and visits;
- desk: who may open the desk and on which day;
- daily_report, funnel_report, staff_report: the three reports;
- drills: the records behind a staff figure;  approvals: the approvals log;
- series: the last days per day, for the charts;  export: CSV;
- labels: names and texts (staff, receipts, amounts, the dash);  sql: portable SQL.
"""

from __future__ import annotations

from storepos.services.reports.approvals import ApprovalRow, approvals_log
from storepos.services.reports.daily_report import (
    METHODS,
    PAYMENT_KINDS,
    CategoryRow,
    DailyReport,
    DiscountByStaff,
    DiscountRow,
    MethodRow,
    ReceivableRow,
    SessionRow,
    daily,
)
from storepos.services.reports.desk import default_day, last_day_with_sales, require_desk, store_of
from storepos.services.reports.drills import DRILL_FIGURES, DRILLS, DrillRow, drill
from storepos.services.reports.export import (
    APPROVALS_HEAD,
    DAILY_HEAD,
    FUNNEL_HEAD,
    STAFF_HEAD,
    approvals_csv,
    csv_text,
    daily_csv,
    export_csv,
    funnel_csv,
    read_csv,
    staff_csv,
)
from storepos.services.reports.funnel_report import Funnel, FunnelRow, funnel
from storepos.services.reports.labels import DASH, amount_text
from storepos.services.reports.periods import Period, parse_day, parse_range, period, sales_in
from storepos.services.reports.series import DayPoint, daily_series
from storepos.services.reports.staff_report import (
    EXTRA_FIGURES,
    STAFF_FIGURES,
    StaffFigure,
    StaffReport,
    StaffRow,
    staff_performance,
)

__all__ = [
    # periods and the desk
    "Period",
    "period",
    "parse_day",
    "parse_range",
    "sales_in",
    "require_desk",
    "default_day",
    "last_day_with_sales",
    "store_of",
    # the daily report
    "METHODS",
    "PAYMENT_KINDS",
    "MethodRow",
    "CategoryRow",
    "DiscountRow",
    "DiscountByStaff",
    "SessionRow",
    "ReceivableRow",
    "DailyReport",
    "daily",
    # the funnel
    "FunnelRow",
    "Funnel",
    "funnel",
    # staff performance and its drill-downs
    "EXTRA_FIGURES",
    "STAFF_FIGURES",
    "StaffFigure",
    "StaffRow",
    "StaffReport",
    "staff_performance",
    "DRILL_FIGURES",
    "DRILLS",
    "DrillRow",
    "drill",
    # the approvals log
    "ApprovalRow",
    "approvals_log",
    # the last days
    "DayPoint",
    "daily_series",
    # texts and CSV
    "DASH",
    "amount_text",
    "DAILY_HEAD",
    "daily_csv",
    "FUNNEL_HEAD",
    "funnel_csv",
    "STAFF_HEAD",
    "staff_csv",
    "APPROVALS_HEAD",
    "approvals_csv",
    "csv_text",
    "export_csv",
    "read_csv",
]
