"""The lxml page: what the generic extractor and listing discovery read.

Their rules walk lxml trees (analysis/html.py, analysis/main_column.py) and
use parsel selectors; site layouts read the faster lexbor `Page` (page.py).
"""

from __future__ import annotations

from functools import cached_property

from lxml import etree
from parsel import SelectorList

from ..analysis.html import ld_objects, parse_html
from .page import PageFacts, metas_by_name

_TEXTS = etree.XPath("text()", smart_strings=False)  # what parsel's `::text` reads of an element


class HtmlPage(PageFacts):
    """One fetched page as an lxml tree behind a parsel selector (`sel`)."""

    def __init__(self, html: str, url: str):
        self.url = url
        self.html = html or ""
        self.sel = parse_html(html or "<html></html>")

    def css(self, css: str) -> SelectorList:
        return self.sel.css(css)

    @cached_property
    def _metas(self) -> dict[str, list[str]]:
        return metas_by_name(element.get for element in self.sel.root.iter("meta"))

    @cached_property
    def json_ld(self) -> list[dict]:
        # Script elements hold text only (never other elements), so their texts come in page order.
        return ld_objects(text for script in self.sel.root.iter("script") if script.get("type") == "application/ld+json"
                          for text in _TEXTS(script))
