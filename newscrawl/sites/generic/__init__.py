"""Any news page: metadata from JSON-LD / OpenGraph / meta tags, body by density.

For hosts no site module claims. Pure like every parser (`html, url -> dict`).
The package is split by job:

- page.py reads `<meta>` tags and JSON-LD once; metadata.py turns them (and
  the page's `h1`, lead, bylines, dates) into title, summary, authors,
  published, category, tags and language;
- related.py finds "related" boxes and their headlines;
- body.py chooses the body in order of trust (an `articleBody` container, a
  known CMS container, JSON-LD `articleBody`, text density, trafilatura),
  with chrome.py removing page chrome, density.py scoring elements and
  fallbacks.py holding the JSON-LD and trafilatura answers;
- nodes.py holds the element helpers they share.

Metadata is read before the body is looked for: finding the body prunes the tree.
"""

from __future__ import annotations

from ...analysis.urls import bare_host, canonical_url, host_of
from .body import _Body
from .authors import _authors
from .dates import _published
from .metadata import _category, _descriptions, _language, _summary, _tags, _title
from .nodes import _norm
from .page import _Meta, _Page
from .related import _links_of, _related_boxes


def _repeats_body(description: str, paragraphs: list[str]) -> bool:
    """Does the body already say the meta description (dashes, quotes, spaces aside)?

    Many CMSs fill the description with the article's opening, or with the
    whole article, in other punctuation; as a summary it shows the text twice.
    A description cut short (`...`) counts when the body starts with what is left.
    """
    wanted = _norm(description.rstrip(".… "))
    if not wanted:
        return False
    body = _norm(" ".join(paragraphs))
    return wanted in body or (len(body) >= 200 and body in wanted)


def parse_generic(html: str, url: str) -> dict:
    """Article fields of any page, for hosts without a site module."""
    page = _Page(html, url)
    meta = _Meta(page)
    title, title_node = _title(page, meta)
    summary, lead_node = _summary(page, meta, title_node)
    authors = _authors(page, meta)
    published = _published(page, meta, title_node)
    category = _category(page, meta, title)
    tags = _tags(page, meta)
    related = _links_of(_related_boxes(page.sel.root), page)
    body_finder = _Body(page, html, title, title_node, summary, lead_node, authors, meta)
    paragraphs, how = body_finder.find()  # prunes the tree: metadata first
    seen = {link["url"] for link in related}
    related += [link for link in body_finder.pointer_links if link["url"] not in seen]
    if body_finder.lead_in_text:
        # The lead is the story's opening paragraph: the summary is a description that says something else.
        summary = next((d for d in _descriptions(page, meta) if not _repeats_body(d, paragraphs)), "")
    elif summary and lead_node is None and _repeats_body(summary, paragraphs):
        summary = ""  # a meta description that the body already says is not a separate lead
    if not summary and body_finder.bold_lead:
        summary = body_finder.bold_lead  # a bold opening paragraph is the lead (sapo)
    if summary and paragraphs and _norm(paragraphs[0]) == _norm(summary):
        paragraphs = paragraphs[1:]  # the lead printed again as the first paragraph
    body = "\n\n".join(paragraphs)
    return {
        "url": canonical_url(url),
        "site": bare_host(host_of(url)),
        "title": title,
        "summary": summary,
        "body": body,
        "authors": authors,
        "published": published,
        "category": category,
        "tags": tags,
        "related": related,
        "language": _language(page, body),
        "source_outlet": "",
        "parser": f"generic/{how}",
    }


__all__ = ["parse_generic"]
