"""One CSS selector group (`div.a > p#b`) checked on an element in Python, as its XPath would check it.

Only what translates to plain tests is checked here: tags, classes, ids,
attribute tests, descendant and child combinators, and parsel's `::attr()`.
For anything else (pseudo-classes, sibling combinators, `::text`,
namespaces) `Group.indexed` is False and the caller runs the XPath. Each test
is the one cssselect's HTML translation makes: classes split on XML's four
spaces only, tag and attribute names in lower case, values compared exactly.
"""

from __future__ import annotations

import re

from cssselect import parser as css
from lxml import etree

# What XPath's normalize-space() (the translation of `.class`) splits on; U+00A0 is not among them.
XML_SPACE = re.compile(r"[ \t\r\n]+")
_SAFE_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_.-]*$")
_NO_SPACE = re.compile(r"^[^ \t\r\n\f]+$")
_OPERATORS = {"exists", "=", "~=", "|=", "^=", "$=", "*=", "!="}


def _attribute_test(value: str | None, operator: str, wanted: str | None) -> bool:
    """cssselect's translation of `[name <operator> wanted]`, on the attribute's value (None: absent)."""
    if operator == "!=":
        return (value is None or value != wanted) if wanted else (value is not None and value != wanted)
    if value is None:
        return False
    if operator == "exists":
        return True
    if operator == "=":
        return value == wanted
    if operator == "|=":
        return value == wanted or value.startswith(wanted + "-")
    if not wanted:
        return False  # `~=`, `^=`, `$=`, `*=` with an empty value never match
    if operator == "~=":
        return bool(_NO_SPACE.match(wanted)) and wanted in XML_SPACE.split(value)
    if operator == "^=":
        return value.startswith(wanted)
    if operator == "$=":
        return value.endswith(wanted)
    return wanted in value  # `*=`


def compound_matches(element, parts: list) -> bool:
    """Does `element` pass every test of one compound selector (`p#b.c[x]`, see `_compound`)?"""
    for part in parts:
        kind = type(part)
        if kind is css.Element:
            if part.element and part.element != "*" and element.tag != part.element.lower():
                return False
        elif kind is css.Class:
            value = element.get("class")
            if value is None or part.class_name not in XML_SPACE.split(value):
                return False
        elif kind is css.Hash:
            if element.get("id") != part.id:
                return False
        elif not _attribute_test(element.get(part.attrib.lower()), part.operator, part.value.value if part.value else None):
            return False
    return True


def _supported(node) -> bool:
    """Can `matches` check this parsed selector exactly?"""
    kind = type(node)
    if kind is css.CombinedSelector:
        return node.combinator in (" ", ">") and _supported(node.selector) and _supported(node.subselector)
    if kind is css.Element:
        return not node.namespace and (not node.element or node.element == "*" or bool(_SAFE_NAME.match(node.element)))
    if kind is css.Class:
        return bool(_NO_SPACE.match(node.class_name)) and _supported(node.selector)
    if kind is css.Hash:
        return _supported(node.selector)
    if kind is css.Attrib:
        return (not node.namespace and not node.flag and node.operator in _OPERATORS
                and bool(_SAFE_NAME.match(node.attrib)) and _supported(node.selector))
    return False


def _compound(node) -> list:
    """The parts of one compound selector (`p#b.c[x]`), outermost first."""
    parts = [node]
    while type(parts[-1]) in (css.Class, css.Hash, css.Attrib, css.Pseudo, css.Function, css.Negation,
                              css.Relation, css.Matching, css.SpecificityAdjustment):
        parts.append(parts[-1].selector)
    return parts


def _needs(tree) -> tuple[frozenset, frozenset, frozenset, frozenset]:
    """Tags, classes, ids and attribute names that must be in the tree for the selector to match anything.

    Only the selector's own chain is read: what sits inside `:not()`, `:has()`
    or `:is()` is not needed (or not needed for sure), so it is not listed.
    """
    tags, classes, ids, attributes = set(), set(), set(), set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if type(node) is css.CombinedSelector:
            stack += [node.selector, node.subselector]
            continue
        for part in _compound(node):
            if type(part) is css.Element and part.element and part.element != "*" and not part.namespace:
                tags.add(part.element.lower())  # as the HTML translator writes it, and the parser stores it
            elif type(part) is css.Class:
                classes.add(part.class_name)
            elif type(part) is css.Hash:
                ids.add(part.id)
            elif type(part) is css.Attrib and not part.namespace and part.operator != "!=":
                attributes.add(part.attrib.lower())  # `[a!=b]` also matches where `a` is missing
    return frozenset(tags), frozenset(classes), frozenset(ids), frozenset(attributes)


def _chain(tree) -> list[tuple[str | None, list]]:
    """`A B > C` as [(None, A), (" ", B), (">", C)]: compounds left to right, each with the combinator before it."""
    steps = []
    while type(tree) is css.CombinedSelector:
        steps.append((tree.combinator, _compound(tree.subselector)))
        tree = tree.selector
    steps.append((None, _compound(tree)))
    return steps[::-1]


