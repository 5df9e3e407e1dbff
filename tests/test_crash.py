"""Kill a real crawl at many points; the next run must end as if nothing happened.

Each case: a crawl of a 150-article synthetic site is killed (SIGKILL at a
chosen point, or SIGINT once or twice), the database must pass
`PRAGMA integrity_check`, and a plain second run must leave exactly the
rows an uninterrupted run leaves: no gaps, no duplicates.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from .conftest import ROOT, query, run_cli
from .synthetic import build_site

ARTICLES = 150


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    build_site(folder, articles=ARTICLES, per_listing=15)
    return folder


def crawl_args(site, db):
    # Small batches: many commits to be killed in. No refresh: a resumed run
    # must not fetch what the killed one already stored (the live default).
    return ["crawl", "baodautu", "--replay", str(site), "--db", str(db), "--listing-pages", "50",
            "--no-refresh", "--set", "NEWSCRAWL_BATCH_SIZE=5", "--set", "CONCURRENT_REQUESTS=4"]


def snapshot(db) -> dict:
    """What an analyst sees: the rows, without run-specific columns."""
    return {
        "articles": query(db, "SELECT url, site, title, summary, body, authors, published, category, tags, topics, green_score, body_hash FROM articles ORDER BY url"),
        "related": query(db, "SELECT article_url, position, url, headline FROM related_links ORDER BY article_url, position"),
        "rejects": query(db, "SELECT url, reason FROM rejects ORDER BY url"),
        "duplicates": query(db, "SELECT url, duplicate_of, kind FROM duplicates ORDER BY url"),
        "unfinished": query(db, "SELECT count(*) FROM frontier WHERE state IN ('pending', 'leased')"),
    }


@pytest.fixture(scope="module")
def uninterrupted(site, tmp_path_factory):
    db = tmp_path_factory.mktemp("base") / "base.db"
    run = run_cli(*crawl_args(site, db))
    assert run.returncode == 0, run.stderr[-3000:]
    result = snapshot(db)
    assert len(result["articles"]) == ARTICLES and result["unfinished"] == [(0,)]
    return result


def assert_intact(db) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def resume_and_compare(site, db, uninterrupted) -> None:
    assert_intact(db)
    run = run_cli(*crawl_args(site, db))
    assert run.returncode == 0, run.stderr[-3000:]
    assert snapshot(db) == uninterrupted


@pytest.mark.parametrize("kill_at", ["response:3", "response:60", "listing:2", "item:40", "commit:12", "commit:77", "after_commit:4"])
def test_sigkill_at_a_point_then_resume(site, tmp_path, uninterrupted, kill_at):
    db = tmp_path / "killed.db"
    killed = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "crash_crawl.py"), *crawl_args(site, db)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env={**os.environ, "KILL_AT": kill_at},
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    stored_before = query(db, "SELECT count(*) FROM articles")[0][0]
    assert stored_before < ARTICLES  # it really was cut short
    resume_and_compare(site, db, uninterrupted)


def start_crawl(site, db) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "newscrawl", *crawl_args(site, db)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_articles(db, at_least: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if query(db, "SELECT count(*) FROM articles")[0][0] >= at_least:
                return
        except sqlite3.Error:
            pass
        time.sleep(0.02)
    raise AssertionError(f"the crawl stored fewer than {at_least} articles in {timeout}s")


@pytest.mark.parametrize("signals_sent", [[signal.SIGKILL], [signal.SIGINT], [signal.SIGINT, signal.SIGINT]],
                         ids=["sigkill-from-outside", "sigint-once", "sigint-twice"])
def test_signals_from_outside_then_resume(site, tmp_path, uninterrupted, signals_sent):
    db = tmp_path / "signalled.db"
    process = start_crawl(site, db)
    try:
        wait_for_articles(db, 10)
        for sig in signals_sent:
            process.send_signal(sig)
            time.sleep(0.05)
        process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    resume_and_compare(site, db, uninterrupted)


def test_a_second_crawl_on_the_same_database_exits_at_once(site, tmp_path):
    db = tmp_path / "locked.db"
    process = start_crawl(site, db)
    try:
        wait_for_articles(db, 1)
        started = time.monotonic()
        second = run_cli(*crawl_args(site, db))
        assert second.returncode == 1 and time.monotonic() - started < 30
        assert "another crawl (process" in second.stderr and "is writing to" in second.stderr
    finally:
        process.kill()
        process.communicate()
    # A killed holder leaves no stale lock: the next run goes ahead.
    assert run_cli(*crawl_args(site, db)).returncode == 0
