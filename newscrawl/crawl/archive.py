"""Keep every fetched article page in the page archive (see `newscrawl.store.archive`).

The archive is written by the writer, on its thread, like everything else
that touches SQLite: this middleware only hands the page over.
"""

from __future__ import annotations

from scrapy.exceptions import NotConfigured

from ..analysis.encoding import header_text
from .run import CrawlRun, archive_path


def archive_page_in_writer(writer, url: str, site: str, status: int, headers: dict, body: bytes) -> None:
    if writer.archive is not None:  # a worker on Redis archives; its writer may keep no archive
        writer.archive.add(url, site, status, headers, body)


class ArchiveMiddleware:
    """Downloader middleware: keeps every fetched article page (NEWSCRAWL_ARCHIVE)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.run: CrawlRun | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if archive_path(crawler.settings) is None:
            raise NotConfigured
        return cls(crawler)

    def process_response(self, request, response):
        if request.meta.get("kind") == "article" and response.status == 200 and "replay" not in response.flags:
            if self.run is None:
                self.run = self.crawler.get_extension(CrawlRun)
            url = request.meta.get("frontier_url") or response.url
            self.run.writer.post(archive_page_in_writer, url, request.meta.get("site") or "", response.status,
                                 header_text(response.headers), response.body)
            self.crawler.stats.inc_value("newscrawl/archive/saved")
        return response
