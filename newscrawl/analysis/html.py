"""HTML to paragraphs: the one walker every parser uses for body text.

A body container holds paragraphs, crossheads, lists, tables and boxes; a
paragraph is any block element's text, and inline runs between blocks (text
split only by `<br>`) count as paragraphs too. Boxes are removed by selector
before walking, so each site only says *what* to drop.
"""

from __future__ import annotations

import copy
import html as html_lib
import json
import re
from collections.abc import Iterable, Iterator

from lxml import etree
from parsel import Selector

from .css import Index, query
from .text import clean_space

BLOCK_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre",
    "div", "section", "article", "ul", "ol", "dl", "dt", "dd", "table",
    "tbody", "thead", "tfoot", "tr", "header",
    "footer", "aside", "main", "center", "address", "details", "summary",
}
SKIP_TAGS = {
    "script", "style", "noscript", "iframe", "form", "button", "select",
    "input", "textarea", "svg", "video", "audio", "object", "embed",
    "canvas", "template", "nav", "img", "picture", "source", "figure",
    "figcaption",
}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


# What parsel reads as XML, not HTML (its own test); JSON never starts with `<`.
_XML_DECLARATION = re.compile(r"[\s\ufeff]*<\?xml\s")
_MARKUP = re.compile(r"[\s\ufeff]*<")


def parse_html(text: str) -> Selector:
    """`Selector(text=text)`'s tree, built with lxml's plain element classes.

    The tree is the same (same parser, same options, same clean-up of the
    text as parsel's); only the Python objects lxml makes for its elements
    differ: `lxml.html`'s are looked up in Python, each time an element is
    visited, and cost five times as much. Text that parsel would read as XML
    or JSON goes to parsel.
    """
    if not _MARKUP.match(text) or _XML_DECLARATION.match(text):
        return Selector(text=text)
    parser = etree.HTMLParser(recover=True, encoding="utf-8", huge_tree=True)
    root = etree.fromstring(text.strip().replace("\x00", "").encode("utf-8"), parser=parser)
    if root is None:
        root = etree.fromstring(b"<html/>", parser=parser)
    return Selector(root=root, type="html")


def _tag(element) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def inline_text(element, dropped=frozenset()) -> str:
    """The text of `element` on one line; what is in `dropped` counts as removed (its tail stays)."""
    parts: list[str] = []
    _inline(element, parts, dropped)
    return clean_space("".join(parts))


def _inline(node, parts: list[str], dropped) -> None:
    tag = node.tag
    if not isinstance(tag, str):
        return
    tag = tag.lower()
    if tag in SKIP_TAGS:
        return
    if tag == "br":
        parts.append(" ")
    text = node.text
    if text:
        parts.append(text)
    for child in node:
        if child not in dropped:
            _inline(child, parts, dropped)
        tail = child.tail
        if tail:
            parts.append(tail)


def _row_text(row, dropped=frozenset()) -> str:
    cells = [inline_text(cell, dropped) for cell in row if _tag(cell) in ("td", "th") and cell not in dropped]
    return " | ".join(cell for cell in cells if cell)


def _next(node, dropped):
    """The next sibling that is not dropped."""
    node = node.getnext()
    while node is not None and node in dropped:
        node = node.getnext()
    return node


def iter_blocks(element, skip_tags: set[str] = SKIP_TAGS, dropped=frozenset()) -> Iterator[str]:
    """Yield the text of each paragraph-like block under `element`, in order.

    Elements in `dropped` count as removed as `remove_keeping_tail` removes
    them (their tails stay), so a container is read without copying it.
    """
    run: list[str] = []

    def flush():
        text = clean_space("".join(run))
        run.clear()
        return text

    if element.text:
        run.append(element.text)
    for child in element:
        tag = _tag(child)
        if not tag or tag in skip_tags or child in dropped:
            if child.tail:
                run.append(child.tail)
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
            if tag in ("p", "li", "dt", "dd", "pre", "address", "summary") or tag in HEADINGS \
                    or not _has_block_child(child, dropped):
                text = inline_text(child, dropped)
                if text:
                    yield text
            else:
                yield from iter_blocks(child, skip_tags, dropped)
        elif tag == "br" and (following := _next(child, dropped)) is not None and _tag(following) == "br":
            text = flush()
            if text:
                yield text
        else:
            run.append(inline_text(child, dropped) if tag != "br" else " ")
        if child.tail:
            run.append(child.tail)
    text = flush()
    if text:
        yield text


def _has_block_child(element, dropped=frozenset()) -> bool:
    if not dropped:
        return any(_tag(child) in BLOCK_TAGS for child in element.iter() if child is not element)
    below = [child for child in element if child not in dropped]
    while below:
        node = below.pop()
        if _tag(node) in BLOCK_TAGS:
            return True
        below.extend(child for child in node if child not in dropped)
    return False


