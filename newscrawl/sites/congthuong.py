"""congthuong.vn (Báo Công Thương): the trade ministry's paper, energy sections.

Articles `/<slug>-<6 digits>.html`, also on `kinhte.congthuong.vn`; energy
sections `/nang-luong`, `/nang-luong/nang-luong-tai-tao`, `/dien`; the RSS
feeds answer with recent items. Field markup is unknown: the generic
extractor carries every field.
"""

from __future__ import annotations

import re

from . import register
from .base import SLUG
from .families.generic_press import GenericPressSite


@register
class Congthuong(GenericPressSite):
    name = "congthuong"
    description = "Báo Công Thương: energy, power and industry"
    domains = ("congthuong.vn", "kinhte.congthuong.vn")
    start_urls = (
        "https://congthuong.vn/nang-luong/nang-luong-tai-tao",
        "https://congthuong.vn/nang-luong",
        "https://congthuong.vn/dien",
    )
    feed_urls = ("https://congthuong.vn/rss/nang-luong.rss",)
    article_url = re.compile(rf"^https?://[^/]+/{SLUG}-\d{{6}}\.html$")
    listing_url = re.compile(r"^https?://[^/]+/[a-z0-9-]+(?:/[a-z0-9-]+)?/?(?:\?page=\d+)?$")
    listing_link_css = ("main h2 a, main h3 a",)
