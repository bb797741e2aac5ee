"""Which notifications are due after a crawl: the lifecycle of each column's problem.

A finding (one stale/undated/blank/unreachable episode, kept by the store) gets, **per
recipient**, an *alert* once, then a *reminder* every ``remind_days`` while it stays open,
an *escalation* to the supervising unit with every reminder after the
``escalate_after``-th, and a *resolved* notice when the store closes it as fixed. A column
entering ``warning`` gets one *pre-alert* per warning episode. Each decision is an
``AlertEvent`` row naming its recipient (``unit``); its unique key
``(column_id, episode_key, kind, seq)`` (``seq`` numbers the episode's events of a kind,
across recipients) makes "decided twice" impossible, even for two processes racing (the
loser's insert fails and it sends nothing).

Recipients: the column's unit, else ``defaults.unit``, else the webmaster — the first one
with a channel (``alerts.recipients``). Nothing is decided for nobody: a unit that gets a
contact later is told then, and its first message about a finding is the alert. A column
unreachable twice in a row (finding kind ``unreachable``) is also alerted to the
webmaster. The site itself being down is one alert per outage to the webmaster, and a
resolved notice when it is back; a streak of incomplete crawls likewise (``STREAKS``;
recorded by the outbox's unique key).

Dates: "when was the last reminder" is the date the deciding run judged against (its
``summary["today"]``, which honours ``PORTALSPIDER_TODAY``; else the Asia/Shanghai date it
started), so a schedule survives restarts and does not depend on when the outbox delivered.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.digest import Notice
from alerts.recipients import Reach, webmaster_name
from portalspider.dates import age_days, shanghai_date
from portalspider.siteconfig import SiteConfig, UnitConfig
from portalspider.store.models import (
    AlertDelivery,
    AlertEvent,
    Column,
    CrawlRun,
    Finding,
    RunOutcome,
)
from portalspider.vocab import UNREACHABLE, exempt_on, is_problem

logger = logging.getLogger(__name__)

RESOLVED_LOOKBACK_DAYS = 90  # closed findings older than this are history, not news
# Closings the told hear of: fixed, or the column left the site (two complete crawls
# without it). Not ``ignored`` (the config switched it off: the office knows) nor
# ``superseded`` (the next finding of the same column goes on).
CLOSED_TOLD = frozenset({"fixed", "gone"})


@dataclass
class Decision:
    """One new AlertEvent (already added to the session) and what to tell whom.

    Site notices (``site_down``/``site_up``) have no column, hence no event: their
    ``site_key`` names the outage and makes the outbox row unique instead.
    """

    event: AlertEvent | None
    notice: Notice
    recipient: str | None
    site_key: str | None = None


def run_date(started: dt.datetime | None, summary: object) -> dt.date | None:
    """The date a run judged against: ``summary["today"]`` else its start in Shanghai."""
    if isinstance(summary, dict) and summary.get("today"):
        try:
            return dt.date.fromisoformat(str(summary["today"]))
        except ValueError:
            pass
    return shanghai_date(started)


def unit_config(config: SiteConfig, name: str | None) -> UnitConfig | None:
    """A recipient's contact: a ``units[]`` entry or the webmaster."""
    from alerts.recipients import contact

    return contact(config, name)


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
        min_items=dict(column.min_items) if isinstance(column.min_items, dict) else None,
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
        reach: Reach,
    ) -> None:
        self.session = session
        self.config = config
        self.site_id = site_id
        self.run_id = run_id
        self.today = today
        self.remind_days = max(remind_days, 1)
        self.escalate_after = max(escalate_after, 0)
        self.reach = reach
        self.decisions: list[Decision] = []
        self.unreached: set[int] = set()  # findings nobody could be told about
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
        recipient: str,
        notice: Notice,
        finding: Finding | None = None,
    ) -> None:
        evs = self.events[(column.id, episode)]
        first = 0 if kind in ("alert", "pre_alert", "resolved") else 1
        seq = max((e.seq for e in evs if e.kind == kind), default=first - 1) + 1
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
        evs.append(event)
        self.decisions.append(Decision(event, notice, recipient))

    def open_finding(self, column: Column, finding: Finding) -> None:
        if not is_problem(column.status, finding.kind):
            # Failed once: no evidence yet; other states await the store's close.
            # (互动回应差 findings stand whatever the column's freshness: vocab.is_problem.)
            return
        owner = column.unit or finding.unit or self.config.default_unit
        recipients = [self.reach.owner_or_fallback(owner)]
        if finding.kind == UNREACHABLE:  # a broken link is the webmaster's business too
            webmaster = webmaster_name(self.config)
            recipients.append(webmaster if self.reach.reachable(webmaster) else None)
        reached = [r for r in dict.fromkeys(recipients) if r]
        if not reached:
            self.unreached.add(finding.id)
        for recipient in reached:
            self.lifecycle(column, finding, recipient, owner)

    def lifecycle(
        self, column: Column, finding: Finding, recipient: str, owner: str | None
    ) -> None:
        """Alert, reminders and escalations of one finding, as one recipient heard them."""
        episode = f"finding:{finding.id}"
        evs = self.events[(column.id, episode)]
        mine = [e for e in evs if e.unit == recipient]
        base = {"since": finding.opened_on, "owner_unit": owner, "problem": finding.kind}
        if not any(e.kind == "alert" for e in mine):
            notice = _notice(column, "alert", self.today, **base)
            self.add(column, episode, "alert", recipient, notice, finding)
            return
        last = max(self.event_date(e) for e in mine if e.kind in ("alert", "reminder"))
        if (self.today - last).days < self.remind_days:
            return
        seq = sum(e.kind == "reminder" for e in mine) + 1
        notice = _notice(column, "reminder", self.today, seq=seq, **base)
        self.add(column, episode, "reminder", recipient, notice, finding)
        if seq <= self.escalate_after:
            return
        target = escalation_target(self.config, recipient)
        if target is None or not self.reach.reachable(target):
            logger.warning(
                "alerts: %s is overdue but has nobody to escalate to "
                "(set escalate_to or defaults.unit, with a contact)",
                column.url,
            )
            return
        notice = _notice(column, "escalation", self.today, seq=seq - 1, **base)
        self.add(column, episode, "escalation", target, notice, finding)

    def warning(self, column: Column) -> None:
        since = column.status_since_run_id or column.last_update
        episode = f"warning:{column.id}:{since}"
        owner = column.unit or self.config.default_unit
        recipient = self.reach.owner_or_fallback(owner)
        evs = self.events[(column.id, episode)]
        if recipient is None or any(e.unit == recipient for e in evs):
            return
        days_left = None
        if column.last_update and column.threshold_days is not None:
            days_left = column.threshold_days - age_days(column.last_update, self.today) + 1
        notice = _notice(column, "pre_alert", self.today, days_left=days_left, owner_unit=owner)
        self.add(column, episode, "pre_alert", recipient, notice)

    def closed_finding(self, column: Column, finding: Finding) -> None:
        """Everyone who was told of the problem hears that it is fixed (or its column
        gone), once."""
        episode = f"finding:{finding.id}"
        evs = self.events[(column.id, episode)]
        told = [e.unit for e in evs if e.kind in ("alert", "escalation") and e.unit]
        done = {e.unit for e in evs if e.kind == "resolved"}
        owner = column.unit or finding.unit or self.config.default_unit
        for recipient in dict.fromkeys(told):
            if recipient in done or not self.reach.reachable(recipient):
                continue
            notice = _notice(
                column,
                "resolved",
                self.today,
                since=finding.opened_on,
                owner_unit=owner,
                problem=finding.kind,
            )
            self.add(column, episode, "resolved", recipient, notice, finding)


