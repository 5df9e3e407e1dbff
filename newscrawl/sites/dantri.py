"""dantri.com.vn (Báo Dân trí), its 2026 layout.

The 2026 templates dropped the `.singular-content` / `.singular-sapo`
classes older crawlers rely on; the stable hooks are `data-slot` and
`data-content-name` attributes. The lead begins with the paper's own
`(Dân trí) - ` and is kept as printed. Inside the content sit in-body
related boxes and ad slots, which are not text of the article. Article ids
are 17-digit timestamps (`-20260717221200123.htm`); a section's page N is
`/<section>/trang-N.htm`.
"""

from __future__ import annotations

import re

from . import register
from .base import SLUG, ArticleLayout, Site


class DantriV2026(ArticleLayout):
    name = "v2026"
    title_css = ('h1[data-slot="title"]', "h1")
    summary_css = ('h2[data-slot="sapo"]',)
    body_css = ('div[data-slot="content"]',)
    body_drop_css = (
        'aside[data-module="related-article-in-content"]', 'div[data-slot="ads-in-content"]',
        "figure", "script", "style",
    )
    author_css = ('a[rel="author"]',)
    # JSON-LD `datePublished` carries the offset; `time[datetime="2026-07-17 22:12"]` is Vietnam time.
    date_css = ('time[datetime]',)
    category_css = ('ul[data-slot="breadcrumb"] a', 'nav[data-slot="breadcrumb"] a')
    tags_css = ('a[data-content-name="article-tags"]',)
    related_css = ('article[data-content-name="article-related"] h3 a', 'aside[data-module="related-article-in-content"] a')


@register
class Dantri(Site):
    name = "dantri"
    description = "Dân trí: environment news and the ESG Việt Nam section"
    domains = ("dantri.com.vn",)
    start_urls = (
        "https://dantri.com.vn/thoi-su/moi-truong.htm",
        "https://dantri.com.vn/kinh-doanh/esg-viet-nam.htm",
    )
    feed_urls = ("https://dantri.com.vn/rss/kinh-doanh.rss",)
    # `/<section>[/<sub>]/<slug>-<17-digit timestamp id>.htm`
    article_url = re.compile(rf"^https?://[^/]+/[a-z0-9-]+(?:/[a-z0-9-]+)?/{SLUG}-\d{{17}}\.htm$")
    listing_url = re.compile(r"^https?://[^/]+/[a-z0-9-]+(?:/[a-z0-9-]+)?(?:/trang-\d+)?\.htm$")
    # The section's main column: the focus story, the thumbnail grid, the stream.
    listing_link_css = (
        'div[data-slot="main"] article.article-focus h3 a',
        'div[data-slot="main"] article.article-item h3 a',
        'div[data-slot="main"] article h3 a',
    )
    layouts = (DantriV2026,)

    def listing_page(self, url: str, number: int) -> str:
        section = re.sub(r"(?:/trang-\d+)?\.htm$", "", url.split("#")[0].split("?")[0])
        return f"{section}/trang-{number}.htm"
