"""The full-text search index: an FTS5 table over `articles`, kept by triggers.

Queries over it (the query language, ranking, the API) are in
`newscrawl.analyst.search`.

How accent-free search works
----------------------------
`articles_fts` is an FTS5 table with *external content* (`content='articles'`):
it stores only the index; titles, summaries and bodies stay in `articles`.
Triggers on `articles` index a folded copy of each text, and the tokenizer
(`unicode61 remove_diacritics 2`) does the rest of the folding:

* the triggers replace `đ`/`Đ` (and `ð`/`Ð`, which mis-decoded Vietnamese
  text uses for them) with `d`/`D` -- the one Vietnamese letter the tokenizer
  does not fold, because U+0111 has no Unicode decomposition;
* the tokenizer strips every other mark (tone marks, breve, circumflex, horn,
  also when the text arrives decomposed, NFD) and lower-cases.

So `điện gió`, `Điện Gió`, `dien gio`, `hoà` and `hòa` all index and query
as `dien gio` / `hoa`, and an accented query finds exactly what the same
query typed without accents finds. The price: accent-free search cannot tell
`điện` from `diễn`; phrases ("điện gió") keep that rare.

Because the content table is `articles`, `snippet()` and `highlight()` show
the *original* accented text with the matched words marked (the folded copy
has the same words in the same places, so token positions line up).

Why only built-in SQL in the triggers: any connection that writes `articles`
-- the crawler, the `sqlite3` shell, sqlite-utils, Datasette -- fires them,
and a trigger calling an application-defined function would fail there with
"no such function". `replace()` is always there. Rules for writers:

* `INSERT`, `UPDATE`, `DELETE` and `INSERT ... ON CONFLICT DO UPDATE` (the
  Store's upsert, sqlite-utils' `upsert`) keep the index exact.
* `INSERT OR REPLACE` deletes the old row without firing delete triggers
  unless `PRAGMA recursive_triggers = ON`; the old entry then lingers (it is
  never returned, searches join on `articles`, but it skews counts).
  `apply_analyst_schema()` notices the count mismatch and rebuilds.
* Never run FTS5's own `'rebuild'` or `'integrity-check'` on `articles_fts`:
  they read `articles` unfolded. Use `rebuild_search_index()`.

Ranking is bm25 with the title weighted above the lead, and the lead above
the body (`COLUMN_WEIGHTS`), stored as the table's `rank` so `ORDER BY rank`
uses it in any client, Datasette included.
"""

from __future__ import annotations

import sqlite_utils

FTS_TABLE = "articles_fts"
TOKENIZER = "unicode61 remove_diacritics 2"
COLUMNS = ("title", "summary", "body")
COLUMN_WEIGHTS = {"title": 10.0, "summary": 4.0, "body": 1.0}
# Letters the tokenizer does not fold, as the triggers fold them.
FOLD_LETTERS = {"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"}

TRIGGERS = ("articles_fts_insert", "articles_fts_delete", "articles_fts_update")


# --- schema ---------------------------------------------------------------------


def sql_fold(expression: str) -> str:
    """SQL (built-in functions only) that folds the letters the tokenizer keeps."""
    for letter, plain in FOLD_LETTERS.items():
        expression = f"replace({expression}, '{letter}', '{plain}')"
    return expression


def _fts_create_sql() -> str:
    return (
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({', '.join(COLUMNS)}, "
        f"content='articles', content_rowid='rowid', tokenize='{TOKENIZER}')"
    )


def _index_row(prefix: str) -> str:
    return ", ".join(sql_fold(f"{prefix}.{c}") for c in COLUMNS)


def _trigger_sql() -> dict[str, str]:
    cols = ", ".join(COLUMNS)
    insert = f"INSERT INTO {FTS_TABLE}(rowid, {cols}) VALUES (new.rowid, {_index_row('new')});"
    delete = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {cols}) VALUES ('delete', old.rowid, {_index_row('old')});"
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in ("rowid", *COLUMNS))
    return {
        "articles_fts_insert": f"CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN\n  {insert}\nEND",
        "articles_fts_delete": f"CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN\n  {delete}\nEND",
        "articles_fts_update": (
            f"CREATE TRIGGER articles_fts_update AFTER UPDATE ON articles WHEN {changed} BEGIN\n"
            f"  {delete}\n  {insert}\nEND"
        ),
    }


def _master_sql(db: sqlite_utils.Database, name: str) -> str | None:
    row = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


def apply_analyst_schema(db: sqlite_utils.Database, rebuild: bool = False) -> None:
    """Create (or bring up to date) the search index, its triggers and the analyst views.

    Idempotent, and writes nothing when everything is already current, so
    every command can call it. The index is rebuilt from `articles` when it
    is new, when the tokenizer or the triggers' folding changed (an entry
    must be deleted with exactly the text it was indexed with), when its row
    count disagrees with `articles`, or on `rebuild=True`.
    """
    from .views import create_views

    with db.atomic():
        fts_sql = _fts_create_sql()
        existing = _master_sql(db, FTS_TABLE)
        if existing is not None and existing != fts_sql:
            for name in TRIGGERS:
                db.execute(f"DROP TRIGGER IF EXISTS {name}")
            db.execute(f"DROP TABLE {FTS_TABLE}")
            existing = None
        if existing is None:
            db.execute(fts_sql)
            rebuild = True
        weights = ", ".join(str(COLUMN_WEIGHTS[c]) for c in COLUMNS)
        rank = db.execute(f"SELECT v FROM {FTS_TABLE}_config WHERE k = 'rank'").fetchone()
        if rank is None or rank[0] != f"bm25({weights})":
            # `ORDER BY rank` in any client (Datasette too) then weighs the title most.
            db.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('rank', ?)", [f"bm25({weights})"])
        for name, sql in _trigger_sql().items():
            if _master_sql(db, name) != sql:
                db.execute(f"DROP TRIGGER IF EXISTS {name}")
                db.execute(sql)
                rebuild = True
        if rebuild or _index_out_of_step(db):
            _rebuild(db)
        create_views(db)


def _index_out_of_step(db: sqlite_utils.Database) -> bool:
    (indexed,) = db.execute(f"SELECT count(*) FROM {FTS_TABLE}_docsize").fetchone()
    (articles,) = db.execute("SELECT count(*) FROM articles").fetchone()
    return indexed != articles


def _rebuild(db: sqlite_utils.Database) -> None:
    cols = ", ".join(COLUMNS)
    db.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
    db.execute(f"INSERT INTO {FTS_TABLE}(rowid, {cols}) SELECT a.rowid, {_index_row('a')} FROM articles a")
    db.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")


def rebuild_search_index(db: sqlite_utils.Database) -> None:
    """Re-index every article from scratch (after bulk writes with the triggers off)."""
    with db.atomic():
        _rebuild(db)


def search_index_status(db: sqlite_utils.Database) -> dict:
    """Articles, indexed entries, and entries whose article is gone (stale)."""
    (articles,) = db.execute("SELECT count(*) FROM articles").fetchone()
    (indexed,) = db.execute(f"SELECT count(*) FROM {FTS_TABLE}_docsize").fetchone()
    (stale,) = db.execute(
        f"SELECT count(*) FROM {FTS_TABLE}_docsize d WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.rowid = d.id)"
    ).fetchone()
    return {"articles": articles, "indexed": indexed, "stale": stale, "in_step": articles == indexed and not stale}


def has_analyst_schema(db: sqlite_utils.Database) -> bool:
    return _master_sql(db, FTS_TABLE) is not None
