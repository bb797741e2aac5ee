"""The ``portal`` spider: walks every column of one portal and reads its newest date.

Discovery starts at the home page (navigation, 更多 links, the sitemap) and continues
through hubs, breadcrumbs and list pages' side navigation; the site config can add,
override or ignore columns. Each column costs one list page; iframes, data stores and
article pages are fetched only when the list page alone cannot give a date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import itertools
from collections import Counter
from collections.abc import Container
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from portalspider import discovery as disc
from portalspider.bounds import CrawlBounds, is_calendar_link
from portalspider.context import CrawlContext
from portalspider.dates import age_days, find_dates, is_update, today_shanghai, update_or_none
from portalspider.extract.article import parse_article_date
from portalspider.extract.articlestop import (
    DATED,
    DATELESS,
    FAILED,
    ArticleRead,
    articles_answer,
    stop_reading,
)
from portalspider.extract.entries import Entry
from portalspider.extract.errorpage import challenge_reason, error_page_reason, script_list_reason
from portalspider.extract.htmlutil import Document, strip_controls
from portalspider.extract.listcount import PagedList
from portalspider.extract.listpage import (
    ListPage,
    count_within,
    parse_data_response,
    parse_list_page,
    read_list_page,
)
from portalspider.interaction import InteractionReader, replies_row
from portalspider.interpretation import PolicyCheck, PolicySettings
from portalspider.items import ChannelItem, ColumnItem, MessageColumnItem, SiteItem, VerdictItem
from portalspider.localanswer import local_request
from portalspider.pages import document_of, response_text
from portalspider.rules import ColumnRules
from portalspider.scope import Scope
from portalspider.siteconfig import SiteConfig, load_site_config
from portalspider.store.policies import read_last_checked
from portalspider.store.probes import read_availability
from portalspider.urls import canonical_url, clean_url, is_attachment, is_section_url
from portalspider.verdict import ColumnFacts, build_rows
from portalspider.vocab import exempt_on

# Hubs show previews of their sub-columns, each closed by a 更多 link.
HUB_MIN_MORE_LINKS = 2
#: Dated items a hub's own list (outside its 更多 blocks) shows for the hub to be a column.
OWN_LIST_MIN_DATED = 5
# A page with no list and this much body text is a static page (概况, 机构职能), not a column.
STATIC_PAGE_MIN_TEXT = 400
# The same page body at this many URLs: the server answers every URL alike (a catch-all).
CATCH_ALL_COPIES = 5


class PortalSpider(scrapy.Spider):
    """Discover and date every column of the portal described by ``-a site=PATH``."""

    name = "portal"

    def __init__(
        self, site: str | None = None, *args: Any, wecom_api_base: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not site:
            raise ValueError("the portal spider needs -a site=PATH/TO/site.yaml")
        config = load_site_config(site, wecom_api_base=wecom_api_base)
        # Settings are known in from_crawler; until then, the clock's today.
        self.context = CrawlContext(config=config, today=today_shanghai())
        self.allowed_domains = list(config.allowed_domains)
        self.scope = Scope.for_site(config.url, config.allowed_domains)
        self.seen: set[str] = set()  # canonical URLs requested for discovery
        # Links as written that are settled: their canonical URL is in seen, or their URL
        # alone rules them out (a file, an article, a search page, out of scope).
        self.settled: set[str] = set()
        self.parsed: set[str] = set()  # canonical URLs of candidate pages read (after redirects)
        self.home_key = canonical_url(config.url)
        # The end of the crawl (``spider_idle``): the verdict, from the judged columns.
        self.judged: list[ColumnFacts] = []
        self.judged_urls: set[str] = set()  # as the store counts a run's columns
        self.top_level_dates: list[dt.date] = []  # first-level columns' last updates
        self.site_up: bool | None = None
        self.home_newest: dt.date | None = None
        self.pending_site: SiteItem | None = None  # a home page without dated items
        self.finished = False
        self.bounds = CrawlBounds()
        self.bounds_hit: Counter[str] = Counter()
        self.columns_found = 0
        self.page_copies: Counter[str] = Counter()  # body digest → URLs that served it
        self.message_columns: list[MessageColumnItem] = []  # 互动回应差 (``interaction``)
        self.policy = PolicyCheck(
            PolicySettings(enabled=False),
            self.today,
            allows=self.scope.allows,
            over_budget=lambda n: True,
            known_pages=self.seen,
        )

    def mark_incomplete(self, reason: str) -> None:
        """Record why the crawl is incomplete (``context.discovery``), logged once."""
        if self.context.discovery.incomplete(reason):
            self.logger.warning("Crawl incomplete: %s", reason)

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        # The site config trusts the WeCom API host for webhooks (else: a warning).
        kwargs["wecom_api_base"] = crawler.settings.get("ALERTS_WECOM_API_BASE")
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.context = CrawlContext.from_settings(
            crawler.settings, spider.context.config, job_id=kwargs.get("_job")
        )
        crawler.signals.connect(spider.item_judged, signal=signals.item_scraped)
        crawler.signals.connect(spider.crawl_drained, signal=signals.spider_idle)
        spider.bounds = CrawlBounds.from_settings(crawler.settings)
        spider.interaction = InteractionReader(spider)
        spider.policy = spider._policy_check(crawler.settings)
        return spider

    def _policy_check(self, settings: Any) -> PolicyCheck:
        """The 解读回应 check (``portalspider.interpretation``), run once the columns are read."""
        sent = lambda: self.crawler.stats.get_value("downloader/request_count", 0)  # noqa: E731
        return PolicyCheck(
            PolicySettings.from_settings(settings),
            self.today,
            allows=self.scope.allows,
            over_budget=lambda n: sent() + n > self.bounds.budget(self.columns_found),
            known_pages=self.seen,
            last_checked=lambda: read_last_checked(settings, self.config.url),
        )

    @property
    def config(self) -> SiteConfig:
        return self.context.config

    @property
    def rules(self) -> ColumnRules:
        return self.context.rules

    @property
    def today(self) -> dt.date:
        return self.context.today

    @property
    def article_fallback(self) -> int:
        return self.context.article_fallback

    @property
    def max_list_pages(self) -> int:
        return self.context.max_list_pages

    async def start(self):
        for warning in getattr(self.config, "warnings", []):
            self.logger.warning("Site config: %s", warning)
        yield scrapy.Request(
            self.config.url, callback=self.parse_home, errback=self.home_failed, dont_filter=True
        )

    # Home page -------------------------------------------------------------------

    def home_failed(self, failure: Failure):
        status = failure.value.response.status if failure.check(HttpError) else None
        self.logger.error("Home page %s is down: %s", self.config.url, _reason(failure))
        self.site_up = False
        yield SiteItem(
            url=self.config.url,
            name=self.config.name,
            status="down",
            http_status=status,
            error=_reason(failure),
        )

    def parse_home(self, response: Response):
        self.seen.add(self.home_key)
        document = document_of(response)
        doc = disc.link_tree(document, response.url)
        landing = disc.landing_target(doc, document.html, response.url)
        if landing and not self.scope.allows(landing):
            self.logger.info(
                "Landing target out of scope (%s): %s", self.scope.refusal(landing), landing
            )
            landing = None
        if landing and response.meta.get("landing_hops", 0) < 2:
            # A splash page that only forwards (script redirect, frameset) to the real home.
            self.seen.add(canonical_url(landing))
            yield scrapy.Request(
                landing,
                callback=self.parse_home,
                errback=self.home_failed,
                meta={"landing_hops": response.meta.get("landing_hops", 0) + 1},
                dont_filter=True,
            )
            return
        self._copies(response)
        error = error_page_reason(document)
        offsite = not self.scope.allows(response.url)
        self.site_up = True
        site = SiteItem(url=self.config.url, name=self.config.name, status="up")
        site.http_status = response.status
        if error or offsite:  # no column can be found from here: an incomplete crawl
            site.error = error or f"home page redirects off-site to {response.url}"
            yield site
            self.mark_incomplete(
                f"home page redirects off-site to {response.url}"
                if offsite
                else f"home page is an error page ({error})"
            )
            return
        newest = self._home_newest(doc)
        self.home_newest = newest
        if newest is None:  # its first-level columns decide, once they are read
            self.pending_site = site
        else:
            yield self._dated_site(site, newest, "home")
        links = disc.PageLinks(doc, disc.link_rows(doc))  # read once for both
        candidates = disc.nav_links(doc) + disc.more_links_of(links) + disc.page_links_of(links, ())
        sitemap = disc.sitemap_link(doc)
        if not candidates and not sitemap and not self.rules.added_columns():
            self.mark_incomplete("home page shows no navigation")
        if sitemap:
            yield from self._follow(
                disc.LinkCandidate(sitemap, "网站地图", [], "sitemap"), callback=self.parse_sitemap
            )
        for rule in self.rules.added_columns():
            url = rule.match if "://" in rule.match else response.urljoin(rule.match)
            yield from self._follow(disc.LinkCandidate(url, rule.name or "", [], "config"))
        for cand in candidates:
            yield from self._follow(cand)

    def _home_newest(self, doc) -> dt.date | None:
        """Newest dated item linked from the home page (the 首页不更新 check)."""
        best = None
        for el in doc.iter("li", "tr", "dd"):
            if el.find(".//a") is None or disc.in_page_furniture(el):
                continue
            own = "".join(el.itertext())
            if "星期" in own:  # the header clock shows today's date: not an update
                continue
            for day in find_dates(own, self.today):
                if is_update(day, self.today) and (best is None or day > best):
                    best = day
        return best

    def _dated_site(self, site: SiteItem, newest: dt.date | None, source: str) -> SiteItem:
        site.home_last_update = newest.isoformat() if newest else None
        site.home_age_days = age_days(newest, self.today)
        site.home_date_source = source if newest else None
        return site

    # The end of the crawl ------------------------------------------------------------

    def item_judged(self, item: Any) -> None:
        """Each column as the pipelines judged it (``item_scraped``): the verdict's input."""
        if isinstance(item, MessageColumnItem):
            self.message_columns.append(item)
        if not isinstance(item, ColumnItem):
            return
        exempt = item.exempt_until is not None and exempt_on(
            dt.date.fromisoformat(item.exempt_until), self.today
        )
        self.judged.append(ColumnFacts(item.status, item.category, item.top_level, exempt))
        self.judged_urls.add(item.url)
        self.policy.note_column(item)
        if item.top_level and item.last_update:
            self.top_level_dates.append(dt.date.fromisoformat(item.last_update))

    def crawl_drained(self) -> None:
        """Once, when nothing is left to fetch: one in-process request yields the verdict."""
        if self.finished:
            return
        requests = self.policy.next_requests(self.columns_found)  # 解读回应, phase by phase
        if requests:
            for request in requests:
                self.crawler.engine.crawl(request)
            raise DontCloseSpider
        self.finished = True
        self.crawler.engine.crawl(local_request(self.config.url, self.finish))
        raise DontCloseSpider

    def finish(self, response: Response):
        """The deferred site item (first-level columns' newest date) and the verdict."""
        source = "home" if self.home_newest else "columns"
        if self.pending_site is not None:
            self.home_newest = max(self.top_level_dates, default=None)
            yield self._dated_site(self.pending_site, self.home_newest, source)
            self.pending_site = None
        # Far fewer columns than the last complete crawl: incomplete, by the rule the store
        # records the run with, decided here so the verdict says so too (issue 13.1).
        baseline = self.context.discovery.baseline
        shrunk = baseline.shrunk(len(self.judged_urls)) if baseline is not None else None
        if shrunk is not None:
            self.mark_incomplete(shrunk)
        availability, error = read_availability(self.crawler.settings, self.config.url, self.today)
        rows = build_rows(
            today=self.today,
            site_up=self.site_up,
            home_newest=self.home_newest,
            home_source=source,
            columns=self.judged,
            availability=availability,
            availability_error=error,
            incomplete_reason=self.context.discovery.reason,
            replies=replies_row(self.message_columns, self.context.discovery.reason),
        )
        yield from self.policy.items()
        yield VerdictItem(rows=[row.as_dict() for row in rows])

    def parse_sitemap(self, response: Response):
        doc = disc.link_tree(document_of(response), response.url)
        for cand in disc.sitemap_page_links(doc):
            yield from self._follow(cand, depth=response.meta.get("depth_d", 1) + 1)

    # Discovery -------------------------------------------------------------------

    def _follow(self, cand: disc.LinkCandidate, callback=None, depth: int = 1):
        """Request a discovery link, within the crawl's bounds (``bounds.py``).

        ``dont_filter``: ``self.seen`` already keeps one request per page, and Scrapy's
        duplicate filter would silently drop the way back of a redirect loop (the column
        would vanish instead of being reported unreachable).
        """
        url = cand.url
        # Every page repeats the menus: a link met before is settled (``self.settled``).
        if not url or url in self.settled:
            return
        if not disc.may_be_column(url) or not self.scope.allows(url):
            self.settled.add(url)
            return
        # A column the config adds is taken whatever it is called.
        if cand.source != "config" and not disc.may_be_column(url, cand.name):
            return
        key = canonical_url(url)
        self.settled.add(url)
        if key in self.seen:
            return
        self.seen.add(key)
        name = cand.name
        if cand.source != "config" and is_calendar_link(url, name):
            self.logger.debug("Calendar link, not a column: %s", url)
            self.crawler.stats.inc_value("portalspider/skipped/calendar")
            return
        if self.rules.ignores(url, name, cand.path):
            self.logger.debug("Ignored by config: %s", url)
            return
        bound = self.bounds.refusal(url, depth) if cand.source != "config" else None
        if bound is None and self._over_budget():
            bound = "request budget"
        if bound is not None:
            self._bound_hit(bound, url)
            return
        yield scrapy.Request(
            url,
            callback=callback or self.parse_page,
            errback=self.page_failed,
            meta={"cand": cand, "key": key, "depth_d": depth},
            dont_filter=True,
        )

    def _over_budget(self) -> bool:
        sent = self.crawler.stats.get_value("downloader/request_count", 0)
        return sent >= self.bounds.budget(self.columns_found)

    def _bound_hit(self, bound: str, url: str) -> None:
        """Count a refused link; the first refusal of each bound makes the crawl incomplete."""
        self.bounds_hit[bound] += 1
        self.crawler.stats.inc_value(f"portalspider/bound/{bound.replace(' ', '_')}")
        if self.bounds_hit[bound] == 1:
            limits = {
                "depth": f"PORTALSPIDER_MAX_DEPTH={self.bounds.max_depth}",
                "url length": f"PORTALSPIDER_MAX_URL_LENGTH={self.bounds.max_url_length}",
                "repeated path": "a path repeating its own sections",
                "request budget": (
                    f"{self.bounds.budget(self.columns_found)} requests for "
                    f"{self.columns_found} columns (PORTALSPIDER_MIN_BUDGET, "
                    "PORTALSPIDER_REQUEST_BUDGET, PORTALSPIDER_MAX_REQUESTS)"
                ),
            }
            self.mark_incomplete(f"crawl bound hit: {bound}, {limits[bound]} (first: {url})")

    def _copies(self, response: Response) -> int:
        """How many URLs served this very body so far (this one included)."""
        digest = hashlib.sha1(response.body, usedforsecurity=False).hexdigest()
        self.page_copies[digest] += 1
        return self.page_copies[digest]

    def page_failed(self, failure: Failure):
        request = failure.request
        cand: disc.LinkCandidate = request.meta["cand"]
        status = failure.value.response.status if failure.check(HttpError) else None
        # The store leaves columns under a failed page alone instead of calling them gone.
        sitemap = request.callback == self.parse_sitemap
        self.context.discovery.failed(request.url, sitemap=sitemap, why=_reason(failure))
        if sitemap:
            self.logger.warning("Sitemap %s failed: %s", request.url, _reason(failure))
            return
        # A link that failed could be a column or a hub; report it as an unreachable column
        # (never stale: a fetch failure is not evidence of staleness).
        # A redirected request carries the URL it was linked as first (the column's).
        linked = request.meta.get("redirect_urls", [request.url])[0]
        yield self._column_item(
            request.meta.get("column_url", linked),
            cand,
            None,
            status="unreachable",
            http_status=status,
            error=_reason(failure),
        )

    def parse_page(self, response: Response):
        """A candidate page: column list, hub, sitemap or something else (article, static)."""
        cand: disc.LinkCandidate = response.meta["cand"]
        # The request's URL keeps an app's hash route (gkmlpt ``index#2808``); Scrapy's
        # response URL drops fragments.
        url = response.request.url if response.request else response.url
        landed = canonical_url(url)
        if landed in self.parsed:  # reached twice: through a redirect and directly
            return
        self.parsed.add(landed)
        self.seen.add(landed)
        document = document_of(response)
        error = error_page_reason(document)
        if error:  # a 200 "页面不存在" / 系统维护 / challenge page: no column, no links
            yield self._column_item(
                url, cand, None, status="unreachable", http_status=response.status, error=error
            )
            return
        copies = self._copies(response)
        if copies > 1:  # the very page of another URL: the server answers any URL alike
            self.logger.debug("Same page as another URL, not followed: %s", url)
            if copies == CATCH_ALL_COPIES:
                self.mark_incomplete(
                    f"the server answers many URLs with one same page (catch-all), e.g. {url}"
                )
            return
        depth = response.meta.get("depth_d", 1) + 1
        page = parse_list_page(document, url, self.today, self.scope)
        links = disc.page_links_view(document, url)
        more = [
            m
            for m in disc.more_links_of(links)
            if disc.may_be_column(m.url) and canonical_url(m.url) != landed
        ]
        name = self._column_name(cand, page)
        path = self._column_path(cand, page, name)
        here = disc.LinkCandidate(url, name, path, cand.source)
        kind = self._page_kind(page, more, links.doc, landed)
        # Links that may lead to further columns: sub-columns of a hub sit under it. A
        # column's own list entries are its articles; a hub's are its sub-columns.
        child_path = [*path, name] if kind == "hub" and name else path
        own = self._own_list(document, url, links) if kind == "hub" else None
        if own is not None:  # a channel that also lists items of its own
            kind, page = "column", own
        for m in more:
            yield from self._follow(
                disc.LinkCandidate(m.url, m.name, child_path, "more"), depth=depth
            )
        entries = [e for e in page.entries if kind != "hub" or not is_section_url(e.url)]
        for link in disc.page_links_of(links, _EntryKeys(entries), known=self.settled):
            link.path = child_path if kind == "hub" else path
            yield from self._follow(link, depth=depth)
        if kind == "hub":
            yield ChannelItem(
                url=clean_url(url),
                name=strip_controls(name),
                path=[strip_controls(p) for p in path],
            )
            return
        if kind != "column":
            self.logger.debug("Not a column (%s): %s", kind, url)
            return
        yield from self.interaction.column_page(document, page, name, path, url)
        yield from self._read_column(response, page, here, url)

    # Letters and 征集 of interaction columns (``portalspider.interaction``) -------------

    def parse_message_list(self, response: Response):
        yield from self.interaction.next_list_page(response)

    def message_list_failed(self, failure: Failure):
        yield from self.interaction.list_failed(failure)

    def parse_message_page(self, response: Response):
        yield from self.interaction.own_page(response)

    def message_page_failed(self, failure: Failure):
        yield from self.interaction.own_page_failed(failure)

    def parse_shared_page(self, response: Response):
        yield from self.interaction.shared_page(response)

    def shared_page_failed(self, failure: Failure):
        yield from self.interaction.shared_page_failed(failure)

    def _own_list(self, document: Document, url: str, links: disc.PageLinks) -> ListPage | None:
        """A hub's own list, outside its 更多 blocks: five dated items or more, else None."""
        own_html = disc.own_list_html(document, url, links)
        return read_list_page(own_html, url, self.today, self.scope, min_dated=OWN_LIST_MIN_DATED)

    def _page_kind(self, page: ListPage, more: list[disc.LinkCandidate], doc, here_key: str) -> str:
        """column | hub | article | static | form, from what the page lists and links."""
        if not any(e.date for e in page.entries) and disc.is_form_page(doc):
            return "form"  # 我要写信, login: a form to fill in lists nothing
        if page.placeholder:
            return "column"
        if len({canonical_url(m.url) for m in more}) >= HUB_MIN_MORE_LINKS:
            return "hub"
        if page.entries and page.article_like and len(page.entries) < 3:
            return "article"  # an article's related-links box is no list
        if any(
            e.date or not (is_section_url(e.url) or canonical_url(e.url) in self.seen)
            for e in page.entries
        ):
            return "column"  # lists dated items or documents (not pages met as links)
        # Nothing but links to sections and known pages: a data store or frame, a hub's
        # grid, a static page, or a column listing nothing beside its side navigation.
        if page.iframe_urls or page.data_urls or page.data_requests:
            return "column"
        if _only_leads_to_sections(page, here_key):
            return "hub"
        if page.article_like or disc.content_text_length(doc) >= STATIC_PAGE_MIN_TEXT:
            return "static"
        return "column"

    def _column_name(self, cand: disc.LinkCandidate, page: ListPage) -> str:
        meta_name = (page.meta.get("columnname") or "").strip()
        for name in (cand.name, meta_name, page.breadcrumb_current or ""):
            if name and not disc.MORE_TEXT.match(name):
                return name
        return cand.url

    def _column_path(self, cand: disc.LinkCandidate, page: ListPage, name: str) -> list[str]:
        crumbs = [c for c in page.breadcrumb if c and c not in ("首页", "网站首页")]
        if crumbs and crumbs[-1] == name:
            crumbs = crumbs[:-1]
        return crumbs or list(cand.path)

    # Reading a column ----------------------------------------------------------------

    def _read_column(
        self,
        response: Response,
        page: ListPage,
        cand: disc.LinkCandidate,
        column_url: str,
        hops: int = 0,
        paged: PagedList | None = None,
    ):
        """Date the column from its list page, else from its iframe, data store or articles.

        ``paged``: the later list pages read so far (update volume), page 1 being *page*.
        """
        if hops < 2:
            request = self._further_source(page, cand, column_url, hops)
            if request is not None:
                yield request
                return
        paged = paged or PagedList(page)
        request = self._next_list_page(paged, cand, column_url, response.status)
        if request is not None:  # fetched once when the letter reader reads it too
            yield from self.interaction.list_request(column_url, request)
            return
        newest = page.newest(self.today)
        if page.entries and newest is None and self.article_fallback > 0:
            yield from self._open_articles(page, cand, column_url, response)
            return
        if not page.entries and not page.placeholder:
            # Nothing listed: truly blank, or rows that only a browser would fetch.
            hidden = script_list_reason(document_of(response))
            if hidden:
                yield self._column_item(
                    column_url,
                    cand,
                    None,
                    status="unreachable",
                    http_status=response.status,
                    error=hidden,
                )
                return
        yield self._column_item(column_url, cand, page, http_status=response.status, paged=paged)

    def _further_source(
        self, page: ListPage, cand: disc.LinkCandidate, column_url: str, hops: int
    ) -> scrapy.Request | None:
        """One more fetch when page 1 cannot give the newest date, else None.

        No date on the page: the list lives in a data store (Hanweb dataproxy, gkmlpt API,
        Fujian search POST) or an iframe. Dates ascending over several pages: the newest
        items are on the last page.
        """
        meta = {"cand": cand, "column_url": column_url, "page": page, "hops": hops + 1}
        if page.newest(self.today) is None and not page.placeholder:
            for post in page.data_requests or []:
                if self.scope.allows(post.url):
                    return scrapy.FormRequest(
                        post.url,
                        formdata=post.formdata,
                        callback=self.parse_data,
                        errback=self.page_failed,
                        meta=meta,
                        dont_filter=True,
                    )
            for url in [*page.data_urls, *page.iframe_urls]:
                if self.scope.allows(url):
                    callback = self.parse_data if url in page.data_urls else self.parse_frame
                    return scrapy.Request(
                        url,
                        callback=callback,
                        errback=self.page_failed,
                        meta=meta,
                        dont_filter=True,
                    )
        if page.partial:  # pinned records only: the list proper is in the data store
            for url in page.data_urls:
                if self.scope.allows(url):
                    meta["merge_with"] = page
                    return scrapy.Request(
                        url,
                        callback=self.parse_data,
                        errback=self.page_failed,
                        meta=meta,
                        dont_filter=True,
                    )
        if (
            _ascending(page)
            and page.last_page_url
            and (page.page_count or 0) > 1
            and self.scope.allows(page.last_page_url)
        ):
            meta["merge_with"] = page
            return scrapy.Request(
                page.last_page_url,
                callback=self.parse_frame,
                errback=self.page_failed,
                meta=meta,
                dont_filter=True,
            )
        return None

    # Further list pages (update volume) ------------------------------------------------

    def _next_list_page(
        self, paged: PagedList, cand: disc.LinkCandidate, column_url: str, http_status: int
    ) -> scrapy.Request | None:
        """A later list page when it can change what is reported, else None.

        The next page while it can change a 更新较少 decision (:meth:`_next_page_matters`),
        else the page that makes the counts exact (:meth:`PagedList.next_page`: the
        window's boundary page, reached by its number). Never past
        ``PORTALSPIDER_MAX_LIST_PAGES`` pages; a list whose dates rise (oldest first) is
        counted from what page 1 and its last page show.
        """
        page = paged.first
        if paged.failed or paged.pages_read >= self.max_list_pages or _ascending(page):
            return None
        view = paged.contiguous()
        if view.more_pages() and self._next_page_matters(view, cand, column_url):
            number: int | None = view.pages_read + 1
        else:
            number = paged.next_page(self.today, self.max_list_pages)
        url = paged.page_url(number) if number else None
        if not url or not self.scope.allows(url) or canonical_url(url) == canonical_url(column_url):
            return None
        return scrapy.Request(
            url,
            callback=self.parse_next_page,
            errback=self.next_page_failed,
            meta={
                "cand": cand,
                "column_url": column_url,
                "paged": paged,
                "number": number,
                "http_status": http_status,
            },
            dont_filter=True,
        )

    def _next_page_matters(self, page: ListPage, cand: disc.LinkCandidate, column_url: str) -> bool:
        """Whether the next page can change a 更新较少 decision (*page*: the pages read one
        after another from page 1).

        The 更新较少 rule is the only decision more pages can change, and only for a column
        within its threshold whose newest item is inside the rule's window, that shows fewer
        items than the rule asks for and whose pages read end inside that window.
        """
        newest = page.newest(self.today)
        if newest is None or newest.date is None:
            return False  # no list dates: nothing to count
        res = self.rules.resolve(column_url, cand.name, cand.path)
        rule = res.min_items
        age = (self.today - newest.date).days
        if rule is None or age >= rule.days or age > self._threshold(column_url, cand, page):
            return False
        counted = count_within(page.update_dates(self.today), self.today, rule.days)
        return counted < rule.count and not page.window_seen(self.today, rule.days)

    def parse_next_page(self, response: Response):
        paged: PagedList = response.meta["paged"]
        following = parse_data_response(document_of(response), response.url, self.today, self.scope)
        paged.more[response.meta["number"]] = following
        # hops=2: the first page's iframe or data store was settled before reading on.
        yield from self._read_column(
            response,
            paged.first,
            response.meta["cand"],
            response.meta["column_url"],
            hops=2,
            paged=paged,
        )

    def next_page_failed(self, failure: Failure):
        """A later page failed: report what the pages read show (counts stay lower bounds)."""
        meta = failure.request.meta
        self.logger.info("List page %s failed: %s", failure.request.url, _reason(failure))
        paged: PagedList = meta["paged"]
        paged.failed = True
        yield self._column_item(
            meta["column_url"],
            meta["cand"],
            paged.first,
            http_status=meta["http_status"],
            paged=paged,
        )

    def parse_frame(self, response: Response):
        document = document_of(response)
        error = error_page_reason(document)
        if error:
            yield self._column_item(
                response.meta["column_url"],
                response.meta["cand"],
                None,
                status="unreachable",
                http_status=response.status,
                error=error,
            )
            return
        page = parse_list_page(document, response.url, self.today, self.scope)
        yield from self._continue_column(response, page)

    def parse_data(self, response: Response):
        page = parse_data_response(document_of(response), response.url, self.today, self.scope)
        yield from self._continue_column(response, page)

    def _continue_column(self, response: Response, page: ListPage):
        """Carry on with a further page of the column, joined to page 1 when it completes it."""
        first = response.meta.get("merge_with")
        if first is not None:
            page = dataclasses.replace(
                first,
                entries=[*first.entries, *page.entries],
                partial=False,
                next_page_url=page.next_page_url,
                page_count=first.page_count or page.page_count,
                last_page_url=first.last_page_url or page.last_page_url,
            )
        yield from self._read_column(
            response,
            page,
            response.meta["cand"],
            response.meta["column_url"],
            response.meta["hops"],
        )

    def _open_articles(self, page: ListPage, cand, column_url: str, response: Response):
        """An undated list: read the newest items' own pages, one at a time."""
        # Entries that are known columns (a list region mistaken for a menu) are no articles.
        targets = [
            e
            for e in page.entries
            if self.scope.allows(e.url)
            and canonical_url(e.url) not in self.seen
            and not is_attachment(e.url)
        ]
        # Newest first by the hints at hand: pinned items last, then the dates in the URLs.
        targets.sort(key=lambda e: (e.pinned, -(e.url_date.toordinal() if e.url_date else 0)))
        targets = targets[: self.article_fallback]
        if not targets:
            # What looked like a list only links to other columns: the column lists nothing.
            item = self._column_item(column_url, cand, page, http_status=response.status)
            if all(canonical_url(e.url) in self.seen for e in page.entries):
                item.items_found = 0  # and so none in any window
                item.items_30d = item.items_90d = item.items_365d = 0
                item.counts_complete, item.recent_dates = True, []
            yield item
            return
        state = {
            "page": page,
            "cand": cand,
            "column_url": column_url,
            "targets": targets,
            "reads": [],
            "http_status": response.status,
        }
        yield self._article_request(state, 0)

    def _article_request(self, state: dict, index: int) -> scrapy.Request:
        entry = state["targets"][index]
        return scrapy.Request(
            entry.url,
            callback=self.parse_article,
            errback=self.article_failed,
            meta={"state": state, "index": index},
            dont_filter=True,
        )

    def parse_article(self, response: Response):
        state, index = response.meta["state"], response.meta["index"]
        entry = state["targets"][index]
        url_date = update_or_none(entry.url_date, self.today)
        document = document_of(response)
        error = error_page_reason(document)
        if error:  # its dates are the error page's, not the article's: a failed read
            state["reads"].append(ArticleRead(FAILED, url_date=url_date))
            state["failed"] = error
            yield from self._next_article(state, index)
            return
        found = parse_article_date(document, response.url, self.today)
        if found is None:
            read = ArticleRead(DATELESS, url_date=url_date)
        else:
            read = ArticleRead(DATED, update_or_none(found.date, self.today), url_date)
        state["reads"].append(read)
        yield from self._next_article(state, index)

    def article_failed(self, failure: Failure):
        state, index = failure.request.meta["state"], failure.request.meta["index"]
        entry = state["targets"][index]
        url_date = update_or_none(entry.url_date, self.today)
        state["reads"].append(ArticleRead(FAILED, url_date=url_date))
        state["failed"] = _reason(failure)
        yield from self._next_article(state, index)

    def _next_article(self, state: dict, index: int):
        """Read the list's items in order until :func:`stop_reading` says more cannot help."""
        reads: list[ArticleRead] = state["reads"]
        unread = [e.url_date for e in state["targets"][index + 1 :]]
        threshold = self._threshold(state["column_url"], state["cand"], state["page"])
        if not stop_reading(reads, unread, self.today, threshold):
            yield self._article_request(state, index + 1)
            return
        chosen, source, error = articles_answer(reads)
        article_dates = []
        if chosen is not None:
            evidence = reads[chosen].evidence
            assert evidence is not None
            article_dates = [(evidence[0], state["targets"][chosen])]
        if error and state.get("failed"):
            error = f"{error} (last: {state['failed']})"
        item = self._column_item(
            state["column_url"],
            state["cand"],
            state["page"],
            article_dates=article_dates,
            http_status=state["http_status"],
            error=error,
        )
        if source == "url":
            item.date_source = "url"
        yield item

    def _threshold(self, url: str, cand: disc.LinkCandidate, page: ListPage | None) -> int:
        """The threshold the pipeline will judge with: reading more can stop below it."""
        res = self.rules.resolve(url, cand.name, cand.path)
        meta = page.meta if page else {}
        category = res.category_for(
            cand.name,
            path=cand.path,
            url=url,
            meta_name=meta.get("columnname"),
            meta_type=meta.get("columntype"),
        )
        return res.threshold(category)

    def _column_item(
        self,
        column_url: str,
        cand: disc.LinkCandidate,
        page: ListPage | None,
        *,
        status: str | None = None,
        article_dates=None,
        http_status=None,
        error: str | None = None,
        paged: PagedList | None = None,
    ) -> ColumnItem:
        item = ColumnItem(
            url=clean_url(column_url),
            name=strip_controls(cand.name or column_url),
            path=[strip_controls(p) for p in cand.path],
            http_status=http_status,
            error=error,
        )
        self.columns_found += 1
        if status == "unreachable":
            item.status = "unreachable"
            return item
        assert page is not None
        item.cms = page.cms
        item.page_count = page.page_count
        item.items_found = 0 if page.placeholder else len(page.entries)
        newest = page.newest(self.today)
        if newest and newest.date:
            item.last_update = newest.date.isoformat()
            item.newest_title, item.newest_url = strip_controls(newest.title), newest.url
            item.date_source = newest.date_source or "list"
        elif article_dates:
            day, entry = max(article_dates, key=lambda pair: pair[0])
            item.last_update = day.isoformat()
            item.newest_title, item.newest_url = strip_controls(entry.title), entry.url
            item.date_source = "article"
        item.meta_column_name = page.meta.get("columnname")
        item.meta_column_type = page.meta.get("columntype")
        paged = paged or PagedList(page)
        volume = paged.volume(self.today)
        item.items_30d, item.items_90d, item.items_365d = (volume.counts[d] for d in (30, 90, 365))
        item.counts_complete = volume.complete
        if volume.recent_dates is not None:
            item.recent_dates = [d.isoformat() for d in volume.recent_dates]
        item.counts_seen_days = volume.seen_days
        item.pages_read = paged.pages_read
        self.policy.note_page(column_url, page)
        return item


