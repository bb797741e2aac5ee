"""Crawl log for webmasters: one greppable line per column and a closing summary."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from typing import Any

from scrapy import signals

from portalspider.context import crawl_context
from portalspider.dates import today_shanghai
from portalspider.items import ColumnItem, InterpretationsItem, MessageColumnItem, SiteItem
from portalspider.urls import canonical_url
from portalspider.vocab import (
    UNREACHABLE,
    Counted,
    count_problems,
    message_problem,
    status_label,
    tally,
)

logger = logging.getLogger("portalspider.summary")
NO_UNIT = "(未指定)"


# What each status means, for whoever reads the log without the docs; figures come from
# the item (``{age}``, ``{limit}``). The Chinese label is the report's.
MEANINGS = {
    "ok": "updated {age} days ago, limit {limit}",
    "warning": "{age} days without update, limit {limit}: due soon",
    "stale": "{age} days without update, limit {limit}",
    "sparse": "fewer items lately than the config asks",
    "blank": "the list shows nothing",
    "undated": "no publication date found; counts as not updated",
    "unreachable": "page could not be fetched; not judged, not a crash",
}


def column_meaning(item: ColumnItem) -> str:
    """``超期未更新: 40 days without update, limit 14``: the status in words."""
    text = MEANINGS.get(item.status, "")
    figures = {"age": item.age_days, "limit": item.threshold_days}
    if "{" in text and None in figures.values():
        text = ""
    text = text.format(**figures)
    label = status_label(item.status)
    return f"{label}: {text}" if text else label


def column_log_line(item: ColumnItem) -> str:
    """``COLUMN <status> age=<d>/<t> unit=<unit> last=<date> path=<a/b> name=<n> url=<u> (…)``.

    The format is stable: webmasters grep it (``grep 'COLUMN stale'``); the meaning of the
    status closes the line in parentheses.
    """
    age = f"{item.age_days}d" if item.age_days is not None else "-"
    threshold = f"{item.threshold_days}d" if item.threshold_days is not None else "-"
    path = "/".join(item.path) or "-"
    extra = f" error={item.error}" if item.error else ""
    if item.exempt_until:
        extra += f" exempt_until={item.exempt_until}"
    return (
        f"COLUMN {item.status:<11} age={age}/{threshold} unit={item.unit or '-'} "
        f"last={item.last_update or '-'} path={path} name={item.name} url={item.url}{extra} "
        f"({column_meaning(item)})"
    )


def message_summary(columns: list[MessageColumnItem]) -> list[str]:
    """互动回应差 in the SUMMARY: letters and 征集 of the columns read, and their problems."""
    lines = []
    for kind, what, bad in (
        ("letters", "letters", "overdue"),
        ("solicitations", "征集", "no_feedback"),
    ):
        read = [c for c in columns if c.kind == kind and c.read]
        if not columns or not any(c.kind == kind for c in columns):
            continue
        extra = sum(c.pages_read - 1 + c.details_read for c in read)
        lines.append(
            f"SUMMARY replies {kind}: columns={len(read)} {what}={sum(c.messages for c in read)} "
            f"{bad}={sum(c.overdue for c in read)} requests={extra}"
        )
    return lines


def policy_summary(item: InterpretationsItem) -> str:
    """解读回应 in the SUMMARY: the documents checked by state, the counts, the check's pages."""
    return (
        f"SUMMARY policies: checked={item.checked} two_way={item.two_way} "
        f"doc_only={item.doc_only} interp_only={item.interp_only} missing={item.missing} "
        f"unverified={item.unverified} unread={item.unread_documents} "
        f"documents_365d={item.documents_365d} interpretations_365d={item.interpretations_365d} "
        f"result={item.result or '-'} requests={item.pages}"
    )


