"""The publication time of any page, in the page's own offset.

A time is kept in the offset the page gives it (an evening in New York stays
on its day); the validate stage normalises every stored time to Vietnam time
(`analysis.validate.check_article`), so the database still sorts as strings.
A time without an offset is read as Vietnam time, like the press we crawl.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

from ...analysis.html import ld_text
from ...analysis.text import VIETNAM_TZ, parse_datetime
from ..html_page import HtmlPage
from .nodes import _DATE_LIKE, _attrs, _select, _tag, _text
from .page import _Meta


def page_time(value) -> str | None:
    """ISO 8601 in the offset the text gives (Vietnam time when none), seconds precision."""
    parsed = parse_datetime(value) if value else None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=VIETNAM_TZ)
    return parsed.replace(microsecond=0).isoformat()


def _declared(page: HtmlPage, meta: _Meta) -> Iterator[str]:
    """Machine-readable publication times, most trusted first (modified times last), each read only if asked."""
    root = page.sel.root
    yield ld_text(meta.article.get("datePublished"))
    yield page.meta("article:published_time", "og:article:published_time", "datePublished", "pubdate",
                    "publishdate", "publish-date", "date", "dc.date", "DC.date.issued", "sailthru.date",
                    "parsely-pub-date", "article.published", "cXenseParse:recs:publishtime")
    for css in ('[itemprop="datePublished"]::attr(datetime), [itemprop="datePublished"]::attr(content)',
                "time[pubdate]::attr(datetime)", "time[datetime]::attr(datetime)"):
        yield next(iter(_select(root, css)), "")
    yield ld_text(meta.webpage.get("datePublished"))
    yield ld_text(meta.article.get("dateCreated"))
    yield page.meta("article:modified_time", "og:updated_time")
    yield ld_text(meta.article.get("dateModified"))


def _printed(page: HtmlPage, title_node) -> str | None:
    """The date printed on the page, in an element that says it holds one.

    The first after the headline wins (a header's "today" sits before it);
    before the headline, the nearest to it.
    """
    printed, after_title, seen_title = [], [], title_node is None
    for node in page.sel.root.iter():
        if node is title_node:
            seen_title = True
        if not isinstance(node.tag, str) or _tag(node) in ("html", "body", "script", "style"):
            continue
        attrs = _attrs(node).lower()
        if attrs and re.search(r"date|time|publish|posted|ngay|thoigian", attrs) and not re.search(
            r"now|today|current|clock|weather", attrs
        ):
            text = _text(node)
            if len(text) <= 80 and _DATE_LIKE.search(text):
                value = page_time(text)
                if value:
                    (after_title if seen_title else printed).append(value)
    if after_title:
        return after_title[0]
    return printed[-1] if printed else None


# `/2017/7/12/` in a URL path: the day the site filed the story under.
_URL_DAY = re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})/")


def _url_day(url: str) -> date | None:
    match = _URL_DAY.search(url)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _on_day(value: str, filed: date) -> str:
    """The moment `value` on the URL's day: days away, the URL's day wins.

    More than a month from the URL's date, the declared time is a
    republication or a site move (the URL keeps the day the story was
    filed). A time in UTC (a server's clock) on the next or previous day is
    the same moment in the site's own zone, which is not known: it is written
    in the nearest whole-hour offset that puts it on the URL's day, so the
    moment stored is exact. Other times stay (a draft filed the day before).
    """
    moment = datetime.fromisoformat(value)
    gap = (moment.date() - filed).days
    if abs(gap) > 31:
        return datetime(filed.year, filed.month, filed.day, tzinfo=VIETNAM_TZ).isoformat()
    if abs(gap) == 1 and moment.utcoffset() == timedelta(0):
        for hours in range(1, 13):
            local = moment.astimezone(timezone(timedelta(hours=-hours if gap > 0 else hours)))
            if local.date() == filed:
                return local.isoformat()
    return value


def _htmldate(page: HtmlPage) -> str | None:
    """htmldate's reading of the page, the last resort: dates written in words, in any language.

    "21. Jan. 2015", "4 mayo, 2022": htmldate (a dependency of trafilatura,
    kept by the same author) reads the month names and date layouts of many
    languages, which hand-written patterns here do not. Its structured search
    only (no guessing from stray numbers in the text); optional like trafilatura.
    """
    try:
        from htmldate import find_date
    except ImportError:
        return None
    try:
        found = find_date(page.html, url=page.url or None, extensive_search=False, original_date=True)
    except (ValueError, TypeError):
        return None
    return page_time(found) if found else None


def _published(page: HtmlPage, meta: _Meta, title_node=None) -> str | None:
    """The declared time, else the printed one, else htmldate's; checked against a full date in the URL."""
    value = (next((v for v in map(page_time, _declared(page, meta)) if v), None) or _printed(page, title_node)
             or _htmldate(page))
    filed = _url_day(page.url)
    if filed is None or filed > date.today():
        return value
    if value is None:
        return datetime(filed.year, filed.month, filed.day, tzinfo=VIETNAM_TZ).isoformat()
    return _on_day(value, filed)
