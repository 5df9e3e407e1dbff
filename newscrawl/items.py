"""The Article item: the one list of fields, and the ways a stage refuses one.

An item is carried whole from the page to the row: everything computed
about a page (its fields as parsed and cleaned, how it was decoded, the
body hash, topics, green score, MinHash signature, and why a stage refused
it) travels on the item from the stage that computed it to the writer, and
nothing about it travels any other way. Lists are always lists (never
`''`), text is NFC plain text, times are ISO 8601 with offset. Stages read
and write it through ItemAdapter.
"""

from __future__ import annotations

import scrapy
from scrapy.exceptions import DropItem

# Fields the parsers produce (also what `extract_article` returns).
PARSED_FIELDS = (
    "url", "site", "title", "summary", "body", "authors", "published",
    "category", "tags", "related", "language", "parser", "source_outlet",
)
LIST_FIELDS = ("authors", "tags", "related", "topics")
# Fields whose per-site coverage each run measures (a redesign shows here).
COVERAGE_FIELDS = ("title", "summary", "body", "published", "authors", "tags", "related")


class Article(scrapy.Item):
    # --- what the page says (parse, then clean) ---
    url = scrapy.Field()  # canonical URL: the article's identity
    site = scrapy.Field()  # site module name, e.g. "baodautu"
    title = scrapy.Field()
    summary = scrapy.Field()  # the lead / sapo
    body = scrapy.Field()  # paragraphs and subheadings joined by a blank line
    authors = scrapy.Field()  # list[str]
    published = scrapy.Field()  # ISO 8601 with offset
    category = scrapy.Field()
    tags = scrapy.Field()  # list[str]
    related = scrapy.Field()  # list[{"url", "headline"}] in page order; + "followed", "reason" once decided
    language = scrapy.Field()
    parser = scrapy.Field()  # "<site>/<layout>" that produced the fields
    source_outlet = scrapy.Field()  # the paper a republished story credits (cafef's source line); "" if none
    # --- how it was reached (the spider) ---
    fetched_at = scrapy.Field()  # ISO 8601 with offset
    found_via = scrapy.Field()  # {"kind": start|listing|sitemap|feed|related, "url": referrer}
    depth = scrapy.Field()  # related-link hops from a discovered article (0 = discovered)
    requested_url = scrapy.Field()  # the URL asked for, when a redirect led elsewhere
    # --- what the page stages found ---
    codec = scrapy.Field()  # how the bytes were decoded ("utf-8", "cp1258", ...)
    blocked = scrapy.Field()  # "bot_challenge", "login_wall", ... when the page was a wall, not content
    error = scrapy.Field()  # "reason: detail" when fetching or parsing failed
    topics = scrapy.Field()  # list[str]
    green_score = scrapy.Field()  # float 0-1
    facts = scrapy.Field()  # {"facts", "places", "documents", "organisations"}: what the text reports (newscrawl.facts)
    body_hash = scrapy.Field()  # hash of the normalised body (exact duplicates)
    shingles = scrapy.Field()  # how many word 3-grams the body has
    signature = scrapy.Field()  # MinHash signature as bytes (near duplicates); None for short bodies
    band_keys = scrapy.Field()  # list[int]: the signature's LSH buckets
    rejected = scrapy.Field()  # {"reason", "detail"} when a page stage refused the article


def empty_article(**values) -> Article:
    """An Article with every list field a list and every text field a string."""
    item = Article(
        url="", site="", title="", summary="", body="", authors=[], published=None,
        category="", tags=[], related=[], language="vi", parser="",
        found_via={"kind": "start", "url": None}, depth=0,
    )
    item.update(values)
    return item


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
