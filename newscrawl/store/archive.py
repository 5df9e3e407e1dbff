"""The page archive: every fetched article page, compressed, beside the database.

A parser fix should repair months of stored rows without fetching anything
again: `newscrawl reparse` runs today's parsers over this archive. The
archive is also a replay source (`newscrawl crawl --replay output/newscrawl.archive.db`).
It is its own SQLite file, so the article database stays small for analysts.
"""

from __future__ import annotations

import json
import zlib
from datetime import date
from pathlib import Path

import sqlite_utils
from scrapy.responsetypes import responsetypes

from ..analysis.text import now_iso
from ..analysis.urls import canonical_url


def archive_path_for(db_path: str | Path) -> Path:
    """`output/newscrawl.db` -> `output/newscrawl.archive.db`."""
    path = Path(db_path)
    return path.with_name(path.stem + ".archive.db")


class PageArchive:
    def __init__(self, path: str | Path, batch_size: int = 50):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(self.path)
        self.db.enable_wal()
        self.db.execute("PRAGMA busy_timeout = 10000")
        if "pages" not in self.db.table_names():
            self.db["pages"].create(
                {"id": int, "url": str, "site": str, "fetched_at": str, "status": int, "headers": str, "body": bytes},
                pk="id",
            )
            self.db["pages"].create_index(["url", "fetched_at"])
        self.batch_size = batch_size
        self._pending: list[dict] = []

    # --- writing --------------------------------------------------------------
    def add(self, url: str, site: str, status: int, headers: dict, body: bytes, fetched_at: str | None = None) -> None:
        self._pending.append({
            "url": url, "site": site, "fetched_at": fetched_at or now_iso(), "status": status,
            "headers": json.dumps(headers, ensure_ascii=False), "body": zlib.compress(body, 1),  # fast: it runs per page
        })
        if len(self._pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, []
            with self.db.atomic():
                self.db["pages"].insert_all(pending)

    def close(self) -> None:
        self.flush()
        self.db.close()

    # --- reading (also the replay-source interface) -------------------------------
    def urls(self, site: str | None = None) -> list[tuple[str, str]]:
        """(url, site) of every archived page, newest fetch first per URL."""
        where, params = ("WHERE site = ?", [site]) if site else ("", [])
        rows = self.db.execute(f"SELECT url, site FROM pages {where} GROUP BY url ORDER BY max(fetched_at) DESC", params)
        return list(rows)

    def lookup(self, url: str) -> dict | None:
        for candidate in dict.fromkeys((url, canonical_url(url))):
            row = self.db.execute(
                "SELECT url, status, headers, body, fetched_at FROM pages WHERE url = ? ORDER BY fetched_at DESC, id DESC LIMIT 1",
                [candidate],
            ).fetchone()
            if row:
                return {"url": row[0], "status": row[1], "headers": json.loads(row[2] or "{}"), "body": zlib.decompress(row[3]), "fetched_at": row[4]}
        return None

    def response(self, url: str, request=None):
        page = self.lookup(url)
        if page is None:
            return None
        cls = responsetypes.from_args(headers=page["headers"], url=url, body=page["body"])
        return cls(url=url, status=page["status"], headers=page["headers"], body=page["body"], request=request, flags=["replay"])

    def recorded_on(self) -> date | None:
        newest = self.db.execute("SELECT max(fetched_at) FROM pages").fetchone()[0]
        return date.fromisoformat(newest[:10]) if newest else None

    def __len__(self) -> int:
        return self.db.execute("SELECT count(DISTINCT url) FROM pages").fetchone()[0]
