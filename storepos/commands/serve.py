"""`storepos serve`: the app in a browser through textual-serve (each tab its own app process).

Binds to loopback by default; another address needs --allow-remote and prints a warning, because
anyone who reaches the port meets the login screen.  PIN login and roles apply as at the counter.

What this module adds to textual-serve's own server:
- the page's script, style and websocket addresses follow the address the browser used (its Host
  header), or --public-url behind a proxy; textual-serve would write its bind address (0.0.0.0)
  into them, which no other PC can reach;
- the page loads nothing from another host (textual-serve's page links a web font host): the
  font, xterm's style and the script come from this server (textual-serve ships them);
- TLS with --certfile/--keyfile (https and wss), and a warning when PINs would cross the
  network in clear;
- the database target reaches each tab's process by environment, never on its command line
  (anyone on the machine can read a command line), and every line serve prints masks a
  database password.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import ipaddress
import logging
import os
import re
import shlex
import signal
import socket
import ssl
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from storepos.commands.base import EXIT_OK, UsageError, open_database
from storepos.config import scrub
from storepos.i18n import t

PAGE_DIR = Path(__file__).resolve().parent / "serve_page"

# scheme://user:password@host → scheme://user:***@host ; ?password=… → ?password=***
_URL = re.compile(r"(?P<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<netloc>[^/?#\s]*)")
_QUERY_PASSWORD = re.compile(r"(?P<key>[?&](?:password|passwd|pwd)=)[^&#\s]*", re.IGNORECASE)
# What a Host header may be: a name or an address, and a port.
_HOST = re.compile(r"^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::\d{1,5})?$")


def _mask_secrets(text: str, targets: tuple[str, ...] = ()) -> str:
    """*text* with the password of every URL in it replaced by ***; the passwords of *targets*
    (the database URLs serve was given) wherever they appear, however written (config.scrub:
    one with a '/' or an '@' in it too)."""
    for target in targets:
        text = scrub(text, target)

    def netloc(m: re.Match[str]) -> str:
        loc = m["netloc"]
        if "@" in loc:
            userinfo, host = loc.rsplit("@", 1)
            if ":" in userinfo:
                loc = f"{userinfo.split(':', 1)[0]}:***@{host}"
        return m["scheme"] + loc

    return _QUERY_PASSWORD.sub(r"\g<key>***", _URL.sub(netloc, text))


class _MaskingStream(io.TextIOBase):
    """A text stream that masks database passwords in whatever is written to it.  serve writes
    its own lines, textual-serve's log and each tab process's error output to stdout/stderr:
    wrapping both covers every output of serve."""

    def __init__(self, stream: Any, targets: tuple[str, ...] = ()) -> None:
        self._stream = stream
        self._targets = targets

    def write(self, s: str) -> int:
        self._stream.write(_mask_secrets(s, self._targets))
        return len(s)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._stream, "encoding", "utf-8")


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(t("serve.bad_port", port=value)) from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(t("serve.bad_port", port=value))
    return port


def _public_url(value: str) -> str:
    """An http(s) address with a host and nothing after the path: the address browsers use."""
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        parts = None
    if (parts is None or parts.scheme not in ("http", "https") or not parts.hostname
            or parts.query or parts.fragment or parts.username or parts.password):
        raise argparse.ArgumentTypeError(t("serve.bad_public_url", url=_mask_secrets(value)))
    return value.strip().rstrip("/")


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", help=t("serve.opt_host"))
    p.add_argument("--port", type=_port, default=8000, help=t("serve.opt_port"))
    p.add_argument("--allow-remote", action="store_true", help=t("serve.opt_allow_remote"))
    p.add_argument("--public-url", type=_public_url, metavar="URL", help=t("serve.opt_public_url"))
    p.add_argument("--certfile", metavar="PEM", help=t("serve.opt_certfile"))
    p.add_argument("--keyfile", metavar="PEM", help=t("serve.opt_keyfile"))


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
    """The command each browser tab runs: this Python, the same settings but the database, which
    goes by environment (app_environment): a command line is readable by every user of the
    machine, and a PostgreSQL URL carries its password."""
    # Browser tabs are their own terminal ("WEB"): they never share the counter's register session.
    args = [sys.executable, "-m", "storepos", "--home", str(settings.home), "--terminal", "WEB"]
    if settings.practice:
        args.append("--practice")
    if settings.lang:
        args += ["--lang", settings.lang]
    if settings.demo:
        args.append("--demo")
    return shlex.join(args)


def app_environment(settings: Any) -> dict[str, str]:
    """What each tab's process gets in its environment: the database targets (STOREPOS_DB, and
    STOREPOS_PRACTICE_DB with --practice)."""
    env = {"STOREPOS_DB": settings.live_target}
    if settings.practice:
        env["STOREPOS_PRACTICE_DB"] = settings.practice_target
    return env


def page_base(scheme: str, host_header: str | None, public_url: str | None, fallback: str) -> str:
    """The address the page's scripts and websocket use: --public-url when set, else the address
    the browser used (its Host header), else *fallback* (the bound address)."""
    if public_url:
        return public_url
    if host_header and _HOST.match(host_header):
        return f"{scheme}://{host_header}"
    return fallback


def _websocket_url(base: str) -> str:
    return ("wss:" if base.startswith("https:") else "ws:") + base.split(":", 1)[1] + "/ws"


def _ssl_context(certfile: str | None, keyfile: str | None) -> ssl.SSLContext | None:
    if keyfile and not certfile:
        raise UsageError(t("serve.keyfile_alone"))
    if not certfile:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(certfile, keyfile)
    except OSError as exc:
        raise UsageError(t("serve.bad_cert", path=exc.filename or keyfile or certfile,
                           reason=exc.strerror or str(exc))) from None
    except ssl.SSLError as exc:
        raise UsageError(t("serve.bad_cert", path=certfile,
                           reason=exc.reason or str(exc))) from None
    return context


def _same_host(origin: str, allowed: set[str]) -> bool:
    try:
        netloc = urlsplit(origin).netloc.lower()
    except ValueError:
        return False
    return bool(netloc) and netloc in allowed


def make_server(settings: Any, *, host: str, port: int, public_url: str | None,
                ssl_context: ssl.SSLContext | None) -> Any:
    """textual-serve's Server with the page, the addresses, TLS and the logging serve needs."""
    import aiohttp_jinja2
    import jinja2
    import textual_serve
    from aiohttp import web
    from aiohttp.web_runner import GracefulExit
    from textual_serve.server import Server

    statics = Path(textual_serve.__file__).resolve().parent / "static"
    scheme = "https" if ssl_context else "http"
    bare = host.strip("[]")
    bound = f"{scheme}://{f'[{bare}]' if ':' in bare else bare}:{port}"
    # What to tell the user: a wildcard address is no address a browser can use.
    shown = public_url or (f"{scheme}://{socket.gethostname()}:{port}"
                           if bare in ("0.0.0.0", "::", "") else bound)

    class StoreposServer(Server):
        def initialize_logging(self) -> None:
            # Plain lines (textual-serve's rich tracebacks show local variables, such as a tab's
            # environment), through the masking stream.
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s", "%H:%M:%S"))
            logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)

        async def on_startup(self, app: web.Application) -> None:
            """serve printed its own line (textual-serve's would show the tab command)."""

        async def _make_app(self) -> web.Application:
            app = web.Application()
            aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(PAGE_DIR), autoescape=True)
            app.add_routes([
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", statics, name="static"),
            ])
            app.on_startup.append(self.on_startup)
            app.on_shutdown.append(self.on_shutdown)
            return app

        def _base(self, request: web.Request) -> str:
            return page_base(request.scheme, request.headers.get("Host"), public_url, bound)

        async def handle_index(self, request: web.Request) -> web.Response:  # type: ignore[override]
            base = self._base(request)
            try:
                font_size = int(request.query.get("fontsize", "16"))
            except ValueError:
                font_size = 16
            context = {
                "title": self.title, "static_url": f"{base}/static/",
                "websocket_url": _websocket_url(base), "font_size": max(6, min(font_size, 64)),
                "start": t("serve.page_start"), "ended": t("serve.page_ended"),
                "restart": t("serve.page_restart"),
            }
            response = aiohttp_jinja2.render_template("app_index.html", request, context)
            response.headers["Cache-Control"] = "no-store"
            return response

        async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
            # A page from another site must not drive a tab (and try PINs): a browser's websocket
            # names the page's origin, which must be this server's address.
            origin = request.headers.get("Origin")
            allowed = {urlsplit(self._base(request)).netloc.lower(),
                       request.headers.get("Host", "").lower()} - {""}
            if origin is not None and not _same_host(origin, allowed):
                raise web.HTTPForbidden(text="origin not allowed")
            return await super().handle_websocket(request)

        def serve(self, debug: bool = False) -> None:
            self.debug = debug
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)

            def stop() -> None:
                raise GracefulExit()

            for sig in (signal.SIGINT, signal.SIGTERM):
                try:
                    loop.add_signal_handler(sig, stop)
                except (NotImplementedError, RuntimeError):
                    pass
            web.run_app(self._make_app(), host=bare, port=port, ssl_context=ssl_context,
                        handle_signals=False, loop=loop, print=lambda *args: None)

    return StoreposServer(app_command(settings), host=host, port=port, title="storepos",
                          public_url=shown)


