"""Listings, sitemaps and feeds: what each site's discovery finds in its fixtures."""

import json

import pytest

from newscrawl.crawl.discovery import parse_feed, parse_sitemap
from newscrawl.sites import get_site

from .conftest import FIXTURES, manifest_entries

DISCOVERY = sorted(FIXTURES.rglob("discovery.json"))


def _saved(url: str) -> str:
    for entry in manifest_entries():
        if entry["url"] == url:
            return entry["path"].read_text(encoding="utf-8")
    raise AssertionError(f"{url} has no saved page")


def _listings():
    """The crawled listing of each site, then its other saved section pages (`sections`)."""
    for path in DISCOVERY:
        spec = json.loads(path.read_text(encoding="utf-8"))
        for listing in [spec["listing"], *spec.get("sections", [])]:
            yield pytest.param(path.parent.name, listing, id=f"{path.parent.name}:{listing['url'].split('/', 3)[-1]}")


@pytest.mark.parametrize("name, listing", list(_listings()))
def test_listing_finds_articles_and_next_page(name, listing):
    site = get_site(name)
    html = _saved(listing["url"])
    assert site.listing_links(html, listing["url"]) == listing["articles"]
    assert site.next_listing_page(html, listing["url"], 1) == listing.get("next")


@pytest.mark.parametrize("path", DISCOVERY, ids=lambda p: p.parent.name)
def test_sitemap_or_feed_lists_articles(path):
    spec = json.loads(path.read_text(encoding="utf-8"))
    site = get_site(path.parent.name)
    assert "sitemap" in spec or "feed" in spec, "each site needs a sitemap or feed fixture"
    for kind, parse in (("sitemap", lambda t: parse_sitemap(t)[0]), ("feed", parse_feed)):
        if kind in spec:
            entries = parse(_saved(spec[kind]["url"]))
            found = [site.canonical(e.url) for e in entries if site.is_article(e.url)]
            assert found == spec[kind]["articles"]
            assert all(e.published is None or e.published.endswith("+07:00") for e in entries)


def test_sitemap_index_children_and_news_dates():
    index = '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://x.vn/news-2026-9.xml</loc><lastmod>2026-09-30T10:00:00Z</lastmod></sitemap></sitemapindex>'
    entries, children = parse_sitemap(index)
    assert entries == [] and children[0].url == "https://x.vn/news-2026-9.xml" and children[0].published == "2026-09-30T17:00:00+07:00"
    news = ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            '<url><loc>https://x.vn/a-post1.html</loc><news:news><news:publication_date>2026-09-05T09:18:48+0700</news:publication_date><news:title>A</news:title></news:news></url></urlset>')
    entries, _ = parse_sitemap(news)
    assert entries[0].published == "2026-09-05T09:18:48+07:00" and entries[0].title == "A"


def test_rss_and_atom_items():
    escaped = "<rss><channel><item><title><![CDATA[Tín chỉ &amp;apos;xanh&amp;apos; &amp; ESG]]></title><link>https://x.vn/c.htm</link></item></channel></rss>"
    assert parse_feed(escaped)[0].title == "Tín chỉ 'xanh' & ESG"
    rss = "<rss><channel><item><title>T</title><link>https://x.vn/a.htm</link><pubDate>Thu, 04 Sep 2026 02:43:00 GMT</pubDate></item></channel></rss>"
    atom = '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>U</title><link rel="alternate" href="https://x.vn/b.htm"/><published>2026-09-04T09:43:00+07:00</published></entry></feed>'
    assert [(e.url, e.published) for e in parse_feed(rss)] == [("https://x.vn/a.htm", "2026-09-04T09:43:00+07:00")]
    assert [(e.url, e.title) for e in parse_feed(atom)] == [("https://x.vn/b.htm", "U")]


def test_monthly_sitemap_templates_cover_the_window():
    from datetime import date

    from newscrawl.sites.base import Site

    class Monthly(Site):
        name, domains = "monthly", ("x.vn",)
        sitemap_urls = ("https://x.vn/sitemaps/news-{year}-{month}.xml",)

    urls = Monthly().sitemaps(since=date(2025, 11, 15), today=date(2026, 2, 1))
    assert urls == [f"https://x.vn/sitemaps/news-{m}.xml" for m in ("2026-2", "2026-1", "2025-12", "2025-11")]
