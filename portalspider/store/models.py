"""Typed SQLAlchemy 2.x models: the memory of every crawl.

A column's identity is its normalized URL within a site (its name and path may change).
A *finding* is one problem episode (stale / undated / blank) of one column, from the run
that first saw it to the run that saw it fixed (or the column gone); alerts hang their
deliveries on findings.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names, so Alembic migrations behave the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class RunOutcome(StrEnum):
    """``crawl_run.outcome``: the run is under way / saw the whole site / did not (reason
    stored) / was stopped by a signal / found the home page down / could not be recorded."""

    RUNNING = "running"
    FINISHED = "finished"
    INCOMPLETE = "incomplete"
    STOPPED = "stopped"
    SITE_DOWN = "site_down"
    FAILED = "failed"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON, list[Any]: JSON}  # noqa: RUF012


class Site(Base):
    """A portal, identified by the normalized URL of its home page."""

    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    url_key: Mapped[str] = mapped_column(String(500), unique=True)
    url: Mapped[str] = mapped_column(String(1000))
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    columns: Mapped[list[Column]] = relationship(back_populates="site")
    runs: Mapped[list[CrawlRun]] = relationship(back_populates="site")


class Unit(Base):
    """A responsible unit (责任单位) of a site; contacts stay in the site config."""

    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("site_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))


class CrawlRun(Base):
    """One crawl of one site."""

    __tablename__ = "crawl_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    outcome: Mapped[str] = mapped_column(String(20), default=RunOutcome.RUNNING)  # RunOutcome
    # Why an incomplete or stopped run did not see the whole site (SUMMARY, report, alerts).
    incomplete_reason: Mapped[str | None] = mapped_column(Text)
    site_status: Mapped[str | None] = mapped_column(String(10))  # up | down
    job_id: Mapped[str | None] = mapped_column(String(100))  # scrapyd job id
    stats: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # Scrapy stats (JSON-safe)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # counts by status/unit, findings

    site: Mapped[Site] = relationship(back_populates="runs")


class Column(Base):
    """A column (栏目) of a site, with its current state denormalized for fast reads."""

    __tablename__ = "site_column"
    __table_args__ = (UniqueConstraint("site_id", "url_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), index=True)
    url_key: Mapped[str] = mapped_column(String(700))
    url: Mapped[str] = mapped_column(String(1000))
    name: Mapped[str] = mapped_column(String(300))
    path: Mapped[list[str]] = mapped_column(JSON, default=list)
    category: Mapped[str] = mapped_column(String(20), default="other")
    unit: Mapped[str | None] = mapped_column(String(200))
    threshold_days: Mapped[int | None] = mapped_column(Integer)
    # ok | warning | sparse | stale | blank | undated | unreachable | gone | ignored
    status: Mapped[str] = mapped_column(String(20), default="ok")
    last_update: Mapped[dt.date | None] = mapped_column(Date)
    newest_title: Mapped[str | None] = mapped_column(Text)
    newest_url: Mapped[str | None] = mapped_column(String(1000))
    status_since_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"))
    runs_in_status: Mapped[int] = mapped_column(Integer, default=0)
    stale_since: Mapped[dt.date | None] = mapped_column(Date)  # first day stale, else null
    first_seen_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"))
    last_seen_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"))
    exempt_until: Mapped[dt.date | None] = mapped_column(Date)
    # Update volume (issue 10): list items dated within the last 30/90/365 days; lower
    # bounds when ``counts_complete`` is false; null when the list shows no dates.
    items_30d: Mapped[int | None] = mapped_column(Integer)
    items_90d: Mapped[int | None] = mapped_column(Integer)
    items_365d: Mapped[int | None] = mapped_column(Integer)
    counts_complete: Mapped[bool | None] = mapped_column(Boolean)
    # The 更新较少 rule judged with and what it counted: {count, days, items}; null: no rule.
    min_items: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    site: Mapped[Site] = relationship(back_populates="columns")


class Observation(Base):
    """What one run saw of one column."""

    __tablename__ = "observation"
    __table_args__ = (UniqueConstraint("run_id", "column_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_run.id", ondelete="CASCADE"), index=True)
    column_id: Mapped[int] = mapped_column(
        ForeignKey("site_column.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str | None] = mapped_column(String(200))
    threshold_days: Mapped[int | None] = mapped_column(Integer)
    last_update: Mapped[dt.date | None] = mapped_column(Date)
    age_days: Mapped[int | None] = mapped_column(Integer)
    newest_title: Mapped[str | None] = mapped_column(Text)
    newest_url: Mapped[str | None] = mapped_column(String(1000))
    items_found: Mapped[int] = mapped_column(Integer, default=0)
    date_source: Mapped[str | None] = mapped_column(String(20))
    http_status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    # Update volume (issue 10): list items dated within the last 30/90/365 days; lower
    # bounds when ``counts_complete`` is false; null when the list shows no dates.
    items_30d: Mapped[int | None] = mapped_column(Integer)
    items_90d: Mapped[int | None] = mapped_column(Integer)
    items_365d: Mapped[int | None] = mapped_column(Integer)
    counts_complete: Mapped[bool | None] = mapped_column(Boolean)
    # The 更新较少 rule judged with and what it counted: {count, days, items}; null: no rule.
    min_items: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Finding(Base):
    """One problem episode of one column: opened by the first run that saw it."""

    __tablename__ = "finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), index=True)
    column_id: Mapped[int] = mapped_column(
        ForeignKey("site_column.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # stale | undated | blank (latest seen) | sparse
    unit: Mapped[str | None] = mapped_column(String(200))
    opened_run_id: Mapped[int] = mapped_column(ForeignKey("crawl_run.id"))
    opened_on: Mapped[dt.date] = mapped_column(Date)  # Asia/Shanghai date
    closed_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"))
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    # fixed | gone | ignored | superseded (sparse → not updated: a new episode, no fix)
    resolution: Mapped[str | None] = mapped_column(String(20))
    is_open: Mapped[bool] = mapped_column(Boolean, default=True, index=True)


class AlertEvent(Base):
    """A lifecycle notification decided for one column: recorded once, never decided twice.

    ``episode_key`` ties it to a finding (``finding:<id>``) or a warning episode
    (``warning:<column_id>:<since-run-id>``); ``seq`` numbers reminders.
    """

    __tablename__ = "alert_event"
    __table_args__ = (UniqueConstraint("column_id", "episode_key", "kind", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), index=True)
    column_id: Mapped[int] = mapped_column(ForeignKey("site_column.id", ondelete="CASCADE"))
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("finding.id", ondelete="CASCADE"))
    episode_key: Mapped[str] = mapped_column(String(100))
    # pre_alert | alert | reminder | escalation | resolved
    kind: Mapped[str] = mapped_column(String(20))
    seq: Mapped[int] = mapped_column(Integer, default=0)
    unit: Mapped[str | None] = mapped_column(String(200))  # who is told
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("alert_delivery.id"))


class AlertDelivery(Base):
    """The outbox: one rendered digest for one unit on one channel.

    Written in the transaction that decides it; marked sent only after the channel
    confirms. ``idempotency_key`` is unique so a retry can never create a second copy.
    Holds no secrets: channel targets are resolved from the site config at send time.
    """

    __tablename__ = "alert_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), index=True)
    unit: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20))  # email | wecom_robot | wecom_app
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    subject: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # rendered parts for the channel
    # pending | sending | sent | failed (permanent)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    parts_sent: Mapped[int] = mapped_column(Integer, default=0)  # multi-part WeCom digests
    last_error: Mapped[str | None] = mapped_column(Text)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Probe(Base):
    """One probe of a site's home page (``scrapy crawl availability``): 站点无法访问 history."""

    __tablename__ = "probe"
    __table_args__ = (Index("ix_probe_site_id_checked_at", "site_id", "checked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    checked_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)  # UTC
    url: Mapped[str] = mapped_column(String(1000))
    ok: Mapped[bool] = mapped_column(Boolean)
    http_status: Mapped[int | None] = mapped_column(Integer)
    elapsed_ms: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)


class MessageCheck(Base):
    """One run's reading of one consultation (or 征集调查) column: 互动回应差 (issue 11.4)."""

    __tablename__ = "message_check"
    __table_args__ = (UniqueConstraint("run_id", "column_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_run.id", ondelete="CASCADE"), index=True)
    column_id: Mapped[int] = mapped_column(
        ForeignKey("site_column.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # letters | solicitations
    read: Mapped[bool] = mapped_column(Boolean)  # its list showed letters (征集) to judge
    messages: Mapped[int] = mapped_column(Integer, default=0)  # within the last 365 days
    overdue: Mapped[int] = mapped_column(Integer, default=0)  # overdue / without 结果反馈
    unknown: Mapped[int] = mapped_column(Integer, default=0)  # reply date not established
    median_days: Mapped[float | None] = mapped_column(Float)
    reply_days: Mapped[int] = mapped_column(Integer, default=90)
    complete: Mapped[bool] = mapped_column(Boolean, default=True)  # the year's pages all read


class Message(Base):
    """One letter (or 征集) as one run saw it: the history of its reply."""

    __tablename__ = "message"
    __table_args__ = (UniqueConstraint("run_id", "column_id", "url_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_run.id", ondelete="CASCADE"), index=True)
    column_id: Mapped[int] = mapped_column(
        ForeignKey("site_column.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # letter | solicitation
    url_key: Mapped[str] = mapped_column(String(700))
    url: Mapped[str] = mapped_column(String(1000))
    title: Mapped[str] = mapped_column(Text)
    asked: Mapped[dt.date | None] = mapped_column(Date)  # a 征集's start
    replied: Mapped[dt.date | None] = mapped_column(Date)
    days: Mapped[int | None] = mapped_column(Integer)
    # answered | late | unanswered | pending | unknown | open | feedback | no_feedback
    status: Mapped[str] = mapped_column(String(20))
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    ends: Mapped[dt.date | None] = mapped_column(Date)
    feedback_url: Mapped[str | None] = mapped_column(String(1000))


class PolicyDoc(Base):
    """A policy document of a site and its interpretation link, as last checked (解读回应)."""

    __tablename__ = "policy_doc"
    __table_args__ = (UniqueConstraint("site_id", "url_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), index=True)
    url_key: Mapped[str] = mapped_column(String(700))
    url: Mapped[str] = mapped_column(String(1000))
    title: Mapped[str] = mapped_column(Text)
    date: Mapped[dt.date | None] = mapped_column(Date)
    column_id: Mapped[int | None] = mapped_column(
        ForeignKey("site_column.id", ondelete="SET NULL"), index=True
    )
    unit: Mapped[str | None] = mapped_column(String(200))
    # two_way | doc_only | interp_only | missing | unverified (portalspider.interpretation)
    state: Mapped[str] = mapped_column(String(20))
    interpretation_url: Mapped[str | None] = mapped_column(String(1000))
    linked_back: Mapped[bool | None] = mapped_column(Boolean)
    linked_forward: Mapped[bool] = mapped_column(Boolean, default=False)
    first_seen_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"))
    last_checked_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"))
    state_since_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"))


class PolicyCheck(Base):
    """What one run found for one policy document (the history behind ``PolicyDoc``)."""

    __tablename__ = "policy_check"
    __table_args__ = (UniqueConstraint("run_id", "doc_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_run.id", ondelete="CASCADE"), index=True)
    doc_id: Mapped[int] = mapped_column(ForeignKey("policy_doc.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    interpretation_url: Mapped[str | None] = mapped_column(String(1000))
    linked_back: Mapped[bool | None] = mapped_column(Boolean)
    linked_forward: Mapped[bool] = mapped_column(Boolean, default=False)


# The link check's tables live in their own module, registered on the same metadata.
from portalspider.store import linkmodels as _linkmodels  # noqa: E402, F401
