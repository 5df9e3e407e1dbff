"""Full-text search for analysts: the query language, bm25 ranking, the API.

The index it reads (FTS5 over accent-folded text, kept by triggers) is
defined in `newscrawl.store.search_index`; its docstring says how
accent-free search works.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from datetime import date, datetime

import sqlite_utils

from ..analysis.text import fold
from ..store.search_index import COLUMN_WEIGHTS, COLUMNS, FOLD_LETTERS, FTS_TABLE


class QueryError(ValueError):
    """A search the user typed cannot be run; the message says why."""


# --- queries --------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+")  # what unicode61 calls a token: letters and digits
_PART = re.compile(r'(-?)"([^"]*)("?)(\*?)|(\S+)')


def fold_query(text: str) -> str:
    """The query as the index sees it: NFC, đ -> d, no marks, lower case."""
    text = unicodedata.normalize("NFC", text)
    for letter, plain in FOLD_LETTERS.items():
        text = text.replace(letter, plain)
    return fold(text)


def _phrase(words: str, prefix: bool = False) -> str | None:
    tokens = _TOKEN.findall(fold_query(words))
    if not tokens:
        return None
    # Tokens are letters and digits only, so quoting them is always safe.
    return '"' + " ".join(tokens) + '"' + ("*" if prefix else "")


def build_match(query: str) -> str:
    """Turn what a person typed into a safe FTS5 MATCH expression.

    Words are all required (AND), in any order; `"quoted words"` must be
    adjacent, in order; `word*` matches any word starting so; `-word` or
    `-"some words"` excludes; `OR` (in capitals) separates alternatives. Marks,
    case and tone style do not matter. Every other character only separates
    words: the user's text never reaches FTS5's own syntax.
    """
    groups: list[list[str]] = [[]]
    excluded: list[str] = []
    for match in _PART.finditer(query or ""):
        negate, quoted, _closed, star, bare = match.groups()
        if bare is not None:
            if bare == "OR":
                groups.append([])
                continue
            negate = "-" if bare.startswith("-") and len(bare) > 1 else ""
            star = "*" if bare.endswith("*") else ""
            phrase = _phrase(bare, prefix=bool(star))
        else:
            phrase = _phrase(quoted, prefix=bool(star))
        if phrase is None:
            continue
        (excluded if negate else groups[-1]).append(phrase)
    alternatives = [" AND ".join(group) for group in groups if group]
    if not alternatives:
        if excluded:
            raise QueryError("the query only excludes words: give at least one word to look for")
        raise QueryError("the query has no words to search for")
    expression = alternatives[0] if len(alternatives) == 1 else " OR ".join(f"({a})" for a in alternatives)
    if excluded:
        expression = f"({expression}) NOT ({' OR '.join(excluded)})"
    return expression


def parse_since(value: str | date | None) -> str | None:
    """`YYYY-MM-DD` (or a full ISO time) as a string that compares with `published`."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        return datetime.fromisoformat(text).isoformat()
    except ValueError:
        raise QueryError(f"{value!r} is not a date: use YYYY-MM-DD") from None


def resolve_topic(db: sqlite_utils.Database, value: str) -> str:
    """A topic id from an id or a name (Vietnamese or English, accents optional).

    Ids outside the bundled taxonomy are accepted when some article has them
    (a crawl may use its own `NEWSCRAWL_TOPICS_FILE`).
    """
    from ..store.views import load_topics

    topics = load_topics()
    wanted = fold_query(value)
    for topic in topics:
        if value == topic["id"] or wanted in (fold_query(topic["name"]), fold_query(topic["name_en"])):
            return topic["id"]
    used = db.execute(
        "SELECT 1 FROM articles a, json_each(CASE WHEN json_valid(a.topics) THEN a.topics ELSE '[]' END) t "
        "WHERE t.value = ? LIMIT 1", [value]).fetchone()
    if used:
        return value
    raise QueryError(f"unknown topic {value!r}: one of {', '.join(t['id'] for t in topics)}")


SNIPPET_TOKENS = 24
MAX_RANKED = 10_000
_OPEN, _CLOSE = "\x02", "\x03"
_ADJACENT = re.compile(f"{_CLOSE} {_OPEN}")  # "[tín] [chỉ]" -> "[tín chỉ]"
_SPACE = re.compile(r"\s+")


class SearchResults(list):
    """Results, best first. `.capped_at` is set when more articles matched the
    words than were ranked: only that many, the most recently stored, were."""

    def __init__(self, rows=(), capped_at: int | None = None):
        super().__init__(rows)
        self.capped_at = capped_at

    @property
    def capped(self) -> bool:
        return self.capped_at is not None


