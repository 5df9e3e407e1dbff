"""The parser base: a site is URL rules + discovery + article layouts.

Modelled on Fundus: selectors are class attributes, each field has its own
method, and a site whose markup changed keeps one layout class per version,
tried in order. Everything here is pure (`html, url -> dict`): no Scrapy, no
network, so the same code serves the crawl, `extract_article` and reparse.
"""

from __future__ import annotations

import re
from datetime import date
from typing import ClassVar
from urllib.parse import unquote

from ..analysis.article_rules import tidy_article
from ..analysis.dom import attr
from ..analysis.dom_text import node_text, paragraphs
from ..analysis.html import ld_names, ld_text
from ..analysis.main_column import main_column_hrefs
from ..analysis.text import clean_space, iso_datetime, strip_separators, unique
from ..analysis.urls import bare_host, canonical_url, host_of
from .html_page import HtmlPage
from .page import Page

# Article URLs are matched on the site's id; the slug before it may be written in any
# letters: Vietnamese raw or percent-escaped (either case), upper case, digits.
# LETTER is one letter or digit of any script, a combining accent (Vietnamese typed
# decomposed, `e` + U+0302 + U+0301 for `ế`, which `\w` does not match), or one escaped
# byte; a WORD is a run of them; a SLUG is words and hyphens. Canonical URLs escape
# non-ASCII (w3lib), raw links may not: both match.
LETTER = r"(?:[^\W_]|[\u0300-\u036f]|%[0-9A-Fa-f]{2})"
WORD = rf"{LETTER}+"
SLUG = rf"(?:{LETTER}|-)+"


def plain_slug(slug: str) -> str:
    """`slug` as a site's fixed names (zones, sections) are written: escapes decoded, lower case.

    The slug patterns accept any letters, so `/Tai-Chinh-Ngan-Hang/` must still
    be recognised as the section `tai-chinh-ngan-hang`, not a story.
    """
    return unquote(slug).lower()


class ArticleLayout:
    """One layout of a site's article page. Override selectors, or a method."""

    name: ClassVar[str] = "v1"
    title_css: ClassVar[tuple] = ("h1",)
    summary_css: ClassVar[tuple] = ()
    body_css: ClassVar[tuple] = ()
    body_drop_css: ClassVar[tuple] = ()
    author_css: ClassVar[tuple] = ()
    date_css: ClassVar[tuple] = ()
    category_css: ClassVar[tuple] = ()
    tags_css: ClassVar[tuple] = ()
    related_css: ClassVar[tuple] = ()
    # Where a republished story credits the paper it came from (an aggregator's source line).
    source_css: ClassVar[tuple] = ()
    # Texts that are page chrome wherever they appear in a body.
    boilerplate: ClassVar[tuple] = ()

    def matches(self, page: Page) -> bool:
        """Does this page look like this layout? Title and body markers present."""
        return page.first(self.title_css) is not None and page.first(self.body_css) is not None

    def title(self, page: Page) -> str:
        return page.first_text(self.title_css) or ld_text(page.article_ld.get("headline")) or page.meta("og:title")

    def summary(self, page: Page) -> str:
        return page.first_text(self.summary_css) if self.summary_css else ""

    def body(self, page: Page) -> list[str]:
        container = page.first(self.body_css)
        if container is None:
            return []
        return paragraphs(container, self.body_drop_css)

    def authors(self, page: Page) -> list[str]:
        names = page.all_texts(self.author_css) if self.author_css else []
        if not names:
            names = ld_names(page.article_ld.get("author")) or [page.meta("dable:author", "author", "article:author")]
        return unique(strip_separators(n) for n in names if n and not n.startswith("http"))

    def published(self, page: Page) -> str | None:
        """Machine-readable sources first, then the date printed on the page."""
        candidates = [
            ld_text(page.article_ld.get("datePublished")),
            page.meta("article:published_time", "pubdate", "datePublished", "og:article:published_time"),
            page.css("time[datetime]::attr(datetime)").get(""),
        ]
        candidates += [page.first_text(self.date_css)] if self.date_css else []
        for candidate in candidates:
            value = iso_datetime(candidate)
            if value:
                return value
        return None

    def category(self, page: Page) -> str:
        if self.category_css:
            crumbs = page.all_texts(self.category_css)
            if crumbs:
                return crumbs[-1]
        return ld_text(page.article_ld.get("articleSection")) or page.meta("article:section")

    def tags(self, page: Page) -> list[str]:
        tags = page.all_texts(self.tags_css) if self.tags_css else []
        if not tags:
            tags = page.metas("article:tag")
        if not tags:
            keywords = page.article_ld.get("keywords") or page.meta("news_keywords")
            if isinstance(keywords, str):
                keywords = keywords.split(",")
            tags = [clean_space(k) for k in keywords or [] if isinstance(k, str)]
        return unique(t.lstrip("#").strip() for t in tags)

    def related(self, page: Page) -> list[dict]:
        """Related headlines in page order, one per URL, links made canonical."""
        links, seen = [], {canonical_url(page.url)}
        for css in self.related_css:
            for anchor in page.css(css):
                if isinstance(anchor, str):
                    continue  # a `::text` / `::attr()` selector: no link
                href = attr(anchor, "href")
                headline = strip_separators(attr(anchor, "title") or node_text(anchor))
                if not href or href.startswith(("javascript:", "#", "mailto:")) or not headline:
                    continue
                url = page.absolute(href)
                if url not in seen:
                    seen.add(url)
                    links.append({"url": url, "headline": headline})
        return links

    def source_outlet(self, page: Page) -> str:
        return page.first_text(self.source_css) if self.source_css else ""

    def language(self, page: Page) -> str:
        lang = attr(page.root, "lang") or page.meta("og:locale") or "vi"  # `/html/@lang`
        return re.split(r"[-_]", lang.strip().lower())[0] or "vi"

    def parse(self, page: Page) -> dict:
        """The layout's fields, then the rules every layout shares (analysis/article_rules.py)."""
        return tidy_article({
            "title": self.title(page),
            "summary": self.summary(page),
            "body": "\n\n".join(self.body(page)),
            "authors": self.authors(page),
            "published": self.published(page),
            "category": self.category(page),
            "tags": self.tags(page),
            "related": self.related(page),
            "language": self.language(page),
            "source_outlet": self.source_outlet(page),
        })


