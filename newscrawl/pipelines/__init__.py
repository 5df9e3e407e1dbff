"""Item pipelines, one stage per module: clean, validate, dedupe, store.

A stage that refuses an item raises one of the exceptions below; the store
stage hears every drop (Scrapy's `item_dropped` signal) and writes it to
`rejects` or `duplicates`, so nothing is dropped silently.
"""

from __future__ import annotations

from scrapy.exceptions import DropItem


class Rejected(DropItem):
    """Not storable as an article: `reason` is a short code, `detail` says more."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class Duplicate(DropItem):
    """A copy of an article already kept (`kind` is `exact` or `near`)."""

    def __init__(self, duplicate_of: str, similarity: float, kind: str):
        super().__init__(f"{kind} duplicate of {duplicate_of} (similarity {similarity:.2f})")
        self.duplicate_of = duplicate_of
        self.similarity = similarity
        self.kind = kind
