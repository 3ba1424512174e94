"""What every subcommand shares: exit codes, the one-line usage error, the parser with the global
options, and opening the database with exit-2 messages.  Imported by storepos.cli and by each
command module (never the other way round)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from storepos.i18n import t

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """One line for the user; exit 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, no usage dump
        raise UsageError(t("cli.usage_error", message=message, prog=self.prog))


def say(text: str, *, err: bool = False) -> None:
    print(text, file=sys.stderr if err else sys.stdout)


def common_options(p: argparse.ArgumentParser, *, sub: bool = False) -> None:
    """The global options; subcommands accept them too (after the command name)."""
    kw: dict[str, Any] = {"default": argparse.SUPPRESS} if sub else {"default": None}
    p.add_argument("--db", metavar="PATH|URL", help=t("cli.opt_db"), **kw)
    p.add_argument("--home", metavar="DIR", help=t("cli.opt_home"), **kw)
    p.add_argument("--lang", metavar="zh_CN|en", help=t("cli.opt_lang"), **kw)
    p.add_argument("--terminal", metavar="CODE", help=t("cli.opt_terminal"), **kw)
    p.add_argument("--demo", action="store_true", help=t("cli.opt_demo"), **kw)
    p.add_argument("--practice", action="store_true", help=t("cli.opt_practice"), **kw)
    p.add_argument("--practice-db", metavar="PATH|URL", help=t("cli.opt_practice_db"), **kw)


def open_database(settings: Any, opener: Callable[[Any], Any] | None = None, *, readonly: bool = False,
                  any_version: bool = False) -> Any:
    """Open the database the settings name (services.core.bootstrap), or a UsageError saying why.

    *readonly*: for the commands that only read (check, backup, the reports, products export):
    nothing is created or written, and a missing, empty or non-storepos file is refused
    (bootstrap.open_readonly_database; *any_version* lets an older schema through, for check and
    backup).  Every message names the database with its password masked."""
    from storepos.services.core.bootstrap import (
        DatabaseOpenError,
        SchemaError,
        open_readonly_database,
        open_store_database,
    )

    try:
        if readonly:
            return open_readonly_database(settings, any_version=any_version)
        return (opener or open_store_database)(settings)
    except (DatabaseOpenError, SchemaError) as exc:
        raise UsageError(t(exc.key, **exc.params)) from None
    except OSError as exc:
        raise UsageError(t("err.db_cannot_open", target=settings.shown_target,
                           reason=exc.strerror or str(exc))) from None


def parse_date(value: str | None, option: str) -> dt.date | None:
    """A --from/--to style date (YYYY-MM-DD), or a UsageError naming the option."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(t("cli.report_bad_date", option=option, value=value)) from None


def store_for(code: str | None) -> Any:
    """The store with *code*, or the first store when none is given; a UsageError when missing."""
    from storepos.services.core.store import find_store

    store = find_store(code)
    if store is None:
        raise UsageError(t("cli.report_no_store", code=code or ""))
    return store
