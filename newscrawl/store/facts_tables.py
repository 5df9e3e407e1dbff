"""Writing an article's facts: its rows in `facts`, `places`, `documents`, `organisations`.

An article's rows are replaced whole each time it is stored (a re-crawl, a
reparse), so they always describe its current text. Columns: schema.py.
"""

from __future__ import annotations

from .schema import FACT_TABLES

# Each table is filled from the list of `extract_facts` with the same name; where a
# column is named otherwise than the entry's key, the key is here.
_RENAMED = {"documents": {"doc_id": "id"}}


# Per table, the entry key each column after (article_url, position) is read from.
_KEYS = {table: [_RENAMED.get(table, {}).get(column, column) for column in columns if column not in ("article_url", "position")]
         for table, columns in FACT_TABLES.items()}
_TEXT_KEYS = {"documents": {"number"}}  # columns of type text that extract_facts gives as numbers


def _row(table: str, article_url: str, position: int, entry: dict) -> tuple:
    values = [article_url, position]
    as_text = _TEXT_KEYS.get(table, ())
    for key in _KEYS[table]:
        value = entry.get(key)
        if isinstance(value, bool):
            value = int(value)
        elif key in as_text and value is not None:
            value = str(value)
        values.append(value)
    return tuple(values)


def replace_facts(conn, article_url: str, found: dict | None) -> None:
    """Replace `article_url`'s fact rows by `found` (None: the facts stage did not run; keep them)."""
    if found is None:
        return
    for table, columns in FACT_TABLES.items():
        conn.execute(f"DELETE FROM {table} WHERE article_url = ?", [article_url])
        rows = [_row(table, article_url, position, entry) for position, entry in enumerate(found.get(table) or [], start=1)]
        if rows:
            conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)
