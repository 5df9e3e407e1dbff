"""A crawl on Redis, end to end: a real redis-server, the fixture server, the writer and
workers as processes. What they store must equal a single-process crawl, whatever is
killed or restarted along the way."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from newscrawl.scaleout.connection import connect
from newscrawl.scaleout.keys import CrawlKeys

from .conftest import ROOT, manifest_entries, query, run_cli
from .redis_server import RedisServer, free_port
from .server import FixtureServer
from .test_live import live_args

ARTICLE_URLS = [e["url"] for e in manifest_entries() if e.get("kind", "article") == "article"]


def settings_args(server, *extra) -> list[str]:
    """The live crawl's --set options (host map to the fixture server, fast retries)."""
    args = live_args(server, "unused.db")
    return args[args.index("--set"):] + list(extra)


def contents(db) -> dict[str, set]:
    return {
        "articles": set(query(db, "SELECT url FROM articles")),
        "duplicates": set(query(db, "SELECT url, duplicate_of FROM duplicates")),
        "rejects": set(query(db, "SELECT url, reason FROM rejects")),
        "related": set(query(db, "SELECT article_url, url FROM related_links")),
        "unfinished": set(query(db, "SELECT url FROM frontier WHERE state NOT IN ('done', 'failed')")),
    }


@pytest.fixture(scope="module")
def single_process(tmp_path_factory):
    """What one process stores from the fixture server: the reference."""
    db = tmp_path_factory.mktemp("single") / "single.db"
    with FixtureServer() as server:
        done = run_cli(*live_args(server, db))
    assert done.returncode == 0, done.stderr[-2000:]
    found = contents(db)
    assert len(found["articles"]) > 40 and found["duplicates"] and found["related"] and not found["unfinished"]
    return found


def python_cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "newscrawl", *args]


def start(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(python_cli(*args), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})


def start_writer(redis, db, *extra) -> subprocess.Popen:
    return start("writer", "--redis", redis.url, "--db", str(db), "--set", "NEWSCRAWL_LEASE_SECONDS=2", *extra)


def start_worker(redis, server, *extra) -> subprocess.Popen:
    return start("worker", "--redis", redis.url, *settings_args(server, "--set", "NEWSCRAWL_LEASE_SECONDS=2",
                                                                "--set", "NEWSCRAWL_PARSE_WORKERS=0", *extra))


def finish(process: subprocess.Popen, timeout: float = 180) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"{process.args[3]} did not finish: {err[-3000:]}")
    return process.returncode, out, err


def crawl_figure(redis, name: str) -> int:
    return int(connect(redis.url).hget(CrawlKeys().crawl, name) or 0)


def wait_until(predicate, timeout: float = 60.0, what: str = "the crawl") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    pytest.fail(f"{what} did not get there in {timeout}s")


def slow_articles(server, delay: float = 0.4) -> None:
    for url in ARTICLE_URLS:
        server.set_rule(url, "slow", delay=delay)


def test_two_workers_and_the_writer_store_what_one_process_stores(tmp_path, single_process):
    db = tmp_path / "redis.db"
    with RedisServer(tmp_path) as redis, FixtureServer() as server:
        done = run_cli(*live_args(server, db, "--redis", redis.url, "--workers", "2", "--set", "NEWSCRAWL_PARSE_WORKERS=0"))
        status = run_cli("status", "--redis", redis.url, "--json")
        keys_left = connect(redis.url).keys("newscrawl:*")
    assert done.returncode == 0, done.stderr[-3000:]
    assert contents(db) == single_process
    assert done.stdout.startswith("newscrawl live crawl finished") and "database" in done.stdout
    runs = query(db, "SELECT status, mode, stats FROM crawl_runs")
    assert [(s, m) for s, m, _ in runs] == [("finished", "live")]
    stats = json.loads(runs[0][2])
    assert stats["newscrawl/redis/workers"] == 2 and stats["response_received_count"] > 100
    assert f"{len(single_process['articles'])} articles" in done.stdout
    assert json.loads(status.stdout)["state"] == "ended: finished"
    assert keys_left == ["newscrawl:news:crawl"]  # the crawl's state is cleared, its result kept a while


