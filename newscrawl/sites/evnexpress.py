"""e.vnexpress.net (VnExpress International): the English-language edition.

Articles `/news/<section>/<sub>/<slug>-<7 digits>.html`; RSS `/rss/news.rss`
and `/rss/business.rss` (summaries only). Its markup has not been seen on
saved pages, so the generic extractor carries the fields; articles are
English (`language = 'en'`) and get their topics from the taxonomy's English
terms. A separate site from vnexpress.net: another host, language and URL scheme.
"""

from __future__ import annotations

import re

from . import register
from .base import SLUG, Site
from .families.generic_press import GenericPressLayout


class EvnexpressLayout(GenericPressLayout):
    language_hint = "en"


@register
class Evnexpress(Site):
    name = "evnexpress"
    description = "VnExpress International (English): business, environment and energy news"
    domains = ("e.vnexpress.net",)
    start_urls = (
        "https://e.vnexpress.net/news/business/economy",
        "https://e.vnexpress.net/news/news/environment",
    )
    feed_urls = ("https://e.vnexpress.net/rss/business.rss", "https://e.vnexpress.net/rss/news.rss")
    article_url = re.compile(rf"^https?://[^/]+/news/[a-z0-9-]+(?:/[a-z0-9-]+)?/{SLUG}-\d{{7}}\.html$")
    listing_url = re.compile(r"^https?://[^/]+/news/[a-z0-9-]+(?:/[a-z0-9-]+)?/?(?:\?page=\d+)?$")
    listing_link_css = ("main h2 a, main h3 a, main h4 a",)
    layouts = (EvnexpressLayout,)

    def listing_page(self, url: str, number: int) -> str:
        return f"{url.split('?')[0].rstrip('/')}-p{number}"
