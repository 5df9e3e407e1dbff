"""The page a site layout reads: a lexbor tree (analysis/dom.py) and its metadata, read once.

`PageFacts` is what every page kind reads alike (meta tags by name, JSON-LD,
absolute links); `Page` is the site layouts' page and
`HtmlPage` (html_page.py) the lxml page of the generic extractor and of
listing discovery.
"""

from __future__ import annotations

import html as html_lib
from functools import cached_property

from selectolax.lexbor import LexborNode

from ..analysis.dom import Matches, parse_document, select, select_in
from ..analysis.dom_text import node_text
from ..analysis.html import ld_objects
from ..analysis.text import clean_space
from ..analysis.urls import canonical_url

ARTICLE_TYPES = {"NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle", "WebPage"}


class PageFacts:
    """Meta tags and JSON-LD as every page kind reads them; a subclass fills `_metas` and `json_ld`."""

    url: str
    _metas: dict[str, list[str]]
    json_ld: list[dict]

    def meta(self, *names: str) -> str:
        """First non-empty `<meta property|name|itemprop=...>` content, unescaped."""
        for name in names:
            values = self._metas.get(name)
            if values:
                return clean_space(html_lib.unescape(values[0]))
        return ""

    def metas(self, name: str) -> list[str]:
        return [clean_space(html_lib.unescape(v)) for v in self._metas.get(name, [])]

    @cached_property
    def article_ld(self) -> dict:
        """The page's JSON-LD article object, or `{}`."""
        for obj in self.json_ld:
            types = obj.get("@type")
            types = set(types) if isinstance(types, list) else {types}
            if types & (ARTICLE_TYPES - {"WebPage"}):
                return obj
        return {}

    def absolute(self, href: str) -> str:
        return canonical_url(href, base=self.url)


def metas_by_name(items) -> dict[str, list[str]]:
    """Each `<meta>` content by its property, name and itemprop, from (get-attribute) functions."""
    found: dict[str, list[str]] = {}
    for get in items:
        content = get("content")
        if content is None or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            key = get(attr)
            if key:
                found.setdefault(key, []).append(content)
    return found


class Page(PageFacts):
    """One fetched article page, as the site layouts read it."""

    def __init__(self, html: str, url: str):
        self.url = url
        self.html = html or ""  # the generic extractor, behind some sites' layouts, reads the text
        self.tree = parse_document(html)
        self._found: dict[str, Matches] = {}
        self._once: dict = {}

    def once(self, key, compute):
        """`compute()` the first time `key` is asked on this page, the same result after
        (a layout that reads one copy of its body for several fields)."""
        if key not in self._once:
            self._once[key] = compute()
        return self._once[key]

    @property
    def root(self) -> LexborNode:
        """The `<html>` element."""
        return self.tree.root

    def css(self, css: str) -> Matches:
        """Matches of `css` in the page (elements, or strings for `::text` / `::attr()`); memoised,
        as layouts ask for the same ones often."""
        found = self._found.get(css)
        if found is None:
            found = self._found[css] = select(self.tree, css)
        return found

    @staticmethod
    def css_in(node: LexborNode, css: str) -> Matches:
        """`css` under `node`, as parsel's `node.css(css)` reads it."""
        return select_in(node, css)

    def first(self, css_list) -> LexborNode | None:
        for css in css_list:
            found = self.css(css)
            if found:
                return found[0]
        return None

    def first_text(self, css_list) -> str:
        for css in css_list:
            for node in self.css(css):
                text = node_text(node)
                if text:
                    return text
        return ""

    def all_texts(self, css_list) -> list[str]:
        """Texts of every match of the first selector that matches anything."""
        for css in css_list:
            texts = [t for t in (node_text(node) for node in self.css(css)) if t]
            if texts:
                return texts
        return []

    @cached_property
    def _metas(self) -> dict[str, list[str]]:
        return metas_by_name(node.attributes.get for node in self.tree.css("meta"))

    @cached_property
    def json_ld(self) -> list[dict]:
        return ld_objects(self.css('script[type="application/ld+json"]::text'))
