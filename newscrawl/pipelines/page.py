"""The page side of the data path: one fetched page in, one analysed item out.

Decoding, parsing and the page stages (`NEWSCRAWL_PAGE_STAGES`: clean,
validate, topics, signatures) need nothing but the page, so they run where
pages are analysed: a parse worker process, or the crawl's own process
(`newscrawl.crawl.analyser` decides). Whatever they find (fields, codec, a
wall instead of content, a reason to refuse the page) is written on the
item, which then travels whole to the writer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from scrapy.exceptions import DropItem
from scrapy.settings import BaseSettings

from ..analysis.blocked import TEASER_CHARS, blocked_reason
from ..analysis.encoding import decode_html
from ..items import Rejected
from ..sites.extract import extract_article
from . import build_stages

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FetchedPage:
    """What the downloader got for an article URL: all the page stages may read."""

    url: str  # the URL the response came from (after redirects)
    status: int
    headers: dict[str, str]
    content_type: str
    body: bytes


class PageAnalysis:
    def __init__(self, stages: list):
        self.stages = stages

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> "PageAnalysis":
        return cls(build_stages(settings.getdict("NEWSCRAWL_PAGE_STAGES"), "from_settings", settings))

    def analyse(self, item: dict, page: FetchedPage | None) -> dict:
        """`item` (url, site, provenance; `error` when the fetch failed) completed from `page`."""
        if page is not None:
            self._read(item, page)
        for stage in self.stages:
            try:
                item = stage.process_item(item)
            except Rejected as exc:
                item["rejected"] = {"reason": exc.reason, "detail": exc.detail}
                break
            except DropItem as exc:
                item["rejected"] = {"reason": "dropped", "detail": str(exc)}
                break
            except Exception as exc:  # a stage crashed on this page: a reject, never a lost page
                logger.error("page stage %s failed on %s", type(stage).__name__, item.get("url"), exc_info=exc)
                item["rejected"] = {"reason": "pipeline_error", "detail": f"{type(exc).__name__}: {exc}"}
                break
        return item

    @staticmethod
    def _read(item: dict, page: FetchedPage) -> None:
        html, item["codec"] = decode_html(page.body, page.content_type)
        try:
            fields = extract_article(html, page.url)
        except Exception as exc:  # the parser met a page it cannot read: a parse_error reject
            fields, item["error"] = None, f"parse_error: {type(exc).__name__}: {exc}"
        # A page whose parser found a full article is content; only a short or
        # missing body is worth the (costly) look for a challenge, wall or void.
        if fields is None or len(fields.get("body") or "") < TEASER_CHARS:
            blocked = blocked_reason(page.status, page.headers, html, url=page.url)
            if blocked:
                item["blocked"], item["error"] = blocked, f"{blocked}: status {page.status}"
                return
        if fields is not None:
            # After a redirect the article lives at the parsed URL; the requested
            # one is closed in the same transaction as the article row.
            if fields["url"] != item["url"]:
                item["requested_url"] = item["url"]
            item.update(fields)
