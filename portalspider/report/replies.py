"""The report's 互动回应 section: consultation and 征集 columns of the latest check.

Read from the store (``message_check``, ``message``) as of the latest finished run that
checked messages: per column the letters of the last year, the overdue ones, the median
days to a reply; per 征集 column those ended without 结果反馈; and the overdue lists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from portalspider.store.models import Column, CrawlRun, Message, MessageCheck, RunOutcome, Site
from portalspider.vocab import message_problem

NO_UNIT = "未指定责任单位"

#: A message's ``status`` in words.
MESSAGE_STATUS_LABELS = {
    "answered": "已按时答复",
    "late": "超期答复",
    "unanswered": "超期未答复",
    "pending": "办理中（未超期）",
    "unknown": "答复时间未知",
    "open": "征集中",
    "feedback": "已反馈结果",
    "no_feedback": "已结束未反馈结果",
}


@dataclass(frozen=True)
class ReplyColumn:
    name: str
    path: list[str]
    url: str
    unit: str
    kind: str  # letters | solicitations
    read: bool
    messages: int
    overdue: int
    unknown: int
    median_days: float | None
    reply_days: int
    complete: bool

    @property
    def kind_label(self) -> str:
        return "政务咨询" if self.kind == "letters" else "调查征集"

    @property
    def path_text(self) -> str:
        parts = [*self.path]
        if not parts or parts[-1] != self.name:
            parts.append(self.name)
        return " > ".join(parts)

    @property
    def problem(self) -> str | None:
        """The column's 互动回应差 problem (``vocab.message_problem``): counted in its unit's
        problems like the crawl's SUMMARY counts it, listed in this section."""
        return message_problem(self.kind, self.read, self.overdue)

    @property
    def median_text(self) -> str:
        return "—" if self.median_days is None else f"{self.median_days:g} 天"

    @property
    def note(self) -> str:
        if not self.read:
            return "未识别出留言（征集）列表，未判定"
        return "" if self.complete else "列表页未读完近一年，数量为下限"


@dataclass(frozen=True)
class OverdueMessage:
    column: str
    unit: str
    url: str
    title: str
    kind: str  # letter | solicitation
    asked: dt.date | None
    replied: dt.date | None
    ends: dt.date | None
    days: int | None
    status: str

    @property
    def status_label(self) -> str:
        return MESSAGE_STATUS_LABELS.get(self.status, self.status)

    @property
    def problem(self) -> str:
        """The problem in words, as a 自查报告 states it."""
        if self.kind == "solicitation":
            ends = self.ends.isoformat() if self.ends else "—"
            return f"征集已于{ends}结束，未发布结果反馈"
        asked = self.asked.isoformat() if self.asked else "—"
        if self.status == "late":
            return f"留言{asked}，{self.days}天后才答复"
        return f"留言{asked}，已{self.days}天未答复"


@dataclass
class Replies:
    checked_on: dt.date | None = None
    columns: list[ReplyColumn] = field(default_factory=list)
    overdue: list[OverdueMessage] = field(default_factory=list)

    @property
    def letters(self) -> list[OverdueMessage]:
        return [m for m in self.overdue if m.kind == "letter"]

    @property
    def solicitations(self) -> list[OverdueMessage]:
        return [m for m in self.overdue if m.kind == "solicitation"]


def build_replies(session: Session, site: Site, default_unit: str | None = None) -> Replies:
    """The latest run's message checks (a run that checked none shows the one before)."""
    run = session.scalars(
        select(CrawlRun)
        .join(MessageCheck, MessageCheck.run_id == CrawlRun.id)
        .where(CrawlRun.site_id == site.id, CrawlRun.outcome != RunOutcome.RUNNING)
        .order_by(CrawlRun.id.desc())
        .limit(1)
    ).first()
    if run is None:
        return Replies()
    summary = run.summary or {}
    checked_on = None
    if isinstance(summary, dict) and summary.get("today"):
        checked_on = dt.date.fromisoformat(str(summary["today"]))
    out = Replies(checked_on=checked_on)
    names: dict[int, tuple[str, str]] = {}
    for check, column in session.execute(
        select(MessageCheck, Column)
        .join(Column, Column.id == MessageCheck.column_id)
        .where(MessageCheck.run_id == run.id)
        .order_by(MessageCheck.kind, Column.name)
    ):
        unit = column.unit or default_unit or NO_UNIT
        row = ReplyColumn(
            name=column.name,
            path=list(column.path or []),
            url=column.url,
            unit=unit,
            kind=check.kind,
            read=check.read,
            messages=check.messages,
            overdue=check.overdue,
            unknown=check.unknown,
            median_days=check.median_days,
            reply_days=check.reply_days,
            complete=check.complete,
        )
        names[column.id] = (row.path_text, unit)
        out.columns.append(row)
    for message in session.scalars(
        select(Message)
        .where(Message.run_id == run.id, Message.overdue.is_(True))
        .order_by(Message.kind, Message.asked, Message.id)
    ):
        column_text, unit = names.get(message.column_id, ("", NO_UNIT))
        out.overdue.append(
            OverdueMessage(
                column=column_text,
                unit=unit,
                url=message.url,
                title=message.title,
                kind=message.kind,
                asked=message.asked,
                replied=message.replied,
                ends=message.ends,
                days=message.days,
                status=message.status,
            )
        )
    return out
