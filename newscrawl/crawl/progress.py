"""Progress lines for people watching a long crawl in a terminal.

Scrapy's own LogStats speaks once a minute at INFO, which the CLI hides;
this prints a short line to stderr every few seconds instead, with the
writer's running totals (the same tally the summary is made from).
"""

from __future__ import annotations

import sys

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from .run import CrawlRun


class Progress:
    def __init__(self, crawler, interval: float, stream=sys.stderr):
        self.crawler = crawler
        self.interval = interval
        self.stream = stream
        self.tally = None
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSCRAWL_PROGRESS"):
            raise NotConfigured
        extension = cls(crawler, crawler.settings.getfloat("NEWSCRAWL_PROGRESS_INTERVAL", 5.0))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider):
        self.tally = self.crawler.get_extension(CrawlRun).writer.tally
        self.loop = task.LoopingCall(self.report)
        self.loop.start(self.interval, now=False)

    def report(self) -> None:
        fetched = self.crawler.stats.get_value("response_received_count", 0)
        self.stream.write(
            f"  ... {fetched} pages fetched, {self.tally.total_stored} articles stored, "
            f"{self.tally.total_duplicates} duplicates, {self.tally.total_rejected} rejected\n"
        )
        self.stream.flush()

    def spider_closed(self, spider):
        if self.loop is not None and self.loop.running:
            self.loop.stop()
