"""The one spider: routes listings, sitemaps, feeds and articles.

It decides nothing about content: site modules parse, pipelines judge. Its
own job is discovery and keeping the request count down: links are checked
against the frontier (already requested, already stored) before any Request
object is built, and every request it makes is a frontier row first.
"""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

import scrapy
from scrapy import signals
from scrapy.exceptions import DownloadTimeoutError
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError

from ..analysis.blocked import TEASER_CHARS, blocked_reason
from ..analysis.encoding import decode_html, header_text
from .analyser import PageAnalyser
from .discovery import looks_like_xml, parse_feed, parse_sitemap
from .frontier import Frontier
from ..items import empty_article
from ..pipelines.store import shared_store
from .replay import open_replay_source
from ..sites import all_sites, get_site, site_for_url
from ..analysis.text import now_iso
from ..analysis.urls import canonical_url

logger = logging.getLogger(__name__)

PAGE_KINDS = ("listing", "sitemap", "feed")


def month_in_url(url: str) -> str | None:
    """`news-2025-6.xml` -> `2025-06-31`: the last day a monthly sitemap can cover."""
    match = re.search(r"(20\d\d)[-_/](\d{1,2})(?!\d)", url)
    return f"{match.group(1)}-{int(match.group(2)):02d}-31" if match and 1 <= int(match.group(2)) <= 12 else None


def failure_reason(failure) -> str:
    """A short reason code for a request that produced no usable response."""
    error = failure.value
    if failure.request.meta.get("newscrawl_retry", {}).get("gave_up") == "bot_challenge":
        return "bot_challenge"
    if isinstance(error, HttpError):
        response = error.response
        # Challenge and login pages often come as 403 / 503.
        blocked = blocked_reason(response.status, response.headers, response.body[:200_000].decode("utf-8", "replace"))
        return blocked or f"http_{response.status}"
    if failure.check(TimeoutError, TCPTimedOutError, DownloadTimeoutError):
        return "timeout"
    if failure.check(DNSLookupError):
        return "dns_error"
    text = str(error).lower()
    if "max size" in text or "maxsize" in text:
        return "too_large"
    if "redirect" in text:
        return "redirect_loop"
    if "robots.txt" in text:
        return "robots_forbidden"
    return type(error).__name__


