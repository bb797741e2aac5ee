"""The bench's yardstick: a Scrapy spider that only fetches a given list of requests.

``scrapy runspider demo/barespider.py -a requests=FILE`` under the project's settings: the
same downloader, concurrency, throttling and cache as portalspider, and no parsing, items,
pipelines or extensions of ours. FILE holds one JSON object per line: ``url``, ``method``,
and for a POST ``body`` and ``content_type`` (what the demo server logged of a crawl).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, ClassVar

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"
    custom_settings: ClassVar[dict[str, Any]] = {"ITEM_PIPELINES": {}, "EXTENSIONS": {}}

    def __init__(self, requests: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.requests_file = Path(requests)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for line in self.requests_file.read_text("utf-8").splitlines():
            r = json.loads(line)
            headers = {"Content-Type": r["content_type"]} if r.get("content_type") else None
            yield scrapy.Request(
                r["url"],
                method=r.get("method", "GET"),
                body=r.get("body", "").encode("utf-8"),
                headers=headers,
                callback=self.parse,
                errback=self.failed,
                dont_filter=True,
                meta={"dont_redirect": True, "handle_httpstatus_all": True},
            )

    def parse(self, response: scrapy.http.Response) -> None:
        """Nothing: the yardstick measures fetching alone."""

    def failed(self, failure: Any) -> None:
        """Nothing: a failure is counted by Scrapy's own stats."""
