"""The article body of any page, in order of trust; the parser field says which answered.

- `generic/itemprop`: an `itemprop="articleBody"` container;
- `generic/container`: a container that common CMSs use for the article text
  (`div.entry-content`, `article.fck_detail`, `div.detail-content`, ...);
- `generic/jsonld`: the container whose text matches JSON-LD `articleBody`,
  or that text itself when no container matches (fallbacks.py);
- `generic/density`: the element that holds the most running text (density.py);
- `generic/trafilatura`: trafilatura's extraction, when none of the above finds
  a body of a credible size (`MIN_BODY`) and trafilatura finds more (fallbacks.py).

Page chrome is removed first and the chosen container is cleaned (chrome.py);
a closing byline and a bold opening lead are taken out of the text on the way.
"""

from __future__ import annotations

import re

from lxml import etree

from ...analysis.css import matches
from ...analysis.html import ld_text, remove_keeping_tail
from ...analysis.text import clean_space, fold
from ..html_page import HtmlPage
from .chrome import _POINTER_LINE, _clean_container, _filter_paragraphs, _prune
from .density import _density_container, _gather
from .fallbacks import _ld_paragraphs, _match_ld, _trafilatura_paragraphs
from .nodes import _INLINE, _VIETNAMESE, _blocks, _is_ancestor, _is_in, _norm, _select, _tag, _text, _text_length
from .related import _links_of

# Containers that common CMSs use for the article text (tried in order).
CONTAINER_CSS = (
    "article.fck_detail", "div.fck_detail", "div#content_detail_news", "div.detail-content",
    "div.detail__content", "div.article__body", "div.article-body", "div.article__content",
    "div.article-content", "div.content-detail", "div.maincontent", "div.main-content-detail",
    "div.entry-content", "div.post-content", "div.td-post-content", "div.post-body",
    "div.story-body", "div.story__body", "div.news-content", "div.detail-content-body",
    "div.single-content", "div.content-news", "section.article-body", "div.body-content",
    "div[data-field='body']", "div#main-detail", "div.cms-body", "div.contentdetail",
    "main#article-editor",
)

_ANY_CONTAINER = ", ".join(CONTAINER_CSS)

# A short name: two to five words without digits (a closing byline).
_NAME = re.compile(r"^[^\W\d_][^\s\d]*(?: [^\W\d_][^\s\d]*){1,4}$")

# The text of every paragraph on the page.
_PARAGRAPH_TEXT = etree.XPath("//p//text()")

# Captions, by tag (a `<caption>` outside a table is a slide's), by class or by schema.org property.
_CAPTION_NODES = etree.XPath(
    "//figcaption | //caption[not(ancestor::table)] | //*[contains(@class, 'caption')]"
    " | //*[@itemprop][contains(concat(' ', normalize-space(@itemprop), ' '), ' caption ')]"
)

# A body is credible from this many characters on.
MIN_BODY = 250


# A caption's closing credit: "Image credit: www.apple.com", "Photo: AP", "Ảnh: Ngọc Hà".
# It follows the caption's last sentence, and is one name or address (dots only inside words).
_CAPTION_CREDIT = re.compile(
    r"(?:^|(?<=[.!?”\"»)]))\s*[(\[]?(image|photo|picture|foto|bild|ảnh)( credits?)?\s*:\s*(?:[^.!?:]|\.(?=\S)){1,80}[)\]]?$",
    re.IGNORECASE,
)


def _captions(root) -> list[str]:
    """Captions long enough to tell a story (a photo story's text), once each, in page order, credits left out."""
    texts = []
    for node in _CAPTION_NODES(root):
        text = clean_space(" ".join(node.itertext()))  # the visible-text reader skips captions by design
        text = _CAPTION_CREDIT.sub("", text)
        if len(text) >= 80 and not any(text in other or other in text for other in texts):
            texts.append(text)
    return texts


def _joined(containers: list):
    """The story's container; a body the page splits into several (around a picture, an ad) is joined.

    Disjoint containers of a credible size (a fifth of the largest at least)
    are moved, in page order, into one element in place of the first.
    """
    largest = max(containers, key=_text_length)
    floor = max(MIN_BODY, 0.2 * _text_length(largest))
    parts = [n for n in containers if not any(_is_ancestor(o, n) for o in containers if o is not n)]
    parts = [n for n in parts if _text_length(n) >= floor]
    if len(parts) < 2:
        return largest
    joined = etree.Element("div")
    parts[0].addprevious(joined)
    for part in parts:
        part.tail = None
        joined.append(part)
    return joined


def _pointer_links(container, page: HtmlPage) -> list[dict]:
    """`Xem thêm: <a>headline</a>` lines inside the body are related links."""
    found = []
    for node in container.iter("p", "div", "li", "strong", "b", "em"):
        text = fold(_text(node))
        if _POINTER_LINE.match(text) and node.find(".//a") is not None:
            found.append(node)
    return _links_of(found, page)


