"""The fixture web server: pages by Host, validators, robots, faults, the request log."""

import http.client
import socket
import threading
import time
from email.utils import format_datetime, parsedate_to_datetime
from datetime import datetime, timezone

import pytest

from newscrawl.analysis.blocked import BOT_CHALLENGE, EMPTY_PAGE, LOGIN_WALL, PAYWALL, blocked_reason
from newscrawl.analysis.encoding import decode_html

from .conftest import SEED_URL, manifest_entries
from .server import PDF_BYTES, FixtureServer, fixture_server  # noqa: F401 - fixture_server is a fixture

SEED_TITLE = "Hải Phòng: Chuyển đổi số hướng tới phát triển bền vững"


@pytest.fixture(scope="module")
def server():
    with FixtureServer() as s:
        yield s


@pytest.fixture
def fresh():
    """A server of one's own, for tests that set rules or change pages."""
    with FixtureServer() as s:
        yield s


# --- pages -----------------------------------------------------------------------------------


def test_serves_every_saved_page_by_host_path_and_query(server):
    entries = manifest_entries()
    assert len(entries) > 100
    for entry in entries:
        status, headers, body = server.fetch(entry["url"])
        assert status == entry.get("status", 200), entry["url"]
        assert body == entry["path"].read_bytes(), entry["url"]
        assert headers["content-type"] == entry["headers"]["Content-Type"]
        assert headers["etag"].startswith('"') and parsedate_to_datetime(headers["last-modified"])


def test_query_and_host_select_the_page(server):
    with_query = "https://baodautu.vn/tin-chi-carbon-cuoc-choi-moi-cua-nen-kinh-te-xanh-viet-nam-d281902.html?utm_source=zalo&utm_medium=share"
    assert server.fetch(with_query)[0] == 200
    assert server.fetch(with_query.replace("zalo", "facebook"))[0] == 404
    assert server.fetch(SEED_URL.replace("baodautu.vn", "vneconomy.vn"))[0] == 404
    # www. and m. spellings of a saved host find its pages
    assert server.fetch(SEED_URL.replace("https://", "https://www."))[2] == server.fetch(SEED_URL)[2]
    assert server.fetch(SEED_URL.replace("https://", "http://m."))[0] == 200


def test_unknown_urls_are_404(server):
    status, headers, body = server.fetch("https://baodautu.vn/khong-co-trang-nay.html")
    assert status == 404 and b"404" in body


def test_host_map_covers_every_saved_host(server):
    mapping = server.host_map()
    assert mapping["baodautu.vn"] == server.base_url
    assert "vietnamplus.vn" in mapping and "www.vietnamplus.vn" not in mapping


def test_add_page(fresh):
    fresh.add_page("https://example.vn/feed.xml", "<rss><channel><title>Tin</title></channel></rss>", content_type="application/rss+xml; charset=utf-8")
    status, headers, body = fresh.fetch("https://example.vn/feed.xml")
    assert status == 200 and headers["content-type"].startswith("application/rss+xml") and b"<rss>" in body


# --- validators ----------------------------------------------------------------------------


def test_304_on_if_none_match(server):
    _, headers, _ = server.fetch(SEED_URL)
    etag = headers["etag"]
    for value in (etag, f"W/{etag}", f'"nope", {etag}', "*"):
        status, h, body = server.fetch(SEED_URL, {"If-None-Match": value})
        assert (status, body) == (304, b"") and h["etag"] == etag
    assert server.fetch(SEED_URL, {"If-None-Match": '"stale"'})[0] == 200


def test_304_on_if_modified_since(server):
    _, headers, _ = server.fetch(SEED_URL)
    assert server.fetch(SEED_URL, {"If-Modified-Since": headers["last-modified"]})[0] == 304
    earlier = format_datetime(parsedate_to_datetime(headers["last-modified"]).replace(year=2020), usegmt=True)
    assert server.fetch(SEED_URL, {"If-Modified-Since": earlier})[0] == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110)
    assert server.fetch(SEED_URL, {"If-None-Match": '"stale"', "If-Modified-Since": headers["last-modified"]})[0] == 200


def test_changing_a_page_changes_its_validators(fresh):
    _, before, _ = fresh.fetch(SEED_URL)
    new_etag = fresh.change_page(SEED_URL, "<html><body><h1>Bài viết đã cập nhật</h1></body></html>")
    status, after, body = fresh.fetch(SEED_URL, {"If-None-Match": before["etag"]})
    assert status == 200 and "đã cập nhật" in body.decode("utf-8")
    assert after["etag"] == new_etag != before["etag"]
    assert parsedate_to_datetime(after["last-modified"]) > parsedate_to_datetime(before["last-modified"])
    assert fresh.fetch(SEED_URL, {"If-Modified-Since": before["last-modified"]})[0] == 200
    assert fresh.fetch(SEED_URL, {"If-None-Match": new_etag})[0] == 304
    assert fresh.statuses_for(SEED_URL) == [200, 200, 200, 304]


