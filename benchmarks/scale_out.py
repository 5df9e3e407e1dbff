"""Scale-out on Redis: pages/s of 1 and 2 workers, the writer's own ceiling, Redis round trips.

    python benchmarks/scale_out.py [--articles 1000] [--page-kb 60] [--rounds 3]

A synthetic baodautu.vn is served on 127.0.0.1 (static_site.py: a lean server,
so that serving takes little of the 2 cores the crawl is measured on) and
crawled through a real redis-server (started here, in a temporary folder) by
a writer and 1 or 2 workers, in alternating rounds (each keeps its best: the
machine is noisy). Parse workers are off in every worker, so each worker is one
process and the comparison is fair on a 2-core machine. Printed:
- pages/s of each (pages fetched over the crawl's time: from the first worker's
  arrival to the last page stored, as the writer measures it; the workers are
  started, and have finished starting up, before the writer opens the crawl,
  so one worker's imports do not eat into the others' crawl), and the line
  `2 workers / 1 worker = N.NNx`;
- the writer's ceiling: two workers fill the stream while the writer is paused
  (SIGSTOP); then it is let go (SIGCONT) and articles/s are counted until the
  stream is empty: storing with the search index, near-duplicate index and all;
- Redis round trips per page, of the workers and of the writer.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawl.scaleout.connection import connect  # noqa: E402
from newscrawl.scaleout.keys import CrawlKeys  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402
from static_site import StaticSite  # noqa: E402 - beside this script
from tests.synthetic import build_site  # noqa: E402

FAST = ["AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "NEWSCRAWL_HOST_DELAY=0", "CONCURRENT_REQUESTS=16",
        "CONCURRENT_REQUESTS_PER_DOMAIN=32", "ROBOTSTXT_OBEY=False", "NEWSCRAWL_PARSE_WORKERS=0",
        "NEWSCRAWL_LISTING_PAGES=1000", "NEWSCRAWL_STREAM_BACKLOG=1000000", "NEWSCRAWL_ARCHIVE=False"]


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "newscrawl", *args]


def crawl(redis, server, db: Path, workers: int, name: str, pause_writer: bool = False) -> dict:
    """One crawl on Redis; the run's stats (and the writer's drain rate when paused)."""
    sets = [x for s in FAST + [f"NEWSCRAWL_HOST_MAP={json.dumps(server.host_map())}"] for x in ("--set", s)]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}

    def start_workers() -> list[subprocess.Popen]:
        return [subprocess.Popen(cli("worker", "baodautu", "--redis", redis.url, "--crawl", name, *sets), cwd=ROOT, **quiet)
                for _ in range(workers)]

    # Workers are started first and the crawl is opened once they wait idle for it,
    # so their start-up (imports) is not counted against the crawl as one worker's
    # is not: what is compared is crawling. The ceiling run pauses the writer first.
    started = [] if pause_writer else start_workers()
    _wait_idle(started)
    writer = subprocess.Popen(cli("writer", "--redis", redis.url, "--db", str(db), "--crawl", name, *sets), cwd=ROOT, **quiet)
    client, keys = connect(redis.url), CrawlKeys(name)
    while not client.hget(keys.crawl, "ready"):
        time.sleep(0.05)
    drain = None
    if pause_writer:
        os.kill(writer.pid, signal.SIGSTOP)
        started = start_workers()
        drain = _drain_rate(client, keys, writer)
    writer.wait()
    for process in started:
        process.wait()
    with sqlite3.connect(db) as conn:
        stats = json.loads(conn.execute("SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()[0])
        stats["articles"] = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    stats["drain"] = drain
    return stats


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _wait_idle(processes: list[subprocess.Popen], timeout: float = 60.0) -> None:
    """Until every process has stopped using CPU (started up, waiting for the crawl)."""
    deadline, last = time.monotonic() + timeout, None
    while processes and time.monotonic() < deadline:
        time.sleep(0.3)
        try:
            now = [_cpu_seconds(p.pid) for p in processes]
        except (OSError, IndexError):
            return  # a worker is gone: the crawl will say why
        if last is not None and all(b - a < 0.05 for a, b in zip(last, now)):
            return
        last = now


def _drain_rate(client, keys, writer) -> float:
    """Wait until the workers have nothing left but the stream, let the writer go, time it."""
    last, steady = -1, 0.0
    while True:
        time.sleep(0.25)
        length, queued = client.xlen(keys.ops), client.zcard(keys.queue)
        if length and length == last and queued == 0 and client.hget(keys.crawl, "begun"):
            steady += 0.25
            if steady >= 1.5:
                break
        else:
            steady, last = 0.0, length
    os.kill(writer.pid, signal.SIGCONT)
    started = time.perf_counter()
    while client.xlen(keys.ops) > 0:
        time.sleep(0.01)
    elapsed = time.perf_counter() - started
    return int(client.hget(keys.crawl, "stored") or 0) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--page-kb", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        site = build_site(folder / "site", articles=args.articles, per_listing=50, page_kb=args.page_kb)
        print(f"synthetic site: {args.articles} articles (~{args.page_kb} KB) + {site['listing_pages']} listing pages; "
              f"{os.cpu_count()} cores")
        best: dict[int, dict] = {}
        with RedisServer(folder) as redis, StaticSite(folder / "site") as server:
            for round_ in range(args.rounds):
                for workers in (1, 2):
                    stats = crawl(redis, server, folder / f"w{workers}r{round_}.db", workers, f"bench{workers}r{round_}")
                    stats["rate"] = stats["response_received_count"] / stats["newscrawl/redis/crawl_seconds"]
                    if workers not in best or stats["rate"] > best[workers]["rate"]:
                        best[workers] = stats
                print(f"  round {round_ + 1}: 1 worker {best[1]['rate']:.1f}, 2 workers {best[2]['rate']:.1f} pages/s (best so far)")
            ceiling = crawl(redis, server, folder / "ceiling.db", 2, "ceiling", pause_writer=True)
        print(f"\n{'':12} {'pages':>6} {'crawl s':>8} {'pages/s':>8} {'articles':>9} {'RT/page workers':>16} {'RT/page writer':>15}")
        for workers, s in sorted(best.items()):
            pages = s["response_received_count"]
            print(f"{workers} worker{'s' if workers > 1 else ' '}   {pages:>6} {s['newscrawl/redis/crawl_seconds']:>8.1f} {s['rate']:>8.1f} "
                  f"{s['articles']:>9} {s['newscrawl/redis/round_trips'] / pages:>16.2f} {s['newscrawl/redis/writer_round_trips'] / pages:>15.2f}")
        print(f"2 workers / 1 worker = {best[2]['rate'] / best[1]['rate']:.2f}x (target: 1.60x or more)")
        print(f"writer ceiling: {ceiling['drain']:.0f} articles/s stored from a full stream "
              f"({ceiling['articles']} articles, search index and near-duplicate index included)")


if __name__ == "__main__":
    main()
