"""tuoitre.vn (Tuổi Trẻ Online), on the CNND CMS it shares with thanhnien.vn.

The layout and the discovery rules are the family's (families/cnnd.py);
what is tuoitre's own is its address space:
- Article ids have two shapes (`yyyyMMddHHmmss..`, and since 2026
  `100yyMMddHHmmss..`); neither is parsed for a date.
- `/video/...` and `/nld/...` (Người Lao Động) pages are not TTO articles.
"""

from __future__ import annotations

import re

from . import register
from .base import SLUG
from .families.cnnd import CnndLayout, CnndSite


class TuoitreV1(CnndLayout):
    """tuoitre.vn 2023-2026: `div.detail-content.afcbc-body`, bylines in capitals."""

    name = "v1"


@register
class Tuoitre(CnndSite):
    name = "tuoitre"
    description = "Tuổi Trẻ Online: business, environment and green-economy news"
    domains = ("tuoitre.vn",)
    # Business, its investment desk, and the environment section.
    start_urls = (
        "https://tuoitre.vn/kinh-doanh.htm",
        "https://tuoitre.vn/kinh-doanh/dau-tu.htm",
        "https://tuoitre.vn/moi-truong.htm",
    )
    # A sitemap index despite the name: `StaticSitemaps/sitemaps-YYYY-M-d1-d2.xml`, five days each.
    sitemap_urls = ("https://tuoitre.vn/sitemaps/index.rss",)
    feed_urls = ("https://tuoitre.vn/rss/kinh-doanh.rss",)
    # `<slug>-<15+ digit id>.htm` at the root: `/video/...` and `/nld/...` (Người Lao Động) are not TTO articles.
    article_url = re.compile(rf"^https?://[^/]+/{SLUG}-\d{{15,}}\.html?$")
    listing_url = re.compile(
        r"^https?://[^/]+/(?:timeline/\d+/trang-\d+|(?!(?:video|nld|tac-gia|print)/)[a-z0-9-]+(?:/[a-z0-9-]+)?(?:/trang-\d+)?)(?<!\d{6})\.htm$"
    )
    timeline_template = "https://tuoitre.vn/timeline/{zone}/trang-{page}.htm"
    layouts = (TuoitreV1,)


__all__ = ["Tuoitre", "TuoitreV1"]
