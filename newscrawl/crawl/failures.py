"""Naming what went wrong with a request, and whether a later run may try again.

Reasons come from the exception's type (Scrapy's and Twisted's download
errors, this project's own), never from its message, whose words change
between releases. `FAILURE_TYPES` is the one table; a type that is not in
it is named `download_error` and counted, so a new Scrapy error shows up
as a count to look at rather than a wrong reason.

A reason is *transient* when the same URL may well work later: a server
error or rate limit that outlasted the retries, a timeout, a connection
refused or lost, a DNS failure, a TLS handshake that failed. The frontier
puts such a URL back for a later run; every other reason is final.
"""

from __future__ import annotations

import re

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
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as tx
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from ..analysis.blocked import blocked_reason


class RobotsForbidden(IgnoreRequest):
    """robots.txt disallows the URL (raised by `newscrawl.crawl.robots`)."""


class ReplayMiss(IgnoreRequest):
    """A replay has no saved page for the URL (raised by `newscrawl.crawl.replay`)."""


class OffsiteRedirect(IgnoreRequest):
    """A redirect led out of the crawl's hosts (raised by `newscrawl.crawl.offsite`)."""


# Most specific first: the first class the error is an instance of names it.
FAILURE_TYPES: tuple[tuple[type[BaseException], str], ...] = (
    (RobotsForbidden, "robots_forbidden"),
    (OffsiteRedirect, "offsite_redirect"),
    (ReplayMiss, "not_saved"),
    (CannotResolveHostError, "dns_error"),
    (tx.DNSLookupError, "dns_error"),
    (DownloadTimeoutError, "timeout"),
    (tx.TimeoutError, "timeout"),
    (tx.TCPTimedOutError, "timeout"),
    (DownloadConnectionRefusedError, "connection_refused"),
    (tx.ConnectionRefusedError, "connection_refused"),
    (ResponseDataLossError, "connection_lost"),
    (ResponseNeverReceived, "connection_lost"),
    (ResponseFailed, "connection_lost"),
    (tx.ConnectionLost, "connection_lost"),
    (tx.ConnectionDone, "connection_lost"),
    (tx.ConnectError, "connection_error"),
    # Scrapy cancels a download only when it outgrows DOWNLOAD_MAXSIZE (declared or streamed).
    (DownloadCancelledError, "too_large"),
    (UnsupportedURLSchemeError, "bad_scheme"),
    (DownloadFailedError, "download_error"),
)

TRANSIENT = frozenset({
    "dns_error", "timeout", "connection_refused", "connection_lost", "connection_error", "tls_error",
    "http_408", "http_429", "http_500", "http_502", "http_503", "http_504", "http_520", "http_521",
    "http_522", "http_523", "http_524",
})


def is_transient(reason: str) -> bool:
    """May the same URL work in a later run? (Everything else is final.)"""
    return reason in TRANSIENT


def _tls_error(error: BaseException) -> bool:
    try:
        from OpenSSL.SSL import Error as OpenSSLError
    except ImportError:  # pragma: no cover - pyOpenSSL comes with Scrapy
        return False
    chain = [error, error.__cause__, *getattr(error, "reasons", [])]
    return any(isinstance(getattr(e, "value", e), OpenSSLError) for e in chain if e is not None)


def failure_reason(failure) -> str:
    """A short reason code for a request that produced no usable response."""
    error = failure.value
    meta = failure.request.meta if getattr(failure, "request", None) is not None else {}
    if meta.get("newscrawl_retry", {}).get("gave_up") == "bot_challenge":
        return "bot_challenge"
    if isinstance(error, HttpError):
        response = error.response
        # Challenge and login pages often come as 403 / 503.
        blocked = blocked_reason(response.status, response.headers, response.body[:200_000].decode("utf-8", "replace"))
        return blocked or f"http_{response.status}"
    if isinstance(error, IgnoreRequest) and type(error) is IgnoreRequest:
        # RedirectMiddleware gives up with a plain IgnoreRequest once a chain reaches REDIRECT_MAX_TIMES.
        return "redirect_loop" if meta.get("redirect_times") else "ignored"
    return exception_reason(error)


def exception_reason(error: BaseException) -> str:
    """The reason code of a download exception, by its type (see `FAILURE_TYPES`)."""
    if _tls_error(error):
        return "tls_error"
    for error_type, reason in FAILURE_TYPES:
        if isinstance(error, error_type):
            return reason
    return "download_error"


def month_in_url(url: str) -> str | None:
    """`news-2025-6.xml` -> `2025-06-31`: the last day a monthly sitemap can cover."""
    match = re.search(r"(20\d\d)[-_/](\d{1,2})(?!\d)", url)
    return f"{match.group(1)}-{int(match.group(2)):02d}-31" if match and 1 <= int(match.group(2)) <= 12 else None
