"""Green-economy topics: which an article is about, and how green it is.

The taxonomy is data (`data/topics.json`); matching is one compiled regex
over accent-folded text, so `tín chỉ carbon`, `tin chi carbon`, `hoà`/`hòa`
and NFD input all match alike. Where a term appears weighs: the title
counts three times the body, the lead twice.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources

from .scan import word_matches
from .text import fold

FIELD_WEIGHTS = {"title": 3.0, "summary": 2.0, "body": 1.0}
STRONG, WEAK = 1.0, 0.5
MAX_HITS_PER_TERM = 3  # a term repeated ten times is not ten times greener
SCALE = 6.0  # raw weight at which green_score reaches 1 - 1/e
TOPIC_MIN_WEIGHT = 2.0  # a topic is named when its terms weigh at least this


def trie_pattern(terms) -> str:
    """One regex alternative per term, merged along shared prefixes.

    At each position the regex engine then follows one path of characters
    instead of trying two hundred terms one by one (several times faster on
    a long body). Longer continuations come before the end of a shorter
    term, so at a position the longest term that ends at a word boundary
    matches, as with a longest-first alternation of the whole terms.
    """
    trie: dict = {}
    for term in terms:
        node = trie
        for char in term:
            node = node.setdefault(char, {})
        node[""] = {}  # a term ends here

    def walk(node: dict) -> str:
        branches = [re.escape(char) + walk(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # A term ending here is the fallback, tried after every longer continuation.
        return f"(?:{body})?" if "" in node else body

    return walk(trie)


@dataclass
class TopicScore:
    topics: list[str]
    green_score: float
    weights: dict[str, float] = field(default_factory=dict)


class Taxonomy:
    def __init__(self, data: dict):
        self.names = {t["id"]: t["name"] for t in data["topics"]}
        self.terms: dict[str, tuple[str, float]] = {}
        for topic in data["topics"]:
            for weight, key in ((WEAK, "weak_terms"), (STRONG, "terms")):
                for term in topic.get(key, []):
                    self.terms[fold(term)] = (topic["id"], weight)
        self.pattern = re.compile(rf"(?:{trie_pattern(self.terms)})(?!\w)")  # word start: see scan.py

    @classmethod
    def load(cls, path: str | None = None) -> "Taxonomy":
        if path:
            with open(path, encoding="utf-8") as handle:
                return cls(json.load(handle))
        return cls(json.loads(resources.files("newscrawl").joinpath("data/topics.json").read_text(encoding="utf-8")))

    def terms_in(self, folded: str) -> list[str]:
        """The taxonomy terms a folded text says, in order, each where a word starts."""
        return [match.group(0) for match in word_matches(self.pattern, folded)]

    def score(self, title: str = "", summary: str = "", body: str = "") -> TopicScore:
        weights: dict[str, float] = defaultdict(float)
        for name, text in (("title", title), ("summary", summary), ("body", body)):
            counts = Counter(self.terms_in(fold(text)))
            for term, count in counts.items():
                topic, weight = self.terms[term]
                weights[topic] += FIELD_WEIGHTS[name] * weight * min(count, MAX_HITS_PER_TERM)
        raw = sum(weights.values())
        ranked = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
        topics = [topic for topic, weight in ranked if weight >= TOPIC_MIN_WEIGHT]
        return TopicScore(topics, round(1 - math.exp(-raw / SCALE), 3), {k: round(v, 2) for k, v in ranked})
