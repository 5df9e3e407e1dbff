"""What a run did, per site: counts, rejects by reason, field coverage.

The writer records every outcome here as it writes the row (see
`outcomes.Outcomes`), including rows it takes back, such as an article this
run stored that a better copy later demoted, so the figures always equal
the rows this run left. The same figures feed the end-of-run summary, the
`crawl_runs` row and the exit code.
"""

from __future__ import annotations

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
        self.parsed: Counter = Counter()  # pages a parser turned into fields
        self.filled: dict[str, Counter] = defaultdict(Counter)
        # Whole-run totals, plain ints: the progress line reads them from another thread.
        self.total_stored = self.total_duplicates = self.total_rejected = 0

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
        named = set(self.stored) | set(self.duplicates) | set(self.rejects)
        return sorted(site for site in named if self.stored[site] or self.duplicates[site] or self.rejects.get(site))

    def as_stats(self) -> dict[str, int]:
        """The totals as Scrapy stats keys (`newscrawl/stored`, `newscrawl/rejected/<reason>`, ...)."""
        stats = {"newscrawl/stored": self.total_stored, "newscrawl/duplicates": self.total_duplicates,
                 "newscrawl/rejected": self.total_rejected}
        stats["newscrawl/duplicate/replaced_stored"] = self.replaced
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
        demoted = f" ({tally.demoted[site]} stored earlier, now found to be copies)" if tally.demoted[site] else ""
        lines.append(
            f"  {site}: {stats.get(f'newscrawl/pages/{site}', 0)} pages, {tally.stored[site]} stored "
            f"({changes['new']} new, {changes['updated']} updated, {changes['unchanged']} unchanged), "
            f"{tally.duplicates[site]} duplicates{demoted}, rejects: {rejects}"
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
