"""The ``links`` spider: broken links (链接可用性) of the home page, column lists and articles.

Pages read (all in the portal's scope, fetched as the portal spider fetches them, through the
HTTP cache: an article unchanged since the last run is revalidated, not downloaded again):

- the home page;
- the column list pages: the columns of the latest complete ``portal`` crawl in the store,
  else the columns the portal spider's own discovery finds (this spider *is* a portal
  spider, with its discovery callbacks wrapped and its column reading replaced);
- the article pages those lists link, at most ``PORTALSPIDER_LINKS_ARTICLES`` per column,
  within the crawl bounds (``bounds.py``: URL length, repeated paths, ``MAX_REQUESTS``).

Links checked on those pages (``linkcheck.page_links``): every ``<a href>``, ``<img src>``,
``<script src>`` and stylesheet, internal and external. Each distinct URL (``canonical_url``)
is checked once per run: a page the crawl reads anyway is its own check; any other link gets a
``HEAD`` (``GET``, stopped after the headers, when the server refuses ``HEAD``), with a
``PORTALSPIDER_LINKS_TIMEOUT`` (15 s) timeout. An internal page link no page read settled is
asked with ``GET`` instead (one request all the same) and, when it answers HTML, read like a
page read: a 200 that says it is an error or maintenance page (页面不存在, 系统维护:
``errorpage.message_page_reason``, the crawl's own classifier) is a broken link, a *soft
404*. A transient failure (timeout, connection error, 5xx, 429) is asked again after a
backoff (``PORTALSPIDER_LINKS_RETRY_TIMES`` times, the delay doubling from
``PORTALSPIDER_LINKS_RETRY_BACKOFF``) before the link is called broken; a host
that failed every attempt for one link gets one attempt per further link until it answers.

Politeness is Scrapy's download slots: every external host (host and port) is a slot of
concurrency 1 with ``PORTALSPIDER_LINKS_HOST_DELAY`` between requests (the defaults for any
slot: ``CONCURRENT_REQUESTS_PER_DOMAIN`` and ``AUTOTHROTTLE_START_DELAY``, not adjusted);
the portal's hosts share one slot, ``portal``, with the portal crawl's concurrency and
AutoThrottle. Link checks may leave the portal (``scope.LINK_CHECK``), never to an internal
address unless the portal is on one.

One ``link`` item per broken link and page that shows it (``items.LinkItem``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, StopDownload
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from portalspider.extensions import WithoutCrawlSummary
from portalspider.extract.errorpage import error_page_reason, message_page_reason
from portalspider.extract.listpage import ListPage, parse_list_page
from portalspider.items import LinkItem
from portalspider.linkcheck import (
    BROKEN,
    FALLBACK,
    OK,
    SKIPPED,
    TRANSIENT,
    error_text,
    judge_error,
    judge_status,
    page_links,
)
from portalspider.pages import document_of, response_text
from portalspider.projectsettings import get_float, get_int
from portalspider.scope import LINK_CHECK, host_of
from portalspider.spiders.portal import PortalSpider
from portalspider.store.links import StoredColumn, stored_columns
from portalspider.urls import canonical_url, is_attachment, is_section_url

# The download slot of every request to the portal's own hosts.
PORTAL_SLOT = "portal"
# Statuses a link check hands to its callback (redirects are still followed).
CHECKED_STATUSES = list(range(400, 600))


@dataclass
class LinkRef:
    """One link as one page shows it, and who answers for that page."""

    url: str
    text: str
    page_url: str
    on_home: bool
    column_url: str | None
    unit: str | None


@dataclass
class Check:
    """The one check of a distinct URL in this run, and the pages waiting for its answer."""

    url: str
    state: str = "pending"  # pending | ok | broken | skipped
    http_status: int | None = None
    error: str | None = None
    waiting: list[LinkRef] = field(default_factory=list)


@dataclass(frozen=True)
class LinkSettings:
    """The link check's knobs (README "Settings")."""

    articles: int = 10  # article pages read per column list
    timeout: float = 15.0  # seconds per request (the indicator's 15 s)
    retry_times: int = 3  # further attempts after a transient failure
    backoff: float = 1.0  # seconds before the first retry, doubling
    host_delay: float = 1.0  # seconds between two requests to one external host

    @classmethod
    def from_settings(cls, settings: Any) -> LinkSettings:
        return cls(
            articles=max(0, get_int(settings, "PORTALSPIDER_LINKS_ARTICLES", cls.articles)),
            timeout=get_float(settings, "PORTALSPIDER_LINKS_TIMEOUT", cls.timeout),
            retry_times=max(1, get_int(settings, "PORTALSPIDER_LINKS_RETRY_TIMES", 3)),
            backoff=max(0.0, get_float(settings, "PORTALSPIDER_LINKS_RETRY_BACKOFF", 1.0)),
            host_delay=max(0.0, get_float(settings, "PORTALSPIDER_LINKS_HOST_DELAY", 1.0)),
        )