def _listed_by(parts: list) -> tuple | None:
    """Which index lists every element a compound can match: a class of it, else an attribute it tests."""
    classes = [p.class_name for p in parts if type(p) is css.Class]
    if classes:
        return ("class", classes)
    for part in parts:
        if type(part) is css.Hash:
            return ("value", ("id", part.id))
        if type(part) is css.Attrib and part.operator == "=":
            return ("value", (part.attrib.lower(), part.value.value))
    for part in parts:
        if type(part) is css.Attrib and part.operator != "!=":  # `[a!=b]` also matches where `a` is missing
            return ("attribute", part.attrib.lower())
    return None


def _given(part, listed_by: tuple | None) -> bool:
    """Does every element listed by `listed_by` pass the test `part`?"""
    if type(part) is css.Element:
        return not part.element or part.element == "*" or listed_by is None  # listed by this tag
    if listed_by is None:
        return False
    kind, key = listed_by
    if type(part) is css.Class:
        return kind == "class" and key == [part.class_name]
    if type(part) is css.Hash:
        return kind == "value" and key == ("id", part.id)
    if type(part) is css.Attrib and part.operator == "=":
        return kind == "value" and key == (part.attrib.lower(), part.value.value)
    return type(part) is css.Attrib and part.operator == "exists" and kind == "attribute" and key == part.attrib.lower()


def _tag(parts: list) -> str | None:
    element = parts[-1]
    return element.element.lower() if element.element and element.element != "*" else None


def _listed(index, listed_by: tuple) -> list:
    kind, key = listed_by
    if kind == "class":
        return index.by_class[key[0]] if len(key) == 1 else min((index.by_class[name] for name in key), key=len)
    if kind == "value":
        return index.with_value(*key)
    return index.with_attribute(key)


class Group:
    """One comma-separated group of a selector: what it needs, and its matches in an `Index`.

    Matches are found left to right: the first compound's from the index,
    then each next compound's among the children or descendants of the
    last ones (from the index again where the compound has a class or an
    attribute test, else by walking under them).
    """

    def __init__(self, parsed: css.Selector):
        tree = parsed.parsed_tree
        self.needs = _needs(tree)
        pseudo = parsed.pseudo_element
        # parsel's `::attr(name)`: the values of that attribute of the matches.
        self.attribute = None
        if isinstance(pseudo, css.FunctionalPseudoElement) and pseudo.name == "attr" \
                and pseudo.argument_types() in (["STRING"], ["IDENT"]):
            self.attribute = pseudo.arguments[0].value
        self._chain = _chain(tree) if _supported(tree) else []
        self.single = len(self._chain) == 1
        first = self._chain[0][1] if self._chain else []
        self._listed_by = _listed_by(first) if first else None
        self.indexed = bool(first) and (pseudo is None or self.attribute is not None) \
            and (self._listed_by is not None or _tag(first) is not None)
        # The first compound's tests that its candidates do not pass by being listed.
        self._first_tests = [p for p in first if not _given(p, self._listed_by)]
        # Each next compound with how its candidates are found, worked out once here, not per page.
        self._steps = [(combinator, parts, _listed_by(parts), _tag(parts)) for combinator, parts in self._chain[1:]]

    def find(self, index, context) -> list:
        """The group's matches in the indexed tree under `context` (itself included), in document order.

        As in the XPath, every compound of the chain matches under `context`.
        """
        parts = self._first_tests
        candidates = _listed(index, self._listed_by) if self._listed_by else index.with_tag(_tag(self._chain[0][1]))
        found = [element for element in candidates if compound_matches(element, parts)] if parts else candidates
        if context is not index.root:
            found = index.under(context, found)
        for combinator, parts, listed_by, tag in self._steps:
            if not found:
                break
            found = self._step(index, found, combinator, parts, listed_by, tag)
        return found

    @staticmethod
    def _step(index, parents: list, combinator: str, parts: list, listed_by: tuple | None, tag: str | None) -> list:
        """Elements matching `parts` that are children (`>`) or descendants (` `) of `parents`, in document order.

        `listed_by` and `tag`: `_listed_by(parts)` and `_tag(parts)`.
        """
        inside = set(parents)
        if listed_by:
            if combinator == ">":
                return [e for e in _listed(index, listed_by) if e.getparent() in inside and compound_matches(e, parts)]
            return [e for e in _listed(index, listed_by)
                    if compound_matches(e, parts) and any(a in inside for a in e.iterancestors())]
        found, seen = [], set()
        for parent in parents:
            if combinator == ">":
                below = parent.iterchildren(tag) if tag else parent.iterchildren(etree.Element)
            elif any(a in inside for a in parent.iterancestors()):
                continue  # under an earlier parent: its descendants are listed already
            else:
                below = parent.iterdescendants(tag) if tag else parent.iterdescendants(etree.Element)
            for element in below:
                if element not in seen and compound_matches(element, parts):
                    seen.add(element)
                    found.append(element)
        return index.in_order(found) if combinator == ">" and len(parents) > 1 else found
