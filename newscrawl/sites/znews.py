"""znews.vn (Znews, formerly Zing News).

Articles are `/<slug>-post<7 digits>.html`, and the same story is also
`/znews-post<id>.html` (its `og:url`, which differs from `link[rel=canonical]`):
the post id is the identity, so every spelling maps to the short form, which
the site answers by redirecting to the slug URL. Dates: `article:published_time`
and JSON-LD carry seconds; the page prints `Thứ ba, 23/12/2025 09:02 (GMT+7)`.
A section is `/<section>.html`, its page N `/<section>/trang<N>.html`. The
sitemap sits at the usual place (not checked on the live site).
"""

from __future__ import annotations

import re

from . import register
from .base import SLUG, ArticleLayout, Site

POST_ID = re.compile(rf"/(?:{SLUG}-)?post(\d{{6,8}})\.html$")
HOST = "znews.vn"


def short_form(url: str) -> str:
    """`https://znews.vn/znews-post<id>.html` for any spelling of a post's URL; other URLs as they are."""
    match = POST_ID.search(url.split("?")[0].split("#")[0])
    return f"https://{HOST}/znews-post{match.group(1)}.html" if match else url


class ZnewsV1(ArticleLayout):
    name = "v1"
    title_css = ("h1.the-article-title", "h1")
    summary_css = ("p.the-article-summary",)
    body_css = ("div.the-article-body",)
    body_drop_css = (
        "table.picture", "figure", "div.inner-article", "div.article-related", "div.ads",
        "div.z-ads", "script", "style", "p.the-article-credit",
    )
    author_css = ("div.the-article-credit p.author", "p.the-article-author")
    date_css = ("li.the-article-publish",)
    category_css = ("p.the-article-category a",)
    tags_css = ("p.the-article-tags a",)
    related_css = ("div.article-related article h3 a", "section.recommendation article h3 a")

    def related(self, page):
        """Related links as the site's one URL per post (a story linked twice is one link)."""
        links, seen = [], set()
        for link in super().related(page):
            url = short_form(link["url"])
            if url not in seen:
                seen.add(url)
                links.append(dict(link, url=url))
        return links


@register
class Znews(Site):
    name = "znews"
    description = "Znews: business, finance and environment news"
    domains = (HOST,)
    start_urls = ("https://znews.vn/kinh-doanh-tai-chinh.html",)
    sitemap_urls = ("https://znews.vn/sitemap.xml",)
    article_url = re.compile(rf"^https?://[^/]+/(?:{SLUG}-)?post\d{{6,8}}\.html$")
    listing_url = re.compile(r"^https?://[^/]+/[a-z0-9-]+(?:/trang\d+)?\.html$")
    listing_link_css = ("article.article-item h3.article-title a",)
    layouts = (ZnewsV1,)

    def canonical(self, url: str, base: str | None = None) -> str:
        """One URL per post id: `/znews-post<id>.html`, whatever slug a link carries."""
        canonical = super().canonical(url, base)
        return short_form(canonical) if self.owns(canonical) else canonical

    def listing_page(self, url: str, number: int) -> str:
        section = re.sub(r"(?:/trang\d+)?\.html$", "", url.split("#")[0].split("?")[0])
        return f"{section}/trang{number}.html"