@dataclass
class Decided:
    """What one decision pass found: the new decisions, and the open findings nobody
    could be told of (no contact for their unit, its fallback or the webmaster)."""

    decisions: list[Decision]
    unreached: int = 0


def decide(
    session: Session,
    *,
    config: SiteConfig,
    site_id: int,
    run_id: int,
    today: dt.date,
    remind_days: int = 7,
    escalate_after: int = 2,
    reach: Reach | None = None,
) -> Decided:
    """Add the AlertEvents due after run ``run_id`` to ``session`` (uncommitted).

    Returns them with the site's own notices (``site_notices``) and the count of open
    findings nobody can hear.
    """
    reach = reach or Reach(config, None)
    d = _Decider(session, config, site_id, run_id, today, remind_days, escalate_after, reach)
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
        elif finding.resolution in CLOSED_TOLD:
            d.closed_finding(column, finding)
    for column in columns.values():
        if column.status == "warning" and not is_exempt(column, today):
            d.warning(column)
    decisions = d.decisions + site_notices(session, config, site_id, run_id, today, reach)
    return Decided(decisions, len(d.unreached))


OUTAGE_LOOKBACK_RUNS = 200


@dataclass(frozen=True)
class Streak:
    """A kind of site-level outage: which runs take part, which are bad, what is said."""

    outcomes: tuple[str, ...]  # the runs that count (others neither start nor end it)
    opened: str  # notice kind for the streak's first run (once per streak)
    closed: str  # notice kind for the first good run after it
    log: str  # what to warn when nobody can be told

    def bad(self, row: Any) -> bool:
        if self.opened == "site_down":
            return bool(row.outcome == RunOutcome.SITE_DOWN or row.site_status == "down")
        return bool(row.outcome == RunOutcome.INCOMPLETE)

    def detail(self, row: Any) -> str | None:
        if self.opened == "site_down":
            error = (row.summary or {}).get("site_error")
            return str(error) if error else None
        return str(row.incomplete_reason) if row.incomplete_reason else None


