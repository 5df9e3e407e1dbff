"""The writer as a worker sees it: every operation goes to one Redis stream, in order.

It stands where the in-process `Writer` stands for a single-process crawl
(`post`, `write_item`, `tally`), so the spider, the frontier's outcome marks,
the archive and the item hand-off work unchanged. Entries wait in the worker's
outbox for its next Redis call (see `outbox.py`). The writer process reads
the stream with a consumer group and acknowledges each entry after its
transaction commits. Items are not awaited; when the writer falls behind by
more than NEWSCRAWL_STREAM_BACKLOG entries, `write_item` waits until it has
caught up, which holds Scrapy's scraper slot: the same back-pressure as in
one process.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from pathlib import Path

from ..crawl.archive import archive_page_in_writer
from ..crawl.frontier import OUTCOME_OPERATIONS
from ..store.writer import WriterFailed
from . import codec

logger = logging.getLogger(__name__)

# Operations a worker may send: the frontier's outcomes, the page archive, items, and the
# worker's own `begin` / `leave` / `bye` (see writer_process.py).
SENDABLE = {**OUTCOME_OPERATIONS, "archive": archive_page_in_writer}
NAMES = {fn: name for name, fn in SENDABLE.items()}


class RemoteTally:
    """The writer's running totals as last published in Redis (for the progress line)."""

    total_stored = total_duplicates = total_rejected = 0

    def update(self, stored, duplicates, rejected) -> None:
        self.total_stored, self.total_duplicates, self.total_rejected = (int(v or 0) for v in (stored, duplicates, rejected))


class StreamClient:
    def __init__(self, outbox, keys, worker: str, max_backlog: int = 2000):
        self.outbox = outbox
        self.keys = keys
        self.worker = worker
        self.max_backlog = max_backlog
        self.tally = RemoteTally()
        self.failure = None
        self.on_failure = None  # called with the error when Redis stays away past the client's patience
        self.path = Path("(the writer's database)")
        self.sent = 0
        self._waiting: list[Future] = []

    def send(self, name: str, args: list) -> int:
        """Queue one operation for the stream (it goes out with the worker's next Redis call, in
        order); the stream's length as last seen. After Redis was given up on, WriterFailed:
        the worker is stopping, its leases expire, and the others fetch what it held."""
        if self.failure is not None or self.outbox.client.lost:
            raise WriterFailed(str(self.failure or "Redis was given up on"))
        self.outbox.add("xadd", self.keys.ops, {"d": codec.dumps({"op": name, "args": args, "w": self.worker})})
        self.sent += 1
        return self.outbox.length

    def flush(self) -> None:
        """Send what waits now (RedisError when Redis is gone)."""
        self.outbox.flush()

    def post(self, fn, *args) -> None:
        try:
            self.send(NAMES[fn], list(args))
        except WriterFailed:
            pass  # said once by on_failure; the worker is stopping

    def write_item(self, item) -> Future:
        future: Future = Future()
        try:
            length = self.send("item", [dict(item)])
        except WriterFailed as exc:
            future.set_exception(exc)
            return future
        if length <= self.max_backlog and not self._waiting:
            future.set_result(None)
        else:
            self._waiting.append(future)
        return future

    def relieve(self, length: int) -> None:
        """The heartbeat saw the stream at `length`: let waiting items go once it has room."""
        if self._waiting and length <= self.max_backlog // 2:
            waiting, self._waiting = self._waiting, []
            for future in waiting:
                future.set_result(None)

    def call(self, fn, *args) -> Future:
        raise NotImplementedError("a worker asks Redis, not the writer: see scaleout/frontier.py")

    def close(self) -> None:
        self.relieve(0)
