"""The link check's side of the store: the columns to read, and each run's broken links.

``stored_columns`` gives the ``links`` spider the columns of the latest complete ``portal``
crawl (None when there is none: the spider then discovers them). ``LinkStorePipeline`` is the
``links`` spider's only pipeline: it records one ``link_run`` with its broken links and counts
(home page and other pages apart), and keeps the link findings: one opens for each broken link
on a page that had none open, and one closes (``fixed``) when its page was read again and the
link was not broken. A run that read no page closes nothing (``nothing_checked``). The run id
goes into the stats (``store/link_run_id``), where the alerts extension reads it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from sqlalchemy import select
from sqlalchemy.orm import Session

from portalspider.context import CrawlContext, crawl_context
from portalspider.projectsettings import database_url
from portalspider.store.db import StoreError, open_store
from portalspider.store.linkmodels import BrokenLink, LinkFinding, LinkRun
from portalspider.store.models import Column, Observation, RunOutcome, utcnow
from portalspider.store.pipeline import SitePipeline
from portalspider.store.queries import get_site, latest_run
from portalspider.store.recorder import FINISHED, INCOMPLETE
from portalspider.urls import canonical_url

logger = logging.getLogger(__name__)

NOTHING_CHECKED = "nothing_checked"  # link_run.outcome: no page read (the site down)
FIXED = "fixed"
KEY_SIZE = 700


@dataclass(frozen=True)
class StoredColumn:
    """A column of the latest complete portal crawl: where its list is and who owns it."""

    url: str
    name: str
    path: tuple[str, ...]
    unit: str | None


def latest_columns(session: Session, site_url: str) -> list[StoredColumn] | None:
    """The columns the latest ``finished`` crawl of the site observed, or None."""
    site = get_site(session, site_url)
    run = latest_run(session, site.id, outcome=FINISHED) if site is not None else None
    if run is None:
        return None
    rows = session.execute(
        select(Column.url, Column.name, Column.path, Observation.unit)
        .join(Observation, Observation.column_id == Column.id)
        .where(Observation.run_id == run.id)
        .order_by(Column.id)
    ).all()
    columns = [StoredColumn(url, name, tuple(path or ()), unit) for url, name, path, unit in rows]
    return columns or None


def stored_columns(settings: Any, site_url: str) -> list[StoredColumn] | None:
    """``latest_columns`` from the configured database; None when it cannot be read."""
    try:
        with open_store(database_url(settings), migrate=False) as sessions, sessions() as session:
            return latest_columns(session, site_url)
    except StoreError as exc:
        logger.warning("Store unreadable, columns discovered: %s", exc)
    except Exception as exc:  # e.g. a database never migrated
        logger.info("No stored columns (%s)", (str(exc).splitlines() or ["?"])[0][:200])
    return None


def _key(url: str) -> str:
    return canonical_url(url)[:KEY_SIZE]


def record_findings(
    session: Session,
    site_id: int,
    run: LinkRun,
    broken: list[BrokenLink],
    pages_checked: set[str],
    today: dt.date,
) -> tuple[int, int]:
    """Open a finding per new broken link on a page, close the fixed ones: (opened, closed)."""
    open_rows = session.scalars(
        select(LinkFinding).where(LinkFinding.site_id == site_id, LinkFinding.is_open.is_(True))
    ).all()
    current = {(f.url_key, f.page_key): f for f in open_rows}
    found: set[tuple[str, str]] = set()
    opened = closed = 0
    for row in broken:
        mark = (_key(row.url), _key(row.page_url))
        if mark in found:
            continue
        found.add(mark)
        finding = current.get(mark)
        if finding is None:
            finding = LinkFinding(
                site_id=site_id,
                url_key=mark[0],
                page_key=mark[1],
                url=row.url,
                page_url=row.page_url,
                opened_run_id=run.id,
                opened_on=today,
                is_open=True,
            )
            session.add(finding)
            opened += 1
        finding.text, finding.on_home = row.text, row.on_home
        finding.column_url, finding.unit = row.column_url, row.unit
        finding.http_status, finding.error = row.http_status, row.error
        finding.last_seen_run_id = run.id
    checked = {_key(p) for p in pages_checked}
    for mark, finding in current.items():
        if mark not in found and mark[1] in checked:
            finding.is_open = False
            finding.closed_run_id, finding.closed_on = run.id, today
            finding.resolution = FIXED
            closed += 1
    return opened, closed


class LinkStorePipeline(SitePipeline):
    """Store each ``link`` item of the ``links`` spider in its run; findings at the end."""

    what = "link check"

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.run_id: int | None = None
        self.items: list[dict[str, Any]] = []

    def started(self, session: Session, context: CrawlContext) -> None:
        run = LinkRun(site_id=self.site_id, outcome=RunOutcome.RUNNING, job_id=context.job_id)
        session.add(run)
        session.flush()
        self.run_id = run.id

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        if adapter.get("type") == "link":
            self.items.append(dict(adapter))
        return item

    def close_spider(self) -> None:
        try:
            if self.sessions is not None and self.run_id is not None:
                self._finish()
        finally:
            super().close_spider()

    def _finish(self) -> None:
        context = crawl_context(self.crawler)
        assert context is not None
        assert self.site_id is not None
        spider = self.crawler.spider
        pages: set[str] = set(getattr(spider, "pages_checked", set()))
        stats = self.crawler.stats
        links_checked = sum(
            int(stats.get_value(f"links/{state}", 0) or 0) for state in ("ok", "broken")
        )
        reason = context.discovery.reason
        outcome = FINISHED if pages and not reason else INCOMPLETE if pages else NOTHING_CHECKED
        with self.sessions() as session, session.begin():
            run = session.get(LinkRun, self.run_id)
            rows = [
                BrokenLink(
                    run_id=self.run_id,
                    url=str(i["url"])[:1000],
                    page_url=str(i["page_url"])[:1000],
                    text=i.get("text"),
                    http_status=i.get("http_status"),
                    error=i.get("error"),
                    on_home=bool(i.get("on_home")),
                    column_url=(i.get("column_url") or None) and str(i["column_url"])[:1000],
                    unit=i.get("unit"),
                )
                for i in self.items
            ]
            session.add_all(rows)
            run.outcome = outcome
            run.incomplete_reason = reason
            run.finished_at = utcnow()
            run.home_checked = bool(getattr(spider, "home_checked", False))
            run.pages_checked = len(pages)
            run.links_checked = links_checked
            run.broken_home = sum(1 for r in rows if r.on_home)
            run.broken_other = sum(1 for r in rows if not r.on_home)
            opened = closed = 0
            if outcome != NOTHING_CHECKED:
                opened, closed = record_findings(
                    session, self.site_id, run, rows, pages, context.today
                )
            run.stats = {"findings_opened": opened, "findings_closed": closed}
            home, other = run.broken_home, run.broken_other
        if stats is not None:
            stats.set_value("store/link_run_id", self.run_id)
        logger.info(
            "LINKS site=%s outcome=%s pages=%d links=%d broken_home=%d broken_other=%d "
            "findings opened=%d closed=%d run_id=%s",
            context.config.name,
            outcome,
            len(pages),
            links_checked,
            home,
            other,
            opened,
            closed,
            self.run_id,
        )
