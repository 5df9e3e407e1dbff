"""What the generic parser reads metadata from: `<meta>` tags and JSON-LD, read once.

`_Page` matches meta names case-blind (unknown sites spell `og:Title` and
`Description` as they like); `_Meta` merges the page's JSON-LD objects into
the article, its web page, its breadcrumbs and the names the site goes by.
"""

from __future__ import annotations

import html as html_lib
from functools import cached_property

from ...analysis.html import ld_text
from ...analysis.text import clean_space, unique
from ...analysis.urls import bare_host, host_of
from ..html_page import HtmlPage
from ..page import ARTICLE_TYPES


def _host_stem(url: str) -> str:
    host = bare_host(host_of(url))
    parts = host.split(".")
    return parts[0] if parts else host


class _Page(HtmlPage):
    """An HtmlPage whose `<meta>` tags are read once into a map (names matched case-blind)."""

    @cached_property
    def _metas(self) -> dict:
        found: dict = {}
        for node in self.sel.root.iter("meta"):
            content = node.get("content")
            if not content or not content.strip():
                continue
            for attr in ("property", "name", "itemprop"):
                key = (node.get(attr) or "").strip().lower()
                if key:
                    found.setdefault((attr, key), []).append(content)
        return found

    def meta(self, *names: str) -> str:
        for name in names:
            for attr in ("property", "name", "itemprop"):
                values = self._metas.get((attr, name.lower()))
                if values:
                    return clean_space(html_lib.unescape(values[0]))
        return ""

    def metas(self, name: str) -> list[str]:
        values = self._metas.get(("property", name.lower()), []) + self._metas.get(("name", name.lower()), [])
        return [clean_space(html_lib.unescape(v)) for v in values]


class _Meta:
    """The page's machine-readable metadata, merged: JSON-LD first, then meta tags."""

    def __init__(self, page: HtmlPage):
        self.page = page
        objects = page.json_ld
        self.article = page.article_ld or self._nested_article(objects)
        self.webpage = next((o for o in objects if _types(o) & {"WebPage", "ItemPage"}), {})
        self.breadcrumbs = next((o for o in objects if "BreadcrumbList" in _types(o)), {})
        publisher = self.article.get("publisher") if isinstance(self.article.get("publisher"), dict) else {}
        website = next((o for o in objects if "WebSite" in _types(o)), {})
        self.site_names = unique(
            n for n in (
                page.meta("og:site_name", "application-name", "apple-mobile-web-app-title"),
                ld_text(publisher.get("name")) if publisher else "",
                ld_text(website.get("name")),
                _host_stem(page.url),
                bare_host(host_of(page.url)),
            ) if n
        )

    @staticmethod
    def _nested_article(objects) -> dict:
        """An article hiding in `mainEntity` / `mainEntityOfPage` of a WebPage."""
        for obj in objects:
            for key in ("mainEntity", "mainEntityOfPage"):
                inner = obj.get(key)
                if isinstance(inner, dict) and _types(inner) & (ARTICLE_TYPES - {"WebPage"}):
                    return inner
        return {}


def _types(obj: dict) -> set[str]:
    types = obj.get("@type")
    return {t for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)}
