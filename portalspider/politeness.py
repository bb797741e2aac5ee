"""Politeness toward government servers: a User-Agent that names the tool and how the
portal's operators reach whoever runs it, and AutoThrottle that paces repeat crawls by the
server's real answers."""

from __future__ import annotations

from typing import Any

from scrapy.core.downloader import Slot
from scrapy.downloadermiddlewares.useragent import UserAgentMiddleware
from scrapy.extensions import throttle
from scrapy.http import Response


def with_contact(user_agent: str, contact: str | None) -> str:
    """``tool/1.0 (+url; what)`` becomes ``tool/1.0 (+url; what; contact: who)``."""
    if not contact:
        return user_agent
    if user_agent.endswith(")"):
        return f"{user_agent[:-1]}; contact: {contact})"
    return f"{user_agent} (contact: {contact})"


class ContactUserAgentMiddleware(UserAgentMiddleware):
    """Scrapy's User-Agent middleware, with the crawled site's ``site.contact`` added."""

    def spider_opened(self, spider: Any) -> None:
        super().spider_opened(spider)
        config = getattr(getattr(spider, "context", None), "config", None)
        self.user_agent = with_contact(self.user_agent, getattr(config, "contact", None))


class AutoThrottle(throttle.AutoThrottle):
    """Scrapy's AutoThrottle, with a ``304 Not Modified`` taken as the answer it is.

    Scrapy never lowers the delay on a non-200 answer (error pages are small and fast, and
    would speed the crawl up against a failing server). A 304 is the server's whole answer
    to a revalidation, and on a repeat crawl of an unchanged portal nearly every page is
    one: counted as non-200, the delay stays at ``AUTOTHROTTLE_START_DELAY`` and the repeat
    crawl runs many times slower than the first for less work on the server.
    """

    def _adjust_delay(self, slot: Slot, latency: float, response: Response) -> None:
        if response.status == 304:
            response = response.replace(status=200)
        super()._adjust_delay(slot, latency, response)
