"""Site pages as lexbor trees: parsing and CSS selection, read as parsel reads it.

A site layout asks a page for a few dozen selectors and a dozen texts. On
lxml that cost a parse, a Python-built index of the tree and a Python
selector engine on top; lexbor (through selectolax) parses these pages
faster and answers CSS selectors in C, so the site parsers run about 1.6x
as fast (benchmarks/extract_speed.py). The generic extractor and listing
discovery stay on lxml (analysis/html.py), whose tree their rules are tuned
on; dom_text.py reads the text of lexbor trees.

What the layouts were written against is kept: `select_in(node, css)`
answers as parsel's `node.css(css)` does (tests/test_dom.py compares them):
the node itself can match, every step of a chained selector (`div.box a`)
starts within the node, an element two groups match is listed once, and
parsel's `::text` and `::attr(name)` give strings. Where lexbor reads a
selector otherwise it says so: cssselect's `[a!=b]` is an error, and the
values of `type` match whatever their case, as the HTML standard has it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

TEXT = "-text"
COMMENT = "-comment"
# Elements whose content is one text (it never holds elements).
_RAW_TEXT = {"script", "style", "textarea", "title"}
_PSEUDO = re.compile(r"::(?:(text)|attr\(\s*['\"]?([^'\")\s]+)['\"]?\s*\))\s*$")


class Matches(list):
    """A selector's matches, with parsel's `get()` / `getall()` for `::text` and `::attr()` strings."""

    def get(self, default=None):
        return self[0] if self else default

    def getall(self) -> list:
        return list(self)


def parse_document(html: str) -> LexborHTMLParser:
    """The page's lexbor tree; NUL characters are dropped first, as the lxml path drops them."""
    return LexborHTMLParser((html or "").replace("\x00", "") or "<html></html>")


def attr(node: LexborNode, name: str, default: str = "") -> str:
    """An attribute's value; `""` for one written without a value (as lxml reads it)."""
    attributes = node.attributes
    if name not in attributes:
        return default
    value = attributes[name]
    return "" if value is None else value


# --- selectors --------------------------------------------------------------------


_ESCAPE = re.compile(r"\\(?:[0-9a-fA-F]{1,6}[ \t\r\n\f]?|.)", re.DOTALL)


def _units(css: str) -> Iterator[tuple[str, bool]]:
    """Each character of `css`, an escape (`\\a0 `, `\\"`) as one unit, with whether it stands
    outside brackets, parentheses and quotes (where commas and combinators mean something)."""
    depth, quote, position = 0, "", 0
    while position < len(css):
        if css[position] == "\\":
            escape = _ESCAPE.match(css, position)
            end = escape.end() if escape else position + 1
            yield css[position:end], False
            position = end
            continue
        char, top = css[position], False
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        else:
            top = depth == 0
        yield char, top
        position += 1


def _split(css: str, separators: str) -> list[str]:
    """`css` split on any of `separators` that stands outside brackets, parentheses and quotes."""
    parts = [""]
    for unit, top in _units(css):
        if top and unit in separators:
            parts.append("")
        else:
            parts[-1] += unit
    return parts


def _steps(group: str) -> list[tuple[str, str]]:
    """`div.a > p ~ b` as [(" ", "div.a"), (">", "p"), ("~", "b")]: each compound with the combinator before it."""
    steps, combinator, compound = [], " ", ""
    for unit, top in _units(group.strip() + " "):
        if top and (unit.isspace() or unit in ">+~"):
            if compound:
                steps.append((combinator, compound))
                compound, combinator = "", " "
            if unit in ">+~":
                combinator = unit
        else:
            compound += unit
    return steps


def _following(node: LexborNode) -> Iterator[LexborNode]:
    """The elements after `node` among its siblings."""
    node = node.next
    while node is not None:
        if node.is_element_node:
            yield node
        node = node.next


def _scoped(context: LexborNode, steps: list[tuple[str, str]]) -> set[LexborNode]:
    """Matches of a chain of compounds whose first step lies within `context` (parsel's XPath reading),
    found left to right; each element is looked at once per step, however many steps lead to it."""
    found = css_list(context, steps[0][1])
    for combinator, compound in steps[1:]:
        after: dict = {}  # in the order found, each once
        if combinator == " ":
            anchors = set(found)
            for node in found:
                if any(above in anchors for above in ancestors(node)):
                    continue  # under an earlier anchor: its descendants are read already
                after.update((match, None) for match in css_list(node, compound) if match != node)
        elif combinator == ">":
            for node in found:
                after.update((child, None) for child in node.iter() if child.is_element_node and child.css_matches(compound))
        elif combinator == "~":
            scanned: set = set()
            for node in found:
                for sibling in _following(node):
                    if sibling in scanned:
                        break  # the rest was read from an earlier sibling
                    scanned.add(sibling)
                    if sibling.css_matches(compound):
                        after[sibling] = None
        else:
            for node in found:
                sibling = next(_following(node), None)
                if sibling is not None and sibling.css_matches(compound):
                    after[sibling] = None
        found = list(after)
    return set(found)


