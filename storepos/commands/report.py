"""`storepos report KIND ...`: one command, one kind of report per module.

A module adds a kind with ``REPORTS["name"] = (configure, run)``: configure(parser) adds the
kind's options, run(args, settings) -> exit code.  i18n ``cli.report_<name>`` is its help line.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from storepos import cli
from storepos.i18n import t

ReportKind = tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace, Any], int]]
REPORTS: dict[str, ReportKind] = {}


def _configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="kind", metavar="KIND", parser_class=cli._Parser)
    sub.required = True
    for name, (configure, _run) in sorted(REPORTS.items()):
        kp = sub.add_parser(name, help=t(f"cli.report_{name}"))
        cli._common(kp, sub=True)
        configure(kp)


def _run(args: argparse.Namespace, settings: Any) -> int:
    return REPORTS[args.kind][1](args, settings)


cli.COMMANDS["report"] = (_configure, _run)
