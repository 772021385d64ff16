"""RobotsTxtMiddleware with the concurrent-waiter bug fixed (Scrapy 2.13+, scrapy/scrapy PR #6802).

Scrapy's middleware makes every request that arrives while robots.txt is still downloading `await` the same
Deferred. Awaiting a Deferred adds a callback that returns None, so only the first waiter receives the parser; the
second and later ones get None and are let through unchecked. With three start URLs on one host, the third was
fetched although robots.txt disallowed it (see tests/test_spiders_newsroom.py). Each waiter here gets its own
Deferred fed from the shared one, which passes the parser on (as Scrapy did before the refactor).
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.http import Request
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    async def robot_parser(self, request: Request) -> RobotParser | None:
        parser = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(parser, Deferred):
            return await super().robot_parser(request)
        mine: Deferred[RobotParser | None] = Deferred()

        def hand_on(result: RobotParser | None) -> RobotParser | None:
            mine.callback(result)
            return result  # keep the result for the next waiter

        parser.addCallback(hand_on)
        return await maybe_deferred_to_future(mine)


# For the spiders' custom_settings: replaces Scrapy's middleware at the same position.
ROBOTS_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "scrapers.spiders.robots.RobotsTxtMiddleware": 100,
}
