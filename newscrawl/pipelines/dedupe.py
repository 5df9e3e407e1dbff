"""Exact dedupe stage (writer side): one article per normalised body.

The URL is already canonical (tracking, fragments, mobile hosts and slashes
gone) and the writer handles each URL once per run; bodies are compared by
the hash the signatures stage put on the item, looked up in the stored
articles (this run's included: the writer's transaction sees them). When two
URLs share a body, the first-published one stays the article.
"""

from __future__ import annotations

from itemadapter import ItemAdapter

from ..items import Duplicate


def published_first(a: tuple[str, str | None], b: tuple[str, str | None]) -> bool:
    """Is (url, published) `a` the original of `b`? Earlier date, then smaller URL."""
    a_date, b_date = a[1] or "9999", b[1] or "9999"
    return (a_date, a[0]) < (b_date, b[0])


class ExactDedupePipeline:
    def __init__(self, store, outcomes):
        self.store = store
        self.outcomes = outcomes

    @classmethod
    def from_writer(cls, writer):
        return cls(writer.store, writer.outcomes)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        url, digest = adapter["url"], adapter.get("body_hash")
        holder = self.store.article_with_body(digest, other_than=url) if digest else None
        if holder is None:
            return item
        if published_first((url, adapter.get("published")), holder):
            # The copy kept first was published later: it becomes the duplicate.
            self.outcomes.demoted(holder[0], url, 1.0, "exact")
            return item
        raise Duplicate(holder[0], 1.0, "exact")
