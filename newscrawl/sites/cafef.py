"""cafef.vn (CafeF): business and markets, much of it republished from other papers.

Stable `data-role` hooks: title, lead (`p.sapo`), content (with a stock-index
widget `.chisochungkhoan` and a "TIN MỚI" box `.tindnd` inside it, dropped),
date `span.pdate` printed `20-07-2026 - 00:15 AM` (a 24-hour clock with an
AM/PM suffix, so not a US date) and `article:published_time` without a zone,
which is Vietnam time. The byline reads `Theo <writer>`; `p.source` names
the paper the story came from, kept as the article's `source_outlet`
(provenance, and a syndication signal). Articles are
`/<slug>-188<15 digits>.chn`; a section's later pages come by XHR
(`/timelinelist/<zone>/<page>.chn`), so discovery takes a section's first
page and the feeds.
"""

from __future__ import annotations

import re

from . import register
from ..analysis.text import iso_datetime, strip_separators, unique
from .base import SLUG, ArticleLayout, Page, Site

_PRINTED = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})\s*-\s*(\d{1,2}):(\d{2})")
_BY = re.compile(r"^\s*theo\s+", re.IGNORECASE)


class CafefV1(ArticleLayout):
    name = "v1"
    title_css = ('h1[data-role="title"]', "h1.title")
    summary_css = ('p.sapo[data-role="sapo"]', "h2.sapo", "p.sapo")
    body_css = ('div.detail-content[data-role="content"]', "div.detail-content")
    body_drop_css = (".chisochungkhoan", ".tindnd", "div.VCSortableInPreviewMode[type='RelatedNewsBox']", "figure", "script", "style")
    author_css = ('span.author[data-role="author"]', "p.author")
    date_css = ('span.pdate[data-role="publishdate"]',)
    category_css = ('a[data-role="cate-name"]', "div.bread-crumb a")
    tags_css = ("div.tags a", "div.row2 a.tag")
    related_css = ("div.relate-news a", "ul.knswli-relate a")
    source_css = ('p.source[data-field="source"]',)

    def published(self, page: Page) -> str | None:
        value = iso_datetime(page.meta("article:published_time"))  # no zone: Vietnam time
        if value:
            return value
        printed = _PRINTED.search(page.first_text(self.date_css))
        if printed:
            day, month, year, hour, minute = printed.groups()
            return iso_datetime(f"{year}-{int(month):02d}-{int(day):02d}T{int(hour):02d}:{minute}:00")
        return super().published(page)

    def authors(self, page: Page) -> list[str]:
        """`Theo Minh Anh` is the writer; `Theo Báo Đầu tư` (the source paper itself) is not."""
        source = self.source_outlet(page).casefold()
        names = [strip_separators(_BY.sub("", n)) for n in page.all_texts(self.author_css)]
        return unique(n for n in names if n and n.casefold() != source)


@register
class Cafef(Site):
    name = "cafef"
    description = "CafeF: business, markets and macro news, often republished with the source paper credited"
    domains = ("cafef.vn",)
    start_urls = ("https://cafef.vn/doanh-nghiep.chn", "https://cafef.vn/vi-mo-dau-tu.chn")
    feed_urls = ("https://cafef.vn/doanh-nghiep.rss",)
    article_url = re.compile(rf"^https?://[^/]+/{SLUG}-188\d{{15}}\.chn$")
    listing_url = re.compile(r"^https?://[^/]+/[a-z0-9-]+\.chn$")
    listing_link_css = ("div.firstitem h2 a", "div.tlitem h3 a, div.listchungkhoan h3 a")
    layouts = (CafefV1,)
