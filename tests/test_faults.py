"""Every fault the fixture server can produce, in one live crawl of baodautu.vn.

Each faulty page must end as a stored article (when the fault is one a
crawler should get past) or as a `rejects` row with its own reason, be
counted in the run's stats, and leave the rest of the crawl going.
"""

from __future__ import annotations

import json

import pytest

from .conftest import FIXTURES, SEED_URL, query, run_cli
from .server import FixtureServer
from .test_live import live_args

B = "https://baodautu.vn/"
URLS = {
    "http_404": B + "no-luc-giam-phat-thai-trong-nganh-nong-nghiep-d281377.html",
    "rate_limited": B + "xay-dung-chuong-trinh-hanh-dong-quoc-gia-ve-lam-mat-ben-vung-giam-phat-thai-khi-nha-kinh-d281455.html",
    "robots": B + "thoi-diem-tang-toc-thuc-hanh-esg-cua-doanh-nghiep-d281590.html",
    "slow": B + "hioki-thanh-lap-chi-nhanh-tai-viet-nam-dong-hanh-cung-muc-tieu-trung-hoa-carbon-d281988.html",
    "redirect": B + "ngan-sach-hoat-dong-co-quan-ve-khi-hau-cua-lien-hop-quoc-duoc-dieu-chinh-tang-them-10-d281720.html",
    "flaky_500": B + "so-hoa-don-bay-chien-luoc-cho-doanh-nghiep-viet-trong-hanh-trinh-chuyen-doi-xanh-d281833.html",
    "cp1258": B + "doanh-nghiep-det-may-xanh-hoa-chuoi-cung-ung-de-giu-don-hang-xuat-khau-d281310.html",
    "redirect_loop": B + "thuc-day-tieu-chuan-hoa-he-thong-luu-tru-nang-luong-phuc-vu-phat-trien-xanh-ben-vung-d281611.html",
    "pdf": B + "giai-phap-xanh-cho-tuong-lai-khong-rac-thai-nhua-d281679.html",
    "oversize": B + "dong-nam-bo-tang-toc-phat-trien-khu-cong-nghiep-sinh-thai-d281516.html",
    "truncated": SEED_URL,
    "bot_challenge": B + "tin-chi-carbon-cuoc-choi-moi-cua-nen-kinh-te-xanh-viet-nam-d281902.html",
    "login_wall": B + "vung-dong-nam-bo-day-nhanh-xay-dung-khu-cong-nghiep-sinh-thai-d281760.html",
    "empty": B + "hoan-thien-khung-phap-ly-cho-thi-truong-tin-chi-carbon-rung-d281204.html",
}
MOVED = B + "ngan-sach-co-quan-khi-hau-lien-hop-quoc-tang-10-d281721.html"


