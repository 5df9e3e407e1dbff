"""The crawl's one owner of the database side: the run lock, the writer, the frontier.

Scrapy builds it as an extension, before the engine: it takes the
database's lock (a second crawl on the same database stops right here,
with `AlreadyRunning`), starts the writer and builds the frontier. Every
other component finds it through the crawler,
`crawler.get_extension(CrawlRun)`, and uses its `writer` and `frontier`;
nothing else opens the database during a crawl. When the spider closes, it
writes the run's status and summary (from the writer's tally, so they agree
with the tables), stops the writer and releases the lock.

A run ends in a true state (see `run_status`): `finished`, `failed` with
why, `interrupted` (SIGINT / SIGTERM, once or twice: a second signal stops
the reactor without closing the spider, so the run is finished from the
reactor's shutdown trigger instead), or `killed`, which the next run writes
for a run it finds still `running` (it holds the lock, so that one is dead).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from concurrent.futures import Future
from pathlib import Path

import click
from scrapy import signals
from scrapy.exceptions import UsageError
from twisted.internet.defer import Deferred

from ..store.archive import archive_path_for
from ..store.summary import format_summary, record_failed_run
from ..store.writer import Writer, WriterFailed
from .failures import is_transient
from .frontier import Frontier, Rules
from .lock import AlreadyRunning, RunLock

logger = logging.getLogger(__name__)

# Reasons a crawl may stop for and still have done its job.
FINISHED = ("finished", "closespider_pagecount", "closespider_itemcount", "closespider_timeout")
# Scrapy's close reason after SIGINT / SIGTERM.
INTERRUPTED = ("shutdown",)
# How a run ended -> the exit code of `newscrawl crawl` and `scrapy crawl` (130: stopped
# by SIGINT, as shells report it).
EXIT_CODES = {"finished": 0, "failed": 1, "interrupted": 130}
# Why a run stopped, in words an operator can act on.
WRITER_FAILED = "the database could not be written ({error}): free disk space or fix the file, then run again; the next run resumes where this one stopped"
NO_NETWORK = "no page could be fetched ({reasons}): check the network, DNS and proxy settings"


def archive_path(settings) -> Path | None:
    """Where fetched article pages are kept for reparse, or None (turned off, or a replay)."""
    if not settings.getbool("NEWSCRAWL_ARCHIVE") or settings.get("NEWSCRAWL_REPLAY_DIR"):
        return None
    return Path(settings.get("NEWSCRAWL_ARCHIVE_PATH") or archive_path_for(settings.get("NEWSCRAWL_DB")))


def crawl_rules(settings) -> Rules:
    # Saved pages cost nothing to fetch again: a replay re-parses by default.
    refresh = settings.get("NEWSCRAWL_REFRESH")
    refresh = bool(settings.get("NEWSCRAWL_REPLAY_DIR")) if refresh is None else settings.getbool("NEWSCRAWL_REFRESH")
    return Rules(refresh, settings.getfloat("NEWSCRAWL_REFRESH_DAYS", 0), settings.getint("NEWSCRAWL_MAX_ATTEMPTS", 5),
                 settings.getfloat("NEWSCRAWL_RETRY_RUN_DELAY", 900), settings.getint("URLLENGTH_LIMIT", 2083))


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
        self._finishing: Future | None = None
        self._closed = False

    @classmethod
    def from_crawler(cls, crawler):
        from twisted.internet import reactor

        settings = crawler.settings
        lock = RunLock(settings.get("NEWSCRAWL_DB")).acquire()  # raises AlreadyRunning
        try:
            writer = Writer(settings.get("NEWSCRAWL_DB"), settings, archive_path(settings)).start()
        except BaseException:
            lock.release()
            raise
        run = cls(crawler, lock, writer, Frontier(writer, crawl_rules(settings), crawler.stats))
        writer.on_failure = lambda exc: reactor.callFromThread(run._writer_failed, exc)
        crawler.signals.connect(run.spider_closed, signal=signals.spider_closed)
        reactor.addSystemEventTrigger("before", "shutdown", run._reactor_stopping)
        return run

    async def begin(self, mode: str, sites: list[str]) -> int:
        """The run's row in `crawl_runs`: called by the spider before its first request."""
        self.mode = mode
        self._started = time.monotonic()
        self.run_id, killed = await asyncio.wrap_future(self.writer.call(_start_run_in_writer, mode, sites))
        self.crawler.stats.set_value("newscrawl/run_id", self.run_id)
        for run_id in killed:
            logger.warning("run %s was killed (found still running): its unfinished URLs are resumed", run_id)
        logger.info("run %s started (%s, sites: %s, database %s)", self.run_id, mode, ", ".join(sites), self.writer.path.resolve())
        return self.run_id

    def _writer_failed(self, exc: BaseException) -> None:
        """The database cannot be written: stop the crawl now (nothing more could be kept)."""
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None and not self._closed:
            asyncio.ensure_future(engine.close_spider_async(reason="database_error"))

    async def spider_closed(self, spider, reason: str) -> None:
        try:
            if self.run_id is not None and self._finishing is None:
                self._finishing = self._finish(reason)
                await asyncio.wrap_future(self._finishing)
        except WriterFailed:
            pass  # said in _finish's fallback
        finally:
            self._close()

    def _reactor_stopping(self) -> None:
        """The reactor stops: after a second Ctrl-C the spider was never closed, so the run
        is finished here, synchronously (the writer is a thread of its own)."""
        if self._closed:
            return
        try:
            if self.run_id is not None:
                if self._finishing is None:
                    self._finishing = self._finish("shutdown")
                self._finishing.result(timeout=60)
        except Exception as exc:  # noqa: BLE001 - the process is ending: say it, never hang
            logger.warning("could not record how run %s ended: %s", self.run_id, exc)
        finally:
            self._close()

    def _finish(self, reason: str) -> Future:
        """Write the run's status and summary (on the writer's thread); log them."""
        stats = self.crawler.stats
        stats.set_value("newscrawl/time/reactor_cpu", round(time.thread_time() - self._reactor_cpu, 3))
        figures = {k: v for k, v in stats.get_stats().items() if isinstance(v, (int, float, str))}
        elapsed = time.monotonic() - self._started
        if self.writer.failure is not None:
            return self._finish_without_writer(figures, elapsed)
        future = self.writer.call(_finish_run_in_writer, self.mode, reason, figures, elapsed)
        future.add_done_callback(self._finished)
        return future

    def _finished(self, future: Future) -> None:
        if future.exception() is not None:
            return
        self.status, why, summary = future.result()
        stats = self.crawler.stats
        stats.set_value("newscrawl/status", self.status)
        if why:
            stats.set_value("newscrawl/why", why)
        for key, value in self.writer.tally.as_stats().items():
            stats.set_value(key, value)
        for line in summary.splitlines():
            logger.info(line)
        if why:  # above INFO, so cron mail and scrapyd's log show it
            logger.warning("run %s %s: %s", self.run_id, self.status, why)

    def _finish_without_writer(self, figures: dict, elapsed: float) -> Future:
        """The writer failed: record the failure on a connection of its own, if the database lets us."""
        why = WRITER_FAILED.format(error=self.writer.failure)
        summary = format_summary(self.writer.tally, figures, self.mode, elapsed, str(self.writer.path), {}, "failed", why)
        self.status = "failed"
        self.crawler.stats.set_value("newscrawl/status", "failed")
        self.crawler.stats.set_value("newscrawl/why", why)
        for line in summary.splitlines():
            logger.info(line)
        logger.warning("run %s failed: %s", self.run_id, why)
        future: Future = Future()
        try:
            record_failed_run(self.writer.path, self.run_id, {**figures, "newscrawl/why": why}, summary)
        except (sqlite3.Error, OSError) as exc:
            logger.warning("the run's row could not be updated either (%s): the next run marks it killed", exc)
        future.set_result(None)
        return future

    def _close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self.writer.close()
        except WriterFailed:
            pass  # already said when it happened
        finally:
            self.lock.release()


