"""kinhtemoitruong.vn (Kinh tế Môi trường): environment and green-economy news.

MasterCMS: articles `/<slug>-<6 digits>.html`, RSS `/rss/<feed>.rss`. Field
markup is unknown: the generic extractor carries every field.
"""

from __future__ import annotations

import re

from . import register
from .base import SLUG
from .families.generic_press import GenericPressSite


@register
class Kinhtemoitruong(GenericPressSite):
    name = "kinhtemoitruong"
    description = "Kinh tế Môi trường: environment, climate and the green economy"
    domains = ("kinhtemoitruong.vn",)
    start_urls = ("https://kinhtemoitruong.vn/moi-truong-24h",)
    feed_urls = ("https://kinhtemoitruong.vn/rss/moi-truong-24h-1.rss", "https://kinhtemoitruong.vn/rss/tin-moi.rss")
    article_url = re.compile(rf"^https?://[^/]+/{SLUG}-\d{{6}}\.html$")
    listing_url = re.compile(r"^https?://[^/]+/[a-z0-9-]+/?(?:\?page=\d+)?$")
    listing_link_css = ("main h2 a, main h3 a",)
