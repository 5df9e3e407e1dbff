"""The baseline: bare Scrapy, parsing only title and body, on the same site.

Run by crawl_throughput.py as `scrapy runspider benchmarks/bare_spider.py
-a base=http://127.0.0.1:PORT -a start=...`; it reaches the local server
directly (rewriting the real host in each link) and follows listing pages
and article links, nothing else.
"""

from urllib.parse import urlsplit

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, base: str, start: str, **kwargs):
        super().__init__(**kwargs)
        self.base = base.rstrip("/")
        self.start_url = start

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
