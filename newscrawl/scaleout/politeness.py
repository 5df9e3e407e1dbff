"""Downloader middleware: per-host delay and concurrency for the whole crawl, not per worker.

Without it N workers would hit a site N times as hard. Before a request
goes to the network it takes a slot for its host in Redis (`HOST_SLOT`):
requests to one host start at least NEWSCRAWL_HOST_DELAY apart and at most
CONCURRENT_REQUESTS_PER_DOMAIN are in flight, whichever worker sends them.
The slot is taken at the moment the request can go (until then the request
waits, an asynchronous sleep, so the worker's other hosts go on, and asks
again), and a slot whose answer reached the request late (the reactor was
busy) is given up for a new one, so the gap holds where the site sees it. The
slot is given back when the response or error comes; a dead worker's slot
expires after DOWNLOAD_TIMEOUT. Placed next to the downloader (after
robots.txt, replay and the retry middleware), so every attempt that really
goes out takes a slot, and a replayed page takes none.
"""

from __future__ import annotations

import time
import uuid
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured

from ..crawl.retry import _reactor_sleep

SLOT = "newscrawl_host_slot"
BUSY_WAIT = 0.05  # seconds between asks while a host has its concurrency in flight
LATE = 0.02  # a slot whose answer took longer than this to reach the request is taken anew


class SharedPolitenessMiddleware:
    def __init__(self, crawler, delay: float, concurrency: int, hold: float):
        self.crawler = crawler
        self.delay_ms = int(delay * 1000)
        self.concurrency = concurrency
        self.hold_ms = int(hold * 1000)
        self.run = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.get("NEWSCRAWL_REDIS_URL"):
            raise NotConfigured
        return cls(crawler, settings.getfloat("NEWSCRAWL_HOST_DELAY"), settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
                   settings.getfloat("DOWNLOAD_TIMEOUT", 180) + 30)

    def _worker_run(self):
        if self.run is None:
            from .worker import WorkerRun

            self.run = self.crawler.get_extension(WorkerRun)
        return self.run

    async def process_request(self, request):
        host = (urlsplit(request.url).hostname or "").lower()
        run = self._worker_run()
        token = uuid.uuid4().hex
        waited = False
        while True:
            asked = time.monotonic()
            wait = await run.host_slot([run.keys.prefix, host, self.delay_ms, self.concurrency, token, self.hold_ms])
            if wait == 0 and (not self.delay_ms or time.monotonic() - asked <= LATE):
                break
            if wait == 0:
                # The answer came late (the reactor was busy): the slot was taken a while ago and
                # another worker's next request may be close behind it. Give it up, take a new one.
                self.crawler.stats.inc_value("newscrawl/politeness/late")
                run.outbox.add("zrem", run.keys.host_slots(host), token)
                token = uuid.uuid4().hex
                continue
            waited = True
            await _reactor_sleep(wait / 1000 if wait > 0 else BUSY_WAIT)
        request.meta[SLOT] = (host, token)
        if waited:
            self.crawler.stats.inc_value("newscrawl/politeness/waited")
        return None

    def _free(self, request) -> None:
        slot = request.meta.pop(SLOT, None)
        if slot:
            run = self._worker_run()
            run.outbox.add("zrem", run.keys.host_slots(slot[0]), slot[1])

    def process_response(self, request, response):
        self._free(request)
        return response

    def process_exception(self, request, exception):
        self._free(request)
        return None