def test_a_second_crawl_on_redis_takes_only_what_is_new(tmp_path):
    db = tmp_path / "redis.db"
    with RedisServer(tmp_path) as redis, FixtureServer() as server:
        args = live_args(server, db, "--redis", redis.url, "--workers", "2", "--set", "NEWSCRAWL_PARSE_WORKERS=0")
        first = run_cli(*args)
        stored = query(db, "SELECT count(*) FROM articles")[0][0]
        server.clear_log()
        second = run_cli(*args)
        asked_again = [url for (url,) in query(db, "SELECT url FROM articles") if server.requests_for(url)]
        log = server.requests
    assert first.returncode == 0 and second.returncode == 0, second.stderr[-3000:]
    assert stored > 40 and asked_again == []  # stored articles are not fetched again
    assert any(r["status"] == 304 for r in log)  # listings and feeds were asked for conditionally
    assert "nothing new" in second.stdout and query(db, "SELECT count(*) FROM articles")[0][0] == stored
    assert query(db, "SELECT status FROM crawl_runs") == [("finished",), ("finished",)]


def test_a_worker_killed_mid_crawl_loses_nothing_and_duplicates_nothing(tmp_path, single_process):
    db = tmp_path / "redis.db"
    with RedisServer(tmp_path) as redis, FixtureServer() as server:
        slow_articles(server)
        writer = start_writer(redis, db)
        doomed, survivor = start_worker(redis, server), start_worker(redis, server)
        wait_until(lambda: crawl_figure(redis, "stored") >= 8)
        status = json.loads(run_cli("status", "--redis", redis.url, "--json").stdout)
        midway = crawl_figure(redis, "stored")
        doomed.kill()  # kill -9: its leases expire and go back to the queue
        doomed.wait()
        writer_rc, summary, writer_err = finish(writer)
        survivor_rc, survivor_out, _ = finish(survivor)
        fetched_twice = [url for url in ARTICLE_URLS if len(server.requests_for(url)) > 1]
    assert writer_rc == 0, writer_err[-3000:]
    assert survivor_rc == 0 and survivor_out == summary
    assert contents(db) == single_process
    assert len([w for w in status["workers"] if w["alive"]]) == 2 and status["leased"] > 0
    assert sum(w["leases"] for w in status["workers"]) == status["leased"]
    # What the killed worker held was fetched again by the survivor, and written once.
    assert fetched_twice, "the killed worker's leases were not fetched again"
    assert midway < len(single_process["articles"])
    assert query(db, "SELECT count(*) FROM articles")[0][0] == len(single_process["articles"])


def test_the_writer_killed_and_started_again_loses_nothing_and_writes_nothing_twice(tmp_path, single_process):
    db = tmp_path / "redis.db"
    with RedisServer(tmp_path) as redis, FixtureServer() as server:
        slow_articles(server, 0.3)
        writer = start_writer(redis, db, "--set", "NEWSCRAWL_BATCH_SIZE=5")
        workers = [start_worker(redis, server) for _ in range(2)]
        wait_until(lambda: crawl_figure(redis, "stored") >= 8)
        midway = crawl_figure(redis, "stored")
        writer.kill()
        writer.wait()
        time.sleep(1.0)  # the workers go on; their items wait in the stream
        again = start_writer(redis, db)
        rc, summary, err = finish(again)
        outputs = [finish(w) for w in workers]
    assert rc == 0, err[-3000:]
    assert "resuming the crawl" in err
    assert all(code == 0 for code, _, _ in outputs)
    assert contents(db) == single_process
    runs = query(db, "SELECT id, status FROM crawl_runs")
    assert runs == [(1, "finished")]  # the same run, carried on
    assert f"{len(single_process['articles'])} articles" in summary
    assert midway < len(single_process["articles"])


def test_redis_restarted_mid_crawl_the_crawl_completes(tmp_path, single_process):
    db = tmp_path / "redis.db"
    with RedisServer(tmp_path) as redis, FixtureServer() as server:
        slow_articles(server, 0.3)
        writer = start_writer(redis, db)
        workers = [start_worker(redis, server) for _ in range(2)]
        wait_until(lambda: crawl_figure(redis, "stored") >= 5)
        midway = crawl_figure(redis, "stored")
        redis.restart(down_for=1.0)
        rc, summary, err = finish(writer)
        outputs = [finish(w) for w in workers]
    assert rc == 0, err[-3000:]
    assert all(code == 0 for code, _, _ in outputs), [e[-2000:] for _, _, e in outputs]
    assert contents(db) == single_process
    assert midway < len(single_process["articles"])


