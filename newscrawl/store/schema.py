"""The database's one definition: tables, columns, migrations, connection settings.

sqlite-utils creates and migrates the schema (`Migrations`, applied on first
use). WAL mode lets analysts read while a crawl writes. What is written and
read, and when, is `tables.Store`; who writes (one writer per database) is
`writer.Writer`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations


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
    "source_outlet": str,  # the paper a republished story credits ("" when the site wrote it)
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

# What articles report (newscrawl.facts), one row per mention; `position` is the mention's
# order in the article, `start` its character offset in summary + blank line + body.
FACT_COLUMNS = {
    "article_url": str, "position": int, "kind": str,  # capacity | money | emissions | area | percent
    "value": float, "unit": str,  # normalised: MW, MWh, VND, USD, tCO2e, ha, %
    "printed": str, "subject": str, "target_year": int, "planned": int,
    "province": str,  # the province it is about: one named in its sentence, else the article's first
    "sentence": str, "start": int,
}
PLACE_COLUMNS = {"article_url": str, "position": int, "printed": str, "province": str, "start": int}
DOCUMENT_COLUMNS = {
    "article_url": str, "position": int, "printed": str, "doc_id": str,
    "number": str, "year": int, "type": str, "issuer": str, "name": str, "start": int,
}
ORGANISATION_COLUMNS = {"article_url": str, "position": int, "printed": str, "name": str, "start": int}
FACT_TABLES = {"facts": FACT_COLUMNS, "places": PLACE_COLUMNS, "documents": DOCUMENT_COLUMNS, "organisations": ORGANISATION_COLUMNS}

FRONTIER_COLUMNS = {
    "url": str, "kind": str,  # article | listing | sitemap | feed
    "site": str, "state": str,  # pending -> leased -> done; retry (transient failure); failed (given up)
    "meta": str,  # JSON: what the request needs to be made again (found_via, depth, page)
    "attempts": int,  # runs that ended without this URL's outcome (died with it in flight, or a transient failure)
    "reason": str, "run_id": int, "updated_at": str,
    "not_before": str,  # a URL in `retry` waits until then (backoff across runs)
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


@migrations()
def m005_near_index_by_key_only(db: sqlite_utils.Database) -> None:
    # An article's buckets are found from its stored signature when they must go, so
    # the 42 rows each article adds need not be indexed a second time by URL.
    db.execute("DROP INDEX IF EXISTS idx_near_index_url")


@migrations()
def m006_retries_and_run_states(db: sqlite_utils.Database) -> None:
    # Transient failures wait in the frontier for a later run; a run that succeeded is `finished`.
    if "not_before" not in db["frontier"].columns_dict:
        db["frontier"].add_column("not_before", str)
    db.execute("UPDATE crawl_runs SET status = 'finished' WHERE status = 'ok'")


@migrations()
def m007_source_outlet(db: sqlite_utils.Database) -> None:
    # Aggregators (cafef.vn) republish other papers' stories and credit them: provenance.
    if "source_outlet" not in db["articles"].columns_dict:
        db["articles"].add_column("source_outlet", str)


@migrations()
def m008_facts(db: sqlite_utils.Database) -> None:
    # Green facts: one row per mention, replaced whenever the article is stored again.
    for table, columns in FACT_TABLES.items():
        db[table].create(columns, pk=("article_url", "position"), if_not_exists=True)
        db[table].create_index(["article_url"], if_not_exists=True)
    db["facts"].create_index(["kind", "subject"], if_not_exists=True)
    db["documents"].create_index(["doc_id"], if_not_exists=True)


@migrations()
def m009_fact_tables_one_index_by_article(db: sqlite_utils.Database) -> None:
    # The primary key (article_url, position) already finds an article's rows; the
    # second index m008 made on article_url alone only cost every insert.
    for table in FACT_TABLES:
        db.execute(f"DROP INDEX IF EXISTS idx_{table}_article_url")


def _upsert_sql(table: str, columns: Iterable[str], key: Iterable[str], keep: Iterable[str] = ()) -> str:
    columns, key, keep = list(columns), list(key), set(keep)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key and c not in keep)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"
    )


ARTICLE_UPSERT = _upsert_sql("articles", ARTICLE_COLUMNS, ["url"], keep=["first_seen_at"])
REJECT_UPSERT = _upsert_sql("rejects", REJECT_COLUMNS, ["url"])
DUPLICATE_UPSERT = _upsert_sql("duplicates", DUPLICATE_COLUMNS, ["url"])


def open_database(path: str | Path, cache_mb: int = 64, mmap_mb: int = 1024) -> sqlite_utils.Database:
    """Open (creating folders, schema and WAL on first use) the crawl database.

    Analysts' connections read through a memory map and a large page cache;
    the crawl's writer asks for a small cache and no map, because both count
    in the process's memory and would grow with the database.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA busy_timeout = 10000")
    db.enable_wal()
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute(f"PRAGMA cache_size = -{int(cache_mb) * 1024}")
    db.execute(f"PRAGMA mmap_size = {int(mmap_mb) * 1024 * 1024}")
    migrations.apply(db)
    return db
