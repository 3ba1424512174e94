"""Text printouts (receipts, quotes) for 40- and 80-column printers, CJK widths right, and the
print queue that sends them to this terminal's printer without ever holding up the screen.

``deliver()`` saves the text under HOME/printouts/<kind>/ (HOME/practice/printouts/ in practice;
private: 0700 folders, 0600 files)
and, when a print command is configured, queues it in the database (table ``print_job``) and
returns at once.  A background worker (one thread per process, :func:`start_worker`) drains the
queue: it runs the print command with a timeout (``Settings.print_timeout``, 15 s), and records
printed or failed with the command's own last line on stderr.  A failed job is retried with
:func:`retry`.  The command is split like a shell would (shlex) and run directly; with
``Settings.print_shell`` it is a shell pipeline (``iconv -f utf-8 -t gb18030 | lp``).

Practice printouts never reach the live print command: they are saved (under the practice folder)
and marked "practice: not printed", unless a practice print command is configured of its own.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from rich.cells import cell_len, set_cell_size

from storepos import clock, private
from storepos.db import database, transaction
from storepos.i18n import t
from storepos.models import Meta, PrintJob

DEFAULT_TIMEOUT = 15.0
POLL_SECONDS = 2.0  # the worker also looks for jobs queued by another process of this terminal
NOTICE_MAX = 3  # failed prints named on home (then "and N more")

_config: dict[str, object] = {"folder": None, "command": None, "shell": False, "timeout": DEFAULT_TIMEOUT,
                              "terminal": "", "practice": False, "background": True}


def configure(folder: Path, command: str | None, *, shell: bool = False, timeout: float = DEFAULT_TIMEOUT,
              terminal: str = "", practice: bool = False, background: bool = True) -> None:
    """Where printouts are saved (*folder*/printouts/), the print command of this terminal (None:
    saved only), whether it is a shell pipeline, its timeout in seconds, the terminal's code,
    whether this is a practice run (then *command* must be the practice print command), and
    whether a background worker prints (False: the caller drains the queue itself, drain())."""
    stop_worker()
    _config.update(folder=Path(folder), command=(command or "").strip() or None, shell=bool(shell),
                   timeout=float(timeout or DEFAULT_TIMEOUT), terminal=terminal, practice=bool(practice),
                   background=bool(background))


def width_of(text: str) -> int:
    return cell_len(text)


def fit(text: str, width: int) -> str:
    """Cut or pad *text* to exactly *width* columns (a cut CJK character becomes a space)."""
    return set_cell_size(text, width)


def _can_break(before: str, after: str) -> bool:
    """A line may break between these two characters: at a space, or beside a wide (CJK) one."""
    return before == " " or after == " " or cell_len(before) > 1 or cell_len(after) > 1


def wrap(text: str, width: int) -> list[str]:
    """Break *text* into lines of at most *width* columns (CJK-aware).

    Latin words move whole to the next line when they fit on one; CJK text (no spaces)
    and words longer than a line break anywhere."""
    lines: list[str] = []
    for para in text.splitlines() or [""]:
        line = ""
        for ch in para:
            if cell_len(line + ch) <= width:
                line += ch
                continue
            if ch == " " or not line or _can_break(line[-1], ch):
                lines.append(line.rstrip() if ch == " " else line)
                line = "" if ch == " " else ch
                continue
            cut = next((j for j in range(len(line) - 1, 0, -1) if _can_break(line[j - 1], line[j])), 0)
            tail = line[cut:].lstrip(" ")
            if cut and line[:cut].strip() and cell_len(tail + ch) <= width:
                lines.append(line[:cut].rstrip())
                line = tail + ch
            else:
                lines.append(line)
                line = ch
        lines.append(line)
    return lines


def left_right(left: str, right: str, width: int) -> str:
    """*left* then *right* flush to the right edge; the left side is cut when both don't fit."""
    room = width - cell_len(right) - 1
    if room < 1:
        return fit(right, width)
    return fit(left, room) + " " + right


def center(text: str, width: int) -> str:
    w = cell_len(text)
    if w >= width:
        return fit(text, width)
    pad = (width - w) // 2
    return " " * pad + text + " " * (width - w - pad)


def rule(width: int, ch: str = "-") -> str:
    return ch * width



