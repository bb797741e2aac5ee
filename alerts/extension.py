"""Alerts as a Scrapy extension: decide and deliver once the store committed the run.

Enabled in the project's ``EXTENSIONS`` by dotted path (``portalspider`` never imports
``alerts``). Scrapy closes the item pipelines (the store commits there and publishes
``store/run_id`` in the stats) before it sends ``spider_closed``, so this handler always sees
the committed run. A crawl whose run was not recorded (database unavailable) decides nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from alerts.options import AlertOptions
from portalspider.context import crawl_context
from portalspider.projectsettings import database_url
from portalspider.store.db import make_engine, session_factory

logger = logging.getLogger(__name__)


class AlertsExtension:
    """After each crawl: the alerts due (lifecycle → outbox), then their delivery."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def check_settings(cls, settings: Any) -> AlertOptions:
        """Parse every ALERTS_* setting; a bad value raises a one-line ``SettingError``."""
        return AlertOptions.from_settings(settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not cls.check_settings(crawler.settings).enabled:
            raise NotConfigured("ALERTS_ENABLED is off")
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider: Any, reason: str) -> None:
        # The deciders (their templates: jinja2) are imported by a crawl that alerts, here,
        # not by every crawl's start.
        from alerts import links, service

        stats = self.crawler.stats
        run_id = stats.get_value("store/run_id") if stats is not None else None
        context = crawl_context(self.crawler)
        probe_site = stats.get_value("store/site_id") if stats is not None else None
        link_run = stats.get_value("store/link_run_id") if stats is not None else None
        if run_id is None and link_run is not None and context is not None:
            self._decide(links.after_links, context, run_id=int(link_run))  # the links spider
            return
        if run_id is None and probe_site is not None and context is not None:
            self._decide(service.after_probe, context, site_id=int(probe_site))  # availability
            return
        if run_id is None or context is None:
            logger.info("alerts: no crawl run was recorded (%s); nothing decided", reason)
            return
        self._decide(service.after_crawl, context, run_id=int(run_id))

    def _decide(self, decider: Callable[..., None], context: Any, **run: int) -> None:
        """Run one decider on its own engine; the deciders log their own failures."""
        settings = self.crawler.settings
        try:
            engine = make_engine(database_url(settings))
        except Exception as exc:
            logger.error("alerts: cannot open the database: %s", str(exc).splitlines()[0])
            return
        try:
            decider(
                settings=settings,
                config=context.config,
                session_factory=session_factory(engine),
                today=context.today,
                **run,
            )
        finally:
            engine.dispose()
