"""Store stage: articles, related links, rejects and duplicates into SQLite.

It also hears every dropped item (Scrapy's `item_dropped` signal) so the
reasons land in `rejects` / `duplicates`, and at the end of the run writes
the `crawl_runs` row with the stats, field coverage and a readable summary.
"""

from __future__ import annotations

import logging
import time

from itemadapter import ItemAdapter
from scrapy import signals

from ..crawl.lock import RunLock
from ..store.tally import RunTally, format_summary
from ..store.schema import Store
from . import Duplicate, Rejected

logger = logging.getLogger(__name__)

_STORE_ATTRIBUTE = "_newscrawl_store"


def shared_store(crawler) -> Store:
    """The crawl's one database writer, shared by every stage that needs it."""
    store = getattr(crawler, _STORE_ATTRIBUTE, None)
    if store is None:
        settings = crawler.settings
        lock = RunLock(settings.get("NEWSCRAWL_DB")).acquire()  # raises AlreadyRunning
        store = Store(settings.get("NEWSCRAWL_DB"), settings.getint("NEWSCRAWL_BATCH_SIZE", 100))
        store.lock = lock
        setattr(crawler, _STORE_ATTRIBUTE, store)
    return store


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.store = shared_store(crawler)
        self.tally = RunTally()
        self.started = time.monotonic()
        self.summary = ""
        self.stored_hashes: dict[str, str | None] = {}

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.item_error, signal=signals.item_error)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    @property
    def mode(self) -> str:
        if getattr(self.crawler.spider, "reparse", False):
            return "reparse"
        return "replay" if self.crawler.settings.get("NEWSCRAWL_REPLAY_DIR") else "live"

    def open_spider(self):
        spider = self.crawler.spider
        sites = [site.name for site in getattr(spider, "sites", [])]
        self.started = time.monotonic()
        run_id = self.store.start_run(self.mode, sites)
        self.stored_hashes = self.store.url_hashes()
        logger.info("run %s started (%s, sites: %s, database %s)", run_id, self.mode, ", ".join(sites), self.store.path)

    def process_item(self, item):
        data = ItemAdapter(item).asdict()
        self.store.add_article(data)
        previous = self.stored_hashes.get(data["url"], False)
        change = "new" if previous is False else ("unchanged" if previous == data.get("body_hash") else "updated")
        self.stored_hashes[data["url"]] = data.get("body_hash")
        self.tally.article(data, change)
        self.crawler.stats.inc_value("newscrawl/stored")
        return item

    def item_dropped(self, item, response, exception, spider=None):
        adapter = ItemAdapter(item)
        url, site = adapter.get("url") or (response.url if response is not None else ""), adapter.get("site") or ""
        if isinstance(exception, Rejected):
            self.store.add_reject(url, site, exception.reason, exception.detail)
            if exception.reason == "off_topic":
                # Say why this page's related headlines were not followed.
                links = [{**link, "followed": 0, "reason": "off_topic_source"} for link in adapter.get("related") or []]
                self.store.add_related(url, links)
            self.tally.reject(adapter.asdict(), exception.reason)
            self.crawler.stats.inc_value(f"newscrawl/rejected/{exception.reason}")
            logger.info("rejected %s: %s", url, exception)
        elif isinstance(exception, Duplicate):
            self.store.add_duplicate(url, exception.duplicate_of, exception.similarity, exception.kind, site, adapter.get("title") or "")
            self.tally.duplicate(adapter.asdict())
            self.crawler.stats.inc_value(f"newscrawl/duplicate/{exception.kind}")

    def item_error(self, item, response, spider=None, failure=None):
        """A stage crashed on this item: keep it as a reject, never lose it silently."""
        adapter = ItemAdapter(item)
        url = adapter.get("url") or (response.url if response is not None else "")
        error = failure.value if failure is not None else None
        detail = f"{type(error).__name__}: {error}" if error is not None else "unknown error"
        self.store.add_reject(url, adapter.get("site") or "", "pipeline_error", detail)
        self.tally.reject({"site": adapter.get("site"), "error": "pipeline_error"}, "pipeline_error")
        self.crawler.stats.inc_value("newscrawl/rejected/pipeline_error")

    def close_spider(self):
        self.store.flush()

    def spider_closed(self, spider, reason):
        """Runs after every stage closed: the run's figures are final here."""
        stats = self.crawler.stats.get_stats()
        collapsed = self.tally.collapsed_fields(self.crawler.settings.getfloat("NEWSCRAWL_COVERAGE_WARN", 0.0))
        # Dead links and refused pages are the web's normal state (they are rejects);
        # a crash in our own code is a failed run.
        crashed = stats.get("newscrawl/rejected/pipeline_error", 0) or any(k.startswith("spider_exceptions/") for k in stats)
        failed = reason not in ("finished", "closespider_pagecount", "closespider_itemcount") or bool(collapsed) or bool(crashed)
        elapsed = time.monotonic() - self.started
        self.summary = format_summary(self.tally, stats, self.mode, elapsed, str(self.store.path), self.store.counts())
        stats_out = {k: v for k, v in stats.items() if isinstance(v, (int, float, str))}
        stats_out["newscrawl/sites"] = self.tally.as_dict()
        self.store.finish_run("failed" if failed else "ok", stats_out, self.tally.coverage(), self.summary)
        self.crawler.stats.set_value("newscrawl/run_id", self.store.run_id)
        self.crawler.stats.set_value("newscrawl/status", "failed" if failed else "ok")
        for line in self.summary.splitlines():
            logger.info(line)
        self.store.close()
        self.store.lock.release()