# -- practice ---------------------------------------------------------------------------------

def is_practice() -> bool:
    """Whether this run prints practice: configured so, or the open database is the practice one
    (marked ``database_role = practice`` in storepos_meta)."""
    if _config["practice"]:
        return True
    try:
        row = Meta.get_or_none(Meta.key == "database_role")
    except Exception:  # noqa: BLE001 - no database open (a unit test of the text alone)
        return False
    return row is not None and row.value == "practice"


def practice_marked(lines: list[str], width: int) -> list[str]:
    """*lines* with the practice mark (练习 / PRACTICE, in the printout's language) above and
    below when this is a practice run; unchanged otherwise."""
    if not is_practice():
        return lines
    mark = center(t("printout.practice_mark"), width)
    return [mark, *lines, mark]


# -- delivering: saved, then queued for the printer --------------------------------------------

SAVED, PRACTICE, QUEUED = "saved", "practice", "queued"


@dataclass
class Delivered:
    """What deliver() did: *path* saved; *status* saved (no print command), practice (a practice
    printout: saved, not printed) or queued (*job_id* in the print queue)."""

    path: Path | None
    status: str = SAVED
    job_id: int | None = None

    @property
    def queued(self) -> bool:
        return self.job_id is not None


def _save(text: str, kind: str, name: str) -> Path | None:
    folder = _config["folder"]
    if folder is None:
        return None
    target = private.make_dir(Path(folder) / "printouts" / kind)  # type: ignore[arg-type]  # 0700 folders
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    return private.write_text(target / f"{safe}.txt", text)  # 0600: receipts name customers


def deliver(text: str, kind: str, name: str, *, store_id: int) -> Delivered:
    """Save the printout as <folder>/printouts/<kind>/<name>.txt and, when a print command is
    configured, queue it for this terminal's printer; returns at once (the worker prints).

    The queue row is written in its own short transaction, never the caller's: a sale or a quote
    is already safe when its printout is delivered."""
    path = _save(text, kind, name)
    command = _config["command"]
    if is_practice() and not _config["practice"]:
        command = None  # a practice database opened without practice settings: never the live printer
    if not command:
        return Delivered(path, PRACTICE if is_practice() else SAVED)
    now = clock.now()
    with transaction():
        job = PrintJob.create(store=store_id, terminal=str(_config["terminal"]), kind=kind, name=name[:120],
                              path=str(path or ""), text=text, status="queued", created_at=now, updated_at=now)
    start_worker()
    _wake.set()
    return Delivered(path, QUEUED, job.id)


# -- the status of a job ----------------------------------------------------------------------

@dataclass(frozen=True)
class PrintStatus:
    """One print job as a screen shows it; *error* already in the user's language."""

    id: int
    kind: str
    name: str
    status: str  # queued | printing | printed | failed
    attempts: int
    error: str
    path: str
    last_error: str

    @property
    def label(self) -> str:
        """'Printing…', 'Printed', 'Printing failed: <the printer's words>'."""
        if self.status == "failed":
            return t("printout.status_failed", error=self.error)
        return t(f"printout.status_{self.status}")


def error_text(job: PrintJob) -> str:
    """The job's last error in the user's language; the printer's own words as they are."""
    kind, arg = job.error_kind, job.error_arg or ""
    if kind == "timeout":
        return t("printout.err_timeout", seconds=arg)
    if kind == "missing":
        return t("printout.err_missing", command=arg)
    if kind == "exit":
        return t("printout.err_exit", code=arg)
    if kind == "interrupted":
        return t("printout.err_interrupted")
    if kind == "bad":
        return t("printout.err_bad_command", reason=arg)
    return job.last_error or ""


def _status(job: PrintJob) -> PrintStatus:
    return PrintStatus(job.id, job.kind, job.name, job.status, job.attempts, error_text(job), job.path,
                       job.last_error or "")


def job_status(store_id: int, job_id: int) -> PrintStatus | None:
    """Job *job_id* of the store, or None."""
    job = PrintJob.get_or_none(PrintJob.id == job_id, PrintJob.store == store_id)
    return _status(job) if job is not None else None


