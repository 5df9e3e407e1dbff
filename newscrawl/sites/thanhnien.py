"""thanhnien.vn (Báo Thanh Niên): the CNND layout it shares with tuoitre.vn.

Seen on a real saved page (2026): the title is a `span[data-role=title]`
inside `h1.detail-title`, next to empty `div`s; the sapo is a `div` or an
`h2`; `time[data-role=publishdate][datetime]` with an ISO time; bylines in
normal case, each `a.name` followed by `span.email`; JSON-LD NewsArticle
and BreadcrumbList; an MGID ad slot and scripts *inside* the body
container; tags in `[data-role=tags] a.item` (the meta keywords leave out
the first tag). Everything below the article (recommendations, "đọc
thêm", sidebar) is filled by JavaScript; the only related headlines in the
HTML are the in-body `RelatedNewsBox` widgets.

Video articles have the same parts above the player and an empty body
container: they match the `video` layout, so a rejected empty body there is
recognisably a video page, not a redesign.
"""

from __future__ import annotations

import re

from . import register
from .base import SLUG, Page
from .families.cnnd import CnndLayout, CnndSite


class ThanhnienV1(CnndLayout):
    """Standard article (2022 redesign to now): `div.detail-cmain > div.detail-content[data-role=content]`."""

    name = "v1"


class ThanhnienVideo(ThanhnienV1):
    """Video article: `div.detail__video-section`, hdType 13; the text is the sapo only."""

    name = "video"

    def matches(self, page: Page) -> bool:
        video = bool(page.css("div.detail__video-section, div.d_detail__video")) or (
            page.css("input#hdType::attr(value)").get("").strip() == "13"
        )
        return video and bool(self.title(page))


@register
class Thanhnien(CnndSite):
    name = "thanhnien"
    description = "Báo Thanh Niên: economy, green-economy and business news"
    domains = ("thanhnien.vn",)
    # The green-economy desk, the economy section and its business desk.
    start_urls = (
        "https://thanhnien.vn/kinh-te/kinh-te-xanh.htm",
        "https://thanhnien.vn/kinh-te.htm",
        "https://thanhnien.vn/kinh-te/doanh-nghiep.htm",
    )
    # Sitemap index of `sitemaps/sitemaps-YYYY-M-d1-d2.xml` shards (five days each).
    sitemap_urls = ("https://thanhnien.vn/sitemap.xml",)
    feed_urls = ("https://thanhnien.vn/rss/kinh-te.rss",)
    # `<slug>-<id>.htm` at the root; ids are 18 digits now (`185` + yyMMddHHmmss + 3), 9 on old pages.
    # Tag pages (`-tags123.html`), authors (`/author/...`) and print views (`/print/...`) do not match.
    article_url = re.compile(rf"^https?://[^/]+/{SLUG}-\d{{9,}}\.htm$")
    listing_url = re.compile(
        r"^https?://[^/]+/(?:timelinelist/\d+/\d+|(?!(?:author|print)/)[a-z0-9-]+(?:/[a-z0-9-]+)?(?:/trang-\d+)?)(?<!\d{6})\.htm$"
    )
    timeline_template = "https://thanhnien.vn/timelinelist/{zone}/{page}.htm"
    layouts = (ThanhnienVideo, ThanhnienV1)
