"""`storepos report KIND ...`: one command, one kind of report per module.

KINDS names the module of each kind; that module has ``configure(parser)`` (the kind's options)
and ``run(args, settings) -> exit code``.  i18n ``cli.report_<name>`` is its help line.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from storepos.commands.base import Parser, common_options
from storepos.i18n import t

KINDS: dict[str, str] = {
    "approvals": "storepos.commands.desk_report",
    "checklist": "storepos.commands.checklist_report",
    "daily": "storepos.commands.desk_report",
    "funnel": "storepos.commands.desk_report",
    "staff": "storepos.commands.desk_report",
}


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="kind", metavar="KIND", parser_class=Parser)
    sub.required = True
    for name, module in KINDS.items():
        kp = sub.add_parser(name, help=t(f"cli.report_{name}"))
        common_options(kp, sub=True)
        importlib.import_module(module).configure(kp)


def run(args: argparse.Namespace, settings: Any) -> int:
    return int(importlib.import_module(KINDS[args.kind]).run(args, settings))
