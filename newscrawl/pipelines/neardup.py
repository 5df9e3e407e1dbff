"""Near-duplicate stage: the same story under another URL, lightly edited.

Candidates come from LSH buckets (this run's in memory, earlier runs' in
SQLite), then each is checked by MinHash similarity. As with exact copies,
the first-published article stays and a later one becomes a `duplicates`
row (`kind` = near, with its similarity).
"""

from __future__ import annotations

from collections import defaultdict

from itemadapter import ItemAdapter

from ..analysis import signatures as neardup
from ..crawl.analyser import recall
from . import Duplicate
from .dedupe import published_first
from .store import shared_store


class NearDedupePipeline:
    def __init__(self, store, threshold: float = 0.5, min_shingles: int = 30, stats=None):
        self.store = store
        self.threshold = threshold
        self.min_shingles = min_shingles
        self.stats = stats
        self.run_buckets: dict[int, set[str]] = defaultdict(set)
        self.run_signatures: dict[str, tuple] = {}

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(shared_store(crawler), settings.getfloat("NEWSCRAWL_NEAR_DUP_THRESHOLD", 0.5),
                   settings.getint("NEWSCRAWL_NEAR_DUP_MIN_SHINGLES", 30), crawler.stats)

    def _candidates(self, url: str, keys: list[int]) -> dict[str, tuple]:
        found = {u: (neardup.from_blob(blob), size, published) for u, (blob, size, published) in self.store.near_candidates(keys).items()}
        for key in keys:
            for other in self.run_buckets.get(key, ()):
                found[other] = self.run_signatures[other]
        found.pop(url, None)
        return found

    def process_item(self, item):
        adapter = ItemAdapter(item)
        url, published = adapter["url"], adapter.get("published")
        body = adapter.get("body") or ""
        precomputed = recall("near", body)  # the page analyser's work, if it did it
        if precomputed is not None:
            size, signature, keys = precomputed
        else:
            text_shingles = neardup.shingles(body)
            size, signature = len(text_shingles), (neardup.signature(text_shingles) if text_shingles else None)
            keys = neardup.band_keys(signature) if signature is not None else None
        if size < self.min_shingles:
            return item
        match = None  # (similarity, url, published) of the closest copy
        for other, (other_signature, other_size, other_published) in self._candidates(url, keys).items():
            same, score = neardup.story_similarity(signature, size, other_signature, other_size, self.threshold)
            if same and (match is None or score > match[0]):
                match = (score, other, other_published)
        if match:
            score, other, other_published = match
            if not published_first((url, published), (other, other_published)):
                raise Duplicate(other, round(score, 3), "near")
            self.store.add_duplicate(other, url, round(score, 3), "near", adapter.get("site", ""))
            self._forget(other)
        self.store.add_near_signature(url, keys, neardup.to_blob(signature), size, published)
        self.run_signatures[url] = (signature, size, published)
        for key in keys:
            self.run_buckets[key].add(url)
        return item

    def _forget(self, url: str) -> None:
        entry = self.run_signatures.pop(url, None)
        if entry is not None:
            for key in neardup.band_keys(entry[0]):
                self.run_buckets[key].discard(url)