def start_refusals(started) -> list[BaseException]:
    """Collect an expected reason a crawl could not start (another crawl holds the database,
    no page archive, a database error, Redis out of reach), for one line from its command; anything else keeps
    its traceback. `started` is what Scrapy's process returned: a Deferred or an asyncio task."""
    refused: list[BaseException] = []

    def sort(error: BaseException | None) -> None:
        if isinstance(error, (AlreadyRunning, UsageError, sqlite3.Error, OSError, click.ClickException)):
            refused.append(error)
        elif error is not None:
            logger.error("the crawl could not start", exc_info=error)

    if isinstance(started, Deferred):
        started.addErrback(lambda failure: sort(failure.value))
    elif hasattr(started, "add_done_callback"):
        started.add_done_callback(lambda task: sort(None if task.cancelled() else task.exception()))
    return refused


def run_status(reason: str, tally, stats: dict, coverage_warn: float) -> tuple[str, str | None]:
    """(status, why) of a run that ends with Scrapy's close `reason`."""
    if reason in INTERRUPTED:
        return "interrupted", "interrupted (SIGINT or SIGTERM): the counts are what was done so far; the next run resumes the rest"
    if reason not in FINISHED:
        return "failed", f"the crawl stopped early: {reason}"
    # Dead links and refused pages are the web's normal state (they are rejects);
    # a crash in our own code is a failed run.
    if any(tally.rejects[site].get("pipeline_error") for site in tally.rejects):
        return "failed", "a page stage crashed (pipeline_error rejects): see the log"
    if any(k.startswith("spider_exceptions/") for k in stats):
        return "failed", "the spider crashed on some pages (spider_exceptions): see the log"
    collapsed = tally.collapsed_fields(coverage_warn)
    if collapsed:
        return "failed", "field coverage collapsed (" + ", ".join(f"{s} {f}" for s, f in collapsed) + "): has a site changed its markup?"
    failures = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("newscrawl/failed/")}
    if failures and not stats.get("response_received_count"):
        reasons = ", ".join(f"{r} {n}" for r, n in sorted(failures.items()))
        if all(is_transient(r) for r in failures):
            return "failed", NO_NETWORK.format(reasons=reasons)
        return "failed", f"no page could be fetched ({reasons}): check the start URLs, or the replay folder"
    return "finished", None


def _start_run_in_writer(writer, mode: str, sites: list[str]) -> tuple[int, list[int]]:
    run_id = writer.store.start_run(mode, sites)
    killed = writer.store.mark_killed_runs()
    writer.commit_now()  # the run is visible (`newscrawl runs`) from its first moment
    return run_id, killed


def _finish_run_in_writer(writer, mode: str, reason: str, stats: dict, elapsed: float) -> tuple[str, str | None, str]:
    tally = writer.tally
    status, why = run_status(reason, tally, stats, writer.settings.getfloat("NEWSCRAWL_COVERAGE_WARN", 0.0))
    stats.update(tally.as_stats())
    stats["newscrawl/time/writer_cpu"] = round(time.thread_time(), 3)
    stats["newscrawl/frontier/waiting_retry"] = writer.store.waiting_retries()
    if why:
        stats["newscrawl/why"] = why
    summary = format_summary(tally, stats, mode, elapsed, str(writer.path), writer.store.counts(), status, why)
    writer.store.finish_run(status, {**stats, "newscrawl/sites": tally.as_dict()}, tally.coverage(), summary)
    writer.commit_now()
    return status, why, summary
