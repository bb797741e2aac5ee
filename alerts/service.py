"""The alerts entry points: what the alerts extension and ``scrapy alerts`` call.

``after_crawl`` decides (lifecycle), renders one digest per recipient unit and channel,
and writes events and deliveries in **one** transaction; only then does it deliver. A
crash after the commit leaves pending rows that the next crawl or ``scrapy alerts --send``
delivers (deploy/portalspider-alerts.timer runs it every 10 minutes); a crash before it
leaves nothing decided, so the next crawl decides again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from alerts.availability import availability_notices
from alerts.channels import Channel, make_channels
from alerts.channels.email import message_id
from alerts.digest import (
    Digest,
    render_email,
    render_markdown_parts,
    render_subject,
    render_text_parts,
)
from alerts.lifecycle import Decision, decide, unit_config
from alerts.options import AlertOptions
from alerts.outbox import DeliveryReport, Outbox, idempotency_key
from alerts.recipients import Reach
from portalspider.siteconfig import SiteConfig, UnitConfig
from portalspider.store.models import AlertDelivery, CrawlRun
from portalspider.store.queries import get_site, latest_run

logger = logging.getLogger(__name__)

__all__ = [
    "DeliveryReport",
    "Plan",
    "after_crawl",
    "after_probe",
    "decide_site_notices",
    "deliver_pending",
    "plan",
]


@dataclass
class Plan:
    """What a decision pass produced (and, for previews, what is already queued)."""

    digests: list[tuple[Digest, list[str]]] = field(default_factory=list)  # digest, channels
    undeliverable: dict[str, int] = field(default_factory=dict)  # unit -> notices, no channel
    unreached: int = 0  # open findings with no reachable recipient (nothing decided for them)
    pending: list[dict[str, Any]] = field(default_factory=list)
    deliveries: list[AlertDelivery] = field(default_factory=list)


def find_site_id(session: Session, config: SiteConfig) -> int | None:
    site = get_site(session, config.url)
    return site.id if site is not None else None


def _payload(
    channel: str, digest: Digest, unit: UnitConfig, options: AlertOptions, key: str
) -> dict[str, Any]:
    """The rendered parts for one channel: the exact bytes every retry will send."""
    if channel == "email":
        text, html = render_email(digest)
        return {
            "text": text,
            "html": html,
            "message_id": message_id(key, options.mail_from),
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
    if channel == "wecom_robot":
        if unit.wecom_mobiles:  # markdown cannot @-mention by phone; text can
            return {
                "msgtype": "text",
                "parts": render_text_parts(digest, options.wecom_text_budget),
            }
        return {
            "msgtype": "markdown",
            "parts": render_markdown_parts(digest, options.wecom_markdown_budget),
        }
    return {"msgtype": "markdown", "parts": render_markdown_parts(digest, options.wecom_app_budget)}


def _write_outbox(
    session: Session,
    decisions: list[Decision],
    *,
    config: SiteConfig,
    site_id: int,
    run_id: int | None,
    today: dt.date,
    options: AlertOptions,
    channels: Mapping[str, Channel],
) -> Plan:
    """Group the decisions by recipient into digests and add one outbox row per channel."""
    plan = Plan()
    session.flush()  # event ids: the idempotency key names the decision set
    # Site notices travel alone: their outbox key is what records the outage as told.
    by_unit: dict[tuple[str | None, str | None], list[Decision]] = defaultdict(list)
    for d in decisions:
        by_unit[(d.recipient, d.site_key)].append(d)
    deadline = today + dt.timedelta(days=config.deadline_days)
    for (recipient, site_key), group in by_unit.items():
        unit = unit_config(config, recipient)
        names = [g.event.episode_key if g.event else g.site_key for g in group]
        available = [n for n, c in channels.items() if unit is not None and c.available(unit)]
        if unit is None or recipient is None or not available:
            plan.undeliverable[recipient or "（未指定责任单位）"] = len(group)
            logger.warning(
                "alerts: %d notification(s) for %s recorded but not delivered: %s",
                len(group),
                recipient or "columns without a unit",
                "no contact configured for this unit in the site config"
                if recipient
                else "set defaults.unit or a unit rule",
            )
            continue
        digest = Digest(
            config.name, config.url, recipient, today, deadline, [g.notice for g in group]
        )
        subject = render_subject(digest)
        first_event = min((g.event.id for g in group if g.event), default=0)
        rows = []
        for channel in available:
            if site_key:
                key = site_idempotency_key(site_key, recipient, channel)
            else:
                assert run_id is not None  # column notices are decided after a crawl run
                key = idempotency_key(site_id, run_id, recipient, channel, first_event)
            row = AlertDelivery(
                site_id=site_id,
                unit=recipient,
                channel=channel,
                idempotency_key=key,
                subject=subject,
                payload=_payload(channel, digest, unit, options, key),
                status="pending",
                run_id=run_id,
            )
            session.add(row)
            rows.append(row)
        session.flush()
        for g in group:
            if g.event is not None:
                g.event.delivery_id = rows[0].id
        plan.digests.append((digest, available))
        plan.deliveries.extend(rows)
        logger.debug("alerts: digest for %s covers %s", recipient, names)
    return plan


def unreached_text(count: int) -> str:
    """The one sentence for findings nobody can hear of (log and ``scrapy alerts``)."""
    return (
        f"{count} findings have no reachable recipient: give their unit, defaults.unit or "
        "site.webmaster an email or WeCom contact; they are told once one exists"
    )


def site_idempotency_key(site_key: str, unit: str, channel: str) -> str:
    """``site:<site>:<first down run>:<kind>:<unit>:<channel>``: one notice per outage."""
    return f"{site_key}:{hashlib.sha256(unit.encode('utf-8')).hexdigest()[:16]}:{channel}"


def _log_dry_run(plan: Plan) -> None:
    for row in plan.deliveries:
        parts = row.payload.get("parts") or [row.payload.get("text", "")]
        logger.info(
            "alerts (dry run, not sent): %s digest for %s, %d part(s): %s\n%s",
            row.channel,
            row.unit,
            len(parts),
            row.subject,
            "\n---\n".join(parts),
        )


def plan(
    *,
    settings: Any,
    config: SiteConfig,
    session_factory: sessionmaker[Session],
    run_id: int | None = None,
    today: dt.date,
    commit: bool = False,
) -> Plan:
    """Decide and render what is due after ``run_id`` (default: the site's latest run).

    With ``commit=False`` (previews, dry runs) everything is rolled back: nothing is
    recorded as decided, so the real run later still sends it.
    """
    options = AlertOptions.from_settings(settings)
    channels = make_channels(options)
    with session_factory() as session:
        if run_id is None:
            site_id = find_site_id(session, config)
            latest = latest_run(session, site_id) if site_id is not None else None
            if latest is None:
                return Plan()
            run_id = latest.id
        run = session.get(CrawlRun, run_id)
        if run is None:
            raise ValueError(f"no crawl run {run_id}")
        decided = decide(
            session,
            config=config,
            site_id=run.site_id,
            run_id=run_id,
            today=today,
            remind_days=options.remind_days,
            escalate_after=options.escalate_after,
            reach=Reach(config, channels),
        )
        result = _write_outbox(
            session,
            decided.decisions,
            config=config,
            site_id=run.site_id,
            run_id=run_id,
            today=today,
            options=options,
            channels=channels,
        )
        result.unreached = decided.unreached
        if decided.unreached:
            logger.warning("alerts: %s", unreached_text(decided.unreached))
        if commit:
            session.commit()
        else:
            session.rollback()
        result.pending = [
            {
                "id": r.id,
                "unit": r.unit,
                "channel": r.channel,
                "status": r.status,
                "attempts": r.attempts,
                "subject": r.subject,
                "last_error": r.last_error,
                "parts": len(r.payload.get("parts", [None])),
                "parts_sent": r.parts_sent,
            }
            for r in session.scalars(
                select(AlertDelivery)
                .where(
                    AlertDelivery.site_id == run.site_id,
                    AlertDelivery.status.in_(("pending", "claimed", "sending", "failed")),
                )
                .order_by(AlertDelivery.id)
            )
        ]
    return result


def after_crawl(
    *,
    settings: Any,
    config: SiteConfig,
    session_factory: sessionmaker[Session],
    run_id: int,
    today: dt.date,
) -> None:
    """Decide, record and (unless ALERTS_DRY_RUN) deliver; log, never raise.

    Called by ``alerts.extension.AlertsExtension`` on ``spider_closed``, once the store
    pipeline committed the run. A failure here must not turn a
    finished crawl into a failed one: the decisions are either committed (and delivered now
    or later) or not (and decided again by the next crawl).
    """
    options = AlertOptions.from_settings(settings)
    if not options.enabled:
        return
    try:
        try:
            result = plan(
                settings=settings,
                config=config,
                session_factory=session_factory,
                run_id=run_id,
                today=today,
                commit=not options.dry_run,
            )
        except IntegrityError:
            logger.info("alerts: another process decided these notifications already")
            result = Plan()
        if options.dry_run:
            _log_dry_run(result)
            return
        if result.deliveries:
            logger.info("alerts: %d digest(s) queued after run %d", len(result.deliveries), run_id)
        deliver_pending(settings=settings, config=config, session_factory=session_factory)
    except Exception:
        logger.exception(
            "alerts: could not process alerts after run %d (the crawl itself is "
            "recorded; `scrapy alerts --send` retries delivery)",
            run_id,
        )


def decide_site_notices(
    decider: Callable[[Session, Reach], tuple[int, list[Decision]] | None],
    what: str,
    *,
    settings: Any,
    config: SiteConfig,
    session_factory: sessionmaker[Session],
    today: dt.date,
) -> None:
    """Record the site notices ``decider`` returns (site id, decisions; ``None``: nothing to
    decide) in one transaction, then deliver them; log, never raise (the probe or link run
    that called is recorded whatever happens here). ``what`` names them in the log."""
    options = AlertOptions.from_settings(settings)
    if not options.enabled:
        return
    channels = make_channels(options)
    try:
        with session_factory() as session:
            decided = decider(session, Reach(config, channels))
            if decided is None:
                return
            site_id, decisions = decided
            result = _write_outbox(
                session,
                decisions,
                config=config,
                site_id=site_id,
                run_id=None,
                today=today,
                options=options,
                channels=channels,
            )
            if options.dry_run:
                session.rollback()
                _log_dry_run(result)
                return
            session.commit()
        if result.deliveries:
            logger.info("alerts: %d %s digest(s) queued", len(result.deliveries), what)
            deliver_pending(settings=settings, config=config, session_factory=session_factory)
    except IntegrityError:
        logger.info("alerts: another process decided these %s notices already", what)
    except Exception:
        logger.exception("alerts: could not process the %s alerts", what)


def after_probe(
    *,
    settings: Any,
    config: SiteConfig,
    session_factory: sessionmaker[Session],
    site_id: int,
    today: dt.date,
) -> None:
    """After an availability probe: warn or alert the webmaster on the week's ratio."""

    def decider(session: Session, reach: Reach) -> tuple[int, list[Decision]]:
        return site_id, availability_notices(session, config, site_id, today, reach)

    decide_site_notices(
        decider,
        "availability",
        settings=settings,
        config=config,
        session_factory=session_factory,
        today=today,
    )


def deliver_pending(
    *,
    settings: Any,
    config: SiteConfig,
    session_factory: sessionmaker[Session],
    now: dt.datetime | None = None,
    channels: Mapping[str, Channel] | None = None,
) -> DeliveryReport:
    """Send every due outbox row of this site; failures stay queued with backoff.

    ``now`` is a naive UTC timestamp (tests move it forward to expire leases and backoff).
    """
    options = AlertOptions.from_settings(settings)
    if options.dry_run:
        logger.info("alerts: ALERTS_DRY_RUN is set; nothing delivered")
        return DeliveryReport()
    with session_factory() as session:
        site_id = find_site_id(session, config)
    if site_id is None:
        return DeliveryReport()
    outbox = Outbox(session_factory, config, options, channels or make_channels(options), now=now)
    report = outbox.run(site_id)
    if report.sent or report.retry or report.failed:
        logger.info(
            "alerts: %d delivered, %d to retry, %d failed, %d waiting",
            len(report.sent),
            len(report.retry),
            len(report.failed),
            len(report.waiting),
        )
    return report
