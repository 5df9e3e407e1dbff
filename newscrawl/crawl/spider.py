"""The one spider: routes listings, sitemaps, feeds and articles.

It decides nothing about content: site modules parse, the page stages
judge, the writer stores. Its own jobs are discovery and scheduling, and it
is the one place requests are made: start points, listing pages, sitemap
and feed entries, and the related headlines of an analysed article (see
`follow_related`). Links are filtered by URL pattern and claimed from the
frontier in one batch per page before any Request is built, and every
request it makes is a frontier row first.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

import scrapy

from ..analysis.blocked import blocked_reason
from ..analysis.encoding import decode_html, header_text
from ..analysis.text import now_iso
from ..analysis.urls import canonical_url
from ..items import Article
from ..pipelines.page import FetchedPage
from ..sites import all_sites, get_site, site_for_url
from .analyser import PageAnalyser
from .arguments import apply_to_settings, check_spider_arguments, is_reparse, site_names
from .discovery import looks_like_xml, parse_feed, parse_sitemap
from .failures import failure_reason, is_transient, month_in_url
from .frontier import Claim
from .replay import open_replay_source
from .run import CrawlRun

logger = logging.getLogger(__name__)

PAGE_KINDS = ("listing", "sitemap", "feed")


class NewsSpider(scrapy.Spider):
    """Crawl green-economy news: `scrapy crawl news -a site=baodautu`.

    Arguments (`-a NAME=VALUE`; see `newscrawl.crawl.arguments`): `site`
    (a name, a comma list, or `all`), `since` (YYYY-MM-DD), `listing_pages`
    (pages per section listing), `reparse` (re-parse the page archive
    instead of crawling), `replay` (a folder of saved pages), `db` (the
    database file), `redis` (run as a worker of a crawl on Redis). Anything
    else is refused before the crawl starts.
    """

    name = "news"

    def __init__(self, site: str = "all", since: str | None = None, listing_pages: int | None = None, reparse: bool = False,
                 replay: str | None = None, db: str | None = None, redis: str | None = None, **kwargs):
        check_spider_arguments({"site": site, "since": since, "listing_pages": listing_pages, "reparse": reparse,
                                "replay": replay, "redis": redis, **kwargs})
        super().__init__(**kwargs)
        self.reparse = is_reparse({"reparse": reparse})
        names = site_names(site)
        self.sites = [get_site(n) for n in names] if names else all_sites()
        self._since_arg = since
        self._listing_pages_arg = listing_pages

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        # Before the spider reads them (and before Scrapy freezes them): replay= and db= are settings.
        apply_to_settings(kwargs, crawler.settings)
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        since = spider._since_arg or settings.get("NEWSCRAWL_SINCE")
        spider.since = date.fromisoformat(str(since)[:10]) if since else None
        # A replay acts as of the day its pages were saved, so it gives the same
        # result whenever it runs; a live crawl acts as of today.
        replay_dir = settings.get("NEWSCRAWL_REPLAY_DIR")
        spider.mode = "reparse" if spider.reparse else ("replay" if replay_dir else "live")
        spider.today = (open_replay_source(replay_dir).recorded_on() if replay_dir else None) or date.today()
        # Sitemaps list years of articles: without --since, read only recent entries.
        window = settings.getint("NEWSCRAWL_SITEMAP_DAYS", 31)
        spider.sitemap_since = spider.since or spider.today - timedelta(days=window)
        spider.listing_pages = int(spider._listing_pages_arg or settings.getint("NEWSCRAWL_LISTING_PAGES", 3))
        spider.related_depth = settings.getint("RELATED_DEPTH", 2)
        spider.follow_generic = settings.getbool("NEWSCRAWL_FOLLOW_GENERIC")
        if not spider.follow_generic:
            spider.allowed_domains = sorted({d for s in spider.sites for d in s.domains})
        return spider

    # --- requests ------------------------------------------------------------------
    def request_for(self, url: str, kind: str, site: str | None, meta: dict, headers: dict | None = None) -> scrapy.Request:
        callback = {"listing": self.parse_listing, "sitemap": self.parse_sitemap, "feed": self.parse_feed}.get(kind, self.parse_article)
        fetch = get_site(site).fetch_url(url) if site else url
        # The frontier decides what is fetched once (Scrapy's duplicate filter is off, see
        # DUPEFILTER_CLASS); dont_filter stays False so redirects stay on the crawl's hosts.
        # Articles go before the next listing, sitemap or feed page, so the requests waiting in
        # memory are one page's links at a time, not a whole section's or a whole year's.
        return scrapy.Request(
            fetch, callback=callback, errback=self.on_error, headers=headers or {},
            priority=-1 if kind in PAGE_KINDS else 0,
            meta={**meta, "site": site, "kind": kind, "frontier": True, "frontier_url": url,
                  "handle_httpstatus_list": [304], "article_depth": meta.get("depth", 0)},
        )

    async def _page_requests(self, pages: list[tuple[str, str, str, dict]], listing_page: int = 1) -> list[scrapy.Request]:
        """Requests for the listings, sitemaps and feeds (url, kind, site, found_via) this run has not read."""
        claims = [(url, kind, site, {"found_via": found_via, "listing_page": listing_page}) for url, kind, site, found_via in pages]
        answers = await self.frontier.claim_pages(claims)
        if self.frontier.queues_claims:  # queued in Redis: a worker leases them from there
            return []
        return [self.request_for(url, kind, site, meta, headers) for (url, kind, site, meta), headers in zip(claims, answers) if headers is not None]

    def _article_claim(self, url: str, kind: str, referrer: str | None, depth: int = 0, modified: str | None = None) -> Claim | None:
        """The claim for an article of a site in this crawl (any page, with generic following on), or None."""
        site = site_for_url(url)
        if site is None:
            if not (kind == "related" and self.follow_generic):
                return None
            url = canonical_url(url)
        elif site not in self.sites or not site.is_article(url):
            return None
        else:
            url = site.canonical(url)
        return Claim(url, site.name if site else None, {"found_via": {"kind": kind, "url": referrer}, "depth": depth}, modified)

    async def _article_requests(self, claims: list[Claim]) -> list[scrapy.Request]:
        answers = await self.frontier.claim_articles(claims)
        if self.frontier.queues_claims:
            return []
        return [self.request_for(c.url, "article", c.site, c.meta, headers) for c, headers in zip(claims, answers) if headers is not None]

    async def start(self):
        run = self.crawler.get_extension(CrawlRun)
        self.frontier = run.frontier
        self.analyser = self.crawler.get_extension(PageAnalyser)
        await run.begin(self.mode, [site.name for site in self.sites])
        if self.reparse:
            async for request in self._archived_requests():
                yield request
            return
        for row in await self.frontier.unfinished():
            yield self.request_for(row["url"], row["kind"], row["site"], row["meta"])
        for request in await self.start_points():
            yield request

    async def start_points(self) -> list[scrapy.Request]:
        """Requests for every site's listings, sitemaps and feeds this run has not read
        (none on a distributed frontier: they are queued in Redis for any worker)."""
        root = {"kind": "start", "url": None}
        starts = []
        for site in self.sites:
            starts += [(url, "listing", site.name, root) for url in site.start_urls]
            starts += [(url, "sitemap", site.name, root) for url in site.sitemaps(since=self.since, today=self.today)]
            starts += [(url, "feed", site.name, root) for url in site.feed_urls]
        return await self._page_requests(starts)

    async def _archived_requests(self):
        """Reparse: every archived article of the chosen sites, keeping its provenance."""
        archive = open_replay_source(self.crawler.settings.get("NEWSCRAWL_REPLAY_DIR"))
        names = {site.name for site in self.sites}
        pages = [(url, site) for url, site in archive.urls() if site in names]
        for start in range(0, len(pages), 500):
            chunk = pages[start:start + 500]
            for (url, site), (kind, referrer, depth) in zip(chunk, await self.frontier.provenance([u for u, _ in chunk])):
                yield self.request_for(url, "article", site, {"found_via": {"kind": kind, "url": referrer}, "depth": depth})

    # --- outcomes that are not items ---------------------------------------------------
    def _not_modified(self, response) -> bool:
        if response.status != 304:
            return False
        self.crawler.stats.inc_value(f"newscrawl/http/not_modified/{response.meta['kind']}")
        self.frontier.not_modified(response.meta["frontier_url"], response.meta["kind"])
        return True

    def _page_done(self, response) -> None:
        self.frontier.page_done(response.meta["frontier_url"], *_validators(response))

    def _keep_validators(self, url: str, response) -> None:
        if response.status == 200:
            self.frontier.validators(url, *_validators(response))

    def _count_page(self, response) -> None:
        self.crawler.stats.inc_value(f"newscrawl/pages/{response.meta.get('site') or 'generic'}")

    async def on_error(self, failure):
        """A request that produced no usable response: count it. An article URL waits for a
        later run when the reason may pass (see `failures.is_transient`), else becomes a reject."""
        request = failure.request
        meta = request.meta
        reason = failure_reason(failure)
        url, site = meta.get("frontier_url", request.url), meta.get("site") or ""
        self.crawler.stats.inc_value(f"newscrawl/failed/{reason}")
        logger.warning("%s %s failed: %s", meta.get("kind", "page"), request.url, reason)
        if meta.get("kind") == "article" and is_transient(reason):
            self.frontier.transient(url, site, reason, failure.getErrorMessage()[:300])
        elif meta.get("kind") == "article":
            item = self._new_item(url, site, meta)
            item["error"] = f"{reason}: {failure.getErrorMessage()[:300]}"
            # Through the page stages and the writer, so the reject is tallied and written like any other.
            yield Article(await self.analyser.analyse(item, None))
        else:
            self.frontier.failed(url, reason)

    # --- discovery ---------------------------------------------------------------
    async def parse_listing(self, response):
        if self._not_modified(response):
            return
        self._count_page(response)
        site = get_site(response.meta["site"])
        if not hasattr(response, "text"):
            self.crawler.stats.inc_value("newscrawl/listing/not_html")
            self.frontier.failed(response.meta["frontier_url"], "not_html")
            return
        html, codec = decode_html(response.body, response.headers.get(b"Content-Type"))
        self.crawler.stats.inc_value(f"newscrawl/encoding/{codec}")
        links = site.listing_links(html, response.url)
        if not links:
            blocked = self._blocked(response, html)
            if blocked:  # not an empty listing: nothing to say about the site's markup
                self.frontier.failed(response.meta["frontier_url"], blocked)
                return
            self.crawler.stats.inc_value("newscrawl/listing/empty")
            logger.warning("listing %s has no article links: has %s changed its markup?", response.url, site.name)
        self.crawler.stats.inc_value("newscrawl/listing/pages")
        claims = [c for c in (self._article_claim(link, "listing", response.url) for link in links) if c]
        for request in await self._article_requests(claims):
            yield request
        page = response.meta.get("listing_page", 1)
        next_url = site.next_listing_page(html, response.url, page) if links and page < self.listing_pages else None
        if next_url:
            for request in await self._page_requests([(next_url, "listing", site.name, {"kind": "listing", "url": response.url})], page + 1):
                yield request
        self._page_done(response)

    def _blocked(self, response, html: str) -> str | None:
        """A bot challenge, login or paywall wall, or empty page instead of a listing."""
        reason = blocked_reason(response.status, response.headers, html, url=response.url)
        if reason:
            self.crawler.stats.inc_value(f"newscrawl/blocked/{reason}")
            logger.warning("%s instead of content at %s", reason.replace("_", " "), response.url)
        return reason

    async def parse_sitemap(self, response):
        if not self._readable_xml(response, "sitemap"):
            return
        entries, children = parse_sitemap(response.text)
        self.crawler.stats.inc_value("newscrawl/sitemap/read")
        found_via = {"kind": "sitemap", "url": response.url}
        wanted = [c for c in children if self._in_window(c.published or month_in_url(c.url), self.sitemap_since)]
        for request in await self._page_requests([(c.url, "sitemap", response.meta["site"], found_via) for c in wanted]):
            yield request
        for request in await self._entry_requests(entries, "sitemap", response.url, self.sitemap_since):
            yield request
        self._page_done(response)

    async def parse_feed(self, response):
        if not self._readable_xml(response, "feed"):
            return
        entries = parse_feed(response.text)
        self.crawler.stats.inc_value("newscrawl/feed/read")
        if not entries:
            logger.warning("feed %s has no items: is it dead?", response.url)
        for request in await self._entry_requests(entries, "feed", response.url):
            yield request
        self._page_done(response)

    def _readable_xml(self, response, kind: str) -> bool:
        if self._not_modified(response):
            return False
        self._count_page(response)
        if looks_like_xml(response.body):
            return True
        self.crawler.stats.inc_value(f"newscrawl/{kind}/not_xml")
        self.frontier.failed(response.meta["frontier_url"], "not_xml")
        logger.warning("%s %s is not XML (status %s)", kind, response.url, response.status)
        return False

    async def _entry_requests(self, entries, kind: str, referrer: str, since: date | None = None) -> list[scrapy.Request]:
        claims = []
        for entry in entries:
            if not self._in_window(entry.published, since or self.since):
                self.crawler.stats.inc_value("newscrawl/discovery/before_since")
                continue
            claim = self._article_claim(entry.url, kind, referrer, modified=entry.modified)
            if claim:
                claims.append(claim)
        return await self._article_requests(claims)

    @staticmethod
    def _in_window(published: str | None, since: date | None) -> bool:
        return since is None or published is None or published[:10] >= since.isoformat()

    # --- articles ----------------------------------------------------------------
    def _new_item(self, url: str, site: str, meta: dict) -> dict:
        return {"url": url, "site": site, "found_via": meta.get("found_via") or {"kind": "start", "url": None},
                "depth": meta.get("article_depth", 0), "fetched_at": now_iso(), "language": "vi"}

    async def parse_article(self, response):
        if self._not_modified(response):
            return
        self._count_page(response)
        meta = response.meta
        site = site_for_url(response.url)
        url = meta.get("frontier_url") or (site.canonical(response.url) if site else canonical_url(response.url))
        item = self._new_item(url, site.name if site else (meta.get("site") or "generic"), meta)
        page = None
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        if not hasattr(response, "text") or (content_type and "html" not in content_type and "xml" not in content_type):
            self.crawler.stats.inc_value("newscrawl/article/not_html")  # a PDF, an image: even under a .html URL
            item["error"] = f"not_html: {content_type or 'no content type'}"
        else:
            page = FetchedPage(response.url, response.status, header_text(response.headers), content_type, response.body)
            self._keep_validators(url, response)
        # Decoding, parsing and the page stages run where pages are analysed (a worker process).
        item = await self.analyser.analyse(item, page)
        self._count_analysis(item, response)
        if self.since and not item.get("error") and (item.get("published") or "9999")[:10] < self.since.isoformat():
            self.crawler.stats.inc_value("newscrawl/article/before_since")
            self.frontier.done(url, "before_since")
            return
        for request in await self.follow_related(item):
            yield request
        yield Article(item)

    def _count_analysis(self, item: dict, response) -> None:
        stats = self.crawler.stats
        if item.get("codec"):
            stats.inc_value(f"newscrawl/encoding/{item['codec']}")
        if item.get("blocked"):
            stats.inc_value(f"newscrawl/blocked/{item['blocked']}")
            logger.warning("%s instead of content at %s", item["blocked"].replace("_", " "), response.url)
        elif str(item.get("error") or "").startswith("parse_error"):
            logger.warning("parser %s failed on %s: %s", item.get("site"), response.url, item["error"])
            stats.inc_value("newscrawl/article/parse_error")
        elif item.get("parser"):
            stats.inc_value(f"newscrawl/article/parsed/{item['site']}")

    # --- related headlines --------------------------------------------------------
    async def follow_related(self, item: dict) -> list[scrapy.Request]:
        """Requests for the related headlines an analysed article is worth following.

        Only a valid, on-topic article is followed, up to RELATED_DEPTH hops;
        every link gets `followed` and, when not followed, a `reason`: `depth`,
        `offsite` (no parser for the host, or the site is not in this crawl),
        `already_stored`, `duplicate` (already requested, or finished before),
        `retry_later` (a transient failure waits for a later run), `unfetchable`,
        `reparse` (re-parsing the archive follows nothing), or `off_topic_source`
        (the article itself was off topic).
        """
        links = item.get("related") or []
        rejected = item.get("rejected")
        if rejected or not links:
            if rejected and rejected["reason"] == "off_topic":
                item["related"] = [{**link, "followed": 0, "reason": "off_topic_source"} for link in links]
            return []
        depth = int(item.get("depth") or 0)
        reasons: list[str | None] = []
        claims: list[Claim] = []
        for link in links:
            claim = None
            reason = "reparse" if self.reparse else ("depth" if depth >= self.related_depth else None)
            if reason is None:
                claim = self._article_claim(link["url"], "related", item["url"], depth + 1)
                reason = None if claim else "offsite"
            reasons.append(reason)
            if claim:
                claims.append(claim)
        answers = iter(await self.frontier.claim_related(claims))
        requests, annotated = [], []
        claim_of = iter(claims)
        for link, reason in zip(links, reasons):
            if reason is None:
                claim, reason = next(claim_of), next(answers)
                if reason is None and not self.frontier.queues_claims:
                    requests.append(self.request_for(claim.url, "article", claim.site, claim.meta))
            self.crawler.stats.inc_value("newscrawl/related/followed" if reason is None else f"newscrawl/related/not_followed/{reason}")
            annotated.append({**link, "followed": int(reason is None), "reason": reason})
        item["related"] = annotated
        return requests


def _validators(response) -> tuple[str | None, str | None]:
    """(ETag, Last-Modified) of a response, for the next conditional request."""
    etag, last_modified = response.headers.get(b"ETag"), response.headers.get(b"Last-Modified")
    return (etag.decode("latin-1") if etag else None, last_modified.decode("latin-1") if last_modified else None)
