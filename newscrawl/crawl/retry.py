"""Retries with exponential backoff and `Retry-After`, without blocking the reactor.

Replaces Scrapy's RetryMiddleware (same settings: RETRY_ENABLED,
RETRY_TIMES, RETRY_HTTP_CODES, RETRY_EXCEPTIONS, RETRY_PRIORITY_ADJUST,
RETRY_GIVE_UP_LOG_LEVEL; same meta keys: `dont_retry`, `max_retry_times`,
`retry_times`) and adds what a polite crawler of news sites needs:

- a wait before each retry, `NEWSCRAWL_RETRY_BACKOFF * 2**(n-1)` seconds for
  the n-th retry, capped by `NEWSCRAWL_RETRY_MAX_DELAY`, with
  `NEWSCRAWL_RETRY_JITTER` (a fraction) of random spread so that many pages
  refused at once do not come back at once;
- on 429 and 503, the server's `Retry-After` (seconds or an HTTP date)
  instead; one longer than the maximum delay gives up at once rather than
  knock early;
- the wait is an asynchronous sleep in the middleware, so other requests go
  on while one waits (the waiting request keeps its place in
  CONCURRENT_REQUESTS, not in its host's download slot);
- a bot challenge (see `newscrawl.analysis.blocked`) answered with 403/429/503 is not
  retried: asking again only digs deeper;
- stats under `newscrawl/retry/...`, and the history of every retried
  request in `request.meta["newscrawl_retry"]`: `times`, `reasons`,
  `delays`, and `gave_up` (the final reason, or None), which the spider's
  errback reads from `failure.request.meta` (an exception) or
  `failure.value.response.meta` (an HttpError).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Awaitable, Callable, Iterable
from email.utils import parsedate_to_datetime
from logging import getLevelName

from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.misc import load_object

from ..analysis.blocked import BOT_CHALLENGE, blocked_reason

logger = logging.getLogger(__name__)

META_KEY = "newscrawl_retry"
RETRY_AFTER_STATUSES = frozenset({429, 503})
# Statuses on which a challenge page is looked for (and then not retried).
_CHALLENGE_STATUSES = frozenset({403, 429, 503})


def parse_retry_after(value: str | bytes | None, now: float | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` value (delta-seconds or HTTP date), or None."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        seconds = float(value)  # "1.5": not RFC 9110, but unambiguous
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if seconds == seconds else None  # NaN is no answer
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def backoff_delay(retry_number: int, base: float, max_delay: float) -> float:
    """`base * 2**(n-1)` seconds for the n-th retry, at most `max_delay`."""
    if base <= 0:
        return 0.0
    exponent = min(max(retry_number - 1, 0), 62)
    return min(max_delay, base * (2.0 ** exponent))


async def _reactor_sleep(seconds: float) -> None:
    # Scrapy >= 2.18: asyncio.sleep under the asyncio reactor, deferLater otherwise.
    from scrapy.utils.asyncio import sleep

    await sleep(seconds)


def _exception_classes(paths: Iterable) -> tuple[type[BaseException], ...]:
    return tuple(load_object(p) for p in paths)


class RetryMiddleware:
    """Downloader middleware: put it at 550 and set Scrapy's own to None."""

    def __init__(
        self,
        max_retry_times: int = 3,
        retry_http_codes: Iterable[int] = (500, 502, 503, 504, 522, 524, 408, 429),
        exceptions: Iterable[type[BaseException]] = (),
        backoff: float = 1.0,
        max_delay: float = 60.0,
        jitter: float = 0.0,
        priority_adjust: int = -1,
        give_up_log_level: int | str = logging.ERROR,
        stats=None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ):
        self.max_retry_times = int(max_retry_times)
        self.retry_http_codes = frozenset(int(c) for c in retry_http_codes)
        self.exceptions = tuple(exceptions)
        self.backoff = max(0.0, float(backoff))
        self.max_delay = max(0.0, float(max_delay))
        self.jitter = min(max(float(jitter), 0.0), 1.0)
        self.priority_adjust = int(priority_adjust)
        if isinstance(give_up_log_level, str):
            level = getLevelName(give_up_log_level.upper())
            if not isinstance(level, int):
                raise ValueError(f"invalid RETRY_GIVE_UP_LOG_LEVEL: {give_up_log_level!r}")
            give_up_log_level = level
        self.give_up_log_level = give_up_log_level
        self.stats = stats
        self.sleep = sleep or _reactor_sleep
        self.clock = clock
        self.rng = rng or random.Random()

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        return cls(
            max_retry_times=settings.getint("RETRY_TIMES"),
            retry_http_codes=[int(c) for c in settings.getlist("RETRY_HTTP_CODES")],
            exceptions=_exception_classes(settings.getlist("RETRY_EXCEPTIONS")),
            backoff=settings.getfloat("NEWSCRAWL_RETRY_BACKOFF", 1.0),
            max_delay=settings.getfloat("NEWSCRAWL_RETRY_MAX_DELAY", 60.0),
            jitter=settings.getfloat("NEWSCRAWL_RETRY_JITTER", 0.0),
            priority_adjust=settings.getint("RETRY_PRIORITY_ADJUST", -1),
            give_up_log_level=settings.get("RETRY_GIVE_UP_LOG_LEVEL", "ERROR"),
            stats=crawler.stats,
        )

    # --- downloader middleware API --------------------------------------------
    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        reason = f"http_{response.status}"
        if response.status in _CHALLENGE_STATUSES and self._is_challenge(response):
            self._inc("newscrawl/retry/not_retried/bot_challenge")
            self._give_up(request, BOT_CHALLENGE, count_max=False)
            return response
        retry_after = None
        if response.status in RETRY_AFTER_STATUSES:
            retry_after = parse_retry_after(response.headers.get(b"Retry-After"), now=self.clock())
        return await self._retry(request, reason, retry_after) or response

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if request.meta.get("dont_retry", False) or not isinstance(exception, self.exceptions):
            return None
        return await self._retry(request, type(exception).__name__, None)

    # --- the decision ------------------------------------------------------------
    def delay_for(self, retry_number: int, retry_after: float | None) -> float | None:
        """Seconds to wait before the n-th retry; None when Retry-After exceeds the maximum."""
        if retry_after is not None:
            return retry_after if retry_after <= self.max_delay else None
        delay = backoff_delay(retry_number, self.backoff, self.max_delay)
        if self.jitter and delay:
            delay *= 1.0 + self.rng.uniform(-self.jitter, self.jitter)
        return min(delay, self.max_delay)

    async def _retry(self, request: Request, reason: str, retry_after: float | None) -> Request | None:
        retries = request.meta.get("retry_times", 0) + 1
        max_retry_times = request.meta.get("max_retry_times")
        if max_retry_times is None:
            max_retry_times = self.max_retry_times
        if retries > max_retry_times:
            self._give_up(request, reason)
            return None
        delay = self.delay_for(retries, retry_after)
        if delay is None:
            self._inc("newscrawl/retry/retry_after_too_long")
            self._give_up(request, f"{reason} (Retry-After {retry_after:.0f}s > NEWSCRAWL_RETRY_MAX_DELAY {self.max_delay:g}s)", stat_reason="retry_after_too_long")
            return None
        history = self._history(request)
        new_request = request.copy()
        new_request.meta["retry_times"] = retries
        new_request.meta[META_KEY] = {
            "times": retries,
            "reasons": history["reasons"] + [reason],
            "delays": history["delays"] + [round(delay, 3)],
            "gave_up": None,
        }
        new_request.dont_filter = True
        new_request.priority = request.priority + request.meta.get("priority_adjust", self.priority_adjust)
        self._inc("newscrawl/retry/count")
        self._inc(f"newscrawl/retry/reason/{reason}")
        if retry_after is not None:
            self._inc("newscrawl/retry/retry_after")
        self._inc("newscrawl/retry/delay_seconds", round(delay, 3))
        logger.debug("retrying %s in %.2fs (retry %d of %d): %s", request, delay, retries, max_retry_times, reason)
        if delay > 0:
            await self.sleep(delay)
        return new_request

    def _give_up(self, request: Request, reason: str, count_max: bool = True, stat_reason: str | None = None) -> None:
        history = self._history(request)
        request.meta[META_KEY] = dict(history, gave_up=reason)
        if count_max:
            self._inc("newscrawl/retry/max_reached")
            self._inc(f"newscrawl/retry/gave_up/{stat_reason or reason}")
            logger.log(self.give_up_log_level, "gave up retrying %s (retried %d times): %s", request, history["times"], reason)
        else:
            logger.warning("not retrying %s: %s", request, reason)

    @staticmethod
    def _history(request: Request) -> dict:
        history = request.meta.get(META_KEY) or {}
        return {
            "times": history.get("times", request.meta.get("retry_times", 0)),
            "reasons": list(history.get("reasons", [])),
            "delays": list(history.get("delays", [])),
            "gave_up": history.get("gave_up"),
        }

    @staticmethod
    def _is_challenge(response: Response) -> bool:
        # Challenge fingerprints are ASCII: no need to work out the charset.
        text = response.body[:200_000].decode("utf-8", errors="replace")
        return blocked_reason(response.status, response.headers, text) == BOT_CHALLENGE

    def _inc(self, key: str, count: float = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, count)