# --- robots.txt ------------------------------------------------------------------------------


def test_robots_allow_all_by_default_and_per_host_disallow(fresh):
    status, headers, body = fresh.fetch("https://baodautu.vn/robots.txt")
    assert status == 200 and headers["content-type"].startswith("text/plain") and b"Disallow:\n" in body
    fresh.set_robots("baodautu.vn", disallow=["/private", "/tim-kiem"])
    body = fresh.fetch("https://www.baodautu.vn/robots.txt")[2].decode()
    assert "Disallow: /private\n" in body and "Disallow: /tim-kiem\n" in body
    assert fresh.fetch("https://vneconomy.vn/robots.txt")[2] == b"User-agent: *\nDisallow:\n"
    fresh.set_robots("vneconomy.vn", text="User-agent: newscrawl\nDisallow: /\n")
    assert fresh.fetch("https://vneconomy.vn/robots.txt")[2] == b"User-agent: newscrawl\nDisallow: /\n"


# --- fault rules -----------------------------------------------------------------------------


def test_429_with_retry_after_for_the_first_k_requests(fresh):
    fresh.set_rule(SEED_URL, "status", status=429, retry_after=3, times=2)
    first = fresh.fetch(SEED_URL)
    assert first[0] == 429 and first[1]["retry-after"] == "3"
    assert fresh.fetch(SEED_URL)[0] == 429
    assert fresh.fetch(SEED_URL)[0] == 200
    assert fresh.statuses_for(SEED_URL) == [429, 429, 200]
    assert [r["rule"] for r in fresh.requests_for(SEED_URL)] == ["status", "status", None]


@pytest.mark.parametrize("status", [500, 503])
def test_5xx_for_the_first_k_requests(fresh, status):
    fresh.set_rule(SEED_URL, "status", status=status, times=1)
    assert [fresh.fetch(SEED_URL)[0] for _ in range(3)] == [status, 200, 200]


def test_slow_response(fresh):
    fresh.set_rule(SEED_URL, "slow", delay=0.4, times=1)
    start = time.monotonic()
    assert fresh.fetch(SEED_URL)[0] == 200
    assert time.monotonic() - start >= 0.38
    start = time.monotonic()
    fresh.fetch(SEED_URL)
    assert time.monotonic() - start < 0.3


def test_redirects_and_redirect_loops(fresh):
    old = "https://baodautu.vn/bai-cu.html"
    fresh.set_rule(old, "redirect", to=SEED_URL, status=301)
    status, headers, _ = fresh.fetch(old)
    assert status == 301 and headers["location"] == SEED_URL
    loop = "https://baodautu.vn/vong-lap"
    fresh.set_rule(loop, "redirect_loop")
    status, headers, _ = fresh.fetch(loop)
    assert status == 302 and headers["location"] == loop
    a, b = "https://baodautu.vn/a", "https://baodautu.vn/b"
    fresh.set_rule(a, "redirect_loop", to=b)
    fresh.set_rule(b, "redirect_loop", to=a)
    assert fresh.fetch(a)[1]["location"] == b and fresh.fetch(b)[1]["location"] == a


def test_oversize_body(fresh):
    fresh.set_rule(SEED_URL, "oversize", size=300_000, times=1)
    status, headers, body = fresh.fetch(SEED_URL)
    assert status == 200 and int(headers["content-length"]) == 300_000 and len(body) == 300_000
    fresh.set_rule(SEED_URL, "oversize", size=100_000, declare_length=False, times=1)
    status, headers, body = fresh.fetch(SEED_URL)
    assert "content-length" not in headers and len(body) == 100_000


def test_pdf_instead_of_html(fresh):
    fresh.set_rule(SEED_URL, "pdf")
    status, headers, body = fresh.fetch(SEED_URL)
    assert headers["content-type"] == "application/pdf" and body == PDF_BYTES


@pytest.mark.parametrize("charset, header", [("iso-8859-1", "text/html; charset=iso-8859-1"), (None, "text/html")])
def test_windows_1258_body_with_a_wrong_or_missing_charset(fresh, charset, header):
    fresh.set_rule(SEED_URL, "cp1258", charset=charset)
    status, headers, body = fresh.fetch(SEED_URL)
    assert status == 200 and headers["content-type"] == header
    assert SEED_TITLE.encode("utf-8") not in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text, codec = decode_html(body, headers["content-type"])
    assert codec == "cp1258" and SEED_TITLE in text


