"""CSS selection on lxml trees, fast: each selector compiled once, and most answered from an index.

A layout tries many selectors per field, and an XPath walks the whole tree
however little it matches: its predicates on every element cost tens of
microseconds a page. So a page's tree is indexed once (`Index`: its elements
by tag, class and attribute) and a selector is answered from it:

- a selector group needs the classes, ids, attributes and tags it names
  (`div.a p#b` needs class `a`, id `b`, tags `div` and `p`): where the tree
  lacks one of them, the group matches nothing;
- otherwise the group's first compound (`div.a`) is looked for among the
  elements listed under its class, attribute or tag, and each next one
  among the children or descendants of those (`match.py`).

Groups with pseudo-classes, sibling combinators or `::text` are run as the
XPath that parsel would run, and so is any selector on a copy of the tree
(where the index only rules matches out). Either way the result is the
XPath's: same elements, document order, no repeats.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

import cssselect
from lxml import etree
from parsel.csstranslator import HTMLTranslator

from .match import XML_SPACE, Group

_TRANSLATOR = HTMLTranslator()


@lru_cache(maxsize=None)
def css_to_xpath(css: str) -> str:
    """CSS to XPath, cached for good: parsel's own cache is small enough to thrash."""
    return _TRANSLATOR.css_to_xpath(css)


@lru_cache(maxsize=None)
def _self_test(css: str) -> etree.XPath:
    return etree.XPath(_TRANSLATOR.css_to_xpath(css, prefix="self::"))


def matches(element, css: str) -> bool:
    """Does this element itself match `css` (tested on it alone, not searched for below it)?"""
    return bool(_self_test(css)(element))


def _tokens(value: str) -> list[str]:
    """A class attribute's names, split as normalize-space() splits (printable ASCII has no other space)."""
    return value.split() if value.isascii() and value.isprintable() else XML_SPACE.split(value)


def _path(element) -> list[int]:
    """Where `element` is: its place among its siblings, its parent's, ... from the root down.

    Paths sort in document order.
    """
    path = []
    parent = element.getparent()
    while parent is not None:
        path.append(parent.index(element))
        element, parent = parent, parent.getparent()
    return path[::-1]


class Index:
    """The elements of one tree by tag, by class and by attribute, in document order.

    What it says is absent is absent from the tree's subtrees and their copies too.
    """

    def __init__(self, root):
        self.root = root
        # defaultdicts while filling (one C-level call per append), plain dicts after,
        # so that asking for a name the tree lacks never adds it.
        by_tag, by_class, by_attribute = defaultdict(list), defaultdict(list), defaultdict(list)
        for element in root.iter(etree.Element):
            by_tag[element.tag].append(element)
            names = element.keys()
            if not names:
                continue
            for name in names:
                by_attribute[name].append(element)
            if "class" in names:
                for token in _tokens(element.get("class")):
                    found = by_class[token]
                    if not found or found[-1] is not element:  # `class="a a"`
                        found.append(element)
        self.by_tag: dict[str, list] = dict(by_tag)
        self.by_class: dict[str, list] = dict(by_class)
        self.by_attribute: dict[str, list] = dict(by_attribute)
        self._ids: set | None = None
        self._values: dict[str, dict] = {}
        self._order: dict | None = None
        self._spans: dict = {}
        self.found: dict[str, list] = {}  # a selector's matches in the whole tree, once read

    def with_tag(self, tag: str) -> list:
        return self.by_tag.get(tag, [])

    def with_attribute(self, name: str) -> list:
        return self.by_attribute.get(name, [])

    def with_value(self, name: str, value: str) -> list:
        """The elements whose attribute `name` is `value` (the attribute's values are listed when first asked)."""
        values = self._values.get(name)
        if values is None:
            values = self._values[name] = {}
            for element in self.with_attribute(name):
                values.setdefault(element.get(name), []).append(element)
        return values.get(value, [])

    def has_all(self, need: tuple) -> bool:
        tags, classes, ids, attributes = need
        if not (classes <= self.by_class.keys() and attributes <= self.by_attribute.keys()):
            return False
        if ids:
            if self._ids is None:
                self._ids = {element.get("id") for element in self.with_attribute("id")}
            if not ids <= self._ids:
                return False
        return tags <= self.by_tag.keys()

    def holds(self, element) -> bool:
        """Is `element` in the indexed tree (not in a copy of it)?"""
        return element is self.root or element.getroottree().getroot() is self.root

    @property
    def order(self) -> dict:
        """Each element's place in document order."""
        if self._order is None:
            self._order = {element: n for n, element in enumerate(self.root.iter(etree.Element))}
        return self._order

    def in_order(self, elements: set) -> list:
        if len(elements) > 8:
            return sorted(elements, key=self.order.__getitem__)
        return sorted(elements, key=_path)  # a few: cheaper than placing every element of the tree

    def span(self, root) -> tuple[int, int]:
        """The places in document order of `root` and of the last element below it."""
        found = self._spans.get(root)
        if found is None:
            last = root
            while True:  # the subtree ends with its last element: the last child's last child...
                child = next(last.iterchildren(etree.Element, reversed=True), None)
                if child is None:
                    break
                last = child
            found = self._spans[root] = (self.order[root], self.order[last])
        return found

    def under(self, root, elements: list) -> list:
        """Those of `elements` that are `root` or below it."""
        (start, end), order = self.span(root), self.order
        return [element for element in elements if start <= order[element] <= end]

    def matches_under(self, root, css_list: tuple) -> list[list | None]:
        """Each selector's matches under `root` as far as the index tells (None where it cannot)."""
        if not self.holds(root):
            return [None] * len(css_list)
        return [query(css).from_index(root, self) for css in css_list]


