"""Expected errors end in one line and an exit code; only bugs show a traceback.

Every `newscrawl` command runs through `run_command`: a bad argument is one
line and exit 2, a failure the user can act on (a database that is not one,
locked, read-only, a full disk, a folder that cannot be written, another
crawl on the same database) one line and exit 1. `NEWSCRAWL_DEBUG=1` or
`newscrawl -v COMMAND` (and `crawl -v`, `reparse -v`) prints the traceback
before that line, with the same exit code. Anything else is a bug and keeps
its traceback.

`check_database` is the one place a command's `--db` is looked at before any
work starts, so the line can name the file and say what to do; errors met
later are named by `about_database`.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import sys
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click


class DatabaseProblem(click.ClickException):
    """A `--db` the command cannot use; the message names it and says what to do.
    Exit 1 (the file's state), or 2 when the argument itself is wrong (a folder)."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


# sqlite3's words -> what to do about them (matched in the error's text: sqlite3 has one class for all).
SQLITE_ADVICE = (
    ("file is not a database", "is not an SQLite database, or is damaged: give another {option}, or move the file away"),
    ("database disk image is malformed", "is damaged: restore a copy, or give another {option}"),
    ("database is locked", "is locked by another program: wait for it to finish, or give another {option}"),
    ("readonly database", "is read-only: make it (and its folder) writable, or give another {option}"),
    ("database or disk is full", "cannot grow: the disk is full; free space and run again (a crawl resumes where it stopped)"),
    ("disk i/o error", "could not be read or written (disk I/O error): check the disk, then run again"),
    ("unable to open database file", "cannot be opened: check that its folder exists and is writable"),
    ("no such table", "is not a newscrawl database (a table is missing): give the {option} a crawl wrote"),
)


def database_advice(error: BaseException, option: str = "--db") -> str:
    """What a database error means for the user, in a few words."""
    text = str(error).lower()
    for words, advice in SQLITE_ADVICE:
        if words in text:
            return advice.format(option=option)
    if isinstance(error, IsADirectoryError):
        return "is a folder: give a database file, such as FOLDER/newscrawl.db"
    if isinstance(error, PermissionError):
        return f"cannot be written (permission denied): choose a writable place with {option}"
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return "cannot grow: the disk is full; free space and run again"
    return f"cannot be used ({error})"


def check_database(path: str | Path, write: bool, option: str = "--db") -> Path:
    """Raise DatabaseProblem unless `path` can serve as the database (created if `write`).

    A file that exists is opened and its schema read (not SQLite, damaged, unreadable);
    with `write`, a write transaction is begun and rolled back, changing nothing
    (read-only file or folder, locked by another program)."""
    path = Path(path)
    if path.is_dir():
        raise DatabaseProblem(f"{option} {path} is a folder: give a database file, such as {path / 'newscrawl.db'}", exit_code=2)
    if not path.exists():
        if not write:
            raise DatabaseProblem(f"no database at {path}: run a crawl first (newscrawl crawl --replay --db {path}), or give {option}")
        make_folder(path.parent, option, given=path)
        return path
    try:
        conn = sqlite3.connect(f"file:{path}?mode={'rw' if write else 'ro'}", uri=True, timeout=2, isolation_level=None)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if write:
                # Fails now if the file or its folder is read-only or another program holds a write
                # lock (opened "rw", SQLite falls back to read-only without a word).
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                conn.execute("BEGIN IMMEDIATE")
                try:
                    conn.execute(f"PRAGMA user_version = {int(version)}")
                finally:
                    conn.execute("ROLLBACK")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise DatabaseProblem(f"{path} {database_advice(exc, option)}") from exc
    return path


def make_folder(folder: str | Path, option: str, given: str | Path | None = None, create: bool = True) -> Path:
    """Create `folder` (for the path `given` to `option`, or the folder itself) as the user expects
    of a new path, or raise a one-line ClickException (exit 1) saying why it cannot be made or written.
    With `create=False` only check that it could be (the command makes it when it writes)."""
    folder = Path(folder)
    name, what = (given, "its folder") if given else (folder, "it")
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise click.ClickException(f"{option} {name}: {what} cannot be created ({existing} is a file): choose another place")
    if create:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise click.ClickException(f"{option} {name}: {what} cannot be created ({exc.strerror or exc}): choose a writable place") from exc
        existing = folder
    if not os.access(existing, os.W_OK | os.X_OK):  # the folder itself, or the one it would be made in
        raise click.ClickException(f"{option} {name}: the folder {existing} is not writable: choose a writable place")
    return folder


@contextmanager
def about_database(path: str | Path, option: str = "--db"):
    """A database error met after `check_database` passed, named after the file it is about."""
    try:
        yield
    except sqlite3.Error as exc:
        raise DatabaseProblem(f"{path} {database_advice(exc, option)}") from exc


@dataclass
class Session:
    """What one `newscrawl` invocation knows about its own error reporting (the click `obj`)."""

    tracebacks: bool = False


def show_tracebacks(ctx: click.Context, param, value):
    """Callback of `-v/--verbose`: an expected error prints its traceback too (same exit code)."""
    if value and isinstance(ctx.obj, Session):
        ctx.obj.tracebacks = True
    return value


def _one_line(error: BaseException) -> str:
    """An expected failure as one line, or '' for a bug."""
    from .crawl.lock import AlreadyRunning

    # The writer's error type only if a crawl loaded it (importing it pulls in Scrapy: slow).
    writer = sys.modules.get("newscrawl.store.writer")
    writer_failed = (writer.WriterFailed,) if writer else ()
    if isinstance(error, click.ClickException):
        return error.format_message()
    if isinstance(error, AlreadyRunning):
        return str(error)
    if isinstance(error, (sqlite3.Error, *writer_failed)):
        return f"the database {database_advice(error)}"
    if isinstance(error, OSError):
        return _os_error_line(error)
    return ""


# errno -> what to do, for an OSError that reaches the handler (its file named when it has one).
OS_ADVICE = {
    errno.EACCES: "permission denied: make it writable, or choose another place",
    errno.EPERM: "not permitted: make it writable, or choose another place",
    errno.EROFS: "the file system is read-only: choose another place",
    errno.ENOSPC: "no space left on the disk: free space and run again",
    errno.EDQUOT: "the disk quota is used up: free space and run again",
    errno.EISDIR: "it is a folder: give a file",
    errno.ENOTDIR: "a part of the path is a file, not a folder: choose another place",
}


def _os_error_line(error: OSError) -> str:
    what = f"cannot use {error.filename}" if error.filename else "input/output failed"
    advice = OS_ADVICE.get(error.errno)
    return f"{what}: {advice}" if advice else f"{what}: {error.strerror or error}"


def _fail(session: Session, line: str, code: int) -> None:
    """Print the line (after the traceback when asked for) and exit with `code`; call inside `except`."""
    if session.tracebacks:
        traceback.print_exc()
    click.echo(f"Error: {line}", err=True)
    sys.exit(code)


def run_command(group: click.Group, argv: list[str] | None = None) -> None:
    """Run the `newscrawl` group with one handler for every expected error; exits.

    Exit 2: the command line is wrong (click's usage errors, a BadParameter raised by
    a check). Exit 1: a failure named in one line. A bug re-raises: Python prints its
    traceback and exits 1."""
    argv = sys.argv[1:] if argv is None else argv
    session = Session(tracebacks=os.environ.get("NEWSCRAWL_DEBUG") == "1")
    try:
        code = group.main(args=argv, prog_name="newscrawl", standalone_mode=False, obj=session)
    except click.UsageError as exc:  # exit 2: the command line itself is wrong
        command = exc.ctx.command_path if exc.ctx else "newscrawl"
        _fail(session, f"{exc.format_message()} (see: {command} --help)", 2)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - sorted into expected (one line) and bugs (traceback)
        line = _one_line(exc)
        if not line:
            raise
        _fail(session, line, exc.exit_code if isinstance(exc, click.ClickException) else 1)
    sys.exit(code if isinstance(code, int) else 0)
