"""The 单项否决 verdict: one home for its rows, their numbers and how each is decided.

``indicators.md`` (国办秘函〔2019〕19号): any failed row makes the site 不合格. The portal
crawl ends with a ``verdict`` item built here; the store keeps its rows with the run and the
report shows them; the column counts (栏目不更新) are the same function for both. A row
without data is ``unknown``, never ``pass``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from portalspider.dates import age_days
from portalspider.vocab import NOT_UPDATED

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
RESULTS = (PASS, FAIL, UNKNOWN)

# Row names, as the indicator table names them (interface.md, "Additions").
SITE_DOWN = "站点无法访问"
HOME_STALE = "首页不更新"
COLUMNS_STALE = "栏目不更新"
SERIOUS_ERRORS = "严重表述错误"
POOR_REPLIES = "互动回应差"
ROW_NAMES = (SITE_DOWN, HOME_STALE, COLUMNS_STALE, SERIOUS_ERRORS, POOR_REPLIES)

# 栏目不更新: the three counts and their limits (each "超过（含）", i.e. ≥).
KEY_COLUMNS_LIMIT = 5  # stale news + stale top-level notice/policy columns
NOT_UPDATED_LIMIT = 10  # stale or undated "should-update" columns
BLANK_LIMIT = 5  # blank columns
# 首页不更新: 监测2周.
HOME_PAGE_DAYS = 14
# 站点无法访问: a week of probes, ≥ 20 a day, 15 s timeout, failures ≥ 5 %.
PROBE_WINDOW_DAYS = 7
PROBES_PER_DAY = 20
PROBE_TIMEOUT_SECONDS = 15
FAIL_RATIO = 0.05  # the indicator's line: the webmaster is alerted
WARN_RATIO = 0.03  # the webmaster is warned before the line is reached


@dataclass(frozen=True)
class Row:
    """One verdict row as the ``verdict`` item carries it."""

    name: str
    result: str  # pass | fail | unknown
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "result": self.result, "detail": self.detail}


@dataclass(frozen=True)
class ColumnFacts:
    """What the counts need of one judged column (an item or a stored column)."""

    status: str
    category: str
    top_level: bool
    exempt: bool = False  # 报备: left out of the counts


@dataclass(frozen=True)
class ColumnCounts:
    """The three counts of 栏目不更新 (报备 columns left out)."""

    judged: int
    key_columns: int
    not_updated: int
    blank: int

    @property
    def failed(self) -> bool:
        return (
            self.key_columns >= KEY_COLUMNS_LIMIT
            or self.not_updated >= NOT_UPDATED_LIMIT
            or self.blank >= BLANK_LIMIT
        )


def count_columns(columns: Iterable[ColumnFacts]) -> ColumnCounts:
    """Undated columns count as not updated (未注明发布时间的视为不更新)."""
    counted = [c for c in columns if not c.exempt]
    not_updated = [c for c in counted if c.status in NOT_UPDATED]
    key = [
        c
        for c in not_updated
        if c.category == "news" or (c.category in ("notice", "policy") and c.top_level)
    ]
    return ColumnCounts(
        judged=len(counted),
        key_columns=len(key),
        not_updated=len(not_updated),
        blank=sum(c.status == "blank" for c in counted),
    )


@dataclass(frozen=True)
class Availability:
    """Stored probes of the home page over the last ``PROBE_WINDOW_DAYS`` days."""

    probes: int
    failures: int

    @property
    def ratio(self) -> float:
        return self.failures / self.probes if self.probes else 0.0

    @property
    def enough(self) -> bool:
        """As many probes as the indicator's week of monitoring needs."""
        return self.probes >= PROBES_PER_DAY * PROBE_WINDOW_DAYS

    @property
    def level(self) -> str | None:
        """``alert`` at the indicator's line, ``warn`` at ``WARN_RATIO``, else None."""
        if self.probes and self.ratio >= FAIL_RATIO:
            return "alert"
        if self.probes and self.ratio >= WARN_RATIO:
            return "warn"
        return None

    @property
    def text(self) -> str:
        return (
            f"近{PROBE_WINDOW_DAYS}天探测 {self.probes} 次，失败 {self.failures} 次"
            f"（{self.ratio:.1%}，限值 {FAIL_RATIO:.0%}）"
        )


