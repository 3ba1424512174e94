"""`storepos products import FILE.csv [--dry-run] [--good-rows]` and `storepos products export [FILE]`.

The CLI runs as the machine's administrator (whoever may open the database file): the import is
recorded in the audit log with no staff and terminal "cli".  Also adds the stock-ledger check to
`storepos check`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from storepos.commands.base import EXIT_OK, EXIT_PROBLEM, Parser, UsageError, common_options, open_database
from storepos.i18n import t


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="products_command", metavar="import|export", parser_class=Parser)
    sub.required = True
    imp = sub.add_parser("import", help=t("cli.products_import"))
    common_options(imp, sub=True)  # --db, --home, --demo… also after "import"
    imp.add_argument("file", metavar="FILE.csv")
    imp.add_argument("--dry-run", action="store_true", help=t("cli.products_dry_run"))
    imp.add_argument("--good-rows", action="store_true", help=t("cli.products_good_rows"))
    imp.add_argument("--store", metavar="CODE", help=t("cli.products_store"))
    exp = sub.add_parser("export", help=t("cli.products_export"))
    common_options(exp, sub=True)
    exp.add_argument("file", metavar="FILE", nargs="?", help=t("cli.products_export_file"))
    exp.add_argument("--store", metavar="CODE", help=t("cli.products_store"))
    exp.add_argument("--encoding", choices=("utf-8", "utf-8-sig", "gb18030"), default=None,
                     help=t("cli.products_encoding"))
    exp.add_argument("--chinese-headers", action="store_true", help=t("cli.products_zh_headers"))


def _store(code: str | None) -> Any:
    from storepos.services.core.store import find_store

    store = find_store(code)
    if store is None:
        raise UsageError(t("cli.products_no_store", code=code or ""))
    return store


def run(args: argparse.Namespace, settings: Any) -> int:
    # export only reads: a read-only open (nothing created or written, a non-storepos file refused)
    open_database(settings, readonly=args.products_command == "export")
    store = _store(args.store)
    if args.products_command == "import":
        return _import(args, store)
    return _export(args, store)


def _import(args: argparse.Namespace, store: Any) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from storepos.services.core.errors import DomainError
    from storepos.services.catalog import run_import

    console = Console(stderr=True)
    out = Console()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        tasks: dict[str, Any] = {}

        def report(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = progress.add_task(t(f"cli.products_phase_{phase}"), total=total)
            progress.update(tasks[phase], completed=done, total=total)

        written = False
        try:
            if args.dry_run:
                plan = run_import(store.id, args.file, dry_run=True, progress=report)
            else:
                try:
                    plan = run_import(store.id, args.file, good_rows=args.good_rows, progress=report)
                    written = True
                except DomainError as exc:
                    if exc.key != "err.import_rejected":
                        raise
                    plan = run_import(store.id, args.file, dry_run=True, progress=report)
        except DomainError as exc:
            raise UsageError(t("cli.products_failed", file=args.file, message=exc.message)) from None
    for r in plan.rejected:
        out.print(t("cli.products_rejected_row", line=r.line, sku=r.sku or "—", reason=r.message), highlight=False, markup=False)
    if plan.new_categories:
        out.print(t("import.new_categories", names=", ".join(plan.new_categories)), highlight=False, markup=False)
    out.print(t("import.summary", rows=plan.rows, added=len(plan.added), changed=len(plan.changed),
                unchanged=plan.unchanged, rejected=len(plan.rejected), encoding=plan.encoding), highlight=False, markup=False)
    if args.dry_run:
        out.print(t("cli.products_dry_run_done"), highlight=False, markup=False)
        return EXIT_PROBLEM if plan.rejected else EXIT_OK
    if not written:
        out.print(t("cli.products_nothing_written", count=len(plan.rejected)), highlight=False, markup=False)
        return EXIT_PROBLEM
    out.print(t("import.done", added=len(plan.added), changed=len(plan.changed)), highlight=False, markup=False)
    return EXIT_OK


def _export(args: argparse.Namespace, store: Any) -> int:
    from storepos.services.catalog import export_products

    if args.file:
        path = Path(args.file).expanduser()
        if path.is_dir():
            raise UsageError(t("cli.products_export_is_dir", file=str(path)))
        if not path.parent.exists():
            raise UsageError(t("cli.backup_no_folder", folder=str(path.parent)))
        with path.open("w", encoding=args.encoding or "utf-8-sig", newline="") as fh:
            n = export_products(store.id, fh, chinese_headers=args.chinese_headers)
        print(t("cli.products_exported", count=n, file=str(path)), file=sys.stderr)
    else:
        if args.encoding:
            sys.stdout.reconfigure(encoding=args.encoding)  # type: ignore[union-attr]
        try:
            export_products(store.id, sys.stdout, chinese_headers=args.chinese_headers)
            sys.stdout.flush()
        except BrokenPipeError:  # `storepos products export | head`
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK

