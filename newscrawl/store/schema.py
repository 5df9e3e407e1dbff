"""The database's one definition: schema, migrations and batched writes.

sqlite-utils creates and migrates the schema (`Migrations`, applied on first
use); the hot path writes with prepared upserts in one transaction per batch,
so a crash leaves either the whole batch or none of it. WAL mode lets
analysts read while a crawl writes. One writer per database.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from ..analysis.text import now_iso

ARTICLE_COLUMNS = {
    "url": str,  # canonical URL, primary key
    "site": str,
    "title": str,
    "summary": str,
    "body": str,
    "authors": str,  # JSON list
    "published": str,  # ISO 8601 with offset
    "category": str,
    "tags": str,  # JSON list
    "language": str,
    "parser": str,  # "<site>/<layout>"
    "found_via": str,  # start | listing | sitemap | feed | related
    "found_via_url": str,  # the page that led to it
    "depth": int,
    "body_hash": str,
    "topics": str,  # JSON list
    "green_score": float,
    "fetched_at": str,
    "first_seen_at": str,
    "updated_at": str,
    "run_id": int,
}
RELATED_COLUMNS = {"article_url": str, "position": int, "url": str, "headline": str, "followed": int, "reason": str}
REJECT_COLUMNS = {"url": str, "site": str, "reason": str, "detail": str, "run_id": int, "rejected_at": str}
DUPLICATE_COLUMNS = {
    "url": str, "duplicate_of": str, "similarity": float, "kind": str,
    "site": str, "title": str, "run_id": int, "detected_at": str,
}
RUN_COLUMNS = {
    "id": int, "started_at": str, "finished_at": str, "mode": str, "sites": str,
    "status": str, "stats": str, "coverage": str, "summary": str,
}

FRONTIER_COLUMNS = {
    "url": str, "kind": str,  # article | listing | sitemap | feed
    "site": str, "state": str,  # pending -> leased -> done (or failed)
    "meta": str,  # JSON: what the request needs to be made again (found_via, depth, page)
    "attempts": int,  # runs that ended with this URL still unfinished
    "reason": str, "run_id": int, "updated_at": str,
}
VERSION_COLUMNS = {
    "id": int, "url": str, "title": str, "summary": str, "body": str, "body_hash": str,
    "published": str, "fetched_at": str, "replaced_at": str, "run_id": int,
}

migrations = Migrations("newscrawl")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db["articles"].create(ARTICLE_COLUMNS, pk="url", not_null={"site", "title"})
    db["articles"].create_index(["site", "published"])
    db["articles"].create_index(["body_hash"])
    db["related_links"].create(RELATED_COLUMNS, pk=("article_url", "position"))
    db["related_links"].create_index(["url"])
    db["rejects"].create(REJECT_COLUMNS, pk="url")
    db["duplicates"].create(DUPLICATE_COLUMNS, pk="url")
    db["duplicates"].create_index(["duplicate_of"])
    db["crawl_runs"].create(RUN_COLUMNS, pk="id")


@migrations()
def m002_near_duplicates(db: sqlite_utils.Database) -> None:
    # LSH buckets (one row per band per article), clustered by key so a
    # lookup reads a few adjacent rows however large the table grows.
    db.execute("CREATE TABLE near_index (key INTEGER NOT NULL, url TEXT NOT NULL, PRIMARY KEY (key, url)) WITHOUT ROWID")
    db["near_index"].create_index(["url"])
    db["near_signatures"].create({"url": str, "signature": bytes, "shingles": int, "published": str}, pk="url")


@migrations()
def m003_frontier_and_versions(db: sqlite_utils.Database) -> None:
    # The durable frontier: every URL the crawl meant to fetch, and how far it got.
    db["frontier"].create(FRONTIER_COLUMNS, pk="url")
    db["frontier"].create_index(["state"])
    # ETag / Last-Modified of listings, feeds and sitemaps, for conditional requests.
    db["http_validators"].create({"url": str, "etag": str, "last_modified": str, "updated_at": str}, pk="url")
    # Earlier texts of articles whose text changed when re-fetched.
    db["article_versions"].create(VERSION_COLUMNS, pk="id")
    db["article_versions"].create_index(["url"])


@migrations()
def m004_analyst(db: sqlite_utils.Database) -> None:
    # Full-text search (accent- and đ-folding), views and topic names: see search.py.
    from .search_index import apply_analyst_schema

    apply_analyst_schema(db)


def _upsert_sql(table: str, columns: Iterable[str], key: Iterable[str], keep: Iterable[str] = ()) -> str:
    columns, key, keep = list(columns), list(key), set(keep)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key and c not in keep)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"
    )


_ARTICLE_UPSERT = _upsert_sql("articles", ARTICLE_COLUMNS, ["url"], keep=["first_seen_at"])
_REJECT_UPSERT = _upsert_sql("rejects", REJECT_COLUMNS, ["url"])
_DUPLICATE_UPSERT = _upsert_sql("duplicates", DUPLICATE_COLUMNS, ["url"])


def open_database(path: str | Path) -> sqlite_utils.Database:
    """Open (creating folders, schema and WAL on first use) the crawl database."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA busy_timeout = 10000")
    db.enable_wal()
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA cache_size = -65536")  # 64 MB: index lookups stay in memory
    db.execute("PRAGMA mmap_size = 1073741824")  # read pages without a syscall each
    migrations.apply(db)
    return db