def search(
    db: sqlite_utils.Database,
    query: str,
    site: str | None = None,
    topic: str | None = None,
    since: str | date | None = None,
    limit: int = 20,
    marks: tuple[str, str] = ("[", "]"),
    max_ranked: int | None = MAX_RANKED,
) -> SearchResults:
    """Articles matching `query`, best (lowest bm25) first.

    Each result: `rank` (1-based), `url`, `site`, `published`, `title`,
    `snippet` (from the body, else the lead, matched words between `marks`),
    `topics` (ids) and `score` (bm25; lower is better).

    bm25 costs about 2 µs per matching article, so when more than
    `max_ranked` articles match the words, only the `max_ranked` most
    recently stored of them are ranked (then filtered); if that leaves fewer
    than `limit` results with filters on, every match is ranked.
    `max_ranked=None` always ranks every match.
    Raises `QueryError` for a query, date or topic that cannot be used.
    """
    match = build_match(query)
    if limit < 1:
        raise QueryError("--limit must be at least 1")
    filters, params = [], []
    if site:
        filters.append("a.site = ?")
        params.append(site)
    since_value = parse_since(since)
    if since_value:
        filters.append("a.published >= ?")
        params.append(since_value)
    if topic:
        filters.append("EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(a.topics) THEN a.topics END) t WHERE t.value = ?)")
        params.append(resolve_topic(db, topic))
    try:
        bound = None
        if max_ranked:
            row = db.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                [match, max_ranked - 1],
            ).fetchone()
            bound = row[0] if row else None
        rows = _ranked(db, match, filters, params, bound, limit)
        if bound is not None and filters and len(rows) < limit:
            rows, bound = _ranked(db, match, filters, params, None, limit), None
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            raise QueryError("this database has no search index yet: open it with newscrawl once to create it") from None
        raise QueryError(f"the search could not run: {exc}") from None
    results = []
    for position, (url, site_, published, title, topics, score, body_snip, lead_snip) in enumerate(rows, start=1):
        snip = body_snip if body_snip and (_OPEN in body_snip or _OPEN not in (lead_snip or "")) else lead_snip
        results.append(
            {
                "rank": position,
                "url": url,
                "site": site_,
                "published": published,
                "title": title,
                "snippet": _ADJACENT.sub(" ", _SPACE.sub(" ", snip or "")).replace(_OPEN, marks[0]).replace(_CLOSE, marks[1]),
                "topics": _json_list(topics),
                "score": round(score, 4),
            }
        )
    return SearchResults(results, capped_at=max_ranked if bound is not None else None)


def _ranked(db, match: str, filters: list[str], params: list, bound: int | None, limit: int) -> list[tuple]:
    """Rank matches (above `bound`, passing `filters`) by bm25; snippet only the `limit` shown."""
    weights = ", ".join(str(COLUMN_WEIGHTS[c]) for c in COLUMNS)
    where = [f"{FTS_TABLE} MATCH ?"] + ([f"{FTS_TABLE}.rowid >= ?"] if bound is not None else []) + filters
    # CROSS JOIN keeps the index as the outer loop: the planner would otherwise
    # walk every article of a site and probe the index for each.
    join = f"CROSS JOIN articles a ON a.rowid = {FTS_TABLE}.rowid" if filters else ""
    sql = f"""
        WITH hits AS (
            SELECT {FTS_TABLE}.rowid AS id, bm25({FTS_TABLE}, {weights}) AS score
            FROM {FTS_TABLE} {join}
            WHERE {' AND '.join(where)}
            ORDER BY score LIMIT ?
        )
        SELECT a.url, a.site, a.published, a.title, a.topics, hits.score,
               snippet({FTS_TABLE}, 2, '{_OPEN}', '{_CLOSE}', '…', {SNIPPET_TOKENS}) AS body_snippet,
               snippet({FTS_TABLE}, 1, '{_OPEN}', '{_CLOSE}', '…', {SNIPPET_TOKENS}) AS lead_snippet
        FROM hits
        CROSS JOIN {FTS_TABLE} ON {FTS_TABLE}.rowid = hits.id
        CROSS JOIN articles a ON a.rowid = hits.id
        WHERE {FTS_TABLE} MATCH ?
        ORDER BY hits.score, a.published DESC
    """
    args = [match] + ([bound] if bound is not None else []) + params + [int(limit), match]
    return db.execute(sql, args).fetchall()


def _json_list(value: str | None) -> list:
    try:
        parsed = json.loads(value or "[]")
    except ValueError:
        return []
    return parsed if isinstance(parsed, list) else []