def test_two_workers_keep_one_per_host_delay_between_them(tmp_path):
    db = tmp_path / "redis.db"
    delay = 0.3
    with RedisServer(tmp_path) as redis, FixtureServer() as server:
        writer = start_writer(redis, db)
        workers = [start_worker(redis, server, "baodautu", "--set", f"NEWSCRAWL_HOST_DELAY={delay}",
                                "--set", f"USER_AGENT=worker-{n}", "--set", "CONCURRENT_REQUESTS=2") for n in range(2)]
        rc, _, err = finish(writer)
        for w in workers:
            finish(w)
        log = [r for r in server.requests if "baodautu" in r["host"]]
    assert rc == 0, err[-3000:]
    agents = {r["headers"].get("User-Agent") for r in log}
    assert agents == {"worker-0", "worker-1"}  # both workers fetched from the host
    times = sorted(r["time"] for r in log)
    gaps = [b - a for a, b in zip(times, times[1:])]
    close = [(a["target"], a["headers"].get("User-Agent"), b["target"], b["headers"].get("User-Agent"), round(b["time"] - a["time"], 3))
             for a, b in zip(sorted(log, key=lambda r: r["time"]), sorted(log, key=lambda r: r["time"])[1:]) if b["time"] - a["time"] < delay - 0.05]
    # The slot is taken when a request is sent; on arrival a gap can shrink by the local
    # network's jitter (a new connection's handshake), never by a worker's own delays.
    assert len(times) > 15 and min(gaps) >= delay - 0.05, close


def test_redis_down_at_start_is_one_line_and_exit_1_for_every_command(tmp_path):
    url = f"redis://127.0.0.1:{free_port()}/0"
    for args in (["worker", "--redis", url], ["writer", "--redis", url, "--db", str(tmp_path / "t.db")],
                 ["status", "--redis", url], ["crawl", "--replay", "--redis", url, "--db", str(tmp_path / "t.db")]):
        done = run_cli(*args)
        assert done.returncode == 1, (args, done.stderr[-2000:])
        assert done.stderr.strip().splitlines()[-1].startswith(f"Error: cannot reach Redis at {url}"), (args, done.stderr)
        assert "Traceback" not in done.stderr
    bad = run_cli("worker", "--redis", "http://127.0.0.1:6379/0")
    assert bad.returncode == 2 and "is not a Redis URL" in bad.stderr


@pytest.mark.parametrize("user", [None, "crawler"])
def test_a_password_in_the_url_works_and_is_never_shown(tmp_path, user):
    secret = "s3cret-Pa55"
    db = tmp_path / "t.db"
    with RedisServer(tmp_path, password=secret, user=user) as redis:
        done = run_cli("-v", "crawl", "--replay", "--db", str(db), "--redis", redis.url, "--workers", "1", "-v",
                       "--set", "NEWSCRAWL_PARSE_WORKERS=0")
        status = run_cli("status", "--redis", redis.url)
        wrong = run_cli("status", "--redis", redis.url.replace(secret, "wrong"))
    assert done.returncode == 0, done.stderr[-3000:]
    assert query(db, "SELECT count(*) FROM articles")[0][0] > 40
    assert status.returncode == 0 and ":***@127.0.0.1" in done.stderr  # the workers name their Redis, masked
    for text in (done.stdout, done.stderr, status.stdout, status.stderr, wrong.stderr):
        assert secret not in text
    for path in tmp_path.rglob("*.db*"):
        assert secret.encode() not in path.read_bytes(), path
    assert wrong.returncode == 1 and "refused the password" in wrong.stderr and "wrong" not in wrong.stderr


def test_a_crawl_over_tls_with_a_password(tmp_path):
    db = tmp_path / "t.db"
    with RedisServer(tmp_path, password="tls-Pa55", tls=True) as redis:
        assert redis.url.startswith("rediss://")
        done = run_cli("crawl", "baodautu", "--replay", "--db", str(db), "--redis", redis.url, "--workers", "1",
                       "--set", "NEWSCRAWL_PARSE_WORKERS=0")
        plain = run_cli("status", "--redis", redis.url.replace("rediss://", "redis://").split("?")[0])
    assert done.returncode == 0, done.stderr[-3000:]
    assert query(db, "SELECT count(*) FROM articles")[0][0] == 12
    assert plain.returncode == 1 and "tls-Pa55" not in plain.stderr  # plain text to a TLS port: refused, one line


