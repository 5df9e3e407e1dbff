"""Offsite stays offsite, and says so: Scrapy's OffsiteMiddleware, recording.

Scrapy drops a request for a host outside `allowed_domains` silently, when
it is scheduled, with no errback. A redirect from a covered site to another
host is dropped the same way here, and its frontier URL is closed with
reason `offsite_redirect` (a `rejects` row for an article), so it is neither
fetched nor left pending.
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware as ScrapyOffsiteMiddleware
from scrapy.exceptions import IgnoreRequest

from .failures import OffsiteRedirect
from .run import CrawlRun


class OffsiteMiddleware(ScrapyOffsiteMiddleware):
    def process_request(self, request):
        try:
            super().process_request(request)
        except IgnoreRequest as exc:
            meta = request.meta
            if not (meta.get("redirect_urls") and meta.get("frontier")):
                raise
            self._record(request)
            raise OffsiteRedirect(str(exc)) from None

    def _record(self, request) -> None:
        meta = request.meta
        url, site = meta["frontier_url"], meta.get("site") or ""
        frontier = self.crawler.get_extension(CrawlRun).frontier
        self.crawler.stats.inc_value("newscrawl/failed/offsite_redirect")
        if meta.get("kind") == "article":
            frontier.reject(url, site, "offsite_redirect", f"redirected to {request.url[:300]}")
        else:
            frontier.failed(url, "offsite_redirect")
