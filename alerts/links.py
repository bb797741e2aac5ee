"""链接可用性: each broken link is told once to the unit that owns its page, and again when fixed.

After each ``links`` run (``store/link_run_id`` in the stats, read by the alerts extension),
the link findings that run opened are told to their unit (the column's stored unit, the
webmaster for the home page; the first of owner, ``defaults.unit`` and webmaster that has a
contact), and the ones it closed as fixed are told as resolved. One digest per recipient and
run: its outbox key names the site, the run and the recipient, so nothing is told twice, and a
finding is opened (and closed) by one run only. A run that read no page closes nothing (the
store), so it tells no false "fixed" either.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from alerts.digest import Notice
from alerts.lifecycle import Decision
from alerts.recipients import Reach
from alerts.service import decide_site_notices
from portalspider.siteconfig import SiteConfig
from portalspider.store.linkmodels import LinkFinding, LinkRun
from portalspider.vocab import broken_link_reason

logger = logging.getLogger(__name__)

BROKEN, FIXED = "link_broken", "link_fixed"


def _notice(findings: list[LinkFinding], kind: str) -> Notice:
    """One notice per broken URL: a menu link broken on every page is one thing to fix."""
    first = findings[0]
    reason = broken_link_reason(first.http_status, first.error)
    where = "首页" if first.on_home else "页面"
    pages = f"{where} {first.page_url}"
    if len(findings) > 1:
        pages += f" 等{len(findings)}个页面"
    return Notice(
        kind=kind,
        column_id=0,
        name=first.text or first.url,
        url=first.url,
        status="unreachable",
        owner_unit=first.unit,
        since=first.opened_on,
        detail=f"{pages}上的链接；{reason}",
    )


def link_notices(
    session: Session, config: SiteConfig, site_id: int, run_id: int, reach: Reach
) -> list[Decision]:
    """The alerts (opened) and resolved notices (closed) of one link run: per recipient, one
    notice per broken URL (with the pages that show it)."""
    run = session.get(LinkRun, run_id)
    if run is None or run.site_id != site_id:
        return []
    findings = session.scalars(
        select(LinkFinding)
        .where(
            LinkFinding.site_id == site_id,
            or_(LinkFinding.opened_run_id == run_id, LinkFinding.closed_run_id == run_id),
        )
        .order_by(LinkFinding.on_home.desc(), LinkFinding.id)
    ).all()
    groups: dict[tuple[str, str, str], list[LinkFinding]] = {}
    unreached = 0
    for finding in findings:
        kind = FIXED if finding.closed_run_id == run_id else BROKEN
        recipient = reach.owner_or_fallback(finding.unit)
        if recipient is None:
            unreached += 1
            continue
        groups.setdefault((recipient, kind, finding.url_key), []).append(finding)
    if unreached:
        logger.warning(
            "alerts: %d broken-link notice(s) have no reachable recipient: give their unit, "
            "defaults.unit or site.webmaster an email or WeCom contact",
            unreached,
        )
    key = f"links:{site_id}:{run_id}"
    return [
        Decision(None, _notice(group, kind), recipient, site_key=key)
        for (recipient, kind, _), group in groups.items()
    ]


def after_links(
    *,
    settings: Any,
    config: SiteConfig,
    session_factory: sessionmaker[Session],
    run_id: int,
    today: dt.date,
) -> None:
    """After a ``links`` run: record and deliver its notices."""

    def decider(session: Session, reach: Reach) -> tuple[int, list[Decision]] | None:
        run = session.get(LinkRun, run_id)
        if run is None:
            return None
        return run.site_id, link_notices(session, config, run.site_id, run_id, reach)

    decide_site_notices(
        decider,
        "broken-link",
        settings=settings,
        config=config,
        session_factory=session_factory,
        today=today,
    )
