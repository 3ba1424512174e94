"""`storepos report checklist --from DATE --to DATE [--csv] [--store CODE]`: compliance figures
and one row per business day (days without a run included), as a rich table or CSV on stdout.
(`storepos init` seeds the checklist items: services.manifest.AFTER_INIT.)"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from typing import Any

from storepos.commands.base import EXIT_OK, UsageError, open_database, parse_date, store_for
from storepos.i18n import t


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="date_from", metavar="DATE", help=t("cli.opt_report_from"))
    p.add_argument("--to", dest="date_to", metavar="DATE", help=t("cli.opt_report_to"))
    p.add_argument("--csv", action="store_true", help=t("cli.opt_report_csv"))
    p.add_argument("--store", metavar="CODE", help=t("cli.opt_report_store"))


def _pct(x: float) -> str:
    return f"{round(x * 100)}%"


def run(args: argparse.Namespace, settings: Any) -> int:
    date_from = parse_date(args.date_from, "--from")
    date_to = parse_date(args.date_to, "--to")
    open_database(settings, readonly=True)
    from storepos.services import checklist
    from storepos.services.core.store import business_date

    store = store_for(args.store)
    date_to = date_to or business_date(store)
    date_from = date_from or date_to - dt.timedelta(days=6)
    if date_from > date_to:
        raise UsageError(t("cli.report_bad_range", date_from=date_from, date_to=date_to))
    comp = checklist.compliance(store.id, date_from, date_to)
    runs = {r.business_date: r for r in checklist.runs_between(store.id, date_from, date_to)}
    rows = []
    day = date_to
    while day >= date_from:
        r = runs.get(day)
        if r is None:
            rows.append([day.isoformat(), "not_started", "", "", "", "", "", "", "", "", "", ""])
        else:
            rows.append([day.isoformat(), r.status, r.started_by, r.submitted_by,
                         r.submitted_at_local.strftime("%Y-%m-%d %H:%M") if r.submitted_at_local else "",
                         "yes" if r.late else "no", str(r.answered), str(r.total), str(len(r.problems)),
                         str(r.returned_count), r.reviewer,
                         "; ".join(f"{p.label}: {p.note}" for p in r.problems)])
        day -= dt.timedelta(days=1)
    head = ["date", "status", "started_by", "submitted_by", "submitted_at", "late", "answered", "total",
            "problems", "returned", "reviewer", "problem_notes"]
    summary = t("cli.report_checklist_summary", date_from=date_from, date_to=date_to, days=comp.days,
                submitted=_pct(comp.share_submitted), on_time=_pct(comp.share_on_time),
                first_time=_pct(comp.share_approved_first_time))
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(head)
        writer.writerows(rows)
        print(summary, file=sys.stderr)
        return EXIT_OK
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(summary)
    if comp.top_problems:
        console.print(t("checklist.top_problems") + " " +
                      "; ".join(f"{label} ×{n}" for label, n in comp.top_problems))
    table = Table(box=box.SIMPLE, pad_edge=False, padding=(0, 1))
    for h in ("date", "status", "submitted_by", "submitted_at", "late", "answered", "problems",
              "returned", "reviewer"):
        table.add_column(t(f"cli.report_col_{h}"), no_wrap=h in ("date", "status", "submitted_at"))
    for row in rows:
        status = t(f"checklist.status.{row[1]}")
        table.add_row(row[0], status, row[3], row[4][11:], "✓" if row[5] == "yes" else "",
                      f"{row[6]}/{row[7]}" if row[6] else "", row[8], row[9] if row[9] != "0" else "", row[10])
    console.print(table)
    return EXIT_OK

