"""Requests the crawl answers itself: how a spider yields items once the crawl has drained.

Items cannot be yielded from ``spider_closed``. The portal spider's ``spider_idle`` handler
schedules one ``local_request`` whose callback yields the end-of-crawl items (the deferred
``site`` item, the ``verdict``); ``LocalAnswerMiddleware`` answers it with an empty response
before any other downloader middleware sees it, so it costs no request to the portal and
passes through the item pipelines and feed exports like any callback's items.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy import Request
from scrapy.http import Response

LOCAL = "portalspider_local"


def local_request(url: str, callback: Callable[..., Any]) -> Request:
    """A request for ``callback`` that never leaves the process (``url`` only names it)."""
    return Request(url, callback=callback, dont_filter=True, meta={LOCAL: True, "dont_cache": True})


class LocalAnswerMiddleware:
    """Answer ``local_request``s with an empty 200 (first in the downloader middlewares)."""

    def process_request(self, request: Request) -> Response | None:
        if request.meta.get(LOCAL):
            return Response(request.url, status=200, request=request)
        return None
