"""`storepos serve` as a user starts it, for the serve tests and the browser tests: a free port,
the server process, a self-signed certificate, this machine's non-loopback address."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen | None = None, timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            out = proc.stdout.read() if proc.stdout else ""
            raise AssertionError(f"serve ended with {proc.returncode}: {out}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on {port}")


def env_for(home: Path, lang: str = "en") -> dict[str, str]:
    env = os.environ | {"STOREPOS_HOME": str(home), "STOREPOS_LANG": lang}
    env.pop("STOREPOS_DB", None)
    env.pop("STOREPOS_PRACTICE_DB", None)
    return env


def init_demo(home: Path) -> None:
    subprocess.run([sys.executable, "-m", "storepos", "init", "--demo"], env=env_for(home),
                   check=True, capture_output=True)


@contextlib.contextmanager
def serving(home: Path, *args: str, port: int | None = None, lang: str = "en"
            ) -> Iterator[tuple[subprocess.Popen, int]]:
    """`storepos serve --demo --port PORT *args` running until the block ends; its output (stdout
    and stderr together) is read after it stopped: `proc.output`."""
    port = port or free_port()
    log = home / f"serve-{port}.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "storepos", "serve", "--demo", "--port", str(port),
                                 *args], env=env_for(home, lang), stdout=out, stderr=subprocess.STDOUT,
                                text=True)
    try:
        end = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"serve ended with {proc.returncode}: {log.read_text()}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > end:
                raise TimeoutError(f"nothing listens on {port}: {log.read_text()}")
            time.sleep(0.2)
        yield proc, port
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.output = log.read_text()  # type: ignore[attr-defined]


def self_signed(folder: Path, name: str = "desk.shop.lan") -> tuple[Path, Path]:
    """A certificate for *name*, localhost and 127.0.0.1 and its key, made with the openssl CLI."""
    openssl = shutil.which("openssl")
    if openssl is None:
        import pytest

        pytest.skip("the openssl command is not installed")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", f"/CN={name}", "-keyout", str(key), "-out", str(cert),
                    "-addext", f"subjectAltName=DNS:{name},DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def non_loopback_address() -> str | None:
    """One IPv4 address of this machine that is not loopback (what another PC would use), if any."""
    candidates: list[str] = []
    if shutil.which("hostname"):
        out = subprocess.run(["hostname", "-I"], capture_output=True, text=True, check=False).stdout
        candidates += out.split()
    with contextlib.suppress(OSError):
        candidates += [i[4][0] for i in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    for address in candidates:
        if "." in address and not address.startswith("127."):
            with socket.socket() as s, contextlib.suppress(OSError):
                s.bind((address, 0))
                return address
    return None
