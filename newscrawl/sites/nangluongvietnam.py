"""nangluongvietnam.vn (Tạp chí Năng lượng Việt Nam): the energy press.

Sections have no `.html` (`/dien-luc-viet-nam`), articles do
(`/<slug>-<5 digits>.html`). Its `/rss` answered an error page in 2026, so
discovery is by sections; field markup is unknown, so the generic extractor
carries every field.
"""

from __future__ import annotations

import re

from . import register
from .base import SLUG
from .families.generic_press import GenericPressSite


@register
class Nangluongvietnam(GenericPressSite):
    name = "nangluongvietnam"
    description = "Tạp chí Năng lượng Việt Nam: power, renewables, nuclear, energy policy"
    domains = ("nangluongvietnam.vn",)
    start_urls = (
        "https://nangluongvietnam.vn/dien-hat-nhan-nang-luong-tai-tao",
        "https://nangluongvietnam.vn/dien-luc-viet-nam",
        "https://nangluongvietnam.vn/khoa-hoc-cong-nghe-moi-truong",
        "https://nangluongvietnam.vn/nhan-dinh-phan-bien-kien-nghi",
    )
    # No working feed (2026-05); the sitemap sits at the usual place.
    sitemap_urls = ("https://nangluongvietnam.vn/sitemap.xml",)
    article_url = re.compile(rf"^https?://[^/]+/{SLUG}-\d{{5}}\.html$")
    listing_url = re.compile(r"^https?://[^/]+/[a-z0-9-]+/?(?:\?page=\d+)?$")
    listing_link_css = ("main h2 a, main h3 a",)
