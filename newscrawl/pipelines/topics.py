"""Topics stage (page side): every article gets `topics` and a `green_score`.

Articles under `MIN_GREEN_SCORE` are rejected as `off_topic` (with their
score in the detail), so their related links are never followed. The
taxonomy is the crawl's own (`NEWSCRAWL_TOPICS_FILE`), loaded once per stage.
"""

from __future__ import annotations

from itemadapter import ItemAdapter

from ..analysis.topics import Taxonomy
from ..items import Rejected


class TopicsPipeline:
    def __init__(self, taxonomy: Taxonomy, min_score: float):
        self.taxonomy = taxonomy
        self.min_score = min_score

    @classmethod
    def from_settings(cls, settings):
        return cls(Taxonomy.load(settings.get("NEWSCRAWL_TOPICS_FILE")), settings.getfloat("MIN_GREEN_SCORE", 0.3))

    def process_item(self, item):
        adapter = ItemAdapter(item)
        scored = self.taxonomy.score(adapter.get("title", ""), adapter.get("summary", ""), adapter.get("body", ""))
        adapter["topics"] = scored.topics
        adapter["green_score"] = scored.green_score
        if scored.green_score < self.min_score:
            weights = ", ".join(f"{k} {v}" for k, v in scored.weights.items()) or "no green terms"
            raise Rejected("off_topic", f"green_score {scored.green_score} < {self.min_score} ({weights})")
        return item
