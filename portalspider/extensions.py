"""Crawl log for webmasters: one greppable line per column and a closing summary."""

from __future__ import annotations

import logging
from collections import Counter

from scrapy import signals

from portalspider.items import STATUSES, ColumnItem, SiteItem

logger = logging.getLogger("portalspider.summary")


def column_log_line(item: ColumnItem) -> str:
    """``COLUMN <status> age=<d>/<t> unit=<unit> last=<date> path=<a/b> name=<n> url=<u>``.

    The format is stable: webmasters grep it (``grep 'COLUMN stale'``).
    """
    age = f"{item.age_days}d" if item.age_days is not None else "-"
    threshold = f"{item.threshold_days}d" if item.threshold_days is not None else "-"
    path = "/".join(item.path) or "-"
    extra = f" error={item.error}" if item.error else ""
    if item.exempt_until:
        extra += f" exempt_until={item.exempt_until}"
    return (
        f"COLUMN {item.status:<11} age={age}/{threshold} unit={item.unit or '-'} "
        f"last={item.last_update or '-'} path={path} name={item.name} url={item.url}{extra}"
    )


class CrawlSummary:
    """Logs each judged column, then counts by status and by unit when the crawl ends."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.by_status: Counter[str] = Counter()
        self.by_unit: Counter[str] = Counter()
        self.problems_by_unit: Counter[str] = Counter()
        self.site: SiteItem | None = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def item_scraped(self, item, response=None, spider=None) -> None:
        if isinstance(item, SiteItem):
            self.site = item
            logger.info(
                "SITE %s %s home_last_update=%s",
                item.status,
                item.url,
                item.home_last_update or "-",
            )
        elif isinstance(item, ColumnItem):
            logger.info(column_log_line(item))
            self.by_status[item.status] += 1
            unit = item.unit or "(未指定)"
            self.by_unit[unit] += 1
            if item.status in ("stale", "undated", "blank"):
                self.problems_by_unit[unit] += 1

    def spider_closed(self, spider, reason) -> None:
        total = sum(self.by_status.values())
        lines = [
            f"SUMMARY site={getattr(spider.config, 'name', '')} reason={reason} columns={total}"
        ]
        if self.site is not None and self.site.status == "down":
            lines.append(f"SUMMARY site is DOWN ({self.site.error}); no column was judged")
        lines.append(
            "SUMMARY by status: " + ", ".join(f"{s}={self.by_status.get(s, 0)}" for s in STATUSES)
        )
        for unit, count in sorted(self.by_unit.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(
                f"SUMMARY unit={unit} columns={count} problems={self.problems_by_unit.get(unit, 0)}"
            )
        run_summary = getattr(spider, "run_summary", None)
        if run_summary:
            opened = run_summary.get("findings_opened", run_summary.get("new_findings"))
            closed = run_summary.get("findings_closed", run_summary.get("resolved_findings"))
            lines.append(
                f"SUMMARY findings opened={opened} closed={closed} "
                f"gone={run_summary.get('gone_findings', 0)} "
                f"run_id={run_summary.get('run_id')}"
            )
            stats = run_summary.get("stats") or {}
            lines.append(
                f"SUMMARY requests={stats.get('requests')} errors={stats.get('errors')} "
                f"duration={stats.get('duration')}s"
            )
        if not getattr(spider, "discovery_complete", True):
            lines.append(
                "SUMMARY discovery incomplete: some pages failed "
                f"({len(spider.discovery_failures)}); no column was marked gone"
            )
        for line in lines:
            logger.info(line)
