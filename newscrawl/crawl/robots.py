"""robots.txt for every request, including those that arrive while it loads.

Scrapy 2.19's RobotsTxtMiddleware (asyncio reactor) makes the requests that
wait for a host's robots.txt share one Deferred; its callback returns None,
so only the first waiter gets the parser and the rest are let through
unchecked. Each waiter here gets its own Deferred fed from the shared one.
A refusal is a `RobotsForbidden`, so it is named by its type. A robots.txt
that cannot be fetched is one warning line with its reason (Scrapy logs an
error with a traceback, then goes on as if everything were allowed).
"""

from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from .failures import RobotsForbidden, exception_reason

SCRAPY_ROBOTS_LOGGER = "scrapy.downloadermiddlewares.robotstxt"


class RobotsErrorInOneLine(logging.Filter):
    """Scrapy's "Error downloading ... robots.txt" record, as one warning line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.args, dict) and "request" in record.args:
            error = record.exc_info[1]
            record.msg = "robots.txt for %(request)s could not be fetched (%(reason)s): going on as if it allowed everything"
            record.args = {"request": record.args["request"], "reason": exception_reason(error) if error else "unknown"}
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    def __init__(self, crawler):
        super().__init__(crawler)
        scrapy_logger = logging.getLogger(SCRAPY_ROBOTS_LOGGER)
        if not any(isinstance(f, RobotsErrorInOneLine) for f in scrapy_logger.filters):
            scrapy_logger.addFilter(RobotsErrorInOneLine())

    async def robot_parser(self, request):
        parser = self._parsers.get(urlparse_cached(request).netloc)
        if isinstance(parser, Deferred):
            waiter: Deferred = Deferred()

            def hand_over(robots):
                waiter.callback(robots)
                return robots  # the next waiter gets it too

            parser.addCallback(hand_over)
            return await maybe_deferred_to_future(waiter)
        return await super().robot_parser(request)

    def process_request_2(self, rp, request):
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest as exc:
            raise RobotsForbidden(str(exc)) from None
