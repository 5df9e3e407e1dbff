"""Related stage: follow the headlines editors linked, within limits.

Only here is it known that an article is new, valid and on topic, so this
stage schedules its related links on the running crawl (not a second one)
and writes down, per link, whether it was followed and if not why:
`depth` (RELATED_DEPTH reached), `offsite` (no parser for the host, or the
site is not in this crawl), `already_stored`, `duplicate` (already
requested in this run), `reparse` (re-parsing the archive follows
nothing). Off-topic articles never get here; the store marks their links
`off_topic_source`.
"""

from __future__ import annotations

from itemadapter import ItemAdapter


class RelatedFollowPipeline:
    def __init__(self, crawler, max_depth: int = 2, stored_urls: set[str] | None = None):
        self.crawler = crawler
        self.max_depth = max_depth
        self.stored_urls = stored_urls if stored_urls is not None else set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.getint("RELATED_DEPTH", 2))

    def open_spider(self):
        # The frontier already read which articles are stored.
        self.stored_urls = set(self.crawler.spider.frontier.fetched_at)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        spider = self.crawler.spider
        depth = int(adapter.get("depth") or 0)
        links = []
        for link in adapter.get("related") or []:
            reason = self._reason_not_to_follow(spider, link["url"], depth)
            if reason is None:
                request = spider.article_request(link["url"], "related", adapter["url"], depth + 1)
                if request is None:
                    reason = "duplicate"
                else:
                    self.crawler.engine.crawl(request)
                    self.crawler.stats.inc_value("newscrawl/related/followed")
            if reason:
                self.crawler.stats.inc_value(f"newscrawl/related/not_followed/{reason}")
            links.append({**link, "followed": int(reason is None), "reason": reason})
        adapter["related"] = links
        self.stored_urls.add(adapter["url"])
        return item

    def _reason_not_to_follow(self, spider, url: str, depth: int) -> str | None:
        if getattr(spider, "reparse", False):
            return "reparse"
        if depth >= self.max_depth:
            return "depth"
        if not spider.may_follow(url):
            return "offsite"
        if url in self.stored_urls:
            return "already_stored"
        if url in spider.seen:
            return "duplicate"
        return None
