"""Scrapy's item pipeline, reduced to the one step between the two sides of the crawl.

The page stages already ran where the page was analysed, and the database
stages run in the writer (see `newscrawl.pipelines`): what Scrapy's
ITEM_PIPELINES does is hand each analysed item to the writer and wait until
the writer has taken it to its outcome. The wait is the back-pressure: a
writer that falls behind holds Scrapy's scraper slot, and Scrapy stops
feeding it responses, so items in memory stay bounded by the in-flight
window.
"""

from __future__ import annotations

import asyncio

from scrapy.exceptions import DropItem

from ..store.writer import WriterFailed
from .run import CrawlRun


class HandOffToWriter:
    def __init__(self, crawler):
        self.crawler = crawler
        self.writer = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        self.writer = self.crawler.get_extension(CrawlRun).writer

    async def process_item(self, item):
        try:
            await asyncio.wrap_future(self.writer.write_item(item))
        except WriterFailed as exc:
            # Said once, where it happened; the crawl is stopping. The page's frontier row
            # is still pending in the database, so the next run fetches it again.
            raise DropItem(f"not stored, the database could not be written: {exc}", log_level="DEBUG") from None
        return item
