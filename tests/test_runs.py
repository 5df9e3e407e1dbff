"""Failures across runs, where the point is the second run: the frontier, `rejects`,
`crawl_runs` and the exit code after each, over the fixture server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time

from .conftest import ROOT, SEED_URL, query, run_cli, table_counts
from .server import FixtureServer
from .test_live import live_args

B = "https://baodautu.vn/"
BAODAUTU_ARTICLES = [
    p["url"] for p in json.loads((ROOT / "fixtures" / "baodautu" / "manifest.json").read_text(encoding="utf-8"))["pages"]
    if p["url"].endswith(".html") and "?" not in p["url"]
]


def crawl(server, db, *extra):
    return run_cli(*live_args(server, db, "baodautu", "--set", "RETRY_TIMES=1", *extra))


def frontier(db, url):
    rows = query(db, "SELECT state, reason, attempts, not_before FROM frontier WHERE url = ?", [url])
    return rows[0] if rows else None


def runs(db):
    return query(db, "SELECT id, status, finished_at IS NOT NULL FROM crawl_runs ORDER BY id")


def run_stats(db, run_id):
    return json.loads(query(db, "SELECT stats FROM crawl_runs WHERE id = ?", [run_id])[0][0])


def test_a_transient_failure_waits_its_backoff_then_a_later_run_stores_the_article(tmp_path):
    db = tmp_path / "t.db"
    with FixtureServer() as server:
        server.set_rule(SEED_URL, "status", status=503)
        first = crawl(server, db)
        server.clear_rules()
        server.clear_log()
        second = crawl(server, db)  # within the backoff: the URL is not asked for
        second_log = server.requests_for(SEED_URL)
        # Time passes (the stored not-before moves into the past) and the site is back.
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE frontier SET not_before = '2000-01-01T00:00:00+07:00' WHERE url = ?", [SEED_URL])
        third = crawl(server, db)
    assert first.returncode == 0, first.stderr[-2000:]
    assert "1 to retry in a later run" in first.stdout and "wait for a retry" in first.stdout
    assert second.returncode == 0 and second_log == []
    assert "wait for a retry" in second.stdout
    assert third.returncode == 0, third.stderr[-2000:]
    assert query(db, "SELECT count(*) FROM articles WHERE url = ?", [SEED_URL]) == [(1,)]
    assert query(db, "SELECT count(*) FROM rejects WHERE url = ?", [SEED_URL]) == [(0,)]
    state, reason, attempts, not_before = frontier(db, SEED_URL)
    assert (state, attempts, not_before) == ("done", 1, None)
    assert run_stats(db, 3)["newscrawl/frontier/retried"] == 1 and "retried 1 URLs" in third.stdout


def test_the_first_run_leaves_a_retry_row_not_a_reject(tmp_path):
    db = tmp_path / "t.db"
    with FixtureServer() as server:
        server.set_rule(SEED_URL, "status", status=503)
        first = crawl(server, db)
    assert first.returncode == 0
    state, reason, attempts, not_before = frontier(db, SEED_URL)
    assert (state, reason, attempts) == ("retry", "http_503", 1) and not_before > query(db, "SELECT started_at FROM crawl_runs")[0][0]
    assert query(db, "SELECT count(*) FROM rejects WHERE url = ?", [SEED_URL]) == [(0,)]
    assert run_stats(db, 1)["newscrawl/frontier/waiting_retry"] == 1


def test_a_url_that_keeps_failing_is_given_up_with_its_last_reason(tmp_path):
    db = tmp_path / "t.db"
    with FixtureServer() as server:
        server.set_rule(SEED_URL, "status", status=503)
        settings = ("--set", "NEWSCRAWL_MAX_ATTEMPTS=2", "--set", "NEWSCRAWL_RETRY_RUN_DELAY=0")
        first = crawl(server, db, *settings)
        second = crawl(server, db, *settings)
        server.clear_log()
        third = crawl(server, db, *settings)
        asked_third = server.requests_for(SEED_URL)
    assert [r.returncode for r in (first, second, third)] == [0, 0, 0]
    state, reason, attempts, _ = frontier(db, SEED_URL)
    assert (state, attempts) == ("failed", 2) and reason.startswith("http_503")
    assert query(db, "SELECT reason, detail LIKE 'gave up after 2 attempts%' FROM rejects WHERE url = ?", [SEED_URL]) == [("http_503", 1)]
    assert asked_third == []


def test_a_page_too_large_without_a_length_and_a_body_cut_short_are_named(tmp_path):
    db = tmp_path / "t.db"
    big, cut = B + "dong-nam-bo-tang-toc-phat-trien-khu-cong-nghiep-sinh-thai-d281516.html", SEED_URL
    with FixtureServer() as server:
        server.set_rule(big, "oversize", size=3 * 1024 * 1024, declare_length=False)
        server.set_rule(cut, "cut")
        result = crawl(server, db, "--set", "DOWNLOAD_MAXSIZE=1048576")
    assert result.returncode == 0, result.stderr[-2000:]
    assert query(db, "SELECT reason FROM rejects WHERE url = ?", [big]) == [("too_large",)]  # final
    assert frontier(db, cut)[:3] == ("retry", "connection_lost", 1)  # transient: a later run tries again
    assert query(db, "SELECT count(*) FROM rejects WHERE reason = 'parse_error'") == [(0,)]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_crawl_that_can_fetch_nothing_fails_with_exit_1(tmp_path):
    db = tmp_path / "t.db"
    with FixtureServer() as server:
        args = live_args(server, db, "baodautu", "--set", "RETRY_TIMES=0")
    dead = json.dumps({host: f"http://127.0.0.1:{closed_port()}" for host in ("baodautu.vn",)})
    args[args.index(next(a for a in args if a.startswith("NEWSCRAWL_HOST_MAP=")))] = f"NEWSCRAWL_HOST_MAP={dead}"
    result = run_cli(*args)
    assert result.returncode == 1, result.stdout + result.stderr[-2000:]
    assert "FAILED" in result.stdout and "no page could be fetched (connection_refused" in result.stdout
    assert runs(db) == [(1, "failed", 1)]
    assert "Traceback" not in result.stderr


def test_a_redirect_off_the_crawls_hosts_is_not_followed_and_is_recorded(tmp_path):
    db = tmp_path / "t.db"
    with FixtureServer() as server:
        elsewhere = "https://offsite.example/promo.html"
        server.add_page(elsewhere, "<html><body><p>not news</p></body></html>")
        server.set_rule(SEED_URL, "redirect", to=elsewhere, status=301)
        args = live_args(server, db, "baodautu")
        hosts = {**server.host_map(), "offsite.example": server.base_url}  # a leak would show in the log, not reach the web
        args[args.index(next(a for a in args if a.startswith("NEWSCRAWL_HOST_MAP=")))] = f"NEWSCRAWL_HOST_MAP={json.dumps(hosts)}"
        result = run_cli(*args)
        offsite_requests = [r for r in server.requests if "offsite" in r["host"]]
    assert result.returncode == 0, result.stderr[-2000:]
    assert offsite_requests == []
    assert query(db, "SELECT reason, detail FROM rejects WHERE url = ?", [SEED_URL]) == [("offsite_redirect", f"redirected to {elsewhere}")]
    assert frontier(db, SEED_URL)[:2] == ("done", "offsite_redirect")
    assert run_stats(db, 1)["newscrawl/failed/offsite_redirect"] == 1


def test_urls_scrapy_cannot_fetch_are_rejected_up_front_never_left_pending(tmp_path):
    db = tmp_path / "t.db"
    with FixtureServer() as server:
        first = crawl(server, db, "--set", "URLLENGTH_LIMIT=100")
        second = crawl(server, db, "--set", "URLLENGTH_LIMIT=100")
    assert first.returncode == 0 and second.returncode == 0
    refused = query(db, "SELECT url FROM rejects WHERE reason = 'url_too_long'")
    assert refused and all(len(url) > 100 for (url,) in refused)
    assert query(db, "SELECT count(*) FROM frontier WHERE state IN ('pending', 'leased')") == [(0,)]
    assert "resuming" not in second.stderr
    assert run_stats(db, 2).get("newscrawl/rejected/url_too_long", 0) == 0  # not counted again


def test_a_refresh_asks_conditionally_and_a_304_counts_as_unchanged_without_parsing(tmp_path):
    db = tmp_path / "t.db"
    with FixtureServer() as server:
        first = crawl(server, db)
        stored = table_counts(db)
        server.clear_log()
        second = crawl(server, db, "--refresh")
        log = [r for r in server.requests if re.search(r"-d\d+\.html$", r["target"])]
        third = crawl(server, db)
    assert first.returncode == 0 and second.returncode == 0, second.stderr[-2000:]
    stored_urls = {u.split("baodautu.vn", 1)[1] for (u,) in query(db, "SELECT url FROM articles")}
    refetched = [r for r in log if r["target"] in stored_urls]  # a reject or duplicate has no copy to compare
    assert len(refetched) >= 3 and all(r["status"] == 304 for r in refetched)
    assert all(r["headers"].get("If-None-Match") and r["headers"].get("If-Modified-Since") for r in refetched)
    stats = run_stats(db, 2)
    assert stats["newscrawl/http/not_modified/article"] == len(refetched)
    assert stats.get("newscrawl/article/parsed/baodautu", 0) == len(log) - len(refetched)  # 304s are not parsed
    assert f"0 new, 0 updated, {len(refetched)} unchanged" in second.stdout
    assert table_counts(db) == stored
    assert third.returncode == 0 and "nothing new" in third.stdout and "check the start URLs" not in third.stdout


def start_crawl(server, db, *extra) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "newscrawl", *live_args(server, db, "baodautu", *extra)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def stored_count(db) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def slow_site(server) -> None:
    for url in BAODAUTU_ARTICLES:
        server.set_rule(url, "slow", delay=1.5)


def interrupted_crawl(tmp_path, signals: int):
    db = tmp_path / "t.db"
    with FixtureServer() as server:
        slow_site(server)
        process = start_crawl(server, db, "--set", "NEWSCRAWL_COMMIT_SECONDS=0.2", "--set", "DOWNLOAD_TIMEOUT=10")
        try:
            wait_for(lambda: stored_count(db) >= 1)
            for _ in range(signals):
                process.send_signal(signal.SIGINT)
                time.sleep(0.3)
            out, err = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        server.clear_rules()
        resumed = crawl(server, db)
    return db, process.returncode, out, err, resumed


def test_one_ctrl_c_ends_the_run_interrupted_with_its_counts(tmp_path):
    db, code, out, err, resumed = interrupted_crawl(tmp_path, 1)
    assert code == 130, out + err[-2000:]
    assert "INTERRUPTED" in out and "why: interrupted" in out and "baodautu:" in out
    assert runs(db)[0] == (1, "interrupted", 1)
    assert "Traceback" not in err
    assert resumed.returncode == 0 and query(db, "SELECT count(*) FROM frontier WHERE state IN ('pending', 'leased')") == [(0,)]


def test_two_ctrl_c_still_end_the_run_interrupted_not_running(tmp_path):
    db, code, out, err, resumed = interrupted_crawl(tmp_path, 2)
    assert code == 130, out + err[-2000:]
    assert "stopped before" not in out and "INTERRUPTED" in out
    assert runs(db)[0] == (1, "interrupted", 1)
    assert resumed.returncode == 0


def test_a_killed_run_is_marked_killed_by_the_next_one(tmp_path):
    db = tmp_path / "t.db"
    with FixtureServer() as server:
        slow_site(server)
        process = start_crawl(server, db, "--set", "NEWSCRAWL_COMMIT_SECONDS=0.2")
        try:
            wait_for(lambda: stored_count(db) >= 1)
        finally:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate(timeout=30)
        assert runs(db) == [(1, "running", 0)]
        server.clear_rules()
        after = crawl(server, db)
    assert after.returncode == 0, after.stderr[-2000:]
    assert runs(db) == [(1, "killed", 0), (2, "finished", 1)]
    assert "run 1 was killed" in after.stderr
    assert "killed" in run_cli("runs", "--db", str(db)).stdout


def test_a_full_disk_stops_the_crawl_cleanly_and_the_next_run_loses_nothing(tmp_path):
    full, clean = tmp_path / "full.db", tmp_path / "clean.db"
    with FixtureServer() as server:
        stopped = crawl(server, full, "--set", "NEWSCRAWL_DB_MAX_PAGES=60", "--set", "NEWSCRAWL_COMMIT_SECONDS=0.1")
        resumed = crawl(server, full)
        reference = crawl(server, clean)
    assert reference.returncode == 0
    assert stopped.returncode == 1, stopped.stdout + stopped.stderr[-2000:]
    assert "database or disk is full" in stopped.stdout + stopped.stderr and "could not be written" in stopped.stdout + stopped.stderr
    assert "Traceback" not in stopped.stderr
    with sqlite3.connect(full) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert runs(full)[0][:2] == (1, "failed")  # recorded on a connection of its own
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    urls = lambda db: {u for (u,) in query(db, "SELECT url FROM articles")}  # noqa: E731
    assert urls(full) == urls(clean) and len(urls(clean)) >= 5
