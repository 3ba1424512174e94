"""`storepos serve`: the app in a browser through textual-serve (each tab its own app process).

Binds to loopback by default; another address needs --allow-remote and prints a warning, because
anyone who reaches the port meets the login screen.  PIN login and roles apply as at the counter.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import socket
import sys
from typing import Any

from storepos.commands.base import EXIT_OK, UsageError, open_database
from storepos.i18n import t


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(t("serve.bad_port", port=value)) from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(t("serve.bad_port", port=value))
    return port


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", help=t("serve.opt_host"))
    p.add_argument("--port", type=_port, default=8000, help=t("serve.opt_port"))
    p.add_argument("--allow-remote", action="store_true", help=t("serve.opt_allow_remote"))


def is_loopback(host: str) -> bool:
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(info[4][0]).is_loopback
                       for info in socket.getaddrinfo(host, None))
        except (OSError, ValueError):
            return False


def app_command(settings: Any) -> str:
    """The command each browser tab runs: this Python, the same database settings."""
    # Browser tabs are their own terminal ("WEB"): they never share the counter's register session.
    args = [sys.executable, "-m", "storepos", "--home", str(settings.home), "--db", settings.live_target,
            "--terminal", "WEB"]
    if settings.practice:
        args += ["--practice", "--practice-db", settings.practice_target]
    if settings.lang:
        args += ["--lang", settings.lang]
    if settings.demo:
        args.append("--demo")
    return shlex.join(args)


def run(args: argparse.Namespace, settings: Any) -> int:
    host = args.host
    if not is_loopback(host) and not args.allow_remote:
        raise UsageError(t("serve.remote_refused", host=host))
    # Check the database before serving, so a bad --db is one line here, not an error per tab.
    open_database(settings)  # noqa: SLF001 - the CLI's own opener, with its exit-2 messages
    try:
        from textual_serve.server import Server
    except ImportError:
        raise UsageError(t("serve.missing")) from None
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.bind((host.strip("[]"), args.port))
    except OSError as exc:
        raise UsageError(t("serve.port_busy", host=host, port=args.port, reason=exc.strerror or "")) from None
    if not is_loopback(host):
        print(t("serve.remote_warning", host=host, port=args.port), file=sys.stderr)
    print(t("serve.listening", url=f"http://{host}:{args.port}"), flush=True)
    server = Server(app_command(settings), host=host, port=args.port, title="storepos")
    server.serve()
    return EXIT_OK
