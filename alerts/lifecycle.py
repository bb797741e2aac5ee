"""Which notifications are due after a crawl: the lifecycle of each column's problem.

A finding (one stale/undated/blank episode, kept by the store) gets an *alert* once, a
*reminder* every ``remind_days`` while it stays open, an *escalation* to the supervising
unit with every reminder after the ``escalate_after``-th, and a *resolved* notice when the
store closes it as fixed. A column entering ``warning`` gets one *pre-alert* per warning
episode. Each decision is an ``AlertEvent`` row whose unique key
``(column_id, episode_key, kind, seq)`` makes "decided twice" impossible, even for two
processes racing (the loser's insert fails and it sends nothing).

Dates: "when was the last reminder" is the date the deciding run judged against (its
``summary["today"]``, which honours ``PORTALSPIDER_TODAY``; else the Asia/Shanghai date it
started), so a schedule survives restarts and does not depend on when the outbox delivered.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.digest import Notice
from portalspider.dates import age_days, shanghai_date
from portalspider.siteconfig import SiteConfig, UnitConfig
from portalspider.store.models import AlertEvent, Column, CrawlRun, Finding
from portalspider.vocab import PROBLEM_STATUSES, exempt_on

logger = logging.getLogger(__name__)

RESOLVED_LOOKBACK_DAYS = 90  # closed findings older than this are history, not news


@dataclass
class Decision:
    """One new AlertEvent (already added to the session) and what to tell whom."""

    event: AlertEvent
    notice: Notice
    recipient: str | None


def run_date(started: dt.datetime | None, summary: object) -> dt.date | None:
    """The date a run judged against: ``summary["today"]`` else its start in Shanghai."""
    if isinstance(summary, dict) and summary.get("today"):
        try:
            return dt.date.fromisoformat(str(summary["today"]))
        except ValueError:
            pass
    return shanghai_date(started)


def unit_config(config: SiteConfig, name: str | None) -> UnitConfig | None:
    return next((u for u in config.units if u.name == name), None) if name else None


def escalation_target(config: SiteConfig, owner: str | None) -> str | None:
    """The unit's ``escalate_to``, else ``defaults.unit``; None when that is the owner itself."""
    unit = unit_config(config, owner)
    target = (unit.escalate_to if unit else None) or config.default_unit
    return None if not target or target == owner else target


def is_exempt(column: Column, today: dt.date) -> bool:
    """报备: the exemption the crawl resolved and stored covers ``today``.

    Never re-resolved from the site config: the judge pipeline resolved it once for the
    crawl, and the report and the crawl log count from the same stored value.
    """
    return exempt_on(column.exempt_until, today)


def _notice(column: Column, kind: str, today: dt.date, **extra: object) -> Notice:
    age = age_days(column.last_update, today)
    notice = Notice(
        kind=kind,
        column_id=column.id,
        name=column.name,
        url=column.url,
        status=column.status,
        path=list(column.path or []),
        age_days=age,
        threshold_days=column.threshold_days,
        last_update=column.last_update,
        newest_title=column.newest_title,
        newest_url=column.newest_url,
        owner_unit=column.unit,
    )
    for key, value in extra.items():
        setattr(notice, key, value)
    return notice