class NewsSpider(scrapy.Spider):
    """Crawl green-economy news: `scrapy crawl news -a site=baodautu`.

    Arguments: `site` (a name, a comma list, or `all`), `since`
    (YYYY-MM-DD), `listing_pages` (pages per section listing).
    """

    name = "news"

    def __init__(self, site: str = "all", since: str | None = None, listing_pages: int | None = None, reparse: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.reparse = str(reparse).lower() in ("1", "true", "yes")
        names = [s.strip() for s in str(site).split(",") if s.strip()]
        self.sites = all_sites() if names in ([], ["all"]) else [get_site(n) for n in names]
        self._since_arg = since
        self._listing_pages_arg = listing_pages

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        since = spider._since_arg or settings.get("NEWSCRAWL_SINCE")
        spider.since = date.fromisoformat(str(since)[:10]) if since else None
        # A replay acts as of the day its pages were saved, so it gives the same
        # result whenever it runs; a live crawl acts as of today.
        replay_dir = settings.get("NEWSCRAWL_REPLAY_DIR")
        spider.today = (open_replay_source(replay_dir).recorded_on() if replay_dir else None) or date.today()
        # Sitemaps list years of articles: without --since, read only recent entries.
        window = settings.getint("NEWSCRAWL_SITEMAP_DAYS", 31)
        spider.sitemap_since = spider.since or spider.today - timedelta(days=window)
        spider.listing_pages = int(spider._listing_pages_arg or settings.getint("NEWSCRAWL_LISTING_PAGES", 3))
        spider.follow_generic = settings.getbool("NEWSCRAWL_FOLLOW_GENERIC")
        if not spider.follow_generic:
            spider.allowed_domains = sorted({d for s in spider.sites for d in s.domains})
        # Saved pages cost nothing to fetch again: a replay re-parses by default.
        refresh = settings.get("NEWSCRAWL_REFRESH")
        refresh = bool(replay_dir) if refresh is None else settings.getbool("NEWSCRAWL_REFRESH")
        spider.analyser = PageAnalyser(settings.getint("NEWSCRAWL_PARSE_WORKERS", 1), settings.get("NEWSCRAWL_TOPICS_FILE"))
        crawler.signals.connect(spider.analyser.close, signal=signals.spider_closed)
        spider.frontier = Frontier(
            shared_store(crawler), refresh=refresh, refresh_days=settings.getfloat("NEWSCRAWL_REFRESH_DAYS", 0),
            max_attempts=settings.getint("NEWSCRAWL_MAX_ATTEMPTS", 3),
        )
        return spider

    @property
    def seen(self) -> set[str]:
        return self.frontier.seen

    # --- requests ------------------------------------------------------------------
    def _page_request(self, url: str, kind: str, site: str, found_via: dict, listing_page: int = 1) -> scrapy.Request | None:
        meta = {"found_via": found_via, "listing_page": listing_page}
        if not self.frontier.claim_page(url, kind, site, meta):
            return None
        return self._request(url, kind, site, meta)

    def _request(self, url: str, kind: str, site: str | None, meta: dict) -> scrapy.Request:
        callback = {"listing": self.parse_listing, "sitemap": self.parse_sitemap, "feed": self.parse_feed}.get(kind, self.parse_article)
        headers = self.frontier.conditional_headers(url) if kind in PAGE_KINDS else {}
        fetch = get_site(site).fetch_url(url) if site else url
        # dont_filter: the frontier already decided this URL is wanted once; Scrapy's
        # dupefilter would also silently drop a redirect back to the same URL.
        return scrapy.Request(
            fetch, callback=callback, errback=self.on_error, headers=headers, dont_filter=True,
            meta={**meta, "site": site, "kind": kind, "frontier": True, "frontier_url": url,
                  "handle_httpstatus_list": [304], "article_depth": meta.get("depth", 0)},
        )

    async def start(self):
        self.frontier.stats = self.crawler.stats  # stats exist only once the crawl starts
        if self.reparse:
            for request in self._archived_requests():
                yield request
            return
        for row in self.frontier.unfinished():
            yield self._request(row["url"], row["kind"], row["site"], row["meta"])
        root = {"kind": "start", "url": None}
        for site in self.sites:
            for url in site.start_urls:
                request = self._page_request(url, "listing", site.name, root)
                if request:
                    yield request
            for url in site.sitemaps(since=self.since, today=self.today):
                request = self._page_request(url, "sitemap", site.name, root)
                if request:
                    yield request
            for url in site.feed_urls:
                request = self._page_request(url, "feed", site.name, root)
                if request:
                    yield request

    def _archived_requests(self):
        """Reparse: every archived article of the chosen sites, keeping its provenance."""
        archive = open_replay_source(self.crawler.settings.get("NEWSCRAWL_REPLAY_DIR"))
        provenance = shared_store(self.crawler).provenance()
        names = {site.name for site in self.sites}
        for url, site in archive.urls():
            if site in names:
                kind, referrer, depth = provenance.get(url, ("archive", None, 0))
                self.frontier.seen.add(url)
                yield self._request(url, "article", site, {"found_via": {"kind": kind, "url": referrer}, "depth": depth})

    def may_follow(self, url: str) -> bool:
        """Is `url` an article of a site in this crawl (or any page, with generic following on)?"""
        site = site_for_url(url)
        if site is None:
            return self.follow_generic
        return site in self.sites and site.is_article(url)

    def article_request(self, url: str, kind: str, referrer: str | None, depth: int = 0, modified: str | None = None) -> scrapy.Request | None:
        """A request for an article this run should fetch, or None (see Frontier.claim_article)."""
        site = site_for_url(url)
        if site is None:
            if not (kind == "related" and self.follow_generic):
                return None
            url = canonical_url(url)
        elif not site.is_article(url):
            return None
        else:
            url = site.canonical(url)
        name = site.name if site else None
        meta = {"found_via": {"kind": kind, "url": referrer}, "depth": depth}
        if not self.frontier.claim_article(url, name, meta, modified):
            return None
        return self._request(url, "article", name, meta)

    # --- outcomes that are not items ---------------------------------------------------
    def _not_modified(self, response) -> bool:
        if response.status != 304:
            return False
        self.crawler.stats.inc_value(f"newscrawl/http/not_modified/{response.meta['kind']}")
        self.frontier.done(response.meta["frontier_url"], "not_modified")
        return True

    def _page_done(self, response) -> None:
        headers = response.headers
        etag, last_modified = headers.get(b"ETag"), headers.get(b"Last-Modified")
        self.frontier.page_done(
            response.meta["frontier_url"],
            etag.decode("latin-1") if etag else None,
            last_modified.decode("latin-1") if last_modified else None,
        )

    def _html(self, response) -> str:
        """The page's text, whatever its charset label claims (see encoding.decode_html)."""
        text, codec = decode_html(response.body, response.headers.get(b"Content-Type"))
        self.crawler.stats.inc_value(f"newscrawl/encoding/{codec}")
        return text

    def _blocked(self, response, html: str) -> str | None:
        """A bot challenge, login or paywall wall, or empty page: not content, and said so."""
        reason = blocked_reason(response.status, response.headers, html, url=response.url)
        if reason:
            self.crawler.stats.inc_value(f"newscrawl/blocked/{reason}")
            logger.warning("%s instead of content at %s", reason.replace("_", " "), response.url)
        return reason

    def _count_page(self, response) -> None:
        self.crawler.stats.inc_value(f"newscrawl/pages/{response.meta.get('site') or 'generic'}")

    def on_error(self, failure):
        """A request that produced no usable response: count it; an article URL becomes a reject."""
        request = failure.request
        meta = request.meta
        reason = failure_reason(failure)
        url, site = meta.get("frontier_url", request.url), meta.get("site") or ""
        self.crawler.stats.inc_value(f"newscrawl/failed/{reason}")
        logger.warning("%s %s failed: %s", meta.get("kind", "page"), request.url, reason)
        if meta.get("kind") == "article":
            # Through the pipelines, so the reject is tallied and written like any other.
            yield empty_article(url=url, site=site, error=f"{reason}: {failure.getErrorMessage()[:300]}",
                                found_via=meta.get("found_via"), depth=meta.get("article_depth", 0), fetched_at=now_iso())
        else:
            self.frontier.failed(url, reason)

    # --- discovery ---------------------------------------------------------------
    def parse_listing(self, response):
        if self._not_modified(response):
            return
        self._count_page(response)
        site = get_site(response.meta["site"])
        if not hasattr(response, "text"):
            self.crawler.stats.inc_value("newscrawl/listing/not_html")
            self.frontier.failed(response.meta["frontier_url"], "not_html")
            return
        html = self._html(response)
        links = site.listing_links(html, response.url)
        if not links:
            blocked = self._blocked(response, html)
            if blocked:  # not an empty listing: nothing to say about the site's markup
                self.frontier.failed(response.meta["frontier_url"], blocked)
                return
        self.crawler.stats.inc_value("newscrawl/listing/pages")
        if not links:
            self.crawler.stats.inc_value("newscrawl/listing/empty")
            logger.warning("listing %s has no article links: has %s changed its markup?", response.url, site.name)
        for link in links:
            request = self.article_request(link, "listing", response.url)
            if request is not None:
                yield request
        page = response.meta.get("listing_page", 1)
        next_url = site.next_listing_page(html, response.url, page) if links and page < self.listing_pages else None
        if next_url:
            request = self._page_request(next_url, "listing", site.name, {"kind": "listing", "url": response.url}, page + 1)
            if request:
                yield request
        self._page_done(response)

    def parse_sitemap(self, response):
        if self._not_modified(response):
            return
        self._count_page(response)
        if not looks_like_xml(response.body):
            self.crawler.stats.inc_value("newscrawl/sitemap/not_xml")
            self.frontier.failed(response.meta["frontier_url"], "not_xml")
            logger.warning("sitemap %s is not XML (status %s)", response.url, response.status)
            return
        entries, children = parse_sitemap(response.text)
        self.crawler.stats.inc_value("newscrawl/sitemap/read")
        for child in children:
            if self._in_window(child.published or month_in_url(child.url), self.sitemap_since):
                request = self._page_request(child.url, "sitemap", response.meta["site"], {"kind": "sitemap", "url": response.url})
                if request:
                    yield request
        yield from self._entries(entries, "sitemap", response.url, self.sitemap_since)
        self._page_done(response)

    def parse_feed(self, response):
        if self._not_modified(response):
            return
        self._count_page(response)
        if not looks_like_xml(response.body):
            self.crawler.stats.inc_value("newscrawl/feed/not_xml")
            self.frontier.failed(response.meta["frontier_url"], "not_xml")
            logger.warning("feed %s is not XML (status %s)", response.url, response.status)
            return
        entries = parse_feed(response.text)
        self.crawler.stats.inc_value("newscrawl/feed/read")
        if not entries:
            logger.warning("feed %s has no items: is it dead?", response.url)
        yield from self._entries(entries, "feed", response.url)
        self._page_done(response)

    def _entries(self, entries, kind: str, referrer: str, since: date | None = None):
        for entry in entries:
            if not self._in_window(entry.published, since or self.since):
                self.crawler.stats.inc_value("newscrawl/discovery/before_since")
                continue
            request = self.article_request(entry.url, kind, referrer, modified=entry.modified)
            if request is not None:
                yield request

    @staticmethod
    def _in_window(published: str | None, since: date | None) -> bool:
        return since is None or published is None or published[:10] >= since.isoformat()

    # --- articles ----------------------------------------------------------------
    async def parse_article(self, response):
        if self._not_modified(response):
            return
        self._count_page(response)
        meta = response.meta
        site = site_for_url(response.url)
        url = meta.get("frontier_url") or (site.canonical(response.url) if site else canonical_url(response.url))
        name = site.name if site else (meta.get("site") or "generic")
        common = {"found_via": meta.get("found_via"), "depth": meta.get("article_depth", 0), "fetched_at": now_iso()}
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        if not hasattr(response, "text") or (content_type and "html" not in content_type and "xml" not in content_type):
            content_type = content_type or "no content type"  # a PDF, an image: even under a .html URL
            self.crawler.stats.inc_value("newscrawl/article/not_html")
            yield empty_article(url=url, site=name, error=f"not_html: {content_type}", **common)
            return
        headers = header_text(response.headers)
        # Decoding, parsing, cleaning and per-article analysis run in a worker process.
        result = await self.analyser.analyse(response.body, content_type, response.status, headers, response.url)
        self.crawler.stats.inc_value(f"newscrawl/encoding/{result['codec']}")
        if result.get("blocked"):
            reason = result["blocked"]
            self.crawler.stats.inc_value(f"newscrawl/blocked/{reason}")
            logger.warning("%s instead of content at %s", reason.replace("_", " "), response.url)
            yield empty_article(url=url, site=name, error=f"{reason}: status {response.status}", **common)
            return
        if result.get("error"):
            logger.warning("parser %s failed on %s: %s", name, response.url, result["error"])
            self.crawler.stats.inc_value("newscrawl/article/parse_error")
            yield empty_article(url=url, site=name, error=result["error"], **common)
            return
        fields = result["fields"]
        if self.since and fields.get("published") and fields["published"][:10] < self.since.isoformat():
            self.crawler.stats.inc_value("newscrawl/article/before_since")
            self.frontier.done(url, "before_since")
            return
        self.crawler.stats.inc_value(f"newscrawl/article/parsed/{fields['site']}")
        # After a redirect the article lives at the final URL; the requested
        # one is closed in the same transaction as the article row.
        yield empty_article(**fields, **common, requested_url=url if url != fields["url"] else None)
