"""`storepos serve` from an office PC: the page's addresses follow the address the browser used
(or --public-url), the page loads nothing from another host, TLS with --certfile/--keyfile, the
warnings, the database target kept off command lines and out of every output, bad options."""

from __future__ import annotations

import asyncio
import http.client
import re
import socket
import ssl
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from support.serving import (
    env_for,
    free_port,
    init_demo,
    non_loopback_address,
    self_signed,
    serving,
)

pytestmark = pytest.mark.sqlite_only  # subprocesses on their own SQLite files

URL = re.compile(r"\b(?:https?|wss?)://[^\s\"'()<>]+")


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("serve")
    init_demo(home)
    return home


def run(home: Path, *args: str, lang: str = "en") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "storepos", *args], capture_output=True, text=True,
                          env=env_for(home, lang), timeout=120, check=False)


def fetch(port: int, path: str = "/", *, host: str | None = None, address: str = "127.0.0.1",
          context: ssl.SSLContext | None = None) -> tuple[int, str]:
    """GET *path* from *address*:*port*, saying Host: *host* (what a browser that used that name
    sends)."""
    if context is None:
        con = http.client.HTTPConnection(address, port, timeout=20)
    else:
        con = http.client.HTTPSConnection(address, port, timeout=20, context=context)
    try:
        con.request("GET", path, headers={"Host": host} if host else {})
        r = con.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    finally:
        con.close()


def strip_css_comments(text: str) -> str:
    return re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)


def page_urls(page: str) -> list[str]:
    return URL.findall(page)


def assert_everything_from(port: int, base: str, *, address: str = "127.0.0.1",
                           context: ssl.SSLContext | None = None, host: str | None = None) -> str:
    """The page at *base*: every address it, its styles and its script name is on *base*'s host;
    each asset is served.  Returns the page."""
    status, page = fetch(port, host=host or urlsplit(base).netloc, address=address, context=context)
    assert status == 200
    urls = page_urls(page)
    assert urls, page
    ws = "wss" if base.startswith("https:") else "ws"
    origin = urlsplit(base).netloc
    for url in urls:
        assert urlsplit(url).netloc == origin, (url, base)
    assert f'data-session-websocket-url="{ws}://{origin}/ws"' in page
    assets = [u for u in urls if "/static/" in u]
    assert {a.rsplit(".", 1)[1] for a in assets} >= {"css", "js", "ttf"}
    for asset in assets:
        status, body = fetch(port, urlsplit(asset).path, host=origin, address=address, context=context)
        assert status == 200, asset
        if asset.endswith((".css", ".js")):
            text = strip_css_comments(body) if asset.endswith(".css") else body
            foreign = [u for u in page_urls(text) if urlsplit(u).netloc not in ("", origin)]
            assert foreign == [], (asset, foreign)
    return page


@pytest.mark.slow
def test_remote_page_follows_the_address_the_browser_used_and_loads_nothing_from_another_host(home):
    with serving(home, "--host", "0.0.0.0", "--allow-remote", lang="zh_CN") as (proc, port):
        # A browser that reached the shop's machine by a name of the shop's network...
        page = assert_everything_from(port, f"http://desk.shop.lan:{port}")
        assert "0.0.0.0" not in page and "googleapis" not in page
        # ... and one that used the machine's own address on the network, connecting through it.
        address = non_loopback_address()
        if address is not None:
            assert_everything_from(port, f"http://{address}:{port}", address=address)
    # Without TLS the PINs cross the network in clear: serve says so, in the user's language.
    assert "明文" in proc.output and "0.0.0.0" in proc.output


@pytest.mark.slow
def test_public_url_names_the_address_behind_a_proxy(home):
    public = "https://pos.example.com/desk"
    with serving(home, "--public-url", public + "/") as (proc, port):
        status, page = fetch(port, host=f"127.0.0.1:{port}")
    assert status == 200
    assert 'data-session-websocket-url="wss://pos.example.com/desk/ws"' in page
    assert f'src="{public}/static/js/textual.js"' in page
    assert {urlsplit(u).netloc for u in page_urls(page)} == {"pos.example.com"}
    assert public in proc.output


