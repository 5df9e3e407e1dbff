"""The retry middleware: backoff, Retry-After, give-up reasons; and a real crawl against the fixture server."""

import asyncio
import logging
import random
from email.utils import format_datetime
from datetime import datetime, timezone

import pytest
from scrapy.exceptions import DownloadTimeoutError, NotConfigured
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from newscrawl.crawl.retry import META_KEY, RetryMiddleware, backoff_delay, parse_retry_after

from .probe_spider import run_probe
from .server import CHALLENGE_HEADERS, CHALLENGE_PAGES, FixtureServer

URL = "https://baodautu.vn/tin-chi-carbon-d281902.html"


class Stats:
    def __init__(self):
        self.values = {}

    def inc_value(self, key, count=1, start=0):
        self.values[key] = self.values.get(key, start) + count


def middleware(**kwargs):
    slept = []

    async def sleep(seconds):
        slept.append(seconds)

    kwargs.setdefault("backoff", 0.5)
    kwargs.setdefault("max_delay", 10.0)
    mw = RetryMiddleware(exceptions=(DownloadTimeoutError, ConnectionError), stats=Stats(), sleep=sleep, **kwargs)
    return mw, slept


def run(coro):
    return asyncio.run(coro)


def response(status, headers=None, body=b"<html><body>error</body></html>", url=URL):
    return HtmlResponse(url, status=status, headers=headers or {}, body=body)


# --- pure functions -------------------------------------------------------------------------


def test_parse_retry_after_seconds_and_dates():
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(b" 120 ") == 120.0
    assert parse_retry_after("1.5") == 1.5
    now = datetime(2026, 11, 24, 9, 0, 0, tzinfo=timezone.utc).timestamp()
    assert parse_retry_after("Tue, 24 Nov 2026 09:00:10 GMT", now=now) == 10.0
    assert parse_retry_after("Tue, 24 Nov 2026 08:59:00 GMT", now=now) == 0.0  # in the past: now
    for junk in (None, "", "soon", "Tue, 99 Foo 2026", "-"):
        assert parse_retry_after(junk) is None


