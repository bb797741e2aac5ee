"""Item pipelines: judging. (Storing lives in ``portalspider.store.pipeline``.)"""

from __future__ import annotations

import datetime as dt

from portalspider.dates import update_or_none
from portalspider.extract.listpage import count_within
from portalspider.items import ColumnItem
from portalspider.judge import is_top_level, judge


class JudgePipeline:
    """Classify each column, give it its unit and threshold, and set its status.

    Runs before the store so that what is stored, logged and alerted is one verdict: the
    column's rules (category, threshold, unit, 报备 ``exempt_until``) are resolved here,
    once per crawl, and carried in the item; the store keeps them and alerts and the
    report read them from there, never from the site config again.
    """

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        context = self.crawler.spider.context
        self.rules = context.rules
        self.today: dt.date = context.today

    def process_item(self, item):
        if not isinstance(item, ColumnItem):
            return item
        res = self.rules.resolve(item.url, item.name, item.path)
        item.category = res.category_for(
            item.name,
            path=item.path,
            url=item.url,
            meta_name=item.meta_column_name,
            meta_type=item.meta_column_type,
        )
        item.threshold_days = res.threshold(item.category)
        item.unit = res.unit
        item.exempt_until = res.exempt_until.isoformat() if res.exempt_until else None
        item.top_level = is_top_level(item.path, item.name)
        rule = res.min_items
        in_window = seen = None
        if rule and item.recent_dates is not None:
            dates = [dt.date.fromisoformat(d) for d in item.recent_dates]
            in_window = count_within(dates, self.today, rule.days)
            seen = item.counts_seen_days is None or item.counts_seen_days >= rule.days
        # The rule and its count (a lower bound unless ``complete``), for alerts and reports.
        item.min_items = (
            {"count": rule.count, "days": rule.days, "items": in_window, "complete": bool(seen)}
            if rule
            else None
        )
        last = update_or_none(
            dt.date.fromisoformat(item.last_update) if item.last_update else None, self.today
        )
        item.last_update = last.isoformat() if last else None
        verdict = judge(
            last_update=last,
            items_found=item.items_found,
            dated_items=1 if last else 0,
            threshold_days=item.threshold_days,
            today=self.today,
            unreachable=item.status == "unreachable",
            placeholder=False,
            min_items=rule,
            items_in_window=in_window,
            window_seen=bool(seen),
        )
        item.status, item.age_days = verdict.status, verdict.age_days
        return item
