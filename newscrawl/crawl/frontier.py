"""The durable frontier: what a crawl will fetch, may skip, and must resume.

Scrapy's JOBDIR only survives a clean stop (its queue is written on close);
a `kill -9` loses it. Here every URL the crawl decides to fetch is a row in
SQLite (`pending`), becomes `leased` when handed to the downloader, and
`done` in the same transaction as its article, reject or duplicate row. A
new run first re-issues what an earlier one left pending or leased.

It is also where incremental crawling is decided: stored articles are not
fetched again unless asked (`--refresh`, an age, or a sitemap saying the
page changed), and listings, feeds and sitemaps are asked for with their
saved ETag / Last-Modified so an unchanged one costs a 304.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from ..analysis.text import VIETNAM_TZ

logger = logging.getLogger(__name__)


class Frontier:
    def __init__(self, store, refresh: bool = False, refresh_days: float = 0, max_attempts: int = 3, stats=None):
        self.store = store
        self.refresh = refresh
        self.refresh_days = refresh_days
        self.max_attempts = max_attempts
        self.stats = stats
        self.fetched_at = store.fetched_at()  # stored article -> last fetch
        self.finished = store.finished_urls()  # rejected, duplicate or failed before
        self.validators = store.validators()
        self.seen: set[str] = set()  # URLs this run has requested

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)

    # --- deciding ---------------------------------------------------------------
    def claim_article(self, url: str, site: str, meta: dict, modified: str | None = None) -> bool:
        """Should this run fetch the article at `url`? If so it is now pending."""
        if url in self.seen:
            self._inc("newscrawl/frontier/already_requested")
            return False
        if not self.refresh and not self._stale(url, modified):
            if url in self.fetched_at:
                self._inc("newscrawl/frontier/skipped_stored")
                return False
            if url in self.finished:
                self._inc("newscrawl/frontier/skipped_finished")
                return False
        self.seen.add(url)
        self.store.add_to_frontier(url, "article", site, meta)
        return True

    def _stale(self, url: str, modified: str | None) -> bool:
        """Is a stored copy older than the page (sitemap lastmod) or than the refresh age?"""
        fetched = self.fetched_at.get(url)
        if fetched is None:
            return False
        if modified and modified > fetched:
            return True
        if self.refresh_days:
            age = datetime.now(VIETNAM_TZ) - datetime.fromisoformat(fetched)
            return age > timedelta(days=self.refresh_days)
        return False

    def claim_page(self, url: str, kind: str, site: str, meta: dict) -> bool:
        """Listings, sitemaps and feeds are read every run, once per run."""
        if url in self.seen:
            return False
        self.seen.add(url)
        self.store.add_to_frontier(url, kind, site, meta)
        return True

    def conditional_headers(self, url: str) -> dict[str, str]:
        etag, last_modified = self.validators.get(url, (None, None))
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return headers

    # --- resuming -----------------------------------------------------------------
    def unfinished(self) -> list[dict]:
        """Rows an earlier run left pending or leased, minus pages that keep killing runs.

        Retries within a run do not count; only runs that died with the URL in flight.
        """
        rows = []
        for row in self.store.unfinished():
            if row["attempts"] >= self.max_attempts:
                self.store.mark(row["url"], "failed", f"gave up after {row['attempts']} interrupted attempts")
                self._inc("newscrawl/frontier/gave_up")
                continue
            self.seen.add(row["url"])
            self.store.mark(row["url"], "pending")  # one more interrupted attempt
            rows.append(row)
        if rows:
            logger.warning("resuming %d URLs an earlier run left unfinished", len(rows))
            self._inc("newscrawl/frontier/resumed")
        return rows

    # --- outcomes -----------------------------------------------------------------
    def leased(self, url: str) -> None:
        self.store.mark(url, "leased")

    def page_done(self, url: str, etag: str | None = None, last_modified: str | None = None) -> None:
        """A listing, sitemap or feed was read: its links are queued before this."""
        self.store.save_validators(url, etag, last_modified)
        self.store.mark(url, "done")

    def done(self, url: str, reason: str | None = None) -> None:
        self.store.mark(url, "done", reason)

    def failed(self, url: str, reason: str) -> None:
        self.store.mark(url, "failed", reason)


class LeaseMiddleware:
    """Downloader middleware: a frontier URL handed to the downloader is `leased`."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        frontier = getattr(self.crawler.spider, "frontier", None)
        if frontier is not None and request.meta.get("frontier"):
            frontier.leased(request.meta["frontier_url"])
        return None