# A down site, and a crawl that did not see the whole site (issue 13.1): each told to the
# webmaster once per streak, with a resolved notice when it ends.
STREAKS = (
    Streak(
        (RunOutcome.FINISHED, RunOutcome.SITE_DOWN),
        "site_down",
        "site_up",
        "the site is down and nobody can be told",
    ),
    Streak(
        (RunOutcome.FINISHED, RunOutcome.INCOMPLETE),
        "crawl_incomplete",
        "crawl_complete",
        "the crawl is incomplete and nobody can be told",
    ),
)


def site_notices(
    session: Session,
    config: SiteConfig,
    site_id: int,
    run_id: int,
    today: dt.date,
    reach: Reach,
) -> list[Decision]:
    """Every ``STREAKS`` notice due after ``run_id`` (the webmaster's, about the site)."""
    return [
        d
        for streak in STREAKS
        for d in _streak_notice(session, config, site_id, run_id, today, reach, streak)
    ]


def _streak_notice(
    session: Session,
    config: SiteConfig,
    site_id: int,
    run_id: int,
    today: dt.date,
    reach: Reach,
    streak: Streak,
) -> list[Decision]:
    """One ``opened`` notice per streak of bad runs and one ``closed`` after it.

    A streak is named by its first run (``site:<site>:<run>``); what was told is read back
    from the outbox keys, whose uniqueness also settles two processes racing.
    """
    runs = session.execute(
        select(
            CrawlRun.id,
            CrawlRun.outcome,
            CrawlRun.site_status,
            CrawlRun.summary,
            CrawlRun.incomplete_reason,
        )
        .where(
            CrawlRun.site_id == site_id,
            CrawlRun.id <= run_id,
            CrawlRun.outcome.in_(streak.outcomes),
        )
        .order_by(CrawlRun.id.desc())
        .limit(OUTAGE_LOOKBACK_RUNS)
    ).all()
    if not runs or runs[0].id != run_id:
        return []
    i = 0
    while i < len(runs) and not streak.bad(runs[i]):
        i += 1  # the latest run is good: look for the streak before it
    if i >= len(runs):
        return []
    j = i
    while j + 1 < len(runs) and streak.bad(runs[j + 1]):
        j += 1
    first = runs[j]
    key = f"site:{site_id}:{first.id}"
    told = set(
        session.scalars(
            select(AlertDelivery.idempotency_key).where(
                AlertDelivery.site_id == site_id,
                AlertDelivery.idempotency_key.like(f"{key}:%"),
            )
        )
    )
    sent = {k.split(":")[3] for k in told}
    recipient = webmaster_name(config)
    kind = streak.opened if i == 0 else streak.closed
    if kind in sent or (kind == streak.closed and streak.opened not in sent):
        return []
    if recipient is None or not reach.reachable(recipient):
        if kind == streak.opened:
            logger.warning(
                "alerts: %s: give site.webmaster (or the defaults.unit unit) an email or "
                "WeCom contact",
                streak.log,
            )
        return []
    since = run_date(None, first.summary) or today
    detail = streak.detail(runs[i]) if kind == streak.opened else None
    notice = Notice(
        kind=kind,
        column_id=0,
        name=config.name,
        url=config.url,
        status=("down" if kind == "site_down" else "incomplete" if i == 0 else "ok"),
        since=since,
        detail=detail,
    )
    return [Decision(None, notice, recipient, site_key=f"{key}:{kind}")]
