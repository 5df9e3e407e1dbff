"""robots.txt for every request, including those that arrive while it loads.

Scrapy 2.19's RobotsTxtMiddleware (asyncio reactor) makes the requests that
wait for a host's robots.txt share one Deferred; its callback returns None,
so only the first waiter gets the parser and the rest are let through
unchecked. Each waiter here gets its own Deferred fed from the shared one.
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
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
