"""The end-of-run summary an operator reads, and the run's row when the writer is gone.

The figures come from the writer's tally (so they equal the tables) and
Scrapy's stats; the first line says how the run ended and, when it did not
simply finish, why and what to do.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from ..analysis.text import now_iso
from .tally import RunTally

ENDINGS = {"finished": "finished", "failed": "FAILED", "interrupted": "INTERRUPTED"}


def format_summary(tally: RunTally, stats: dict, mode: str, elapsed: float, db_path: str, totals: dict,
                   status: str = "finished", why: str | None = None) -> str:
    ended = ENDINGS.get(status, status)
    lines = [f"newscrawl {mode} crawl {ended} after {elapsed:.1f}s: {stats.get('response_received_count', 0)} pages fetched"]
    if why:
        lines.append(f"  why: {why}")
    not_modified = sum(v for k, v in stats.items() if k.startswith("newscrawl/http/not_modified/"))
    skipped_stored = stats.get("newscrawl/frontier/skipped_stored", 0)
    skipped_finished = stats.get("newscrawl/frontier/skipped_finished", 0)
    if not_modified or skipped_stored or skipped_finished:
        lines.append(f"  unchanged: {not_modified} pages answered 304 (not modified), {skipped_stored} stored articles "
                     f"and {skipped_finished} pages finished earlier (rejects, duplicates) not fetched again")
    if stats.get("newscrawl/frontier/resumed"):
        lines.append(f"  resumed {stats['newscrawl/frontier/resumed']} URLs an earlier, interrupted run left unfinished")
    if stats.get("newscrawl/frontier/retried"):
        lines.append(f"  retried {stats['newscrawl/frontier/retried']} URLs that had failed for a reason that may pass")
    misses = stats.get("newscrawl/replay/miss")
    if misses:
        lines.append(f"  replay: {misses} URL(s) had no saved page (see the log for which)")
    coverage = tally.coverage()
    for site in tally.sites():
        rejects = ", ".join(f"{reason} {n}" for reason, n in sorted(tally.rejects[site].items())) or "none"
        changes = tally.changes[site]
        demoted = f" ({tally.demoted[site]} stored earlier, now found to be copies)" if tally.demoted[site] else ""
        retry = f", {tally.retry_later[site]} to retry in a later run" if tally.retry_later[site] else ""
        lines.append(
            f"  {site}: {stats.get(f'newscrawl/pages/{site}', 0)} pages, {tally.stored[site]} stored "
            f"({changes['new']} new, {changes['updated']} updated, {changes['unchanged']} unchanged), "
            f"{tally.duplicates[site]} duplicates{demoted}, rejects: {rejects}{retry}"
        )
        if site in coverage:
            shares = "  ".join(f"{field} {share:.0%}" for field, share in coverage[site].items())
            lines.append(f"    coverage: {shares}")
    for site, field in tally.collapsed_fields():
        lines.append(f"  WARNING: no {site} article got a {field}: the site's markup may have changed")
    if not tally.sites() and status == "finished":
        lines.append("  nothing new: every article found was stored or settled before")
    waiting = stats.get("newscrawl/frontier/waiting_retry", 0)
    if waiting:
        lines.append(f"  {waiting} URLs wait for a retry in a later run (transient failures; see `newscrawl runs`)")
    if totals:
        lines.append(
            f"  database {db_path}: {totals.get('articles', 0)} articles, {totals.get('related_links', 0)} related links, "
            f"{totals.get('rejects', 0)} rejects, {totals.get('duplicates', 0)} duplicates"
        )
    return "\n".join(lines)


def record_failed_run(path: str | Path, run_id: int, stats: dict, summary: str) -> None:
    """Mark a run `failed` on a connection of its own (the writer's is gone): one small update."""
    conn = sqlite3.connect(path, timeout=5)
    try:
        with conn:
            conn.execute("UPDATE crawl_runs SET finished_at = ?, status = 'failed', stats = ?, summary = ? WHERE id = ?",
                         [now_iso(), json.dumps(stats, ensure_ascii=False, default=str), summary, run_id])
    finally:
        conn.close()
