"""Each HTML page parsed in a thread before its callback reads it.

lxml releases the GIL while libxml2 parses, about half a millisecond a page and a tenth of a
crawl's time on the reactor's thread; parsed in Twisted's thread pool, that time overlaps
the reactor's other work (another page's reading, the downloads). The page is decoded first,
on the reactor's thread (:func:`portalspider.pages.document_of`), and its tree handed to the
callback through the same document. Only spiders that read pages ask for it (a spider's
``parse_ahead`` attribute): a spider that only fetches does not pay for a parse.
``PORTALSPIDER_PARSE_AHEAD = False`` parses on the reactor's thread, in the callback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from portalspider.extract.htmlutil import parse_html
from portalspider.pages import document_of
from portalspider.projectsettings import get_bool

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler


class ParseAheadMiddleware:
    """Downloader middleware: parse a page read by the spider in a thread of its own."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not get_bool(crawler.settings, "PORTALSPIDER_PARSE_AHEAD", True):
            raise NotConfigured("PORTALSPIDER_PARSE_AHEAD is off")
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Response:
        spider = self.crawler.spider
        if (
            isinstance(response, HtmlResponse)
            and response.status == 200
            and getattr(spider, "parse_ahead", False)
        ):
            document = document_of(response)
            if not document.parsed:
                parsing = deferToThread(parse_html, document.html)
                document.adopt(await maybe_deferred_to_future(parsing))
                self.crawler.stats.inc_value("parse_ahead/pages")
        return response
