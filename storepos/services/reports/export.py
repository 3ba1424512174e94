"""CSV: the heads and rows of each report, and the file they go to.  The CLI and the screens write
the same rows; amounts are in yuan with two decimals, times store-local."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from storepos import private
from storepos.i18n import t
from storepos.services.reports.approvals import ApprovalRow
from storepos.services.reports.daily_report import PAYMENT_KINDS, DailyReport
from storepos.services.reports.funnel_report import Funnel, FunnelRow
from storepos.services.reports.labels import amount_text
from storepos.services.reports.staff_report import StaffReport

DAILY_HEAD = ["section", "key", "label", "count", "amount", "note"]
FUNNEL_HEAD = ["section", "code", "name", "visits", "needs", "quoted", "sold", "conversion_pct",
               "avg_approach_s", "avg_duration_s"]
STAFF_HEAD = ["rank", "code", "name", "sales_count", "sales_amount", "returns_amount", "net_amount", "avg_ticket",
              "visits", "sold_visits", "conversion_pct", "satisfaction", "checklist_on_time", "checklist_submitted",
              "followups_on_time", "overrides", "discounts"]
APPROVALS_HEAD = ["at", "kind", "requested_by", "approved_by", "reason", "entity", "entity_id", "record"]


def _pct(x: float | None) -> str:
    return "" if x is None else f"{x * 100:.1f}"


def _ts(at: dt.datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S") if at else ""


def daily_csv(r: DailyReport) -> list[list[str]]:
    """The daily report as rows of (section, key, label, count, amount, note); amounts in yuan."""
    p = r.period
    rows: list[list[str]] = [DAILY_HEAD,
                             ["period", "from", p.date_from.isoformat(), "", "", ""],
                             ["period", "to", p.date_to.isoformat(), "", "", ""]]
    rows += [["summary", "sales", t("report.sales"), str(r.sales_count), amount_text(r.sales_amount), ""],
             ["summary", "gross", t("report.gross"), "", amount_text(r.sales_gross), ""],
             ["summary", "returns", t("report.returns"), str(r.returns_count), amount_text(r.returns_amount), ""],
             ["summary", "net", t("report.net"), "", amount_text(r.net_amount), ""],
             ["summary", "voids", t("report.voids"), str(r.voids_count), amount_text(r.voids_amount), ""],
             ["summary", "vat", t("report.vat"), "", amount_text(r.vat), ""],
             ["summary", "items", t("report.items"), str(r.items), "", ""],
             ["summary", "discounts", t("report.discounts"), str(r.discount_count), amount_text(r.discount_total),
              ""],
             ["summary", "overrides", t("report.overrides"), str(r.overrides_count), "", ""]]
    for m in r.by_method:
        for kind in PAYMENT_KINDS:
            rows.append([f"method_{kind}", m.method, m.label, "", amount_text(getattr(m, kind)), ""])
        rows.append(["method", m.method, m.label, str(m.count), amount_text(m.net), ""])
    for c in r.by_category:
        rows.append(["category", c.code, c.label, str(c.qty), amount_text(c.amount), ""])
    for d in r.discounts:
        rows.append(["discount", d.receipt, d.staff, "1", amount_text(d.amount),
                     f"{d.approver}: {d.reason}" if d.approver else ""])
    for kind, label, n in r.overrides:
        rows.append(["override", kind, label, str(n), "", ""])
    for s in r.sessions:
        rows.append(["register", str(s.id), s.terminal, "", amount_text(s.difference),
                     f"{_ts(s.opened_at)} {s.opened_by} / {_ts(s.closed_at)} {s.closed_by}"
                     f" expected {amount_text(s.expected)} counted {amount_text(s.counted)}"
                     + (f" approved {s.approver}" if s.approver else "")])
    rows += [["deposit", "taken", t("report.deposits"), str(r.deposit_count), amount_text(r.deposit_taken), ""],
             ["deposit", "due", t("report.balance_due"), str(r.due_count), amount_text(r.due_amount), ""],
             ["deposit", "collected", t("report.balances_collected"), "", amount_text(r.balances_collected), ""]]
    for rec in r.receivables:
        rows.append(["receivable", rec.receipt, rec.customer, "1", amount_text(rec.amount),
                     rec.due_date.isoformat()])
    return rows


def funnel_csv(f: Funnel) -> list[list[str]]:
    """The funnel as rows: one per staff member, the store's, then the leave reasons and outcomes."""
    def line(section: str, r: FunnelRow) -> list[str]:
        return [section, r.code, r.name, str(r.visits), str(r.needs), str(r.quoted), str(r.sold), _pct(r.conversion),
                "" if r.approach_avg is None else str(r.approach_avg),
                "" if r.duration_avg is None else str(r.duration_avg)]

    rows = [FUNNEL_HEAD] + [line("staff", r) for r in f.rows] + [line("store", f.total)]
    rows += [["leave_reason", code, label, str(n), "", "", "", "", "", ""] for code, label, n in f.leave_reasons]
    rows += [["outcome", code, label, str(n), "", "", "", "", "", ""] for code, label, n in f.outcomes]
    return rows


def staff_csv(s: StaffReport) -> list[list[str]]:
    """Staff performance as rows, in rank order; a figure with nothing behind it is empty."""
    rows = [STAFF_HEAD]
    for r in s.rows:
        sat = r.extra.get("satisfaction")
        fol = r.extra.get("followups_on_time")
        rows.append([str(r.rank), r.code, r.name, str(r.sales_count), amount_text(r.sales_amount),
                     amount_text(r.returns_amount), amount_text(r.net_amount), amount_text(r.avg_ticket),
                     str(r.visits), str(r.sold_visits), _pct(r.conversion),
                     sat.text if sat and sat.value is not None else "",
                     str(r.checklist_on_time), str(r.checklist_submitted),
                     fol.text if fol and fol.value is not None else "", str(r.overrides),
                     amount_text(r.discount_amount)])
    return rows


def approvals_csv(rows: list[ApprovalRow]) -> list[list[str]]:
    """The approvals log as rows, newest first."""
    return [APPROVALS_HEAD] + [[_ts(a.at), a.kind, a.requested_by, a.approved_by, a.reason, a.entity, a.entity_id,
                                a.record] for a in rows]


def csv_text(rows: list[list[str]]) -> str:
    """*rows* as CSV text, one line each ending in a bare newline."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def export_csv(rows: list[list[str]], home: Path, kind: str, store_code: str, date_from: dt.date,
               date_to: dt.date) -> Path:
    """Write *rows* to HOME/exports/<kind>-<store>-<from>_<to>.csv (UTF-8 with BOM, so a
    spreadsheet opens the Chinese right).  Returns the path; raises OSError when it cannot write."""
    folder = private.make_dir(Path(home) / "exports")
    name = f"{kind}-{store_code}-{date_from.isoformat()}"
    if date_to != date_from:
        name += f"_{date_to.isoformat()}"
    path = folder / f"{name}.csv"
    # written aside and moved into place, so a reader never sees half a file
    tmp = path.with_suffix(".tmp")
    private.write_text(tmp, csv_text(rows), encoding="utf-8-sig")  # 0600
    tmp.replace(path)
    return path


def read_csv(path: Path) -> list[list[str]]:
    """The rows of a CSV written by :func:`export_csv`."""
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        return [row for row in csv.reader(fh)]
