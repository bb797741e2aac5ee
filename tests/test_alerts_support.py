"""Shared helpers for the alerts tests: a real SQLite store and a tiny stand-in recorder.

The recorder here only does what the alerts read (columns' current state, findings opened
and closed, the run's ``summary["today"]``), so lifecycle tests can walk through days
without crawling.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.settings import Settings
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from portalspider.siteconfig import SiteConfig, UnitConfig
from portalspider.store.db import make_engine, session_factory
from portalspider.store.models import Base, Column, CrawlRun, Finding, Site
from portalspider.urls import canonical_url as url_key

SITE_URL = "http://127.0.0.1:8765/"
PROBLEMS = {"stale", "undated", "blank"}


def make_sessions(tmp_path: Path) -> sessionmaker[Session]:
    engine = make_engine(f"sqlite:///{tmp_path / 'alerts.db'}")
    Base.metadata.create_all(engine)
    return session_factory(engine)


def alert_settings(**overrides: Any) -> Settings:
    base = {
        "ALERTS_ENABLED": True,
        "ALERTS_DRY_RUN": False,
        "ALERTS_SMTP_HOST": "127.0.0.1",
        "ALERTS_SMTP_PORT": 1,  # nothing listens: tests pass the sink's port
        "ALERTS_MAIL_FROM": "portalspider@example.gov.cn",
        "ALERTS_SMTP_TIMEOUT": 5,
        "ALERTS_WECOM_RATE_WINDOW": 1,
        "ALERTS_WECOM_RETRY_WAIT": 0.05,
        "ALERTS_RETRY_BACKOFF": 0,
        "ALERTS_WECOM_TIMEOUT": 5,
    }
    base.update(overrides)
    return Settings(base)


def site_config(units: list[UnitConfig], **kw: Any) -> SiteConfig:
    return SiteConfig(
        path="site.yaml",
        name="青溪县人民政府",
        url=SITE_URL,
        units=units,
        default_unit=kw.pop("default_unit", "县政府办"),
        **kw,
    )


@dataclass
class World:
    """One site in the DB, crawled on demand with the column states a test dictates."""

    sessions: sessionmaker[Session]
    site_id: int = 0
    columns: dict[str, int] = field(default_factory=dict)

    @classmethod
    def create(cls, sessions: sessionmaker[Session]) -> World:
        with sessions() as s, s.begin():
            site = Site(url_key=url_key(SITE_URL), url=SITE_URL, name="青溪县人民政府")
            s.add(site)
            s.flush()
            return cls(sessions, site.id)

    def crawl(self, today: dt.date, states: dict[str, dict[str, Any]]) -> int:
        """Record a run on ``today``; ``states`` maps column name to its fields this run.

        Each state needs ``status`` and ``unit``; optional ``last_update``, ``threshold_days``,
        ``path``, ``exempt_until``. Findings open/close the way the store does it.
        """
        with self.sessions() as s, s.begin():
            run = CrawlRun(
                site_id=self.site_id,
                outcome="finished",
                site_status="up",
                summary={"today": today.isoformat()},
            )
            s.add(run)
            s.flush()
            for name, state in states.items():
                col = self._column(s, name, run.id, state)
                changed = col.status != state["status"]
                col.status = state["status"]
                col.unit = state["unit"]
                col.threshold_days = state.get("threshold_days", 14)
                col.last_update = state.get("last_update")
                col.exempt_until = state.get("exempt_until")
                col.newest_title = state.get("newest_title", f"{name}的最新文章")
                col.newest_url = f"{SITE_URL}{name}/art1.html"
                col.last_seen_run_id = run.id
                if changed:
                    col.status_since_run_id = run.id
                self._findings(s, col, run.id, today)
            return run.id

    def _column(self, s: Session, name: str, run_id: int, state: dict[str, Any]) -> Column:
        if name in self.columns:
            return s.get(Column, self.columns[name])
        url = f"{SITE_URL}{state.get('slug', name)}/"
        col = Column(
            site_id=self.site_id,
            url_key=url_key(url),
            url=url,
            name=name,
            path=state.get("path", ["政务公开"]),
            status="new",
            first_seen_run_id=run_id,
        )
        s.add(col)
        s.flush()
        self.columns[name] = col.id
        return col

    def _findings(self, s: Session, col: Column, run_id: int, today: dt.date) -> None:
        open_ = s.scalar(select(Finding).where(Finding.column_id == col.id, Finding.is_open))
        if col.status in PROBLEMS and open_ is None:
            s.add(
                Finding(
                    site_id=self.site_id,
                    column_id=col.id,
                    kind=col.status,
                    unit=col.unit,
                    opened_run_id=run_id,
                    opened_on=today,
                )
            )
        elif col.status in {"ok", "warning"} and open_ is not None:
            open_.is_open = False
            open_.closed_run_id = run_id
            open_.closed_on = today
            open_.resolution = "fixed"
