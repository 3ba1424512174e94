"""Secrets stay secret (issue 18.8, outside `serve`): a database URL's password is masked in every
output (init, check, reports, error messages), and a missing PostgreSQL driver names the fix."""

from __future__ import annotations

import tomllib
from pathlib import Path

import peewee
import pytest

from storepos.cli import main
from storepos.config import Settings, masked, scrub
from storepos.db import DatabaseOpenError, database, make_database
from storepos.services.core.bootstrap import close_database, open_store_database

SECRET = "s3cr%40t-pw"  # as written in the URL; "s3cr@t-pw" decoded
DECODED = "s3cr@t-pw"


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql://bob:s3cret@db.local:5432/shop", "postgresql://bob:***@db.local:5432/shop"),
    ("postgres://bob:p%40ss@db.local/shop", "postgres://bob:***@db.local/shop"),
    ("postgresql://:pw@db.local/shop", "postgresql://:***@db.local/shop"),
    ("postgresql://bob@db.local/shop", "postgresql://bob@db.local/shop"),
    ("postgresql://db.local/shop?sslmode=require&password=zz", "postgresql://db.local/shop?sslmode=require&password=***"),
    ("postgresql://bob:p@ss@db.local/shop", "postgresql://bob:***@db.local/shop"),
    ("postgresql://bob:pa/ss@db.local/shop", "postgresql://bob:***@db.local/shop"),
    ("postgresql://bob:pw@db.local", "postgresql://bob:***@db.local"),
    ("/srv/shop/storepos.db", "/srv/shop/storepos.db"),
    ("sqlite:////srv/shop/storepos.db", "sqlite:////srv/shop/storepos.db"),
])
def test_masked_hides_the_password_only(url, shown):
    assert masked(url) == shown


def test_scrub_removes_the_password_however_a_driver_quotes_it():
    url = f"postgresql://bob:{SECRET}@db.local/shop"
    text = f'connection to {url} failed: password "{DECODED}" rejected ({SECRET})'
    out = scrub(text, url)
    assert DECODED not in out and SECRET not in out and "bob:***@db.local" in out


def test_settings_show_the_target_masked():
    s = Settings(home=Path("/tmp/x"), db=f"postgresql://bob:{SECRET}@db.local/shop")
    assert s.shown_target == "postgresql://bob:***@db.local/shop"
    s = Settings(home=Path("/tmp/x"), practice=True, practice_db=f"postgresql://t:{SECRET}@db.local/practice")
    assert s.shown_target == "postgresql://t:***@db.local/practice"


def _assert_masked(text: str) -> None:
    assert SECRET not in text and DECODED not in text, text


@pytest.mark.parametrize("args", [
    ["init"], ["check"], ["report", "daily"], ["report", "checklist"], ["products", "export"],
    ["products", "import", "x.csv"], ["backup", "{tmp}/b.db"], ["simulate", "--days", "1"],
])
def test_no_command_prints_the_password_when_the_server_is_unreachable(tmp_path, capsys, args):
    url = f"postgresql://bob:{SECRET}@127.0.0.1:1/shop"
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code = main([*argv, "--db", url, "--home", str(tmp_path / "home"), "--lang", "en"])
    out = capsys.readouterr()
    assert code == 2
    _assert_masked(out.out + out.err)
    assert len(out.err.strip().splitlines()) == 1


@pytest.mark.parametrize("url", [
    f"postgresql://bob:{SECRET}@",  # neither host nor database
    f"mysql://bob:{SECRET}@db.local/shop",
    f"postgresql://bob:{SECRET}@db.local/shop?connect_timeout=nope",
])
def test_bad_urls_are_named_masked(tmp_path, capsys, url):
    for args in (["init"], ["check"]):
        code = main([*args, "--db", url, "--home", str(tmp_path / "home"), "--lang", "en"])
        out = capsys.readouterr()
        assert code == 2, out
        _assert_masked(out.out + out.err)


def test_database_open_errors_carry_the_masked_target():
    url = f"mysql://bob:{SECRET}@db.local/shop"
    with pytest.raises(DatabaseOpenError) as info:
        make_database(url)
    assert info.value.params["target"] == "mysql://bob:***@db.local/shop"


def test_a_missing_driver_names_the_fix(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(peewee, "psycopg2", None)
    monkeypatch.setattr(peewee, "psycopg", None, raising=False)
    url = f"postgresql://bob:{SECRET}@db.local/shop"
    for args in (["init"], ["check"], ["report", "daily"]):
        assert main([*args, "--db", url, "--home", str(tmp_path / "home"), "--lang", "en"]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and 'pip install ".[postgres]"' in err[0], err
        _assert_masked(err[0])
    assert main(["check", "--db", url, "--home", str(tmp_path / "home"), "--lang", "zh_CN"]) == 2
    assert 'pip install ".[postgres]"' in capsys.readouterr().err
    # the extra it names is the one pyproject.toml declares, and it brings psycopg2
    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(d.startswith("psycopg2") for d in pyproject["project"]["optional-dependencies"]["postgres"])


def test_init_and_check_print_the_target_masked(db, capsys, monkeypatch):
    """On PostgreSQL (STOREPOS_TEST_PG) the URL the tests run on; on SQLite a path (nothing to
    mask): either way what init and check print is settings.shown_target."""
    target = db.database_target
    close_database()
    database.initialize(None)
    assert main(["init", "--db", target, "--home", str(db.home), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert f"Database ready: {masked(target)}" in out
    assert f"Back up the PIN secret ({db.pepper_path}) and the audit key ({db.audit_key_path})" in out
    close_database()
    database.initialize(None)
    assert main(["check", "--db", target, "--home", str(db.home), "--lang", "en"]) == 0, capsys.readouterr()
    out = capsys.readouterr().out
    assert f"All checks passed: {masked(target)}" in out
    secret = target.partition("://")[2].partition("@")[0].partition(":")[2]
    if secret:
        assert secret not in out
    close_database()
    database.initialize(None)
    open_store_database(db)


def test_a_driver_error_never_carries_the_password(monkeypatch):
    """bind() names the failure in the driver's words: the connection's password is cut out."""
    from storepos.db import PostgresqlDatabase, bind

    pg = PostgresqlDatabase("shop", host="127.0.0.1", port=1, user="bob", password=DECODED)

    def refuse(*_a, **_k):
        raise peewee.OperationalError(f'FATAL: password "{DECODED}" for user "bob" rejected')

    monkeypatch.setattr(pg, "connect", refuse)
    with pytest.raises(DatabaseOpenError) as info:
        bind(pg)
    assert DECODED not in info.value.params["reason"] and "***" in info.value.params["reason"]
    assert DECODED not in info.value.params["target"]
