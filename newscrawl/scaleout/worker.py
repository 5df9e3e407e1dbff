"""A worker's side of a crawl on Redis: joining, leases, heartbeats, and knowing when it is over.

It stands where `CrawlRun` stands in one process (the spider, the item
hand-off, the archive and the progress line find it as `CrawlRun`), with
the writer replaced by the Redis stream and the frontier by Redis claims.
A worker waits for a writer to open the crawl, joins it, and then:
- leases requests from the shared queue (`lease`, called by the
  scheduler's queue) and renews its leases on every heartbeat;
- stays open while the crawl has work anywhere (another worker's listing
  may still bring links), and closes when the writer says the crawl has
  ended (nothing queued or leased, the stream drained);
- on leaving, returns what it still holds to the queue and sends its
  figures (`bye`) for the run's summary; then shows that summary.
A page whose callback crashed is sent back as `leave`: the writer keeps it
for the next run, as one process keeps a page it could not finish.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import time
import uuid

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from redis.exceptions import RedisError
from twisted.internet import task

from ..crawl.run import CrawlRun, crawl_rules
from ..store.writer import WriterFailed
from .connection import AsyncResilientRedis, connect
from .frontier import RedisFrontier
from .keys import CrawlKeys
from .outbox import Outbox
from .scripts import HOST_SLOT, Scripts
from .stream import StreamClient
from .urls import redact

logger = logging.getLogger(__name__)

WAITING_NOTE = "waiting for a writer to open crawl %r on Redis %s (start `newscrawl writer --redis URL --db PATH`)"


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class WorkerRun(CrawlRun):
    def __init__(self, crawler, client, keys: CrawlKeys, url: str):
        settings = crawler.settings
        self.client = client
        self.keys = keys
        self.redis_url = redact(url)
        self.scripts = Scripts(client)
        self.worker = worker_id()
        self.lease_ms = int(settings.getfloat("NEWSCRAWL_LEASE_SECONDS", 60) * 1000)
        self.max_attempts = settings.getint("NEWSCRAWL_MAX_ATTEMPTS", 5)
        self.keep_alive = settings.getbool("NEWSCRAWL_KEEP_ALIVE")
        self.lease_batch = max(1, settings.getint("NEWSCRAWL_LEASE_BATCH", 4))
        self.outbox = Outbox(client, keys.ops)
        stream = StreamClient(self.outbox, keys, self.worker, settings.getint("NEWSCRAWL_STREAM_BACKLOG", 2000))
        super().__init__(crawler, None, stream, RedisFrontier(stream, client, keys, self.scripts, crawl_rules(settings), crawler.stats))
        self.crawl_id: str | None = None
        self.joined = False
        self.ending = False
        self.summary: str | None = None
        self._heartbeat: task.LoopingCall | None = None
        self._url = url
        self.patience = settings.getfloat("NEWSCRAWL_REDIS_PATIENCE", 120)
        self._async_client = None
        self._async_slot = None

    @classmethod
    def from_crawler(cls, crawler):
        url = crawler.settings.get("NEWSCRAWL_REDIS_URL")
        client = connect(url, crawler.settings.getfloat("NEWSCRAWL_REDIS_PATIENCE", 120))  # RedisUnavailable: one line
        run = cls(crawler, client, CrawlKeys(crawler.settings.get("NEWSCRAWL_CRAWL_NAME", "news")), url)
        run.writer.on_failure = run._redis_lost
        crawler.signals.connect(run.engine_started, signal=signals.engine_started)
        crawler.signals.connect(run.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(run.spider_error, signal=signals.spider_error)
        crawler.signals.connect(run.spider_closed, signal=signals.spider_closed)
        from twisted.internet import reactor

        reactor.addSystemEventTrigger("before", "shutdown", run._reactor_stopping)
        return run

    # --- joining ------------------------------------------------------------------------
    async def begin(self, mode: str, sites: list[str]) -> int:
        """Wait for a writer's crawl, join it, start the heartbeat; the run's id."""
        self.mode = mode
        self._started = time.monotonic()
        crawl = await self._open_crawl()
        self.crawl_id, self.run_id = crawl["id"], int(crawl["run_id"])
        known = json.loads(crawl.get("sites") or "[]")
        if known and sorted(known) != sorted(sites):
            logger.warning("crawl %r runs sites %s; this worker was given %s: give every worker the same sites",
                           self.keys.name, ", ".join(known), ", ".join(sites))
        else:
            self.client.hset(self.keys.crawl, "sites", json.dumps(sorted(sites)))
        self.writer.send("begin", [mode, sites, self.worker])
        self.client.hset(self.keys.crawl, "begun", 1)
        self._renew()
        self.joined, self.ending = True, False
        if self._heartbeat is None:
            self._heartbeat = task.LoopingCall(self._beat)
            self._heartbeat.start(max(0.5, self.lease_ms / 4000), now=False)
        self.crawler.stats.set_value("newscrawl/run_id", self.run_id)
        self.crawler.stats.set_value("newscrawl/worker", self.worker)
        logger.info("worker %s joined crawl %r (run %s) on Redis %s", self.worker, self.keys.name, self.run_id, self.redis_url)
        return self.run_id

    async def _open_crawl(self) -> dict:
        said = 0.0
        while True:
            crawl = self.client.hgetall(self.keys.crawl)
            if crawl.get("ready") and not crawl.get("status") and crawl.get("id") != self.crawl_id:
                return crawl
            if time.monotonic() - said > 30:
                logger.warning(WAITING_NOTE, self.keys.name, self.redis_url)
                said = time.monotonic()
            await asyncio.sleep(0.25)

    def _redis_lost(self, exc: BaseException) -> None:
        """Redis stayed away longer than NEWSCRAWL_REDIS_PATIENCE: stop (our leases expire, and
        the other workers, or this one started again, fetch what we held)."""
        if self.client.lost:
            return
        self.client.lost = True
        logger.error("Redis %s did not come back (%s): this worker stops; start it again when Redis is up", self.redis_url, exc)
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None and not self._closed:
            asyncio.ensure_future(engine.close_spider_async(reason="redis_unavailable"))

    # --- leases -------------------------------------------------------------------------
    def lease(self) -> list[tuple[str, str, str, int]]:
        """Up to NEWSCRAWL_LEASE_BATCH requests from the shared queue, now leased to this worker:
        (url, payload, validators, stored) each. A few at a time saves round trips; not many,
        or one worker would hold what idle others could fetch."""
        try:
            got = self.outbox.call(self.scripts.pop, [self.keys.prefix, self.worker, self.lease_ms, self.max_attempts,
                                                      self.lease_batch])
        except RedisError as exc:
            self._redis_lost(exc)
            return []
        leased = []
        for start in range(0, len(got), 4):
            url, payload, validators, stored = got[start:start + 4]
            if not payload:  # settled by the writer while waiting (a dead worker's copy was committed)
                self.scripts.release(args=[self.keys.prefix, url])
                continue
            leased.append((url, payload, validators, int(stored)))
        self.crawler.stats.inc_value("newscrawl/redis/leased", len(leased))
        return leased

    async def host_slot(self, args: list) -> int:
        """Ask for a host slot (see politeness.py), awaited: the reactor goes on meanwhile."""
        if self.client.lost:
            raise RedisError("Redis was given up on")
        if self._async_client is None:  # made on the running event loop, where it is used
            self._async_client = AsyncResilientRedis.from_url(self._url, patience=self.patience)
            self._async_slot = self._async_client.register_script(HOST_SLOT)
        try:
            return await self._async_slot(args=args)
        except RedisError as exc:
            self._redis_lost(exc)
            raise

    def _renew(self) -> None:
        self.scripts.renew(args=[self.keys.prefix, self.worker, self.lease_ms])

    def _beat(self) -> None:
        """Still alive: renew the leases, read the writer's totals, let waiting items go."""
        try:
            self.outbox.flush()
            self._renew()
            pipe = self.client.pipeline(transaction=False)
            pipe.hmget(self.keys.crawl, ["stored", "duplicates", "rejected"])
            pipe.xlen(self.keys.ops)
            totals, length = pipe.execute()
        except RedisError as exc:  # every command already waited NEWSCRAWL_REDIS_PATIENCE for it
            self._redis_lost(exc)
            return
        self.writer.tally.update(*totals)
        self.writer.relieve(length)

    # --- signals --------------------------------------------------------------------------
    def engine_started(self) -> None:
        # Scrapy asks an idle scheduler again every 5 s; a worker waiting for another's links
        # should look far sooner. (The engine reads this when it starts its heartbeat.)
        self.crawler.engine._SLOT_HEARTBEAT_INTERVAL = self.crawler.settings.getfloat("NEWSCRAWL_IDLE_POLL", 0.2)

    def spider_idle(self, spider) -> None:
        """Close only when the writer says the crawl is over; until then other workers' pages
        may still bring links."""
        if not self.joined:
            raise DontCloseSpider
        try:
            crawl_id, ending, status = self.client.hmget(self.keys.crawl, ["id", "ending", "status"])
        except RedisError as exc:
            self._redis_lost(exc)
            return
        if crawl_id == self.crawl_id and not ending and not status:
            raise DontCloseSpider
        if self.keep_alive:  # wait for the writer's next crawl, and join it
            if self.joined:
                self.joined = False
                asyncio.ensure_future(self._rejoin(spider))
            raise DontCloseSpider
        self.ending = True

    async def _rejoin(self, spider) -> None:
        await self._send_bye("finished")
        await self.begin(self.mode, [site.name for site in spider.sites])
        await spider.start_points()

    def spider_error(self, failure, response, spider) -> None:
        """A callback crashed on a page: hand it back (the next run tries it again)."""
        url = response.meta.get("frontier_url") if response is not None else None
        if url:
            try:
                self.writer.send("leave", [url, f"{type(failure.value).__name__}: {failure.value}"[:300]])
            except WriterFailed:
                pass  # Redis is gone (said once): the lease expires and the page is fetched again

    async def _send_bye(self, reason: str) -> None:
        self.outbox.flush()  # what the worker did goes before its goodbye
        stats = {k: v for k, v in self.crawler.stats.get_stats().items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
        awaited = self._async_client
        stats["newscrawl/redis/round_trips"] = self.client.round_trips + (awaited.round_trips if awaited else 0)
        stats["newscrawl/redis/wait_seconds"] = round(self.client.waited, 3)  # the reactor blocked
        stats["newscrawl/redis/awaited_seconds"] = round(awaited.waited if awaited else 0.0, 3)  # it went on
        self.writer.send("bye", [self.worker, reason, stats])
        self.outbox.flush()
        self.crawler.stats.set_value("newscrawl/redis/round_trips", self.client.round_trips)
        returned = self.scripts.return_leases(args=[self.keys.prefix, self.worker])
        if returned:
            logger.warning("worker %s left with %d requests in hand: back in the queue for the other workers", self.worker, returned)

    # --- leaving --------------------------------------------------------------------------
    async def spider_closed(self, spider, reason: str) -> None:
        if self._closed:
            return
        self._closed = True
        if self._heartbeat is not None and self._heartbeat.running:
            self._heartbeat.stop()
        if self.crawl_id is None:
            return
        try:
            await self._send_bye(reason)
        except (RedisError, WriterFailed):
            logger.warning("worker %s could not say goodbye to Redis: its leases expire in %.0fs", self.worker, self.lease_ms / 1000)
            self._own_result(reason)
            return
        self.writer.close()
        if self.ending:
            await self._crawl_result()
        else:
            self._own_result(reason)

    async def _crawl_result(self) -> None:
        """The crawl ended: wait for the writer's summary of the run (it waits for every worker)."""
        deadline = time.monotonic() + self.lease_ms / 1000 + 60
        while time.monotonic() < deadline:
            crawl_id, status, summary = self.client.hmget(self.keys.crawl, ["id", "status", "summary"])
            if crawl_id != self.crawl_id:
                break
            if status:
                self._result(status, summary)
                return
            await asyncio.sleep(0.25)
        self._own_result("finished", "the writer did not report the run's end: see `newscrawl runs` on the database's machine")

    def _own_result(self, reason: str, note: str | None = None) -> None:
        from ..crawl.run import run_status

        status = "interrupted" if reason == "shutdown" else ("finished" if reason == "finished" else "failed")
        if status == "finished" and not note:
            status, _ = run_status(reason, _NoTally(), self.crawler.stats.get_stats(), 0.0)
        stats = self.crawler.stats
        line = (f"worker {self.worker} left crawl {self.keys.name!r} (run {self.run_id}) {status} after "
                f"{time.monotonic() - self._started:.1f}s: {stats.get_value('response_received_count', 0)} pages fetched"
                + (f" ({reason})" if status != "finished" else "") + (f"\n  {note}" if note else ""))
        self._result(status, line)

    def _result(self, status: str, summary: str) -> None:
        self.status, self.summary = status, summary
        self.crawler.stats.set_value("newscrawl/status", status)
        for line in summary.splitlines():
            logger.info(line)

    def _reactor_stopping(self) -> None:
        """A second Ctrl-C stops the reactor without closing the spider: give the leases back."""
        if not self._closed and self.crawl_id is not None:
            self._closed = True
            try:
                self.scripts.return_leases(args=[self.keys.prefix, self.worker])
            except Exception as exc:  # noqa: BLE001 - the process is ending; the leases expire anyway
                logger.warning("could not return the leases (%s): they expire in %.0fs", exc, self.lease_ms / 1000)
            self._result("interrupted", f"worker {self.worker} interrupted")


class _NoTally:
    """A worker keeps no tally (the writer does): run_status's questions about it answer nothing."""

    rejects: dict = {}

    def collapsed_fields(self, warn_at: float = 0.0) -> list:
        return []
