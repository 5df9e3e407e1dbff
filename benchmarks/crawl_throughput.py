"""Crawl throughput: bare Scrapy vs the full newscrawl crawl vs its replay.

Generates a synthetic baodautu.vn (default 2,000 articles of ~60 KB, paged
listings, related links), serves it from the test fixture server on
127.0.0.1, and prints in one run: pages/s of a bare Scrapy spider that only
parses title and body, of the full newscrawl crawl (live path: every
pipeline, the frontier, the store), of the same crawl in replay, peak memory
of each, and the ratios. AutoThrottle and delays are off for all three.

    python benchmarks/crawl_throughput.py [--articles 2000] [--page-kb 60]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.server import FixtureServer  # noqa: E402
from tests.synthetic import SECTION, build_site  # noqa: E402

FAST = ["AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS=16", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
        "ROBOTSTXT_OBEY=False", "LOG_LEVEL=WARNING"]


def run(cmd: list[str], cwd: Path = ROOT) -> tuple[float, int, str]:
    """Run a command; (wall seconds, peak RSS in MB, stderr)."""
    started = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    stderr = process.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{stderr[-3000:]}")
    return elapsed, usage.ru_maxrss // 1024, stderr


def crawl_stats(db: Path) -> dict:
    with sqlite3.connect(db) as conn:
        return json.loads(conn.execute("SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--page-kb", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=2, help="alternate the three runs this often; keep each one's best")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        site = build_site(folder / "site", articles=args.articles, per_listing=50, page_kb=args.page_kb)
        pages = args.articles + site["listing_pages"]
        size = sum(f.stat().st_size for f in (folder / "site" / "baodautu").glob("a*.html")) / args.articles / 1024
        print(f"synthetic site: {args.articles} articles (~{size:.0f} KB each) + {site['listing_pages']} listing pages")
        with FixtureServer(folder / "site") as server:
            sets = [x for s in FAST for x in ("-s", s)]
            mapping = json.dumps(server.host_map())
            full_sets = [x for s in FAST + [f"NEWSCRAWL_HOST_MAP={mapping}", "NEWSCRAWL_LISTING_PAGES=1000"] for x in ("--set", s)]
            best = {"bare": (1e9, 0), "live": (1e9, 0), "replay": (1e9, 0)}
            for round_ in range(args.rounds):
                # Outside the project folder: Scrapy's own defaults, none of newscrawl's components.
                bare = run([sys.executable, "-m", "scrapy", "runspider", str(ROOT / "benchmarks" / "bare_spider.py"),
                            "-a", f"base={server.base_url}", "-a", f"start={SECTION}", *sets], cwd=folder)
                db, replay_db = folder / f"live{round_}.db", folder / f"replay{round_}.db"
                live = run([sys.executable, "-m", "newscrawl", "crawl", "baodautu", "--db", str(db), *full_sets])
                replay = run([sys.executable, "-m", "newscrawl", "crawl", "baodautu", "--replay", str(folder / "site"),
                              "--db", str(replay_db), *full_sets])
                for name, result in (("bare", bare), ("live", live), ("replay", replay)):
                    best[name] = min(best[name], result[:2])
            live_pages = crawl_stats(db)["response_received_count"]
            replay_pages = crawl_stats(replay_db)["response_received_count"]
        (bare_s, bare_mb), (live_s, live_mb), (replay_s, replay_mb) = best["bare"], best["live"], best["replay"]
        with sqlite3.connect(db) as conn:
            stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    rows = [("bare Scrapy (title + body)", pages, bare_s, bare_mb), ("newscrawl live (all pipelines)", live_pages, live_s, live_mb),
            ("newscrawl replay", replay_pages, replay_s, replay_mb)]
    print(f"{'':34} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'peak MB':>8}")
    for name, count, seconds, mb in rows:
        print(f"{name:34} {count:>6} {seconds:>8.1f} {count / seconds:>8.1f} {mb:>8}")
    bare_rate = pages / bare_s
    print(f"newscrawl live / bare Scrapy   = {live_pages / live_s / bare_rate:.2f}x  (target 0.8x or better; {stored} articles stored)")
    print(f"newscrawl replay / bare Scrapy = {replay_pages / replay_s / bare_rate:.2f}x")
    print(f"best of {args.rounds} alternating rounds; wall time includes process start-up for all three; "
          "robots.txt off, AutoThrottle off; peak MB is the crawl process (a parse worker adds ~100 MB)")


if __name__ == "__main__":
    main()