def test_scrapy_crawl_with_redis_env_runs_a_worker_as_scrapyd_would(tmp_path):
    db = tmp_path / "t.db"
    scrapy = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", "site=baodautu", "-a", f"replay={ROOT / 'fixtures'}",
              "-a", "redis=env", "-s", "NEWSCRAWL_PARSE_WORKERS=0", "-s", "LOG_LEVEL=INFO"]
    unset = {k: v for k, v in os.environ.items() if k != "NEWSCRAWL_REDIS_URL"}
    refused = subprocess.run(scrapy, cwd=ROOT, capture_output=True, text=True, env=unset, timeout=120)
    with RedisServer(tmp_path, password="env-Pa55") as redis:
        writer = start_writer(redis, db)
        worker = subprocess.run(scrapy, cwd=ROOT, capture_output=True, text=True, timeout=180,
                                env={**os.environ, "NEWSCRAWL_REDIS_URL": redis.url})
        rc, summary, err = finish(writer)
    assert refused.returncode == 2 and "NEWSCRAWL_REDIS_URL is not set" in refused.stderr
    assert worker.returncode == 0 and rc == 0, (worker.stderr[-3000:], err[-2000:])
    assert query(db, "SELECT count(*) FROM articles")[0][0] == 12
    assert "env-Pa55" not in worker.stderr + worker.stdout and "redis://:***@127.0.0.1" in worker.stderr


def test_redis_gone_longer_than_the_patience_stops_worker_and_writer_with_one_line(tmp_path):
    db = tmp_path / "t.db"
    with RedisServer(tmp_path) as redis, FixtureServer() as server:
        slow_articles(server, 0.5)
        patience = ("--set", "NEWSCRAWL_REDIS_PATIENCE=2")
        writer = start_writer(redis, db, *patience)
        worker = start_worker(redis, server, *patience)
        wait_until(lambda: crawl_figure(redis, "stored") >= 3)
        redis.stop()
        worker_rc, _, worker_err = finish(worker, timeout=90)
        writer_rc, writer_out, writer_err = finish(writer, timeout=90)
    assert worker_rc == 1 and "did not come back" in worker_err and "Traceback" not in worker_err, worker_err[-3000:]
    assert writer_rc == 1 and "did not come back" in writer_out and "Traceback" not in writer_err, writer_err[-3000:]
    assert query(db, "SELECT status FROM crawl_runs") == [("running",)]  # the next writer resumes it


def test_ctrl_c_interrupts_every_process_and_the_next_crawl_finishes_the_work(tmp_path, single_process):
    db = tmp_path / "redis.db"
    with RedisServer(tmp_path) as redis, FixtureServer() as server:
        slow_articles(server, 0.3)
        args = live_args(server, db, "--redis", redis.url, "--workers", "2", "--set", "NEWSCRAWL_PARSE_WORKERS=0")
        crawl = subprocess.Popen(python_cli(*args), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 start_new_session=True)
        wait_until(lambda: crawl_figure(redis, "stored") >= 5)
        os.killpg(crawl.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: every process of the group
        rc, first, err = finish(crawl)
        interrupted = query(db, "SELECT status FROM crawl_runs")
        again = run_cli(*args)
    assert rc == 130, err[-3000:]
    assert first.startswith("newscrawl live crawl INTERRUPTED") and interrupted == [("interrupted",)]
    assert again.returncode == 0, again.stdout + again.stderr[-3000:]
    assert query(db, "SELECT id, status FROM crawl_runs") == [(1, "interrupted"), (2, "finished")]
    assert contents(db) == single_process


def finished_runs(db) -> int:
    """Finished runs in the writer's database; 0 while it does not exist or is still being set up."""
    try:
        return len(query(db, "SELECT id FROM crawl_runs WHERE status = 'finished'")) if db.exists() else 0
    except sqlite3.OperationalError:  # the writer has made the file but not yet its tables
        return 0


def test_keep_alive_runs_crawl_after_crawl_until_stopped(tmp_path):
    db = tmp_path / "t.db"
    with RedisServer(tmp_path) as redis:
        writer = start("writer", "--redis", redis.url, "--db", str(db), "--keep-alive", "--set", "NEWSCRAWL_KEEP_ALIVE_PAUSE=1",
                       "--set", "NEWSCRAWL_LEASE_SECONDS=2")
        worker = start("worker", "baodautu", "--replay", "--redis", redis.url, "--keep-alive",
                       "--set", "NEWSCRAWL_PARSE_WORKERS=0", "--set", "NEWSCRAWL_LEASE_SECONDS=2")
        wait_until(lambda: finished_runs(db) >= 2, timeout=120, what="two crawls")
        for process in (worker, writer):
            process.send_signal(signal.SIGINT)
        worker_rc, _, worker_err = finish(worker)
        writer_rc, _, writer_err = finish(writer)
    runs = query(db, "SELECT status FROM crawl_runs ORDER BY id")
    assert runs[:2] == [("finished",), ("finished",)] and all(s in ("finished", "interrupted") for (s,) in runs)
    assert worker_rc in (0, 130) and writer_rc in (0, 130), (worker_err[-2000:], writer_err[-2000:])
    assert query(db, "SELECT count(*) FROM articles")[0][0] == 12
    assert "Traceback" not in worker_err + writer_err