@pytest.mark.slow
def test_tls_serves_https_and_wss_and_nothing_in_clear(home, tmp_path):
    import aiohttp

    cert, key = self_signed(tmp_path)
    trust = ssl.create_default_context(cafile=str(cert))
    with serving(home, "--host", "0.0.0.0", "--allow-remote", "--certfile", str(cert),
                 "--keyfile", str(key)) as (proc, port):
        assert_everything_from(port, f"https://desk.shop.lan:{port}", context=trust)
        with pytest.raises((http.client.HTTPException, ConnectionError, OSError)):
            status, _ = fetch(port)  # plain http to the TLS port is not served
            assert status != 200

        async def tab() -> bytes:
            # A tab over wss (the name the certificate was made for): the app starts and draws.
            connector = aiohttp.TCPConnector(ssl=trust, resolver=_Resolve("desk.shop.lan", "127.0.0.1"))
            url = f"wss://desk.shop.lan:{port}/ws?width=80&height=24"
            async with (aiohttp.ClientSession(connector=connector) as http_,
                        http_.ws_connect(url, origin=f"https://desk.shop.lan:{port}") as ws):
                got = b""
                while len(got) < 2000:
                    msg = await asyncio.wait_for(ws.receive(), 30)
                    if msg.type != aiohttp.WSMsgType.BINARY:
                        break
                    got += msg.data
                return got

        assert len(asyncio.run(tab())) >= 2000
    assert "https://" in proc.output
    assert "in clear" not in proc.output  # TLS: no clear-text warning
    assert "Anyone who can reach this port" in proc.output  # the remote warning still stands


class _Resolve:
    """An aiohttp resolver that maps one name to an address (a hosts alias for this test only)."""

    def __init__(self, name: str, address: str) -> None:
        self.name, self.address = name, address

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET):
        assert host == self.name
        return [{"hostname": host, "host": self.address, "port": port, "family": socket.AF_INET,
                 "proto": 0, "flags": socket.AI_NUMERICHOST}]

    async def close(self) -> None:
        pass


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_each_tab_gets_the_database_by_environment_never_on_its_command_line(home, tmp_path):
    import shutil

    import aiohttp

    db = tmp_path / "shop-secret-name.db"
    shutil.copy(home / "demo.db", db)
    with serving(home, "--db", str(db)) as (proc, port):

        async def tab() -> tuple[list[str], list[str]]:
            async with aiohttp.ClientSession() as http_:
                # A page from another site may not open a tab (and try PINs).
                with pytest.raises(aiohttp.WSServerHandshakeError):
                    await http_.ws_connect(f"http://127.0.0.1:{port}/ws", origin="http://evil.example")
                async with http_.ws_connect(f"http://127.0.0.1:{port}/ws",
                                            origin=f"http://127.0.0.1:{port}") as ws:
                    await asyncio.wait_for(ws.receive(), 30)  # the tab's app has started
                    lines, envs = [], []
                    for pid in _descendants(proc.pid):
                        try:
                            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                            env = Path(f"/proc/{pid}/environ").read_bytes().decode("utf-8", "replace")
                        except OSError:
                            continue
                        if "storepos" in cmd:
                            lines.append(cmd)
                            envs.append(env)
                    return lines, envs

        lines, envs = asyncio.run(tab())
    assert lines and any("--terminal WEB" in line for line in lines), lines
    assert all(str(db) not in line and "shop-secret-name" not in line for line in lines), lines
    assert any(f"STOREPOS_DB={db}\0" in env for env in envs)


