"""The baseline: bare Scrapy, parsing only title and body, on the same site.

Run by crawl_throughput.py as `scrapy runspider benchmarks/bare_spider.py
-a base=http://127.0.0.1:PORT -a start=... -a stats=FILE`; it reaches the
local server directly (rewriting the real host in each link) and follows
listing pages and article links, nothing else. Its Scrapy stats are written
to FILE at the end, so its crawl time can be read as newscrawl's is.
"""

import json
from datetime import datetime, timezone
from urllib.parse import urlsplit

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, base: str, start: str, stats: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.base = base.rstrip("/")
        self.start_url = start
        self.stats_file = stats

    def local(self, url: str) -> scrapy.Request:
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        return scrapy.Request(self.base + target, headers={"Host": parts.hostname})

    async def start(self):
        request = self.local(self.start_url)
        yield request.replace(callback=self.parse_listing)

    def parse_listing(self, response):
        for href in response.css("ul.list_news_home a::attr(href)").getall():
            yield self.local(href).replace(callback=self.parse_article)
        next_page = response.css("nav.pagation a:last-child::attr(href)").get()
        if next_page and next_page != "p1":
            yield self.local(response.urljoin(next_page).replace(self.base, "https://baodautu.vn")).replace(callback=self.parse_listing)

    def parse_article(self, response):
        yield {
            "title": response.css("div.title-detail::text").get(),
            "body": "\n\n".join(response.css("div#content_detail_news p::text").getall()),
        }

    def closed(self, reason):
        if self.stats_file:
            stats = self.crawler.stats.get_stats()
            # The spider hears spider_closed before Scrapy's CoreStats sets the elapsed time.
            elapsed = (datetime.now(timezone.utc) - stats["start_time"]).total_seconds()
            stats = {**{k: v for k, v in stats.items() if isinstance(v, (int, float, str))}, "elapsed_time_seconds": elapsed}
            with open(self.stats_file, "w", encoding="utf-8") as handle:
                json.dump(stats, handle)