def expected(url: str) -> dict:
    name = url.rsplit("/", 1)[1].replace(".html", ".expected.json")
    return json.loads((FIXTURES / "baodautu" / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    db = tmp_path_factory.mktemp("faults") / "faults.db"
    with FixtureServer() as server:
        server.set_rule(URLS["http_404"], "status", status=404)
        server.set_rule(URLS["rate_limited"], "status", status=429, retry_after=1, times=2)
        server.set_robots("baodautu.vn", disallow=["/thoi-diem-tang-toc-thuc-hanh-esg-cua-doanh-nghiep-d281590.html"])
        server.set_rule(URLS["slow"], "slow", delay=6)
        server.add_page(MOVED, server.page(URLS["redirect"]).body)
        server.set_rule(URLS["redirect"], "redirect", to=MOVED, status=301)
        server.set_rule(URLS["flaky_500"], "status", status=500, times=1)
        server.set_rule(URLS["cp1258"], "cp1258", charset="iso-8859-1")
        server.set_rule(URLS["redirect_loop"], "redirect_loop")
        server.set_rule(URLS["pdf"], "pdf")
        server.set_rule(URLS["oversize"], "oversize", size=3 * 1024 * 1024)
        server.set_rule(URLS["truncated"], "truncated_utf8")
        server.set_rule(URLS["bot_challenge"], "bot_challenge", status=403)
        server.set_rule(URLS["login_wall"], "login_wall")
        server.set_rule(URLS["empty"], "empty")
        run = run_cli(*live_args(server, db, "baodautu", "--set", "DOWNLOAD_MAXSIZE=1048576", "--set", "DOWNLOAD_TIMEOUT=2"))
        log = list(server.requests)
    stats = json.loads(query(db, "SELECT stats FROM crawl_runs")[0][0])
    return {"db": db, "run": run, "log": log, "stats": stats}


def reject_reason(db, url):
    rows = query(db, "SELECT reason FROM rejects WHERE url = ?", [url])
    return rows[0][0] if rows else None


def test_the_crawl_goes_on_and_succeeds(faulty):
    assert faulty["run"].returncode == 0, faulty["run"].stderr[-3000:]
    assert "Traceback" not in faulty["run"].stderr
    assert query(faulty["db"], "SELECT count(*) FROM articles")[0][0] >= 5


@pytest.mark.parametrize("fault, reason", [
    ("http_404", "http_404"), ("robots", "robots_forbidden"), ("redirect_loop", "redirect_loop"),
    ("pdf", "not_html"), ("oversize", "too_large"), ("bot_challenge", "bot_challenge"), ("login_wall", "login_wall"),
    ("empty", "empty_page"),
])
def test_a_page_that_cannot_be_an_article_is_a_reject_with_its_reason(faulty, fault, reason):
    assert reject_reason(faulty["db"], URLS[fault]) == reason
    assert not query(faulty["db"], "SELECT 1 FROM articles WHERE url = ?", [URLS[fault]])
    assert faulty["stats"].get(f"newscrawl/rejected/{reason}", 0) >= 1


def test_a_timeout_waits_for_a_later_run_instead_of_becoming_a_reject(faulty):
    db = faulty["db"]
    assert reject_reason(db, URLS["slow"]) is None
    state, reason, attempts, not_before = query(db, "SELECT state, reason, attempts, not_before FROM frontier WHERE url = ?", [URLS["slow"]])[0]
    assert (state, reason, attempts) == ("retry", "timeout", 1) and not_before
    assert faulty["stats"]["newscrawl/frontier/retry_later"] == 1
    assert "1 to retry in a later run" in faulty["run"].stdout


def test_rate_limit_is_waited_out_with_retry_after(faulty):
    statuses = [r["status"] for r in faulty["log"] if r["url"].endswith("d281455.html")]
    assert statuses == [429, 429, 200]
    times = [r["time"] for r in faulty["log"] if r["url"].endswith("d281455.html")]
    assert times[1] - times[0] >= 0.95 and times[2] - times[1] >= 0.95
    assert query(faulty["db"], "SELECT count(*) FROM articles WHERE url = ?", [URLS["rate_limited"]]) == [(1,)]
    assert faulty["stats"]["newscrawl/retry/count"] >= 3


def test_a_server_error_is_retried_and_the_chain_goes_on(faulty):
    db = faulty["db"]
    assert query(db, "SELECT count(*) FROM articles WHERE url = ?", [URLS["flaky_500"]]) == [(1,)]
    assert query(db, "SELECT depth FROM articles WHERE url = ?", [URLS["cp1258"]]) == [(2,)]


def test_mislabelled_windows_1258_page_is_stored_as_proper_vietnamese(faulty):
    title, body = query(faulty["db"], "SELECT title, body FROM articles WHERE url = ?", [URLS["cp1258"]])[0]
    want = expected(URLS["cp1258"])
    assert (title, body) == (want["title"], want["body"])
    assert faulty["stats"].get("newscrawl/encoding/cp1258", 0) >= 1


def test_truncated_utf8_page_is_stored(faulty):
    title, body = query(faulty["db"], "SELECT title, body FROM articles WHERE url = ?", [URLS["truncated"]])[0]
    assert (title, body) == (expected(URLS["truncated"])["title"], expected(URLS["truncated"])["body"])


def test_redirected_article_lives_at_its_new_url(faulty):
    db = faulty["db"]
    assert query(db, "SELECT count(*) FROM articles WHERE url = ?", [MOVED]) == [(1,)]
    assert not query(db, "SELECT 1 FROM articles WHERE url = ?", [URLS["redirect"]])
    assert query(db, "SELECT state, reason FROM frontier WHERE url = ?", [URLS["redirect"]]) == [("done", f"redirected to {MOVED}")]


def test_blocked_pages_are_counted_and_warned_about(faulty):
    stats, stderr = faulty["stats"], faulty["run"].stderr
    for reason in ("bot_challenge", "login_wall", "empty_page"):
        assert stats.get(f"newscrawl/blocked/{reason}", 0) + stats.get(f"newscrawl/failed/{reason}", 0) >= 1, reason
    assert "login wall instead of content" in stderr and "empty page instead of content" in stderr


def test_nothing_is_left_unfinished(faulty):
    assert query(faulty["db"], "SELECT count(*) FROM frontier WHERE state IN ('pending', 'leased')") == [(0,)]
