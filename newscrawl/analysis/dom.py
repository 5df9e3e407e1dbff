"""Site pages as lexbor trees: parsing, CSS selection and the text walkers site layouts read.

A site layout asks a page for a few dozen selectors and a dozen texts. On
lxml that cost a parse, a Python-built index of the tree and a Python
selector engine on top; lexbor (through selectolax) parses these pages
faster and answers CSS selectors in C, so the site parsers run about 1.5x
as fast (benchmarks/extract_speed.py). The generic extractor and listing
discovery stay on lxml (analysis/html.py), whose tree their rules are tuned on.

What the layouts were written against is kept:

- `select_in(node, css)` answers as parsel's `node.css(css)` does: the node
  itself can match, every step of a selector (`div.box a`) lies within the
  node, and parsel's `::text` and `::attr(name)` give strings;
- the walkers read text as analysis/html.py's do on lxml (the same block
  and skipped tags, `<br>` as a space, comments ignored, boxes in `dropped`
  read as removed), so a page gives the same paragraphs on either engine.

lexbor keeps text as nodes of their own (no lxml `tail`), so removing an
element (`node.decompose()`) leaves the text after it where it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .html import BLOCK_TAGS, HEADINGS, SKIP_TAGS
from .text import clean_space

TEXT = "-text"
COMMENT = "-comment"
# Tags whose whole text is one paragraph, whatever blocks they hold.
_ONE_PARAGRAPH = {"p", "li", "dt", "dd", "pre", "address", "summary"} | HEADINGS
_BLOCKS = ", ".join(sorted(BLOCK_TAGS))
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


def _split(css: str, separators: str) -> list[str]:
    """`css` split on any of `separators` that is not inside brackets, parentheses or quotes."""
    parts, depth, quote, start = [], 0, "", 0
    for position, char in enumerate(css):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif depth == 0 and char in separators:
            parts.append(css[start:position])
            start = position + 1
    parts.append(css[start:])
    return parts


def _steps(group: str) -> list[tuple[str, str]]:
    """`div.a > p ~ b` as [(" ", "div.a"), (">", "p"), ("~", "b")]: each compound with the combinator before it."""
    steps, combinator, compound, depth, quote = [], " ", "", 0, ""
    for char in group.strip() + " ":
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif depth == 0 and (char.isspace() or char in ">+~"):
            if compound:
                steps.append((combinator, compound))
                compound, combinator = "", " "
            if char in ">+~":
                combinator = char
            continue
        compound += char
    return steps


def _following(node: LexborNode) -> Iterator[LexborNode]:
    """The elements after `node` among its siblings."""
    node = node.next
    while node is not None:
        if node.is_element_node:
            yield node
        node = node.next


def _scoped(context: LexborNode, steps: list[tuple[str, str]]) -> list[LexborNode]:
    """Matches of a chain of compounds whose every step lies within `context` (parsel's XPath reading)."""
    found = context.css(steps[0][1])
    for combinator, compound in steps[1:]:
        after = []
        for node in found:
            if combinator == " ":
                after += [match for match in node.css(compound) if match != node]
            elif combinator == ">":
                after += [child for child in node.iter() if child.is_element_node and child.css_matches(compound)]
            elif combinator == "~":
                after += [sibling for sibling in _following(node) if sibling.css_matches(compound)]
            else:
                sibling = next(_following(node), None)
                after += [sibling] if sibling is not None and sibling.css_matches(compound) else []
        found = after
    return found


class _Compiled:
    """What one selector string says, worked out once: its elements' selector, its pseudo-element,
    and, where a group is a chain (`div.box a`), each group's steps."""

    def __init__(self, css: str):
        groups = _split(css, ",")
        pseudos = {found.groups() if (found := _PSEUDO.search(group)) else None for group in groups}
        if len(pseudos) > 1:
            raise ValueError(f"mixed pseudo-elements in one selector: {css!r}")
        self.pseudo = pseudos.pop()
        if self.pseudo is not None:
            groups = [_PSEUDO.sub("", group).strip() or "*" for group in groups]
        self.elements = ",".join(groups) if self.pseudo is not None else css
        chains = [_steps(group) for group in groups]
        self.chains = chains if any(len(steps) > 1 for steps in chains) else None


@lru_cache(maxsize=None)
def _compiled(css: str) -> _Compiled:
    return _Compiled(css)


def _elements(context: LexborNode, css: str) -> list[LexborNode]:
    """Elements under `context` (itself included) matching `css`, in document order.

    lexbor matches a selector's first steps anywhere above the context too
    (`div.box a` from inside a `div.box`); parsel does not, so a chained
    selector's matches are kept only where the whole chain lies within it.
    """
    return _within(context, _compiled(css))


def _within(context: LexborNode, compiled: _Compiled) -> list[LexborNode]:
    found = context.css(compiled.elements)
    if not found or compiled.chains is None:
        return found
    within = {node for steps in compiled.chains for node in _scoped(context, steps)}
    return [node for node in found if node in within]


def _select(css: str, elements) -> Matches:
    """`css` as parsel reads it, its elements found by `elements(compiled)`: elements, or strings for
    `::text` / `::attr(name)`. Every group of a selector must end in the same pseudo-element (or none)."""
    compiled = _compiled(css)
    found = elements(compiled)
    if compiled.pseudo is None:
        return Matches(found)
    text, name = compiled.pseudo
    if text:
        return Matches(child.text_content for node in found for child in node.iter(include_text=True) if child.tag == TEXT)
    return Matches(value for value in (attr(node, name, None) for node in found) if value is not None)


def select_in(context: LexborNode, css: str) -> Matches:
    """`css` under `context` (itself included) as parsel's `context.css(css)` reads it."""
    return _select(css, lambda compiled: _within(context, compiled))


def select(tree: LexborHTMLParser, css: str) -> Matches:
    """`css` in the whole page (where lexbor's reading and parsel's agree)."""
    return _select(css, lambda compiled: tree.css(compiled.elements))


# --- text -----------------------------------------------------------------------


def _inline(node: LexborNode, parts: list[str], dropped) -> None:
    tag = node.tag
    if tag in SKIP_TAGS:
        return
    if tag == "br":
        parts.append(" ")
    for child in node.iter(include_text=True):
        kind = child.tag
        if kind == TEXT:
            parts.append(child.text_content)
        elif kind != COMMENT and not (dropped and child in dropped):
            _inline(child, parts, dropped)


def inline_text(node: LexborNode, dropped=frozenset()) -> str:
    """The text of `node` on one line; what is in `dropped` counts as removed."""
    parts: list[str] = []
    _inline(node, parts, dropped)
    return clean_space("".join(parts))


def node_text(match) -> str:
    """The text of a match: an element's on one line, or a `::text` / `::attr()` string cleaned."""
    return clean_space(match) if isinstance(match, str) else inline_text(match)


def text_of(node: LexborNode | None) -> str:
    return "" if node is None else inline_text(node)


def _has_block_below(node: LexborNode, dropped) -> bool:
    for child in node.iter():
        if dropped and child in dropped:
            continue
        if child.tag in BLOCK_TAGS:
            return True
        if child.is_element_node and (child.css_first(_BLOCKS) is not None if not dropped else _has_block_below(child, dropped)):
            return True
    return False


def _next_element(node: LexborNode, dropped) -> LexborNode | None:
    """The next sibling that is not text (a comment counts, as lxml's `getnext()` has it) and not dropped."""
    node = node.next
    while node is not None and (node.tag == TEXT or (dropped and node in dropped)):
        node = node.next
    return node


def _row_text(row: LexborNode, dropped) -> str:
    cells = [inline_text(cell, dropped) for cell in row.iter() if cell.tag in ("td", "th") and not (dropped and cell in dropped)]
    return " | ".join(cell for cell in cells if cell)


def iter_blocks(element: LexborNode, dropped=frozenset()) -> Iterator[str]:
    """Yield the text of each paragraph-like block under `element`, in order (analysis/html.py's `iter_blocks`)."""
    run: list[str] = []

    def flush() -> str:
        text = clean_space("".join(run))
        run.clear()
        return text

    for child in element.iter(include_text=True):
        tag = child.tag
        if tag == TEXT:
            run.append(child.text_content)
            continue
        if tag == COMMENT or tag in SKIP_TAGS or (dropped and child in dropped):
            continue
        if tag == "tr":
            text = flush()
            if text:
                yield text
            row = _row_text(child, dropped)
            if row:
                yield row
        elif tag in BLOCK_TAGS:
            text = flush()
            if text:
                yield text
            if tag in _ONE_PARAGRAPH or not _has_block_below(child, dropped):
                text = inline_text(child, dropped)
                if text:
                    yield text
            else:
                yield from iter_blocks(child, dropped)
        elif tag == "br":
            following = _next_element(child, dropped)
            if following is not None and following.tag == "br":
                text = flush()
                if text:
                    yield text
            else:
                run.append(" ")
        else:
            run.append(inline_text(child, dropped))
    text = flush()
    if text:
        yield text


# --- boxes removed -------------------------------------------------------------------


@lru_cache(maxsize=None)
def _drop_plan(drop_css: tuple) -> tuple[str, tuple] | None:
    """How to find a drop list's boxes at once: one selector list for the plain selectors, the chained
    ones apart; None where removing them in turn could change what a later one matches (a sibling
    selector after the first: `A ~ B`, `A + B`)."""
    if any("~" in css or "+" in css for css in drop_css[1:]):
        return None
    chained = tuple(css for css in drop_css if _compiled(css).chains is not None)
    return ", ".join(css for css in drop_css if css not in chained), chained


def dropped_under(node: LexborNode, drop_css: Iterable[str]) -> set | None:
    """The elements below `node` that `drop_css` removes, or None where only removing them in turn tells."""
    plan = _drop_plan(tuple(drop_css))
    if plan is None:
        return None
    plain, chained = plan
    found = set(node.css(plain)) if plain else set()
    for css in chained:
        found.update(_elements(node, css))
    found.discard(node)
    return found


def without(node: LexborNode, drop_css: Iterable[str]) -> LexborNode:
    """A detached copy of `node` with every element matching `drop_css` removed (in that order)."""
    clone = node.clone()
    for css in drop_css:
        # Innermost first: removing a box frees what it holds.
        for match in reversed(_elements(clone, css)):
            if match != clone:
                match.decompose()
    return clone


def paragraphs(container: LexborNode, drop_css: Iterable[str] = ()) -> list[str]:
    """Body paragraphs of `container`, boxes in `drop_css` removed first."""
    dropped = dropped_under(container, drop_css)
    if dropped is None:
        return list(iter_blocks(without(container, drop_css)))
    return list(iter_blocks(container, dropped))


def text_without(node: LexborNode, drop_css: Iterable[str]) -> str:
    """The text of `node` on one line, boxes in `drop_css` removed."""
    dropped = dropped_under(node, drop_css)
    if dropped is None:
        return text_of(without(node, drop_css))
    return inline_text(node, dropped)


def unwrap(root: LexborNode, css: str) -> None:
    """Replace each element under `root` matching `css` by what it holds (editors wrap tables in `figure`)."""
    for node in reversed(_elements(root, css)):
        if node != root:
            node.unwrap()
