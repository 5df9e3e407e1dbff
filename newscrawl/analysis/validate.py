"""Validation: only sane articles go on; the rest become `rejects` rows.

Each failure has a short reason code an operator can count and a detail
that says what to look at (a parser that matched no layout is the usual
sign of a redesign).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from itemadapter import ItemAdapter

from ..items import LIST_FIELDS, Rejected
from .text import VIETNAM_TZ, iso_datetime


def check_article(adapter: ItemAdapter, min_body: int = 200, min_title: int = 5) -> None:
    """Raise `Rejected` with the first problem found, else return None."""
    url = adapter.get("url") or ""
    parser = adapter.get("parser") or "?"
    if adapter.get("error"):
        reason, _, detail = str(adapter["error"]).partition(": ")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", reason):
            reason, detail = "parse_error", str(adapter["error"])
        raise Rejected(reason, f"{parser}: {detail}" if adapter.get("parser") else detail)
    if not url.startswith(("http://", "https://")):
        raise Rejected("bad_url", repr(url))
    if not adapter.get("site"):
        raise Rejected("missing_site", "no site module claimed this URL")
    unmatched = " (no layout matched: markup changed?)" if parser.endswith("/unmatched") else ""
    title = adapter.get("title") or ""
    if not title:
        raise Rejected("missing_title", f"{parser}{unmatched}")
    if len(title) < min_title:
        raise Rejected("title_too_short", f"{title!r}")
    body = adapter.get("body") or ""
    if not body:
        raise Rejected("missing_body", f"{parser}{unmatched}")
    if len(body) < min_body:
        raise Rejected("body_too_short", f"{len(body)} characters (minimum {min_body})")
    published = adapter.get("published")
    if published is not None:
        parsed = iso_datetime(published)
        if parsed is None:
            raise Rejected("bad_date", repr(published))
        if datetime.fromisoformat(parsed) > datetime.now(VIETNAM_TZ) + timedelta(days=1):
            raise Rejected("bad_date", f"{parsed} is in the future")
        adapter["published"] = parsed
    for field in LIST_FIELDS:
        value = adapter.get(field)
        if value is not None and not isinstance(value, list):
            raise Rejected("bad_field", f"{field} should be a list, got {type(value).__name__}")
