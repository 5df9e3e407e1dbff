"""Naming what went wrong with a request, and reading dates out of sitemap URLs."""

from __future__ import annotations

import re

from scrapy.exceptions import DownloadTimeoutError
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError

from ..analysis.blocked import blocked_reason


def month_in_url(url: str) -> str | None:
    """`news-2025-6.xml` -> `2025-06-31`: the last day a monthly sitemap can cover."""
    match = re.search(r"(20\d\d)[-_/](\d{1,2})(?!\d)", url)
    return f"{match.group(1)}-{int(match.group(2)):02d}-31" if match and 1 <= int(match.group(2)) <= 12 else None


def failure_reason(failure) -> str:
    """A short reason code for a request that produced no usable response."""
    error = failure.value
    if failure.request.meta.get("newscrawl_retry", {}).get("gave_up") == "bot_challenge":
        return "bot_challenge"
    if isinstance(error, HttpError):
        response = error.response
        # Challenge and login pages often come as 403 / 503.
        blocked = blocked_reason(response.status, response.headers, response.body[:200_000].decode("utf-8", "replace"))
        return blocked or f"http_{response.status}"
    if failure.check(TimeoutError, TCPTimedOutError, DownloadTimeoutError):
        return "timeout"
    if failure.check(DNSLookupError):
        return "dns_error"
    text = str(error).lower()
    if "max size" in text or "maxsize" in text:
        return "too_large"
    if "redirect" in text:
        return "redirect_loop"
    if "robots.txt" in text:
        return "robots_forbidden"
    return type(error).__name__
