"""`storepos report daily|funnel|staff|approvals --from DATE --to DATE [--store CODE] [--csv]`: the
manager's desk figures as rich tables, or the same CSV the screens export."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from storepos.commands.base import EXIT_OK, UsageError, open_database, parse_date, store_for
from storepos.i18n import t

# kind -> days covered when only --to (or nothing) is given
DEFAULT_DAYS = {"daily": 1, "funnel": 30, "staff": 30, "approvals": 30}


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="date_from", metavar="DATE", help=t("cli.opt_desk_from"))
    p.add_argument("--to", dest="date_to", metavar="DATE", help=t("cli.opt_desk_to"))
    p.add_argument("--csv", action="store_true", help=t("cli.opt_report_csv"))
    p.add_argument("--store", metavar="CODE", help=t("cli.opt_report_store"))


def run(args: argparse.Namespace, settings: Any) -> int:
    kind = args.kind
    date_from = parse_date(args.date_from, "--from")
    date_to = parse_date(args.date_to, "--to")
    if date_from and date_to and date_from > date_to:
        raise UsageError(t("cli.report_bad_range", date_from=date_from, date_to=date_to))
    open_database(settings, readonly=True)
    from storepos.services import reports
    from storepos.services.core.store import business_date

    store = store_for(args.store)
    if date_to is None:
        date_to = max(date_from, business_date(store)) if date_from else business_date(store)
    date_from = date_from or date_to - dt.timedelta(days=DEFAULT_DAYS[kind] - 1)
    if date_from > date_to:
        raise UsageError(t("cli.report_bad_range", date_from=date_from, date_to=date_to))
    if kind == "daily":
        report: Any = reports.daily(store.id, date_from, date_to)
        rows = reports.daily_csv(report)
    elif kind == "funnel":
        report = reports.funnel(store.id, date_from, date_to)
        rows = reports.funnel_csv(report)
    elif kind == "staff":
        report = reports.staff_performance(store.id, date_from, date_to)
        rows = reports.staff_csv(report)
    else:
        report = reports.approvals_log(store.id, date_from, date_to)
        rows = reports.approvals_csv(report)
    if args.csv:
        sys.stdout.write(reports.csv_text(rows))
        return EXIT_OK
    from rich.console import Console
    from rich.text import Text

    from storepos.i18n import pick
    from storepos.ui.reports import view

    console = Console()
    p = reports.period(store.id, date_from, date_to)
    # The store's name is data: a Text, never markup.
    console.print(Text.assemble((t(f"report.title_{kind}"), "bold"),
                                f" · {pick(store.name_zh, store.name_en)} · {view.period_text(p)}"))
    if kind == "daily":
        for part in view.daily_all(report):
            console.print(part)
    elif kind == "funnel":
        console.print(view.funnel_table(report))
        console.print(view.funnel_reasons(report))
    elif kind == "staff":
        console.print(view.staff_table(report))
        console.print(view.staff_notes(report))
    else:
        console.print(view.approvals_table(report))
    return EXIT_OK

