"""Bad input ends in one clean line and the right exit code (2: bad argument, 1: failure)."""

from __future__ import annotations

import ctypes
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, query, run_cli


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    (root / "random.db").write_bytes(bytes(range(256)) * 20)
    (root / "text.db").write_text("not a database\n")
    (root / "folder").mkdir()
    (root / "no-article.html").write_text("<html><head></head><body><div></div></body></html>")
    (root / "a-file").write_text("a file, not a folder\n")
    other = sqlite3.connect(root / "other.db")  # SQLite, but neither newscrawl's database nor a page archive
    other.execute("CREATE TABLE notes (x)")
    other.commit()
    other.close()
    good = root / "good.db"
    assert run_cli("crawl", "--replay", "--db", str(good), "baodautu", cwd=FIXTURES.parent).returncode == 0
    damaged = bytearray(_checkpointed(good).read_bytes())
    for start in range(8192, len(damaged), 4096):  # every page after the first two overwritten
        damaged[start:start + 200] = b"\xff" * 200
    (root / "damaged.db").write_bytes(bytes(damaged))
    return root


def _checkpointed(db: Path) -> Path:
    """`db` with its write-ahead log folded in, so the file alone holds every page."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db


def one_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr[-3000:]
    assert lines[0].startswith("Error: ")
    return lines[0]


CASES = [
    # (arguments, exit code, words the line must hold)
    (["crawl", "--replay", "--since", "2026-13-01", "--db", "{root}/x.db"], 2, ["--since", "2026-13-01", "YYYY-MM-DD"]),
    (["crawl", "--replay", "--db", "{root}/folder"], 2, ["folder", "give a database file"]),
    (["crawl", "--replay", "--db", "/proc/newscrawl-test/x.db"], 1, ["/proc/newscrawl-test/x.db", "cannot be created"]),
    (["crawl", "--replay", "--db", "{root}/random.db"], 1, ["random.db", "not an SQLite database"]),
    (["crawl", "--replay", "--db", "{root}/text.db"], 1, ["text.db", "not an SQLite database"]),
    (["crawl", "nosuchsite", "--replay"], 2, ["nosuchsite", "known sites"]),
    (["reparse", "--site", "nosuchsite"], 2, ["nosuchsite", "known sites"]),
    (["reparse", "--db", "{root}/random.db"], 1, ["random.db", "not an SQLite database"]),
    (["runs", "--db", "{root}/random.db"], 1, ["random.db", "not an SQLite database"]),
    (["runs", "--db", "{root}/folder"], 2, ["folder"]),
    (["runs", "--db", "{root}/missing.db"], 1, ["no database at", "newscrawl crawl"]),
    (["serve", "--db", "{root}/random.db", "--port", "0"], 1, ["random.db", "not an SQLite database"]),
    (["report", "--db", "{root}/text.db"], 1, ["text.db", "not an SQLite database"]),
    (["search", "carbon", "--db", "{root}/random.db"], 1, ["random.db", "not an SQLite database"]),
    (["search", "carbon", "--db", "{root}/good.db", "--site", "nosuchsite"], 2, ["nosuchsite", "known sites"]),
    (["search", "carbon", "--db", "{root}/good.db", "--since", "2026-13-01"], 2, ["2026-13-01", "YYYY-MM-DD"]),
    (["extract", "{root}/no-article.html", "--url", "https://example.org/page"], 1, ["no article found", "no-article.html"]),
    (["extract", "{root}/missing.html"], 2, ["missing.html", "neither a file nor an http(s) URL"]),
    # dates, numbers and options
    (["crawl", "--replay", "--since", "2026-02-30", "--db", "{root}/x.db"], 2, ["--since", "2026-02-30", "YYYY-MM-DD"]),
    (["crawl", "--replay", "--max-pages", "0", "--db", "{root}/x.db"], 2, ["--max-pages", "0"]),
    (["report", "--db", "{root}/good.db", "--since", "2026-13-01"], 2, ["--since", "2026-13-01", "YYYY-MM-DD"]),
    (["runs", "--db", "{root}/good.db", "--limit", "0"], 2, ["--limit"]),
    (["runs", "-v", "--db", "{root}/good.db"], 2, ["No such option", "-v", "newscrawl runs --help"]),
    # --db: a path that cannot be a database, a file that is not newscrawl's
    (["crawl", "--replay", "--db", "{root}/a-file/x.db"], 1, ["--db", "a-file/x.db", "a-file is a file"]),
    (["reparse", "--db", "{root}/folder"], 2, ["folder", "give a database file"]),
    (["runs", "--db", "{root}/damaged.db"], 1, ["damaged.db", "is damaged"]),
    (["crawl", "--replay", "--db", "{root}/damaged.db", "baodautu"], 1, ["damaged.db", "is damaged"]),
    (["search", "carbon", "--db", "{root}/damaged.db"], 1, ["damaged.db", "is damaged"]),
    (["runs", "--db", "{root}/other.db"], 1, ["other.db", "not a newscrawl database"]),
    (["search", "carbon", "--db", "{root}/missing.db"], 1, ["no database at", "missing.db", "newscrawl crawl"]),
    (["serve", "--db", "{root}/folder", "--port", "0"], 2, ["folder", "give a database file"]),
    # replay sources and the folders a command writes into
    (["crawl", "--replay", "{root}/text.db", "--db", "{root}/x.db"], 2, ["--replay", "text.db", "not an SQLite file"]),
    (["crawl", "--replay", "{root}/good.db", "--db", "{root}/x.db"], 2, ["--replay", "good.db", "not a page archive"]),
    (["crawl", "--replay", "{root}/folder", "--db", "{root}/x.db"], 2, ["--replay", "folder", "no manifest.json"]),
    (["crawl", "--replay", "baodautu", "--db", "{root}/x.db"], 2, ["baodautu is a site", "newscrawl crawl baodautu --replay"]),
    (["crawl", "--replay", "--record", "{root}/a-file", "--db", "{root}/x.db"], 2, ["--record", "a-file is a file"]),
    (["reparse", "--archive", "{root}/text.db", "--db", "{root}/x.db"], 2, ["--archive", "text.db", "not an SQLite file"]),
    (["reparse", "--archive", "{root}/nowhere", "--db", "{root}/x.db"], 2, ["--archive", "nowhere", "not a folder of saved pages"]),
    (["reparse", "--db", "{root}/good.db"], 1, ["no page archive at", "good.archive.db",
                                                 "newscrawl reparse --db {root}/good.db --archive fixtures"]),
    (["report", "--db", "{root}/good.db", "--out", "{root}/folder"], 2, ["--out", "folder", "give a file name"]),
    (["report", "--db", "{root}/good.db", "--out", "{root}/a-file/report.html"], 1, ["--out", "a-file is a file"]),
    (["report", "--db", "{root}/good.db", "--out", "/proc/newscrawl-test/report.html"], 1, ["--out", "cannot be created"]),
    (["serve", "--db", "{root}/good.db", "--host", "no-such-host.invalid"], 2, ["--host", "no-such-host.invalid"]),
]


@pytest.mark.parametrize("args, code, words", CASES, ids=[" ".join(a[:2]) + f" [{i}]" for i, (a, _, _) in enumerate(CASES)])
def test_bad_input_is_one_clean_line(files, args, code, words):
    result = run_cli(*[a.format(root=files) for a in args], cwd=FIXTURES.parent)
    line = one_line(result)
    assert result.returncode == code, (result.returncode, line)
    for word in words:
        assert word.format(root=files) in line, line


def test_report_into_a_missing_folder_creates_it(files):
    out = files / "new" / "folder" / "report.html"
    result = run_cli("report", "--db", str(files / "good.db"), "--out", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    assert out.is_file() and f"wrote {out}" in result.stdout


def test_a_locked_database_is_one_line_naming_it(files):
    locked = files / "locked.db"
    assert run_cli("crawl", "--replay", "--db", str(locked), "baodautu", cwd=FIXTURES.parent).returncode == 0
    holder = sqlite3.connect(locked, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = run_cli("crawl", "--replay", "--db", str(locked), "baodautu", cwd=FIXTURES.parent)
    finally:
        holder.rollback()
        holder.close()
    line = one_line(result)
    assert result.returncode == 1 and "locked.db" in line and "locked by another program" in line


@pytest.mark.parametrize("how", [("-v",), ("--verbose",), ()], ids=["-v", "--verbose", "NEWSCRAWL_DEBUG=1"])
def test_debug_shows_the_traceback_and_keeps_the_exit_code(files, how):
    env = {} if how else {"NEWSCRAWL_DEBUG": "1"}
    result = run_cli(*how, "runs", "--db", str(files / "random.db"), env=env)
    assert result.returncode == 1 and "Traceback" in result.stderr
    assert "sqlite3.DatabaseError: file is not a database" in result.stderr  # the cause, not only the handler's exception
    assert result.stderr.rstrip().splitlines()[-1].startswith("Error: ") and "random.db" in result.stderr.splitlines()[-1]


def test_crawl_verbose_shows_the_traceback_too(files):
    result = run_cli("crawl", "-v", "--replay", "--db", str(files / "random.db"), cwd=FIXTURES.parent)
    assert result.returncode == 1 and "Traceback" in result.stderr


def test_debug_keeps_exit_2_for_a_bad_argument(files):
    result = run_cli("-v", "search", "carbon", "--db", str(files / "good.db"), "--site", "nosuchsite")
    assert result.returncode == 2 and "Traceback" in result.stderr
    assert "known sites" in result.stderr.rstrip().splitlines()[-1]


def test_serve_on_a_port_in_use_is_one_line(files):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--db", str(files / "good.db"), "--port", str(port))
    line = one_line(result)
    assert result.returncode == 1 and f"--port {port}" in line and "in use" in line


def test_reparse_on_a_fresh_clone(tmp_path):
    """`newscrawl crawl --replay && newscrawl reparse --archive fixtures`: the saved pages stand in for
    the archive that only live crawls keep, even when an (empty) archive sits beside the database."""
    db = tmp_path / "fresh.db"
    assert run_cli("crawl", "baodautu", "--replay", "--db", str(db)).returncode == 0
    no_archive = run_cli("reparse", "--site", "baodautu", "--db", str(db))
    assert no_archive.returncode == 1 and "newscrawl reparse" in one_line(no_archive)
    empty = sqlite3.connect(tmp_path / "fresh.archive.db")
    empty.execute("CREATE TABLE pages (id INTEGER PRIMARY KEY, url TEXT, site TEXT, fetched_at TEXT, status INTEGER, headers TEXT, body BLOB)")
    empty.close()
    result = run_cli("reparse", "--site", "baodautu", "--db", str(db), "--archive", "fixtures")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "unchanged" in result.stdout
    mode, replayed = query(db, "SELECT mode, json_extract(stats, '$.\"newscrawl/replay/hit\"') FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]
    assert mode == "reparse" and replayed > 0


def _without_root_powers():
    """In the child: give up the power to write whatever the permissions say (root's), so read-only is
    read-only even when the tests run as root."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP: gone after exec
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_unprivileged(*args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run([sys.executable, "-m", "newscrawl", *args], cwd=FIXTURES.parent, capture_output=True,
                              text=True, timeout=300, preexec_fn=_without_root_powers)
    except (OSError, subprocess.SubprocessError) as exc:  # the child could not give its powers up
        if "prctl" in str(exc) or "preexec_fn" in str(exc):
            pytest.skip(f"cannot drop root's file powers here: {exc}")
        raise


@pytest.fixture
def read_only(files, tmp_path):
    """A copy of the good database as a read-only file, a read-only report page, a read-only folder."""
    db = tmp_path / "ro.db"
    db.write_bytes(_checkpointed(files / "good.db").read_bytes())
    page = tmp_path / "old-report.html"
    page.write_text("<html></html>")
    folder = tmp_path / "closed"
    folder.mkdir()
    for path, mode in ((db, 0o444), (page, 0o444), (folder, 0o555)):
        path.chmod(mode)
    yield {"db": db, "page": page, "folder": folder, "tmp": tmp_path}
    folder.chmod(0o755)


@pytest.mark.parametrize("args, words", [
    (["crawl", "--replay", "--db", "{db}", "baodautu"], ["ro.db", "is read-only"]),
    (["reparse", "--archive", "fixtures", "--db", "{db}"], ["ro.db", "is read-only"]),
    (["crawl", "--replay", "--db", "{folder}/new.db", "baodautu"], ["--db", "new.db", "not writable"]),
    (["crawl", "--replay", "--db", "{folder}/sub/new.db", "baodautu"], ["--db", "sub/new.db", "cannot be created"]),
    (["report", "--db", "{db}", "--out", "{folder}/report.html"], ["--out", "report.html", "not writable"]),
    (["serve", "--db", "{db}", "--port", "0"], ["ro.db", "is read-only"]),
    (["crawl", "--replay", "--record", "{folder}/saved", "--db", "{tmp}/x.db"], ["--record", "saved", "not writable"]),
    (["report", "--db", "{db}", "--out", "{page}"], ["--out", "old-report.html", "is read-only"]),
])
def test_read_only_files_and_folders_are_one_line(read_only, args, words):
    result = run_unprivileged(*[a.format(**read_only) for a in args])
    line = one_line(result)
    assert result.returncode == 1, (result.returncode, line)
    for word in words:
        assert word in line, line


def test_commands_that_only_read_take_a_read_only_database(read_only):
    result = run_unprivileged("runs", "--db", str(read_only["db"]))
    assert result.returncode == 0 and "run 1 [finished]" in result.stdout, result.stderr[-2000:]


BUGGY_COMMAND = """
import click
from newscrawl.errors import run_command, show_tracebacks

@click.group()
@click.option("-v", "--verbose", is_flag=True, expose_value=False, is_eager=True, callback=show_tracebacks)
def group():
    pass

@group.command()
def divide():
    1 / 0

run_command(group)
"""


def test_a_bug_still_shows_its_traceback():
    from newscrawl.errors import _one_line

    assert _one_line(ZeroDivisionError("a bug")) == ""
    result = subprocess.run([sys.executable, "-c", BUGGY_COMMAND, "divide"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "Traceback" in result.stderr
    assert result.stderr.rstrip().splitlines()[-1] == "ZeroDivisionError: division by zero"


@pytest.mark.parametrize("message, advice", [
    ("attempt to write a readonly database", "is read-only"),
    ("database or disk is full", "the disk is full"),
    ("disk I/O error", "disk I/O error"),
    ("database is locked", "locked by another program"),
])
def test_database_errors_are_explained(message, advice):
    from newscrawl.errors import database_advice

    assert advice in database_advice(sqlite3.OperationalError(message))