def test_truncated_utf8_body(fresh):
    fresh.set_rule(SEED_URL, "truncated_utf8", text="<html><body><p>Điện mặt trời mái nhà ở Bình Hải</p>")
    body = fresh.fetch(SEED_URL)[2]
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text, codec = decode_html(body, "text/html; charset=utf-8")
    assert codec == "utf-8" and text.endswith("Bình H")


@pytest.mark.parametrize("vendor", ["cloudflare", "ddos-guard", "sucuri", "captcha"])
def test_bot_challenge(fresh, vendor):
    fresh.set_rule(SEED_URL, "bot_challenge", vendor=vendor, status=503)
    status, headers, body = fresh.fetch(SEED_URL)
    assert status == 503
    assert blocked_reason(status, headers, body.decode("utf-8")) == BOT_CHALLENGE


def test_walls_and_empty_pages(fresh):
    fresh.set_rule(SEED_URL, "login_wall", times=1)
    fresh.set_rule(SEED_URL, "paywall", times=1)
    fresh.set_rule(SEED_URL, "empty", times=1)
    reasons = []
    for _ in range(4):
        status, headers, body = fresh.fetch(SEED_URL)
        reasons.append(blocked_reason(status, headers, body.decode("utf-8")))
    assert reasons == [LOGIN_WALL, PAYWALL, EMPTY_PAGE, None]


def test_content_type_rule(fresh):
    fresh.set_rule(SEED_URL, "content_type", content_type="application/octet-stream")
    status, headers, body = fresh.fetch(SEED_URL)
    assert headers["content-type"] == "application/octet-stream" and SEED_TITLE.encode() in body


def test_reset_closes_without_an_answer(fresh):
    fresh.set_rule(SEED_URL, "reset", times=1)
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError, http.client.BadStatusLine)):
        fresh.fetch(SEED_URL)
    assert fresh.fetch(SEED_URL)[0] == 200
    assert fresh.statuses_for(SEED_URL) == [0, 200]


def test_unknown_rule_kind_is_refused(fresh):
    with pytest.raises(ValueError, match="unknown rule kind"):
        fresh.set_rule(SEED_URL, "teapot")


# --- the request log ---------------------------------------------------------------------------


def test_every_request_is_recorded(fresh):
    fresh.fetch(SEED_URL, {"User-Agent": "newscrawl-test", "If-None-Match": '"x"'})
    fresh.fetch("https://baodautu.vn/nope", method="HEAD")
    first, second = fresh.requests
    assert first["method"] == "GET" and first["url"] == SEED_URL and first["status"] == 200
    assert first["headers"]["User-Agent"] == "newscrawl-test" and first["headers"]["Host"] == "baodautu.vn"
    assert second["method"] == "HEAD" and second["status"] == 404 and second["url"] == "https://baodautu.vn/nope"
    fresh.clear_log()
    assert fresh.requests == []


def test_the_log_is_bounded():
    with FixtureServer(max_log=5) as small:
        for _ in range(8):
            small.fetch(SEED_URL)
        assert len(small.requests) == 5


def test_concurrent_requests_and_rules_are_counted_exactly(fresh):
    fresh.set_rule(SEED_URL, "status", status=503, times=5)
    statuses, lock = [], threading.Lock()

    def worker():
        for _ in range(5):
            status = fresh.fetch(SEED_URL)[0]
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(statuses) == 40 and statuses.count(503) == 5 and statuses.count(200) == 35
    assert len(fresh.requests_for(SEED_URL)) == 40


def test_the_pytest_fixture_serves(fixture_server):
    assert fixture_server.fetch(SEED_URL)[0] == 200


# --- stopping --------------------------------------------------------------------------------------


def test_stop_is_prompt_even_with_a_slow_request_in_flight():
    s = FixtureServer().start()
    port = s.port
    s.set_rule(SEED_URL, "slow", delay=25)
    errors = []
    thread = threading.Thread(target=lambda: errors.append(_fetch_quietly(s, SEED_URL)), daemon=True)
    thread.start()
    time.sleep(0.2)
    start = time.monotonic()
    s.stop()
    assert time.monotonic() - start < 3
    thread.join(timeout=5)
    assert not thread.is_alive()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def _fetch_quietly(server, url):
    try:
        return server.fetch(url, timeout=10)[0]
    except (OSError, http.client.HTTPException) as exc:
        return type(exc).__name__


def test_http_dates_are_gmt(server):
    _, headers, _ = server.fetch(SEED_URL)
    when = parsedate_to_datetime(headers["last-modified"])
    assert when.tzinfo is not None and when <= datetime.now(timezone.utc)