def availability_row(availability: Availability | None, error: str | None = None) -> Row:
    if availability is None:
        return Row(SITE_DOWN, UNKNOWN, f"无法读取探测记录：{error}" if error else "无探测记录")
    if not availability.enough:
        need = PROBES_PER_DAY * PROBE_WINDOW_DAYS
        return Row(
            SITE_DOWN,
            UNKNOWN,
            f"{availability.text}；不足 {need} 次（每天≥{PROBES_PER_DAY}次，连续"
            f"{PROBE_WINDOW_DAYS}天），未能判定：请定时运行 scrapy crawl availability",
        )
    failed = availability.ratio >= FAIL_RATIO
    return Row(SITE_DOWN, FAIL if failed else PASS, availability.text)


def home_row(
    site_up: bool | None, newest: dt.date | None, source: str | None, today: dt.date, judged: int
) -> Row:
    """首页不更新 from the home page's newest dated item (or its first-level columns')."""
    if not site_up:
        return Row(HOME_STALE, UNKNOWN, "首页无法访问，本项未能判定")
    if newest is None:
        if judged == 0:
            return Row(HOME_STALE, UNKNOWN, "首页未见注明日期的信息，且未检测到栏目")
        return Row(HOME_STALE, FAIL, "首页及其一级栏目均无注明发布时间的信息（视为不更新）")
    age = age_days(newest, today) or 0
    where = "首页一级栏目" if source == "columns" else "首页"
    detail = f"{where}最新信息 {newest.isoformat()}，距今 {age} 天（限值 {HOME_PAGE_DAYS} 天）"
    return Row(HOME_STALE, FAIL if age > HOME_PAGE_DAYS else PASS, detail)


def columns_row(counts: ColumnCounts, incomplete_reason: str | None = None) -> Row:
    """栏目不更新. On an incomplete crawl a fail found on what was read stands (it is
    evidence), but a pass is not: unread columns could fail it, so it is ``unknown``."""
    if incomplete_reason and not counts.failed:
        return Row(COLUMNS_STALE, UNKNOWN, f"本次检测不完整: {incomplete_reason}")
    if counts.judged == 0:
        return Row(COLUMNS_STALE, UNKNOWN, "本次未检测到栏目，未能判定")
    detail = (
        f"动态要闻及一级通知公告、政策文件栏目未更新 {counts.key_columns} 个（限值"
        f" {KEY_COLUMNS_LIMIT}）；应更新未更新 {counts.not_updated} 个（限值"
        f" {NOT_UPDATED_LIMIT}）；空白栏目 {counts.blank} 个（限值 {BLANK_LIMIT}）"
    )
    return Row(COLUMNS_STALE, FAIL if counts.failed else PASS, detail)


def build_rows(
    *,
    today: dt.date,
    site_up: bool | None,
    home_newest: dt.date | None,
    home_source: str | None,
    columns: Iterable[ColumnFacts],
    availability: Availability | None,
    availability_error: str | None = None,
    incomplete_reason: str | None = None,
    replies: Row | None = None,
) -> list[Row]:
    """Every row, in ``ROW_NAMES`` order; ``incomplete_reason`` when the crawl missed part.

    ``replies``: the 互动回应差 row (``interaction.replies_row``), unknown without one.
    """
    counts = count_columns(columns)
    return [
        availability_row(availability, availability_error),
        home_row(site_up, home_newest, home_source, today, counts.judged),
        columns_row(counts, incomplete_reason),
        Row(SERIOUS_ERRORS, UNKNOWN, "暂无自动检查（错敏词、领导姓名职务须人工核对）"),
        replies or Row(POOR_REPLIES, UNKNOWN, "未检查政务咨询类栏目的留言答复"),
    ]
