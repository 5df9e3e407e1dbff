"""What a run did, per site: counts, rejects by reason, field coverage.

The writer records every outcome here as it writes the row (see
`outcomes.Outcomes`), including rows it takes back, such as an article this
run stored that a better copy later demoted, so the figures always equal
the rows this run left. The same figures feed the end-of-run summary, the
`crawl_runs` row and the exit code.
"""

from __future__ import annotations

import copy
import json
from collections import Counter, defaultdict

from ..items import COVERAGE_FIELDS

CHANGES = ("new", "updated", "unchanged")


class RunTally:
    def __init__(self):
        self.stored: Counter = Counter()
        self.changes: dict[str, Counter] = defaultdict(Counter)  # site -> new/updated/unchanged
        self.duplicates: Counter = Counter()
        self.demoted: Counter = Counter()  # articles of earlier runs that this run found to be copies
        self.duplicate_kinds: Counter = Counter()  # exact / near, over all sites
        self.replaced = 0  # stored articles (this run's or earlier) demoted by an earlier-published copy
        self.rejects: dict[str, Counter] = defaultdict(Counter)
        self.again: Counter = Counter()  # pages that reached the writer twice in a run (redirects)
        self.retry_later: Counter = Counter()  # article URLs a transient failure put back for a later run
        self.gave_up: Counter = Counter()  # ... and those that had failed too often: now rejects
        self.parsed: Counter = Counter()  # pages a parser turned into fields
        self.filled: dict[str, Counter] = defaultdict(Counter)
        # Whole-run totals, plain ints: the progress line reads them from another thread.
        self.total_stored = self.total_duplicates = self.total_rejected = 0

    def snapshot(self) -> dict:
        """The figures as of now (taken at each commit), to go back to if a batch is rolled back."""
        return copy.deepcopy(self.__dict__)

    def restore(self, snapshot: dict) -> None:
        self.__dict__.update(copy.deepcopy(snapshot))

    def to_json(self) -> str:
        """The figures, kept in the run's row at each commit so a restarted writer goes on counting."""
        return json.dumps(self.__dict__, ensure_ascii=False)

    def load_json(self, text: str) -> None:
        for name, value in json.loads(text).items():
            current = getattr(self, name, None)
            if isinstance(current, defaultdict):
                value = defaultdict(Counter, {site: Counter(counts) for site, counts in value.items()})
            elif isinstance(current, Counter):
                value = Counter(value)
            setattr(self, name, value)

    # --- recording (the writer's thread) ---------------------------------------------
    def parsed_page(self, item: dict) -> None:
        """Coverage counts every parsed page, kept or not: a redesign that empties
        bodies shows here even though validation keeps those pages out."""
        if item.get("error"):  # never parsed: the fetch or the parser failed
            return
        site = item.get("site") or "?"
        self.parsed[site] += 1
        for field in COVERAGE_FIELDS:
            if item.get(field):
                self.filled[site][field] += 1

    def article(self, site: str, change: str, count: int = 1) -> None:
        self.stored[site] += count
        self.changes[site][change] += count
        self.total_stored += count

    def duplicate(self, site: str, kind: str, count: int = 1) -> None:
        self.duplicates[site] += count
        self.duplicate_kinds[kind] += count
        self.total_duplicates += count

    def reject(self, site: str, reason: str, count: int = 1) -> None:
        self.rejects[site][reason] += count
        if not self.rejects[site][reason]:
            del self.rejects[site][reason]
        self.total_rejected += count

    # --- reading ----------------------------------------------------------------------
    def coverage(self) -> dict[str, dict[str, float]]:
        """Share of parsed articles per site that got each field (0.0-1.0)."""
        return {
            site: {field: round(self.filled[site][field] / count, 3) for field in COVERAGE_FIELDS}
            for site, count in self.parsed.items() if count
        }

    def collapsed_fields(self, warn_at: float = 0.0) -> list[tuple[str, str]]:
        """(site, field) pairs whose coverage fell to `warn_at` or below."""
        return [
            (site, field)
            for site, shares in self.coverage().items()
            for field, share in shares.items()
            if share <= warn_at and field in ("title", "body", "published")
        ]

    def sites(self) -> list[str]:
        named = set(self.stored) | set(self.duplicates) | set(self.rejects) | set(self.retry_later)
        return sorted(site for site in named
                      if self.stored[site] or self.duplicates[site] or self.rejects.get(site) or self.retry_later[site])

    def as_stats(self) -> dict[str, int]:
        """The totals as Scrapy stats keys (`newscrawl/stored`, `newscrawl/rejected/<reason>`, ...)."""
        stats = {"newscrawl/stored": self.total_stored, "newscrawl/duplicates": self.total_duplicates,
                 "newscrawl/rejected": self.total_rejected}
        stats["newscrawl/duplicate/replaced_stored"] = self.replaced
        stats["newscrawl/frontier/retry_later"] = sum(self.retry_later.values())
        stats["newscrawl/frontier/gave_up_transient"] = sum(self.gave_up.values())
        for kind, count in self.duplicate_kinds.items():
            stats[f"newscrawl/duplicate/{kind}"] = count
        for reasons in self.rejects.values():
            for reason, count in reasons.items():
                stats[f"newscrawl/rejected/{reason}"] = stats.get(f"newscrawl/rejected/{reason}", 0) + count
        return {key: count for key, count in stats.items() if count}

    def as_dict(self) -> dict:
        return {
            site: {
                "stored": self.stored[site],
                **{change: self.changes[site][change] for change in CHANGES},
                "duplicates": self.duplicates[site],
                "demoted": self.demoted[site],
                "rejects": dict(self.rejects[site]),
                "retry_later": self.retry_later[site],
            }
            for site in self.sites()
        }

