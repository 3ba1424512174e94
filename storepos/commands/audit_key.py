"""`storepos audit-key status` and `storepos audit-key rotate`: the audit chain's secret key
(services.core.audit).  The CLI runs as the machine's administrator (whoever may read the key
file and open the database): the rotation is an audit row with no staff and terminal "cli"."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from storepos.commands.base import (
    EXIT_OK,
    EXIT_PROBLEM,
    Parser,
    UsageError,
    common_options,
    open_database,
    say,
)
from storepos.i18n import t


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="audit_key_command", metavar="status|rotate", parser_class=Parser)
    sub.required = True
    common_options(sub.add_parser("status", help=t("cli.audit_key_status")), sub=True)
    common_options(sub.add_parser("rotate", help=t("cli.audit_key_rotate")), sub=True)


def run(args: argparse.Namespace, settings: Any) -> int:
    from storepos.services.core import audit
    from storepos.services.core.errors import DomainError

    target = settings.database_target
    if "://" not in target and not Path(target).expanduser().exists():
        raise UsageError(t("cli.check_missing", target=target))
    open_database(settings)
    if args.audit_key_command == "rotate":
        try:
            previous, new = audit.rotate_key()
        except DomainError as exc:
            raise UsageError(exc.message) from None
        except OSError as exc:
            raise UsageError(t("err.audit_key_unreadable", path=str(audit.key_path()),
                               reason=exc.strerror or str(exc))) from None
        say(t("cli.audit_key_rotated", key=new, path=str(audit.key_path()),
              previous=previous if previous is not None else t("cli.audit_key_none")))
        return EXIT_OK
    status = audit.key_status()
    say(t("cli.audit_key_file", path=status["path"]))
    say(t("cli.audit_key_ids", ids=", ".join(map(str, status["ids"])) or t("cli.audit_key_none")))
    if status["current"] is None:
        say(t("cli.audit_key_unsigned"))
    else:
        say(t("cli.audit_key_current", key=status["current"]))
    if status["last_row"] is not None:
        say(t("cli.audit_key_head", row=status["last_row"], head=status["head"]))
    if status["keyed_from"] is not None:
        say(t("cli.audit_key_keyed_from", row=status["keyed_from"]))
    for problem in status["problems"]:
        say(problem)
    return EXIT_PROBLEM if status["problems"] else EXIT_OK
