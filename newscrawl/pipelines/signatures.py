"""Signatures stage (page side): the body hash and the MinHash signature.

They need only the text, so they are computed where the page is analysed;
the writer's dedupe stages compare them with what is stored. A body with
fewer word 3-grams than NEWSCRAWL_NEAR_DUP_MIN_SHINGLES is too short to
judge as a near copy: it gets no signature and stays out of the index.
"""

from __future__ import annotations

from itemadapter import ItemAdapter

from ..analysis import signatures


class SignaturePipeline:
    def __init__(self, min_shingles: int = 30):
        self.min_shingles = min_shingles

    @classmethod
    def from_settings(cls, settings):
        return cls(settings.getint("NEWSCRAWL_NEAR_DUP_MIN_SHINGLES", 30))

    def process_item(self, item):
        adapter = ItemAdapter(item)
        body = adapter.get("body") or ""
        adapter["body_hash"] = signatures.body_hash(body)
        shingles = signatures.shingles(body)
        adapter["shingles"] = len(shingles)
        signature = signatures.signature(shingles) if len(shingles) >= self.min_shingles else None
        adapter["signature"] = signatures.to_blob(signature) if signature is not None else None
        adapter["band_keys"] = signatures.band_keys(signature) if signature is not None else None
        return item