class Site:
    """A news site: which URLs are what, where to start, and its layouts."""

    name: ClassVar[str] = ""
    domains: ClassVar[tuple] = ()  # the first is the canonical host
    start_urls: ClassVar[tuple] = ()  # green-economy section listings
    sitemap_urls: ClassVar[tuple] = ()  # may hold {year} and {month} (monthly sitemaps)
    feed_urls: ClassVar[tuple] = ()
    article_url: ClassVar[re.Pattern] = re.compile(r"$^")
    listing_url: ClassVar[re.Pattern] = re.compile(r"$^")
    listing_link_css: ClassVar[tuple] = ("a",)
    # The site's own boxes that list other stories on every page (beyond the header,
    # menus, footer and "most read" boxes every site has): left out of its listings.
    listing_chrome_css: ClassVar[tuple] = ()
    layouts: ClassVar[tuple] = ()
    description: ClassVar[str] = ""

    def owns(self, url: str) -> bool:
        return bare_host(host_of(url)) in {bare_host(d) for d in self.domains}

    def canonical(self, url: str, base: str | None = None) -> str:
        return canonical_url(url, base=base, canonical_host=self.domains[0])

    def fetch_url(self, canonical: str) -> str:
        """How the site's server spells a canonical URL (the identity drops what it
        needs, e.g. WordPress's trailing slash); what the crawler requests."""
        return canonical

    def is_article(self, url: str) -> bool:
        return self.owns(url) and bool(self.article_url.search(url.split("?")[0].split("#")[0]))

    def is_listing(self, url: str) -> bool:
        return self.owns(url) and not self.is_article(url) and bool(self.listing_url.search(url.split("#")[0]))

    def listing_page(self, url: str, number: int) -> str:
        """URL of page `number` (2, 3, ...) of the listing at `url`."""
        raise NotImplementedError(f"{self.name} has no listing pagination")

    def next_listing_page(self, html: str, url: str, number: int) -> str | None:
        """Page `number + 1` of a listing, only if this page links to it (so paging stops at the end)."""
        try:
            wanted = self.canonical(self.listing_page(url, number + 1))
        except NotImplementedError:
            return None
        hrefs = HtmlPage(html, url).css("a::attr(href)").getall()
        return wanted if any(self.canonical(href, base=url) == wanted for href in hrefs) else None

    def discovery_modes(self) -> list[str]:
        modes = ["listing"] if self.start_urls else []
        modes += ["sitemap"] if self.sitemap_urls else []
        modes += ["feed"] if self.feed_urls else []
        return modes

    def sitemaps(self, since: date | None = None, today: date | None = None) -> list[str]:
        """Sitemap URLs, monthly templates expanded from `since`'s month (default: this month) to today's."""
        today = today or date.today()
        start = min(since or today, today)
        months = []
        year, month = start.year, start.month
        while (year, month) <= (today.year, today.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        urls = []
        for template in self.sitemap_urls:
            if "{year}" in template or "{month}" in template:
                urls.extend(template.format(year=y, month=m, month02=f"{m:02d}") for y, m in reversed(months))
            else:
                urls.append(template)
        return urls

    def listing_links(self, html: str, url: str) -> list[str]:
        """Canonical article URLs a reader sees on a listing page.

        What the site's selectors match comes first, in their order; then every
        other article link of the page's main column (not its header, menus,
        footer, sidebars or site-wide "most read" boxes), in page order.
        """
        page = HtmlPage(html, url)
        boxes = [node.root for css in self.listing_chrome_css for node in page.css(css)]
        main_column = main_column_hrefs(page.sel.root, boxes)
        shown = set(main_column)  # a selector matching inside a "most read" box does not count
        hrefs = [href for css in self.listing_link_css for href in page.css(css).css("::attr(href)").getall() if href in shown]
        hrefs += main_column
        links, seen = [], set()
        for href in hrefs:
            link = self.canonical(href, base=url)
            if link not in seen and self.is_article(link):
                seen.add(link)
                links.append(link)
        return links

    def parse_article(self, html: str, url: str) -> dict:
        """Try each layout in order; the item records which one matched.

        When none matches, the first layout's (mostly empty) output is kept
        with parser `<site>/unmatched`, so validation rejects it with a reason
        instead of a generic extractor storing page chrome as a body.
        """
        page = Page(html, url)
        chosen = next((layout for layout in (cls() for cls in self.layouts) if layout.matches(page)), None)
        layout = chosen or self.layouts[0]()
        fields = layout.parse(page)
        fields.update(
            url=self.canonical(url),
            site=self.name,
            parser=f"{self.name}/{layout.name if chosen else 'unmatched'}",
        )
        return fields
