"""Failure reasons come from exception types, one table, each type tested."""

from __future__ import annotations

import pytest
from OpenSSL.SSL import Error as OpenSSLError
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as tx
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from newscrawl.crawl.failures import FAILURE_TYPES, OffsiteRedirect, ReplayMiss, RobotsForbidden, failure_reason, is_transient
from newscrawl.crawl.frontier import unfetchable

URL = "https://baodautu.vn/a-d1.html"


def failure_of(error: BaseException, meta: dict | None = None) -> Failure:
    try:
        raise error
    except BaseException:  # noqa: BLE001 - a Failure wants a live traceback
        failure = Failure()
    failure.request = Request(URL, meta=meta or {})
    return failure


def http_error(status: int, body: bytes = b"<html><body><p>Server error</p></body></html>") -> HttpError:
    response = HtmlResponse(URL, status=status, body=body, request=Request(URL))
    return HttpError(response, "ignored")


@pytest.mark.parametrize("error, reason", [
    (CannotResolveHostError("baodautu.vn"), "dns_error"),  # Scrapy 2.19 wraps Twisted's DNS error in this
    (tx.DNSLookupError("baodautu.vn"), "dns_error"),
    (DownloadTimeoutError("took longer than 30 seconds"), "timeout"),
    (tx.TimeoutError(), "timeout"),
    (tx.TCPTimedOutError(), "timeout"),
    (DownloadConnectionRefusedError("refused"), "connection_refused"),
    (tx.ConnectionRefusedError(), "connection_refused"),
    (ResponseDataLossError(), "connection_lost"),  # the connection closed mid-body
    (ResponseNeverReceived([Failure(tx.ConnectionLost())]), "connection_lost"),
    (ResponseFailed([Failure(tx.ConnectionLost())]), "connection_lost"),
    (tx.ConnectionLost(), "connection_lost"),
    (tx.ConnectionDone(), "connection_lost"),
    (tx.ConnectError(), "connection_error"),
    (DownloadCancelledError("exceeds DOWNLOAD_MAXSIZE"), "too_large"),  # declared or streamed past the limit
    (UnsupportedURLSchemeError("ftp"), "bad_scheme"),
    (DownloadFailedError("something else"), "download_error"),
    (RobotsForbidden("Forbidden by robots.txt"), "robots_forbidden"),
    (OffsiteRedirect("Filtered offsite request"), "offsite_redirect"),
    (ReplayMiss("no saved page"), "not_saved"),
    (OpenSSLError([("SSL routines", "", "certificate verify failed")]), "tls_error"),
    (ValueError("a type nobody listed"), "download_error"),
])
def test_each_exception_type_has_its_reason(error, reason):
    assert failure_reason(failure_of(error)) == reason


def test_a_tls_failure_wrapped_by_twisted_is_a_tls_error():
    wrapped = ResponseNeverReceived([Failure(OpenSSLError([("SSL routines", "", "handshake failure")]))])
    assert failure_reason(failure_of(wrapped)) == "tls_error"


def test_the_reason_does_not_depend_on_the_message():
    assert failure_reason(failure_of(DownloadFailedError("DNS lookup failed: max size redirect robots.txt"))) == "download_error"
    assert failure_reason(failure_of(IgnoreRequest("max redirections reached"))) == "ignored"


def test_a_redirect_chain_that_gives_up_is_a_redirect_loop():
    assert failure_reason(failure_of(IgnoreRequest("max redirections reached"), {"redirect_times": 5})) == "redirect_loop"


@pytest.mark.parametrize("status", [404, 410, 500, 503, 429])
def test_an_http_error_is_named_by_its_status(status):
    assert failure_reason(failure_of(http_error(status))) == f"http_{status}"


def test_a_challenge_page_behind_an_error_status_is_named_as_a_wall():
    page = b"<html><head><title>Just a moment...</title></head><body>Checking your browser cf-chl</body></html>"
    assert failure_reason(failure_of(http_error(503, page))) == "bot_challenge"


def test_every_listed_type_is_a_distinct_class():
    types = [t for t, _ in FAILURE_TYPES]
    assert len(types) == len(set(types))


@pytest.mark.parametrize("reason, transient", [
    ("dns_error", True), ("timeout", True), ("connection_refused", True), ("connection_lost", True), ("tls_error", True),
    ("http_500", True), ("http_503", True), ("http_429", True), ("http_408", True),
    ("http_404", False), ("http_410", False), ("http_403", False), ("too_large", False), ("robots_forbidden", False),
    ("offsite_redirect", False), ("bot_challenge", False), ("redirect_loop", False), ("not_html", False),
])
def test_transient_reasons_are_the_ones_that_may_pass(reason, transient):
    assert is_transient(reason) is transient


def test_unfetchable_urls_are_named_before_any_request():
    assert unfetchable("https://baodautu.vn/" + "a" * 3000 + "-d1.html", 2083) == "url_too_long"
    assert unfetchable("ftp://baodautu.vn/a-d1.html", 2083) == "bad_scheme"
    assert unfetchable("javascript:void(0)", 2083) == "bad_scheme"
    assert unfetchable(URL, 2083) is None
