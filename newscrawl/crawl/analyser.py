"""Where pages are analysed: parse worker processes, or the crawl's own process.

Scrapy's reactor runs on one core. Decoding, parsing and the page stages
(`newscrawl.pipelines.page`) are CPU work that needs nothing but the page,
so with NEWSCRAWL_PARSE_WORKERS=N (default 1: the machine's other core)
they run in N spawned processes, each with its own `PageAnalysis` built
from the crawl's settings, and the spider awaits the analysed item without
blocking the reactor. With 0 they run inline. If a worker dies (out of
memory?), the pages in flight are analysed inline, and so is the rest of
the crawl. Workers die with the crawl, however it dies.
"""

from __future__ import annotations

import asyncio
import atexit
import itertools
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import Future
from multiprocessing.connection import wait

from scrapy import signals
from scrapy.settings import BaseSettings, Settings

from ..pipelines.page import FetchedPage, PageAnalysis

logger = logging.getLogger(__name__)


class WorkerDied(RuntimeError):
    pass


class PageAnalyser:
    """An extension (after `CrawlRun`, so a refused crawl starts no workers): the spider
    finds it with `crawler.get_extension(PageAnalyser)`."""

    def __init__(self, workers: int, settings: BaseSettings, stats=None):
        self.settings = settings
        self.stats = stats
        self._inline: PageAnalysis | None = None
        self._pool = WorkerPool(workers, settings.copy_to_dict()) if workers > 0 else None

    @classmethod
    def from_crawler(cls, crawler):
        analyser = cls(crawler.settings.getint("NEWSCRAWL_PARSE_WORKERS", 1), crawler.settings, crawler.stats)
        crawler.signals.connect(analyser.close, signal=signals.spider_closed)
        return analyser

    async def analyse(self, item: dict, page: FetchedPage | None) -> dict:
        if self._pool is not None:
            try:
                analysed, cpu = await asyncio.wrap_future(self._pool.submit(item, page))
                self._spent(cpu)
                return analysed
            except WorkerDied:
                logger.warning("a parse worker died; parsing in the crawl process from now on")
                self.close()
        if self._inline is None:
            self._inline = PageAnalysis.from_settings(self.settings)
        started = time.thread_time()
        analysed = self._inline.analyse(item, page)
        self._spent(time.thread_time() - started)
        return analysed

    def _spent(self, cpu_seconds: float) -> None:
        """Where the time goes: CPU seconds of page analysis, wherever it ran."""
        if self.stats is not None:
            self.stats.inc_value("newscrawl/time/parse_cpu", cpu_seconds, start=0.0)
            self.stats.inc_value("newscrawl/time/parsed_pages")

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None


def _die_with_parent(parent: int) -> None:
    """When the crawl dies (even by SIGKILL), its workers die too, instead of
    lingering and holding its pipes open."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the worker exits when its pipe breaks
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _worker_main(settings: dict, parent: int, jobs, results) -> None:
    """A parse worker: its own page stages, built from the crawl's settings, for every job."""
    _die_with_parent(parent)
    analysis = PageAnalysis.from_settings(Settings(settings))
    while True:
        job = jobs.get()
        if job is None:
            return
        job_id, item, page = job
        started = time.process_time()
        analysed = analysis.analyse(item, page)
        results.send((job_id, analysed, time.process_time() - started))


class WorkerPool:
    """N spawned processes fed from one job queue; each answers on a pipe of its own."""

    def __init__(self, workers: int, settings: dict):
        # spawn: a fork of a process running a reactor and threads is not safe.
        context = multiprocessing.get_context("spawn")
        self._jobs = context.Queue()
        # Leaving must never wait for pages no worker will read (a worker killed, a forced stop).
        self._jobs.cancel_join_thread()
        self._futures: dict[int, Future] = {}
        self._ids = itertools.count()
        self._lock = threading.Lock()
        self._closed = False
        self._processes, self._pipes = [], []
        for _ in range(workers):
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_worker_main, args=(settings, os.getpid(), self._jobs, send), daemon=True)
            process.start()
            send.close()
            self._processes.append(process)
            self._pipes.append(receive)
        self._reader = threading.Thread(target=self._read_results, name="newscrawl-parse-results", daemon=True)
        self._reader.start()
        # A forced stop leaves through the interpreter's exit, which ends the workers: not news.
        atexit.register(self._leaving)

    def submit(self, item: dict, page: FetchedPage | None) -> Future:
        future: Future = Future()
        with self._lock:
            if self._closed:
                future.set_exception(WorkerDied("the parse workers are gone"))
                return future
            job_id = next(self._ids)
            self._futures[job_id] = future
        self._jobs.put((job_id, item, page))
        return future

    def _read_results(self) -> None:
        pipes = list(self._pipes)
        sentinels = {process.sentinel: process for process in self._processes}
        while pipes:
            for ready in wait(pipes + list(sentinels)):
                if ready in sentinels:
                    self._fail_all(f"parse worker {sentinels[ready].pid} exited ({sentinels[ready].exitcode})")
                    return
                try:
                    job_id, analysed, cpu = ready.recv()
                except (EOFError, OSError):
                    self._fail_all("a parse worker's pipe broke")
                    return
                with self._lock:
                    future = self._futures.pop(job_id, None)
                if future is not None:
                    future.set_result((analysed, cpu))

    def _fail_all(self, why: str) -> None:
        with self._lock:
            closed_on_purpose, self._closed = self._closed, True
            futures, self._futures = list(self._futures.values()), {}
        if not closed_on_purpose:
            logger.warning("%s", why)
        for future in futures:
            future.set_exception(WorkerDied(why))

    def _leaving(self) -> None:
        with self._lock:
            self._closed = True

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        for process in self._processes:
            if process.is_alive():
                self._jobs.put(None)
        for process in self._processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
        self._jobs.close()
        self._fail_all("the parse workers were stopped")
