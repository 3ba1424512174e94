"""The print queue (services/core/printout.py): deliver() queues and returns at once; the worker
(or drain()) runs the print command with a timeout and records printed / failed with the
printer's own last line; a failed job is retried; a shell pipeline only when allowed."""

from __future__ import annotations

import sys
import time

import pytest

from storepos.db import database
from storepos.models import PrintJob, Store
from storepos.models.schema import SCHEMA_VERSION, get_version, set_meta
from storepos.services.core import printout
from storepos.services.core.bootstrap import close_database, open_store_database
from storepos.services.core.store import find_store


def _store_id() -> int:
    store = find_store("S001")
    assert store is not None
    return store.id


def _configure(settings, command, **kw):
    kw.setdefault("terminal", "T1")
    printout.configure(settings.files_home, command, **kw)


def _py(code: str) -> str:
    """A print command: this Python running *code* (reads stdin like a printer would)."""
    return f"{sys.executable} -c \"{code}\""


def test_deliver_queues_and_returns_at_once_then_the_command_gets_the_text(demo, tmp_path):
    out = tmp_path / "printed.txt"
    _configure(demo, f"sh -c 'sleep 1; cat > {out}'")
    started = time.monotonic()
    d = printout.deliver("收据 receipt\n", "receipt", "T1-000001", store_id=_store_id())
    assert time.monotonic() - started < 0.5  # the printer's second is not the caller's
    assert d.status == "queued" and d.path.read_text(encoding="utf-8") == "收据 receipt\n"
    job = PrintJob.get_by_id(d.job_id)
    assert (job.kind, job.name, job.terminal) == ("receipt", "T1-000001", "T1")
    for _ in range(100):  # the background worker prints it
        if printout.job_status(_store_id(), d.job_id).status == "printed":
            break
        time.sleep(0.05)
    status = printout.job_status(_store_id(), d.job_id)
    assert status.status == "printed" and status.attempts == 1
    assert out.read_text(encoding="utf-8") == "收据 receipt\n"
    printout.stop_worker()


def test_a_stuck_printer_times_out_and_fails_with_timed_out(demo):
    _configure(demo, "sleep 30", timeout=0.5, background=False)  # printed here, to watch the clock
    d = printout.deliver("x\n", "receipt", "T1-000002", store_id=_store_id())
    started = time.monotonic()
    assert printout.drain() == 1
    assert time.monotonic() - started < 5
    job = PrintJob.get_by_id(d.job_id)
    assert job.status == "failed" and job.last_error == "timed out after 0.5 s"
    assert printout.job_status(_store_id(), d.job_id).error == "the printer did not finish within 0.5 s"


def test_a_failing_printer_reports_its_own_last_stderr_line_and_retry_prints(demo, tmp_path):
    flag = tmp_path / "paper-loaded"
    script = (f"import sys,os; sys.stdin.read(); "
              f"ok=os.path.exists(r'{flag}'); "
              f"print('lp: warming up', file=sys.stderr); "
              f"ok or print('lp: error - printer PDF is out of paper', file=sys.stderr); "
              f"sys.exit(0 if ok else 1)")
    _configure(demo, _py(script), background=False)
    d = printout.deliver("x\n", "receipt", "T1-000003", store_id=_store_id())
    printout.drain()
    job = PrintJob.get_by_id(d.job_id)
    assert (job.status, job.attempts) == ("failed", 1)
    assert job.last_error == "lp: error - printer PDF is out of paper"
    assert [j.id for j in printout.failed_jobs(_store_id(), "T1")] == [d.job_id]
    flag.write_text("yes")
    assert printout.retry(_store_id(), d.job_id).status == "queued"
    printout.drain()
    job = PrintJob.get_by_id(d.job_id)
    assert (job.status, job.attempts, job.last_error) == ("printed", 2, None)
    assert printout.failed_jobs(_store_id(), "T1") == []


def test_exit_without_a_word_and_a_missing_command_say_so():
    assert printout.run_command("sh -c 'exit 3'", "x", timeout=5).text == "exit status 3"
    missing = printout.run_command("/nonexistent/lp -d shop", "x", timeout=5)
    assert (missing.kind, missing.text) == ("missing", "command not found: /nonexistent/lp")
    assert printout.run_command("lp 'unclosed", "x", timeout=5).kind == "bad"


def test_a_pipeline_only_runs_through_the_shell_when_allowed(tmp_path):
    out = tmp_path / "out.txt"
    pipeline = f"tr a-z A-Z | cat > {out}"
    split = printout.run_command(pipeline, "receipt", timeout=5)  # split: tr gets '|' as an argument
    assert not split.ok and not out.exists()
    assert printout.run_command(pipeline, "receipt", timeout=5, shell=True).ok
    assert out.read_text() == "RECEIPT"
    # a stuck pipeline is killed whole (its own process group), in time
    started = time.monotonic()
    stuck = printout.run_command("cat | sleep 30", "x", timeout=0.5, shell=True)
    assert stuck.kind == "timeout" and time.monotonic() - started < 5


def test_no_print_command_saves_only_and_queues_nothing(demo):
    _configure(demo, None)
    d = printout.deliver("x\n", "receipt", "T1-000004", store_id=_store_id())
    assert (d.status, d.job_id) == ("saved", None) and d.path.exists()
    assert PrintJob.select().count() == 0


def test_failed_prints_are_home_notices_and_retry_failed_queues_them(demo, staff_actor):
    _configure(demo, "sh -c 'echo jammed >&2; exit 1'", background=False)
    for n in range(5):
        printout.deliver("x\n", "receipt", f"T1-00001{n}", store_id=_store_id())
    printout.drain()
    from storepos.services import home

    notes = [n for n in home.notices(staff_actor) if "jammed" in n or "more" in n]
    assert notes[0] == "Printing failed: receipt T1-000014 (jammed) · d prints it again"
    assert notes[-1].startswith("… and 2 more failed prints")
    assert printout.retry_failed(_store_id(), "T1") == 5
    assert PrintJob.select().where(PrintJob.status == "queued").count() == 5


def test_a_job_left_printing_by_a_crash_becomes_failed_interrupted(demo, fixed_clock):
    _configure(demo, "cat", background=False)
    d = printout.deliver("x\n", "receipt", "T1-000020", store_id=_store_id())
    PrintJob.update(status="printing", attempts=1).where(PrintJob.id == d.job_id).execute()
    fixed_clock.advance(minutes=5)
    assert printout.recover_interrupted() == 1
    job = PrintJob.get_by_id(d.job_id)
    assert (job.status, job.error_kind) == ("failed", "interrupted")  # never printed twice on its own


def test_another_terminals_jobs_are_left_to_it(demo):
    _configure(demo, "cat", terminal="T2", background=False)
    d = printout.deliver("x\n", "receipt", "T2-000001", store_id=_store_id())
    _configure(demo, "cat", terminal="T1", background=False)
    assert printout.drain() == 0 and PrintJob.get_by_id(d.job_id).status == "queued"


def test_a_version_6_database_gets_the_print_queue_on_upgrade(demo):
    store_count = Store.select().count()
    database.obj.drop_tables([PrintJob])
    set_meta("schema_version", "6")
    close_database()
    database.initialize(None)
    opened = open_store_database(demo)
    assert opened.upgraded_from == 6 and get_version() == SCHEMA_VERSION
    assert database.obj.table_exists("print_job") and Store.select().count() == store_count
    _configure(demo, None)


@pytest.fixture(autouse=True)
def _worker_stopped():
    yield
    printout.stop_worker()
