"""The `storepos` command: the counter app (default) and its subcommands.

Every failure a user can cause prints one clear line and exits 2 (bad option, bad --db, …);
`check` exits 1 when it finds a problem.  Never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError

from storepos.i18n import normalize_language, set_language, t

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2

# Subcommands added by later areas: name -> (configure parser, run).  run(args, settings) -> int
Command = tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace, Any], int]]
COMMANDS: dict[str, Command] = {}
# Run by `storepos init` after the schema (and the demo) are in place, e.g. seeding per-store data.
INIT_HOOKS: list[Callable[[], None]] = []
# Run after the demo store is loaded by `storepos --demo` / `storepos init --demo`, with what
# load_demo added (e.g. a new demo store gets simulated history).
DEMO_HOOKS: list[Callable[[Any], None]] = []


class UsageError(Exception):
    """One line for the user; exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, no usage dump
        raise UsageError(t("cli.usage_error", message=message, prog=self.prog))


def _say(text: str, *, err: bool = False) -> None:
    print(text, file=sys.stderr if err else sys.stdout)


def _common(p: argparse.ArgumentParser, *, sub: bool = False) -> None:
    """The global options; subcommands accept them too (after the command name)."""
    kw: dict[str, Any] = {"default": argparse.SUPPRESS} if sub else {"default": None}
    p.add_argument("--db", metavar="PATH|URL", help=t("cli.opt_db"), **kw)
    p.add_argument("--home", metavar="DIR", help=t("cli.opt_home"), **kw)
    p.add_argument("--lang", metavar="zh_CN|en", help=t("cli.opt_lang"), **kw)
    p.add_argument("--terminal", metavar="CODE", help=t("cli.opt_terminal"), **kw)
    p.add_argument("--demo", action="store_true", help=t("cli.opt_demo"), **kw)
    p.add_argument("--practice", action="store_true", help=t("cli.opt_practice"), **kw)
    p.add_argument("--practice-db", metavar="PATH|URL", help=t("cli.opt_practice_db"), **kw)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="storepos", description=t("cli.description"))
    _common(parser)
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    p = sub.add_parser("init", help=t("cli.cmd_init"))
    _common(p, sub=True)
    p = sub.add_parser("check", help=t("cli.cmd_check"))
    _common(p, sub=True)
    p = sub.add_parser("backup", help=t("cli.cmd_backup"))
    _common(p, sub=True)
    p.add_argument("dest", metavar="DEST", help=t("cli.opt_backup_dest"))
    for name, (configure, _run) in COMMANDS.items():
        p = sub.add_parser(name, help=t(f"cli.cmd_{name}"))
        _common(p, sub=True)
        configure(p)
    return parser


def _version() -> str:
    from storepos import __version__

    return f"storepos {__version__}"


def _early_language(argv: Sequence[str]) -> None:
    lang = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    for candidate in (lang, os.environ.get("STOREPOS_LANG"), os.environ.get("LANG")):
        code = normalize_language(candidate)
        if code:
            set_language(code)
            return


def _settings(args: argparse.Namespace) -> Any:
    from storepos.config import load_settings

    try:
        return load_settings(db=args.db, home=args.home, lang=args.lang, terminal=args.terminal,
                             demo=getattr(args, "demo", None), practice=getattr(args, "practice", None),
                             practice_db=getattr(args, "practice_db", None))
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ()))
        raise UsageError(t("cli.bad_setting", name=where, message=err.get("msg", ""))) from None


def _open(settings: Any, opener: Callable[[Any], Any] | None = None) -> Any:
    from storepos.db import DatabaseOpenError
    from storepos.models.schema import SchemaError
    from storepos.services.core.bootstrap import open_store_database

    try:
        return (opener or open_store_database)(settings)
    except (DatabaseOpenError, SchemaError) as exc:
        raise UsageError(t(exc.key, **exc.params)) from None
    except OSError as exc:
        raise UsageError(t("err.db_cannot_open", target=settings.database_target,
                           reason=exc.strerror or str(exc))) from None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _early_language(argv)
    _load_plugins()
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.lang and normalize_language(args.lang) is None:
            raise UsageError(t("cli.bad_lang", lang=args.lang))
        settings = _settings(args)
        if settings.lang:
            set_language(settings.lang)
        command = args.command
        if command is None:
            return _run_app(settings)
        if command == "init":
            return _cmd_init(args, settings)
        if command == "check":
            return _cmd_check(settings)
        if command == "backup":
            return _cmd_backup(args, settings)
        return COMMANDS[command][1](args, settings)
    except UsageError as exc:
        _say(str(exc), err=True)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _load_plugins() -> None:
    """Import the modules that add subcommands (kept lazy: the app's start must stay fast)."""
    import importlib
    import pkgutil

    import storepos.commands as pkg

    for info in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"storepos.commands.{info.name}")