class _EntryKeys(Container[str]):
    """The canonical URLs of a page's list entries, worked out on first use: few pages link
    anything :func:`disc.page_links` would take that is not known already, and each entry
    (an article, new to the crawl) costs a full canonicalisation."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries

    @functools.cached_property
    def keys(self) -> set[str]:
        return {canonical_url(e.url) for e in self.entries}

    def __contains__(self, key: object) -> bool:
        return key in self.keys


def _only_leads_to_sections(page: ListPage, here_key: str) -> bool:
    """Undated links that all lead to sections below this page: a hub's grid of children.

    A column's side navigation lists its siblings (and often itself) instead.
    """
    base = here_key.split("#", 1)[0].split("?", 1)[0]
    base = base if base.endswith("/") else base.rsplit("/", 1)[0] + "/"
    return len(page.entries) >= 2 and all(
        e.date is None
        and is_section_url(e.url)
        and canonical_url(e.url).startswith(base)
        and canonical_url(e.url) != here_key
        for e in page.entries
    )


def _ascending(page: ListPage) -> bool:
    """Shown dates rise down the list (oldest first), so later pages hold newer items."""
    dates = [e.date for e in page.entries if e.date]
    return (
        len(dates) >= 3
        and dates[0] < dates[-1]
        and all(a <= b for a, b in itertools.pairwise(dates))
    )


def _reason(failure: Failure) -> str:
    if failure.check(HttpError):
        response = failure.value.response
        challenge = challenge_reason(response_text(response)) if response.body else None
        return f"HTTP {response.status}" + (f": {challenge}" if challenge else "")
    return f"{failure.type.__name__}: {failure.getErrorMessage()}"[:200]