class _Decider:
    """Holds one site's state for one decision pass (a handful of queries, then pure logic)."""

    def __init__(
        self,
        session: Session,
        config: SiteConfig,
        site_id: int,
        run_id: int,
        today: dt.date,
        remind_days: int,
        escalate_after: int,
    ) -> None:
        self.session = session
        self.config = config
        self.site_id = site_id
        self.run_id = run_id
        self.today = today
        self.remind_days = max(remind_days, 1)
        self.escalate_after = max(escalate_after, 0)
        self.decisions: list[Decision] = []
        self.events: dict[tuple[int, str], list[AlertEvent]] = defaultdict(list)
        for ev in session.scalars(select(AlertEvent).where(AlertEvent.site_id == site_id)):
            self.events[(ev.column_id, ev.episode_key)].append(ev)
        self.run_dates: dict[int, dt.date] = {}
        for rid, started, summary in session.execute(
            select(CrawlRun.id, CrawlRun.started_at, CrawlRun.summary).where(
                CrawlRun.site_id == site_id
            )
        ):
            d = run_date(started, summary)
            if d is not None:
                self.run_dates[rid] = d

    def event_date(self, ev: AlertEvent) -> dt.date:
        if ev.run_id == self.run_id:
            return self.today
        if ev.run_id is not None and ev.run_id in self.run_dates:
            return self.run_dates[ev.run_id]
        return shanghai_date(ev.created_at) or self.today

    def add(
        self,
        column: Column,
        episode: str,
        kind: str,
        seq: int,
        recipient: str | None,
        notice: Notice,
        finding: Finding | None = None,
    ) -> None:
        event = AlertEvent(
            site_id=self.site_id,
            column_id=column.id,
            finding_id=finding.id if finding else None,
            episode_key=episode,
            kind=kind,
            seq=seq,
            unit=recipient,
            run_id=self.run_id,
        )
        self.session.add(event)
        self.events[(column.id, episode)].append(event)
        self.decisions.append(Decision(event, notice, recipient))

    def open_finding(self, column: Column, finding: Finding) -> None:
        if column.status not in PROBLEM_STATUSES:
            # unreachable is no evidence of staleness; other states await the store's close.
            return
        episode = f"finding:{finding.id}"
        owner = column.unit or finding.unit or self.config.default_unit
        evs = self.events[(column.id, episode)]
        base = {"since": finding.opened_on, "owner_unit": owner}
        if not any(e.kind == "alert" for e in evs):
            self.add(
                column,
                episode,
                "alert",
                0,
                owner,
                _notice(column, "alert", self.today, **base),
                finding,
            )
            return
        last = max(self.event_date(e) for e in evs if e.kind in ("alert", "reminder"))
        if (self.today - last).days < self.remind_days:
            return
        seq = sum(e.kind == "reminder" for e in evs) + 1
        self.add(
            column,
            episode,
            "reminder",
            seq,
            owner,
            _notice(column, "reminder", self.today, seq=seq, **base),
            finding,
        )
        if seq > self.escalate_after:
            target = escalation_target(self.config, owner)
            if target is None:
                logger.warning(
                    "alerts: %s is overdue but has nobody to escalate to "
                    "(set escalate_to or defaults.unit)",
                    column.url,
                )
                return
            esc_seq = seq - self.escalate_after
            self.add(
                column,
                episode,
                "escalation",
                esc_seq,
                target,
                _notice(column, "escalation", self.today, seq=seq - 1, **base),
                finding,
            )

    def warning(self, column: Column) -> None:
        since = column.status_since_run_id or column.last_update
        episode = f"warning:{column.id}:{since}"
        if self.events[(column.id, episode)]:
            return
        days_left = None
        if column.last_update and column.threshold_days is not None:
            days_left = column.threshold_days - age_days(column.last_update, self.today) + 1
        owner = column.unit or self.config.default_unit
        self.add(
            column,
            episode,
            "pre_alert",
            0,
            owner,
            _notice(column, "pre_alert", self.today, days_left=days_left, owner_unit=owner),
        )

    def closed_finding(self, column: Column, finding: Finding) -> None:
        episode = f"finding:{finding.id}"
        evs = self.events[(column.id, episode)]
        if not any(e.kind == "alert" for e in evs) or any(e.kind == "resolved" for e in evs):
            return  # never told, so nothing to take back; or already told
        owner = column.unit or finding.unit or self.config.default_unit
        recipients = [owner, *sorted({e.unit for e in evs if e.kind == "escalation" and e.unit})]
        for seq, recipient in enumerate(dict.fromkeys(recipients)):
            self.add(
                column,
                episode,
                "resolved",
                seq,
                recipient,
                _notice(column, "resolved", self.today, since=finding.opened_on, owner_unit=owner),
                finding,
            )


def decide(
    session: Session,
    *,
    config: SiteConfig,
    site_id: int,
    run_id: int,
    today: dt.date,
    remind_days: int = 7,
    escalate_after: int = 2,
) -> list[Decision]:
    """Add the AlertEvents due after run ``run_id`` to ``session`` (uncommitted); return them."""
    d = _Decider(session, config, site_id, run_id, today, remind_days, escalate_after)
    columns = {c.id: c for c in session.scalars(select(Column).where(Column.site_id == site_id))}
    cutoff = today - dt.timedelta(days=RESOLVED_LOOKBACK_DAYS)
    findings = session.scalars(
        select(Finding)
        .where(Finding.site_id == site_id)
        .where(Finding.is_open | (Finding.closed_on >= cutoff))
        .order_by(Finding.id)
    ).all()
    for finding in findings:
        column = columns.get(finding.column_id)
        if column is None or is_exempt(column, today):
            continue
        if finding.is_open:
            d.open_finding(column, finding)
        elif finding.resolution == "fixed":
            d.closed_finding(column, finding)
    for column in columns.values():
        if column.status == "warning" and not is_exempt(column, today):
            d.warning(column)
    return d.decisions
