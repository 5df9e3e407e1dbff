"""The one sink for what happened to a page: stored, copy, reject.

Every outcome row (`articles`, `duplicates`, `rejects`) is written here and
nowhere else, together with its tally entry and the frontier row that
closes the page, in the writer's transaction. Rows an outcome takes back
(the reject of a page that is an article now, an article demoted by a
better copy) are taken back from the tally too, so the run summary and
`crawl_runs` always equal the tables.
"""

from __future__ import annotations

import logging

from .tables import Store
from .tally import RunTally

logger = logging.getLogger(__name__)


class Outcomes:
    def __init__(self, store: Store, tally: RunTally):
        self.store = store
        self.tally = tally

    def stored(self, item: dict) -> str:
        """Store an article (new, updated or unchanged), its links and signature."""
        url, site = item["url"], item.get("site") or ""
        self.tally.parsed_page(item)
        self.tally.article(site, self.store.write_article(item))
        self.store.write_related(url, item.get("related") or [])
        self.store.write_facts(url, item.get("facts"))
        if item.get("signature") is not None:
            self.store.write_near(url, item["band_keys"], item["signature"], item["shingles"], item.get("published"))
        cleared = self.store.clear_reject(url)
        if cleared and cleared[0] == self.store.run_id:
            self.tally.reject(cleared[1], cleared[2], -1)
        cleared = self.store.clear_duplicate(url)
        if cleared and cleared[0] == self.store.run_id:
            self.tally.duplicate(cleared[1], cleared[2], -1)
        self._close(item, "done", None)
        return url

    def rejected(self, item: dict, reason: str, detail: str) -> None:
        url, site = item["url"], item.get("site") or ""
        self.tally.parsed_page(item)
        self.store.write_reject(url, site, reason, detail)
        self.tally.reject(site, reason)
        if reason == "off_topic":  # its links were not followed, and the rows say why
            self.store.write_related(url, item.get("related") or [])
        logger.info("rejected %s: %s: %s", url, reason, detail)
        self._close(item, "done", reason)

    def duplicate(self, item: dict, duplicate_of: str, similarity: float, kind: str) -> None:
        """This page is a copy of `duplicate_of` (kept)."""
        self.tally.parsed_page(item)
        self._copy(item["url"], duplicate_of, similarity, kind, item.get("site") or "", item.get("title") or "")
        self._close(item, "done", f"{kind}_duplicate")

    def demoted(self, url: str, original: str, similarity: float, kind: str) -> None:
        """A stored article turned out to be a later copy of `original` (being stored now)."""
        stored_now = self.store.article_change_this_run(url)
        site = stored_now[0] if stored_now else (self.store.stored_site(url) or "")
        if stored_now:
            self.tally.article(site, stored_now[1], -1)
        else:
            self.tally.demoted[site] += 1
        self.tally.replaced += 1
        logger.info("%s, stored before, is a later copy of %s: now a %s duplicate", url, original, kind)
        self._copy(url, original, similarity, kind, site, "")
        self.store.mark(url, "done", f"{kind}_duplicate")

    def again(self, item: dict) -> None:
        """The same article reached the writer twice in one run (two URLs redirecting to it)."""
        self.tally.again[item.get("site") or ""] += 1
        self._close(item, "done", "already_processed")

    def _copy(self, url: str, duplicate_of: str, similarity: float, kind: str, site: str, title: str) -> None:
        self.store.write_duplicate(url, duplicate_of, round(similarity, 3), kind, site, title)
        self.tally.duplicate(site, kind)

    def _close(self, item: dict, state: str, reason: str | None) -> None:
        """The page's frontier row (and the one a redirect came from) closes with its outcome."""
        self.store.mark(item["url"], state, reason)
        requested = item.get("requested_url")
        if requested and requested != item["url"]:
            self.store.mark(requested, state, f"redirected to {item['url']}")
