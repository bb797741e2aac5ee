"""The read side: what commands and the report ask of the store.

Reads the denormalized current state on ``site_column`` (one row per column), so a
listing costs one query however long the history is. ``age_days`` is recomputed for the
day asked about, not copied from the last crawl: a column crawled a week ago is a week
older today.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portalspider.dates import age_days
from portalspider.store.models import Column, CrawlRun, Site
from portalspider.urls import canonical_url as url_key
from portalspider.vocab import GONE, IGNORED, display_rank


def get_site(session: Session, site_url: str) -> Site | None:
    """The site whose home page normalizes to the same key as ``site_url``."""
    return session.scalars(select(Site).where(Site.url_key == url_key(site_url))).one_or_none()


def latest_run(
    session: Session, site_id: int | None, *, outcome: str | None = None, before: int | None = None
) -> CrawlRun | None:
    """The newest crawl run of a site: any (running too), or of one ``outcome``, before run
    ``before`` when given."""
    query = select(CrawlRun).where(CrawlRun.site_id == site_id)
    if outcome is not None:
        query = query.where(CrawlRun.outcome == outcome)
    if before is not None:
        query = query.where(CrawlRun.id < before)
    return session.scalars(query.order_by(CrawlRun.id.desc()).limit(1)).first()


def column_row(column: Column, today: dt.date) -> dict[str, Any]:
    """A column's current state as plain JSON-ready values (the `scrapy columns` contract)."""
    return {
        "url": column.url,
        "name": column.name,
        "path": list(column.path or []),
        "unit": column.unit,
        "category": column.category,
        "status": column.status,
        "last_update": column.last_update.isoformat() if column.last_update else None,
        "threshold_days": column.threshold_days,
        "age_days": age_days(column.last_update, today),
        "stale_since": column.stale_since.isoformat() if column.stale_since else None,
        "runs_in_status": column.runs_in_status,
        "newest_title": column.newest_title,
        "newest_url": column.newest_url,
        "exempt_until": column.exempt_until.isoformat() if column.exempt_until else None,
        "items_30d": column.items_30d,
        "items_90d": column.items_90d,
        "items_365d": column.items_365d,
        "counts_complete": column.counts_complete,
        "min_items": column.min_items,
        "column_id": column.id,
    }


def current_columns(
    session: Session,
    site_url: str,
    today: dt.date,
    statuses: list[str] | None = None,
    *,
    include_gone: bool = False,
) -> list[dict[str, Any]]:
    """Each column's current state, worst status first, then by path and name.

    ``statuses`` filters (e.g. ``["stale", "undated", "blank"]``); columns no longer
    monitored (``gone`` from the site, ``ignored`` by the config) are left out unless asked
    for by status or ``include_gone``.
    Columns created by a run that has not finished yet (never finalized) are not shown.
    An unknown site gives an empty list.
    """
    site = get_site(session, site_url)
    if site is None:
        return []
    stmt = select(Column).where(Column.site_id == site.id, Column.last_seen_run_id.is_not(None))
    if statuses:
        stmt = stmt.where(Column.status.in_(statuses))
    elif not include_gone:
        stmt = stmt.where(Column.status.not_in((GONE, IGNORED)))
    rows = [column_row(c, today) for c in session.scalars(stmt)]
    rows.sort(key=lambda r: (display_rank(r["status"]), r["path"], r["name"], r["url"]))
    return rows
