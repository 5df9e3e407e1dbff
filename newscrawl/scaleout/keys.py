"""The names of a crawl's Redis keys: the one place they are spelled.

Every key of a crawl starts with `newscrawl:<crawl name>:`, so several
crawls (and other programs) can share one Redis database.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CrawlKeys:
    name: str = "news"

    @property
    def prefix(self) -> str:
        return f"newscrawl:{self.name}:"

    def __getattr__(self, what: str) -> str:  # only for the names listed in KEYS
        if what in KEYS:
            return self.prefix + what
        raise AttributeError(what)

    def worker_leases(self, worker: str) -> str:
        """The URLs one worker holds leases on (renewed together by its heartbeat)."""
        return f"{self.prefix}wleases:{worker}"

    def host(self, host: str) -> str:
        """A host's politeness state: when the next request may start, and requests in flight."""
        return f"{self.prefix}host:{host}"

    def host_slots(self, host: str) -> str:
        return f"{self.prefix}slots:{host}"

    def everything(self) -> list[str]:
        return [self.prefix + key for key in KEYS if key != "crawl"]


# crawl     hash    id, run_id, ready, begun, ending, status, summary, exit, sites, totals...
# queue     zset    URL -> score (articles before listings); payloads in `reqs`
# reqs      hash    URL -> JSON {url, kind, site, meta, cond}: the request, until its outcome is committed
# leases    zset    URL -> deadline (ms, Redis clock); `owner` says whose
# owner     hash    URL -> worker id
# attempts  hash    URL -> leases that expired on it (a page that keeps killing workers is given up)
# seen      hash    URL -> 1: claimed, skipped or refused in this crawl (the seen-URL set)
# stored    hash    URL -> fetched_at of stored articles (seeded from SQLite, kept by the writer)
# finished  hash    URL -> done | failed | retry:<not before> of earlier runs' article URLs
# validators hash   URL -> JSON [etag, last_modified]
# workers   zset    worker id -> last heartbeat (ms)
# ops       stream  every outcome, for the writer (consumer group `writer`)
KEYS = ("crawl", "queue", "reqs", "leases", "owner", "attempts", "seen", "stored", "finished", "validators",
        "workers", "ops")
GROUP = "writer"