class LinksSpider(WithoutCrawlSummary, PortalSpider):
    """Check every link of the home page, column lists and articles of ``-a site=PATH``."""

    name = "links"
    custom_settings = {  # noqa: RUF012 (Scrapy reads this class attribute)
        # Link items only: no judging, no crawl run (the whole dict replaces the project's).
        "ITEM_PIPELINES": {"portalspider.store.links.LinkStorePipeline": 500},
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.links = LinkSettings()
        self.checks: dict[str, Check] = {}
        self.reported: set[tuple[str, str]] = set()
        self.deferred: dict[str, str] = {}  # internal page links, checked once pages are read
        self.dead_hosts: dict[str, str] = {}  # slot → error of a host that failed every try
        self.head_refused: set[str] = set()  # slots whose server refused HEAD: asked with GET
        # slot → (the URL key probing it, resolved True when it answers, False when dead)
        self.probes: dict[str, tuple[str, asyncio.Future[bool]]] = {}
        self.stored: list[StoredColumn] | None = None
        self.column_articles: dict[str, int] = {}
        self.articles_read = 0
        self.page_requests = 0
        # Canonical URLs of the pages whose links were read: the store closes a link finding
        # only on a page this run read again.
        self.pages_checked: set[str] = set()
        self.home_checked = False

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.links = LinkSettings.from_settings(settings)
        # Scrapy's slots: any host is one request at a time with the link delay, the portal's
        # own slot keeps the portal crawl's concurrency and AutoThrottle start.
        slots = dict(settings.getdict("DOWNLOAD_SLOTS"))
        slots.setdefault(
            PORTAL_SLOT,
            {
                "concurrency": settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
                "delay": settings.getfloat("AUTOTHROTTLE_START_DELAY"),
            },
        )
        settings.set("DOWNLOAD_SLOTS", slots, priority="spider")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 1, priority="spider")
        settings.set("AUTOTHROTTLE_START_DELAY", spider.links.host_delay, priority="spider")
        crawler.signals.connect(spider.headers_received, signal=signals.headers_received)
        return spider

    # Start ------------------------------------------------------------------------------

    async def start(self):
        for warning in getattr(self.config, "warnings", []):
            self.logger.warning("Site config: %s", warning)
        self.stored = stored_columns(self.crawler.settings, self.config.url)
        home = self._page_request(
            self.config.url, callback=self.parse_home, errback=self.home_failed
        )
        if self.stored is None:
            self.logger.info("No complete portal crawl stored: discovering the columns")
            yield home
            return
        self.logger.info("Checking the %d columns of the latest complete crawl", len(self.stored))
        self.seen.add(self.home_key)
        columns = []
        for column in self.stored:
            key = canonical_url(column.url)
            if key == self.home_key or key in self.checks or not self.scope.allows(column.url):
                continue
            self.columns_found += 1
            columns.append(
                self._page_request(
                    column.url,
                    callback=self.parse_stored_column,
                    errback=self.page_settle_failed,
                    meta={"column": column},
                )
            )
        yield home
        for request in columns:
            yield request

    # Pages read --------------------------------------------------------------------------

    def _page_request(self, url: str, **kwargs: Any) -> scrapy.Request:
        """A page this crawl reads: its answer is also the check of every link to it."""
        self.checks.setdefault(canonical_url(url), Check(url))
        self.page_requests += 1
        meta = kwargs.pop("meta", {})
        meta["download_slot"] = PORTAL_SLOT
        meta[LINKS_PAGE] = True
        return scrapy.Request(url, meta=meta, dont_filter=True, **kwargs)

    def _discovered(self, output: Iterable[Any]) -> Iterator[Any]:
        """The portal spider's discovery output: its requests (the portal's slot, and their
        answers settle their links) and this spider's link items, never its column, channel
        or site items."""
        for out in output or ():
            if isinstance(out, LinkItem):
                yield out
            elif isinstance(out, scrapy.Request):
                if not out.meta.get(LINKS_PAGE) and not out.meta.get(LINK_CHECK):
                    out.meta["download_slot"] = PORTAL_SLOT
                    if out.method == "GET":
                        self.checks.setdefault(canonical_url(out.url), Check(out.url))
                    self.page_requests += 1
                yield out

    def _over_budget(self) -> bool:
        """Discovery's request budget counts pages, not link checks."""
        return self.page_requests >= self.bounds.budget(self.columns_found)

    def parse_home(self, response: Response):
        yield from self._settle_page(response)
        if self.stored is None:
            yield from self._discovered(super().parse_home(response))
        self.home_checked = True
        yield from self._check_page(response, column_url=None, unit=self._webmaster())

    def home_failed(self, failure: Failure):
        yield from self._settle_failure(failure)
        self.logger.error("Home page %s is down: %s", self.config.url, _failure_text(failure))

    def parse_sitemap(self, response: Response):
        yield from self._settle_page(response)
        yield from self._discovered(super().parse_sitemap(response))

    def parse_page(self, response: Response):
        yield from self._settle_page(response, soft_404=True)
        yield from self._discovered(super().parse_page(response))

    def page_failed(self, failure: Failure):
        yield from self._settle_failure(failure)
        yield from self._discovered(super().page_failed(failure))

    def page_settle_failed(self, failure: Failure):
        yield from self._settle_failure(failure)

    def _read_column(self, response, page, cand, column_url, hops=0):
        """A column found by discovery: its list page's links and its articles."""
        unit = self.rules.resolve(column_url, cand.name, cand.path).unit
        self.columns_found += 1
        yield from self._column_page(response, page, column_url, unit)

    def parse_stored_column(self, response: Response):
        yield from self._settle_page(response, soft_404=True)
        column: StoredColumn = response.meta["column"]
        document = document_of(response)  # parsed once: the soft-404 check read it too
        if error_page_reason(document):
            return
        page = parse_list_page(document, response.url, self.today, self.scope)
        yield from self._column_page(response, page, column.url, column.unit)

    def _column_page(self, response: Response, page: ListPage, column_url: str, unit):
        """Check a list page's links and read its articles (newest first, bounded)."""
        requests = []
        for entry in page.entries:
            if self.column_articles.get(column_url, 0) >= self.links.articles:
                break
            request = self._article_request(entry.url, column_url, unit)
            if request is not None:
                self.column_articles[column_url] = self.column_articles.get(column_url, 0) + 1
                requests.append(request)
        yield from self._check_page(response, column_url=column_url, unit=unit)
        yield from requests

    def _article_request(self, url: str, column_url: str, unit) -> scrapy.Request | None:
        key = canonical_url(url)
        if key in self.deferred and self.scope.allows(url) and not is_section_url(url):
            del self.deferred[key]  # linked before (the home page's news): read it now
        elif key in self.checks or key in self.seen or is_attachment(url) or is_section_url(url):
            return None
        if not self.scope.allows(url):
            return None
        bound = self.bounds.refusal(url, 1)
        if bound is None and self.page_requests >= self.bounds.max_requests:
            bound = "request budget"
        if bound is not None:
            self._bound_hit(bound, url)
            return None
        self.articles_read += 1
        return self._page_request(
            url,
            callback=self.parse_link_article,
            errback=self.article_settle_failed,
            # Retried here, with backoff, like a link check.
            meta={"column_url": column_url, "unit": unit, LINK_ATTEMPT: 0, "dont_retry": True},
        )

    def parse_link_article(self, response: Response):
        yield from self._settle_page(response, soft_404=True)
        if self._soft_404(response):
            return  # an error page's links are its chrome, not the article's
        meta = response.meta
        yield from self._check_page(response, column_url=meta["column_url"], unit=meta["unit"])

    async def article_settle_failed(self, failure: Failure):
        """An article that failed: asked again after a backoff while the failure is transient."""
        request = failure.request
        if failure.check(HttpError):
            verdict = judge_status(failure.value.response.status, "GET")
        else:
            verdict = judge_error(failure.value)
        retry = await self._retry(request, verdict, failure.value)
        if retry is not None:
            yield retry
            return
        for out in self._settle_failure(failure):
            yield out

    def _check_page(self, response: Response, *, column_url: str | None, unit: str | None):
        """Every link of a page read: settled at once when known, else checked."""
        url = response.request.url if response.request else response.url
        self.pages_checked.add(canonical_url(url))
        on_home = canonical_url(url) == self.home_key or column_url is None
        self.crawler.stats.inc_value("links/pages")
        for link in page_links(response_text(response), response.url):
            ref = LinkRef(link.url, link.text, url, on_home, column_url, unit)
            yield from self._note(ref)

    def _webmaster(self) -> str | None:
        webmaster = self.config.webmaster_contact
        return webmaster.name if webmaster is not None else None

    # The registry of checks ---------------------------------------------------------------

    def _note(self, ref: LinkRef) -> Iterator[Any]:
        key = canonical_url(ref.url)
        check = self.checks.get(key)
        if check is None:
            check = self.checks[key] = Check(ref.url)
            if self._internal_page(ref.url):
                # A page this crawl may still read: checked at the end unless it is read.
                self.deferred[key] = ref.url
            else:
                yield self._check_request(ref.url, key)
        if check.state == "pending":
            check.waiting.append(ref)
        else:
            yield from self._report(check, [ref])

    def _internal_page(self, url: str) -> bool:
        return self.scope.allows(url) and not is_attachment(url)

    def _settle(self, key: str, state: str, status: int | None, error: str | None):
        check = self.checks.setdefault(key, Check(key))
        if check.state != "pending":
            return
        check.state, check.http_status, check.error = state, status, error
        self.crawler.stats.inc_value(f"links/{state}")
        waiting, check.waiting = check.waiting, []
        yield from self._report(check, waiting)

    def _report(self, check: Check, refs: list[LinkRef]) -> Iterator[LinkItem]:
        if check.state != BROKEN:
            return
        for ref in refs:
            mark = (canonical_url(check.url), canonical_url(ref.page_url))
            if mark in self.reported:
                continue
            self.reported.add(mark)
            yield LinkItem(
                url=ref.url,
                page_url=ref.page_url,
                text=ref.text,
                http_status=check.http_status,
                error=check.error,
                on_home=ref.on_home,
                column_url=ref.column_url,
                unit=ref.unit,
            )

    def _settle_page(self, response: Response, *, soft_404: bool = False):
        """A page read: every URL it was asked as (redirects included) works, unless
        (``soft_404``) the page says it is an error or maintenance page."""
        request = response.request
        asked = [*response.meta.get("redirect_urls", []), request.url if request else None]
        error = self._soft_404(response) if soft_404 else None
        for url in asked:
            if url:
                state = BROKEN if error else OK
                yield from self._settle(canonical_url(url), state, response.status, error)

    def _soft_404(self, response: Response) -> str | None:
        """``soft 404 (…)`` for an HTML answer that says it is an error or maintenance page."""
        if not response.body or not _is_html(response.headers.get("Content-Type")):
            return None
        reason = message_page_reason(document_of(response))
        return f"soft 404 ({reason})" if reason else None

    def _settle_failure(self, failure: Failure):
        """A page that failed (after its retries): broken, unless the crawl refused it."""
        request = failure.request
        status = failure.value.response.status if failure.check(HttpError) else None
        verdict = BROKEN if status is not None else judge_error(failure.value)
        state = SKIPPED if verdict == SKIPPED else BROKEN
        error = f"HTTP {status}" if status is not None else error_text(failure.value, 0)
        asked = [*request.meta.get("redirect_urls", []), request.url]
        for url in asked:
            yield from self._settle(canonical_url(url), state, status, error)

    # Link checks ------------------------------------------------------------------------------

    def _slot(self, url: str) -> str:
        if self.scope.allows(url):
            return PORTAL_SLOT
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        return f"{host_of(url)}:{port}"

    def _check_request(self, url: str, key: str) -> scrapy.Request:
        self.crawler.stats.inc_value("links/checked")
        slot = self._slot(url)
        # An internal page is read like a page read (its body, when HTML: soft 404s).
        body = self._internal_page(url)
        return scrapy.Request(
            url,
            method="GET" if body or slot in self.head_refused else "HEAD",
            callback=self.link_answered,
            errback=self.link_failed,
            dont_filter=True,
            meta={
                LINK_CHECK: True,
                LINK_KEY: key,
                LINK_ATTEMPT: 0,
                LINK_BODY: body,
                "download_slot": slot,
                "download_timeout": self.links.timeout,
                "dont_retry": True,  # retried here, with backoff
                "dont_cache": True,
                "handle_httpstatus_list": CHECKED_STATUSES,
                # An external host keeps its link delay (never lowered by AutoThrottle).
                "autothrottle_dont_adjust_delay": slot != PORTAL_SLOT,
            },
        )

    def headers_received(self, headers: Any, request: scrapy.Request) -> None:
        """A link check asked with GET needs the status only: the body is never downloaded,
        but for an internal page answering HTML (read for a soft 404)."""
        if not request.meta.get(LINK_CHECK) or request.method != "GET":
            return
        if not (request.meta.get(LINK_BODY) and _is_html(headers.get("Content-Type"))):
            raise StopDownload(fail=False)

    async def link_answered(self, response: Response):
        request = response.request
        assert request is not None
        key, slot = request.meta[LINK_KEY], request.meta["download_slot"]
        verdict = judge_status(response.status, request.method)
        if verdict != TRANSIENT:
            self._host_alive(slot)
        if verdict == FALLBACK:
            # Once refused, the host is asked with GET from then on (one request a link).
            self.head_refused.add(slot)
            self.crawler.stats.inc_value("links/get_fallback")
            yield request.replace(method="GET")
            return
        if verdict == TRANSIENT:
            retry = await self._retry(request, verdict, f"HTTP {response.status}")
            if retry is not None:
                yield retry
                return
            self._host_dead(slot, key, f"HTTP {response.status}")
        state = OK if verdict == OK else BROKEN
        error = None if state == OK else f"HTTP {response.status}"
        if state == OK and request.meta.get(LINK_BODY):
            error = self._soft_404(response)
            state = BROKEN if error else OK
        for item in self._settle(key, state, response.status, error):
            yield item

    async def link_failed(self, failure: Failure):
        request = failure.request
        key, slot = request.meta[LINK_KEY], request.meta["download_slot"]
        verdict = judge_error(failure.value)
        retry = await self._retry(request, verdict, failure.value)
        if retry is not None:
            yield retry
            return
        error = error_text(failure.value, self.links.timeout)
        if verdict == TRANSIENT:
            self._host_dead(slot, key, error)
        else:
            self._host_alive(slot)
        state = SKIPPED if verdict == SKIPPED else BROKEN
        for item in self._settle(key, state, None, error):
            yield item

    # A host that fails: one link probes it (all its retries), the others wait for the answer.

    def _host_alive(self, slot: str) -> None:
        self.dead_hosts.pop(slot, None)
        probe = self.probes.pop(slot, None)
        if probe is not None and not probe[1].done():
            probe[1].set_result(True)

    def _host_dead(self, slot: str, key: str, error: str) -> None:
        self.dead_hosts[slot] = error
        probe = self.probes.get(slot)
        if probe is not None and probe[0] == key:
            del self.probes[slot]
            if not probe[1].done():
                probe[1].set_result(False)

    async def _retry(self, request: scrapy.Request, verdict: str, reason: Any):
        """The request again after a backoff, while the failure is transient and tries remain.

        On one host, the first link that fails *probes* it with every retry; another link
        that fails meanwhile waits for the probe: a host that answered is retried as usual,
        a host that failed every try of the probe (or of an earlier link) gets one more try
        of that link, so no link is called broken on one failure, and a dead host does not
        cost every link all its retries. A retried ``HEAD`` asks with ``GET`` (some servers
        fail on ``HEAD`` alone).
        """
        attempt = int(request.meta.get(LINK_ATTEMPT, 0))
        if verdict != TRANSIENT or attempt >= self.links.retry_times:
            return None
        delay = self.links.backoff * 2**attempt
        if request.meta.get(LINK_CHECK):
            slot, key = request.meta["download_slot"], request.meta[LINK_KEY]
            probe = self.probes.get(slot)
            if slot not in self.dead_hosts and probe is not None and probe[0] != key:
                await asyncio.wait([probe[1]], timeout=PROBE_WAIT)
            elif slot not in self.dead_hosts and probe is None:
                self.probes[slot] = (key, asyncio.get_running_loop().create_future())
            if slot in self.dead_hosts:
                if attempt >= 1:
                    return None
                delay = self.links.backoff
        self.crawler.stats.inc_value("links/retries")
        self.logger.debug("Retrying %s in %.1f s (%s)", request.url, delay, reason)
        if delay:
            await asyncio.sleep(delay)
        meta = {**request.meta, LINK_ATTEMPT: attempt + 1}
        meta.pop("redirect_urls", None)
        meta.pop("redirect_times", None)
        meta.pop("redirect_ttl", None)
        url = request.meta.get("redirect_urls", [request.url])[0]
        method = "GET" if request.meta.get(LINK_CHECK) else request.method
        return request.replace(url=url, method=method, meta=meta)

    # The end ------------------------------------------------------------------------------

    def crawl_drained(self) -> None:
        """Pages read: the internal links no page read settled are checked now."""
        pending = [(key, url) for key, url in self.deferred.items()]
        self.deferred.clear()
        scheduled = False
        for key, url in pending:
            if self.checks[key].state == "pending":
                self.crawler.engine.crawl(self._check_request(url, key))
                scheduled = True
        if scheduled:
            raise DontCloseSpider

    def item_judged(self, item: Any) -> None:
        """No column items here."""


LINK_KEY = "link_key"
LINK_ATTEMPT = "link_attempt"
LINK_BODY = "link_body"  # a link check that reads an HTML answer's body (soft 404)
PROBE_WAIT = 600.0  # seconds a link waits at most for its host's probe
LINKS_PAGE = "links_page"  # a page this crawl reads (not a discovery request)


def _is_html(content_type: bytes | str | None) -> bool:
    """An HTML answer, or one that does not say (portals often do not)."""
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    return not content_type or "html" in content_type.lower()


def _failure_text(failure: Failure) -> str:
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    return error_text(failure.value, 0)
