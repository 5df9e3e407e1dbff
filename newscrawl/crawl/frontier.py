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

from scrapy.exceptions import CloseSpider

from ..analysis.text import VIETNAM_TZ, now_iso
from ..store.writer import WriterFailed

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
    max_attempts: int = 5  # runs that may end without a URL's outcome (died, or a transient failure)
    retry_delay: float = 900  # seconds before the first retry in a later run; doubled per attempt
    url_length_limit: int = 2083  # Scrapy's URLLENGTH_LIMIT: longer URLs are refused up front


MAX_RETRY_DELAY = 86400.0


class Frontier:
    # Claimed URLs come back as requests for the spider to yield (a distributed frontier
    # queues them itself, and the spider yields nothing for them).
    queues_claims = False

    def __init__(self, writer, rules: Rules, stats=None):
        self.writer = writer
        self.rules = rules
        self.stats = stats

    async def _ask(self, fn, *args):
        try:
            return await asyncio.wrap_future(self.writer.call(fn, *args))
        except WriterFailed:
            # Said once where it happened; the callback asking stops the crawl quietly
            # (Scrapy treats CloseSpider from a callback as a reason, not an error).
            raise CloseSpider("database_error") from None

    def _inc(self, key: str, count: int = 1) -> None:
        if self.stats is not None and count:
            self.stats.inc_value(key, count)

    # --- deciding (awaited) ---------------------------------------------------------------
    async def claim_pages(self, pages: list[tuple[str, str, str, dict]]) -> list[dict[str, str] | None]:
        """Listings, sitemaps and feeds (url, kind, site, meta) are read every run, once per
        run: for each, the conditional headers to ask with, or None when this run has it."""
        return await self._ask(_claim_pages_in_writer, pages, self.rules) if pages else []

    async def claim_articles(self, claims: list[Claim]) -> list[dict[str, str] | None]:
        """For each article this run should fetch (now pending), the headers to ask with
        (the stored copy's validators, so an unchanged page costs a 304); None for the rest."""
        if not claims:
            return []
        outcomes = await self._ask(_claim_articles_in_writer, claims, self.rules, False)
        for outcome in ("already_requested", "skipped_stored", "skipped_finished", "retry_later", "unfetchable"):
            self._inc(f"newscrawl/frontier/{outcome}", sum(1 for o in outcomes if o == outcome))
        return [o if isinstance(o, dict) else None for o in outcomes]

    async def claim_related(self, claims: list[Claim]) -> list[str | None]:
        """None for each related link to follow (now pending), else why not:
        `already_stored`, `duplicate` (already requested, or finished before),
        `retry_later` (a transient failure waits for a later run) or `unfetchable`."""
        if not claims:
            return []
        outcomes = await self._ask(_claim_articles_in_writer, claims, self.rules, True)
        return [None if isinstance(o, dict) else (o if o in ("already_stored", "retry_later", "unfetchable") else "duplicate")
                for o in outcomes]

    async def unfinished(self) -> list[dict]:
        """Rows to fetch again: what an earlier run left pending or leased (minus pages that
        keep killing runs), and transient failures whose retry time has come."""
        rows, gave_up = await self._ask(_unfinished_in_writer, self.rules)
        self._inc("newscrawl/frontier/gave_up", gave_up)
        interrupted = sum(1 for row in rows if row["state"] != "retry")
        if interrupted:
            logger.warning("resuming %d URLs an earlier run left unfinished", interrupted)
            self._inc("newscrawl/frontier/resumed", interrupted)
        self._inc("newscrawl/frontier/retried", len(rows) - interrupted)
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

    def transient(self, url: str, site: str, reason: str, detail: str) -> None:
        """An article failed for a reason that may pass: a later run tries again, until
        `max_attempts` runs have; then it is given up (`failed`, and a reject with the reason)."""
        self.writer.post(_transient_in_writer, url, site, reason, detail, self.rules)

    def reject(self, url: str, site: str, reason: str, detail: str) -> None:
        """An article URL that will never give an article (say, a redirect off the crawl's hosts)."""
        self.writer.post(_reject_in_writer, url, site, reason, detail)

    def not_modified(self, url: str, kind: str) -> None:
        """A 304: a stored article is unchanged (counted so, without parsing); a page is read."""
        self.writer.post(_not_modified_in_writer, url, kind)

    def page_done(self, url: str, etag: str | None = None, last_modified: str | None = None) -> None:
        """A listing, sitemap or feed was read: its links were claimed before this."""
        self.writer.post(_page_done_in_writer, url, etag, last_modified)

    def validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """An article's ETag / Last-Modified, for the conditional request of a later re-fetch."""
        if etag or last_modified:
            self.writer.post(_validators_in_writer, url, etag, last_modified)


def unfetchable(url: str, length_limit: int) -> str | None:
    """Why Scrapy could never fetch `url` (then it is refused up front), or None."""
    if not url.lower().startswith(("http://", "https://")):
        return "bad_scheme"
    if length_limit and len(url) > length_limit:
        return "url_too_long"
    return None


def retry_time(attempts: int, rules: Rules) -> str:
    """When a URL that failed `attempts` times may be tried again: the delay doubles each time."""
    delay = min(MAX_RETRY_DELAY, rules.retry_delay * 2 ** max(0, attempts - 1))
    return (datetime.now(VIETNAM_TZ) + timedelta(seconds=delay)).isoformat(timespec="seconds")


# --- on the writer's thread ------------------------------------------------------------------


def _claim_pages_in_writer(writer, pages: list[tuple[str, str, str, dict]], rules: Rules) -> list[dict[str, str] | None]:
    return [_claim_page(writer.store, *page, rules) for page in pages]


