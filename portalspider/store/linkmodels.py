"""The link check's tables (``scrapy crawl links``, 链接可用性): runs, broken links, findings.

A ``link_run`` is one run of the ``links`` spider (never a ``crawl_run``: the column reports
read those). Each broken link it found is a ``broken_link`` row of that run (the history, per
run); ``broken_home`` and ``broken_other`` count them apart, as the indicator scores them.
A ``link_finding`` is one episode of one broken link on one page: opened by the first run
that found it, closed (``fixed``) by the first run that read that page again and found the
link working; the alerts tell its unit once, and once more when it is fixed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portalspider.store.models import Base, RunOutcome, utcnow


class LinkRun(Base):
    """One run of the ``links`` spider."""

    __tablename__ = "link_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # running | finished | incomplete | nothing_checked | failed
    outcome: Mapped[str] = mapped_column(String(20), default=RunOutcome.RUNNING)
    incomplete_reason: Mapped[str | None] = mapped_column(Text)
    job_id: Mapped[str | None] = mapped_column(String(100))
    home_checked: Mapped[bool] = mapped_column(Boolean, default=False)
    pages_checked: Mapped[int] = mapped_column(Integer, default=0)
    links_checked: Mapped[int] = mapped_column(Integer, default=0)  # distinct URLs settled
    broken_home: Mapped[int] = mapped_column(Integer, default=0)  # broken links on the home page
    broken_other: Mapped[int] = mapped_column(Integer, default=0)  # on every other page
    stats: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class BrokenLink(Base):
    """One broken link on one page, as one run found it."""

    __tablename__ = "broken_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("link_run.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(1000))
    page_url: Mapped[str] = mapped_column(String(1000))
    text: Mapped[str | None] = mapped_column(Text)
    http_status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    on_home: Mapped[bool] = mapped_column(Boolean, default=False)
    column_url: Mapped[str | None] = mapped_column(String(1000))
    unit: Mapped[str | None] = mapped_column(String(200))


class LinkFinding(Base):
    """One episode of one broken link on one page (its URL key and its page's)."""

    __tablename__ = "link_finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), index=True)
    url_key: Mapped[str] = mapped_column(String(700))
    page_key: Mapped[str] = mapped_column(String(700))
    url: Mapped[str] = mapped_column(String(1000))
    page_url: Mapped[str] = mapped_column(String(1000))
    text: Mapped[str | None] = mapped_column(Text)
    on_home: Mapped[bool] = mapped_column(Boolean, default=False)
    column_url: Mapped[str | None] = mapped_column(String(1000))
    unit: Mapped[str | None] = mapped_column(String(200))
    http_status: Mapped[int | None] = mapped_column(Integer)  # the latest run's answer
    error: Mapped[str | None] = mapped_column(Text)
    opened_run_id: Mapped[int] = mapped_column(ForeignKey("link_run.id"))
    opened_on: Mapped[dt.date] = mapped_column(Date)  # Asia/Shanghai date
    last_seen_run_id: Mapped[int] = mapped_column(ForeignKey("link_run.id"))
    closed_run_id: Mapped[int | None] = mapped_column(ForeignKey("link_run.id"))
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    resolution: Mapped[str | None] = mapped_column(String(20))  # fixed
    is_open: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
