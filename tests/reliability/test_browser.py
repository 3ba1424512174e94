"""The manager's desk in a real browser: `storepos serve` + headless Chromium over the DevTools
protocol.  Types into the page like a user; reads the terminal's text from xterm.js's buffer."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_only

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")

# Capture xterm.js Terminal instances as the page creates them (textual-serve keeps them private).
HOOK = """
Object.defineProperty(Object.prototype, 'terminal', {
  configurable: true,
  set(v) {
    (window.__terms = window.__terms || []).push(v);
    Object.defineProperty(this, 'terminal', {value: v, writable: true, configurable: true, enumerable: true});
  },
});
"""
SCREEN_TEXT = """
(() => { const t = (window.__terms || [])[0]; if (!t) return null;
  const b = t.buffer.active; const out = [];
  for (let i = 0; i < t.rows; i++) { const l = b.getLine(i); out.push(l ? l.translateToString(true) : ''); }
  return out.join('\\n'); })()
"""


class CDP:
    def __init__(self, ws) -> None:
        self.ws = ws
        self.ids = itertools.count(1)

    async def call(self, method: str, **params):
        msg_id = next(self.ids)
        await self.ws.send_str(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            msg = json.loads((await self.ws.receive()).data)
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(msg["error"])
                return msg.get("result", {})

    async def screen(self) -> str:
        r = await self.call("Runtime.evaluate", expression=SCREEN_TEXT, returnByValue=True)
        return r.get("result", {}).get("value") or ""

    async def wait_for(self, text: str, timeout: float = 40) -> str:
        end = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < end:
            screen = await self.screen()
            if text in screen:
                return screen
            await asyncio.sleep(0.3)
        raise AssertionError(f"{text!r} never appeared; screen was:\n{screen}")

    async def type(self, text: str) -> None:
        await self.call("Runtime.evaluate",
                        expression="document.querySelector('.xterm-helper-textarea').focus()")
        for ch in text:
            await self.call("Input.insertText", text=ch)
            await asyncio.sleep(0.03)

    async def key(self, key: str, code: int) -> None:
        for kind in ("keyDown", "keyUp"):
            await self.call("Input.dispatchKeyEvent", type=kind, key=key, code=key,
                            windowsVirtualKeyCode=code, nativeVirtualKeyCode=code,
                            **({"text": "\r"} if key == "Enter" and kind == "keyDown" else {}))
        await asyncio.sleep(0.1)


@pytest.fixture
def served(tmp_path):
    from support.serving import init_demo, serving

    home = tmp_path / "home"
    home.mkdir()
    init_demo(home)
    with serving(home) as (_proc, port):
        yield f"http://127.0.0.1:{port}/"


@contextlib.contextmanager
def chromium(profile: Path, *extra: str):
    """Headless Chromium; yields its DevTools port."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package 'chromium'; .ci/run installs it)")
    proc = subprocess.Popen([
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-proxy-server", *extra,
        f"--user-data-dir={profile}", "--remote-debugging-port=0", "--window-size=1280,800", "about:blank",
    ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        end = time.monotonic() + 30
        # Chromium writes the file in two steps: wait for its first line, not just the file.
        while not (port_file.exists() and port_file.read_text().split()) and time.monotonic() < end:
            time.sleep(0.1)
        yield int(port_file.read_text().split()[0])
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def browser(tmp_path):
    with chromium(tmp_path / "profile") as port:
        yield port


async def _page(http, devtools: int):
    pages = await (await http.get(f"http://127.0.0.1:{devtools}/json")).json()
    return next(p for p in pages if p.get("type") == "page")


def test_manager_logs_in_and_opens_the_daily_report_in_a_real_browser(served, browser, tmp_path):
    import aiohttp

    async def scenario() -> None:
        async with aiohttp.ClientSession() as http:
            page = await _page(http, browser)
            async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                cdp = CDP(ws)
                await cdp.call("Page.enable")
                await cdp.call("Page.addScriptToEvaluateOnNewDocument", source=HOOK)
                await cdp.call("Page.navigate", url=served)
                screen = await cdp.wait_for("Staff code")
                assert "Demo staff" in screen
                await cdp.type("9001")
                await cdp.key("Enter", 13)
                await cdp.type("9999")
                await cdp.key("Enter", 13)
                screen = await cdp.wait_for("Today at a glance")
                assert "(manager)" in screen
                await cdp.type("m")  # the manager's desk opens on the daily report
                screen = await cdp.wait_for("Daily report")
                assert "⟦" not in screen
                shot = await cdp.call("Page.captureScreenshot", format="png")
                png = base64.b64decode(shot["data"])
                assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
                (tmp_path / "desk.png").write_bytes(png)
                if os.environ.get("STOREPOS_SCREENSHOT_DIR"):
                    Path(os.environ["STOREPOS_SCREENSHOT_DIR"], "desk.png").write_bytes(png)

    asyncio.run(scenario())


RESOURCES = "JSON.stringify(performance.getEntriesByType('resource').map(e => e.name))"
WS_URL = "document.getElementById('terminal').dataset.sessionWebsocketUrl"


@pytest.mark.slow
@pytest.mark.parametrize("tls", [False, True], ids=["http", "https"])
def test_an_office_pc_reaches_the_desk_by_the_shop_machines_name(tmp_path, tls):
    """serve on every address (--allow-remote); a browser that knows the shop's machine as
    desk.shop.lan (mapped to this machine's network address, not loopback) loads the page, its
    assets and the websocket through that name, over TLS with --certfile/--keyfile, and meets the
    login screen."""
    import aiohttp
    from support.serving import init_demo, non_loopback_address, self_signed, serving

    home = tmp_path / "home"
    init_demo(home)
    name = "desk.shop.lan"
    address = non_loopback_address() or "127.0.0.1"
    args = ["--host", "0.0.0.0", "--allow-remote"]
    extra = [f"--host-resolver-rules=MAP {name} {address}"]
    if tls:
        cert, key = self_signed(tmp_path, name)
        args += ["--certfile", str(cert), "--keyfile", str(key)]
        extra.append("--ignore-certificate-errors")
    with serving(home, *args) as (_proc, port), chromium(tmp_path / "profile", *extra) as devtools:
        origin = f"{'https' if tls else 'http'}://{name}:{port}"

        async def scenario() -> None:
            async with aiohttp.ClientSession() as http:
                page = await _page(http, devtools)
                async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                    cdp = CDP(ws)
                    await cdp.call("Page.enable")
                    await cdp.call("Page.addScriptToEvaluateOnNewDocument", source=HOOK)
                    await cdp.call("Page.navigate", url=origin + "/")
                    screen = await cdp.wait_for("Staff code")  # the websocket is up: the app drew
                    assert "Demo staff" in screen
                    r = await cdp.call("Runtime.evaluate", expression=WS_URL, returnByValue=True)
                    assert r["result"]["value"] == f"{'wss' if tls else 'ws'}://{name}:{port}/ws"
                    r = await cdp.call("Runtime.evaluate", expression=RESOURCES, returnByValue=True)
                    loaded = json.loads(r["result"]["value"])
                    assert any(u.endswith(".ttf") for u in loaded), loaded  # the font, from here
                    assert loaded and all(u.startswith(origin + "/") for u in loaded), loaded

        asyncio.run(scenario())
