"""Views for analysts: plain SQL over the crawl tables, usable from any client.

Dates are the Vietnam-time calendar date of `published` (stored as ISO 8601
with +07:00, so the first ten characters are the local date); weeks start on
Monday and are named by that Monday. `topic_names` is a small table filled
from the taxonomy (`data/topics.json`) so views can show topic names.

Every view is (re)created by `create_views()`, called from
`search_index.apply_analyst_schema()`; a view's definition is its documentation,
and `VIEW_DOCS` says in one line what each row is.
"""

from __future__ import annotations

import json
from importlib import resources

import sqlite_utils

# Topics as JSON, tolerant of NULL or broken values.
_TOPICS = "json_each(CASE WHEN json_valid(a.topics) THEN a.topics ELSE '[]' END)"
_DAY = "substr(a.published, 1, 10)"
_WEEK = f"date({_DAY}, 'weekday 0', '-6 days')"  # the Monday on or before the day

VIEWS: dict[str, str] = {
    "article_topics": f"""
        SELECT a.url, a.site, a.published, {_DAY} AS day, {_WEEK} AS week,
               t.value AS topic, coalesce(n.name, t.value) AS topic_name, a.title, a.green_score
        FROM articles a, {_TOPICS} t
        LEFT JOIN topic_names n ON n.id = t.value
    """,
    "green_articles": f"""
        SELECT a.published, a.site, a.title,
               (SELECT group_concat(coalesce(n.name, t.value), '; ')
                  FROM {_TOPICS} t LEFT JOIN topic_names n ON n.id = t.value) AS topic_names,
               a.topics, a.green_score, a.summary, a.url
        FROM articles a
        WHERE (SELECT count(*) FROM {_TOPICS} t) > 0
        ORDER BY a.published DESC
    """,
    "articles_per_day_site": f"""
        SELECT {_DAY} AS day, a.site, count(*) AS articles
        FROM articles a WHERE a.published IS NOT NULL
        GROUP BY day, a.site ORDER BY day DESC, a.site
    """,
    "articles_per_day_topic": """
        SELECT day, topic, topic_name, count(*) AS articles
        FROM article_topics WHERE day IS NOT NULL
        GROUP BY day, topic ORDER BY day DESC, topic
    """,
    "articles_per_week_site": f"""
        SELECT {_WEEK} AS week, a.site, count(*) AS articles
        FROM articles a WHERE a.published IS NOT NULL
        GROUP BY week, a.site ORDER BY week DESC, a.site
    """,
    "articles_per_week_topic": """
        SELECT week, topic, topic_name, count(*) AS articles
        FROM article_topics WHERE week IS NOT NULL
        GROUP BY week, topic ORDER BY week DESC, topic
    """,
    "top_related_headlines": """
        SELECT r.url,
               max(r.headline) AS headline,
               count(DISTINCT r.article_url) AS linked_from,
               count(DISTINCT a.site) AS linking_sites,
               min(a.published) AS first_linked,
               max(a.published) AS last_linked,
               s.title AS stored_title,
               s.url IS NOT NULL AS stored
        FROM related_links r
        JOIN articles a ON a.url = r.article_url
        LEFT JOIN articles s ON s.url = r.url
        GROUP BY r.url
        ORDER BY linked_from DESC, last_linked DESC
    """,
    "duplicate_stories": """
        SELECT d.duplicate_of AS story_url,
               coalesce(o.title, max(d.title)) AS title,
               o.site AS site,
               o.published AS published,
               count(*) AS copies,
               sum(d.kind = 'exact') AS exact_copies,
               sum(d.kind = 'near') AS near_copies,
               round(min(d.similarity), 3) AS min_similarity,
               group_concat(DISTINCT d.site) AS copy_sites,
               group_concat(d.url, ' ') AS copy_urls
        FROM duplicates d
        LEFT JOIN articles o ON o.url = d.duplicate_of
        GROUP BY d.duplicate_of
        ORDER BY copies DESC, published DESC
    """,
    # Green facts (tables facts, places, documents, organisations). Totals add up what
    # the articles report: a project reported by three papers counts three times,
    # so `articles` and `mentions` say how much repetition a total holds.
    "capacity_by_province_technology_year": """
        SELECT substr(a.published, 1, 4) AS year, f.province, f.subject AS technology, f.unit,
               round(sum(f.value), 3) AS reported, count(*) AS mentions, count(DISTINCT f.article_url) AS articles,
               sum(f.planned) AS planned_mentions
        FROM facts f JOIN articles a ON a.url = f.article_url
        WHERE f.kind = 'capacity'
        GROUP BY year, f.province, f.subject, f.unit
        ORDER BY year DESC, reported DESC
    """,
    "money_by_province_sector": """
        SELECT substr(a.published, 1, 4) AS year, f.province, f.subject AS sector, f.unit AS currency,
               round(sum(f.value), 0) AS reported, count(*) AS mentions, count(DISTINCT f.article_url) AS articles
        FROM facts f JOIN articles a ON a.url = f.article_url
        WHERE f.kind = 'money'
        GROUP BY year, f.province, f.subject, f.unit
        ORDER BY year DESC, reported DESC
    """,
    "documents_per_month": """
        SELECT substr(a.published, 1, 7) AS month, d.doc_id, max(d.type) AS type, max(d.issuer) AS issuer,
               max(d.printed) AS printed_as, count(DISTINCT d.article_url) AS articles
        FROM documents d JOIN articles a ON a.url = d.article_url
        GROUP BY month, d.doc_id
        ORDER BY month DESC, articles DESC
    """,
    "organisations_by_topic": f"""
        SELECT t.value AS topic, coalesce(n.name, t.value) AS topic_name, o.name AS organisation,
               count(DISTINCT o.article_url) AS articles
        FROM organisations o JOIN articles a ON a.url = o.article_url, {_TOPICS} t
        LEFT JOIN topic_names n ON n.id = t.value
        GROUP BY t.value, o.name
        ORDER BY topic, articles DESC
    """,
}

