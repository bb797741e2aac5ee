"""The store pipeline: every crawl into SQL, and its results into the crawler stats.

Owns the session lifecycle of one crawl through a ``RunRecorder``: the database is opened
and migrated at spider open, items are buffered and written in bulk batches, and the run
is finalized and committed at close. It only records: the results (run id, outcome, counts,
findings opened/closed/gone) go into the stats under ``store/...``, where the crawl summary
and the alerts extension (``spider_closed``, which Scrapy sends after every pipeline's
``close_spider``) read them.

A database that cannot be opened or migrated stops the crawl before any request: the
pipeline logs one ``ERROR`` line naming the database and the cause, records
``store/error`` in the stats and raises ``CloseSpider("store_unavailable")``: Scrapy
closes the spider quietly with that finish reason, and the project's ``crawl`` command
exits non-zero on it. An exception would also stop the crawl, but Scrapy prints it
as a multi-screen asyncio traceback.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar, NoReturn, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from sqlalchemy.orm import Session

from portalspider.context import CrawlContext, crawl_context
from portalspider.projectsettings import database_url, get_int
from portalspider.store.db import StoreError, make_engine, session_factory, upgrade
from portalspider.store.recorder import RunRecorder, upsert_site

logger = logging.getLogger(__name__)

STORE_UNAVAILABLE = "store_unavailable"
BATCH_SIZE = 500  # rows per bulk write (PORTALSPIDER_STORE_BATCH)


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

    @classmethod
    def check_settings(cls, settings: Any) -> None:
        """Parse the settings the store reads (a bad value raises ``SettingError``)."""
        get_int(settings, "PORTALSPIDER_STORE_BATCH", BATCH_SIZE)

    # -- open ------------------------------------------------------------------------

    def open_spider(self) -> None:
        settings = self.crawler.settings
        url = database_url(settings)
        context = crawl_context(self.crawler)
        if context is None:
            self._fail_open("the spider has no crawl context (spider.context); nothing to store")
        config = context.config
        try:
            self.engine = make_engine(url)
            upgrade(self.engine)
            self.sessions = session_factory(self.engine)
            recorder = self.recorder = RunRecorder(
                self.sessions,
                site_url=config.url,
                site_name=config.name,
                today=context.today,
                job_id=context.job_id,
                batch_size=get_int(settings, "PORTALSPIDER_STORE_BATCH", BATCH_SIZE),
            )
            recorder.start()
            # The spider compares its column count with the last complete crawl before its
            # verdict: the same rule the run is recorded by (one decision, one home).
            context.discovery.baseline = recorder.baseline
        except StoreError as exc:
            self._fail_open(str(exc))
        except Exception as exc:  # e.g. a constraint problem while creating the run
            self._fail_open(f"cannot record the crawl: {exc}".splitlines()[0])
        logger.info(
            "Store: run %s of %s in %s",
            recorder.run_id,
            config.url,
            self.engine.url.render_as_string(hide_password=True),
        )

    def _fail_open(self, message: str) -> NoReturn:
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
        """Finalize and commit the run, then publish its results in the stats."""
        if self.recorder is None:
            return
        context = crawl_context(self.crawler)
        discovery = context.discovery if context is not None else None
        stats = self.crawler.stats.get_stats() if self.crawler.stats is not None else {}
        # A crawl stopped by Ctrl-C / scrapyd cancel (close reason ``shutdown``) did not see
        # the whole site: it is recorded ``stopped``; one the spider found incomplete (a
        # bound hit, an error or off-site home page, a failed sitemap) ``incomplete``.
        stopped = not self.crawler.crawling
        rules = context.rules if context is not None else None
        try:
            self.summary = self.recorder.finish(
                discovery_complete=discovery is None or discovery.complete,
                stats=stats,
                failed_urls=list(discovery.failures) if discovery is not None else [],
                is_ignored=rules.ignores if rules is not None else None,
                incomplete_reason=discovery.reason if discovery is not None else None,
                stopped=stopped,
            )
        except Exception as exc:
            # One line (a damaged table, a lost server), no traceback; the crawl command
            # exits 1 on ``store/error``. Nothing is published: the alerts decide nothing.
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            logger.error("Store: could not finalize run %s: %s", self.recorder.run_id, message)
            if self.crawler.stats is not None:
                self.crawler.stats.set_value("store/error", message)
            self.recorder.fail(message)
            self._dispose()
            return
        try:
            self._publish(self.summary)
        finally:
            self._dispose()
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

    def _publish(self, summary: dict[str, Any]) -> None:
        """The committed run's results as ``store/...`` stats (what later components read)."""
        run_stats = summary.get("stats") or {}
        values = {
            "store/run_id": summary["run_id"],
            "store/outcome": summary["outcome"],
            "store/columns": summary["columns"],
            "store/columns_gone": summary["gone_columns"],
            "store/columns_ignored": summary["ignored_columns"],
            "store/findings_opened": summary["new_findings"],
            "store/findings_closed": summary["resolved_findings"],
            "store/findings_gone": summary["gone_findings"],
            "store/seconds": summary["store_seconds"],
            "store/requests": run_stats.get("requests"),
            "store/errors": run_stats.get("errors"),
            "store/duration": run_stats.get("duration"),
            # Columns unreachable in this crawl and the one before: 链接不可用 problems.
            "store/unreachable_problems": list(summary.get("unreachable_problems", [])),
            # Why the run did not see the whole site (None when complete): SUMMARY and the
            # webmaster's alert read it; nothing was marked gone or closed for absence.
            "store/incomplete_reason": summary.get("incomplete_reason"),
        }
        for key, value in values.items():
            self.crawler.stats.set_value(key, value)

    def _dispose(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None


class SitePipeline:
    """What the ``links`` and ``availability`` spiders' pipelines share: the database opened
    and migrated at spider open, the site upserted (``site_id``), the engine disposed at close.
    A database that cannot be opened stops the spider as the store pipeline does."""

    what: ClassVar[str] = "nothing"  # named in the error line: "<what> not recorded"

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.engine: Any = None
        self.sessions: Any = None
        self.site_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def open_spider(self) -> None:
        context = crawl_context(self.crawler)
        if context is None:
            raise CloseSpider(STORE_UNAVAILABLE)
        try:
            self.engine = make_engine(database_url(self.crawler.settings))
            upgrade(self.engine)
            self.sessions = session_factory(self.engine)
            with self.sessions() as session, session.begin():
                self.site_id = upsert_site(session, context.config.url, context.config.name).id
                self.started(session, context)
        except Exception as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            logger.error("Store unavailable, %s not recorded: %s", self.what, message)
            if self.crawler.stats is not None:
                self.crawler.stats.set_value("store/error", message)
            self.close_spider()
            raise CloseSpider(STORE_UNAVAILABLE) from None

    def started(self, session: Session, context: CrawlContext) -> None:
        """What the spider's record starts with, in the transaction that upserts the site."""

    def close_spider(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None
