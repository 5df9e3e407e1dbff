import json
import sqlite3
import time

import pytest

from newscrawl.store.schema import open_database
from newscrawl.store.tables import Store
from newscrawl.store.writer import WriterFailed

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
    assert {"articles", "related_links", "rejects", "duplicates", "crawl_runs", "frontier"} <= set(db.table_names())
    assert db.journal_mode == "wal"
    db.close()
    open_database(db_path).close()  # reopening applies nothing twice


def test_upsert_twice_keeps_one_row_and_first_seen(make_writer, db_path):
    writer = make_writer()
    writer.write(ARTICLE)
    writer.commit()
    first_seen = query(db_path, "SELECT first_seen_at FROM articles")[0][0]
    writer.write({**ARTICLE, "url": ARTICLE["url"], "title": "Tiêu đề mới", "related": ARTICLE["related"][:1]})  # same run: handled once
    writer.close()
    later = make_writer()  # the next run updates it
    later.write({**ARTICLE, "title": "Tiêu đề mới", "related": ARTICLE["related"][:1]})
    later.close()
    assert table_counts(db_path)["articles"] == 1
    title, seen, authors, tags, via = query(db_path, "SELECT title, first_seen_at, authors, tags, found_via FROM articles")[0]
    assert title == "Tiêu đề mới" and seen == first_seen
    assert json.loads(authors) == ["Minh Anh"] and json.loads(tags) == ["ESG"] and via == "listing"
    assert query(db_path, "SELECT url, headline, position FROM related_links") == [("https://baodautu.vn/b-d2.html", "B", 1)]
    assert query(db_path, "SELECT title FROM article_versions") == [("Tiêu đề",)]
    assert later.tally.changes["baodautu"]["updated"] == 1


def test_batches_are_committed_by_size(make_writer, db_path):
    writer = make_writer(NEWSCRAWL_BATCH_SIZE=2, NEWSCRAWL_COMMIT_SECONDS=600)
    writer.write(ARTICLE)
    assert table_counts(db_path)["articles"] == 0  # another connection sees only what is committed
    writer.write({**ARTICLE, "url": "https://baodautu.vn/z-d9.html"})
    assert table_counts(db_path)["articles"] == 2


def test_batches_are_committed_by_time(make_writer, db_path):
    writer = make_writer(NEWSCRAWL_BATCH_SIZE=1000, NEWSCRAWL_COMMIT_SECONDS=0.2)
    writer.write(ARTICLE)
    deadline = time.monotonic() + 10
    while table_counts(db_path)["articles"] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert table_counts(db_path)["articles"] == 1


def test_a_failing_batch_writes_nothing_and_the_writer_says_so(make_writer, db_path):
    writer = make_writer(NEWSCRAWL_COMMIT_SECONDS=600)
    writer.write(ARTICLE)
    writer.write({**ARTICLE, "url": "https://baodautu.vn/x-d5.html"})

    def broken(w):
        w.store.conn.execute("INSERT INTO rejects (url) VALUES (?, ?)", ["a payload", "that cannot bind"])

    with pytest.raises(WriterFailed):
        writer.call(broken)
    with pytest.raises(WriterFailed):
        writer.write({**ARTICLE, "url": "https://baodautu.vn/y-d6.html"})
    assert table_counts(db_path)["articles"] == 0
    with pytest.raises(WriterFailed):
        writer.close()


def test_reject_then_accept_clears_the_reject_and_its_count(make_writer, db_path):
    writer = make_writer()
    writer.write({**ARTICLE, "url": "https://baodautu.vn/r-d3.html", "rejected": {"reason": "missing_body", "detail": "no layout"}})
    writer.close()
    assert table_counts(db_path)["rejects"] == 1
    later = make_writer()
    later.write({**ARTICLE, "url": "https://baodautu.vn/r-d3.html"})
    later.commit()
    assert table_counts(db_path)["rejects"] == 0 and later.tally.stored["baodautu"] == 1


def test_duplicate_demotes_a_stored_article(db_path):
    store = Store(db_path)
    store.begin()
    store.write_article(ARTICLE)
    store.write_related(ARTICLE["url"], ARTICLE["related"])
    store.write_duplicate("https://baodautu.vn/later-d7.html", ARTICLE["url"], 1.0, "exact", "baodautu", "")
    store.write_duplicate(ARTICLE["url"], "https://baodautu.vn/earlier-d0.html", 1.0, "exact", "baodautu", "")
    store.close()
    assert table_counts(db_path)["articles"] == 0
    assert table_counts(db_path)["related_links"] == 0
    rows = dict(query(db_path, "SELECT url, duplicate_of FROM duplicates"))
    assert rows == {ARTICLE["url"]: "https://baodautu.vn/earlier-d0.html", "https://baodautu.vn/later-d7.html": "https://baodautu.vn/earlier-d0.html"}


def test_runs_are_recorded(db_path):
    store = Store(db_path)
    run_id = store.start_run("replay", ["baodautu"])
    store.finish_run("finished", {"pages": 3}, {"baodautu": {"body": 1.0}}, "summary text")
    store.close()
    row = query(db_path, "SELECT id, mode, status, stats, summary, finished_at IS NOT NULL FROM crawl_runs")[0]
    assert row[0] == run_id and row[1:3] == ("replay", "finished") and json.loads(row[3]) == {"pages": 3} and row[4] == "summary text" and row[5]


def test_frontier_counts_interrupted_runs_not_leases(make_writer, db_path):
    from newscrawl.crawl.frontier import Rules, _unfinished_in_writer

    first = make_writer()
    first.call(lambda w: w.store.add_to_frontier("https://baodautu.vn/a-d1.html", "article", "baodautu", {"depth": 0}))
    for _ in range(3):  # retries within one run lease it again
        first.call(lambda w: w.store.mark("https://baodautu.vn/a-d1.html", "leased"))
    first.close()
    for run in range(1, 4):  # each new run finds it unfinished and re-issues it
        writer = make_writer()
        rows, gave_up = writer.call(_unfinished_in_writer, Rules(max_attempts=3))
        writer.close()
        assert [r["url"] for r in rows] == ["https://baodautu.vn/a-d1.html"] and gave_up == 0
    writer = make_writer()
    assert writer.call(_unfinished_in_writer, Rules(max_attempts=3)) == ([], 1)
    writer.close()
    assert query(db_path, "SELECT state, attempts FROM frontier") == [("failed", 3)]


def test_the_connection_is_the_writers_alone(db_path):
    """The store never commits on its own: every statement waits for the writer's COMMIT."""
    store = Store(db_path)
    store.begin()
    store.write_reject("https://baodautu.vn/q-d4.html", "baodautu", "http_404", "")
    assert table_counts(db_path)["rejects"] == 0
    store.rollback()
    store.close()
    assert table_counts(db_path)["rejects"] == 0
    with pytest.raises(sqlite3.ProgrammingError):
        store.conn.execute("SELECT 1")
