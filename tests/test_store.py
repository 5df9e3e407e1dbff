import json
import sqlite3

import pytest

from newscrawl.store.schema import Store, open_database

from .conftest import query, table_counts

ARTICLE = {
    "url": "https://baodautu.vn/a-d1.html", "site": "baodautu", "title": "Tiêu đề", "summary": "Lời dẫn",
    "body": "Đoạn một.\n\nĐoạn hai.", "authors": ["Minh Anh"], "published": "2025-06-30T08:46:00+07:00",
    "category": "Thời sự", "tags": ["ESG"], "language": "vi", "parser": "baodautu/v1",
    "found_via": {"kind": "listing", "url": "https://baodautu.vn/thoi-su-d1/"}, "depth": 0,
    "related": [{"url": "https://baodautu.vn/b-d2.html", "headline": "B"}, {"url": "https://baodautu.vn/c-d3.html", "headline": "C"}],
}


def test_schema_is_created_on_first_use_in_wal_mode(db_path):
    db = open_database(db_path)
    assert {"articles", "related_links", "rejects", "duplicates", "crawl_runs"} <= set(db.table_names())
    assert db.journal_mode == "wal"
    db.close()
    open_database(db_path).close()  # reopening applies nothing twice


def test_upsert_twice_keeps_one_row_and_first_seen(db_path):
    store = Store(db_path)
    store.add_article(ARTICLE)
    store.flush()
    first_seen = query(db_path, "SELECT first_seen_at FROM articles")[0][0]
    store.add_article({**ARTICLE, "title": "Tiêu đề mới", "related": ARTICLE["related"][:1]})
    store.close()
    assert table_counts(db_path)["articles"] == 1
    title, seen, authors, tags, via = query(db_path, "SELECT title, first_seen_at, authors, tags, found_via FROM articles")[0]
    assert title == "Tiêu đề mới" and seen == first_seen
    assert json.loads(authors) == ["Minh Anh"] and json.loads(tags) == ["ESG"] and via == "listing"
    assert query(db_path, "SELECT url, headline, position FROM related_links") == [("https://baodautu.vn/b-d2.html", "B", 1)]


def test_batches_are_written_by_size(db_path):
    store = Store(db_path, batch_size=2)
    store.add_article(ARTICLE)
    assert table_counts(db_path)["articles"] == 0
    store.add_article({**ARTICLE, "url": "https://baodautu.vn/z-d9.html"})
    assert table_counts(db_path)["articles"] == 2
    store.close()


def test_a_failing_batch_writes_nothing(db_path):
    store = Store(db_path)
    store.add_article(ARTICLE)
    store.add_article({**ARTICLE, "url": "https://baodautu.vn/x-d5.html"})
    store._queue("reject", ("a payload", "that cannot bind"))  # the third write fails
    with pytest.raises(sqlite3.Error):
        store.flush()
    assert table_counts(db_path)["articles"] == 0
    store.db.close()


def test_reject_then_accept_clears_the_reject(db_path):
    store = Store(db_path)
    store.add_reject(ARTICLE["url"], "baodautu", "missing_body", "no layout")
    store.add_reject(ARTICLE["url"], "baodautu", "missing_body", "no layout")
    store.flush()
    assert table_counts(db_path)["rejects"] == 1
    store.add_article(ARTICLE)
    store.close()
    assert table_counts(db_path)["rejects"] == 0


def test_duplicate_demotes_a_stored_article(db_path):
    store = Store(db_path)
    store.add_article(ARTICLE)
    store.add_duplicate("https://baodautu.vn/later-d7.html", ARTICLE["url"], 1.0, "exact", "baodautu")
    store.add_duplicate(ARTICLE["url"], "https://baodautu.vn/earlier-d0.html", 1.0, "exact", "baodautu")
    store.close()
    assert table_counts(db_path)["articles"] == 0
    assert table_counts(db_path)["related_links"] == 0
    rows = dict(query(db_path, "SELECT url, duplicate_of FROM duplicates"))
    assert rows == {ARTICLE["url"]: "https://baodautu.vn/earlier-d0.html", "https://baodautu.vn/later-d7.html": "https://baodautu.vn/earlier-d0.html"}


def test_runs_are_recorded(db_path):
    store = Store(db_path)
    run_id = store.start_run("replay", ["baodautu"])
    store.finish_run("ok", {"pages": 3}, {"baodautu": {"body": 1.0}}, "summary text")
    store.close()
    row = query(db_path, "SELECT id, mode, status, stats, summary, finished_at IS NOT NULL FROM crawl_runs")[0]
    assert row[0] == run_id and row[1:3] == ("replay", "ok") and json.loads(row[3]) == {"pages": 3} and row[4] == "summary text" and row[5]


def test_frontier_counts_interrupted_runs_not_leases(db_path):
    from newscrawl.crawl.frontier import Frontier

    store = Store(db_path)
    store.add_to_frontier("https://baodautu.vn/a-d1.html", "article", "baodautu", {"depth": 0})
    for _ in range(3):  # retries within one run lease it again
        store.mark("https://baodautu.vn/a-d1.html", "leased")
    store.flush()
    for run in range(1, 4):  # each new run finds it unfinished and re-issues it
        rows = Frontier(store, max_attempts=3).unfinished()
        store.flush()
        assert [r["url"] for r in rows] == (["https://baodautu.vn/a-d1.html"] if run < 4 else [])
    assert Frontier(store, max_attempts=3).unfinished() == []
    store.flush()
    assert query(db_path, "SELECT state, attempts FROM frontier") == [("failed", 3)]
    store.close()