def _run_app(settings: Any) -> int:
    """Run the counter app; a trainer's switch between live and practice ends the app with a
    restart request (ui.app.RESTART_PRACTICE / RESTART_LIVE) and it runs again on the other
    database."""
    from storepos.ui.app import RESTART_LIVE, RESTART_PRACTICE

    while True:
        result, code = _run_app_once(settings)
        if result == RESTART_PRACTICE:
            settings = settings.model_copy(update={"practice": True})
        elif result == RESTART_LIVE:
            settings = settings.model_copy(update={"practice": False})
        else:
            return code


def _run_app_once(settings: Any) -> tuple[Any, int]:
    from storepos.services.core.errors import DomainError

    if settings.practice:
        from storepos.services import practice

        try:
            _open(settings, practice.prepare)
        except DomainError as exc:
            raise UsageError(exc.message) from None
    else:
        _open(settings)
        if settings.demo:
            from storepos.services.demo import load_demo

            try:
                loaded = load_demo()
                for hook in DEMO_HOOKS:
                    hook(loaded)
            except DomainError as exc:
                raise UsageError(exc.message) from None
    from storepos.services.core.bootstrap import close_database
    from storepos.ui.app import make_app

    app = make_app(settings)
    result = app.run()
    close_database()
    return result, app.return_code or 0


def _cmd_init(args: argparse.Namespace, settings: Any) -> int:
    from storepos.services.demo import load_demo
    from storepos.services.core.errors import DomainError
    from storepos.services.core.sop import validate_all

    opened = _open(settings)
    problems = validate_all()
    if problems:
        for p in problems:
            _say(p, err=True)
        return EXIT_PROBLEM
    _say(t("cli.init_schema", target=settings.database_target, version=opened.version))
    if settings.demo:
        try:
            result = load_demo()
            for hook in DEMO_HOOKS:
                hook(result)
        except DomainError as exc:
            raise UsageError(exc.message) from None
        if result.total:
            _say(t("cli.init_demo_loaded", staff=result.staff, products=result.products,
                   customers=result.customers))
        else:
            _say(t("cli.init_nothing_new"))
    for hook in INIT_HOOKS:
        hook()
    return EXIT_OK


def run_checks() -> list[str]:
    """Every invariant `storepos check` verifies; later areas add theirs to CHECKS."""
    from storepos.models.schema import SCHEMA_VERSION, get_version, integrity_problems
    from storepos.services.core.audit import verify_chain

    _load_plugins()  # the areas' checks register themselves when their command modules load
    problems = list(integrity_problems())
    version = get_version()
    if version != SCHEMA_VERSION:
        problems.append(t("cli.check_version", found=version, expected=SCHEMA_VERSION))
    problems.extend(verify_chain())
    for check in CHECKS:
        try:
            problems.extend(check())
        except Exception as exc:  # noqa: BLE001 - a check must report broken data, not crash on it
            problems.append(t("integrity.check_crashed", check=check.__name__, reason=" ".join(str(exc).split())))
    return problems


CHECKS: list[Callable[[], list[str]]] = []


def _cmd_check(settings: Any) -> int:
    target = settings.database_target
    if not settings.db or "://" not in settings.db:
        if not Path(target).expanduser().exists():
            raise UsageError(t("cli.check_missing", target=target))
    _open(settings)
    problems = run_checks()
    for p in problems:
        _say(p)
    if problems:
        _say(t("cli.check_failed", count=len(problems)), err=True)
        return EXIT_PROBLEM
    _say(t("cli.check_ok", target=target))
    return EXIT_OK


def backup_sqlite(source: str, dest: Path) -> None:
    """Online backup (sqlite3's backup API; writers may go on meanwhile)."""
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(str(dest))
        try:
            src.backup(dst, pages=1024)
            result = dst.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst.close()
    finally:
        src.close()
    if result != "ok":
        raise UsageError(t("cli.backup_bad", dest=str(dest), result=result))


def _cmd_backup(args: argparse.Namespace, settings: Any) -> int:
    from storepos.db import database, is_sqlite

    dest = Path(args.dest).expanduser()
    if dest.is_dir():
        dest = dest / "storepos-backup.db"
    if dest.exists():
        raise UsageError(t("cli.backup_exists", dest=str(dest)))
    if not dest.parent.exists():
        raise UsageError(t("cli.backup_no_folder", folder=str(dest.parent)))
    target = settings.database_target
    if "://" not in target and not Path(target).expanduser().exists():
        raise UsageError(t("cli.check_missing", target=target))
    _open(settings)
    if not is_sqlite():
        raise UsageError(t("cli.backup_pg"))
    source = database.obj.database
    database.obj.close()
    try:
        backup_sqlite(source, dest)
    except sqlite3.Error as exc:
        raise UsageError(t("cli.backup_failed", dest=str(dest), reason=str(exc))) from None
    _say(t("cli.backup_ok", dest=str(dest)))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
