"""The store pipeline: every crawl into SQL, then the after-crawl alerts.

Owns the session lifecycle of one crawl through a ``RunRecorder``: the database is opened
and migrated at spider open, items are buffered and written in bulk batches, and the run
is finalized and committed at close (in ``finally``, so a failing alert hook or stats
call can never lose the crawl).

A database that cannot be opened or migrated stops the crawl before any request: the
pipeline logs one ``ERROR`` line naming the database and the cause, records
``store/error`` in the stats and raises ``CloseSpider("store_unavailable")``: Scrapy
closes the spider quietly with that finish reason, and the project's ``crawl`` command
exits non-zero on it. An exception would also stop the crawl, but Scrapy prints it
as a multi-screen asyncio traceback.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider

from portalspider.dates import today_shanghai
from portalspider.rules import ColumnRules
from portalspider.store.db import StoreError, make_engine, session_factory, upgrade
from portalspider.store.recorder import RunRecorder

logger = logging.getLogger(__name__)

STORE_UNAVAILABLE = "store_unavailable"


def crawl_today(crawler: Crawler) -> dt.date:
    """The Asia/Shanghai date the crawl judges against.

    A spider attribute ``today`` (a date) or the setting ``PORTALSPIDER_TODAY``
    (YYYY-MM-DD) overrides the clock, so the demo and tests can move time.
    """
    spider_today = getattr(crawler.spider, "today", None)
    if isinstance(spider_today, dt.date):
        return spider_today
    value = crawler.settings.get("PORTALSPIDER_TODAY")
    if value:
        return dt.date.fromisoformat(str(value))
    return today_shanghai()


class StorePipeline:
    """Scrapy item pipeline writing runs, columns, observations and findings."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.engine: Any = None
        self.sessions: Any = None
        self.recorder: RunRecorder | None = None
        self.summary: dict[str, Any] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    # -- open ------------------------------------------------------------------------

    def open_spider(self) -> None:
        spider = self.crawler.spider
        settings = self.crawler.settings
        url = settings.get("PORTALSPIDER_DATABASE_URL") or "sqlite:///var/portalspider.db"
        try:
            config = spider.config
        except AttributeError:
            self._fail_open("the spider has no site config (spider.config); nothing to store")
        try:
            self.engine = make_engine(url)
            upgrade(self.engine)
            self.sessions = session_factory(self.engine)
            job = getattr(spider, "_job", None) or os.environ.get("SCRAPY_JOB")
            self.recorder = RunRecorder(
                self.sessions,
                site_url=config.url,
                site_name=config.name,
                today=crawl_today(self.crawler),
                job_id=str(job) if job else None,
                batch_size=settings.getint("PORTALSPIDER_STORE_BATCH", 500),
            )
            self.recorder.start()
        except StoreError as exc:
            self._fail_open(str(exc))
        except Exception as exc:  # e.g. a constraint problem while creating the run
            self._fail_open(f"cannot record the crawl: {exc}".splitlines()[0])
        logger.info(
            "Store: run %s of %s in %s",
            self.recorder.run_id,
            config.url,
            self.engine.url.render_as_string(hide_password=True),
        )

    def _fail_open(self, message: str) -> None:
        logger.error("Store unavailable, crawl stopped: %s", message)
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("store/error", message)
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None
        raise CloseSpider(STORE_UNAVAILABLE)

    # -- items -----------------------------------------------------------------------

    def process_item(self, item: Any) -> Any:
        if self.recorder is not None:
            self.recorder.add(item)
        return item

    # -- close -----------------------------------------------------------------------

    def close_spider(self) -> None:
        """Finalize and commit the run, then hand over to the alerts."""
        if self.recorder is None:
            return
        spider = self.crawler.spider
        stats = self.crawler.stats.get_stats() if self.crawler.stats is not None else {}
        # A crawl stopped by Ctrl-C / scrapyd cancel did not see the whole site.
        complete = bool(getattr(spider, "discovery_complete", True)) and self.crawler.crawling
        rules = ColumnRules(spider.config)
        try:
            self.summary = self.recorder.finish(
                discovery_complete=complete,
                stats=stats,
                failed_urls=list(getattr(spider, "discovery_failures", [])),
                is_ignored=lambda url, name, path: rules.resolve(url, name, path).ignore,
            )
        except Exception as exc:
            logger.error("Store: could not finalize run %s: %s", self.recorder.run_id, exc)
            self.recorder.fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            self._dispose()
            raise
        spider.run_summary = self.summary
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("store/run_id", self.recorder.run_id)
            self.crawler.stats.set_value("store/seconds", self.summary["store_seconds"])
        logger.info(
            "Store: run %s %s: %s columns, %s new findings, %s resolved, %s gone, %s ignored "
            "(%.2f s)",
            self.recorder.run_id,
            self.summary["outcome"],
            self.summary["columns"],
            self.summary["new_findings"],
            self.summary["resolved_findings"],
            self.summary["gone_columns"],
            self.summary["ignored_columns"],
            self.summary["store_seconds"],
        )
        try:
            self._after_crawl()
        finally:
            self._dispose()

    def _after_crawl(self) -> None:
        """Call ``alerts.service.after_crawl`` when alerts are enabled; never fail the crawl."""
        if not self.crawler.settings.getbool("ALERTS_ENABLED", True):
            return
        try:
            from alerts import service
        except ModuleNotFoundError as exc:
            if exc.name in ("alerts", "alerts.service"):
                logger.debug("alerts.service not available; no alerts after this crawl")
                return
            logger.error("Alerts skipped: cannot import alerts.service: %s", exc)
            return
        except Exception as exc:
            logger.error("Alerts skipped: cannot import alerts.service: %s", exc)
            return
        after_crawl = getattr(service, "after_crawl", None)
        if after_crawl is None or self.recorder is None:
            return
        try:
            after_crawl(
                settings=self.crawler.settings,
                config=self.crawler.spider.config,
                session_factory=self.sessions,
                run_id=self.recorder.run_id,
                today=self.recorder.today,
            )
        except Exception as exc:
            logger.error("Alerts after crawl failed: %s: %s", type(exc).__name__, exc)

    def _dispose(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None