def remove_keeping_tail(node) -> None:
    """Remove an lxml element; the text that followed it stays where it was."""
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def unwrap(root, css: str, index: Index | None = None) -> None:
    """Replace each element under `root` matching `css` by its children (editors wrap tables in `figure`).

    `index`: of the page `root` was copied from; it only rules matches out.
    """
    for node in query(css)(root, index):
        parent = node.getparent()
        if parent is None:
            continue
        position = parent.index(node)
        children = list(node)
        for offset, child in enumerate(children):
            parent.insert(position + offset, child)
        if children and node.tail:
            children[-1].tail = (children[-1].tail or "") + node.tail
            node.tail = None
        remove_keeping_tail(node)


def _counterpart(node, original, clone):
    """The element of `clone` (a deep copy of `original`) at `node`'s place in `original`."""
    path = []
    while node is not original:
        parent = node.getparent()
        path.append(parent.index(node))
        node = parent
    for position in reversed(path):
        clone = clone[position]
    return clone


def without(selector: Selector, drop_css: Iterable[str], index: Index | None = None) -> Selector:
    """A copy of `selector` with every element matching `drop_css` removed (in that order).

    `index`: of the page `selector` is part of; what it can tell of `drop_css`
    is read from it on the page, not searched for in the copy. A removal
    never changes what a later selector it can tell of matches, but for the
    elements inside what was removed (removing those again changes nothing).
    """
    drop_css = tuple(drop_css)
    original = selector.root
    clone = copy.deepcopy(original)
    found = index.matches_under(original, drop_css) if index is not None else [None] * len(drop_css)
    found = [[_counterpart(m, original, clone) for m in matches] if matches else matches for matches in found]
    for css, matches in zip(drop_css, found):
        for match in query(css)(clone, index) if matches is None else matches:
            remove_keeping_tail(match)
    return Selector(root=clone)


def dropped_under(selector: Selector, drop_css: Iterable[str], index: Index | None) -> set | None:
    """The elements below `selector` that `drop_css` removes, read from `index`; None where it cannot tell."""
    if index is None or isinstance(selector.root, str):
        return None
    found = index.matches_under(selector.root, tuple(drop_css))
    if any(matches is None for matches in found):
        return None
    return {match for matches in found for match in matches if match is not selector.root}


def paragraphs(container: Selector, drop_css: Iterable[str] = (), index: Index | None = None) -> list[str]:
    """Body paragraphs of `container`, boxes in `drop_css` removed first (`index`: as for `without`)."""
    dropped = dropped_under(container, drop_css, index)
    if dropped is None:
        return list(iter_blocks(without(container, drop_css, index).root))
    return list(iter_blocks(container.root, dropped=dropped))


def text_without(selector: Selector, drop_css: Iterable[str], index: Index | None = None) -> str:
    """`text_of(without(selector, drop_css, index))`, without the copy where `index` tells what goes."""
    dropped = dropped_under(selector, drop_css, index)
    if dropped is None:
        return text_of(without(selector, drop_css, index))
    return inline_text(selector.root, dropped)


def node_text(node) -> str:
    """The text of a match: an element's on one line, or a `::text` / `::attr()` string cleaned."""
    return clean_space(node) if isinstance(node, str) else inline_text(node)


def text_of(selector: Selector | None) -> str:
    return "" if selector is None else node_text(selector.root)


def ld_objects(texts: Iterable[str]) -> list[dict]:
    """Every JSON-LD object in the texts of a page's `<script type="application/ld+json">`, `@graph` members flattened.

    Malformed blocks (trailing commas, raw newlines in strings, which real
    sites ship) are repaired where that is cheap and skipped otherwise.
    """
    found: list[dict] = []
    for raw in texts:
        data = _loads_lenient(raw)
        stack = data if isinstance(data, list) else [data]
        while stack:
            obj = stack.pop(0)
            if isinstance(obj, list):
                stack.extend(obj)
            elif isinstance(obj, dict):
                if "@graph" in obj:
                    stack.extend(obj["@graph"] if isinstance(obj["@graph"], list) else [obj["@graph"]])
                found.append(obj)
    return found


def _loads_lenient(raw: str):
    raw = raw.strip().rstrip(";")
    for attempt in (raw, re.sub(r",\s*([}\]])", r"\1", raw.replace("\n", " ").replace("\r", " ").replace("\t", " "))):
        try:
            return json.loads(attempt)
        except (ValueError, TypeError):
            continue
    return None


def ld_text(value) -> str:
    """A JSON-LD value that may be a string, a list, or `{"name": ...}`."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name") or value.get("@id") or ""
    return clean_space(html_lib.unescape(str(value))) if value else ""


def ld_names(value) -> list[str]:
    """Author-like JSON-LD values as a list of names."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str):
            names.extend(part for part in re.split(r"\s*[,;]\s*|\s+-\s+", clean_space(html_lib.unescape(name))) if part)
    return names
