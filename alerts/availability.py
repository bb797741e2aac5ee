"""站点无法访问 before it happens: the webmaster hears when probes fail too often.

After each probe (``scrapy crawl availability``), the failure ratio of the stored probes of
the last week (``portalspider.verdict.Availability``) *warns* the webmaster at 3 % and
*alerts* at the indicator's 5 %. A level is told at most once per ISO week while it lasts
(its outbox key names the site, level and week, and its uniqueness settles two processes
racing); an alert makes that week's warning moot. Fewer than a day's probes (20) decide
nothing: two failures of the first three probes are no ratio yet.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.digest import Notice
from alerts.lifecycle import Decision
from alerts.recipients import Reach, webmaster_name
from portalspider.siteconfig import SiteConfig
from portalspider.store.models import AlertDelivery
from portalspider.store.probes import availability
from portalspider.verdict import PROBES_PER_DAY

logger = logging.getLogger(__name__)

KINDS = {"warn": "availability_warn", "alert": "availability_alert"}


def _week_key(site_id: int, level: str, today: dt.date) -> str:
    year, week, _ = today.isocalendar()
    return f"availability:{site_id}:{year}-W{week:02d}:{level}"


def _told(session: Session, site_id: int, key: str) -> bool:
    return (
        session.scalar(
            select(AlertDelivery.id)
            .where(AlertDelivery.site_id == site_id, AlertDelivery.idempotency_key.like(f"{key}:%"))
            .limit(1)
        )
        is not None
    )


def availability_notices(
    session: Session, config: SiteConfig, site_id: int, today: dt.date, reach: Reach
) -> list[Decision]:
    """The warning or alert due for the week's probes (at most one), for the webmaster."""
    window = availability(session, config.url, today)
    if window is None or window.probes < PROBES_PER_DAY or window.level is None:
        return []
    level = window.level
    key = _week_key(site_id, level, today)
    if _told(session, site_id, key) or (
        level == "warn" and _told(session, site_id, _week_key(site_id, "alert", today))
    ):
        return []
    recipient = webmaster_name(config)
    if recipient is None or not reach.reachable(recipient):
        logger.warning(
            "alerts: %s; nobody can be told: give site.webmaster (or the defaults.unit "
            "unit) an email or WeCom contact",
            window.text,
        )
        return []
    notice = Notice(
        kind=KINDS[level],
        column_id=0,
        name=config.name,
        url=config.url,
        status="unreachable",
        since=today,
        detail=window.text,
    )
    return [Decision(None, notice, recipient, site_key=key)]
