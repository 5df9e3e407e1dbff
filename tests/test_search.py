"""Full-text search: the folded index, its triggers, the query language, the command."""

from __future__ import annotations

import json
import shutil
import sqlite3
import unicodedata

import pytest
import sqlite_utils
from click.testing import CliRunner

from newscrawl.analyst.commands import search as search_command
from newscrawl.analyst.search import QueryError, build_match, search
from newscrawl.store.schema import open_database
from newscrawl.store.search_index import apply_analyst_schema, search_index_status

from .conftest import SEED_URL, run_cli


@pytest.fixture(scope="module")
def replay_db(tmp_path_factory):
    """The bundled fixtures crawled once (replay), with the analyst schema applied."""
    path = tmp_path_factory.mktemp("replay") / "replay.db"
    result = run_cli("crawl", "--replay", "--db", str(path))
    assert path.exists(), result.stderr[-3000:]
    db = open_database(path)
    assert db["articles"].count > 20, result.stdout + result.stderr[-3000:]
    apply_analyst_schema(db)
    db.close()
    return path


@pytest.fixture
def db(replay_db):
    database = open_database(replay_db)
    yield database
    database.close()


def urls(results) -> list[str]:
    return [r["url"] for r in results]


# --- the acceptance queries ------------------------------------------------

@pytest.mark.parametrize("accented, plain", [
    ("tín chỉ carbon", "tin chi carbon"),
    ("điện gió", "dien gio"),
    ("hoà", "hòa"),
    ("Điện Gió", "DIEN GIO"),
    ("chuyển đổi số Hải Phòng", "chuyen doi so hai phong"),
])
def test_accented_and_plain_queries_find_the_same_articles(db, accented, plain):
    found = search(db, accented, limit=500)
    assert found, accented
    assert sorted(urls(found)) == sorted(urls(search(db, plain, limit=500)))
    # the same query decomposed (NFD) finds the same too
    assert sorted(urls(search(db, unicodedata.normalize("NFD", accented), limit=500))) == sorted(urls(found))


@pytest.mark.parametrize("query", ["chuyển đổi số Hải Phòng", "chuyen doi so hai phong"])
def test_seed_article_ranks_first(db, query):
    assert search(db, query)[0]["url"] == SEED_URL


def test_dien_gio_finds_articles_with_d_stroke(db):
    results = search(db, "dien gio", limit=100)
    titles = [r["title"] for r in results]
    assert any("điện gió" in t.lower() for t in titles)
    assert all("điện" in (r["title"] + r["snippet"]).lower() or "diện" in (r["title"] + r["snippet"]).lower()
               or "gió" in r["snippet"].lower() for r in results)


def test_snippet_shows_the_original_accents_highlighted(db):
    result = search(db, "dien gio ngoai khoi", limit=5)[0]
    assert "[điện gió ngoài khơi]" in result["snippet"].lower()
    assert {"rank", "url", "site", "published", "title", "snippet", "topics", "score"} <= set(result)


def test_title_weighs_more_than_body(tmp_path):
    db = open_database(tmp_path / "t.db")
    apply_analyst_schema(db)
    body_only = {"url": "https://x.vn/body", "site": "x", "title": "Tin tức", "summary": "", "body": "điện gió " * 5 + "và nhiều chữ khác " * 30}
    in_title = {"url": "https://x.vn/title", "site": "x", "title": "Điện gió ngoài khơi", "summary": "", "body": "Một bài báo dài " * 30}
    db["articles"].insert_all([body_only, in_title])
    assert urls(search(db, "dien gio")) == ["https://x.vn/title", "https://x.vn/body"]


# --- the index stays in step with articles --------------------------------------------

def fts_terms(path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    conn.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, articles_fts, 'row')")
    terms = dict(conn.execute("SELECT term, cnt FROM temp.v"))
    conn.close()
    return terms


def test_replaying_twice_does_not_double_the_index(replay_db, tmp_path):
    path = tmp_path / "twice.db"
    shutil.copy(replay_db, path)
    before = fts_terms(path)
    result = run_cli("crawl", "--replay", "--db", str(path))
    assert path.exists(), result.stderr[-2000:]
    db = open_database(path)
    status = search_index_status(db)
    assert status["in_step"], status
    assert fts_terms(path) == before
    assert len(search(db, "dien gio", limit=500)) == len({r["url"] for r in search(db, "dien gio", limit=500)})
    db.close()


def make_db(tmp_path):
    db = open_database(tmp_path / "w.db")
    apply_analyst_schema(db)
    return db


