"""The storepos command as a user runs it: help, init, check, backup, bad arguments."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_only  # subprocesses on their own SQLite files


def run(home: Path, *args: str, lang: str = "en") -> subprocess.CompletedProcess:
    env = os.environ | {"STOREPOS_HOME": str(home), "STOREPOS_LANG": lang}
    env.pop("STOREPOS_DB", None)
    return subprocess.run([sys.executable, "-m", "storepos", *args], capture_output=True, text=True,
                          env=env, timeout=120)


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("cli")
    r = run(home, "init", "--demo")
    assert r.returncode == 0, r.stderr
    return home


def test_help_lists_commands(tmp_path):
    r = run(tmp_path, "--help")
    assert r.returncode == 0
    for cmd in ("init", "check", "backup"):
        assert cmd in r.stdout


def test_help_in_chinese(tmp_path):
    r = run(tmp_path, "--help", lang="zh_CN")
    assert "引导式门店销售台" in r.stdout


def test_init_twice_changes_nothing(demo_home):
    r = run(demo_home, "init", "--demo")
    assert r.returncode == 0
    assert "already loaded" in r.stdout


def test_check_passes_on_a_fresh_demo(demo_home):
    r = run(demo_home, "check", "--demo")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "All checks passed" in r.stdout


def test_check_finds_tampered_audit_row(tmp_path):
    assert run(tmp_path, "init", "--demo").returncode == 0
    con = sqlite3.connect(tmp_path / "demo.db")
    con.execute("UPDATE audit_log SET action = 'x' WHERE id = 2")
    con.commit()
    con.close()
    r = run(tmp_path, "check", "--demo")
    assert r.returncode == 1
    assert "audit row 2" in r.stdout


@pytest.mark.parametrize("args", [
    ["--db", "/etc/passwd", "check"],
    ["--db", "mysql://x/y", "check"],
    ["--db", "/proc/nope/x.db", "init"],
    ["--db", "postgresql://nobody@127.0.0.1:1/none", "init"],
    ["frobnicate"],
    ["--lang", "fr"],
    ["check", "--bogus"],
    ["backup"],
])
def test_bad_arguments_give_one_line_and_exit_2(tmp_path, args):
    r = run(tmp_path, *args)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_check_on_missing_database_exits_2(tmp_path):
    r = run(tmp_path, "--db", str(tmp_path / "none.db"), "check")
    assert r.returncode == 2 and "no database" in r.stderr


def test_newer_schema_refused_by_cli(tmp_path):
    assert run(tmp_path, "init").returncode == 0
    con = sqlite3.connect(tmp_path / "storepos.db")
    con.execute("UPDATE storepos_meta SET value = '999' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    r = run(tmp_path, "check")
    assert r.returncode == 2 and "newer storepos" in r.stderr


def test_backup_makes_a_copy_that_passes_check(demo_home, tmp_path):
    dest = tmp_path / "copy.db"
    r = run(demo_home, "backup", str(dest), "--demo")
    assert r.returncode == 0, r.stderr
    con = sqlite3.connect(dest)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM product").fetchone()[0] >= 300
    con.close()
    r = run(demo_home, "--db", str(dest), "check")
    assert r.returncode == 0, r.stdout
    r = run(demo_home, "backup", str(dest), "--demo")
    assert r.returncode == 2 and "already exists" in r.stderr


def test_database_is_wal_with_foreign_keys(demo_home):
    con = sqlite3.connect(demo_home / "demo.db")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_serve_refuses_a_non_loopback_host_without_allow_remote(demo_home):
    r = run(demo_home, "serve", "--host", "0.0.0.0", "--demo")
    assert r.returncode == 2 and "--allow-remote" in r.stderr
    r = run(demo_home, "serve", "--port", "99999", "--demo")
    assert r.returncode == 2 and "99999" in r.stderr


def test_serve_knows_loopback_addresses():
    from storepos.commands.serve import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20")