class _Compiled:
    """What one selector string says, worked out once: its elements' selector, its pseudo-element,
    and, where a group is a chain (`div.box a`), each group's steps."""

    def __init__(self, css: str):
        groups = _split(css, ",")
        pseudos = {found.groups() if (found := _PSEUDO.search(group)) else None for group in groups}
        if len(pseudos) > 1:
            raise ValueError(f"{css!r}: every group of a selector must end in the same pseudo-element, or none")
        self.pseudo = pseudos.pop()
        if self.pseudo is not None:
            groups = [_PSEUDO.sub("", group).strip() or "*" for group in groups]
        self.elements = ",".join(groups) if self.pseudo is not None else css
        self.grouped = len(groups) > 1
        chains = [_steps(group) for group in groups]
        self.chains = chains if any(len(steps) > 1 for steps in chains) else None
        # What a chain's matches must be, whatever stands before: lexbor finds these in one linear pass,
        # where a chain with a sibling step (`~`, `+`) it matches right to left, in time that grows
        # with the square of the siblings.
        self.last = ",".join(steps[-1][1] for steps in chains) if self.chains else self.elements
        self.sideways = any(combinator in "~+" for steps in chains for combinator, _ in steps[1:])


@lru_cache(maxsize=None)
def _compiled(css: str) -> _Compiled:
    return _Compiled(css)


def css_list(node, css: str) -> list[LexborNode]:
    """lexbor's own matches of `css` (a selector list) under `node`, itself included; no parsel reading."""
    try:
        return node.css(css)
    except SelectolaxError as error:  # `[a!=b]` and other cssselect extensions
        raise ValueError(f"lexbor cannot read the selector {css!r}") from error


def _found(node, compiled: _Compiled) -> list[LexborNode]:
    """lexbor's matches, an element that two groups of the selector match listed once."""
    found = css_list(node, compiled.elements)
    return list(dict.fromkeys(found)) if compiled.grouped and len(found) > 1 else found


def ancestors(node: LexborNode) -> Iterator[LexborNode]:
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def elements(context: LexborNode, css: str) -> list[LexborNode]:
    """Elements under `context` (itself included) matching `css`, in document order."""
    return _within(context, _compiled(css))


def is_chained(css: str) -> bool:
    """Does a group of `css` have more than one step (`div.box a`)?"""
    return _compiled(css).chains is not None


def _within(context: LexborNode, compiled: _Compiled) -> list[LexborNode]:
    """lexbor matches a selector's first steps anywhere above the context too (`div.box a` from
    inside a `div.box`); parsel does not, so a chained selector's matches are kept only where the
    whole chain starts within the context. A sibling step from the context itself leads out of it
    (`.box ~ p` asked of the `.box`), as in parsel: those are found in the page."""
    if compiled.chains is None:
        return _found(context, compiled)
    if not compiled.sideways:
        found = _found(context, compiled)  # descendant and child steps: lexbor's pass is linear
        if not found:
            return found
        within = set().union(*(_scoped(context, steps) for steps in compiled.chains))
        return [node for node in found if node in within]
    within = set().union(*(_scoped(context, steps) for steps in compiled.chains))
    if not within:
        return []
    outward = context.parent is not None
    candidates = css_list(context.parser.root if outward else context, compiled.last)
    return [node for node in dict.fromkeys(candidates) if node in within]


def _texts(found: list[LexborNode]) -> list[str]:
    """The text nodes of the matches (parsel's `::text`), in page order where one match holds another."""
    matched = set(found)
    if len(found) < 2 or all(node.tag in _RAW_TEXT for node in found) \
            or not any(above in matched for node in found for above in ancestors(node)):
        return [child.text_content for node in found for child in node.iter(include_text=True) if child.tag == TEXT]
    outermost = [node for node in found if not any(above in matched for above in ancestors(node))]
    return [text.text_content for node in outermost for text in node.traverse(include_text=True)
            if text.tag == TEXT and text.parent in matched]


def _select(css: str, find) -> Matches:
    """`css` as parsel reads it, its elements found by `find(compiled)`: elements, or strings for
    `::text` / `::attr(name)`. Every group of a selector must end in the same pseudo-element (or none)."""
    compiled = _compiled(css)
    found = find(compiled)
    if compiled.pseudo is None:
        return Matches(found)
    text, name = compiled.pseudo
    if text:
        return Matches(_texts(found))
    return Matches(value for value in (attr(node, name, None) for node in found) if value is not None)


def select_in(context: LexborNode, css: str) -> Matches:
    """`css` under `context` (itself included) as parsel's `context.css(css)` reads it."""
    return _select(css, lambda compiled: _within(context, compiled))


def select(tree: LexborHTMLParser, css: str) -> Matches:
    """`css` in the whole page."""
    return _select(css, lambda compiled: _within(tree.root, compiled) if compiled.sideways else _found(tree, compiled))
