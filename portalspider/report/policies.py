"""The report's 解读回应 section: policy documents and their interpretation links.

From the store: each document of the last 365 days as last checked (``PolicyDoc``), and
the latest run's summary (``crawl_run.summary["interpretations"]``: the count of
interpretations against documents, 偏少).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portalspider.dates import last_days
from portalspider.store.models import Column, CrawlRun, PolicyDoc, RunOutcome, Site
from portalspider.vocab import (
    FEW_INTERPRETATIONS,
    POLICY_PROBLEM_STATES,
    POLICY_STATE_LABELS,
    POLICY_WINDOW_DAYS,
)

#: Runs looked back through for the latest 解读回应 summary.
SUMMARY_RUNS = 50
NO_UNIT = "未指定单位"


@dataclass(frozen=True)
class PolicyRow:
    """One policy document as last checked."""

    title: str
    url: str
    date: dt.date | None
    column: str
    column_url: str | None
    unit: str
    state: str
    interpretation_url: str | None

    @property
    def state_label(self) -> str:
        return POLICY_STATE_LABELS.get(self.state, self.state)

    @property
    def problem(self) -> bool:
        return self.state in POLICY_PROBLEM_STATES


@dataclass(frozen=True)
class PolicySection:
    """What the report says about 解读回应 (None in ``Report`` when never checked)."""

    rows: list[PolicyRow]
    summary: dict[str, Any] = field(default_factory=dict)
    window_days: int = POLICY_WINDOW_DAYS

    def count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)

    @property
    def judged(self) -> int:
        return sum(1 for row in self.rows if row.state != "unverified")

    @property
    def two_way_share(self) -> str:
        """双向关联 share of the documents judged, as a percentage text."""
        if not self.judged:
            return "—"
        return f"{100 * self.count('two_way') / self.judged:.0f}%"

    @property
    def problems(self) -> list[PolicyRow]:
        return [row for row in self.rows if row.problem]

    @property
    def documents(self) -> str:
        return self._figure("documents_365d")

    @property
    def interpretations(self) -> str:
        return self._figure("interpretations_365d")

    def _figure(self, key: str) -> str:
        value = self.summary.get(key)
        if value is None:
            return "—"
        return f"{'' if self.summary.get('counts_complete') else '≥'}{value}"

    @property
    def few(self) -> bool:
        """偏少: interpretations far fewer than documents (the latest run's judgement)."""
        return self.summary.get("result") == FEW_INTERPRETATIONS

    @property
    def ratio_text(self) -> str:
        ratio, least = self.summary.get("ratio"), self.summary.get("min_ratio")
        if ratio is None:
            return "无法计算（栏目未列出日期或未找到政策文件栏目）"
        verdict = "偏少" if self.few else "不偏少"
        return f"解读与文件之比 {ratio:.2f}（低于 {least} 为偏少）：{verdict}"

    @property
    def unread(self) -> int:
        return int(self.summary.get("unread_documents") or 0)


def policy_section(
    session: Session, site: Site, today: dt.date, default_unit: str | None = None
) -> PolicySection | None:
    """The section's data, or None when no crawl of the site ran the check."""
    summary: dict[str, Any] | None = None
    for run_summary in session.scalars(
        select(CrawlRun.summary)
        .where(CrawlRun.site_id == site.id, CrawlRun.outcome != RunOutcome.RUNNING)
        .order_by(CrawlRun.id.desc())
        .limit(SUMMARY_RUNS)
    ):
        if isinstance(run_summary, dict) and isinstance(run_summary.get("interpretations"), dict):
            summary = run_summary["interpretations"]
            break
    query = (
        select(PolicyDoc, Column)
        .outerjoin(Column, Column.id == PolicyDoc.column_id)
        .where(PolicyDoc.site_id == site.id)
    )
    since, _ = last_days(today, POLICY_WINDOW_DAYS)
    rows = [
        PolicyRow(
            title=doc.title,
            url=doc.url,
            date=doc.date,
            column=_column_text(column),
            column_url=column.url if column else None,
            unit=doc.unit or (column.unit if column else None) or default_unit or NO_UNIT,
            state=doc.state,
            interpretation_url=doc.interpretation_url,
        )
        for doc, column in session.execute(query)
        if doc.date is not None and since <= doc.date <= today
    ]
    if summary is None and not rows:
        return None
    rows.sort(key=lambda r: (not r.problem, r.unit, r.column, -(r.date or dt.date.min).toordinal()))
    return PolicySection(rows=rows, summary=summary or {})


def _column_text(column: Column | None) -> str:
    from portalspider.report.data import column_path  # data imports this module

    return column_path(column.path, column.name) if column is not None else "—"


#: The Word report's sub-heading for the problem documents (一、存在问题).
WORD_HEADING = "政策文件与政策解读未双向关联"


def word_lines(section: PolicySection | None) -> list[str]:
    """The Word report's numbered problems (without their numbers), the ratio first."""
    if section is None:
        return []
    lines = [
        f"{row.column}:《{row.title.strip('《》')}》({row.date.isoformat() if row.date else '—'})"
        f"{row.state_label}。(整改责任单位:{row.unit})"
        for row in section.problems
    ]
    if section.few:
        lines.insert(
            0,
            f"近{section.window_days}天政策文件{section.documents}件、政策解读"
            f"{section.interpretations}篇,政策解读偏少。",
        )
    return lines


SHEET_HEADER = (
    "序号", "政策文件", "文件链接", "发布日期", "栏目", "关联情况", "解读链接",
    "整改责任单位", "整改期限", "整改措施", "完成情况",
)  # fmt: skip


def sheet_rows(section: PolicySection | None, deadline: dt.date) -> list[tuple[Any, ...]]:
    """The Excel sheet 政策解读: every document of the window, problems first."""
    if section is None:
        return []
    return [
        (
            number,
            row.title,
            row.url,
            row.date,
            row.column,
            row.state_label,
            row.interpretation_url,
            row.unit,
            deadline if row.problem else None,
            None,
            None,
        )
        for number, row in enumerate(section.rows, start=1)
    ]


def csv_rows(section: PolicySection | None) -> list[PolicyRow]:
    """The problem documents, one CSV row each after the columns' problems."""
    return section.problems if section is not None else []
