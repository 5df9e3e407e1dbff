"""scrapy-redis's scheduler, with a queue that leases instead of popping.

`LeasedQueue` is the SCHEDULER_QUEUE_CLASS of scrapy-redis's Scheduler. A
request leaves the shared queue as a lease held by this worker (with a
deadline its heartbeat renews) and its payload stays in Redis until the
writer has committed the URL's outcome; a worker killed mid-download loses
nothing, its leases expire and the URLs go back to the queue. Retries and
redirects of a leased request stay in this worker's memory: the lease
still covers them, and if the worker dies the URL is fetched anew.

The frontier decides what is fetched once (claims in Redis), so the
scheduler's duplicate filter is `NoDupeFilter`.
"""

from __future__ import annotations

import heapq
import itertools
import json

from scrapy.dupefilters import BaseDupeFilter
from scrapy_redis.queue import Base
from scrapy_redis.scheduler import Scheduler as RedisScheduler

from ..crawl.frontier import conditional_request_headers


class Scheduler(RedisScheduler):
    """scrapy-redis's scheduler, counting without the `spider` argument Scrapy 2.13+ deprecates."""

    def enqueue_request(self, request):
        self.queue.push(request)  # the frontier filtered (NoDupeFilter would say "not seen")
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self):
        request = self.queue.pop(0)
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request


class NoDupeFilter(BaseDupeFilter):
    """scrapy-redis builds its filter with `from_spider`; the frontier already filtered."""

    @classmethod
    def from_spider(cls, spider):
        return cls()


def conditional_headers(row: dict, validators: str, stored: int) -> dict[str, str]:
    """The conditional request headers for a leased URL: a page's saved validators (unless the
    crawl refreshes), an article's when a copy is stored (a 304 then means unchanged)."""
    wanted = row.get("cond") and (row["kind"] != "article" or stored)
    if not wanted or not validators:
        return {}
    return conditional_request_headers(*json.loads(validators))


class LeasedQueue(Base):
    def __init__(self, server, spider, key, serializer=None):
        super().__init__(server, spider, key, serializer)
        self._local: list = []  # (−priority, order, request): this worker's retries and redirects
        self._order = itertools.count()
        self._run = None

    def _worker_run(self):
        if self._run is None:
            from .worker import WorkerRun

            self._run = self.spider.crawler.get_extension(WorkerRun)
        return self._run

    def __len__(self) -> int:
        # What this worker holds; the shared queue's depth is the worker run's question (spider_idle).
        return len(self._local)

    def push(self, request) -> None:
        heapq.heappush(self._local, (-request.priority, next(self._order), request))

    def pop(self, timeout=0):
        if self._local:
            return heapq.heappop(self._local)[2]
        run = self._worker_run()
        if run is None or not run.joined:
            return None
        for url, payload, validators, stored in run.lease():
            row = json.loads(payload)
            self.push(self.spider.request_for(row["url"], row["kind"], row["site"], row["meta"],
                                              conditional_headers(row, validators, stored)))
        return heapq.heappop(self._local)[2] if self._local else None

    def clear(self) -> None:
        self._local.clear()
