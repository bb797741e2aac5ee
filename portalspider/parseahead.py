"""Each HTML page parsed in a thread before its callback reads it.

lxml releases the GIL while libxml2 parses, about half a millisecond a page and a tenth of a
crawl's time on the reactor's thread; parsed in a thread, that time overlaps the reactor's
other work (another page's reading, the downloads). One thread of its own does it: one
parser, no contention among workers for the GIL, and a lighter hand-over than Twisted's
pool. The page is parsed twice there, for its tree and for its reading copy
(``Document.reading_tree``), which the reactor's thread would otherwise copy from the tree,
holding the GIL. The page is decoded first, on the reactor's thread
(:func:`portalspider.pages.document_of`), and its trees handed to the callback through the
same document. Only spiders that read pages ask for it (a spider's ``parse_ahead``
attribute): a spider that only fetches does not pay for a parse.
``PORTALSPIDER_PARSE_AHEAD = False`` parses on the reactor's thread, in the callback.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

from portalspider.extract.htmlutil import reading_trees
from portalspider.pages import document_of
from portalspider.projectsettings import get_bool

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler


class ParseAheadMiddleware:
    """Downloader middleware: parse a page read by the spider in a thread of its own."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.parser = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parse-ahead")
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def spider_closed(self) -> None:
        self.parser.shutdown(wait=True)

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
                templates = document.may_hold_templates
                parsing = self._parsed(document.html, templates)
                document.adopt(*await maybe_deferred_to_future(parsing))
                self.crawler.stats.inc_value("parse_ahead/pages")
        return response

    def _parsed(self, html: str, templates: bool) -> Deferred[Any]:
        """:func:`reading_trees` in the parser's thread, its result back on the reactor's."""
        from twisted.internet import reactor

        done: Deferred[Any] = Deferred()

        def settle(future: Future[Any]) -> None:
            error = future.exception()
            if error is not None:
                done.errback(error)
            else:
                done.callback(future.result())

        future = self.parser.submit(reading_trees, html, templates)
        future.add_done_callback(lambda f: reactor.callFromThread(settle, f))  # type: ignore[attr-defined]
        return done