def test_the_tab_command_carries_no_database_url_and_its_environment_does():
    from storepos.commands.serve import app_command, app_environment
    from storepos.config import Settings

    settings = Settings(home="/srv/pos", db="postgresql://shop:s3cret@db.lan/pos", practice=True,
                        practice_db="postgresql://shop:s3cret@db.lan/practice", lang="zh_CN")
    command = app_command(settings)
    assert "s3cret" not in command and "postgresql" not in command
    assert "--practice" in command and "--terminal WEB" in command and "--home /srv/pos" in command
    assert app_environment(settings) == {"STOREPOS_DB": "postgresql://shop:s3cret@db.lan/pos",
                                         "STOREPOS_PRACTICE_DB": "postgresql://shop:s3cret@db.lan/practice"}


def test_passwords_are_masked_in_what_serve_prints():
    from storepos.commands.serve import _mask_secrets

    assert _mask_secrets("cannot open postgresql://shop:s3cret@db.lan:5432/pos: refused") == \
        "cannot open postgresql://shop:***@db.lan:5432/pos: refused"
    assert _mask_secrets("postgresql://u:p@ss@h/db") == "postgresql://u:***@h/db"
    assert _mask_secrets("postgresql://h/db?user=u&password=s3cret&x=1") == \
        "postgresql://h/db?user=u&password=***&x=1"
    assert _mask_secrets("postgresql://u@h/db and /srv/pos/storepos.db") == \
        "postgresql://u@h/db and /srv/pos/storepos.db"
    # the password of the URL serve was given, however a driver writes it (a '/' in it too)
    target = "postgresql://shop:a/b%40c@db.lan/pos"
    shown = _mask_secrets(f"connect to {target} failed: password 'a/b@c' refused", (target,))
    assert "a/b" not in shown and "b@c" not in shown and "postgresql://shop:***@db.lan/pos" in shown


def test_serve_with_an_unreachable_database_prints_its_url_masked(home):
    port = str(free_port())
    r = run(home, "serve", "--db", "postgresql://shop:s3cret@127.0.0.1:1/pos", "--port", port)
    assert r.returncode == 2
    assert "s3cret" not in r.stdout + r.stderr and "127.0.0.1:1/pos" in r.stderr
    # A URL the opener cannot use is named as given: serve masks its password.
    r = run(home, "serve", "--db", "postgresql://shop:s3cret@", "--port", port)
    assert r.returncode == 2
    assert "s3cret" not in r.stdout + r.stderr
    assert "postgresql://shop:***@" in r.stderr and "Traceback" not in r.stderr


def test_serve_bad_options_are_one_line_and_exit_2(home, tmp_path):
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate\n")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = str(busy.getsockname()[1])
        cases = {
            ("--port", taken): taken,
            ("--certfile", str(tmp_path / "missing.pem")): "missing.pem",
            ("--certfile", str(garbage)): "garbage.pem",
            ("--keyfile", str(garbage)): "--certfile",
            ("--public-url", "ftp://desk.example.com"): "ftp://desk.example.com",
            ("--public-url", "desk.example.com"): "desk.example.com",
            ("--public-url", "https://u:s3cret@desk.example.com"): "u:***@desk.example.com",
        }
        for args, named in cases.items():
            r = run(home, "serve", "--demo", *args)
            assert r.returncode == 2, (args, r.stdout, r.stderr)
            lines = r.stderr.strip().splitlines()
            assert len(lines) == 1 and named in lines[0], (args, r.stderr)
            assert "s3cret" not in r.stderr


def test_clear_text_warning_in_both_languages():
    from storepos.i18n import catalog

    assert "PIN" in catalog("en")["serve.cleartext_warning"]
    assert "明文" in catalog("zh_CN")["serve.cleartext_warning"]


def test_page_base_follows_host_header_and_falls_back_on_a_strange_one():
    from storepos.commands.serve import page_base

    bound = "http://0.0.0.0:8000"
    assert page_base("http", "192.168.1.20:8000", None, bound) == "http://192.168.1.20:8000"
    assert page_base("https", "[fd00::2]:8000", None, bound) == "https://[fd00::2]:8000"
    assert page_base("http", 'x"><script>', None, bound) == bound
    assert page_base("http", None, None, bound) == bound
    assert page_base("http", "desk:8000", "https://pos.example.com", bound) == "https://pos.example.com"
