"""The one spider: routes listings, sitemaps, feeds and articles.

It decides nothing about content: site modules parse, pipelines judge. Its
own job is discovery and keeping the request count down: links are filtered
(article pattern, already requested) before any Request object is built.
"""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

import scrapy

from ..discovery import looks_like_xml, parse_feed, parse_sitemap
from ..extract import extract_article
from ..items import empty_article
from ..replay import Manifest
from ..sites import all_sites, get_site, site_for_url
from ..text import now_iso
from ..urls import canonical_url

logger = logging.getLogger(__name__)


def month_in_url(url: str) -> str | None:
    """`news-2025-6.xml` -> `2025-06-31`: the last day a monthly sitemap can cover."""
    match = re.search(r"(20\d\d)[-_/](\d{1,2})(?!\d)", url)
    return f"{match.group(1)}-{int(match.group(2)):02d}-31" if match and 1 <= int(match.group(2)) <= 12 else None


class NewsSpider(scrapy.Spider):
    """Crawl green-economy news: `scrapy crawl news -a site=baodautu`.

    Arguments: `site` (a name, a comma list, or `all`), `since`
    (YYYY-MM-DD), `listing_pages` (pages per section listing).
    """

    name = "news"

    def __init__(self, site: str = "all", since: str | None = None, listing_pages: int | None = None, **kwargs):
        super().__init__(**kwargs)
        names = [s.strip() for s in str(site).split(",") if s.strip()]
        self.sites = all_sites() if names in ([], ["all"]) else [get_site(n) for n in names]
        self._since_arg = since
        self._listing_pages_arg = listing_pages
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        since = spider._since_arg or settings.get("NEWSCRAWL_SINCE")
        spider.since = date.fromisoformat(str(since)[:10]) if since else None
        # A replay acts as of the day its pages were saved, so it gives the same
        # result whenever it runs; a live crawl acts as of today.
        replay_dir = settings.get("NEWSCRAWL_REPLAY_DIR")
        spider.today = (Manifest(replay_dir).recorded_on() if replay_dir else None) or date.today()
        # Sitemaps list years of articles: without --since, read only recent entries.
        window = settings.getint("NEWSCRAWL_SITEMAP_DAYS", 31)
        spider.sitemap_since = spider.since or spider.today - timedelta(days=window)
        spider.listing_pages = int(spider._listing_pages_arg or settings.getint("NEWSCRAWL_LISTING_PAGES", 3))
        spider.follow_generic = settings.getbool("NEWSCRAWL_FOLLOW_GENERIC")
        if not spider.follow_generic:
            spider.allowed_domains = sorted({d for s in spider.sites for d in s.domains})
        return spider

    # --- start points -----------------------------------------------------------
    async def start(self):
        for site in self.sites:
            for url in site.start_urls:
                yield scrapy.Request(url, callback=self.parse_listing, meta={"site": site.name, "listing_page": 1, "found_via": {"kind": "start", "url": None}})
            for url in site.sitemaps(since=self.since, today=self.today):
                yield scrapy.Request(url, callback=self.parse_sitemap, meta={"site": site.name, "found_via": {"kind": "start", "url": None}})
            for url in site.feed_urls:
                yield scrapy.Request(url, callback=self.parse_feed, meta={"site": site.name, "found_via": {"kind": "start", "url": None}})

    def may_follow(self, url: str) -> bool:
        """Is `url` an article of a site in this crawl (or any page, with generic following on)?"""
        site = site_for_url(url)
        if site is None:
            return self.follow_generic
        return site in self.sites and site.is_article(url)

    def article_request(self, url: str, kind: str, referrer: str | None, depth: int = 0) -> scrapy.Request | None:
        """A request for an article URL not requested yet in this run, or None."""
        site = site_for_url(url)
        if site is None:
            if not (kind == "related" and self.follow_generic):
                return None
            url = canonical_url(url)
        elif not site.is_article(url):
            return None
        else:
            url = site.canonical(url)
        if url in self.seen:
            self.crawler.stats.inc_value("newscrawl/discovery/already_requested")
            return None
        self.seen.add(url)
        return scrapy.Request(
            url,
            callback=self.parse_article,
            meta={"site": site.name if site else None, "found_via": {"kind": kind, "url": referrer}, "article_depth": depth},
        )

    # --- discovery ---------------------------------------------------------------
    def parse_listing(self, response):
        site = get_site(response.meta["site"])
        if not hasattr(response, "text"):
            self.crawler.stats.inc_value("newscrawl/listing/not_html")
            return
        links = site.listing_links(response.text, response.url)
        self.crawler.stats.inc_value("newscrawl/listing/pages")
        if not links:
            self.crawler.stats.inc_value("newscrawl/listing/empty")
            logger.warning("listing %s has no article links: has %s changed its markup?", response.url, site.name)
        for link in links:
            request = self.article_request(link, "listing", response.url)
            if request is not None:
                yield request
        page = response.meta.get("listing_page", 1)
        next_url = site.next_listing_page(response.text, response.url, page) if links and page < self.listing_pages else None
        if next_url:
            yield scrapy.Request(next_url, callback=self.parse_listing, meta={"site": site.name, "listing_page": page + 1, "found_via": {"kind": "listing", "url": response.url}})

    def parse_sitemap(self, response):
        if not looks_like_xml(response.body):
            self.crawler.stats.inc_value("newscrawl/sitemap/not_xml")
            logger.warning("sitemap %s is not XML (status %s)", response.url, response.status)
            return
        entries, children = parse_sitemap(response.text)
        self.crawler.stats.inc_value("newscrawl/sitemap/read")
        for child in children:
            if self._in_window(child.published or month_in_url(child.url), self.sitemap_since):
                yield scrapy.Request(child.url, callback=self.parse_sitemap, meta={"site": response.meta["site"], "found_via": {"kind": "sitemap", "url": response.url}})
        yield from self._entries(entries, "sitemap", response.url, self.sitemap_since)

    def parse_feed(self, response):
        if not looks_like_xml(response.body):
            self.crawler.stats.inc_value("newscrawl/feed/not_xml")
            logger.warning("feed %s is not XML (status %s)", response.url, response.status)
            return
        entries = parse_feed(response.text)
        self.crawler.stats.inc_value("newscrawl/feed/read")
        if not entries:
            logger.warning("feed %s has no items: is it dead?", response.url)
        yield from self._entries(entries, "feed", response.url)

    def _entries(self, entries, kind: str, referrer: str, since: date | None = None):
        for entry in entries:
            if not self._in_window(entry.published, since or self.since):
                self.crawler.stats.inc_value("newscrawl/discovery/before_since")
                continue
            request = self.article_request(entry.url, kind, referrer)
            if request is not None:
                yield request

    @staticmethod
    def _in_window(published: str | None, since: date | None) -> bool:
        return since is None or published is None or published[:10] >= since.isoformat()

    # --- articles ----------------------------------------------------------------
    def parse_article(self, response):
        meta = response.meta
        site = site_for_url(response.url)
        common = {"found_via": meta.get("found_via"), "depth": meta.get("article_depth", 0), "fetched_at": now_iso()}
        try:
            fields = extract_article(response.text, response.url)
        except Exception as exc:  # a broken page must not stop the crawl
            name = site.name if site else "generic"
            logger.exception("parser %s failed on %s", name, response.url)
            self.crawler.stats.inc_value("newscrawl/article/parse_error")
            url = site.canonical(response.url) if site else canonical_url(response.url)
            yield empty_article(url=url, site=name, error=f"{type(exc).__name__}: {exc}", **common)
            return
        if self.since and fields.get("published") and fields["published"][:10] < self.since.isoformat():
            self.crawler.stats.inc_value("newscrawl/article/before_since")
            return
        self.crawler.stats.inc_value(f"newscrawl/article/parsed/{fields['site']}")
        yield empty_article(**fields, **common)