def test_plain_sqlite3_writes_keep_the_index_exact(tmp_path):
    """A connection with no newscrawl code (sqlite3 shell, Datasette) can write articles."""
    make_db(tmp_path).close()
    conn = sqlite3.connect(tmp_path / "w.db")
    conn.execute("INSERT INTO articles (url, site, title, body) VALUES ('u1', 's', 'Đồng bằng', 'điện gió ngoài khơi')")
    conn.execute("INSERT INTO articles (url, site, title, body) VALUES ('u2', 's', 'Khác', 'tín chỉ carbon')")
    conn.execute("UPDATE articles SET body = 'điện mặt trời' WHERE url = 'u1'")
    conn.execute("DELETE FROM articles WHERE url = 'u2'")
    conn.commit()
    conn.close()
    db = sqlite_utils.Database(tmp_path / "w.db")
    assert urls(search(db, "dien mat troi")) == ["u1"]
    assert urls(search(db, "dong bang")) == ["u1"]
    assert search(db, "dien gio") == [] and search(db, "carbon") == []
    assert search_index_status(db)["in_step"]


def test_upserts_keep_the_index_exact(tmp_path):
    db = make_db(tmp_path)
    row = {"url": "u1", "site": "s", "title": "Điện gió", "summary": "", "body": "một"}
    db["articles"].upsert(row, pk="url")
    db["articles"].upsert(dict(row, title="Tín chỉ carbon"), pk="url")
    db["articles"].upsert(dict(row, title="Tín chỉ carbon"), pk="url")  # unchanged: no reindex
    assert search(db, "dien gio") == [] and urls(search(db, "tin chi")) == ["u1"]
    assert search_index_status(db) == {"articles": 1, "indexed": 1, "stale": 0, "in_step": True}


def test_insert_or_replace_is_exact_with_recursive_triggers_and_repaired_without(tmp_path):
    db = make_db(tmp_path)
    db["articles"].insert({"url": "u1", "site": "s", "title": "Điện gió", "summary": "", "body": "x"})
    db.execute("PRAGMA recursive_triggers = ON")
    db["articles"].insert({"url": "u1", "site": "s", "title": "Hoà bình", "summary": "", "body": "x"}, replace=True)
    assert search_index_status(db)["in_step"] and search(db, "dien gio") == []
    db.execute("PRAGMA recursive_triggers = OFF")
    db["articles"].insert({"url": "u1", "site": "s", "title": "Thuỷ sản", "summary": "", "body": "x"}, replace=True)
    assert not search_index_status(db)["in_step"]  # the replaced row's entry lingers...
    assert urls(search(db, "thuy san")) == ["u1"] and search(db, "hoa binh") == []  # ...but is never returned
    apply_analyst_schema(db)  # notices and rebuilds
    assert search_index_status(db)["in_step"]


def test_backfills_existing_articles_and_is_idempotent(tmp_path):
    db = open_database(tmp_path / "old.db")
    db["articles"].insert({"url": "u1", "site": "s", "title": "Điện gió", "summary": "", "body": "x"})
    apply_analyst_schema(db)
    assert urls(search(db, "dien gio")) == ["u1"]
    (version,) = db.execute("PRAGMA schema_version").fetchone()
    changes = db.conn.total_changes
    apply_analyst_schema(db)
    assert db.execute("PRAGMA schema_version").fetchone()[0] == version  # nothing recreated
    assert db.conn.total_changes == changes  # nothing written
    triggers = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"articles_fts_insert", "articles_fts_delete", "articles_fts_update"} <= triggers


def test_triggers_use_only_built_in_sql():
    conn = sqlite3.connect(":memory:")  # no newscrawl functions registered
    conn.execute("CREATE TABLE articles (url TEXT PRIMARY KEY, site TEXT, title TEXT, summary TEXT, body TEXT)")
    apply_analyst_schema(sqlite_utils.Database(conn))
    conn.execute("INSERT INTO articles VALUES ('u', 's', 'Đà Nẵng', '', '')")
    assert conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'da nang'").fetchone() == (1,)


# --- queries ------------------------------------------------------------------------

@pytest.mark.parametrize("typed, expected", [
    ("tín chỉ carbon", '"tin" AND "chi" AND "carbon"'),
    ('"điện gió" ngoài khơi', '"dien gio" AND "ngoai" AND "khoi"'),
    ("các-bon", '"cac bon"'),
    ("carb*", '"carb"*'),
    ("điện gió OR điện mặt trời", '("dien" AND "gio") OR ("dien" AND "mat" AND "troi")'),
    ("phát thải -carbon", '("phat" AND "thai") NOT ("carbon")'),
    ('thải -"tín chỉ"', '("thai") NOT ("tin chi")'),
    ("TP.HCM", '"tp hcm"'),
    ('"unclosed phrase', '"unclosed phrase"'),
    ("Hoà", '"hoa"'),
])
def test_build_match(typed, expected):
    assert build_match(typed) == expected


