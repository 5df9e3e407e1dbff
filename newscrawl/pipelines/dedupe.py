"""Exact dedupe stage: one article per canonical URL and per normalised body.

The URL is already canonical (tracking, fragments, mobile hosts and slashes
gone), so a URL seen twice in one run is the same page fetched twice. Bodies
are compared by a hash of their accent-folded, space-collapsed text, held in
memory for the run and seeded from the database, so one lookup per item.
When two URLs share a body, the first-published one stays the article.
"""

from __future__ import annotations

import hashlib

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from ..crawl.analyser import recall
from ..analysis.text import fold
from . import Duplicate
from .store import shared_store


def body_hash(body: str) -> str:
    return hashlib.sha1(fold(body).encode("utf-8")).hexdigest()


def published_first(a: tuple[str, str | None], b: tuple[str, str | None]) -> bool:
    """Is (url, published) `a` the original of `b`? Earlier date, then smaller URL."""
    a_date, b_date = a[1] or "9999", b[1] or "9999"
    return (a_date, a[0]) < (b_date, b[0])


class ExactDedupePipeline:
    def __init__(self, store, stats=None):
        self.store = store
        self.stats = stats
        self.urls_this_run: set[str] = set()
        self.by_hash: dict[str, tuple[str, str | None]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(shared_store(crawler), crawler.stats)

    def open_spider(self):
        self.by_hash = self.store.body_hashes()

    def process_item(self, item):
        adapter = ItemAdapter(item)
        url = adapter["url"]
        if url in self.urls_this_run:
            if self.stats is not None:
                self.stats.inc_value("newscrawl/dedupe/same_url_again")
            raise DropItem(f"{url} was already processed in this run")
        self.urls_this_run.add(url)
        digest = adapter["body_hash"] = recall("body_hash", adapter["body"]) or body_hash(adapter["body"])
        this = (url, adapter.get("published"))
        holder = self.by_hash.get(digest)
        if holder is None or holder[0] == url:
            self.by_hash[digest] = this
            return item
        if published_first(this, holder):
            # The copy we kept first was published later: it becomes the duplicate.
            self.store.add_duplicate(holder[0], url, 1.0, "exact", adapter.get("site", ""))
            self.by_hash[digest] = this
            return item
        raise Duplicate(holder[0], 1.0, "exact")
