"""CSS selection on lxml trees: each selector compiled once, and not run where it cannot match.

A layout tries many selectors per field and on a given page most match
nothing, yet an XPath that matches nothing still walks the whole tree. A
selector needs the classes, ids and tags it names (`div.a p#b` needs class
`a`, id `b`, tags `div` and `p`), so where a tree lacks one of them for every
comma group, nothing can match and the XPath is not run. The test only ever
proves that there is no match: whatever may match is found by the XPath.
"""

from __future__ import annotations

import re
from functools import lru_cache

import cssselect
from cssselect import parser as css_parser
from lxml import etree
from parsel.csstranslator import HTMLTranslator

_TRANSLATOR = HTMLTranslator()
# What XPath's normalize-space() (the translation of `.class`) splits on; U+00A0 is not among them.
_XML_SPACE = re.compile(r"[ \t\r\n]+")
_CLASSES = etree.XPath("descendant-or-self::*/@class", smart_strings=False)
_IDS = etree.XPath("descendant-or-self::*/@id", smart_strings=False)


@lru_cache(maxsize=None)
def css_to_xpath(css: str) -> str:
    """CSS to XPath, cached for good: parsel's own cache is small enough to thrash."""
    return _TRANSLATOR.css_to_xpath(css)


class Names:
    """The classes, ids and tags used in one tree: what a selector needs to match there.

    Good for the tree's subtrees and their copies too (they use fewer names).
    """

    def __init__(self, root):
        self.root = root
        self.classes = set(_XML_SPACE.split(" ".join(_CLASSES(root))))
        self.ids = set(_IDS(root))
        self._tags: dict[str, bool] = {}

    def has_tag(self, tag: str) -> bool:
        found = self._tags.get(tag)
        if found is None:
            found = self._tags[tag] = next(self.root.iter(tag), None) is not None
        return found

    def has_all(self, need: tuple) -> bool:
        tags, classes, ids = need
        return classes <= self.classes and ids <= self.ids and all(self.has_tag(tag) for tag in tags)


def _needs(tree) -> tuple[frozenset, frozenset, frozenset]:
    """Tags, classes and ids an element must use somewhere for one parsed selector group to match.

    Only the selector's own chain is read: what sits inside `:not()`, `:has()`
    or `:is()` is not needed (or not needed for sure), so it is not listed.
    """
    tags, classes, ids = set(), set(), set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, css_parser.CombinedSelector):
            stack += [node.selector, node.subselector]
            continue
        if isinstance(node, css_parser.Element):
            if node.element and node.element != "*" and not node.namespace:
                tags.add(node.element.lower())  # the HTML translator lowers tag names, as the parser does
            continue
        if isinstance(node, css_parser.Class):
            classes.add(node.class_name)
        elif isinstance(node, css_parser.Hash):
            ids.add(node.id)
        selector = getattr(node, "selector", None)
        if selector is not None:
            stack.append(selector)
    return frozenset(tags), frozenset(classes), frozenset(ids)


class Query:
    """One CSS selector (parsel's `::text` and `::attr()` included), compiled once."""

    def __init__(self, css: str):
        self.css = css
        self._xpath = etree.XPath(css_to_xpath(css), smart_strings=False)
        self._needs = [_needs(group.parsed_tree) for group in cssselect.parse(css)]

    def may_match(self, names: Names) -> bool:
        return any(names.has_all(need) for need in self._needs)

    def __call__(self, root, names: Names | None = None) -> list:
        """Matches under `root` (elements, or strings for `::text` / `::attr()`), in document order.

        `names`: those of `root`'s tree, when the caller has them.
        """
        if names is not None and not self.may_match(names):
            return []
        return self._xpath(root)


@lru_cache(maxsize=None)
def query(css: str) -> Query:
    return Query(css)