def _claim_page(store, url: str, kind: str, site: str, meta: dict, rules: Rules) -> dict[str, str] | None:
    row = store.frontier_row(url)
    if row is not None and row[1] == store.run_id:
        return None
    refused = unfetchable(url, rules.url_length_limit)
    if refused:
        logger.warning("%s %s cannot be fetched (%s): skipped", kind, url[:200], refused)
        return None
    store.add_to_frontier(url, kind, site, meta)
    # A refresh re-reads every listing in full: a 304 would hide the articles it should find again.
    return {} if rules.refresh else _conditional_headers(store, url)


def _conditional_headers(store, url: str) -> dict[str, str]:
    return conditional_request_headers(*store.validators(url))


def conditional_request_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """The headers that make a re-fetch cost a 304 when the page has not changed."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _claim_articles_in_writer(writer, claims: list[Claim], rules: Rules, related: bool) -> list:
    return [_claim_article(writer, claim, rules, related) for claim in claims]


def _claim_article(writer, claim: Claim, rules: Rules, related: bool) -> dict | str:
    """The conditional headers (a dict, maybe empty) when the article is claimed, else why not."""
    store = writer.store
    fetched = store.fetched_at(claim.url)
    if related and fetched is not None:
        return "already_stored"
    row = store.frontier_row(claim.url)
    if row is not None and row[1] == store.run_id:
        return "already_requested"
    if row is not None and row[0] == "retry" and row[2] and row[2] > now_iso():
        store.seen_this_run(claim.url, "article", claim.site, claim.meta)  # counted once per run
        return "retry_later"
    if not rules.refresh and not _stale(fetched, claim.modified, rules.refresh_days):
        skipped = "skipped_stored" if fetched is not None else (
            "skipped_finished" if row is not None and row[0] in ("done", "failed") else None)
        if skipped:
            store.seen_this_run(claim.url, "article", claim.site, claim.meta)
            return skipped
    refused = unfetchable(claim.url, rules.url_length_limit)
    if refused and not (row is not None and row[0] in ("done", "failed")):
        store.add_to_frontier(claim.url, "article", claim.site, claim.meta)
        writer.outcomes.rejected(_failed_item(claim.url, claim.site, refused), refused, claim.url[:300])
    if refused:
        return "unfetchable"
    store.add_to_frontier(claim.url, "article", claim.site, claim.meta)
    return _conditional_headers(store, claim.url) if fetched is not None else {}


def _failed_item(url: str, site: str | None, reason: str) -> dict:
    """The little an outcome needs of a page that was never fetched."""
    return {"url": url, "site": site or "", "error": reason}


def _stale(fetched: str | None, modified: str | None, refresh_days: float) -> bool:
    """Is a stored copy older than the page (sitemap lastmod) or than the refresh age?"""
    if fetched is None:
        return False
    if modified and modified > fetched:
        return True
    if refresh_days:
        return datetime.now(VIETNAM_TZ) - datetime.fromisoformat(fetched) > timedelta(days=refresh_days)
    return False


def _unfinished_in_writer(writer, rules: Rules) -> tuple[list[dict], int]:
    store, rows, gave_up = writer.store, [], 0
    for row in store.unfinished(now_iso()):
        if row["state"] == "retry":
            store.requeue(row["url"])
        elif row["attempts"] >= rules.max_attempts:
            store.mark(row["url"], "failed", f"gave up after {row['attempts']} interrupted attempts")
            gave_up += 1
            continue
        else:
            store.mark(row["url"], "pending")  # one more interrupted attempt
        rows.append(row)
    return rows, gave_up


def _transient_in_writer(writer, url: str, site: str, reason: str, detail: str, rules: Rules) -> None:
    store = writer.store
    if store.handled_this_run(url):  # another request for it got an outcome already
        return
    attempts = store.attempts(url) + 1
    if attempts >= rules.max_attempts:
        writer.outcomes.rejected(_failed_item(url, site, reason), reason, f"gave up after {attempts} attempts: {detail}")
        store.give_up(url, f"{reason} (gave up after {attempts} attempts)")
        writer.tally.gave_up[site] += 1
        return
    store.retry_later(url, reason, retry_time(attempts, rules))
    writer.tally.retry_later[site] += 1


def _reject_in_writer(writer, url: str, site: str, reason: str, detail: str) -> None:
    if not writer.store.handled_this_run(url):
        writer.outcomes.rejected(_failed_item(url, site, reason), reason, detail)


def _not_modified_in_writer(writer, url: str, kind: str) -> None:
    if kind == "article" and not writer.store.handled_this_run(url):
        site = writer.store.touch_article(url)
        if site is not None:
            writer.tally.article(site, "unchanged")
    writer.store.mark(url, "done", "not_modified")


def _provenance_in_writer(writer, urls: list[str]) -> list[tuple[str, str | None, int]]:
    return [writer.store.provenance(url) for url in urls]


def _mark_in_writer(writer, url: str, state: str, reason: str | None) -> None:
    writer.store.mark(url, state, reason)


def _page_done_in_writer(writer, url: str, etag: str | None, last_modified: str | None) -> None:
    writer.store.save_validators(url, etag, last_modified)
    writer.store.mark(url, "done")


def _validators_in_writer(writer, url: str, etag: str | None, last_modified: str | None) -> None:
    writer.store.save_validators(url, etag, last_modified)


# The frontier's outcome operations by name, for a writer that receives them from
# elsewhere (the Redis stream of a scaled-out crawl): only these may be applied.
OUTCOME_OPERATIONS = {
    "mark": _mark_in_writer,
    "transient": _transient_in_writer,
    "reject": _reject_in_writer,
    "not_modified": _not_modified_in_writer,
    "page_done": _page_done_in_writer,
    "validators": _validators_in_writer,
}
