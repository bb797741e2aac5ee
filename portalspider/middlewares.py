"""Downloader middleware that keeps every request inside the crawl's scope.

Scrapy's ``OffsiteMiddleware`` lets ``dont_filter`` requests (the landing step, further
list sources) through and knows nothing of schemes, ports or internal addresses. This one
checks every request that reaches the downloader, redirects included (a redirect is a new
request that comes through here again), against ``spider.scope`` (``scope.Scope``); a link
check (``scope.LINK_CHECK`` in its meta) with the rule's link-check allowance.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from portalspider.scope import LINK_CHECK

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class OutOfScope(IgnoreRequest):
    """A request the crawl must not make; the errback's error line says why."""


class ScopeMiddleware:
    """Drop (``OutOfScope``) each request outside the spider's ``scope``; count it in stats."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        scope = getattr(self.crawler.spider, "scope", None)
        if scope is None:
            return
        reason = scope.refusal(request.url, link_check=bool(request.meta.get(LINK_CHECK)))
        if reason is None:
            return
        redirected = request.meta.get("redirect_urls")
        origin = f"redirect from {redirected[0]} to " if redirected else ""
        message = f"out of scope ({reason}): {origin}{request.url}"
        logger.info("Dropped request %s", message)
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value("scope/dropped")
            if redirected:
                stats.inc_value("scope/dropped/redirect")
        raise OutOfScope(message)
