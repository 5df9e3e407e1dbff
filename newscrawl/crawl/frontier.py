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

The rows are the writer's: every decision runs on the writer's thread
(the `_in_writer` functions), so it sees this run's claims and stored
articles as they are written, and the crawl keeps no per-URL state in
memory. The spider awaits decisions; marks are posted and not awaited.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..analysis.text import VIETNAM_TZ

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claim:
    """An article URL the spider would like fetched."""

    url: str
    site: str | None
    meta: dict
    modified: str | None = None  # when the page last changed, if a sitemap or feed says


@dataclass(frozen=True)
class Rules:
    refresh: bool = False  # fetch stored articles again when rediscovered
    refresh_days: float = 0  # ... or when their stored copy is older than this
    max_attempts: int = 3  # runs that may die with a URL in flight before it is given up


class Frontier:
    def __init__(self, writer, rules: Rules, stats=None):
        self.writer = writer
        self.rules = rules
        self.stats = stats

    async def _ask(self, fn, *args):
        return await asyncio.wrap_future(self.writer.call(fn, *args))

    def _inc(self, key: str, count: int = 1) -> None:
        if self.stats is not None and count:
            self.stats.inc_value(key, count)

    # --- deciding (awaited) ---------------------------------------------------------------
    async def claim_pages(self, pages: list[tuple[str, str, str, dict]]) -> list[dict[str, str] | None]:
        """Listings, sitemaps and feeds (url, kind, site, meta) are read every run, once per
        run: for each, the conditional headers to ask with, or None when this run has it."""
        return await self._ask(_claim_pages_in_writer, pages) if pages else []

    async def claim_articles(self, claims: list[Claim]) -> list[bool]:
        """Which of these articles this run should fetch; those are now pending."""
        if not claims:
            return []
        outcomes = await self._ask(_claim_articles_in_writer, claims, self.rules, False)
        for outcome in ("already_requested", "skipped_stored", "skipped_finished"):
            self._inc(f"newscrawl/frontier/{outcome}", outcomes.count(outcome))
        return [outcome == "claimed" for outcome in outcomes]

    async def claim_related(self, claims: list[Claim]) -> list[str | None]:
        """None for each related link to follow (now pending), else why not:
        `already_stored`, or `duplicate` (already requested, or finished before)."""
        if not claims:
            return []
        outcomes = await self._ask(_claim_articles_in_writer, claims, self.rules, True)
        return [None if o == "claimed" else ("already_stored" if o == "already_stored" else "duplicate") for o in outcomes]

    async def unfinished(self) -> list[dict]:
        """Rows an earlier run left pending or leased, minus pages that keep killing runs.

        Retries within a run do not count; only runs that died with the URL in flight.
        """
        rows, gave_up = await self._ask(_unfinished_in_writer, self.rules.max_attempts)
        self._inc("newscrawl/frontier/gave_up", gave_up)
        if rows:
            logger.warning("resuming %d URLs an earlier run left unfinished", len(rows))
            self._inc("newscrawl/frontier/resumed")
        return rows

    async def provenance(self, urls: list[str]) -> list[tuple[str, str | None, int]]:
        """(found_via, found_via_url, depth) of stored articles: reparse keeps them."""
        return await self._ask(_provenance_in_writer, urls)

    # --- outcomes (posted, applied in order) ------------------------------------------------
    def leased(self, url: str) -> None:
        self.writer.post(_mark_in_writer, url, "leased", None)

    def done(self, url: str, reason: str | None = None) -> None:
        self.writer.post(_mark_in_writer, url, "done", reason)

    def failed(self, url: str, reason: str) -> None:
        self.writer.post(_mark_in_writer, url, "failed", reason)

    def page_done(self, url: str, etag: str | None = None, last_modified: str | None = None) -> None:
        """A listing, sitemap or feed was read: its links were claimed before this."""
        self.writer.post(_page_done_in_writer, url, etag, last_modified)


# --- on the writer's thread ------------------------------------------------------------------


def _claim_pages_in_writer(writer, pages: list[tuple[str, str, str, dict]]) -> list[dict[str, str] | None]:
    return [_claim_page(writer.store, *page) for page in pages]


def _claim_page(store, url: str, kind: str, site: str, meta: dict) -> dict[str, str] | None:
    row = store.frontier_row(url)
    if row is not None and row[1] == store.run_id:
        return None
    store.add_to_frontier(url, kind, site, meta)
    etag, last_modified = store.validators(url)
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _claim_articles_in_writer(writer, claims: list[Claim], rules: Rules, related: bool) -> list[str]:
    return [_claim_article(writer.store, claim, rules, related) for claim in claims]


def _claim_article(store, claim: Claim, rules: Rules, related: bool) -> str:
    fetched = store.fetched_at(claim.url)
    if related and fetched is not None:
        return "already_stored"
    row = store.frontier_row(claim.url)
    if row is not None and row[1] == store.run_id:
        return "already_requested"
    if not rules.refresh and not _stale(fetched, claim.modified, rules.refresh_days):
        if fetched is not None:
            return "skipped_stored"
        if row is not None and row[0] in ("done", "failed"):
            return "skipped_finished"
    store.add_to_frontier(claim.url, "article", claim.site, claim.meta)
    return "claimed"


def _stale(fetched: str | None, modified: str | None, refresh_days: float) -> bool:
    """Is a stored copy older than the page (sitemap lastmod) or than the refresh age?"""
    if fetched is None:
        return False
    if modified and modified > fetched:
        return True
    if refresh_days:
        return datetime.now(VIETNAM_TZ) - datetime.fromisoformat(fetched) > timedelta(days=refresh_days)
    return False


def _unfinished_in_writer(writer, max_attempts: int) -> tuple[list[dict], int]:
    store, rows, gave_up = writer.store, [], 0
    for row in store.unfinished():
        if row["attempts"] >= max_attempts:
            store.mark(row["url"], "failed", f"gave up after {row['attempts']} interrupted attempts")
            gave_up += 1
            continue
        store.mark(row["url"], "pending")  # one more interrupted attempt
        rows.append(row)
    return rows, gave_up


def _provenance_in_writer(writer, urls: list[str]) -> list[tuple[str, str | None, int]]:
    return [writer.store.provenance(url) for url in urls]


def _mark_in_writer(writer, url: str, state: str, reason: str | None) -> None:
    writer.store.mark(url, state, reason)


def _page_done_in_writer(writer, url: str, etag: str | None, last_modified: str | None) -> None:
    writer.store.save_validators(url, etag, last_modified)
    writer.store.mark(url, "done")
