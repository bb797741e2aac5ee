"""Scrapy's per-request and per-item log messages, not built when the log hides them.

Scrapy's root logger passes everything and its handler filters by ``LOG_LEVEL``, so the
DEBUG lines "Crawled (200) <GET …>" and "Scraped from <200 …>" were each made into a
record (the caller's frame looked up, the time read) and then dropped, once per request
and per item (some 25 us a request and its item). A message returned as None is not
logged.
"""

from __future__ import annotations

import logging
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.logformatter import LogFormatter, LogFormatterResult

#: The level of Scrapy's crawled and scraped messages (a test holds Scrapy to it).
SCRAPY_MESSAGE_LEVEL = logging.DEBUG


def log_level(value: Any) -> int:
    """``LOG_LEVEL`` as a number (a name such as "INFO", or a number already)."""
    if isinstance(value, int):
        return value
    return logging.getLevelNamesMapping().get(str(value).upper(), logging.NOTSET)


class LevelLogFormatter(LogFormatter):
    """Scrapy's formatter, whose crawled and scraped messages below ``LOG_LEVEL`` are None."""

    def __init__(self, level: int = logging.NOTSET) -> None:
        self.level = level

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(log_level(crawler.settings.get("LOG_LEVEL")))

    def crawled(self, request: Any, response: Any, spider: Any) -> LogFormatterResult | None:  # type: ignore[override]
        if self.level > SCRAPY_MESSAGE_LEVEL:  # not even the message's arguments
            return None
        return super().crawled(request, response, spider)

    def scraped(self, item: Any, response: Any, spider: Any) -> LogFormatterResult | None:  # type: ignore[override]
        if self.level > SCRAPY_MESSAGE_LEVEL:
            return None
        return super().scraped(item, response, spider)
