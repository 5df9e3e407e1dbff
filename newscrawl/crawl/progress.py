"""Progress lines for people watching a long crawl in a terminal.

Scrapy's own LogStats speaks once a minute at INFO, which the CLI hides;
this prints a short line to stderr every few seconds instead.
"""

from __future__ import annotations

import sys

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class Progress:
    def __init__(self, stats, interval: float, stream=sys.stderr):
        self.stats = stats
        self.interval = interval
        self.stream = stream
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSCRAWL_PROGRESS"):
            raise NotConfigured
        extension = cls(crawler.stats, crawler.settings.getfloat("NEWSCRAWL_PROGRESS_INTERVAL", 5.0))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider):
        self.loop = task.LoopingCall(self.report)
        self.loop.start(self.interval, now=False)

    def report(self) -> None:
        get = self.stats.get_value
        rejected = sum(v for k, v in self.stats.get_stats().items() if k.startswith("newscrawl/rejected/"))
        duplicates = sum(v for k, v in self.stats.get_stats().items() if k.startswith("newscrawl/duplicate/"))
        self.stream.write(
            f"  ... {get('response_received_count', 0)} pages fetched, {get('newscrawl/stored', 0)} articles stored, "
            f"{duplicates} duplicates, {rejected} rejected\n"
        )
        self.stream.flush()

    def spider_closed(self, spider):
        if self.loop is not None and self.loop.running:
            self.loop.stop()
