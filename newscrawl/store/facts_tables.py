"""Writing an article's facts: its rows in `facts`, `places`, `documents`, `organisations`.

An article's rows are replaced whole each time it is stored (a re-crawl, a
reparse), so they always describe its current text. Columns: schema.py.
"""

from __future__ import annotations

from .schema import FACT_TABLES

# Each table is filled from the list of `extract_facts` with the same name; where a
# column is named otherwise than the entry's key, the key is here.
_RENAMED = {"documents": {"doc_id": "id"}}


def _row(table: str, article_url: str, position: int, entry: dict) -> tuple:
    renamed = _RENAMED.get(table, {})
    values = {"article_url": article_url, "position": position}
    for column in FACT_TABLES[table]:
        if column not in values:
            value = entry.get(renamed.get(column, column))
            values[column] = int(value) if isinstance(value, bool) else value
    if table == "documents" and values["number"] is not None:
        values["number"] = str(values["number"])
    return tuple(values[column] for column in FACT_TABLES[table])


def replace_facts(conn, article_url: str, found: dict | None) -> None:
    """Replace `article_url`'s fact rows by `found` (None: the facts stage did not run; keep them)."""
    if found is None:
        return
    for table, columns in FACT_TABLES.items():
        conn.execute(f"DELETE FROM {table} WHERE article_url = ?", [article_url])
        rows = [_row(table, article_url, position, entry) for position, entry in enumerate(found.get(table) or [], start=1)]
        if rows:
            conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)
