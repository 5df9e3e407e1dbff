"""Every read and write of the crawl's tables, on one connection.

Only the writer uses it, on the writer's own thread (see `writer.py`).
Statements run at once inside the writer's open transaction, so a read sees
every write before it (this run's claims, stored articles, signatures) and
nothing has to be mirrored in memory; a crash leaves either a whole batch of
writes or none of it.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..analysis.signatures import band_keys, from_blob
from ..analysis.text import now_iso
from .facts_tables import replace_facts
from .schema import ARTICLE_COLUMNS, ARTICLE_UPSERT, DUPLICATE_UPSERT, REJECT_UPSERT, open_database


def article_row(item: dict, run_id: int | None, now: str) -> tuple:
    """The `articles` row of an item, in ARTICLE_COLUMNS order."""
    found_via = item.get("found_via") or {}
    row = {
        "url": item["url"],
        "site": item.get("site") or "",
        "title": item.get("title") or "",
        "summary": item.get("summary") or "",
        "body": item.get("body") or "",
        "authors": json.dumps(list(item.get("authors") or []), ensure_ascii=False),
        "published": item.get("published"),
        "category": item.get("category") or "",
        "tags": json.dumps(list(item.get("tags") or []), ensure_ascii=False),
        "language": item.get("language") or "",
        "parser": item.get("parser") or "",
        "source_outlet": item.get("source_outlet") or "",
        "found_via": found_via.get("kind"),
        "found_via_url": found_via.get("url"),
        "depth": int(item.get("depth") or 0),
        "body_hash": item.get("body_hash"),
        "topics": json.dumps(list(item.get("topics") or []), ensure_ascii=False),
        "green_score": item.get("green_score"),
        "fetched_at": item.get("fetched_at") or now,
        "first_seen_at": now,
        "updated_at": now,
        "run_id": run_id,
    }
    return tuple(row[column] for column in ARTICLE_COLUMNS)


# The writer's page cache: index lookups stay in memory, and the crawl's memory stays
# flat however large the database grows (the OS file cache does the rest).
WRITER_CACHE_MB = 16


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.db = open_database(self.path, cache_mb=WRITER_CACHE_MB, mmap_mb=0)
        self.conn = self.db.conn
        self.conn.isolation_level = None  # transactions are the writer's: BEGIN / COMMIT below
        # Checkpoint the WAL every ~40 MB instead of ~4 MB: index and search pages that
        # many batches touch are copied into the database once, not once per batch.
        self.conn.execute("PRAGMA wal_autocheckpoint = 10000")
        self.run_id: int | None = None

    # --- transactions -------------------------------------------------------------
    def begin(self) -> None:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.commit()
        self.db.close()

    # --- runs -----------------------------------------------------------------------
    def start_run(self, mode: str, sites: list[str]) -> int:
        cursor = self.conn.execute(
            "INSERT INTO crawl_runs (started_at, mode, sites, status) VALUES (?, ?, ?, 'running')",
            [now_iso(), mode, json.dumps(sites)],
        )
        self.run_id = cursor.lastrowid
        return self.run_id

    def mark_killed_runs(self) -> list[int]:
        """Runs still `running` while this one holds the lock died without a word: `killed`."""
        ids = [r[0] for r in self.conn.execute("SELECT id FROM crawl_runs WHERE status = 'running' AND id != ?", [self.run_id])]
        self.conn.execute("UPDATE crawl_runs SET status = 'killed', summary = coalesce(summary, ?) WHERE status = 'running' AND id != ?",
                          [f"killed: found still running by run {self.run_id}, which resumed its unfinished URLs", self.run_id])
        return ids

    def resume_run(self, run_id: int) -> str | None:
        """Carry on writing run `run_id` (its writer was killed); the figures it had committed."""
        self.run_id = run_id
        row = self.conn.execute("SELECT stats FROM crawl_runs WHERE id = ?", [run_id]).fetchone()
        return json.loads(row[0] or "{}").get("newscrawl/tally") if row else None

    def save_progress(self, tally_json: str) -> None:
        """The run's figures so far, in the same transaction as the rows they count."""
        self.conn.execute("UPDATE crawl_runs SET stats = ? WHERE id = ?", [json.dumps({"newscrawl/tally": tally_json}), self.run_id])

    def describe_run(self, mode: str, sites: list[str]) -> None:
        self.conn.execute("UPDATE crawl_runs SET mode = ?, sites = ? WHERE id = ?", [mode, json.dumps(sorted(sites)), self.run_id])

    def run_state(self, run_id: int) -> str | None:
        row = self.conn.execute("SELECT status FROM crawl_runs WHERE id = ?", [run_id]).fetchone()
        return row[0] if row else None

    def crawl_state(self):
        """What a distributed crawl's claims need to know of earlier runs, as three row iterators:
        stored articles (url, fetched_at), settled article URLs (url, state, not_before) and
        HTTP validators (url, etag, last_modified)."""
        return (self.conn.execute("SELECT url, fetched_at FROM articles"),
                self.conn.execute("SELECT url, state, not_before FROM frontier WHERE kind = 'article' "
                                  "AND state IN ('done', 'failed', 'retry')"),
                self.conn.execute("SELECT url, etag, last_modified FROM http_validators"))

    def finish_run(self, status: str, stats: dict, coverage: dict, summary: str) -> None:
        self.conn.execute(
            "UPDATE crawl_runs SET finished_at = ?, status = ?, stats = ?, coverage = ?, summary = ? WHERE id = ?",
            [now_iso(), status, json.dumps(stats, ensure_ascii=False, default=str),
             json.dumps(coverage, ensure_ascii=False), summary, self.run_id],
        )

    # --- articles -----------------------------------------------------------------
    def write_article(self, item: dict) -> str:
        """Insert or update an article; 'new', 'updated' or 'unchanged'.

        A changed text replaces the old one, which is kept in `article_versions`.
        """
        url = item["url"]
        previous = self.conn.execute("SELECT body_hash, title FROM articles WHERE url = ?", [url]).fetchone()
        row = article_row(item, self.run_id, now_iso())
        change = "new" if previous is None else ("unchanged" if previous == (item.get("body_hash"), row[2]) else "updated")
        if change == "updated":
            self.conn.execute(
                "INSERT INTO article_versions (url, title, summary, body, body_hash, published, fetched_at, replaced_at, run_id) "
                "SELECT url, title, summary, body, body_hash, published, fetched_at, ?, ? FROM articles WHERE url = ?",
                [row[-2], self.run_id, url],
            )
        self.conn.execute(ARTICLE_UPSERT, row)
        return change

    def article_change_this_run(self, url: str) -> tuple[str, str] | None:
        """(site, 'new'|'updated'|'unchanged') of an article this run stored, else None."""
        row = self.conn.execute("SELECT site, first_seen_at = updated_at FROM articles WHERE url = ? AND run_id = ?",
                                [url, self.run_id]).fetchone()
        if row is None:
            return None
        site, first_write = row
        if first_write:
            return site, "new"
        replaced = self.conn.execute("SELECT 1 FROM article_versions WHERE url = ? AND run_id = ?", [url, self.run_id]).fetchone()
        return site, "updated" if replaced else "unchanged"

    def stored_site(self, url: str) -> str | None:
        row = self.conn.execute("SELECT site FROM articles WHERE url = ?", [url]).fetchone()
        return row[0] if row else None

    def article_with_body(self, digest: str, other_than: str) -> tuple[str, str | None] | None:
        """(url, published) of a stored article with this body hash, other than `other_than`."""
        return self.conn.execute(
            "SELECT url, published FROM articles WHERE body_hash = ? AND url != ? ORDER BY published, url LIMIT 1",
            [digest, other_than],
        ).fetchone()

    def handled_this_run(self, url: str) -> bool:
        """Has this run already stored, rejected or set aside `url`?"""
        return self.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM articles WHERE url = ?1 AND run_id = ?2) "
            "OR EXISTS (SELECT 1 FROM rejects WHERE url = ?1 AND run_id = ?2) "
            "OR EXISTS (SELECT 1 FROM duplicates WHERE url = ?1 AND run_id = ?2)",
            [url, self.run_id],
        ).fetchone()[0] == 1

    def is_stored(self, url: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE url = ?", [url]).fetchone() is not None

    def provenance(self, url: str) -> tuple[str, str | None, int]:
        """(found_via, found_via_url, depth) of a stored article, kept by reparse."""
        row = self.conn.execute("SELECT found_via, found_via_url, depth FROM articles WHERE url = ?", [url]).fetchone()
        return (row[0] or "archive", row[1], row[2] or 0) if row else ("archive", None, 0)

    def write_facts(self, article_url: str, found: dict | None) -> None:
        replace_facts(self.conn, article_url, found)

    def write_related(self, article_url: str, links: list[dict]) -> None:
        """Replace the related links of `article_url` (an article, or a rejected page)."""
        self.conn.execute("DELETE FROM related_links WHERE article_url = ?", [article_url])
        self.conn.executemany(
            "INSERT INTO related_links (article_url, position, url, headline, followed, reason) VALUES (?, ?, ?, ?, ?, ?)",
            [(article_url, position, link["url"], link.get("headline") or "", link.get("followed"), link.get("reason"))
             for position, link in enumerate(links, start=1)],
        )

    def clear_reject(self, url: str) -> tuple[int | None, str, str] | None:
        """Delete the reject of `url` (it is an article now); its (run_id, site, reason)."""
        return self.conn.execute("DELETE FROM rejects WHERE url = ? RETURNING run_id, site, reason", [url]).fetchone()

    def clear_duplicate(self, url: str) -> tuple[int | None, str, str] | None:
        """Delete the duplicate row of `url` (it is the article now); its (run_id, site, kind)."""
        return self.conn.execute("DELETE FROM duplicates WHERE url = ? RETURNING run_id, site, kind", [url]).fetchone()

    def write_reject(self, url: str, site: str, reason: str, detail: str) -> None:
        self.conn.execute(REJECT_UPSERT, [url, site, reason, detail, self.run_id, now_iso()])

    def write_duplicate(self, url: str, duplicate_of: str, similarity: float, kind: str, site: str, title: str) -> None:
        """`url` is a copy of `duplicate_of`: its row, and no article, links or signature of its own."""
        self.conn.execute(DUPLICATE_UPSERT, [url, duplicate_of, similarity, kind, site, title, self.run_id, now_iso()])
        self._forget_near(url)
        for table, column in (("related_links", "article_url"), ("articles", "url")):
            self.conn.execute(f"DELETE FROM {table} WHERE {column} = ?", [url])
        # Copies recorded against the demoted article now point at the original.
        self.conn.execute("UPDATE duplicates SET duplicate_of = ? WHERE duplicate_of = ?", [duplicate_of, url])

    # --- near-duplicate index ------------------------------------------------------
    def write_near(self, url: str, keys: list[int], signature: bytes, shingles: int, published: str | None) -> None:
        self._forget_near(url)
        self.conn.executemany("INSERT OR IGNORE INTO near_index (key, url) VALUES (?, ?)", [(key, url) for key in keys])
        self.conn.execute("INSERT OR REPLACE INTO near_signatures (url, signature, shingles, published) VALUES (?, ?, ?, ?)",
                          [url, signature, shingles, published])

    def _forget_near(self, url: str) -> None:
        """Take an article out of the index: its buckets come from its stored signature."""
        row = self.conn.execute("DELETE FROM near_signatures WHERE url = ? RETURNING signature", [url]).fetchone()
        if row is not None:
            keys = band_keys(from_blob(row[0]))
            self.conn.execute(f"DELETE FROM near_index WHERE url = ? AND key IN ({','.join('?' * len(keys))})", [url, *keys])

    def near_candidates(self, keys: list[int], other_than: str) -> list[tuple[str, bytes, int, str | None]]:
        """Stored articles sharing an LSH bucket with `keys`: (url, signature, shingles, published)."""
        marks = ",".join("?" * len(keys))
        return self.conn.execute(
            f"SELECT url, signature, shingles, published FROM near_signatures "
            f"WHERE url IN (SELECT url FROM near_index WHERE key IN ({marks})) AND url != ?",
            [*keys, other_than],
        ).fetchall()

    # --- frontier -------------------------------------------------------------------
    def frontier_row(self, url: str) -> tuple[str, int | None, str | None] | None:
        """(state, run_id, not_before) of a frontier URL."""
        return self.conn.execute("SELECT state, run_id, not_before FROM frontier WHERE url = ?", [url]).fetchone()

    def fetched_at(self, url: str) -> str | None:
        row = self.conn.execute("SELECT fetched_at FROM articles WHERE url = ?", [url]).fetchone()
        return row[0] if row else None

    def add_to_frontier(self, url: str, kind: str, site: str | None, meta: dict) -> None:
        """A URL the crawl will fetch: `pending` until its outcome is written (attempts are kept)."""
        self.conn.execute(
            "INSERT INTO frontier (url, kind, site, state, meta, attempts, run_id, updated_at) VALUES (?, ?, ?, 'pending', ?, 0, ?, ?) "
            "ON CONFLICT (url) DO UPDATE SET state = 'pending', meta = excluded.meta, run_id = excluded.run_id, "
            "updated_at = excluded.updated_at, not_before = NULL",
            [url, kind, site, json.dumps(meta, ensure_ascii=False), self.run_id, now_iso()],
        )

    def seen_this_run(self, url: str, kind: str, site: str | None, meta: dict) -> None:
        """A URL this run found and decided not to fetch: later finds in this run are not counted again."""
        self.conn.execute(
            "INSERT INTO frontier (url, kind, site, state, meta, attempts, run_id, updated_at) VALUES (?, ?, ?, 'done', ?, 0, ?, ?) "
            "ON CONFLICT (url) DO UPDATE SET run_id = excluded.run_id",
            [url, kind, site, json.dumps(meta, ensure_ascii=False), self.run_id, now_iso()],
        )

    def mark(self, url: str, state: str, reason: str | None = None) -> None:
        """Move a frontier URL to `leased`, `done` or `failed` (no-op for unknown URLs).

        Re-issuing what an interrupted run left (state `pending` again) counts an attempt.
        """
        self._move(url, state, reason, 1 if state == "pending" else 0)

    def _move(self, url: str, state: str, reason: str | None, attempts_spent: int, not_before: str | None = None) -> None:
        """The one statement that moves a frontier row: state, reason, this run, attempts spent."""
        self.conn.execute(
            "UPDATE frontier SET state = ?, reason = ?, run_id = ?, updated_at = ?, attempts = attempts + ?, not_before = ? WHERE url = ?",
            [state, reason, self.run_id, now_iso(), attempts_spent, not_before, url],
        )

    def attempts(self, url: str) -> int:
        row = self.conn.execute("SELECT attempts FROM frontier WHERE url = ?", [url]).fetchone()
        return row[0] if row else 0

    def retry_later(self, url: str, reason: str, not_before: str) -> None:
        """A transient failure: one more attempt spent, the URL waits for a run after `not_before`."""
        self._move(url, "retry", reason, 1, not_before)

    def give_up(self, url: str, reason: str) -> None:
        """The last transient failure a URL is allowed: `failed` for good, the attempt counted."""
        self._move(url, "failed", reason, 1)

    def requeue(self, url: str) -> None:
        """A retry whose time has come: pending in this run (its failed attempts already counted)."""
        self.conn.execute("UPDATE frontier SET state = 'pending', run_id = ?, updated_at = ?, not_before = NULL WHERE url = ?",
                          [self.run_id, now_iso(), url])

    def unfinished(self, now: str) -> list[dict]:
        """Frontier URLs to fetch again: left pending or leased by a run that died, or waiting
        for a retry whose time has come (`state` tells which)."""
        rows = self.conn.execute(
            "SELECT url, kind, site, meta, attempts, state FROM frontier "
            "WHERE state IN ('pending', 'leased') OR (state = 'retry' AND (not_before IS NULL OR not_before <= ?))", [now])
        return [{"url": u, "kind": k, "site": s, "meta": json.loads(m or "{}"), "attempts": a, "state": st}
                for u, k, s, m, a, st in rows]

    def waiting_retries(self) -> int:
        """URLs that failed for a reason that may pass and wait for a later run."""
        return self.conn.execute("SELECT count(*) FROM frontier WHERE state = 'retry'").fetchone()[0]

    def touch_article(self, url: str) -> str | None:
        """A re-fetch answered 304: the stored copy is current as of now; its site, if stored."""
        row = self.conn.execute("UPDATE articles SET fetched_at = ?, run_id = ? WHERE url = ? RETURNING site",
                                [now_iso(), self.run_id, url]).fetchone()
        return row[0] if row else None

    def validators(self, url: str) -> tuple[str | None, str | None]:
        row = self.conn.execute("SELECT etag, last_modified FROM http_validators WHERE url = ?", [url]).fetchone()
        return row or (None, None)

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        if etag or last_modified:
            self.conn.execute("INSERT OR REPLACE INTO http_validators (url, etag, last_modified, updated_at) VALUES (?, ?, ?, ?)",
                              [url, etag, last_modified, now_iso()])

    # --- figures ----------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        return {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("articles", "related_links", "rejects", "duplicates", "crawl_runs")}

    def counts_by_site(self) -> dict[str, dict[str, int]]:
        """Rows per site in articles, duplicates and rejects: what the tally must agree with."""
        found: dict[str, dict[str, int]] = {}
        for table in ("articles", "duplicates", "rejects"):
            for site, count in self.conn.execute(f"SELECT site, count(*) FROM {table} GROUP BY site"):
                found.setdefault(site, {})[table] = count
        return found
