"""Sites known by their URLs and feeds, parsed by the generic extractor with hints.

The green and energy press (and any outlet whose markup we have not seen on
enough pages to write a parser for) is a site module of URL rules, start
sections and feeds, with this layout behind it: every field comes from the
generic extractor, and where the site's facts name a selector (a hint) and
the page has it, the hint wins for that field. The article's `parser` reads
`<site>/generic` (or `<site>/<layout>` for a hinted layout), and `newscrawl
sites` shows these sites as parsed by the generic extractor, so their field
coverage in every run is watched like any other site's.
"""

from __future__ import annotations

from typing import ClassVar

from ...analysis.article_rules import tidy_article
from ..base import ArticleLayout, Page, Site
from ..generic import parse_generic

# Fields a hint may give; the rest (related links, tags, category) stay generic
# unless the layout names selectors for them too.
HINTED = ("title", "summary", "body", "authors", "published", "category", "tags")


class GenericPressLayout(ArticleLayout):
    """The generic extractor's fields, overridden by the site's hint selectors where they match.

    `marker_css` (optional) says which pages this layout is for: a site with a
    legacy layout lists it first with its marker, and a marker-less layout
    last, which takes every page.
    """

    name = "generic"
    marker_css: ClassVar[tuple] = ()
    title_css: ClassVar[tuple] = ()  # no title hint unless the site gives one: the generic title
    # The page's language when its markup does not say it (an English edition).
    language_hint: ClassVar[str] = ""

    def matches(self, page: Page) -> bool:
        return not self.marker_css or page.first(self.marker_css) is not None

    def _hinted(self, page: Page, field: str):
        """What the site's hint selectors say of `field` on this page ("" / [] / None: no hint, or no match)."""
        if field == "title":
            return page.first_text(self.title_css) if self.title_css else ""
        if field == "summary":
            return self.summary(page)
        if field == "body":
            return "\n\n".join(self.body(page)) if self.body_css else ""
        if field == "authors":
            return self.authors(page) if self.author_css else []
        if field == "published":
            return self.published(page) if self.date_css else None
        if field == "category":
            crumbs = page.all_texts(self.category_css) if self.category_css else []
            return crumbs[-1] if crumbs else ""
        return page.all_texts(self.tags_css) if self.tags_css else []

    def parse(self, page: Page) -> dict:
        fields = parse_generic(page.html, page.url)
        for field in HINTED:
            value = self._hinted(page, field)
            if value:
                fields[field] = value
        if self.language_hint and not fields.get("language"):
            fields["language"] = self.language_hint
        for key in ("url", "site", "parser"):
            fields.pop(key, None)  # the site sets its own
        return tidy_article(fields)  # a hinted body may repeat the lead or end with the byline


class GenericPressSite(Site):
    """A press site known by URLs and feeds: sections paged as `?page=N`, fields from the generic layout."""

    layouts: ClassVar[tuple] = (GenericPressLayout,)

    def listing_page(self, url: str, number: int) -> str:
        return f"{url.split('?')[0]}?page={number}"
