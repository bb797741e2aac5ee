"""One crawl's context: what every component of a crawl needs to agree on.

Created once by the spider (``from_crawler``) from the site config and the crawler's settings,
and reached by pipelines and extensions as ``crawler.spider.context``. What the crawl *found*
(the run summary) is not here: the store puts it in the crawler stats (``store/...``).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass, field
from typing import Any

from portalspider.dates import today_shanghai
from portalspider.projectsettings import get_date, get_int
from portalspider.rules import ColumnRules
from portalspider.siteconfig import SiteConfig


@dataclass(frozen=True)
class Baseline:
    """The site's last complete crawl: how many columns a whole crawl finds (issue 13.1)."""

    run_id: int
    columns: int

    def shrunk(self, found: int) -> str | None:
        """Why a crawl that found under half of the baseline's columns is incomplete."""
        if found * 2 >= self.columns:
            return None
        return (
            f"found {found} columns, under half of the {self.columns} of the last complete "
            f"crawl (run {self.run_id})"
        )


@dataclass
class Discovery:
    """Pages that failed during discovery, and why the crawl did not see the whole site.

    The store records a run with reasons as ``incomplete`` and marks nothing gone after it
    (``store/recorder.py``); SUMMARY, the report and the webmaster's alert show the reason.
    """

    complete: bool = True
    failures: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    # Set by the store when the crawl opens; the spider compares its column count with it
    # before the verdict, so the verdict and the stored run share one decision.
    baseline: Baseline | None = None

    def failed(self, url: str, *, sitemap: bool = False, why: str = "") -> None:
        """Record a failed discovery page; a failed sitemap makes the column list incomplete."""
        self.failures.append(url)
        if sitemap:
            self.incomplete(f"sitemap {url} failed" + (f": {why}" if why else ""))

    def incomplete(self, reason: str) -> bool:
        """Record why the crawl is incomplete; True the first time this reason is given."""
        self.complete = False
        if reason in self.reasons:
            return False
        self.reasons.append(reason)
        return True

    @property
    def reason(self) -> str | None:
        return "; ".join(self.reasons) or None


@dataclass(frozen=True)
class CrawlContext:
    """The site config, the judging date and the crawl's knobs (fixed for the whole crawl)."""

    config: SiteConfig
    today: dt.date
    article_fallback: int = 3
    max_list_pages: int = 5  # list pages read per column at most (update volume)
    job_id: str | None = None
    discovery: Discovery = field(default_factory=Discovery)

    @functools.cached_property
    def rules(self) -> ColumnRules:
        """The config's column rules, one instance for the crawl: the spider, the judge and
        the store share its answers."""
        return ColumnRules(self.config)

    @classmethod
    def check_settings(cls, settings: Any) -> None:
        """Parse the settings a context reads (a bad value raises ``SettingError``)."""
        get_date(settings, "PORTALSPIDER_TODAY")
        get_int(settings, "PORTALSPIDER_ARTICLE_FALLBACK", cls.article_fallback)
        get_int(settings, "PORTALSPIDER_MAX_LIST_PAGES", cls.max_list_pages)

    @classmethod
    def from_settings(
        cls, settings: Any, config: SiteConfig, *, job_id: str | None = None
    ) -> CrawlContext:
        """``PORTALSPIDER_TODAY`` moves the clock (demo, tests, replays); scrapyd names the job."""
        job = job_id or os.environ.get("SCRAPY_JOB")
        return cls(
            config=config,
            today=get_date(settings, "PORTALSPIDER_TODAY") or today_shanghai(),
            article_fallback=get_int(
                settings, "PORTALSPIDER_ARTICLE_FALLBACK", cls.article_fallback
            ),
            max_list_pages=max(
                1, get_int(settings, "PORTALSPIDER_MAX_LIST_PAGES", cls.max_list_pages)
            ),
            job_id=str(job) if job else None,
        )


def crawl_context(crawler: Any) -> CrawlContext | None:
    """The context of the crawler's spider, or None for a spider that has none."""
    context = getattr(getattr(crawler, "spider", None), "context", None)
    return context if isinstance(context, CrawlContext) else None
