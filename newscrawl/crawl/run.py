"""The crawl's one owner of the database side: the run lock, the writer, the frontier.

Scrapy builds it as an extension, before the engine: it takes the
database's lock (a second crawl on the same database stops right here,
with `AlreadyRunning`), starts the writer and builds the frontier. Every
other component finds it through the crawler,
`crawler.get_extension(CrawlRun)`, and uses its `writer` and `frontier`;
nothing else opens the database during a crawl. When the spider closes, it
writes the run's status and summary (from the writer's tally, so they agree
with the tables), stops the writer and releases the lock.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

from scrapy import signals

from ..store.archive import archive_path_for
from ..store.tally import format_summary
from ..store.writer import Writer
from .frontier import Frontier, Rules
from .lock import RunLock

logger = logging.getLogger(__name__)

# Reasons a crawl may stop for and still have done its job.
FINISHED = ("finished", "closespider_pagecount", "closespider_itemcount")


def archive_path(settings) -> Path | None:
    """Where fetched article pages are kept for reparse, or None (turned off, or a replay)."""
    if not settings.getbool("NEWSCRAWL_ARCHIVE") or settings.get("NEWSCRAWL_REPLAY_DIR"):
        return None
    return Path(settings.get("NEWSCRAWL_ARCHIVE_PATH") or archive_path_for(settings.get("NEWSCRAWL_DB")))


def crawl_rules(settings) -> Rules:
    # Saved pages cost nothing to fetch again: a replay re-parses by default.
    refresh = settings.get("NEWSCRAWL_REFRESH")
    refresh = bool(settings.get("NEWSCRAWL_REPLAY_DIR")) if refresh is None else settings.getbool("NEWSCRAWL_REFRESH")
    return Rules(refresh, settings.getfloat("NEWSCRAWL_REFRESH_DAYS", 0), settings.getint("NEWSCRAWL_MAX_ATTEMPTS", 3))


class CrawlRun:
    def __init__(self, crawler, lock: RunLock, writer: Writer, frontier: Frontier):
        self.crawler = crawler
        self.lock = lock
        self.writer = writer
        self.frontier = frontier
        self.mode = "live"
        self.run_id: int | None = None
        self.status: str | None = None
        self._started = time.monotonic()
        self._reactor_cpu = time.thread_time()

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        lock = RunLock(settings.get("NEWSCRAWL_DB")).acquire()  # raises AlreadyRunning
        try:
            writer = Writer(settings.get("NEWSCRAWL_DB"), settings, archive_path(settings)).start()
        except BaseException:
            lock.release()
            raise
        run = cls(crawler, lock, writer, Frontier(writer, crawl_rules(settings), crawler.stats))
        crawler.signals.connect(run.spider_closed, signal=signals.spider_closed)
        return run

    async def begin(self, mode: str, sites: list[str]) -> int:
        """The run's row in `crawl_runs`: called by the spider before its first request."""
        self.mode = mode
        self._started = time.monotonic()
        self.run_id = await asyncio.wrap_future(self.writer.call(_start_run_in_writer, mode, sites))
        self.crawler.stats.set_value("newscrawl/run_id", self.run_id)
        logger.info("run %s started (%s, sites: %s, database %s)", self.run_id, mode, ", ".join(sites), self.writer.path)
        return self.run_id

    async def spider_closed(self, spider, reason: str) -> None:
        stats = self.crawler.stats
        try:
            if self.run_id is not None:
                stats.set_value("newscrawl/time/reactor_cpu", round(time.thread_time() - self._reactor_cpu, 3))
                figures = {k: v for k, v in stats.get_stats().items() if isinstance(v, (int, float, str))}
                self.status, summary = await asyncio.wrap_future(
                    self.writer.call(_finish_run_in_writer, self.mode, reason, figures, time.monotonic() - self._started))
                stats.set_value("newscrawl/status", self.status)
                for key, value in self.writer.tally.as_stats().items():
                    stats.set_value(key, value)
                for line in summary.splitlines():
                    logger.info(line)
        finally:
            try:
                self.writer.close()
            finally:
                self.lock.release()


def _start_run_in_writer(writer, mode: str, sites: list[str]) -> int:
    run_id = writer.store.start_run(mode, sites)
    writer.commit_now()  # the run is visible (`newscrawl runs`) from its first moment
    return run_id


def _finish_run_in_writer(writer, mode: str, reason: str, stats: dict, elapsed: float) -> tuple[str, str]:
    tally = writer.tally
    collapsed = tally.collapsed_fields(writer.settings.getfloat("NEWSCRAWL_COVERAGE_WARN", 0.0))
    # Dead links and refused pages are the web's normal state (they are rejects);
    # a crash in our own code is a failed run.
    crashed = any(tally.rejects[site].get("pipeline_error") for site in tally.rejects)
    crashed = crashed or any(k.startswith("spider_exceptions/") for k in stats)
    status = "failed" if reason not in FINISHED or collapsed or crashed else "ok"
    stats.update(tally.as_stats())
    stats["newscrawl/time/writer_cpu"] = round(time.thread_time(), 3)
    summary = format_summary(tally, stats, mode, elapsed, str(writer.path), writer.store.counts())
    writer.store.finish_run(status, {**stats, "newscrawl/sites": tally.as_dict()}, tally.coverage(), summary)
    writer.commit_now()
    return status, summary
