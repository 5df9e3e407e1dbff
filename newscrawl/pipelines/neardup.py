"""Near-duplicate stage (writer side): the same story under another URL, lightly edited.

Candidates are the stored articles sharing an LSH bucket with the item's
signature (earlier runs' and this run's alike: they are all in SQLite), then
each is checked by MinHash similarity. As with exact copies, the
first-published article stays and a later one becomes a `duplicates` row
(`kind` = near, with its similarity).
"""

from __future__ import annotations

from itemadapter import ItemAdapter

from ..analysis import signatures
from ..items import Duplicate
from .dedupe import published_first


class NearDedupePipeline:
    def __init__(self, store, outcomes, threshold: float = 0.5):
        self.store = store
        self.outcomes = outcomes
        self.threshold = threshold

    @classmethod
    def from_writer(cls, writer):
        return cls(writer.store, writer.outcomes, writer.settings.getfloat("NEWSCRAWL_NEAR_DUP_THRESHOLD", 0.5))

    def process_item(self, item):
        adapter = ItemAdapter(item)
        if adapter.get("signature") is None:  # too short to judge
            return item
        url, published = adapter["url"], adapter.get("published")
        signature, size = signatures.from_blob(adapter["signature"]), adapter["shingles"]
        match = None  # (similarity, url, published) of the closest copy
        for other, blob, other_size, other_published in self.store.near_candidates(adapter["band_keys"], other_than=url):
            same, score = signatures.story_similarity(signature, size, signatures.from_blob(blob), other_size, self.threshold)
            if same and (match is None or score > match[0]):
                match = (score, other, other_published)
        if match:
            score, other, other_published = match
            if not published_first((url, published), (other, other_published)):
                raise Duplicate(other, round(score, 3), "near")
            self.outcomes.demoted(other, url, score, "near")
        return item