def failed_jobs(store_id: int, terminal: str) -> list[PrintStatus]:
    """The failed prints of *terminal*, newest first."""
    rows = (PrintJob.select().where(PrintJob.store == store_id, PrintJob.terminal == terminal,
                                    PrintJob.status == "failed").order_by(PrintJob.id.desc()))
    return [_status(j) for j in rows]


def retry(store_id: int, job_id: int) -> PrintStatus | None:
    """Queue a failed job again (the worker prints it); a job not failed is left as it is.
    Returns its status, or None when the store has no such job."""
    with transaction():
        PrintJob.update(status="queued", updated_at=clock.now()).where(
            PrintJob.id == job_id, PrintJob.store == store_id, PrintJob.status == "failed").execute()
    start_worker()
    _wake.set()
    return job_status(store_id, job_id)


def retry_failed(store_id: int, terminal: str) -> int:
    """Queue every failed print of *terminal* again.  Returns how many."""
    with transaction():
        n = PrintJob.update(status="queued", updated_at=clock.now()).where(
            PrintJob.store == store_id, PrintJob.terminal == terminal, PrintJob.status == "failed").execute()
    if n:
        start_worker()
        _wake.set()
    return int(n)


def home_notices(actor: object) -> list[str]:
    """Home: one line per failed print of the actor's terminal (the newest few), naming what it
    was and the printer's words, and the key that prints them again."""
    store_id, terminal = getattr(actor, "store_id", None), getattr(actor, "terminal", "")
    if store_id is None:
        return []
    failed = failed_jobs(store_id, terminal)
    out = [t("printout.notice_failed", kind=t(f"printout.kind_{j.kind}"), name=j.name, error=j.error)
           for j in failed[:NOTICE_MAX]]
    if len(failed) > NOTICE_MAX:
        out.append(t("printout.notice_more", n=len(failed) - NOTICE_MAX))
    return out


# -- running the print command ----------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    ok: bool
    kind: str | None = None  # output | timeout | missing | exit | interrupted | bad
    arg: str = ""
    text: str = ""  # last_error as stored


def _last_line(data: bytes) -> str:
    lines = [ln.strip() for ln in data.decode("utf-8", "replace").splitlines() if ln.strip()]
    return lines[-1][:500] if lines else ""


