"""The `storepos` command: the counter app (default) and its subcommands.

Every failure a user can cause prints one clear line and exits 2 (bad option, bad --db, …);
`check` exits 1 when it finds a problem.  Never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from pydantic import ValidationError

from storepos.commands import AFTER_DEMO, COMMANDS
from storepos.commands.base import (
    EXIT_OK,
    EXIT_PROBLEM,
    EXIT_USAGE,
    Parser,
    UsageError,
    common_options,
    open_database,
    say,
)
from storepos.i18n import normalize_language, set_language, t

__all__ = ["EXIT_OK", "EXIT_PROBLEM", "EXIT_USAGE", "UsageError", "build_parser", "main", "run_checks"]


def _command(name: str) -> ModuleType:
    return importlib.import_module(COMMANDS[name])


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="storepos", description=t("cli.description"))
    common_options(parser)
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    p = sub.add_parser("init", help=t("cli.cmd_init"))
    common_options(p, sub=True)
    p = sub.add_parser("check", help=t("cli.cmd_check"))
    common_options(p, sub=True)
    p = sub.add_parser("backup", help=t("cli.cmd_backup"))
    common_options(p, sub=True)
    p.add_argument("dest", metavar="DEST", help=t("cli.opt_backup_dest"))
    for name in COMMANDS:
        p = sub.add_parser(name, help=t(f"cli.cmd_{name}"))
        common_options(p, sub=True)
        _command(name).configure(p)
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


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _early_language(argv)
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
        return int(_command(command).run(args, settings))
    except UsageError as exc:
        say(str(exc), err=True)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


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
            open_database(settings, practice.prepare)
        except DomainError as exc:
            raise UsageError(exc.message) from None
    else:
        open_database(settings)
        if settings.demo:
            from storepos.services.demo import load_demo

            try:
                loaded = load_demo()
                _after_demo(loaded)
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

    opened = open_database(settings)
    problems = validate_all()
    if problems:
        for p in problems:
            say(p, err=True)
        return EXIT_PROBLEM
    say(t("cli.init_schema", target=settings.shown_target, version=opened.version))
    if settings.demo:
        try:
            result = load_demo()
            _after_demo(result)
        except DomainError as exc:
            raise UsageError(exc.message) from None
        if result.total:
            say(t("cli.init_demo_loaded", staff=result.staff, products=result.products,
                   customers=result.customers))
        else:
            say(t("cli.init_nothing_new"))
    from storepos.services import manifest

    for hook in manifest.each(manifest.AFTER_INIT):
        hook()
    say(t("cli.init_secrets", pepper=str(settings.pepper_path), key=str(settings.audit_key_path)))
    return EXIT_OK


def _after_demo(loaded: Any) -> None:
    for ref in AFTER_DEMO:
        module, _, name = ref.partition(":")
        getattr(importlib.import_module(module), name)(loaded)


def run_checks() -> list[str]:
    """Every invariant `storepos check` verifies: the schema, the audit chain, and the areas'
    checks listed in storepos.services.manifest.CHECKS."""
    from storepos.services import manifest
    from storepos.services.core.audit import verify_chain
    from storepos.services.core.bootstrap import schema_problems

    problems = schema_problems()
    problems.extend(verify_chain())
    for check in manifest.each(manifest.CHECKS):
        try:
            problems.extend(check())
        except Exception as exc:  # noqa: BLE001 - a check must report broken data, not crash on it
            problems.append(t("integrity.check_crashed", check=check.__name__, reason=" ".join(str(exc).split())))
    return problems


def _cmd_check(settings: Any) -> int:
    """Read-only: a missing, empty or non-storepos file is refused (exit 2) and left as it was; an
    older schema is reported (the app or `init` upgrades it); too-open files are reported, not
    changed."""
    from storepos.services.core.bootstrap import private_problems, schema_problems

    opened = open_database(settings, readonly=True, any_version=True)
    problems = run_checks() if opened.current else schema_problems()
    problems.extend(private_problems(settings))
    for p in problems:
        say(p)
    if problems:
        say(t("cli.check_failed", count=len(problems)), err=True)
        return EXIT_PROBLEM
    say(t("cli.check_ok", target=settings.shown_target))
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace, settings: Any) -> int:
    """Read-only on the source; the copy is a new private file (0600)."""
    from storepos.services.core.bootstrap import BackupError, backup_open_database, is_sqlite_open

    dest = Path(args.dest).expanduser()
    if dest.is_dir():
        dest = dest / "storepos-backup.db"
    if dest.exists():
        raise UsageError(t("cli.backup_exists", dest=str(dest)))
    if not dest.parent.exists():
        raise UsageError(t("cli.backup_no_folder", folder=str(dest.parent)))
    open_database(settings, readonly=True, any_version=True)
    if not is_sqlite_open():
        raise UsageError(t("cli.backup_pg"))
    try:
        backup_open_database(dest)
    except BackupError as exc:
        raise UsageError(t(exc.key, **exc.params)) from None
    say(t("cli.backup_ok", dest=str(dest)))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
