"""nongnghiepmoitruong.vn (Báo Nông nghiệp và Môi trường), with legacy baotainguyenmoitruong.vn.

Since 2025 the environment ministry's paper (baotainguyenmoitruong.vn) and the
agriculture paper are one; archives and links still carry the legacy host and
its URLs (`/<slug>-<6 digits>.html`, no `d`). Markup is known from other
crawlers' configurations, not from enough saved pages for a parser of our
own: the generic extractor carries the fields, with the known selectors as
hints (a hint that stops matching falls back to the generic answer).
"""

from __future__ import annotations

import re

from . import register
from .base import SLUG
from .families.generic_press import GenericPressLayout, GenericPressSite


class LegacyTainguyenmoitruong(GenericPressLayout):
    """baotainguyenmoitruong.vn before the merger."""

    name = "legacy"
    marker_css = ("h1.c-detail-head__title",)
    title_css = ("h1.c-detail-head__title",)
    # The body (`div.b-maincontent`, bold lead first, right-aligned byline last) is
    # left to the generic extractor, which takes the lead and the byline out of it.
    date_css = ("div.c-detail-head__time",)


class NongnghiepMoitruong(GenericPressLayout):
    title_css = ("h1.main-title.detail-title", "h1.detail-title")
    summary_css = ("h2.main-intro.detail-intro", "h2.detail-intro")
    body_css = ('div.content[itemprop="articleBody"]',)
    body_drop_css = ("table.picture", "figure", "div.related-news", "script")
    author_css = ("p.content-author",)
    date_css = ("span.time-detail",)


@register
class Nongnghiepmoitruong(GenericPressSite):
    name = "nongnghiepmoitruong"
    description = "Báo Nông nghiệp và Môi trường (formerly Tài nguyên và Môi trường): environment, climate, agriculture"
    domains = ("nongnghiepmoitruong.vn", "baotainguyenmoitruong.vn")
    start_urls = (
        "https://nongnghiepmoitruong.vn/moi-truong",
        "https://nongnghiepmoitruong.vn/bien-doi-khi-hau",
    )
    feed_urls = ("https://nongnghiepmoitruong.vn/rss/moi-truong.rss",)
    # `/<slug>-d<6 digits>.html`; the legacy host's `/<slug>-<6 digits>.html`.
    article_url = re.compile(rf"^https?://[^/]+/{SLUG}-d?\d{{6}}\.html$")
    listing_url = re.compile(r"^https?://[^/]+/[a-z0-9-]+(?:/[a-z0-9-]+)?/?(?:\?page=\d+)?$")
    listing_link_css = ("main h2 a, main h3 a, div.main-column h2 a, div.main-column h3 a",)
    layouts = (LegacyTainguyenmoitruong, NongnghiepMoitruong)