def run(args: argparse.Namespace, settings: Any) -> int:
    out, err = sys.stdout, sys.stderr
    targets = tuple(u for u in (settings.live_target, settings.practice_target) if u and "://" in u)
    sys.stdout, sys.stderr = _MaskingStream(out, targets), _MaskingStream(err, targets)
    try:
        return _run(args, settings)
    except UsageError as exc:
        raise UsageError(_mask_secrets(str(exc))) from None
    finally:
        sys.stdout, sys.stderr = out, err


def _run(args: argparse.Namespace, settings: Any) -> int:
    host = args.host
    remote = not is_loopback(host)
    if remote and not args.allow_remote:
        raise UsageError(t("serve.remote_refused", host=host))
    context = _ssl_context(args.certfile, args.keyfile)
    # Check the database before serving, so a bad --db is one line here, not an error per tab.
    open_database(settings)
    try:
        import textual_serve.server  # noqa: F401
    except ImportError:
        raise UsageError(t("serve.missing")) from None
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.bind((host.strip("[]"), args.port))
    except OSError as exc:
        raise UsageError(t("serve.port_busy", host=host, port=args.port, reason=exc.strerror or "")) from None
    if remote:
        print(t("serve.remote_warning", host=host, port=args.port), file=sys.stderr)
        if context is None:
            print(t("serve.cleartext_warning"), file=sys.stderr)
    server = make_server(settings, host=host, port=args.port, public_url=args.public_url,
                         ssl_context=context)
    os.environ.update(app_environment(settings))  # each tab's process inherits serve's environment
    print(t("serve.database", target=settings.database_target), flush=True)
    print(t("serve.listening", url=server.public_url), flush=True)
    server.serve()
    return EXIT_OK