class CrawlSummary:
    """Logs each judged column, then counts by status and by unit when the crawl ends."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.by_status: Counter[str] = Counter()
        self.by_unit: Counter[str] = Counter()
        # (status, exempt_until, url) per unit: counted at close with ``vocab.count_problems``.
        self.judged: dict[str, list[tuple[str, dt.date | None, str]]] = defaultdict(list)
        # URL key → (unit, status, exempt_until): whose the column's 互动回应差 problems are.
        self.column_of: dict[str, tuple[str, str, dt.date | None]] = {}
        self.site: SiteItem | None = None
        self.messages: list[MessageColumnItem] = []  # 互动回应差 (``interaction``)
        self.policies: InterpretationsItem | None = None  # 解读回应 (``interpretation``)

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def item_scraped(self, item, response=None, spider=None) -> None:
        if isinstance(item, SiteItem):
            self.site = item
            # A home page that answers 200 with an error page is up, but read as nothing:
            # its error is on the line, as on a COLUMN line.
            logger.info(
                "SITE %s %s home_last_update=%s%s",
                item.status,
                item.url,
                item.home_last_update or "-",
                f" error={item.error}" if item.error else "",
            )
        elif isinstance(item, MessageColumnItem):
            self.messages.append(item)
        elif isinstance(item, InterpretationsItem):
            self.policies = item
        elif isinstance(item, ColumnItem):
            if logger.isEnabledFor(logging.INFO):  # the line is not built for a quieter log
                logger.info(column_log_line(item))
            self.by_status[item.status] += 1
            unit = item.unit or NO_UNIT
            self.by_unit[unit] += 1
            until = dt.date.fromisoformat(item.exempt_until) if item.exempt_until else None
            self.judged[unit].append((item.status, until, item.url))
            self.column_of[canonical_url(item.url)] = (unit, item.status, until)

    def _message_problems(self) -> dict[str, list[Counted]]:
        """Per unit, the columns whose letters or 征集 this crawl found overdue: problems
        like the findings the store opens for them, so the count agrees with the verdict."""
        found: dict[str, list[Counted]] = defaultdict(list)
        for check in self.messages:
            kind = message_problem(check.kind, check.read, check.overdue)
            if kind is None:
                continue
            unit, status, until = self.column_of.get(
                canonical_url(check.column_url), (NO_UNIT, "", None)
            )
            found[unit].append((status, until, kind))
        return found

    def spider_closed(self, spider, reason) -> None:
        context = crawl_context(self.crawler)
        site_name = context.config.name if context is not None else ""
        total = sum(self.by_status.values())
        lines = [f"SUMMARY site={site_name} reason={reason} columns={total}"]
        if self.site is not None and self.site.status == "down":
            lines.append(f"SUMMARY site is DOWN ({self.site.error}); no column was judged")
        lines.append(
            "SUMMARY by status: " + ", ".join(f"{s}={n}" for s, n in tally(self.by_status))
        )
        today = context.today if context is not None else today_shanghai()
        # The store's results: in the stats, since item pipelines close before this signal.
        stats = getattr(self.crawler, "stats", None)
        # Unreachable in this crawl and the one before (the store knows): 链接不可用.
        broken = (
            set(stats.get_value("store/unreachable_problems") or ()) if stats is not None else set()
        )

        replies = self._message_problems()

        def counted(unit: str) -> list[Counted]:
            return [
                *(
                    (s, until, UNREACHABLE if url in broken else None)
                    for s, until, url in self.judged[unit]
                ),
                *replies.get(unit, ()),
            ]

        units = [*self.judged, *(u for u in replies if u not in self.judged)]
        found = count_problems((j for unit in units for j in counted(unit)), today)
        lines.append(f"SUMMARY problems={found.problems} exempt={found.exempt}")
        for unit, count in sorted(self.by_unit.items(), key=lambda kv: (-kv[1], kv[0])):
            mine = count_problems(counted(unit), today)
            exempt = f" exempt={mine.exempt}" if mine.exempt else ""
            lines.append(f"SUMMARY unit={unit} columns={count} problems={mine.problems}{exempt}")
        run_id = stats.get_value("store/run_id") if stats is not None else None
        if stats is not None and run_id is not None:
            lines.append(
                f"SUMMARY findings opened={stats.get_value('store/findings_opened')} "
                f"closed={stats.get_value('store/findings_closed')} "
                f"gone={stats.get_value('store/columns_gone', 0)} "
                f"ignored={stats.get_value('store/columns_ignored', 0)} run_id={run_id}"
            )
            lines.append(
                f"SUMMARY requests={stats.get_value('store/requests')} "
                f"errors={stats.get_value('store/errors')} "
                f"duration={stats.get_value('store/duration')}s"
            )
        lines.extend(message_summary(self.messages))
        if self.policies is not None:
            lines.append(policy_summary(self.policies))
        incomplete = stats.get_value("store/incomplete_reason") if stats is not None else None
        if not incomplete and context is not None:
            incomplete = context.discovery.reason
        if reason == "shutdown" and not incomplete:
            incomplete = "stopped before the end (shutdown)"
        if incomplete:
            # Nothing was marked gone nor closed for absence (store/recorder.py).
            lines.append(f"SUMMARY crawl incomplete: {incomplete}")
        for line in lines:
            logger.info(line)


class WithoutCrawlSummary:
    """Mixin for the spiders that judge no column (``links``, ``availability``): the
    project's extensions (alerts) stay, the crawl summary of columns does not."""

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)  # type: ignore[misc]
        settings.set_in_component_priority_dict("EXTENSIONS", CrawlSummary, None)
