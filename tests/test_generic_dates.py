"""Publication times of unknown pages: the page's own offset, checked against a date in the URL."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from newscrawl.items import empty_article
from newscrawl.pipelines.validate import ValidatePipeline
from newscrawl.sites.generic import parse_generic

TEXT = (
    "<p>The county transit board voted on Tuesday evening to extend the bus rapid transit line to the southern "
    "suburbs, after a two-year study found the corridor carries more riders than any other in the region.</p>"
    "<p>Construction is expected to begin next spring and to last about eighteen months, with the first buses "
    "running on the new lanes before the end of the following year, officials said.</p>"
)


def _page(head: str) -> str:
    return (f"<html lang='en'><head>{head}</head><body><article><h1>Transit line to reach the suburbs</h1>"
            f"<div class='entry-content'>{TEXT}</div></article></body></html>")


def _ld(published: str) -> str:
    ld = {"@type": "NewsArticle", "headline": "Transit line to reach the suburbs", "datePublished": published}
    return f'<script type="application/ld+json">{json.dumps(ld)}</script>'


def _days_ago(days: int) -> datetime:
    return (datetime.now(timezone.utc) - timedelta(days=days)).replace(hour=21, minute=40, second=0, microsecond=0)


def test_an_evening_abroad_keeps_its_day_and_is_stored_in_vietnam_time():
    evening = _days_ago(30).replace(tzinfo=timezone(timedelta(hours=-5)))
    got = parse_generic(_page(_ld(evening.isoformat())), "https://transit.example.com/news/brt-extension")
    assert got["published"] == evening.isoformat()
    assert got["published"][:10] == evening.date().isoformat()
    item = ValidatePipeline().process_item(empty_article(**{**got, "body": got["body"] * 2}))
    assert item["published"] == evening.astimezone(timezone(timedelta(hours=7))).isoformat()


def test_a_utc_time_after_midnight_is_the_evening_of_the_day_in_the_url():
    day = _days_ago(40).date()
    moment = datetime(day.year, day.month, day.day, 3, 25, tzinfo=timezone.utc) + timedelta(days=1)
    url = f"https://transit.example.com/{day:%Y/%m/%d}/brt-extension/"
    got = parse_generic(_page(_ld(moment.isoformat())), url)
    assert got["published"][:10] == day.isoformat()
    assert datetime.fromisoformat(got["published"]) == moment  # the same moment, in a zone west of UTC


def test_a_local_time_the_day_after_the_url_date_stays():
    day = _days_ago(40).date()
    moment = datetime(day.year, day.month, day.day, 9, 0, tzinfo=timezone(timedelta(hours=1))) + timedelta(days=1)
    got = parse_generic(_page(_ld(moment.isoformat())), f"https://transit.example.com/{day:%Y/%m/%d}/brt/")
    assert got["published"] == moment.isoformat()


def test_a_republished_page_keeps_the_day_its_url_was_filed_under():
    filed = _days_ago(800).date()
    moved = _days_ago(10).isoformat()
    got = parse_generic(_page(_ld(moved)), f"https://transit.example.com/home/{filed.year}/{filed.month}/{filed.day}/brt")
    assert got["published"][:10] == filed.isoformat()


def test_a_page_without_a_declared_time_takes_the_url_date():
    filed = _days_ago(5).date()
    got = parse_generic(_page(""), f"https://transit.example.com/{filed:%Y/%m/%d}/brt-extension/")
    assert got["published"] == f"{filed.isoformat()}T00:00:00+07:00"


def test_a_time_without_offset_is_vietnam_time():
    got = parse_generic(_page('<meta property="article:published_time" content="2026-02-03T10:15:00">'),
                        "https://transit.example.com/news/brt")
    assert got["published"] == "2026-02-03T10:15:00+07:00"


def test_a_date_written_in_words_is_read():
    day = _days_ago(60).date()
    months = ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sep.", "Okt.", "Nov.", "Dez."]
    line = f"<p class='info'><a href='/autoren/ana-lima/'>Ana Lima</a>, {day.day}. {months[day.month - 1]} {day.year}</p>"
    html = _page("").replace("</h1>", "</h1>" + line)
    got = parse_generic(html.replace("lang='en'", "lang='de'"), "https://transit.example.com/artikel/brt")
    assert got["published"] == f"{day.isoformat()}T00:00:00+07:00"
