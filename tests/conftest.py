"""Shared test helpers: fixture paths, a temp database, a crawl in a subprocess.

A crawl runs in its own process because Twisted's reactor cannot be started
twice in one interpreter; that is also how operators run it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEED_SCRAPE = Path(__file__).parent / "data" / "seed_scrape.txt"
SEED_URL = "https://baodautu.vn/hai-phong-chuyen-doi-so-huong-toi-phat-trien-ben-vung-d282157.html"


def run_cli(*args: str, cwd: Path = ROOT, timeout: float = 300, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m newscrawl ARGS` and return the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "newscrawl", *args],
        cwd=cwd, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )


def query(db_path: Path, sql: str, params=()) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql, params).fetchall()


def table_counts(db_path: Path) -> dict[str, int]:
    return {t: query(db_path, f"SELECT count(*) FROM {t}")[0][0] for t in ("articles", "related_links", "rejects", "duplicates")}


def manifest_entries() -> list[dict]:
    entries = []
    for manifest in sorted(FIXTURES.rglob("manifest.json")):
        for page in json.loads(manifest.read_text(encoding="utf-8"))["pages"]:
            entries.append(dict(page, path=manifest.parent / page["file"]))
    return entries


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "test.db"


def project_settings(**overrides):
    """The project's settings, as a crawl sees them, with `overrides` on top."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    settings.update(overrides, priority="cmdline")
    return settings


def signed(item):
    """An item as the page stages leave it for the writer: with its body hash and signature."""
    from newscrawl.pipelines.signatures import SignaturePipeline

    return SignaturePipeline().process_item(item)


class WriterForTests:
    """A started writer with a run open; `write(item)` waits for the outcome, `commit()` for the disk."""

    def __init__(self, path, **overrides):
        from newscrawl.store.writer import Writer

        self.writer = Writer(path, project_settings(**overrides)).start()
        self.closed = False
        self.run_id = self.call(lambda w: w.store.start_run("test", ["test"]))

    def call(self, fn, *args):
        return self.writer.call(fn, *args).result(timeout=30)

    def write(self, item):
        return self.writer.write_item(item).result(timeout=30)

    def commit(self):
        self.call(lambda w: w.commit_now())

    @property
    def tally(self):
        return self.writer.tally

    def close(self):
        if not self.closed:
            self.closed = True
            self.writer.close()


@pytest.fixture
def make_writer(db_path):
    """`make_writer(path=db_path, **settings)`: a WriterForTests, closed at the end of the test."""
    made = []

    def make(path=None, **overrides):
        writer = WriterForTests(path or db_path, **overrides)
        made.append(writer)
        return writer

    yield make
    for writer in made:
        writer.close()
