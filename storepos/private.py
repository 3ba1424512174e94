"""Private files: everything storepos keeps under HOME is for the machine's owner alone.

The home folder and every folder storepos makes in it are 0700; the database and its -wal/-shm,
the pepper, printouts, exports and backups are 0600, whatever the umask (files are created with
``os.open(..., 0o600)`` and then set exactly, since a umask only ever removes bits).  SQLite
creates a database's -wal/-shm/-journal with the database file's own mode, so a database file
made here 0600 gives 0600 journals too.

:func:`tighten_home` runs when the app, ``init`` or any writing command opens the database: it
sets the home folder and what storepos keeps there back to these modes.  :func:`too_open` is what
``storepos check`` reports instead (being read-only, it changes nothing).

No storepos imports here: every layer may use it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

FILE_MODE = 0o600
DIR_MODE = 0o700
# What storepos keeps under HOME (beside the database files, which are named by the settings).
HOME_FILES = ("pepper", "audit-key")
HOME_FOLDERS = ("printouts", "exports", "carts", "practice")
DB_SUFFIXES = ("", "-wal", "-shm", "-journal")


def make_dir(path: Path, *, own: bool = True) -> Path:
    """*path* and its missing parents as folders, the ones made here 0700; with *own* (a folder
    storepos keeps, not the user's folder of a --db file) an existing *path* is tightened too."""
    path = Path(path)
    missing = []
    p = path
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    for made in missing:
        os.chmod(made, DIR_MODE)
    if own and path.is_dir() and stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, stat.S_IMODE(path.stat().st_mode) & ~0o077)
    return path


def create_file(path: Path, *, exclusive: bool = False) -> int:
    """Open *path* for writing (truncated; with *exclusive*, it must not exist yet), mode 0600.
    Returns the file descriptor."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    except OSError:
        os.close(fd)
        raise
    return fd


def open_file(path: Path, mode: str = "w", *, exclusive: bool = False, **kwargs: Any) -> IO[Any]:
    """``open(path, mode)`` for writing a private file (0600); *mode* "w" or "wb"."""
    if mode not in ("w", "wb"):
        raise ValueError(f"private.open_file: mode {mode!r}")
    return os.fdopen(create_file(Path(path), exclusive=exclusive), mode, **kwargs)


def write_text(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Write *text* to *path* as a private file (0600)."""
    with open_file(path, "w", encoding=encoding) as fh:
        fh.write(text)
    return Path(path)


def create_empty(path: Path) -> bool:
    """Create *path* empty and 0600 unless it exists (a database file before SQLite opens it, so
    that its journals get the same mode).  Returns whether it was made."""
    try:
        os.close(create_file(Path(path), exclusive=True))
    except FileExistsError:
        return False
    return True


def database_files(target: str | Path) -> list[Path]:
    """A SQLite database file and its -wal/-shm/-journal, those that exist."""
    base = str(Path(target).expanduser())
    return [Path(base + s) for s in DB_SUFFIXES if Path(base + s).is_file()]


def _exposed(path: Path) -> bool:
    try:
        return bool(stat.S_IMODE(path.stat().st_mode) & 0o077)
    except OSError:
        return False


def _home_entries(home: Path) -> Iterator[Path]:
    """What storepos keeps under *home*: the pepper and key files, its folders, and what those
    folders hold where others could reach it: a folder that is 0700 keeps all below it private
    whatever their modes, so it is not walked (years of printouts are not read at each start)."""
    for name in HOME_FILES:
        p = home / name
        if p.is_file():
            yield p
    for name in HOME_FOLDERS:
        top = home / name
        if not top.is_dir() or top.is_symlink():
            continue
        yield top
        if not _exposed(top):
            continue
        for root, dirs, files in os.walk(top):
            for f in files:
                yield Path(root) / f
            keep = []
            for d in dirs:
                yield Path(root) / d
                if _exposed(Path(root) / d):
                    keep.append(d)
            dirs[:] = keep


def _wanted(path: Path) -> int:
    return DIR_MODE if path.is_dir() else FILE_MODE


def _candidates(home: Path, databases: Iterable[str]) -> Iterator[Path]:
    if home.is_dir():
        yield home
        yield from _home_entries(home)
    for target in databases:
        if target and "://" not in target and target != ":memory:":
            yield from database_files(target)


def too_open(home: Path, databases: Iterable[str] = ()) -> list[tuple[Path, int, int]]:
    """(path, its mode, the mode it should have) for each private file or folder that others may
    read, write or enter (any group/other bit set).  Changes nothing."""
    out = []
    seen: set[Path] = set()
    for p in _candidates(Path(home).expanduser(), databases):
        if p in seen or p.is_symlink():
            continue
        seen.add(p)
        try:
            mode = stat.S_IMODE(p.stat().st_mode)
        except OSError:
            continue
        if mode & 0o077:
            out.append((p, mode, _wanted(p)))
    return out


def tighten(home: Path, databases: Iterable[str] = ()) -> list[Path]:
    """Set every too-open private file and folder (see :func:`too_open`) to 0600/0700; files that
    cannot be changed (not ours, read-only file system) are left as they are.  Returns what
    changed."""
    changed = []
    for path, mode, wanted in too_open(home, databases):
        try:
            os.chmod(path, mode & wanted)
        except OSError:
            continue
        changed.append(path)
    return changed


__all__ = ["DIR_MODE", "FILE_MODE", "create_empty", "create_file", "database_files", "make_dir", "open_file",
           "tighten", "too_open", "write_text"]
