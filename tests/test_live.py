"""The live code path over real HTTP, against the fixture server on 127.0.0.1.

The real host names are mapped to the local server by a setting
(NEWSCRAWL_HOST_MAP), so the spider, robots.txt, retries, redirects,
conditional requests, the frontier and the store all run as for users.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from newscrawl.analysis.text import VIETNAM_TZ

from .conftest import FIXTURES, query, run_cli, table_counts
from .server import FixtureServer

CHANGED = "https://nhandan.vn/viet-nam-va-dan-mach-thuc-day-hop-tac-phat-trien-dien-gio-ngoai-khoi-post933870.html"
MONTH_SITEMAP = "https://nhandan.vn/sitemaps/news-2026-11.xml"
SITEMAP_INDEX = "https://nhandan.vn/sitemap.xml"
LISTING = "https://baodautu.vn/thoi-su-d1/"


def live_args(server, db, *extra):
    settings = {
        "NEWSCRAWL_HOST_MAP": json.dumps(server.host_map()),
        # Tests go fast and must not depend on today's date for the sitemap window.
        "AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0", "NEWSCRAWL_SITEMAP_DAYS": "100000",
        "NEWSCRAWL_RETRY_BACKOFF": "0.05", "NEWSCRAWL_RETRY_JITTER": "0", "DOWNLOAD_TIMEOUT": "3",
    }
    sets = [x for name, value in settings.items() for x in ("--set", f"{name}={value}")]
    return ["crawl", "--db", str(db), *sets, *extra]


def article_requests(server) -> list[str]:
    return [r["url"] for r in server.requests if re.search(r"(-d\d+\.html|-\d{7}\.html|-post\d+\.(html|vnp)|\d{15,}\.htm|/[a-z0-9-]{20,}\.htm|/[a-z0-9-]+-\d+\.html)$", r["target"])]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    db = tmp_path_factory.mktemp("live") / "live.db"
    with FixtureServer() as server:
        first = run_cli(*live_args(server, db))
        after_first = table_counts(db)
        server.clear_log()
        second = run_cli(*live_args(server, db))
        second_log = list(server.requests)
        # The site edits an article and says so in its sitemaps.
        server.clear_log()
        old_html = server.page(CHANGED).body.decode("utf-8")
        last_paragraph = query(db, "SELECT body FROM articles WHERE url = ?", [CHANGED])[0][0].split("\n\n")[-1]
        assert last_paragraph in old_html
        server.change_page(CHANGED, old_html.replace(last_paragraph, last_paragraph + " Bản cập nhật: số liệu mới được bổ sung."))
        # Newer than the stored copy's fetch time, whatever today's date is.
        stamp = datetime.now(VIETNAM_TZ).isoformat(timespec="seconds")
        month = server.page(MONTH_SITEMAP).body.decode("utf-8")
        month = re.sub(rf"(<loc>{re.escape(CHANGED)}</loc><lastmod>)[^<]+", rf"\g<1>{stamp}", month)
        server.change_page(MONTH_SITEMAP, month)
        index = server.page(SITEMAP_INDEX).body.decode("utf-8")
        server.change_page(SITEMAP_INDEX, re.sub(r"(news-2026-11\.xml</loc><lastmod>)[^<]+", rf"\g<1>{stamp}", index))
        third = run_cli(*live_args(server, db))
        third_log = list(server.requests)
    return {"db": db, "runs": (first, second, third), "after_first": after_first, "second_log": second_log, "third_log": third_log}


def test_first_run_stores_the_fixture_sites_over_http(live, tmp_path):
    first = live["runs"][0]
    assert first.returncode == 0, first.stderr[-3000:]
    replay_db = tmp_path / "replay.db"
    assert run_cli("crawl", "--replay", "--db", str(replay_db), cwd=FIXTURES.parent).returncode == 0
    live_urls = {u for (u,) in query(live["db"], "SELECT url FROM articles")}
    replay_urls = {u for (u,) in query(replay_db, "SELECT url FROM articles")}
    assert live_urls == replay_urls and len(live_urls) >= 40
    assert all(u.startswith("https://") and "127.0.0.1" not in u for u in live_urls)
    assert json.loads(query(live["db"], "SELECT stats FROM crawl_runs")[0][0])["newscrawl/archive/saved"] >= 40


def test_second_run_fetches_no_unchanged_article_and_gets_304s(live):
    second = live["runs"][1]
    assert second.returncode == 0, second.stderr[-3000:]
    log = live["second_log"]
    fetched_articles = [r["url"] for r in log if r["status"] == 200 and re.search(r"-d\d+\.html$|-\d{7}\.html$|-post\d+\.(html|vnp)$", r["target"])]
    assert fetched_articles == []
    listing = [r for r in log if r["target"] == "/thoi-su-d1/"]
    assert listing and listing[0]["status"] == 304 and "If-None-Match" in listing[0]["headers"]
    stats = json.loads(query(live["db"], "SELECT stats FROM crawl_runs WHERE id = 2")[0][0])
    assert stats["newscrawl/http/not_modified/listing"] >= 10
    assert "unchanged" in second.stdout and "answered 304" in second.stdout
    assert table_counts(live["db"]) == live["after_first"]


def test_changed_article_is_updated_and_its_old_version_kept(live):
    third = live["runs"][2]
    assert third.returncode == 0, third.stderr[-3000:]
    fetched = [r["url"] for r in live["third_log"] if r["status"] == 200 and "-post" in r["target"]]
    assert fetched == [CHANGED]  # only the article the sitemap says changed
    body = query(live["db"], "SELECT body FROM articles WHERE url = ?", [CHANGED])[0][0]
    assert "Bản cập nhật: số liệu mới được bổ sung." in body
    (old_body, replaced_at), = query(live["db"], "SELECT body, replaced_at FROM article_versions WHERE url = ?", [CHANGED])
    assert "Bản cập nhật" not in old_body and replaced_at
    assert "1 updated" in third.stdout


SUMMARY_LINE = re.compile(r"^  (\w+): \d+ pages, (\d+) stored \(.*?\), (\d+) duplicates(?: \(\d+ stored earlier[^)]*\))?, rejects: (.*)$", re.M)
ORIGINAL = "https://baodautu.vn/dong-nam-bo-tang-toc-phat-trien-khu-cong-nghiep-sinh-thai-d281516.html"
LATER_COPY = "https://baodautu.vn/vung-dong-nam-bo-day-nhanh-xay-dung-khu-cong-nghiep-sinh-thai-d281760.html"


def summary_counts(stdout: str) -> dict:
    counts = {}
    for site, stored, duplicates, rejects in SUMMARY_LINE.findall(stdout):
        reasons = {} if rejects == "none" else {r: int(n) for r, n in (part.rsplit(" ", 1) for part in rejects.split(", "))}
        counts[site] = {"articles": int(stored), "duplicates": int(duplicates), "rejects": reasons}
    return counts


def database_counts(db) -> dict:
    counts = {}
    for table in ("articles", "duplicates"):
        for site, n in query(db, f"SELECT site, count(*) FROM {table} GROUP BY site"):
            counts.setdefault(site, {"articles": 0, "duplicates": 0, "rejects": {}})[table] = n
    for site, reason, n in query(db, "SELECT site, reason, count(*) FROM rejects GROUP BY site, reason"):
        counts.setdefault(site, {"articles": 0, "duplicates": 0, "rejects": {}})["rejects"][reason] = n
    return counts


def test_the_summary_of_a_live_crawl_with_duplicates_equals_the_database(tmp_path):
    """The original answers late, so its later copy is stored first and then demoted:
    the summary, `crawl_runs` and the tables must still agree, site by site."""
    db = tmp_path / "agree.db"
    with FixtureServer() as server:
        server.set_rule(ORIGINAL, "slow", delay=1.5)
        run = run_cli(*live_args(server, db))
    assert run.returncode == 0, run.stderr[-3000:]
    assert query(db, "SELECT url, duplicate_of, kind FROM duplicates WHERE site = 'baodautu'") == [(LATER_COPY, ORIGINAL, "exact")]
    from_summary, from_tables = summary_counts(run.stdout), database_counts(db)
    assert from_summary == from_tables and from_summary["baodautu"]["duplicates"] == 1
    assert sum(c["duplicates"] for c in from_tables.values()) >= 2  # the exact copy and a syndicated near copy
    stats = json.loads(query(db, "SELECT stats FROM crawl_runs")[0][0])
    assert stats["newscrawl/duplicate/replaced_stored"] == 1  # the copy really was stored first
    stored = stats["newscrawl/sites"]
    assert {site: (s["stored"], s["duplicates"]) for site, s in stored.items()} == {
        site: (c["articles"], c["duplicates"]) for site, c in from_tables.items()}
