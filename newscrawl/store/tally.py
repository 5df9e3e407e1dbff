"""What a run did, per site: counts, rejects by reason, field coverage.

Kept apart from the store so the same figures feed the end-of-run summary,
the `crawl_runs` row and the exit code.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from ..items import COVERAGE_FIELDS


class RunTally:
    def __init__(self):
        self.stored: Counter = Counter()
        self.changes: dict[str, Counter] = defaultdict(Counter)  # site -> new/updated/unchanged
        self.duplicates: Counter = Counter()
        self.rejects: dict[str, Counter] = defaultdict(Counter)
        self.parsed: Counter = Counter()  # pages a parser turned into fields
        self.filled: dict[str, Counter] = defaultdict(Counter)

    def _parsed(self, item: dict) -> None:
        """Coverage counts every parsed page, kept or not: a redesign that empties
        bodies shows here even though validation keeps those pages out."""
        if item.get("error"):  # never parsed: the fetch failed
            return
        site = item.get("site") or "?"
        self.parsed[site] += 1
        for field in COVERAGE_FIELDS:
            if item.get(field):
                self.filled[site][field] += 1

    def article(self, item: dict, change: str = "new") -> None:
        site = item.get("site") or "?"
        self.stored[site] += 1
        self.changes[site][change] += 1
        self._parsed(item)

    def reject(self, item: dict, reason: str) -> None:
        self.rejects[item.get("site") or "?"][reason] += 1
        self._parsed(item)

    def duplicate(self, item: dict) -> None:
        self.duplicates[item.get("site") or "?"] += 1
        self._parsed(item)

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
        return sorted(set(self.stored) | set(self.duplicates) | set(self.rejects))

    def as_dict(self) -> dict:
        return {
            site: {
                "stored": self.stored[site],
                **{change: self.changes[site][change] for change in ("new", "updated", "unchanged")},
                "duplicates": self.duplicates[site],
                "rejects": dict(self.rejects[site]),
            }
            for site in self.sites()
        }


def format_summary(tally: RunTally, stats: dict, mode: str, elapsed: float, db_path: str, totals: dict) -> str:
    lines = [f"newscrawl {mode} crawl finished in {elapsed:.1f}s: {stats.get('response_received_count', 0)} pages fetched"]
    not_modified = sum(v for k, v in stats.items() if k.startswith("newscrawl/http/not_modified/"))
    skipped = stats.get("newscrawl/frontier/skipped_stored", 0)
    if not_modified or skipped:
        lines.append(f"  unchanged: {not_modified} listings/feeds/sitemaps answered 304, {skipped} stored articles not fetched again")
    if stats.get("newscrawl/frontier/resumed"):
        lines.append("  resumed URLs an earlier, interrupted run left unfinished")
    misses = stats.get("newscrawl/replay/miss")
    if misses:
        lines.append(f"  replay: {misses} URL(s) had no saved page (see the log for which)")
    coverage = tally.coverage()
    for site in tally.sites():
        rejects = ", ".join(f"{reason} {n}" for reason, n in sorted(tally.rejects[site].items())) or "none"
        changes = tally.changes[site]
        lines.append(
            f"  {site}: {stats.get(f'newscrawl/pages/{site}', 0)} pages, {tally.stored[site]} stored "
            f"({changes['new']} new, {changes['updated']} updated, {changes['unchanged']} unchanged), "
            f"{tally.duplicates[site]} duplicates, rejects: {rejects}"
        )
        if site in coverage:
            shares = "  ".join(f"{field} {share:.0%}" for field, share in coverage[site].items())
            lines.append(f"    coverage: {shares}")
    for site, field in tally.collapsed_fields():
        lines.append(f"  WARNING: no {site} article got a {field}: the site's markup may have changed")
    if not tally.sites():
        lines.append("  nothing was stored or rejected: check the start URLs, the network or the replay folder")
    lines.append(
        f"  database {db_path}: {totals.get('articles', 0)} articles, {totals.get('related_links', 0)} related links, "
        f"{totals.get('rejects', 0)} rejects, {totals.get('duplicates', 0)} duplicates"
    )
    return "\n".join(lines)
