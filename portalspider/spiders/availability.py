"""The ``availability`` spider: one GET of the home page, as the 站点无法访问 check counts it.

Meant to run every 30 minutes (deploy/portalspider-availability.timer, or cron; see
docs/operations.md): the indicator needs ≥ 20 probes a day for a week, each failing after
15 s. One request, no retries, no discovery; the probe is stored with its history by
``store.probes.ProbePipeline`` (no crawl run), and the week's failure ratio warns and alerts
the webmaster through the alerts extension.
"""

from __future__ import annotations

import time
from typing import Any

import scrapy
from scrapy.exceptions import DownloadTimeoutError
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import TimeoutError as TxTimeoutError
from twisted.python.failure import Failure

from portalspider.context import CrawlContext
from portalspider.dates import today_shanghai
from portalspider.extensions import WithoutCrawlSummary
from portalspider.extract.errorpage import message_page_reason
from portalspider.items import ProbeItem
from portalspider.projectsettings import get_int
from portalspider.scope import Scope
from portalspider.siteconfig import load_site_config
from portalspider.verdict import PROBE_TIMEOUT_SECONDS


def body_problem(response: Response) -> str | None:
    """Why a 2xx/3xx answer still fails the probe, else None.

    A maintenance or "页面不存在" page answered with 200 is a site a visitor cannot use:
    the crawl's own error-page reader decides (one home). A JS challenge is not: a
    visitor's browser passes it.
    """
    if not isinstance(response, TextResponse):
        return f"no HTML body ({response.headers.get('Content-Type', b'?').decode('latin-1')})"
    if not response.body.strip():
        return "empty body"
    return message_page_reason(response.text)


class AvailabilitySpider(WithoutCrawlSummary, scrapy.Spider):
    """Probe the home page of ``-a site=PATH`` once and yield one ``probe`` item."""

    name = "availability"
    custom_settings = {  # noqa: RUF012 (Scrapy reads this class attribute)
        # Probes only: no judging, no crawl run (the whole dict replaces the project's).
        "ITEM_PIPELINES": {"portalspider.store.probes.ProbePipeline": 500},
        "RETRY_ENABLED": False,  # the indicator counts every failed attempt
        "AUTOTHROTTLE_ENABLED": False,
    }

    def __init__(self, site: str | None = None, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("wecom_api_base", None)
        super().__init__(*args, **kwargs)
        if not site:
            raise ValueError("the availability spider needs -a site=PATH/TO/site.yaml")
        self.context = CrawlContext(config=load_site_config(site), today=today_shanghai())
        config = self.context.config
        self.allowed_domains = list(config.allowed_domains)
        # A redirect off the portal is refused (ScopeMiddleware): the probe fails, never
        # measures another site.
        self.scope = Scope.for_site(config.url, config.allowed_domains)
        self.timeout = PROBE_TIMEOUT_SECONDS

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.context = CrawlContext.from_settings(crawler.settings, spider.context.config)
        spider.timeout = get_int(crawler.settings, "PORTALSPIDER_PROBE_TIMEOUT", spider.timeout)
        return spider

    async def start(self):
        yield scrapy.Request(
            self.context.config.url,
            callback=self.parse,
            errback=self.failed,
            dont_filter=True,
            meta={
                "download_timeout": self.timeout,
                "dont_retry": True,
                "dont_cache": True,  # every probe asks the portal itself
                "probe_started": time.monotonic(),
            },
        )

    def parse(self, response: Response):
        problem = body_problem(response)
        yield ProbeItem(
            url=self.context.config.url,
            ok=problem is None,
            http_status=response.status,
            elapsed_ms=_elapsed_ms(response.meta),
            error=problem,
        )

    def failed(self, failure: Failure):
        response = failure.value.response if failure.check(HttpError) else None
        if response is not None:
            error = f"HTTP {response.status}"
        elif failure.check(DownloadTimeoutError, TxTimeoutError):
            error = f"timeout after {self.timeout} s"
        else:
            error = f"{failure.type.__name__}: {failure.getErrorMessage()}"[:200]
        self.logger.warning("Home page %s probe failed: %s", self.context.config.url, error)
        yield ProbeItem(
            url=self.context.config.url,
            ok=False,
            http_status=response.status if response is not None else None,
            elapsed_ms=_elapsed_ms(failure.request.meta),
            error=error,
        )


def _elapsed_ms(meta: dict[str, Any]) -> int | None:
    """Scrapy's ``download_latency`` (response time), else the time since the probe began."""
    latency = meta.get("download_latency")
    if latency is None and meta.get("probe_started") is not None:
        latency = time.monotonic() - meta["probe_started"]
    return round(latency * 1000) if latency is not None else None
