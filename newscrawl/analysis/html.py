"""HTML to paragraphs on lxml trees (the generic extractor's), and the JSON-LD readers.

A body container holds paragraphs, crossheads, lists, tables and boxes; a
paragraph is any block element's text, and inline runs between blocks (text
split only by `<br>`) count as paragraphs too. The block and skipped tags
are the facts both walkers share: this one on lxml, analysis/dom.py's on the
lexbor trees site layouts read.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Iterable, Iterator

from lxml import etree
from parsel import Selector

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
# Blocks whose whole text is one paragraph, whatever blocks they hold.
ONE_PARAGRAPH_TAGS = {"p", "li", "dt", "dd", "pre", "address", "summary"} | HEADINGS


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


def inline_text(element) -> str:
    """The text of `element` on one line."""
    parts: list[str] = []
    _inline(element, parts)
    return clean_space("".join(parts))


def _inline(node, parts: list[str]) -> None:
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
        _inline(child, parts)
        tail = child.tail
        if tail:
            parts.append(tail)


def _row_text(row) -> str:
    cells = [inline_text(cell) for cell in row if _tag(cell) in ("td", "th")]
    return " | ".join(cell for cell in cells if cell)


def iter_blocks(element) -> Iterator[str]:
    """Yield the text of each paragraph-like block under `element`, in order."""
    run: list[str] = []

    def flush():
        text = clean_space("".join(run))
        run.clear()
        return text

    if element.text:
        run.append(element.text)
    for child in element:
        tag = _tag(child)
        if not tag or tag in SKIP_TAGS:
            if child.tail:
                run.append(child.tail)
            continue
        if tag == "tr":
            text = flush()
            if text:
                yield text
            row = _row_text(child)
            if row:
                yield row
        elif tag in BLOCK_TAGS:
            text = flush()
            if text:
                yield text
            if tag in ONE_PARAGRAPH_TAGS or not _has_block_child(child):
                text = inline_text(child)
                if text:
                    yield text
            else:
                yield from iter_blocks(child)
        elif tag == "br" and (following := child.getnext()) is not None and _tag(following) == "br":
            text = flush()
            if text:
                yield text
        else:
            run.append(inline_text(child) if tag != "br" else " ")
        if child.tail:
            run.append(child.tail)
    text = flush()
    if text:
        yield text


def _has_block_child(element) -> bool:
    return any(_tag(child) in BLOCK_TAGS for child in element.iter() if child is not element)


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


def text_of(selector: Selector | None) -> str:
    """The text of an lxml selector's element on one line ("" for None)."""
    return "" if selector is None else inline_text(selector.root)


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