class Query:
    """One CSS selector (parsel's `::text` and `::attr()` included), compiled once."""

    def __init__(self, css: str):
        self.css = css
        self._xpath = etree.XPath(css_to_xpath(css), smart_strings=False)
        self._groups = [Group(parsed) for parsed in cssselect.parse(css)]
        self.single = all(group.single and group.attribute is None for group in self._groups)
        # Every group read from an index, all with the same `::attr()` (or none).
        self._indexed = all(g.indexed for g in self._groups) and len({g.attribute for g in self._groups}) == 1

    def __call__(self, root, index: Index | None = None) -> list:
        """Matches under `root` (elements, or strings for `::text` / `::attr()`), in document order.

        `index`: of `root`'s tree, or of a tree `root` was copied from.
        """
        if index is None:
            return self._xpath(root)
        found = self.from_index(root, index)
        return self._xpath(root) if found is None else found

    def from_index(self, root, index: Index) -> list | None:
        """Matches under `root`, an element of the indexed tree, read from the index; None where it cannot tell."""
        if root is index.root:
            found = index.found.get(self.css)
            if found is None:
                found = self._from_index(root, index)
                if found is not None:
                    index.found[self.css] = found
            return found
        if self.single and index.holds(root):
            # One compound per group: the matches under `root` are the tree's that are under it.
            found = self.from_index(index.root, index)
            return found if not found else index.under(root, found)
        return self._from_index(root, index)

    def _from_index(self, root, index: Index) -> list | None:
        if len(self._groups) == 1:  # most selectors: the same steps as below, fewer of them
            group = self._groups[0]
            if not index.has_all(group.needs):
                return []
            if not group.indexed or (root is not index.root and not index.holds(root)):
                return None
            found = group.find(index, root)
            return found if group.attribute is None else [v for v in (e.get(group.attribute) for e in found) if v is not None]
        groups = [group for group in self._groups if index.has_all(group.needs)]
        if not groups:
            return []
        if not self._indexed and (any(not g.indexed for g in groups) or len({g.attribute for g in groups}) > 1):
            return None
        if root is not index.root and not index.holds(root):
            return None
        found = [matches for matches in (group.find(index, root) for group in groups) if matches]
        if len(found) > 1:
            found = index.in_order({element for matches in found for element in matches})
        else:
            found = found[0] if found else []
        name = groups[0].attribute
        if name is None:
            return found
        return [value for value in (element.get(name) for element in found) if value is not None]


@lru_cache(maxsize=None)
def query(css: str) -> Query:
    return Query(css)