class _Body:
    """Finds the body; remembers which method answered."""

    def __init__(self, page: HtmlPage, html: str, title: str, title_node, summary: str, lead_node, authors, meta):
        self.page, self.html = page, html
        self.title, self.title_node = title, title_node
        self.summary, self.lead_node = summary, lead_node
        self.authors, self.meta = authors, meta
        self.pointer_links: list[dict] = []
        self.lead_in_text = False
        self.bold_lead = ""

    def _strong_containers(self) -> tuple[list, str]:
        root = self.page.sel.root
        found = root.xpath('//*[@itemprop="articleBody"]')
        if found:
            return found, "itemprop"
        hits = _select(root, _ANY_CONTAINER)  # one search; then which selector comes first
        for css in CONTAINER_CSS:
            found = [hit for hit in hits if matches(hit, css)]
            if found:
                return found, "container"
        return [], ""

    def _paragraphs(self, container) -> list[str]:
        self.pointer_links = _pointer_links(container, self.page)
        _clean_container(container)
        self._take_signature(container)
        first = next((n for n in container.iter("p") if _text(n)), None)
        if first is not None and len(first) and not (first.text or "").strip() and all(
            _tag(c) in ("b", "strong") and not (c.tail or "").strip() for c in first
        ) and 60 <= len(_text(first)) <= 800 and _VIETNAMESE.search(_text(first)):
            # The Vietnamese press prints its sapo as a bold opening paragraph, and the
            # project keeps the sapo as the summary (as the site modules do); elsewhere a
            # bold opening is the story's first paragraph and stays in the body.
            self.bold_lead = _text(first)
        lead = self.summary if self.lead_node is not None and not self.lead_in_text else ""
        return _filter_paragraphs(_blocks(container), self.title, lead, self.authors)

    def _place_lead(self, container) -> None:
        """Is the page's lead element article text (printed among the paragraphs) or a standfirst?

        A lead that sits beside the text's paragraphs (a `p.lead` opening the
        story) is the article's first paragraph and stays in the body; one in
        a header of its own is the standfirst, a field apart, and leaves the tree.
        """
        lead = self.lead_node
        if lead is None or lead.getparent() is None:
            return
        parent = lead.getparent()
        self.lead_in_text = container is not None and _is_in(lead, container) and any(
            sibling is not lead and _tag(sibling) == "p" and _text_length(sibling) >= 80 for sibling in parent
        )
        if not self.lead_in_text:
            remove_keeping_tail(lead)

    def _take_signature(self, container) -> None:
        """A closing right-aligned or bold-only short name is the byline (Vietnamese style)."""
        blocks = [n for n in container.iter("p", "div") if len(n) == 0 or all(_tag(c) in _INLINE for c in n)]
        blocks = [n for n in blocks if _text(n)]
        if not blocks:
            return
        last = blocks[-1]
        text = _text(last)
        style = (last.get("style") or "").replace(" ", "").lower()
        right = last.get("align") == "right" or "text-align:right" in style
        bold = all(_tag(c) in ("b", "strong") for c in last) and len(last) > 0 and not (last.text or "").strip()
        names = [n for n in re.split(r"\s+[-–]\s+|\s*,\s*|\s+(?:và|and)\s+", text) if n]
        if len(text) <= 60 and (right or bold) and names and all(
            _NAME.match(n) and all(w[0].isupper() for w in n.split()) for n in names
        ):
            if not self.authors:
                self.authors.extend(names)
            remove_keeping_tail(last)

    def find(self) -> tuple[list[str], str]:
        root = self.page.sel.root
        ld_body = clean_space(ld_text(self.meta.article.get("articleBody")))
        # The headline is a field of its own, never body text; the lead waits for the container (_place_lead).
        if self.title_node is not None and self.title_node.getparent() is not None:
            remove_keeping_tail(self.title_node)
        strong, how = self._strong_containers()
        paragraph_text = len("".join(_PARAGRAPH_TEXT(root)))  # before pruning: what any extractor could find
        captions = _captions(root)  # before pruning, which drops captions as chrome
        lead = [self.lead_node] if self.lead_node is not None and _is_in(self.lead_node, root) else []
        _prune(root, keep=strong + lead)
        strong = [n for n in strong if _is_in(n, root)]
        container = _joined(strong) if strong else None
        if container is not None and _text_length(container) < MIN_BODY:
            container = None
        if container is None and len(ld_body) >= MIN_BODY:
            container, how = _match_ld(root, ld_body), "jsonld"
            container = _gather(container) if container is not None else None
            if container is None:
                return _ld_paragraphs(self.meta.article.get("articleBody")), "jsonld"
        if container is None:
            container, how = _density_container(root), "density"
        self._place_lead(container)
        paragraphs = self._paragraphs(container) if container is not None else []
        found = len("\n\n".join(paragraphs))
        if len(captions) >= 3 and sum(map(len, captions)) > found:
            # A photo story: its captions tell it, after the introduction.
            told = _norm(" ".join(paragraphs))
            paragraphs = paragraphs + [c for c in captions if _norm(c) not in told]
            found = len("\n\n".join(paragraphs))
        if found < MIN_BODY:
            # A weak or small answer: trafilatura's extraction competes.
            other = _trafilatura_paragraphs(self.html, self.page.url, paragraph_text)
            other = _filter_paragraphs(other, self.title, "", self.authors)
            if len("\n\n".join(other)) > len("\n\n".join(paragraphs)):
                return other, "trafilatura"
        return paragraphs, how
