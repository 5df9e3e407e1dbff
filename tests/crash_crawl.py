"""`python tests/crash_crawl.py ARGS...` is `newscrawl ARGS...` that SIGKILLs itself.

KILL_AT=<point>:<n> picks where: `response` (the n-th article response, while
fetching), `item` (the n-th stored item, before its batch commits), `commit`
(inside the n-th article write of a transaction, before COMMIT), `after_commit`
(right after the n-th commit that wrote articles), `listing` (inside the n-th
listing parse, after its links were claimed). The instrumentation lives here,
in the test, not in the crawler. Everything runs under the main guard: the
crawl's parse workers are spawned processes, and they import this file again.
"""

import os
import signal
import sys

from newscrawl.cli import main
from newscrawl.crawl.spider import NewsSpider
from newscrawl.pipelines.store import StorePipeline
from newscrawl.store.tables import Store


def install(point: str, count: int) -> None:
    remaining = [count]

    def tick() -> None:
        remaining[0] -= 1
        if remaining[0] <= 0:
            sys.stdout.flush()
            os.kill(os.getpid(), signal.SIGKILL)

    if point == "response":
        original_article = NewsSpider.parse_article

        async def parse_article(self, response):
            tick()
            async for output in original_article(self, response):
                yield output

        NewsSpider.parse_article = parse_article
    elif point == "listing":
        original_listing = NewsSpider.parse_listing

        async def parse_listing(self, response):
            async for output in original_listing(self, response):
                yield output
            tick()

        NewsSpider.parse_listing = parse_listing
    elif point == "item":
        original_process = StorePipeline.process_item

        def process_item(self, item):
            result = original_process(self, item)
            tick()
            return result

        StorePipeline.process_item = process_item
    elif point == "commit":
        original_write = Store.write_article

        def write_article(self, item):
            change = original_write(self, item)
            tick()
            return change

        Store.write_article = write_article
    elif point == "after_commit":
        original_write, original_commit = Store.write_article, Store.commit

        def write_article(self, item):
            self.wrote_articles = True
            return original_write(self, item)

        def commit(self):
            wrote, self.wrote_articles = getattr(self, "wrote_articles", False), False
            original_commit(self)
            if wrote:
                tick()

        Store.write_article, Store.commit = write_article, commit
    else:
        raise SystemExit(f"unknown kill point {point!r}")


if __name__ == "__main__":
    kill_point, _, kill_count = os.environ["KILL_AT"].partition(":")
    install(kill_point, int(kill_count or 1))
    sys.argv[0] = "newscrawl"
    main()
