"""CSS on lxml trees (the generic extractor's), each selector compiled to XPath once.

parsel compiles a selector again whenever its own small cache has let it
go; the generic extractor asks the same few dozen selectors of every page,
so they are translated once here and kept. Site layouts select on lexbor
trees instead (analysis/dom.py).
"""

from __future__ import annotations

from functools import lru_cache

from lxml import etree
from parsel.csstranslator import HTMLTranslator

_TRANSLATOR = HTMLTranslator()


@lru_cache(maxsize=None)
def _self_test(css: str) -> etree.XPath:
    return etree.XPath(_TRANSLATOR.css_to_xpath(css, prefix="self::"))


def matches(element, css: str) -> bool:
    """Does this element itself match `css` (tested on it alone, not searched for below it)?"""
    return bool(_self_test(css)(element))


@lru_cache(maxsize=None)
def query(css: str) -> etree.XPath:
    """`css` (parsel's `::text` and `::attr()` included) as a compiled XPath: called on an element,
    its matches under it (itself included), in document order."""
    return etree.XPath(_TRANSLATOR.css_to_xpath(css), smart_strings=False)
