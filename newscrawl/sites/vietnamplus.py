"""vietnamplus.vn (VietnamPlus, the Vietnam News Agency's news site).

Same CMS family as nhandan.vn (families/cms_post.py holds the shared layout).
What differs on VietnamPlus pages:

- The `<title>` and the meta description can be other sentences than the
  shown h1 and lead, so the lead never falls back to the description.
- The first body paragraph can repeat the lead word for word (dropped).
- Wire copy shows no byline, only a credit such as `(TTXVN/Vietnam+)` at the
  end of the body or beside the name (`Minh Nguyệt (TTXVN/Vietnam+)`): the
  credit is never an author, the name beside it is.
- In-body related boxes `div.article-relate` (genuine related stories), ads
  `div.sda_middle`, share bars `div.article__social`.
- Host `www.vietnamplus.vn` (the English `en.` and other editions are other
  sites); article URLs end in `-post<id>.vnp`, newer ones also `.html`.
"""

from __future__ import annotations

import re

from . import register
from .base import WORD
from .families.cms_post import CmsArticleLayout, CmsSite


class VietnamplusV1(CmsArticleLayout):
    """The article page since the 2023 redesign (`article__title`, `zce-content-body`)."""

    name = "v1"
    summary_meta_fallback = False
    canonical_host = "www.vietnamplus.vn"


@register
class Vietnamplus(CmsSite):
    name = "vietnamplus"
    description = "VietnamPlus (TTXVN): national news agency site, environment and economy sections"
    domains = ("www.vietnamplus.vn",)
    start_urls = (
        "https://www.vietnamplus.vn/moitruong/",
        "https://www.vietnamplus.vn/kinhte/",
    )
    # The index lists the monthly `sitemaps/news-<YYYY>-<M>.xml` (month not zero-padded).
    sitemap_urls = ("https://www.vietnamplus.vn/sitemap.xml",)
    feed_urls = ("https://www.vietnamplus.vn/rss/kinhte-311.rss",)
    article_url = re.compile(
        rf"^https?://(?:www\.)?vietnamplus\.vn/(?:[a-z0-9-]+/)*{WORD}(?:-{WORD})*-post\d+\.(?:vnp|html)$"
    )
    listing_url = re.compile(
        r"^https?://(?:www\.)?vietnamplus\.vn/[a-z0-9-]+(?:/[a-z0-9-]+)?(?:/|\.vnp)?(?:/trang\d+\.vnp)?(?:\?page=\d+)?$"
    )
    layouts = (VietnamplusV1,)
