"""`python tests/crash_crawl.py ARGS...` is `newscrawl ARGS...` that SIGKILLs itself.

KILL_AT=<point>:<n> picks where: `response` (the n-th article response, while
fetching), `item` (the n-th stored item, before its batch commits), `commit`
(inside the n-th article write of a transaction, before COMMIT), `after_commit`
(right after the n-th commit), `listing` (inside the n-th listing parse, after
its links were queued). The instrumentation lives here, in the test, not in
the crawler.
"""

import os
import signal
import sys

from newscrawl import storage
from newscrawl.cli import main
from newscrawl.pipelines.store import StorePipeline
from newscrawl.spiders.news import NewsSpider

point, _, count = os.environ["KILL_AT"].partition(":")
remaining = [int(count or 1)]


def tick() -> None:
    remaining[0] -= 1
    if remaining[0] <= 0:
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)


def wrap_generator(cls, name, before=True):
    original = getattr(cls, name)

    def wrapped(self, response):
        if before:
            tick()
        yield from original(self, response)
        if not before:
            tick()

    setattr(cls, name, wrapped)


if point == "response":
    wrap_generator(NewsSpider, "parse_article")
elif point == "listing":
    wrap_generator(NewsSpider, "parse_listing", before=False)
elif point == "item":
    original_process = StorePipeline.process_item

    def process_item(self, item):
        result = original_process(self, item)
        tick()
        return result

    StorePipeline.process_item = process_item
elif point == "commit":
    original_write = storage.Store._write_article

    def write_article(conn, payload):
        original_write(conn, payload)
        tick()

    storage.Store._write_article = staticmethod(write_article)
elif point == "after_commit":
    original_flush = storage.Store.flush

    def flush(self):
        had_work = bool(self._pending)
        original_flush(self)
        if had_work:
            tick()

    storage.Store.flush = flush
else:
    raise SystemExit(f"unknown kill point {point!r}")

sys.argv[0] = "newscrawl"
main()
