"""Facts stage (page side): the quantities, places, documents and organisations an article reports.

It needs only the text, so it runs with the other page stages (in a parse
worker), and the writer just stores what it finds. Each quantity is given the
province it is about: a province named in its own sentence, else the one
province the whole article names; none when the article names several and
the sentence none, or when the sentence speaks of the whole country (a
national target reported from a Hanoi meeting is not Hanoi's).
"""

from __future__ import annotations

import re

from itemadapter import ItemAdapter

from ..facts import extract_facts
from ..facts.subjects import fold_keep

# A sentence about the whole country ("Việt Nam đặt mục tiêu...", "cả nước") is no province's.
NATIONAL = re.compile(r"\b(viet nam|vietnam|ca nuoc|toan quoc|quoc gia|nationwide|national)\b")


def _sentence_start(text: str, sentence: str, position: int) -> int:
    """Where the occurrence of `sentence` that holds `position` starts in `text` (-1 if none).

    That occurrence starts at most one sentence length before the position.
    """
    start = text.find(sentence, max(0, position - len(sentence)), position + len(sentence))
    return start if start != -1 and start <= position else -1


def attach_provinces(text: str, found: dict) -> dict:
    """Each fact's `province`: one in its sentence, else the article's only province, else None."""
    places = [p for p in found.get("places") or [] if p.get("province")]
    provinces = {p["province"] for p in places}
    only = next(iter(provinces)) if len(provinces) == 1 else None
    national: dict[str, bool] = {}
    for fact in found.get("facts") or []:
        sentence = fact.get("sentence") or ""
        start = _sentence_start(text, sentence, fact.get("start", 0))
        end = start + len(sentence)
        inside = [p["province"] for p in places if start != -1 and start <= p.get("start", -1) < end]
        if sentence not in national:
            national[sentence] = NATIONAL.search(fold_keep(sentence)) is not None
        fact["province"] = inside[0] if inside else (None if national[sentence] else only)
    return found


class FactsPipeline:
    @classmethod
    def from_settings(cls, settings):
        return cls()

    def process_item(self, item):
        adapter = ItemAdapter(item)
        text = "\n\n".join(t for t in (adapter.get("summary"), adapter.get("body")) if t)
        adapter["facts"] = attach_provinces(text, extract_facts(text, adapter.get("language") or "vi"))
        return item
