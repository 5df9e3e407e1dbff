"""Related headlines: "related" boxes found by class, id or heading, and their links.

The body finder reuses `_links_of` for the `Xem thêm: <headline>` lines it
takes out of the text.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ...analysis.text import clean_space, strip_separators
from ...analysis.urls import canonical_url
from ..html_page import HtmlPage
from .nodes import _HEADINGS, _INLINE, _RELATED_CLASS, _attrs, _is_ancestor, _link_density, _norm, _tag, _text_length

# Box headings that say "related".
RELATED_HEADING = re.compile(
    r"^(tin|bai|bai viet|tin tuc)? ?lien quan|^related|^read more|^read also|^more (on|from|about)|"
    r"^xem them|^doc them|^tin cung chuyen muc|^cung chuyen muc|^see also|^you (may|might) also|"
    r"^further reading|^also read|^recommended"
)
_NOT_ARTICLE_PATH = re.compile(r"/(tags?|topics?|category|categories|chu-de|tu-khoa|author|tac-gia|search)(/|$)", re.I)


def _short_text(node, limit: int) -> str:
    """The element's text if it is at most about `limit` characters, else "" (long text is not read whole)."""
    parts, size = [], 0
    for piece in node.itertext():
        parts.append(piece)
        size += len(piece)
        if size > 2 * limit:
            return ""
    return clean_space("".join(parts))


def _related_boxes(root) -> list:
    """Elements that are 'related' boxes: by class / id, or by their heading's text."""
    boxes = []
    for node in root.iter():
        tag = _tag(node)
        if not tag or tag in ("html", "body", "a", "script", "style", "meta", "link"):
            continue
        attrs = _attrs(node)
        if attrs and _RELATED_CLASS.search(attrs) and node.find(".//a") is not None:
            boxes.append(node)
            continue
        if tag in _HEADINGS or tag in ("div", "span", "strong", "p", "b", "header", "label"):
            if any(_tag(child) not in _INLINE for child in node):
                continue  # a heading carries its text itself
            own = _short_text(node, 60)
            if 3 <= len(own) <= 40 and RELATED_HEADING.search(_norm(own)) and node.find(".//a") is None:
                box = node.getparent()
                # Climb until the box holds links besides the heading.
                for _ in range(3):
                    if box is None or box.find(".//a") is not None:
                        break
                    box = box.getparent()
                if box is None or _tag(box) in ("body", "html"):
                    continue
                length = _text_length(box)
                if length < 5000 and _link_density(box, length) >= 0.3:
                    boxes.append(box)
    # Keep outermost boxes only.
    chosen = []
    for box in boxes:
        if not any(other is not box and _is_ancestor(other, box) for other in boxes):
            if box not in chosen:
                chosen.append(box)
    return chosen


def _links_of(nodes, page: HtmlPage) -> list[dict]:
    out, seen = [], {canonical_url(page.url)}
    for node in nodes:
        anchors = [node] if _tag(node) == "a" else node.iter("a")
        for anchor in anchors:
            href = (anchor.get("href") or "").strip()
            if not href or href.startswith(("javascript:", "#", "mailto:", "tel:")):
                continue
            headline = strip_separators(anchor.get("title") or clean_space("".join(anchor.itertext())))
            if len(headline) < 15 or RELATED_HEADING.search(_norm(headline)):
                continue
            url = canonical_url(href, base=page.url)
            path = urlsplit(url).path
            if not url.startswith("http") or url in seen or path in ("", "/") or _NOT_ARTICLE_PATH.search(path):
                continue
            seen.add(url)
            out.append({"url": url, "headline": headline})
    return out
