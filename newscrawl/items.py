"""The Article item: the one list of fields and what each holds.

Lists are always lists (never `''`), text is NFC plain text, times are ISO
8601 with offset. Pipelines read and write it through ItemAdapter.
"""

from __future__ import annotations

import scrapy

# Fields the parsers produce (also what `extract_article` returns).
PARSED_FIELDS = (
    "url", "site", "title", "summary", "body", "authors", "published",
    "category", "tags", "related", "language", "parser",
)
LIST_FIELDS = ("authors", "tags", "related", "topics")
# Fields whose per-site coverage each run measures (a redesign shows here).
COVERAGE_FIELDS = ("title", "summary", "body", "published", "authors", "tags", "related")


class Article(scrapy.Item):
    url = scrapy.Field()  # canonical URL: the article's identity
    site = scrapy.Field()  # site module name, e.g. "baodautu"
    title = scrapy.Field()
    summary = scrapy.Field()  # the lead / sapo
    body = scrapy.Field()  # paragraphs and subheadings joined by a blank line
    authors = scrapy.Field()  # list[str]
    published = scrapy.Field()  # ISO 8601 with offset
    category = scrapy.Field()
    tags = scrapy.Field()  # list[str]
    related = scrapy.Field()  # list[{"url", "headline"}] in page order
    language = scrapy.Field()
    fetched_at = scrapy.Field()  # ISO 8601 with offset
    parser = scrapy.Field()  # "<site>/<layout>" that produced the fields
    found_via = scrapy.Field()  # {"kind": start|listing|sitemap|feed|related, "url": referrer}
    depth = scrapy.Field()  # related-link hops from a discovered article (0 = discovered)
    topics = scrapy.Field()  # list[str], from the topics stage
    green_score = scrapy.Field()  # float, from the topics stage
    body_hash = scrapy.Field()  # set by dedupe: hash of the normalised body
    error = scrapy.Field()  # "reason: detail" when fetching or parsing failed (becomes a reject)
    requested_url = scrapy.Field()  # the URL asked for, when a redirect led elsewhere


def empty_article(**values) -> Article:
    """An Article with every list field a list and every text field a string."""
    item = Article(
        url="", site="", title="", summary="", body="", authors=[], published=None,
        category="", tags=[], related=[], language="vi", parser="",
        found_via={"kind": "start", "url": None}, depth=0,
    )
    item.update(values)
    return item
