"""Analyst views: they exist, agree with the tables, and work from any SQLite client."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from datetime import date

import pytest

from newscrawl.store.search_index import apply_analyst_schema
from newscrawl.store.schema import open_database
from newscrawl.store.views import EXAMPLES, VIEW_DOCS, VIEWS, load_topics

from .test_search import replay_db  # noqa: F401  (the crawled fixtures, a module fixture)


@pytest.fixture
def conn(replay_db):  # noqa: F811
    """A plain sqlite3 connection: the views must need nothing newscrawl registers."""
    connection = sqlite3.connect(replay_db)
    yield connection
    connection.close()


def rows(conn, sql, params=()):
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def test_every_view_is_documented_and_selectable(conn):
    assert set(VIEWS) == set(VIEW_DOCS)
    for name in VIEWS:
        conn.execute(f"SELECT * FROM {name} LIMIT 5").fetchall()


def test_views_work_on_an_empty_database(tmp_path):
    db = open_database(tmp_path / "empty.db")
    apply_analyst_schema(db)
    for name in VIEWS:
        assert db.execute(f"SELECT count(*) FROM {name}").fetchone() == (0,)


def test_topic_names_come_from_the_taxonomy(conn):
    stored = {r["id"]: r["name"] for r in rows(conn, "SELECT id, name FROM topic_names")}
    assert stored == {t["id"]: t["name"] for t in load_topics()}


def test_green_articles_and_article_topics_agree_with_articles(conn):
    articles = rows(conn, "SELECT url, topics FROM articles")
    with_topics = [a for a in articles if json.loads(a["topics"] or "[]")]
    assert conn.execute("SELECT count(*) FROM green_articles").fetchone()[0] == len(with_topics) > 0
    assert conn.execute("SELECT count(*) FROM article_topics").fetchone()[0] == \
        sum(len(json.loads(a["topics"])) for a in with_topics)
    first = rows(conn, "SELECT * FROM green_articles LIMIT 1")[0]
    assert first["topic_names"] and first["published"] == conn.execute("SELECT max(published) FROM articles").fetchone()[0]


def test_counts_per_day_and_week(conn):
    total = conn.execute("SELECT count(*) FROM articles WHERE published IS NOT NULL").fetchone()[0]
    assert conn.execute("SELECT sum(articles) FROM articles_per_day_site").fetchone()[0] == total
    assert conn.execute("SELECT sum(articles) FROM articles_per_week_site").fetchone()[0] == total
    topic_rows = conn.execute("SELECT count(*) FROM article_topics").fetchone()[0]
    assert conn.execute("SELECT sum(articles) FROM articles_per_day_topic").fetchone()[0] == topic_rows
    assert conn.execute("SELECT sum(articles) FROM articles_per_week_topic").fetchone()[0] == topic_rows
    for (week,) in conn.execute("SELECT DISTINCT week FROM articles_per_week_site"):
        assert date.fromisoformat(week).weekday() == 0  # weeks are named by their Monday
    # a Vietnam-time date: the day is the local calendar day, not UTC
    day = conn.execute("SELECT day FROM article_topics WHERE url LIKE '%d282157%' LIMIT 1").fetchone()
    assert day == ("2025-06-30",)


def test_top_related_headlines_count_linking_articles(conn):
    expected = Counter(url for url, _ in conn.execute(
        "SELECT DISTINCT r.url, r.article_url FROM related_links r JOIN articles a ON a.url = r.article_url"))
    top = rows(conn, "SELECT * FROM top_related_headlines")
    assert top and {r["url"]: r["linked_from"] for r in top} == dict(expected)
    assert top[0]["linked_from"] == max(expected.values())
    stored = {u for (u,) in conn.execute("SELECT url FROM articles")}
    assert all(bool(r["stored"]) == (r["url"] in stored) for r in top)


def test_duplicate_stories_group_copies(conn):
    stories = rows(conn, "SELECT * FROM duplicate_stories")
    assert sum(s["copies"] for s in stories) == conn.execute("SELECT count(*) FROM duplicates").fetchone()[0] > 0
    for story in stories:
        assert story["copies"] == story["exact_copies"] + story["near_copies"]
        assert len(story["copy_urls"].split()) == story["copies"]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_documented_examples_run(conn, name):
    conn.execute(EXAMPLES[name]).fetchall()
