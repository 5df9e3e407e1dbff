"""Downloader middleware: a frontier URL handed to the downloader is `leased`."""

from __future__ import annotations

from .run import CrawlRun


class LeaseMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.frontier = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        if request.meta.get("frontier"):
            if self.frontier is None:
                self.frontier = self.crawler.get_extension(CrawlRun).frontier
            self.frontier.leased(request.meta["frontier_url"])
        return None
