"""The probe side of the store: each availability probe kept, and the week read back.

``ProbePipeline`` is the ``availability`` spider's only pipeline: it records probes, never a
crawl run (a probe every 30 minutes must not look like a crawl that found no columns). Its
results go into the stats (``store/probe_id``, ``store/site_id``) where the alerts extension
reads them, as it reads ``store/run_id`` after a portal crawl.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from itemadapter import ItemAdapter
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portalspider.dates import days_window
from portalspider.projectsettings import database_url
from portalspider.store.db import StoreError, open_store
from portalspider.store.models import Probe, utcnow
from portalspider.store.pipeline import SitePipeline
from portalspider.store.queries import get_site
from portalspider.verdict import PROBE_WINDOW_DAYS, Availability

logger = logging.getLogger(__name__)


def availability(session: Session, site_url: str, today: dt.date) -> Availability | None:
    """Probes and failures of the ``PROBE_WINDOW_DAYS`` days up to *today* (the judging date,
    ``dates.days_window``); None for an unknown site."""
    site = get_site(session, site_url)
    if site is None:
        return None
    since, until = days_window(today, PROBE_WINDOW_DAYS)
    total, failed = session.execute(
        select(func.count(Probe.id), func.count(Probe.id).filter(Probe.ok.is_(False))).where(
            Probe.site_id == site.id, Probe.checked_at >= since, Probe.checked_at < until
        )
    ).one()
    return Availability(probes=int(total or 0), failures=int(failed or 0))


def read_availability(
    settings: Any, site_url: str, today: dt.date
) -> tuple[Availability | None, str | None]:
    """``availability`` from the configured database: (window, None) or (None, one-line error)."""
    try:
        with open_store(database_url(settings), migrate=False) as sessions, sessions() as session:
            return availability(session, site_url, today), None
    except StoreError as exc:
        return None, str(exc)
    except Exception as exc:  # e.g. a database never migrated: no probe table
        return None, (str(exc).splitlines() or [type(exc).__name__])[0][:200]


class ProbePipeline(SitePipeline):
    """Store each ``probe`` item of the ``availability`` spider, with its site."""

    what = "probe"

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        if adapter.get("type") != "probe" or self.sessions is None or self.site_id is None:
            return item
        with self.sessions() as session, session.begin():
            probe = Probe(
                site_id=self.site_id,
                checked_at=utcnow(),
                url=str(adapter["url"])[:1000],
                ok=bool(adapter["ok"]),
                http_status=adapter.get("http_status"),
                elapsed_ms=adapter.get("elapsed_ms"),
                error=adapter.get("error"),
            )
            session.add(probe)
            session.flush()
            probe_id = probe.id
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("store/probe_id", probe_id)
            self.crawler.stats.set_value("store/site_id", self.site_id)
        return item