@pytest.mark.parametrize("typed", [
    "'); DROP TABLE articles; --", 'NEAR(a b', "title:carbon", "^carbon", "a AND", "AND OR NOT", '"""', "x*y*",
    "{title}: gió", "carbon + -", "\x00 gió", "a\"b\"c", "NOT điện",
])
def test_hostile_queries_are_safe(db, typed):
    """Either a clean QueryError or a valid expression of quoted words; never an FTS5 syntax error."""
    try:
        expression = build_match(typed)
    except QueryError:
        return
    db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [expression]).fetchone()
    search(db, typed)
    assert db["articles"].count > 20


@pytest.mark.parametrize("typed", ["", "   ", '"', "-carbon", "!!! ...", "OR"])
def test_queries_without_words_are_refused(typed):
    with pytest.raises(QueryError):
        build_match(typed)


def test_filters(db):
    assert {r["site"] for r in search(db, "dien gio", site="nhandan", limit=100)} == {"nhandan"}
    assert all(r["published"] >= "2026-11-10" for r in search(db, "doanh nghiep", since="2026-11-10", limit=100))
    carbon = search(db, "doanh nghiep", topic="carbon_markets", limit=100)
    assert carbon and all("carbon_markets" in r["topics"] for r in carbon)
    assert urls(search(db, "doanh nghiep", topic="Thị trường và tín chỉ carbon", limit=100)) == urls(carbon)
    with pytest.raises(QueryError, match="unknown topic"):
        search(db, "gio", topic="nope")
    with pytest.raises(QueryError, match="not a date"):
        search(db, "gio", since="20/11/2026")


def test_ranking_is_capped_to_the_newest_matches(db):
    every = search(db, "doanh nghiep", limit=1000, max_ranked=None)
    assert not every.capped and len(every) > 10
    capped = search(db, "doanh nghiep", limit=1000, max_ranked=5)
    assert capped.capped and len(capped) == 5
    newest = [r[0] for r in db.execute(
        "SELECT a.url FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
        "WHERE articles_fts MATCH ? ORDER BY a.rowid DESC LIMIT 5", [build_match("doanh nghiep")])]
    assert set(urls(capped)) == set(newest)
    # a filter that leaves too few of the newest falls back to ranking every match
    site = every[-1]["site"]
    assert set(urls(search(db, "doanh nghiep", site=site, limit=1000, max_ranked=2))) == \
        {r["url"] for r in every if r["site"] == site}


# --- the command --------------------------------------------------------------------

def test_cli_text_output(replay_db):
    result = CliRunner().invoke(search_command, ["chuyen doi so hai phong", "--db", str(replay_db), "--limit", "3"])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[:3]
    assert "2025-06-30" in first[0] and "baodautu" in first[0] and "Hải Phòng" in first[0]
    assert SEED_URL in first[2]


def test_cli_json_output(replay_db):
    result = CliRunner().invoke(search_command, ["tín chỉ carbon", "--db", str(replay_db), "--json", "--site", "vnexpress"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows and all(r["site"] == "vnexpress" for r in rows)
    assert "[" in rows[0]["snippet"] and rows[0]["published"] and rows[0]["url"].startswith("https://")


@pytest.mark.parametrize("args, message", [
    (['"'], "no words"),
    (["--", "-carbon"], "only excludes"),
    (["gio", "--since", "yesterday"], "not a date"),
    (["gio", "--topic", "weather"], "unknown topic"),
    (["gio", "--limit", "0"], "limit"),
])
def test_cli_bad_input_is_a_clear_message(replay_db, args, message):
    result = CliRunner().invoke(search_command, ["--db", str(replay_db), *args])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_cli_missing_database_is_a_clear_message(tmp_path):
    result = CliRunner().invoke(search_command, ["gio", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no database at" in result.output
    assert not (tmp_path / "none.db").exists()


def test_cli_help_has_an_example():
    result = CliRunner().invoke(search_command, ["--help"])
    assert "Example" in result.output and "newscrawl search" in result.output


def test_runs_inside_a_migration(tmp_path):
    """The lead calls apply_analyst_schema from a storage migration (one transaction)."""
    from sqlite_utils.migrations import Migrations

    db = open_database(tmp_path / "m.db")
    db["articles"].insert({"url": "u1", "site": "s", "title": "Điện gió", "summary": "", "body": "x",
                           "topics": '["own_topic"]'})
    analyst = Migrations("test_analyst")

    @analyst()
    def m001(database):
        apply_analyst_schema(database)

    analyst.apply(db)
    assert urls(search(db, "dien gio")) == ["u1"]
    assert urls(search(db, "dien gio", topic="own_topic")) == ["u1"]  # an id from another taxonomy
