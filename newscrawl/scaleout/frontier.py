"""The frontier of a crawl spread over workers: claims decided in Redis, outcomes to the writer.

A claim is one Lua script per page of links (`scripts.CLAIM`), making the
same decisions as the single-process frontier makes in SQLite, against
state the writer seeded into Redis from the database when the crawl began
(stored articles, earlier outcomes, HTTP validators) plus this crawl's
seen-URL set. Seeding once, rather than asking the writer per link, keeps
a claim to one round trip and the writer free to write; the writer keeps
`stored` current as it commits. A claimed URL goes straight into the shared
queue, so a worker dying right after claiming loses nothing; the spider
builds no request for it (`queues_claims`): some worker leases it from
the queue (see `queue.py`).

Outcomes (done, failed, transient, 304, validators...) are the base
class's, posted to the stream client in place of the in-process writer.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from redis.exceptions import RedisError
from scrapy.exceptions import CloseSpider

from ..analysis.text import VIETNAM_TZ, now_iso
from ..crawl.frontier import Claim, Frontier, unfetchable

logger = logging.getLogger(__name__)

# Queue order: listings, sitemaps and feeds before articles. One process reads articles first
# to keep its in-memory queue small; here the queue is in Redis, and reading discovery pages
# first keeps every worker fed (a section's next page is not stuck behind its articles while
# other workers wait).
PAGE_SCORE, ARTICLE_SCORE = 0, 1


class RedisFrontier(Frontier):
    queues_claims = True

    def __init__(self, stream, client, keys, scripts, rules, stats=None):
        super().__init__(stream, rules, stats)
        self.client = client
        self.keys = keys
        self.scripts = scripts

    def _claim(self, mode: str, entries: list[tuple[str, dict, int, str | None]]) -> list[str]:
        """Run the claim script over (url, payload, score, modified) entries."""
        cutoff = ""
        if self.rules.refresh_days:
            cutoff = (datetime.now(VIETNAM_TZ) - timedelta(days=self.rules.refresh_days)).isoformat(timespec="seconds")
        args = [self.keys.prefix, now_iso(), mode, "1" if self.rules.refresh else "0", cutoff]
        for url, payload, score, modified in entries:
            args += [url, json.dumps(payload, ensure_ascii=False), score, modified or "",
                     unfetchable(url, self.rules.url_length_limit) or ""]
        try:
            return self.writer.outbox.call(self.scripts.claim, args)
        except RedisError as exc:
            # Said once by the worker, which stops; the callback asking stops quietly, as on a
            # database error in one process (the page's lease expires: it is read again).
            if self.writer.on_failure is not None:
                self.writer.on_failure(exc)
            raise CloseSpider("redis_unavailable") from None

    async def claim_pages(self, pages: list[tuple[str, str, str, dict]]) -> list[dict[str, str] | None]:
        if not pages:
            return []
        entries = [(url, {"url": url, "kind": kind, "site": site, "meta": meta, "cond": not self.rules.refresh, "score": PAGE_SCORE},
                    PAGE_SCORE, None) for url, kind, site, meta in pages]
        outcomes = self._claim("page", entries)
        for (url, kind, *_), outcome in zip(pages, outcomes):
            if outcome == "unfetchable":
                logger.warning("%s %s cannot be fetched (%s): skipped", kind, url[:200], unfetchable(url, self.rules.url_length_limit))
        return [{} if outcome == "q" else None for outcome in outcomes]

    def _claim_articles(self, claims: list[Claim], mode: str) -> list[str]:
        entries = [(c.url, {"url": c.url, "kind": "article", "site": c.site, "meta": c.meta, "cond": True, "score": ARTICLE_SCORE},
                    ARTICLE_SCORE, c.modified) for c in claims]
        outcomes = self._claim(mode, entries)
        for claim, outcome in zip(claims, outcomes):
            if outcome == "unfetchable_new":  # refused up front: a reject, once
                reason = unfetchable(claim.url, self.rules.url_length_limit)
                self.reject(claim.url, claim.site or "", reason, claim.url[:300])
        return ["unfetchable" if o == "unfetchable_new" else o for o in outcomes]

    async def claim_articles(self, claims: list[Claim]) -> list[dict[str, str] | None]:
        if not claims:
            return []
        outcomes = self._claim_articles(claims, "article")
        for outcome in ("already_requested", "skipped_stored", "skipped_finished", "retry_later", "unfetchable"):
            self._inc(f"newscrawl/frontier/{outcome}", sum(1 for o in outcomes if o == outcome))
        return [{} if outcome == "q" else None for outcome in outcomes]

    async def claim_related(self, claims: list[Claim]) -> list[str | None]:
        if not claims:
            return []
        outcomes = self._claim_articles(claims, "related")
        return [None if o == "q" else (o if o in ("already_stored", "retry_later", "unfetchable") else "duplicate") for o in outcomes]

    async def unfinished(self) -> list[dict]:
        """Nothing here: the writer put what earlier runs left unfinished into the queue."""
        return []

    async def provenance(self, urls: list[str]) -> list[tuple[str, str | None, int]]:
        raise NotImplementedError("reparse runs in one process, on the database's machine")

    def leased(self, url: str) -> None:
        """Leases are taken in Redis as a request leaves the queue (see queue.py)."""
