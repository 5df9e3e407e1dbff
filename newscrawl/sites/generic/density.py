"""Which element holds the most running text: a Readability-style score.

Each paragraph's worth (its length and commas) is summed into its nearest
ancestors, class and id names move an element up or down, and link density
scales the total down. The body finder uses the top scorer when no known
container answers; the JSON-LD fallback ranks its candidates by it.
"""

from __future__ import annotations

import re

from ...analysis.html import BLOCK_TAGS
from .nodes import _HEADINGS, _attrs, _link_density, _tag, _text

_POSITIVE = re.compile(
    r"article|body|content|entry|hentry|main|page|post|text|blog|story|detail|chitiet|noidung|fck",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(
    r"hidden|banner|combx|comment|com-|contact|foot|footer|footnote|masthead|media|meta|outbrain|"
    r"promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|"
    r"lienquan|lien-quan|xemthem|author|byline|caption|nav|menu",
    re.IGNORECASE,
)
_PARAGRAPH_TAGS = {"p", "pre", "td", "blockquote", "li", "dd"}


def _score_candidates(root) -> dict:
    """Readability-style scores: each paragraph's worth, summed into its ancestors."""
    scores: dict = {}

    def base(node) -> float:
        tag = _tag(node)
        value = {"div": 5, "article": 10, "main": 5, "section": 3, "pre": 3, "td": 3, "blockquote": 3}.get(tag, 0)
        if tag in ("address", "ol", "ul", "dl", "dd", "dt", "li", "form"):
            value -= 3
        elif tag in _HEADINGS or tag == "th":
            value -= 5
        attrs = _attrs(node)
        if attrs:
            if _NEGATIVE.search(attrs):
                value -= 25
            if _POSITIVE.search(attrs):
                value += 25
        if node.get("itemprop") == "articleBody":
            value += 50
        return value

    for node in root.iter():
        tag = _tag(node)
        if tag in _PARAGRAPH_TAGS or (tag == "div" and not _has_block_child(node)):
            text = _text(node)
            if len(text) < 25:
                continue
            worth = 1 + len(re.findall(r"[,،、，;]", text)) + min(len(text) // 100, 3)
            for level, ancestor in enumerate(node.iterancestors()):
                if level > 4 or _tag(ancestor) in ("html", "body"):
                    break
                if ancestor not in scores:
                    scores[ancestor] = base(ancestor)
                scores[ancestor] += worth / (1 if level == 0 else 2 if level == 1 else level * 3)
    for node in list(scores):
        scores[node] *= 1 - _link_density(node)
    return scores


def _has_block_child(node) -> bool:
    return any(_tag(child) in BLOCK_TAGS for child in node.iterdescendants())


def _density_container(root):
    scores = _score_candidates(root)
    if not scores:
        return None
    top = max(scores, key=scores.get)
    # A parent that gathers several strong candidates is the real article.
    parent = top.getparent()
    if parent is not None and parent in scores and _tag(parent) not in ("html", "body"):
        strong = [n for n in parent if n in scores and scores[n] >= scores[top] * 0.3]
        if len(strong) >= 2:
            top = parent
    return _gather(top)


def _prose(node) -> tuple[int, int]:
    """(running text, all text) of an element: running text is in sentence-length blocks that are not links."""
    running = 0
    for block in node.iter(*_PARAGRAPH_TAGS, "div"):
        if _has_block_child(block):
            continue  # a layout cell or a wrapper: its paragraphs count for themselves
        text = _text(block)
        if len(text) >= 60 and _link_density(block, len(text)) < 0.4:
            running += len(text)
    return running, len(_text(node))


def _gather(top):
    """The ancestor that holds all of the story when its text is split into blocks of its own.

    Page builders (Squarespace, block editors, section modules) wrap each
    paragraph group in its own box, and some templates print the opening
    paragraphs beside the box that holds the rest; the best-scoring box is
    then one part. An ancestor is taken while what it adds is running text
    (no teaser lists, no menus, no captions), and it is not link-heavy.
    """
    running, length = _prose(top)
    node = top
    for _ in range(6):
        parent = node.getparent()
        if parent is None or _tag(parent) in ("html", "body"):
            break
        parent_running, parent_all = _prose(parent)
        added_running, added_all = parent_running - running, parent_all - length
        if added_running > 0 and added_running >= 0.7 * added_all and _link_density(parent) < 0.25:
            top, running, length = parent, parent_running, parent_all
        node = parent
    return top