_current: dict[str, subprocess.Popen[bytes] | None] = {"proc": None}


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """The command and everything it started (a pipeline: its own process group)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (OSError, ProcessLookupError):
        try:
            proc.kill()
        except OSError:
            pass


def run_command(command: str, text: str, *, timeout: float, shell: bool = False) -> Outcome:
    """Send *text* (UTF-8) to *command* on stdin; never raises.  The command runs in its own
    process group, killed whole when it outlasts *timeout* seconds."""
    try:
        argv: str | list[str] = command if shell else shlex.split(command)
    except ValueError as exc:
        return Outcome(False, "bad", str(exc), f"bad print command: {exc}")
    if not argv:
        return Outcome(False, "bad", command, "bad print command")
    try:
        proc = subprocess.Popen(argv, shell=shell, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, start_new_session=True)
    except FileNotFoundError:
        name = argv[0] if isinstance(argv, list) else command
        return Outcome(False, "missing", name, f"command not found: {name}")
    except OSError as exc:
        line = exc.strerror or str(exc)
        return Outcome(False, "output", line, line)
    _current["proc"] = proc
    try:
        try:
            _out, err = proc.communicate(text.encode("utf-8"), timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            try:
                proc.communicate(timeout=2)
            except (subprocess.TimeoutExpired, OSError, ValueError):
                pass
            seconds = f"{timeout:g}"
            return Outcome(False, "timeout", seconds, f"timed out after {seconds} s")
        except (OSError, ValueError):  # the command closed its stdin early, then failed
            proc.wait()
            err = proc.stderr.read() if proc.stderr else b""
    finally:
        _current["proc"] = None
    if proc.returncode == 0:
        return Outcome(True)
    if proc.returncode < 0 and _stop.is_set():
        return Outcome(False, "interrupted", "", "interrupted: storepos stopped while printing")
    line = _last_line(err or b"")
    if line:
        return Outcome(False, "output", line, line)
    return Outcome(False, "exit", str(proc.returncode), f"exit status {proc.returncode}")


def _claim() -> PrintJob | None:
    """The terminal's oldest queued job, marked printing (a conditional update: two processes of
    one terminal never print a job twice)."""
    terminal = str(_config["terminal"])
    with transaction():
        job = (PrintJob.select().where(PrintJob.terminal == terminal, PrintJob.status == "queued")
               .order_by(PrintJob.id).first())
        if job is None:
            return None
        claimed = PrintJob.update(status="printing", attempts=PrintJob.attempts + 1, updated_at=clock.now()).where(
            PrintJob.id == job.id, PrintJob.status == "queued").execute()
    return PrintJob.get_by_id(job.id) if claimed else None


def _finish(job: PrintJob, outcome: Outcome) -> None:
    with transaction():
        if outcome.ok:
            PrintJob.update(status="printed", last_error=None, error_kind=None, error_arg=None,
                            updated_at=clock.now()).where(PrintJob.id == job.id).execute()
        else:
            PrintJob.update(status="failed", last_error=outcome.text, error_kind=outcome.kind,
                            error_arg=outcome.arg[:200], updated_at=clock.now()).where(PrintJob.id == job.id).execute()


def recover_interrupted() -> int:
    """Jobs of this terminal left 'printing' by a process that stopped (a crash, a kill) and older
    than the timeout: failed as interrupted, so staff see them and print them again (never sent
    twice on their own: the printer may have printed them).  Returns how many."""
    import datetime as dt

    cutoff = clock.now() - dt.timedelta(seconds=float(_config["timeout"]) + 5)  # type: ignore[arg-type]
    with transaction():
        return int(PrintJob.update(status="failed", error_kind="interrupted", error_arg="",
                                   last_error="interrupted: storepos stopped while printing",
                                   updated_at=clock.now())
                   .where(PrintJob.terminal == str(_config["terminal"]), PrintJob.status == "printing",
                          PrintJob.updated_at < cutoff).execute())


def print_next() -> bool:
    """Print this terminal's oldest queued job now (in the calling thread).  False when none."""
    job = _claim()
    if job is None:
        return False
    command = _config["command"]
    if not command:
        outcome = Outcome(False, "bad", "", "no print command is set")
    else:
        outcome = run_command(str(command), job.text, timeout=float(_config["timeout"]),  # type: ignore[arg-type]
                              shell=bool(_config["shell"]))
    _finish(job, outcome)
    return True


def drain() -> int:
    """Print every queued job of this terminal in the calling thread (a command-line run that
    prints and ends).  Returns how many were tried."""
    n = 0
    while print_next():
        n += 1
    return n


# -- the worker ---------------------------------------------------------------------------------

_wake = threading.Event()
_stop = threading.Event()
_worker: dict[str, threading.Thread | None] = {"thread": None}
_lock = threading.Lock()


def _loop() -> None:
    try:
        with contextlib.suppress(Exception):  # the database went away: nothing to recover now
            recover_interrupted()
        while not _stop.is_set():
            try:
                busy = print_next()
            except Exception:  # noqa: BLE001 - a locked or closed database: try again later
                busy = False
            if not busy:
                _wake.wait(POLL_SECONDS)
                _wake.clear()
    finally:
        with contextlib.suppress(Exception):
            if database.obj is not None:
                database.obj.close()  # this thread's connection only


def start_worker() -> bool:
    """Start the background printer of this process when a print command is configured (and it
    is not running yet).  Returns whether it runs."""
    if not _config["command"] or not _config["background"]:
        return False
    with _lock:
        thread = _worker["thread"]
        if thread is not None and thread.is_alive():
            return True
        _stop.clear()
        thread = threading.Thread(target=_loop, name="storepos-printer", daemon=True)
        _worker["thread"] = thread
        thread.start()
    return True


def stop_worker(wait: float = 3.0) -> None:
    """Stop the background printer (a print under way is killed and recorded as interrupted)."""
    with _lock:
        thread = _worker["thread"]
        _worker["thread"] = None
        if thread is None:
            return
        _stop.set()
        _wake.set()
        proc = _current["proc"]
        if proc is not None:
            _kill(proc)
    thread.join(wait)


def printing_configured() -> bool:
    """Whether this run sends printouts to a print command (else they are saved only)."""
    return bool(_config["command"])


def worker_running() -> bool:
    thread = _worker["thread"]
    return thread is not None and thread.is_alive()
