"""The report's 链接可用性 section: the broken links the ``links`` spider keeps finding.

Read from the link check's tables (``store/linkmodels.py``): the latest run's counts (home
page and other pages apart, as the indicator scores them), the links still broken (open
findings, with their page, unit and since when), those fixed lately, and the counts of the
recent runs. None when the site was never link-checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portalspider import csvsafe
from portalspider.dates import shanghai_date
from portalspider.store.linkmodels import LinkFinding, LinkRun
from portalspider.store.models import RunOutcome
from portalspider.vocab import broken_link_reason

HISTORY_RUNS = 10  # runs shown in the history table
FIXED_DAYS = 30  # fixed links shown for this many days


@dataclass
class BrokenLinkRow:
    """One broken link on one page, as the report lists it."""

    url: str
    page_url: str
    text: str
    unit: str
    on_home: bool
    column_url: str | None
    http_status: int | None
    error: str | None
    since: dt.date
    days: int
    pages: int = 1  # pages showing it (``page_url`` is the first)

    @property
    def page_text(self) -> str:
        return self.page_url if self.pages == 1 else f"{self.page_url} 等{self.pages}个页面"

    @property
    def where(self) -> str:
        return "首页" if self.on_home else "其他页面"

    @property
    def reason(self) -> str:
        return broken_link_reason(self.http_status, self.error)


@dataclass
class LinkRunRow:
    day: dt.date | None
    outcome: str
    pages: int
    links: int
    broken_home: int
    broken_other: int


@dataclass
class LinkSection:
    latest: LinkRunRow
    broken: list[BrokenLinkRow] = field(default_factory=list)
    fixed: list[BrokenLinkRow] = field(default_factory=list)
    history: list[LinkRunRow] = field(default_factory=list)

    open_home: int = 0  # broken links (link and page) still open on the home page
    open_other: int = 0  # and on other pages

    @property
    def home(self) -> list[BrokenLinkRow]:
        return [row for row in self.broken if row.on_home]

    @property
    def other(self) -> list[BrokenLinkRow]:
        return [row for row in self.broken if not row.on_home]

    @property
    def fixed_days(self) -> int:
        return FIXED_DAYS


def _run_row(run: LinkRun) -> LinkRunRow:
    return LinkRunRow(
        day=shanghai_date(run.started_at),
        outcome=run.outcome,
        pages=run.pages_checked,
        links=run.links_checked,
        broken_home=run.broken_home,
        broken_other=run.broken_other,
    )


def _row(finding: LinkFinding, today: dt.date, default_unit: str | None) -> BrokenLinkRow:
    return BrokenLinkRow(
        url=finding.url,
        page_url=finding.page_url,
        text=finding.text or "",
        unit=finding.unit or default_unit or "（未指定）",
        on_home=finding.on_home,
        column_url=finding.column_url,
        http_status=finding.http_status,
        error=finding.error,
        since=finding.opened_on,
        days=(today - finding.opened_on).days,
    )


def link_section(
    session: Session, site_id: int, today: dt.date, default_unit: str | None = None
) -> LinkSection | None:
    """The section for one site, or None when no link check ever ran for it."""
    runs = list(
        session.scalars(
            select(LinkRun)
            .where(LinkRun.site_id == site_id, LinkRun.outcome != RunOutcome.RUNNING)
            .order_by(LinkRun.id.desc())
            .limit(HISTORY_RUNS)
        )
    )
    if not runs:
        return None
    open_rows = session.scalars(
        select(LinkFinding)
        .where(LinkFinding.site_id == site_id, LinkFinding.is_open.is_(True))
        .order_by(
            LinkFinding.on_home.desc(), LinkFinding.unit, LinkFinding.page_url, LinkFinding.url
        )
    ).all()
    since = today - dt.timedelta(days=FIXED_DAYS)
    fixed_rows = session.scalars(
        select(LinkFinding)
        .where(
            LinkFinding.site_id == site_id,
            LinkFinding.is_open.is_(False),
            LinkFinding.closed_on >= since,
        )
        .order_by(LinkFinding.closed_on.desc(), LinkFinding.url)
    ).all()
    # One row per broken URL (home page apart): a menu link broken on every page is one fix.
    grouped: dict[tuple[bool, str], BrokenLinkRow] = {}
    for finding in open_rows:
        key = (finding.on_home, finding.url_key)
        if key in grouped:
            grouped[key].pages += 1
        else:
            grouped[key] = _row(finding, today, default_unit)
    return LinkSection(
        latest=_run_row(runs[0]),
        broken=list(grouped.values()),
        fixed=[_row(f, today, default_unit) for f in fixed_rows],
        history=[_run_row(run) for run in runs],
        open_home=sum(1 for f in open_rows if f.on_home),
        open_other=sum(1 for f in open_rows if not f.on_home),
    )


LINK_HEADER = (
    "序号", "位置", "所在页面", "链接", "链接文字", "原因", "责任单位", "首次发现", "持续天数",
)  # fmt: skip


def _cells(number: int, row: BrokenLinkRow) -> tuple[str | int | dt.date, ...]:
    return (
        number,
        row.where,
        row.page_text,
        row.url,
        row.text,
        row.reason,
        row.unit,
        row.since,
        row.days,
    )


def link_table(
    section: LinkSection,
) -> tuple[tuple[str, ...], list[tuple[str | int | dt.date, ...]]]:
    """The header and rows of the broken links still open (home page first)."""
    return LINK_HEADER, [_cells(n, row) for n, row in enumerate(section.broken, start=1)]


def links_csv(writer: Any, section: LinkSection | None) -> None:
    """The CSV's second table, after a blank row: the broken links still open."""
    if section is None:
        return
    header, rows = link_table(section)
    writer.writerow(())
    counts = f"首页 {section.open_home} 处，其他页面 {section.open_other} 处"
    writer.writerow((f"链接可用性：{counts}",))
    writer.writerow(header)
    for row in rows:
        writer.writerow(csvsafe.cell(value) for value in row)


def link_paragraphs(section: LinkSection) -> list[str]:
    """The Word report's 链接可用性 paragraphs."""
    latest = section.latest
    lines = [
        f"最近一次链接检查读取页面{latest.pages}个、检查链接{latest.links}个，"
        f"首页不可用链接{section.open_home}处，其他页面不可用链接{section.open_other}处。"
    ]
    for number, row in enumerate(section.broken, start=1):
        lines.append(
            f"{number}.{row.where}{row.page_text}中的链接“{row.text or row.url}”"
            f"（{row.url}）无法打开（{row.reason}），自{row.since.isoformat()}起。"
            f"(整改责任单位:{row.unit})"
        )
    if section.fixed:
        lines.append(f"近{section.fixed_days}天已修复不可用链接{len(section.fixed)}处。")
    return lines