VIEW_DOCS: dict[str, str] = {
    "article_topics": "one row per article and topic it is about (topic id and name, day, week)",
    "green_articles": "articles with at least one green topic, newest first, with topic names",
    "articles_per_day_site": "articles published per day per site",
    "articles_per_day_topic": "articles published per day per topic (an article counts once per topic)",
    "articles_per_week_site": "articles published per week (Monday) per site",
    "articles_per_week_topic": "articles published per week (Monday) per topic",
    "top_related_headlines": "related headlines by how many stored articles link to them, and whether newscrawl stored them",
    "duplicate_stories": "duplicates grouped by the story they copy: how many copies, exact or near, from which sites",
    "capacity_by_province_technology_year": "reported capacity (MW, MWh) per year, province and technology, with how many mentions and articles",
    "money_by_province_sector": "reported money (VND, USD) per year, province and sector",
    "documents_per_month": "policy documents (decrees, decisions, resolutions, laws) by how many articles cite them each month",
    "organisations_by_topic": "organisations by how many articles about each topic name them",
}


# Example questions, as documented in the README (tests run every one).
EXAMPLES: dict[str, str] = {
    "newest green articles about carbon markets": """
        SELECT published, site, title, url FROM article_topics
        WHERE topic = 'carbon_markets' ORDER BY published DESC LIMIT 20""",
    "articles per site in the last 30 days": """
        SELECT site, sum(articles) AS articles FROM articles_per_day_site
        WHERE day >= date('now', '-30 days') GROUP BY site ORDER BY articles DESC""",
    "topics per week, as a table with one column per topic": """
        SELECT week,
               sum(CASE WHEN topic = 'carbon_markets' THEN articles END) AS carbon_markets,
               sum(CASE WHEN topic = 'renewable_energy' THEN articles END) AS renewable_energy,
               sum(CASE WHEN topic = 'green_finance_esg' THEN articles END) AS green_finance_esg
        FROM articles_per_week_topic GROUP BY week ORDER BY week DESC LIMIT 12""",
    "related headlines linked most often that the crawl has not stored": """
        SELECT headline, linked_from, url FROM top_related_headlines
        WHERE NOT stored ORDER BY linked_from DESC LIMIT 20""",
    "stories copied by more than one site": """
        SELECT title, copies, copy_sites, story_url FROM duplicate_stories
        WHERE copies > 1 OR copy_sites LIKE '%,%' ORDER BY copies DESC""",
    "search, accents optional (only built-in SQL: fold đ yourself)": """
        SELECT a.published, a.site, a.title, snippet(articles_fts, 2, '[', ']', '…', 20) AS snippet
        FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
        WHERE articles_fts MATCH 'dien gio' ORDER BY rank LIMIT 10""",
}


def load_topics() -> list[dict]:
    data = json.loads(resources.files("newscrawl").joinpath("data/topics.json").read_text(encoding="utf-8"))
    return [{"id": t["id"], "name": t["name"], "name_en": t.get("name_en", "")} for t in data["topics"]]


def create_views(db: sqlite_utils.Database) -> None:
    """(Re)create `topic_names` and the views that differ from `VIEWS`; no writes when all match."""
    topics = load_topics()
    if "topic_names" not in db.table_names():
        db["topic_names"].create({"id": str, "name": str, "name_en": str}, pk="id")
    if list(db.query("SELECT id, name, name_en FROM topic_names ORDER BY id")) != sorted(topics, key=lambda t: t["id"]):
        db.execute("DELETE FROM topic_names")
        db["topic_names"].insert_all(topics)
    wanted = {name: f"CREATE VIEW {name} AS {sql.strip()}" for name, sql in VIEWS.items()}
    current = {name: _view_sql(db, name) for name in VIEWS}
    if current == wanted:
        return
    for name in reversed(list(VIEWS)):  # dependants first
        db.execute(f"DROP VIEW IF EXISTS {name}")
    for sql in wanted.values():
        db.execute(sql)


def _view_sql(db: sqlite_utils.Database, name: str) -> str | None:
    row = db.execute("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = ?", [name]).fetchone()
    return row[0] if row else None