def test_backoff_doubles_up_to_the_cap():
    assert [backoff_delay(n, 0.5, 3.0) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    assert backoff_delay(1000, 1.0, 60.0) == 60.0
    assert backoff_delay(1, 0.0, 60.0) == 0.0


def test_jitter_stays_within_its_fraction():
    mw, _ = middleware(jitter=0.2, rng=random.Random(7))
    delays = [mw.delay_for(2, None) for _ in range(200)]
    assert all(0.8 <= d <= 1.2 for d in delays) and len(set(delays)) > 100


# --- responses ----------------------------------------------------------------------------------


def test_5xx_is_retried_with_backoff_then_given_up(caplog):
    mw, slept = middleware(max_retry_times=3)
    request = Request(URL)
    for expected_delay in (0.5, 1.0, 2.0):
        result = run(mw.process_response(request, response(503)))
        assert isinstance(result, Request) and result.dont_filter
        request = result
    assert slept == [0.5, 1.0, 2.0]
    assert request.meta["retry_times"] == 3 and request.priority == -3
    assert request.meta[META_KEY] == {"times": 3, "reasons": ["http_503"] * 3, "delays": [0.5, 1.0, 2.0], "gave_up": None}
    final = response(503)
    with caplog.at_level(logging.ERROR, logger="newscrawl.crawl.retry"):
        assert run(mw.process_response(request, final)) is final
    assert request.meta[META_KEY]["gave_up"] == "http_503"
    assert "gave up retrying" in caplog.text
    stats = mw.stats.values
    assert stats["newscrawl/retry/count"] == 3 and stats["newscrawl/retry/reason/http_503"] == 3
    assert stats["newscrawl/retry/max_reached"] == 1 and stats["newscrawl/retry/gave_up/http_503"] == 1
    assert stats["newscrawl/retry/delay_seconds"] == pytest.approx(3.5)


def test_retry_after_is_obeyed_on_429_and_503():
    mw, slept = middleware()
    run(mw.process_response(Request(URL), response(429, {"Retry-After": "7"})))
    run(mw.process_response(Request(URL), response(503, {"Retry-After": "2"})))
    assert slept == [7.0, 2.0]
    assert mw.stats.values["newscrawl/retry/retry_after"] == 2


def test_retry_after_as_an_http_date():
    now = datetime(2026, 11, 24, 9, 0, 0, tzinfo=timezone.utc).timestamp()
    mw, slept = middleware(clock=lambda: now)
    when = format_datetime(datetime(2026, 11, 24, 9, 0, 4, tzinfo=timezone.utc), usegmt=True)
    run(mw.process_response(Request(URL), response(429, {"Retry-After": when})))
    assert slept == [4.0]


def test_retry_after_on_500_is_ignored():
    mw, slept = middleware()
    run(mw.process_response(Request(URL), response(500, {"Retry-After": "9"})))
    assert slept == [0.5]


def test_retry_after_beyond_the_maximum_gives_up_at_once():
    mw, slept = middleware(max_delay=30)
    request = Request(URL)
    final = response(429, {"Retry-After": "3600"})
    assert run(mw.process_response(request, final)) is final
    assert slept == []
    assert "Retry-After 3600s" in request.meta[META_KEY]["gave_up"]
    assert mw.stats.values["newscrawl/retry/retry_after_too_long"] == 1
    assert mw.stats.values["newscrawl/retry/gave_up/retry_after_too_long"] == 1


def test_bot_challenges_are_not_retried():
    mw, slept = middleware()
    html = CHALLENGE_PAGES["cloudflare"].replace("{host}", "baodautu.vn").encode()
    request = Request(URL)
    final = response(503, CHALLENGE_HEADERS["cloudflare"], html)
    assert run(mw.process_response(request, final)) is final
    assert slept == [] and request.meta[META_KEY]["gave_up"] == "bot_challenge"
    assert mw.stats.values == {"newscrawl/retry/not_retried/bot_challenge": 1}


def test_other_statuses_and_dont_retry_pass_through():
    mw, slept = middleware()
    for status in (200, 301, 404, 403):
        r = response(status)
        assert run(mw.process_response(Request(URL), r)) is r
    r = response(503)
    assert run(mw.process_response(Request(URL, meta={"dont_retry": True}), r)) is r
    assert slept == [] and mw.stats.values == {}


def test_max_retry_times_meta_overrides_the_setting():
    mw, _ = middleware(max_retry_times=5)
    final = response(500)
    request = Request(URL, meta={"max_retry_times": 0})
    assert run(mw.process_response(request, final)) is final
    assert request.meta[META_KEY]["gave_up"] == "http_500"


# --- exceptions ---------------------------------------------------------------------------------


def test_timeouts_and_connection_errors_are_retried():
    mw, slept = middleware(max_retry_times=1)
    request = Request(URL)
    retry = run(mw.process_exception(request, DownloadTimeoutError("took too long")))
    assert isinstance(retry, Request) and retry.meta[META_KEY]["reasons"] == ["DownloadTimeoutError"]
    assert run(mw.process_exception(retry, ConnectionRefusedError())) is None
    assert retry.meta[META_KEY]["gave_up"] == "ConnectionRefusedError"
    assert slept == [0.5]


def test_other_exceptions_are_not_retried():
    mw, slept = middleware()
    assert run(mw.process_exception(Request(URL), ValueError("bug"))) is None
    assert slept == [] and mw.stats.values == {}


# --- settings -----------------------------------------------------------------------------------


def test_from_crawler_reads_settings():
    crawler = get_crawler(settings_dict={
        "RETRY_TIMES": 4, "RETRY_HTTP_CODES": [503], "NEWSCRAWL_RETRY_BACKOFF": 0.25,
        "NEWSCRAWL_RETRY_MAX_DELAY": 9, "NEWSCRAWL_RETRY_JITTER": 0.1,
    })
    mw = RetryMiddleware.from_crawler(crawler)
    assert (mw.max_retry_times, mw.retry_http_codes, mw.backoff, mw.max_delay, mw.jitter) == (4, frozenset({503}), 0.25, 9.0, 0.1)
    assert DownloadTimeoutError in mw.exceptions and mw.stats is crawler.stats


def test_disabled_raises_not_configured():
    with pytest.raises(NotConfigured):
        RetryMiddleware.from_crawler(get_crawler(settings_dict={"RETRY_ENABLED": False}))


# --- a real crawl -------------------------------------------------------------------------------

BASE = "https://baodautu.vn/retry-test"
PAGES = {
    "throttled": f"{BASE}/throttled",      # 429 Retry-After 1, twice
    "flaky": f"{BASE}/flaky",              # 503 (no Retry-After), twice
    "broken": f"{BASE}/broken",            # 500 always
    "reset": f"{BASE}/reset",              # connection closed twice
    "timeout": f"{BASE}/timeout",          # slower than DOWNLOAD_TIMEOUT once
    "challenge": f"{BASE}/challenge",      # Cloudflare challenge, 503
    "too_long": f"{BASE}/too-long",        # 429 Retry-After 3600
    "waiter": f"{BASE}/waiter",            # 429 Retry-After 2, once
    "slow_start": f"{BASE}/slow-start",    # answers after 0.3 s; its answer asks for "followed"
    "followed": f"{BASE}/followed",
}
BACKOFF = 0.3


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("retry")
    with FixtureServer() as server:
        for name, url in PAGES.items():
            server.add_page(url, f"<html><head><title>{name}</title></head><body><p>Trang {name}</p></body></html>")
        server.set_rule(PAGES["throttled"], "status", status=429, retry_after=1, times=2)
        server.set_rule(PAGES["flaky"], "status", status=503, times=2)
        server.set_rule(PAGES["broken"], "status", status=500)
        # Twisted silently retries a request once when a *reused* keep-alive connection
        # drops, so two resets make sure at least one reaches the middleware.
        server.set_rule(PAGES["reset"], "reset", times=2)
        server.set_rule(PAGES["timeout"], "slow", delay=2.5, times=1)
        server.set_rule(PAGES["challenge"], "bot_challenge", status=503)
        server.set_rule(PAGES["too_long"], "status", status=429, retry_after=3600)
        server.set_rule(PAGES["waiter"], "status", status=429, retry_after=2, times=1)
        server.set_rule(PAGES["slow_start"], "slow", delay=0.3)
        result = run_probe(
            tmp,
            [u for n, u in PAGES.items() if n != "followed"],
            follow={PAGES["slow_start"]: [PAGES["followed"]]},
            settings={
                "NEWSCRAWL_HOST_MAP": server.host_map(),
                "RETRY_TIMES": 2,
                "NEWSCRAWL_RETRY_BACKOFF": BACKOFF,
                "NEWSCRAWL_RETRY_MAX_DELAY": 5,
                "DOWNLOAD_TIMEOUT": 1,
                "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
            },
        )
        result["server"] = server
        result["by_url"] = {r["requested"]: r for r in result["records"]}
        yield result


def times(crawl, name):
    return [r["time"] for r in crawl["server"].requests_for(PAGES[name])]


def test_crawl_finished_cleanly(crawl):
    assert crawl["returncode"] == 0, crawl["log"][-3000:]
    assert crawl["reason"] == "finished"
    assert "Traceback" not in crawl["log"]


def test_429_waits_for_retry_after(crawl):
    assert crawl["server"].statuses_for(PAGES["throttled"]) == [429, 429, 200]
    t = times(crawl, "throttled")
    assert t[1] - t[0] >= 0.95 and t[2] - t[1] >= 0.95
    record = crawl["by_url"][PAGES["throttled"]]
    assert record["kind"] == "response" and record["status"] == 200
    assert record["retry"] == {"times": 2, "reasons": ["http_429", "http_429"], "delays": [1.0, 1.0], "gave_up": None}


def test_503_backs_off_exponentially(crawl):
    assert crawl["server"].statuses_for(PAGES["flaky"]) == [503, 503, 200]
    t = times(crawl, "flaky")
    assert t[1] - t[0] >= BACKOFF * 0.95 and t[2] - t[1] >= 2 * BACKOFF * 0.95
    assert crawl["by_url"][PAGES["flaky"]]["retry"]["delays"] == [BACKOFF, 2 * BACKOFF]


def test_gives_up_after_retry_times_with_the_reason_in_the_errback(crawl):
    assert crawl["server"].statuses_for(PAGES["broken"]) == [500, 500, 500]
    record = crawl["by_url"][PAGES["broken"]]
    assert record["kind"] == "failure" and record["error"] == "HttpError" and record["status"] == 500
    assert record["retry"]["gave_up"] == "http_500" and record["retry"]["times"] == 2
    assert crawl["stats"]["newscrawl/retry/max_reached"] >= 1
    assert crawl["stats"]["newscrawl/retry/gave_up/http_500"] == 1


def test_connection_errors_and_timeouts_are_retried(crawl):
    assert crawl["server"].statuses_for(PAGES["reset"]) == [0, 0, 200]
    reset = crawl["by_url"][PAGES["reset"]]
    assert reset["status"] == 200 and reset["retry"]["times"] >= 1
    assert set(reset["retry"]["reasons"]) <= {"ResponseNeverReceived", "DownloadFailedError", "ConnectionLost", "ConnectionDone", "ResponseFailed"}, reset["retry"]
    timeout = crawl["by_url"][PAGES["timeout"]]
    assert timeout["status"] == 200 and timeout["retry"]["reasons"] == ["DownloadTimeoutError"]
    assert len(crawl["server"].requests_for(PAGES["timeout"])) == 2


def test_challenges_and_long_retry_after_are_not_retried(crawl):
    assert crawl["server"].statuses_for(PAGES["challenge"]) == [503]
    assert crawl["by_url"][PAGES["challenge"]]["retry"]["gave_up"] == "bot_challenge"
    assert crawl["server"].statuses_for(PAGES["too_long"]) == [429]
    assert "Retry-After 3600s" in crawl["by_url"][PAGES["too_long"]]["retry"]["gave_up"]
    assert crawl["stats"]["newscrawl/retry/not_retried/bot_challenge"] == 1


def test_waiting_does_not_block_the_reactor(crawl):
    # While "waiter" sleeps 2 s before its retry, the crawl goes on: "slow-start"
    # answers at ~0.3 s and its callback's request for "followed" is fetched long
    # before the retry. With a blocking sleep it could only come after it.
    waiter = times(crawl, "waiter")
    followed = times(crawl, "followed")
    assert len(waiter) == 2 and waiter[1] - waiter[0] >= 1.95
    assert len(followed) == 1 and waiter[0] < followed[0] < waiter[1] - 1.0


def test_stats_are_namespaced(crawl):
    stats = crawl["stats"]
    assert stats["newscrawl/retry/count"] == sum(len(r["retry"]["reasons"]) for r in crawl["records"] if r.get("retry") and r["retry"]["gave_up"] in (None, "http_500"))
    assert stats["newscrawl/retry/reason/http_429"] == 3 and stats["newscrawl/retry/reason/http_503"] == 2
    assert not any(k.startswith("retry/") for k in stats)  # Scrapy's own middleware is off
