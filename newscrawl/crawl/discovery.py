"""Reading sitemaps and feeds: which article URLs they list, and when.

Pure functions over the XML text, so they are tested on fixtures and shared
by every site. Dates come back as ISO strings (or None) for the `--since`
window.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from parsel import Selector

from ..analysis.text import clean_space, iso_datetime


@dataclass(frozen=True)
class Entry:
    url: str
    published: str | None = None  # ISO 8601 with offset
    title: str = ""
    modified: str | None = None  # when the page last changed, if the source says


def _xml(text: str) -> Selector:
    sel = Selector(text=text, type="xml")
    sel.remove_namespaces()
    return sel


def parse_sitemap(text: str) -> tuple[list[Entry], list[Entry]]:
    """(article entries, child sitemaps) of a sitemap or sitemap index."""
    sel = _xml(text)
    children = [
        Entry(clean_space(node.xpath("loc/text()").get("")), iso_datetime(node.xpath("lastmod/text()").get()))
        for node in sel.xpath("//sitemap")
    ]
    entries = []
    for node in sel.xpath("//url"):
        loc = clean_space(node.xpath("loc/text()").get(""))
        lastmod = iso_datetime(node.xpath("lastmod/text()").get())
        when = iso_datetime(node.xpath("news/publication_date/text()").get()) or lastmod
        title = clean_space(node.xpath("news/title/text()").get(""))
        if loc:
            entries.append(Entry(loc, when, title, lastmod))
    return entries, [c for c in children if c.url]


def parse_feed(text: str) -> list[Entry]:
    """Items of an RSS 2.0 or Atom feed."""
    sel = _xml(text)
    entries = []
    for node in sel.xpath("//item"):
        link = node.xpath("link/text()").get("") or node.xpath("guid/text()").get("")
        when = node.xpath("pubDate/text()").get() or node.xpath("date/text()").get()
        entries.append(Entry(clean_space(link), iso_datetime(when), _title(node)))
    for node in sel.xpath("//entry"):
        link = node.xpath("link[@rel='alternate']/@href").get() or node.xpath("link/@href").get("")
        when = node.xpath("published/text()").get() or node.xpath("updated/text()").get()
        updated = iso_datetime(node.xpath("updated/text()").get())
        entries.append(Entry(clean_space(link), iso_datetime(when), _title(node), updated))
    return [e for e in entries if e.url]


def _title(node) -> str:
    """Feed titles are often escaped twice (`&amp;apos;`) or entity-encoded inside CDATA."""
    title = node.xpath("title/text()").get("")
    for _ in range(2):
        title = html.unescape(title)
    return clean_space(title)


def looks_like_xml(body: bytes | str) -> bool:
    head = body[:512].lstrip()
    head = head.decode("utf-8", "replace") if isinstance(head, bytes) else head
    return head.startswith("<?xml") or head.startswith("<rss") or head.startswith("<urlset") or head.startswith("<sitemapindex") or head.startswith("<feed")
