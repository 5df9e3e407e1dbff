"""Crawl throughput and memory: bare Scrapy vs the full newscrawl crawl vs its replay.

    python benchmarks/crawl_throughput.py [--articles 2000] [--page-kb 60] [--rounds 3]
                                          [--memory-sizes 500,2000,10000] [--memory-page-kb 30]
                                          [--set NAME=VALUE ...]

`--set` passes a setting to the newscrawl crawls (not to bare Scrapy), to
measure a variant in the same run's terms. A dict setting is replaced whole,
so the page stages without the facts stage are, in full:
`--set 'NEWSCRAWL_PAGE_STAGES={"newscrawl.pipelines.clean.CleanPipeline": 100,
"newscrawl.pipelines.validate.ValidatePipeline": 200, "newscrawl.pipelines.topics.TopicsPipeline": 300,
"newscrawl.pipelines.signatures.SignaturePipeline": 400}'`.

Throughput: a synthetic baodautu.vn (2,000 articles of ~60 KB, paged listings,
related links) is served by the test fixture server on 127.0.0.1, and the
three crawls run in alternating rounds (each keeps its best, as the machine
is noisy): a bare Scrapy spider that parses only title and body, the full
newscrawl crawl (live path: every stage, frontier, writer, archive), and the
same crawl in replay. Printed: pages/s over the crawl (Scrapy's own elapsed
time, the same measure for all three) and over the whole command (start-up
included), the ratios to bare Scrapy, the peak memory of each process tree
(the crawl, its parse worker and writer), and where newscrawl's time goes per
page: CPU of page analysis (parse worker), of the writer thread, and of the
crawl's own thread (reactor).

Memory: replays of synthetic sites of each size in --memory-sizes (~30 KB
pages), with the peak memory of the whole process tree; memory must stay flat
as the crawl grows (the largest within 1.3x the smallest).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.server import FixtureServer  # noqa: E402
from tests.synthetic import SECTION, build_site  # noqa: E402

FAST = ["AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS=16", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
        "ROBOTSTXT_OBEY=False", "LOG_LEVEL=WARNING"]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as handle:
                total += next((int(line.split()[1]) for line in handle if line.startswith("VmRSS:")), 0)
        except OSError:
            pass
        stack += children.get(current, [])
    return total / 1024


def run(cmd: list[str], cwd: Path = ROOT) -> dict:
    """Run a command to the end: wall seconds, CPU seconds of the tree, peak tree RSS (MB)."""
    started = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak, finished = [0.0], threading.Event()

    def sample() -> None:  # never polls the process: only wait4 below may reap it
        while not finished.is_set():
            peak[0] = max(peak[0], tree_rss_mb(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    finished.set()
    process.returncode = os.waitstatus_to_exitcode(status)
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{stderr[-3000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": peak[0]}


def crawl_stats(db: Path) -> dict:
    with sqlite3.connect(db) as conn:
        return json.loads(conn.execute("SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()[0])


def newscrawl_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "newscrawl", "crawl", "baodautu", *args]


def throughput(folder: Path, articles: int, page_kb: int, rounds: int, extra: list[str] = ()) -> None:
    site = build_site(folder / "site", articles=articles, per_listing=50, page_kb=page_kb)
    size = sum(f.stat().st_size for f in (folder / "site" / "baodautu").glob("a*.html")) / articles / 1024
    print(f"synthetic site: {articles} articles (~{size:.0f} KB each) + {site['listing_pages']} listing pages")
    best: dict[str, dict] = {}
    with FixtureServer(folder / "site") as server:
        mapping = json.dumps(server.host_map())
        settings = [x for s in FAST + [f"NEWSCRAWL_HOST_MAP={mapping}", "NEWSCRAWL_LISTING_PAGES=1000", *extra]
                    for x in ("--set", s)]
        for round_ in range(rounds):
            stats_file, db, replay_db = folder / f"bare{round_}.json", folder / f"live{round_}.db", folder / f"replay{round_}.db"
            # Outside the project folder: Scrapy's own defaults, none of newscrawl's components.
            bare = run([sys.executable, "-m", "scrapy", "runspider", str(ROOT / "benchmarks" / "bare_spider.py"),
                        "-a", f"base={server.base_url}", "-a", f"start={SECTION}", "-a", f"stats={stats_file}",
                        *[x for s in FAST for x in ("-s", s)]], cwd=folder)
            bare["stats"] = json.loads(stats_file.read_text())
            live = run(newscrawl_cmd("--db", str(db), *settings))
            live["stats"] = crawl_stats(db)
            replay = run(newscrawl_cmd("--replay", str(folder / "site"), "--db", str(replay_db), *settings))
            replay["stats"] = crawl_stats(replay_db)
            for name, result in (("bare", bare), ("live", live), ("replay", replay)):
                result["pages"] = result["stats"]["response_received_count"]
                result["rate"] = result["pages"] / result["stats"]["elapsed_time_seconds"]
                result["wall_rate"] = result["pages"] / result["wall"]
                if name not in best or result["rate"] > best[name]["rate"]:
                    best[name] = result
            print(f"  round {round_ + 1}: " + ", ".join(f"{n} {best[n]['rate']:.1f}" for n in ("bare", "live", "replay")) + " pages/s (best so far)")
    rows = [("bare Scrapy (title + body)", best["bare"]), ("newscrawl live (all stages)", best["live"]), ("newscrawl replay", best["replay"])]
    print(f"\n{'':30} {'pages':>6} {'crawl s':>8} {'pages/s':>8} {'wall s':>7} {'pages/s':>8} {'peak MB':>8}")
    for name, r in rows:
        crawl_s = r["stats"]["elapsed_time_seconds"]
        print(f"{name:30} {r['pages']:>6} {crawl_s:>8.1f} {r['rate']:>8.1f} {r['wall']:>7.1f} {r['wall_rate']:>8.1f} {r['peak_mb']:>8.0f}")
    for name in ("live", "replay"):
        r = best[name]
        print(f"newscrawl {name:6} / bare Scrapy = {r['rate'] / best['bare']['rate']:.2f}x over the crawl, "
              f"{r['wall_rate'] / best['bare']['wall_rate']:.2f}x with start-up (targets: live 0.90x, replay 1.00x)")
    print("\nwhere the time goes, CPU ms per page (parse: page analysis in the worker; writer: the database thread; "
          "reactor: the crawl's own thread; other: the rest of the process tree, start-up included):")
    for name in ("live", "replay"):
        r, stats = best[name], best[name]["stats"]
        pages = r["pages"]
        parts = {part: stats.get(f"newscrawl/time/{part}_cpu", 0.0) for part in ("parse", "writer", "reactor")}
        other = r["cpu"] - sum(parts.values())
        print(f"  {name:6}: " + "  ".join(f"{part} {seconds / pages * 1000:.2f}" for part, seconds in parts.items())
              + f"  other {other / pages * 1000:.2f}  (bare Scrapy, everything: {best['bare']['cpu'] / best['bare']['pages'] * 1000:.2f})")


def memory(folder: Path, sizes: list[int], page_kb: int) -> None:
    print(f"\nmemory: replays of synthetic sites (~{page_kb} KB pages), peak RSS of the whole process tree")
    peaks = {}
    for count in sizes:
        site = folder / f"memory{count}"
        build_site(site, articles=count, per_listing=50, page_kb=page_kb)
        result = run(newscrawl_cmd("--replay", str(site), "--db", str(folder / f"memory{count}.db"), "--set", "NEWSCRAWL_LISTING_PAGES=100000",
                                   "--set", "LOG_LEVEL=WARNING"))
        peaks[count] = result["peak_mb"]
        print(f"  {count:>6} articles: {result['peak_mb']:6.0f} MB peak, {result['wall']:6.1f} s")
    smallest, largest = min(peaks), max(peaks)
    print(f"  {largest} / {smallest} articles: {peaks[largest] / peaks[smallest]:.2f}x the peak memory (target: 1.3x or less)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--page-kb", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3, help="alternate the three crawls this often; keep each one's best")
    parser.add_argument("--memory-sizes", default="500,2000,10000", help="article counts for the memory replays ('' to skip)")
    parser.add_argument("--memory-page-kb", type=int, default=30)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting for the newscrawl crawls (repeatable)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        if args.rounds:
            throughput(folder, args.articles, args.page_kb, args.rounds, args.set)
        sizes = [int(n) for n in args.memory_sizes.split(",") if n.strip()]
        if sizes:
            memory(folder, sizes, args.memory_page_kb)


if __name__ == "__main__":
    main()
