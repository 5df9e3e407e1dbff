"""The text of lexbor trees as site layouts read it: paragraphs, one-line texts, boxes removed.

The same reading as analysis/html.py's walkers on lxml (the same block and
skipped tags, `<br>` as a space, comments ignored), so a page gives the
same paragraphs on either engine (tests/test_dom.py compares them). Boxes a
layout drops are read as removed without copying the body where that is
the same thing, and removed from a copy (`without`) where it is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from selectolax.lexbor import LexborNode

from .dom import COMMENT, TEXT, css_list, elements, is_chained
from .html import BLOCK_TAGS, ONE_PARAGRAPH_TAGS, SKIP_TAGS
from .text import clean_space

_BLOCKS = ", ".join(sorted(BLOCK_TAGS))


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
    """Is there a block element below `node` (not in a dropped box)?"""
    for child in node.iter():
        if not child.is_element_node or (dropped and child in dropped):
            continue
        if child.tag in BLOCK_TAGS:
            return True
        if (_has_block_below(child, dropped) if dropped else child.css_first(_BLOCKS) is not None):
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
            if tag in ONE_PARAGRAPH_TAGS or not _has_block_below(child, dropped):
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
    ones apart. None where removing them in turn could change what a later one matches: a sibling
    selector (`A ~ B`, `A + B`) or a pseudo-class (`p:last-child`) after the first."""
    if any(mark in css for css in drop_css[1:] for mark in "~+:"):
        return None
    chained = tuple(css for css in drop_css if is_chained(css))
    return ", ".join(css for css in drop_css if css not in chained), chained


def dropped_under(node: LexborNode, drop_css: Iterable[str]) -> set | None:
    """The elements below `node` that `drop_css` removes, or None where only removing them in turn tells."""
    plan = _drop_plan(tuple(drop_css))
    if plan is None:
        return None
    plain, chained = plan
    found = set(css_list(node, plain)) if plain else set()
    for css in chained:
        found.update(elements(node, css))
    found.discard(node)
    return found


def without(node: LexborNode, drop_css: Iterable[str]) -> LexborNode:
    """A detached copy of `node` with every element matching `drop_css` removed (in that order)."""
    clone = node.clone()
    for css in drop_css:
        # Innermost first: removing a box frees what it holds.
        for match in reversed(elements(clone, css)):
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
    for node in reversed(elements(root, css)):
        if node != root:
            node.unwrap()
