"""nhandan.vn (Báo Nhân Dân), on the CMS it shares with vietnamplus.vn.

The layout and the discovery rules are the family's (families/cms_post.py);
nhandan's own are its host, its sections and its article URLs.
"""

from __future__ import annotations

import re

from . import register
from .base import WORD
from .families.cms_post import CmsArticleLayout, CmsSite


class NhandanV1(CmsArticleLayout):
    """The article page since the 2022 redesign (`article__title`, `zce-content-body`)."""

    name = "v1"
    canonical_host = "nhandan.vn"


@register
class Nhandan(CmsSite):
    name = "nhandan"
    description = "Báo Nhân Dân: the Party daily, with environment and economy sections"
    domains = ("nhandan.vn",)
    start_urls = (
        "https://nhandan.vn/moi-truong/",
        "https://nhandan.vn/kinhte/",
    )
    # The index lists the monthly `sitemaps/news-<YYYY>-<M>.xml` (month not zero-padded).
    sitemap_urls = ("https://nhandan.vn/sitemap.xml",)
    feed_urls = ("https://nhandan.vn/rss/kinhte-1185.rss",)
    # `/<slug>-post<id>.html`; not the short `/post-<id>.html` og:url form,
    # not OCOP product pages (`-prod<id>.html`), not other editions (en., cn.).
    article_url = re.compile(rf"^https?://(?:www\.)?nhandan\.vn/(?:[a-z0-9-]+/)*{WORD}(?:-{WORD})*-post\d+\.html$")
    listing_url = re.compile(r"^https?://(?:www\.)?nhandan\.vn/[a-z0-9-]+(?:/[a-z0-9-]+)?/?(?:\?page=\d+)?$")
    layouts = (NhandanV1,)


__all__ = ["Nhandan", "NhandanV1"]