def article_row(item: dict, run_id: int | None, now: str) -> dict:
    found_via = item.get("found_via") or {}
    return {
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


class Store:
    """Buffered writer: queue writes in order, commit them in one transaction per batch.

    Everything goes through one queue, so a page's frontier row turns `done`
    in the same transaction as its article (or reject, or duplicate) row, and
    a listing's validators are written only after the links it revealed:
    a crash loses nothing that was acknowledged and half of nothing.
    """

    def __init__(self, path: str | Path, batch_size: int = 100):
        self.path = Path(path)
        self.db = open_database(self.path)
        self.batch_size = max(1, int(batch_size))
        self.run_id: int | None = None
        self._pending: list[tuple[str, tuple]] = []
        self._items = 0
        self._snapshot: list[tuple] | None = None  # see _stored()
        self._writers = {
            "article": self._write_article, "related": self._write_related, "reject": self._write_reject,
            "duplicate": self._write_duplicate, "near": self._write_near, "frontier": self._write_frontier,
            "state": self._write_state, "validators": self._write_validators,
        }

    # --- runs -----------------------------------------------------------------
    def start_run(self, mode: str, sites: list[str]) -> int:
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO crawl_runs (started_at, mode, sites, status) VALUES (?, ?, ?, 'running')",
                [now_iso(), mode, json.dumps(sites)],
            )
        self.run_id = cursor.lastrowid
        return self.run_id

    def finish_run(self, status: str, stats: dict, coverage: dict, summary: str) -> None:
        self.flush()
        with self.db.atomic():
            self.db.execute(
                "UPDATE crawl_runs SET finished_at = ?, status = ?, stats = ?, coverage = ?, summary = ? WHERE id = ?",
                [now_iso(), status, json.dumps(stats, ensure_ascii=False, default=str),
                 json.dumps(coverage, ensure_ascii=False), summary, self.run_id],
            )

    # --- queued writes --------------------------------------------------------
    def add_article(self, item: dict) -> None:
        row = article_row(item, self.run_id, now_iso())
        self.add_related(item["url"], item.get("related") or [])
        self._queue("article", (tuple(row.values()), item["url"]))
        self.mark(item["url"], "done")
        if item.get("requested_url"):
            self.mark(item["requested_url"], "done", f"redirected to {item['url']}")

    def add_related(self, article_url: str, links: list[dict]) -> None:
        """Replace the related links of `article_url` (an article, or a rejected page)."""
        rows = [
            (article_url, position, link["url"], link.get("headline") or "", link.get("followed"), link.get("reason"))
            for position, link in enumerate(links, start=1)
        ]
        self._queue("related", (article_url, rows))

    def add_reject(self, url: str, site: str, reason: str, detail: str = "") -> None:
        self._queue("reject", (url, site, reason, detail, self.run_id, now_iso()))
        self.mark(url, "done", reason)

    def add_duplicate(self, url: str, duplicate_of: str, similarity: float, kind: str, site: str = "", title: str = "") -> None:
        """`url` is a copy of `duplicate_of`; a stored article at `url` is removed."""
        self._queue("duplicate", (url, duplicate_of, similarity, kind, site, title, self.run_id, now_iso()))
        self.mark(url, "done", f"{kind}_duplicate")

    def add_near_signature(self, url: str, keys: list[int], signature: bytes, shingles: int, published: str | None) -> None:
        self._queue("near", (url, keys, signature, shingles, published))

    def add_to_frontier(self, url: str, kind: str, site: str, meta: dict) -> None:
        """A URL the crawl will fetch: `pending` until its outcome is written."""
        self._queue("frontier", (url, kind, site, json.dumps(meta, ensure_ascii=False), self.run_id, now_iso()))

    def mark(self, url: str, state: str, reason: str | None = None) -> None:
        """Move a frontier URL to `leased`, `done` or `failed` (no-op for unknown URLs)."""
        self._queue("state", (state, reason, self.run_id, now_iso(), url))

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        if etag or last_modified:
            self._queue("validators", (url, etag, last_modified, now_iso()))

    def _queue(self, kind: str, payload: tuple) -> None:
        """Queue a write; a batch is `batch_size` articles, rejects or duplicates."""
        self._pending.append((kind, payload))
        if kind in ("article", "reject", "duplicate"):
            self._items += 1
        if self._items >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Write everything queued, in order, in one transaction."""
        if not self._pending:
            return
        pending, self._pending, self._items = self._pending, [], 0
        self._snapshot = None
        conn = self.db.conn
        with self.db.atomic():
            for kind, payload in pending:
                self._writers[kind](conn, payload)

    # --- writers (inside the batch's transaction) ---------------------------------
    @staticmethod
    def _write_article(conn, payload) -> None:
        values, url = payload
        row = dict(zip(ARTICLE_COLUMNS, values))
        # A changed text replaces the old one; the old one is kept as a version.
        conn.execute(
            "INSERT INTO article_versions (url, title, summary, body, body_hash, published, fetched_at, replaced_at, run_id) "
            "SELECT url, title, summary, body, body_hash, published, fetched_at, ?, ? FROM articles "
            "WHERE url = ? AND (body_hash IS NOT ? OR title IS NOT ?)",
            [row["updated_at"], row["run_id"], url, row["body_hash"], row["title"]],
        )
        conn.execute(_ARTICLE_UPSERT, values)
        conn.execute("DELETE FROM rejects WHERE url = ?", [url])
        conn.execute("DELETE FROM duplicates WHERE url = ?", [url])

    @staticmethod
    def _write_related(conn, payload) -> None:
        url, rows = payload
        conn.execute("DELETE FROM related_links WHERE article_url = ?", [url])
        conn.executemany(
            "INSERT INTO related_links (article_url, position, url, headline, followed, reason) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )

    @staticmethod
    def _write_reject(conn, payload) -> None:
        conn.execute(_REJECT_UPSERT, payload)

    @staticmethod
    def _write_duplicate(conn, payload) -> None:
        url, duplicate_of = payload[0], payload[1]
        conn.execute(_DUPLICATE_UPSERT, payload)
        for table, column in (("related_links", "article_url"), ("articles", "url"), ("near_index", "url"), ("near_signatures", "url")):
            conn.execute(f"DELETE FROM {table} WHERE {column} = ?", [url])
        # Copies recorded against the demoted article now point at the original.
        conn.execute("UPDATE duplicates SET duplicate_of = ? WHERE duplicate_of = ?", [duplicate_of, url])

    @staticmethod
    def _write_near(conn, payload) -> None:
        url, keys, blob, shingles, published = payload
        conn.execute("DELETE FROM near_index WHERE url = ?", [url])
        conn.executemany("INSERT OR IGNORE INTO near_index (key, url) VALUES (?, ?)", [(key, url) for key in keys])
        conn.execute(
            "INSERT OR REPLACE INTO near_signatures (url, signature, shingles, published) VALUES (?, ?, ?, ?)",
            [url, blob, shingles, published],
        )

    @staticmethod
    def _write_frontier(conn, payload) -> None:
        url, kind, site, meta, run_id, now = payload
        conn.execute(
            "INSERT INTO frontier (url, kind, site, state, meta, attempts, run_id, updated_at) VALUES (?, ?, ?, 'pending', ?, 0, ?, ?) "
            "ON CONFLICT (url) DO UPDATE SET state = 'pending', meta = excluded.meta, run_id = excluded.run_id, updated_at = excluded.updated_at",
            [url, kind, site, meta, run_id, now],
        )

    @staticmethod
    def _write_state(conn, payload) -> None:
        state, reason, run_id, now, url = payload
        # Re-issuing what an interrupted run left (state "pending" again) counts an attempt.
        bump = 1 if state == "pending" else 0
        conn.execute(
            "UPDATE frontier SET state = ?, reason = ?, run_id = ?, updated_at = ?, attempts = attempts + ? WHERE url = ?",
            [state, reason, run_id, now, bump, url],
        )

    @staticmethod
    def _write_validators(conn, payload) -> None:
        conn.execute("INSERT OR REPLACE INTO http_validators (url, etag, last_modified, updated_at) VALUES (?, ?, ?, ?)", payload)

    # --- reads ----------------------------------------------------------------
    def _stored(self) -> list[tuple[str, str | None, str | None, str | None]]:
        """(url, body_hash, published, fetched_at) of every stored article, read once:
        the dedupe, store and frontier stages all start from it. Valid until the next write."""
        if self._snapshot is None:
            self._snapshot = list(self.db.execute("SELECT url, body_hash, published, fetched_at FROM articles"))
        return self._snapshot

    def body_hashes(self) -> dict[str, tuple[str, str | None]]:
        return {body_hash: (url, published) for url, body_hash, published, _ in self._stored() if body_hash is not None}

    def url_hashes(self) -> dict[str, str | None]:
        """Stored article URL -> body hash: tells new, updated and unchanged apart."""
        return {url: body_hash for url, body_hash, _, _ in self._stored()}

    def fetched_at(self) -> dict[str, str]:
        """Stored article URL -> when it was last fetched (for refresh decisions)."""
        return {url: fetched for url, _, _, fetched in self._stored()}

    def provenance(self) -> dict[str, tuple[str, str | None, int]]:
        """Stored article URL -> (found_via, found_via_url, depth), kept by reparse."""
        rows = self.db.execute("SELECT url, found_via, found_via_url, depth FROM articles")
        return {url: (kind or "archive", referrer, depth or 0) for url, kind, referrer, depth in rows}

    def unfinished(self) -> list[dict]:
        """Frontier URLs a previous run left pending or leased: to be fetched again."""
        rows = self.db.execute("SELECT url, kind, site, meta, attempts FROM frontier WHERE state IN ('pending', 'leased')")
        return [{"url": u, "kind": k, "site": s, "meta": json.loads(m or "{}"), "attempts": a} for u, k, s, m, a in rows]

    def finished_urls(self) -> set[str]:
        """Article URLs whose outcome is recorded (stored, rejected, duplicate, failed)."""
        return {u for (u,) in self.db.execute("SELECT url FROM frontier WHERE kind = 'article' AND state IN ('done', 'failed')")}

    def validators(self) -> dict[str, tuple[str | None, str | None]]:
        return {u: (e, m) for u, e, m in self.db.execute("SELECT url, etag, last_modified FROM http_validators")}

    def near_candidates(self, keys: list[int]) -> dict[str, tuple[bytes, int, str | None]]:
        """Stored articles sharing an LSH bucket with `keys`: url -> (signature, shingles, published)."""
        marks = ",".join("?" * len(keys))
        rows = self.db.execute(
            f"SELECT s.url, s.signature, s.shingles, s.published FROM near_signatures s "
            f"WHERE s.url IN (SELECT url FROM near_index WHERE key IN ({marks}))",
            keys,
        )
        return {url: (blob, shingles, published) for url, blob, shingles, published in rows}

    def counts(self) -> dict[str, int]:
        return {t: self.db[t].count for t in ("articles", "related_links", "rejects", "duplicates", "crawl_runs")}

    def close(self) -> None:
        self.flush()
        self.db.close()
