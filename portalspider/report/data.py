"""The report model: one read of the store, turned into plain dataclasses.

The verdict block shows the 单项否决 rows (``portalspider.verdict``): 栏目不更新 as its three
counts over the current columns (the same ``count_columns`` as the crawl's verdict item),
首页不更新 from the latest run's site summary, and 站点无法访问, 严重表述错误, 互动回应差 as
the latest run stored them (``summary["verdict"]``). A row without data says 未判定, so
nobody mistakes "no veto found" for "合格".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from portalspider.dates import age_days, last_days, shanghai_time
from portalspider.judge import is_top_level
from portalspider.report.chart import Chart, TrendPoint, trend_chart
from portalspider.report.links import LinkSection, link_section
from portalspider.report.policies import PolicySection, policy_section
from portalspider.report.replies import Replies, ReplyColumn, build_replies
from portalspider.store.models import Column, CrawlRun, Finding, Observation, RunOutcome, Site
from portalspider.verdict import (
    BLANK_LIMIT,
    COLUMNS_STALE,
    FAIL,
    FAIL_RATIO,
    HOME_PAGE_DAYS,
    HOME_STALE,
    KEY_COLUMNS_LIMIT,
    NOT_UPDATED_LIMIT,
    PASS,
    POOR_REPLIES,
    PROBE_TIMEOUT_SECONDS,
    PROBE_WINDOW_DAYS,
    PROBES_PER_DAY,
    SERIOUS_ERRORS,
    SITE_DOWN,
    UNKNOWN,
    ColumnFacts,
    count_columns,
)
from portalspider.vocab import (
    COLUMN_FINDING_KINDS,
    GONE,
    IGNORED,
    UNREACHABLE,
    Counted,
    ProblemCount,
    category_label,
    count_problems,
    display_rank,
    exempt_on,
    is_problem,
    problem_label,
    status_label,
    tally,
)

# A problem in words, as a 自查报告 states it; figures are ColumnRow fields (None → "—").
PROBLEM_PHRASES = {
    "stale": "栏目超过{age_days}天未更新(最后更新{last_update},要求{threshold_days}天)",
    "undated": "栏目信息未注明发布时间,视为未更新",
    "blank": "空白栏目,未发布任何信息",
    "sparse": "栏目更新较少(近{rule_days}天更新{rule_items}条,要求至少{rule_count}条;"
    "近一年更新{items_365d}条,最后更新{last_update})",
    "unreachable": "栏目无法访问(检测时页面打开失败,请核实)",
    "warning": "栏目临期(已{age_days}天未更新,要求{threshold_days}天)",
}
NO_UNIT = "未指定责任单位"
TREND_RUNS = 30
LONGEST_FINDINGS = 10
# 已整改 lists findings closed in this many days before the report day. The store keeps no
# record of reports handed in, and offices report monthly, so "since the previous report"
# is read as "in the last 30 days"; a weekly reader simply sees some items twice.
RESOLVED_DAYS = 30
RESOLUTION_LABELS = {"fixed": "已整改", "gone": "栏目已撤并"}
# 建议合并删减 ("对信息保障不力的栏目,要进行合并删减"): a column whose every crawl in the last
# CANDIDATE_DAYS days found it stale, blank or sparse, seen by at least CANDIDATE_MIN_RUNS
# crawls whose first and last lie at least CANDIDATE_SPAN_DAYS apart (one bad month, or a
# single crawl, is not a history). Observations are read from the store, so a column's
# record starts with the first crawl that saw it.
CANDIDATE_DAYS = 90
CANDIDATE_SPAN_DAYS = 60
CANDIDATE_MIN_RUNS = 2
CANDIDATE_STATUSES = ("stale", "blank", "sparse")


@dataclass(frozen=True)
class VerdictRow:
    """One 单项否决 check: ``count`` against ``limit`` (``count`` None = no count shown).

    ``result`` (pass | fail | unknown) is given by rows the crawl stored; counted rows derive
    it from ``failed`` and ``count``.
    """

    key: str
    indicator: str
    rule: str
    count: int | None
    limit: int | None
    measure: str  # "个" (columns), "天" (days) or "%"
    failed: bool
    note: str = ""
    result: str | None = None

    @property
    def outcome(self) -> str:
        if self.failed:
            return FAIL
        return self.result or (UNKNOWN if self.count is None else PASS)


@dataclass
class ColumnRow:
    """A column as the report shows it; ``deadline`` only for problems not covered by 报备."""

    name: str
    url: str
    path: list[str]
    unit: str
    category: str
    status: str
    last_update: dt.date | None
    age_days: int | None
    threshold_days: int | None
    newest_title: str | None
    newest_url: str | None
    stale_since: dt.date | None
    runs_in_status: int
    top_level: bool
    exempt_until: dt.date | None = None
    deadline: dt.date | None = None
    # Update volume (issue 10); None until the store records it.
    items_30d: int | None = None
    items_90d: int | None = None
    items_365d: int | None = None
    counts_complete: bool = True
    problem: str | None = None  # the open finding's kind (``unreachable``: failed twice)
    # the 更新较少 rule judged with and its count: {count, days, items, complete}
    min_items: dict[str, Any] | None = None

    @property
    def is_problem(self) -> bool:
        return is_problem(self.status, self.problem)

    @property
    def path_text(self) -> str:
        return column_path(self.path, self.name)

    def _figures(self) -> dict[str, object]:
        return {
            "age_days": self.age_days,
            "threshold_days": self.threshold_days,
            "last_update": self.last_update.isoformat() if self.last_update else None,
            "items_30d": self.count_text(self.items_30d),
            "items_365d": self.count_text(self.items_365d),
            **self.rule_figures,
        }

    @property
    def problem_text(self) -> str:
        """The status in words with its figures (``PROBLEM_PHRASES``)."""
        figures = self._figures()
        if self.status == UNREACHABLE and self.problem == UNREACHABLE:
            return f"{problem_label(UNREACHABLE)}(连续两次检测栏目页面均无法打开)"
        phrase = PROBLEM_PHRASES.get(self.status, self.status_label)
        return phrase.format(**{k: "—" if v is None else v for k, v in figures.items()})

    @property
    def rule_figures(self) -> dict[str, str | None]:
        """The 更新较少 rule's days and count and the items it counted (``≥N``: lower bound)."""
        rule = self.min_items or {}
        items = rule.get("items")
        shown = None
        if isinstance(items, int):
            shown = f"≥{items}" if rule.get("complete") is False else str(items)
        days, count = rule.get("days"), rule.get("count")
        return {
            "rule_days": None if days is None else str(days),
            "rule_count": None if count is None else str(count),
            "rule_items": shown,
        }

    @property
    def volume_text(self) -> str:
        """更新较少 figures for the HTML and Markdown tables (empty for other statuses)."""
        if self.status != "sparse":
            return ""
        return self.problem_text.removeprefix("栏目更新较少")

    def count_text(self, count: int | None) -> str | None:
        """An item count, ``≥N`` when the pages read ended early (a lower bound)."""
        if count is None:
            return None
        return f"{count}" if self.counts_complete else f"≥{count}"

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def category_label(self) -> str:
        return category_label(self.category)

    @property
    def exempt(self) -> bool:
        return self.exempt_until is not None

    @property
    def overdue_days(self) -> int | None:
        """Days beyond the threshold: what the unit has to make up."""
        if self.age_days is None or self.threshold_days is None:
            return None
        return max(self.age_days - self.threshold_days, 0)


@dataclass(frozen=True)
class ReplyProblem:
    """A column's 互动回应差 problem (``ReplyColumn.problem``) with its column's status and
    current 报备: counted in its unit's problems as the crawl's SUMMARY counts it, and listed
    in the 互动回应 section, not among the problem columns."""

    column: ReplyColumn
    status: str = ""
    exempt_until: dt.date | None = None

    @property
    def counted(self) -> Counted:
        return (self.status, self.exempt_until, self.column.problem)


@dataclass
class UnitRow:
    """Per responsible unit: counts by status and its problem columns (报备 ones included,
    shown with their exemption; ``problem_count`` counts them apart), and its columns with
    互动回应差 problems (counted too)."""

    name: str
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[ColumnRow] = field(default_factory=list)
    replies: list[ReplyProblem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def problem_count(self) -> ProblemCount:
        return _count(self.problems, self.replies)


@dataclass(frozen=True)
class RunInfo:
    run_id: int
    started: dt.datetime  # Asia/Shanghai wall time
    finished: dt.datetime | None
    outcome: str
    site_status: str | None
    job_id: str | None
    incomplete_reason: str | None = None  # the run did not see the whole site


@dataclass(frozen=True)
class OpenFinding:
    """A problem episode still open: the oldest ones are the report's hardest cases."""

    column: str
    url: str
    unit: str
    kind: str
    opened_on: dt.date
    days_open: int

    @property
    def kind_label(self) -> str:
        return problem_label(self.kind)


@dataclass(frozen=True)
class ClosedFinding:
    """A problem episode closed lately: fixed by the unit, or its column removed (撤并)."""

    column: str  # navigation path, " > "-joined
    path: list[str]
    name: str
    url: str
    unit: str
    kind: str
    opened_on: dt.date
    closed_on: dt.date
    resolution: str

    @property
    def kind_label(self) -> str:
        return status_label(self.kind)

    @property
    def resolution_label(self) -> str:
        return RESOLUTION_LABELS.get(self.resolution, self.resolution)


@dataclass(frozen=True)
class MergeCandidate:
    """建议合并删减: a column stale, blank or sparse in every crawl of the window."""

    path: list[str]
    name: str
    url: str
    unit: str
    first_seen: dt.date  # the first crawl in the window that found it so
    last_seen: dt.date  # the latest one
    crawls: int
    statuses: tuple[str, ...]  # every status seen, in ``CANDIDATE_STATUSES`` order

    @property
    def column(self) -> str:
        return column_path(self.path, self.name)

    @property
    def statuses_label(self) -> str:
        return "、".join(status_label(s) for s in self.statuses)

    @property
    def history_text(self) -> str:
        """The history in words, as the Word report and the tables state it."""
        return (
            f"{self.first_seen.isoformat()}至{self.last_seen.isoformat()}"
            f"共{self.crawls}次检测均为{self.statuses_label}"
        )


@dataclass
class Report:
    site_name: str
    site_url: str
    today: dt.date
    deadline_days: int
    deadline: dt.date
    latest_run: RunInfo | None
    verdict: list[VerdictRow]
    columns: list[ColumnRow]
    units: list[UnitRow]
    trend: list[TrendPoint]
    chart: Chart
    longest: list[OpenFinding]
    status_counts: Counter[str]
    resolved: list[ClosedFinding] = field(default_factory=list)
    candidates: list[MergeCandidate] = field(default_factory=list)
    links: LinkSection | None = None  # 链接可用性 (report/links.py); None: never link-checked
    replies: Replies = field(default_factory=Replies)  # 互动回应 (``report.replies``)
    policies: PolicySection | None = None  # 解读回应 (report/policies.py)

    @property
    def candidate_days(self) -> int:
        """The window of ``candidates`` (建议合并删减)."""
        return CANDIDATE_DAYS

    @property
    def resolved_days(self) -> int:
        """The window of ``resolved`` (已整改)."""
        return RESOLVED_DAYS

    @property
    def failed(self) -> bool:
        return any(row.failed for row in self.verdict)

    @property
    def site_down(self) -> bool:
        """The latest run could not fetch the home page: it judged nothing, so no pass."""
        run = self.latest_run
        return run is not None and (
            run.outcome == RunOutcome.SITE_DOWN or run.site_status == "down"
        )

    @property
    def incomplete(self) -> str | None:
        """Why the latest run saw only part of the site: then no pass badge is shown."""
        run = self.latest_run
        if run is None or run.outcome not in (RunOutcome.INCOMPLETE, RunOutcome.STOPPED):
            return None
        return run.incomplete_reason or run.outcome

    @property
    def fully_judged(self) -> bool:
        """The latest run reached the site and judged every column it knows."""
        return not (
            self.site_down or self.incomplete or self.latest_run is None or not self.columns
        )

    @property
    def no_problems_text(self) -> str:
        """What section 二 says when it lists no problem: never a clean bill for a run that
        judged nothing (site down, no columns) or only part of the site."""
        clean = "未发现超期未更新、未注明发布时间或空白的栏目。"
        if self.fully_judged:
            return clean
        if self.site_down:
            return "最近一次检测网站首页无法访问，未能判定任何栏目，不能据此认为栏目不存在问题。"
        if self.incomplete and self.columns:
            return (
                f"已检测的栏目中{clean[:-1]}；"
                f"但最近一次检测不完整（{self.incomplete}），其余栏目未能判定。"
            )
        return "尚未检测到栏目，未能判定，不能据此认为栏目不存在问题。"

    @property
    def verdict_class(self) -> str:
        """``fail``, ``incomplete`` or ``pass``: the badge of section 一、检测结论."""
        if self.failed or self.site_down:
            return "fail"
        return "incomplete" if self.incomplete else "pass"

    @property
    def problem_units(self) -> list[UnitRow]:
        return [unit for unit in self.units if unit.problems or unit.replies]

    @property
    def problems(self) -> list[ColumnRow]:
        return [row for unit in self.problem_units for row in unit.problems]

    @property
    def problem_count(self) -> ProblemCount:
        """The one count (``vocab.count_problems``): the SUMMARY and the digests agree."""
        return _count(self.columns, [problem for unit in self.units for problem in unit.replies])

    @property
    def status_summary(self) -> list[tuple[str, str, int]]:
        """``(status, label, count)`` per status, as ``vocab.tally`` shows them."""
        return [(s, status_label(s), n) for s, n in tally(self.status_counts)]

    @property
    def warnings(self) -> list[ColumnRow]:
        return [row for row in self.columns if row.status == "warning"]

    @property
    def unreachable(self) -> list[ColumnRow]:
        return [row for row in self.columns if row.status == "unreachable"]


def column_path(path: list[str] | None, name: str, sep: str = " > ") -> str:
    """Navigation path ending with the column itself, whichever way ``path`` was stored."""
    parts = list(path or [])
    if not parts or parts[-1] != name:
        parts.append(name)
    return sep.join(parts)


def _count(rows: list[ColumnRow], replies: list[ReplyProblem]) -> ProblemCount:
    """Rows carry only a current exemption (``exempt_until`` None once it is over)."""
    counted: list[Counted] = [(row.status, row.exempt_until, row.problem) for row in rows]
    return count_problems([*counted, *(reply.counted for reply in replies)], dt.date.min)


def build_report(
    session: Session,
    site: Site,
    today: dt.date,
    *,
    deadline_days: int = 5,
    default_unit: str | None = None,
    site_name: str | None = None,
) -> Report:
    """Read everything the report shows for one site, as of ``today`` (Asia/Shanghai)."""
    deadline = today + dt.timedelta(days=deadline_days)
    open_kinds = dict(
        session.execute(
            select(Finding.column_id, Finding.kind).where(
                Finding.site_id == site.id,
                Finding.is_open.is_(True),
                Finding.kind.in_(COLUMN_FINDING_KINDS),  # 互动回应差 findings: their own section
            )
        ).all()
    )
    rows = [
        _column_row(column, today, deadline, default_unit, open_kinds.get(column.id))
        for column in session.scalars(
            select(Column).where(Column.site_id == site.id, Column.status.not_in((GONE, IGNORED)))
        )
    ]
    rows.sort(key=_problem_order)
    replies = build_replies(session, site, default_unit)
    runs = list(
        session.scalars(
            select(CrawlRun)
            .where(CrawlRun.site_id == site.id)
            .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
            .limit(TREND_RUNS)
        )
    )
    latest = next(
        (run for run in runs if run.outcome != RunOutcome.RUNNING), runs[0] if runs else None
    )
    # A run that found the site down judged nothing: it is no point (of zeros) in the trend.
    unjudged = (RunOutcome.RUNNING, RunOutcome.SITE_DOWN)
    trend = _trend(session, [run for run in reversed(runs) if run.outcome not in unjudged])
    return Report(
        site_name=site_name or site.name,
        site_url=site.url,
        today=today,
        deadline_days=deadline_days,
        deadline=deadline,
        latest_run=_run_info(latest) if latest else None,
        verdict=_verdict(rows, latest, today),
        columns=rows,
        units=_units(rows, replies),
        trend=trend,
        chart=trend_chart(trend),
        longest=_longest(session, site, today, default_unit),
        status_counts=Counter(row.status for row in rows),
        resolved=_resolved(session, site, today, default_unit),
        candidates=merge_candidates(session, site, today, default_unit),
        links=link_section(session, site.id, today, default_unit),
        replies=replies,
        policies=policy_section(session, site, today, default_unit),
    )


def merge_candidates(
    session: Session, site: Site, today: dt.date, default_unit: str | None = None
) -> list[MergeCandidate]:
    """建议合并删减 from the store's observations (the rule: ``CANDIDATE_DAYS`` above).

    Only columns still on the site count (a removed one needs no advice). Only complete
    crawls are evidence: one still running, stopped or incomplete (``incomplete_reason``
    set: a bound hit, a failed hub) may have seen a column wrongly or not at all, so it
    counts neither for nor against.
    """
    since, _ = last_days(today, CANDIDATE_DAYS)
    query = (
        select(Column, Observation.status, CrawlRun.started_at)
        .join(Observation, Observation.column_id == Column.id)
        .join(CrawlRun, CrawlRun.id == Observation.run_id)
        .where(
            Column.site_id == site.id,
            Column.status.not_in((GONE, IGNORED)),
            CrawlRun.outcome != RunOutcome.RUNNING,
            CrawlRun.incomplete_reason.is_(None),
        )
    )
    seen: dict[int, tuple[Column, list[tuple[dt.date, str]]]] = {}
    for column, status, started in session.execute(query):
        day = shanghai_time(started).date()
        if since <= day <= today:
            seen.setdefault(column.id, (column, []))[1].append((day, status))
    found = []
    for column, history in seen.values():
        days = sorted(day for day, _ in history)
        statuses = {status for _, status in history}
        if (
            len(history) < CANDIDATE_MIN_RUNS
            or (days[-1] - days[0]).days < CANDIDATE_SPAN_DAYS
            or not statuses <= set(CANDIDATE_STATUSES)
        ):
            continue
        found.append(
            MergeCandidate(
                path=list(column.path or []),
                name=column.name,
                url=column.url,
                unit=column.unit or default_unit or NO_UNIT,
                first_seen=days[0],
                last_seen=days[-1],
                crawls=len(history),
                statuses=tuple(s for s in CANDIDATE_STATUSES if s in statuses),
            )
        )
    return sorted(found, key=lambda c: (c.unit, c.first_seen, c.column))


def _column_row(
    column: Column,
    today: dt.date,
    deadline: dt.date,
    default_unit: str | None,
    finding_kind: str | None = None,
) -> ColumnRow:
    exempt = column.exempt_until if exempt_on(column.exempt_until, today) else None
    problem = is_problem(column.status, finding_kind)
    return ColumnRow(
        name=column.name,
        url=column.url,
        path=list(column.path or []),
        unit=column.unit or default_unit or NO_UNIT,
        category=column.category,
        status=column.status,
        last_update=column.last_update,
        age_days=age_days(column.last_update, today),
        threshold_days=column.threshold_days,
        newest_title=column.newest_title,
        newest_url=column.newest_url,
        stale_since=column.stale_since,
        runs_in_status=column.runs_in_status,
        top_level=is_top_level(column.path or [], column.name),
        exempt_until=exempt,
        deadline=deadline if problem and exempt is None else None,
        items_30d=getattr(column, "items_30d", None),
        items_90d=getattr(column, "items_90d", None),
        items_365d=getattr(column, "items_365d", None),
        counts_complete=getattr(column, "counts_complete", None) is not False,
        problem=finding_kind,
        min_items=dict(column.min_items) if isinstance(column.min_items, dict) else None,
    )


def _problem_order(row: ColumnRow) -> tuple[int, int, str]:
    return (display_rank(row.status), -(row.age_days or 0), row.path_text)


def _verdict(rows: list[ColumnRow], latest: CrawlRun | None, today: dt.date) -> list[VerdictRow]:
    """The 单项否决 rows; 报备 (exempt) columns are left out of the counts."""
    counts = count_columns(
        ColumnFacts(row.status, row.category, row.top_level, row.exempt) for row in rows
    )
    stored = stored_verdict(latest)
    # A latest run that judged nothing (site down, nothing found, incomplete) proves no pass:
    # counts from earlier crawls may still show a fail, never a 未触发.
    judged = stored.get(COLUMNS_STALE)
    undecided = latest is None or not rows or (judged or {}).get("result") == UNKNOWN
    why = str((judged or {}).get("detail") or "最近一次抓取未能判定栏目")

    def counted(key: str, rule: str, count: int, limit: int) -> VerdictRow:
        failed = count >= limit
        if undecided and not failed:
            return VerdictRow(key, COLUMNS_STALE, rule, count, limit, "个", False, why, UNKNOWN)
        return VerdictRow(key, COLUMNS_STALE, rule, count, limit, "个", failed)

    return [
        _stored_row(
            "site_down",
            SITE_DOWN,
            f"监测{PROBE_WINDOW_DAYS}天，每天访问{PROBES_PER_DAY}次以上，超过（含）"
            f"{PROBE_TIMEOUT_SECONDS}秒仍打不开的次数累计占比超过（含）{FAIL_RATIO:.0%}",
            stored,
            limit=round(FAIL_RATIO * 100),
            measure="%",
        ),
        counted(
            "key_columns",
            "2周内未更新的动态、要闻类栏目，及6个月内未更新的通知公告、政策文件类一级栏目，"
            f"累计超过（含）{KEY_COLUMNS_LIMIT}个",
            counts.key_columns,
            KEY_COLUMNS_LIMIT,
        ),
        counted(
            "should_update",
            f"应更新但长期未更新的栏目数量超过（含）{NOT_UPDATED_LIMIT}个（未注明发布时间的视为不更新）",
            counts.not_updated,
            NOT_UPDATED_LIMIT,
        ),
        counted("blank", f"空白栏目数量超过（含）{BLANK_LIMIT}个", counts.blank, BLANK_LIMIT),
        _home_row(latest, today, stored.get(HOME_STALE)),
        _stored_row("serious_errors", SERIOUS_ERRORS, "出现严重表述错误", stored),
        _stored_row(
            "replies",
            POOR_REPLIES,
            "监测时间点前1年内，政务咨询类栏目存在超过3个月未回应有效留言的现象",
            stored,
        ),
    ]


def stored_verdict(run: CrawlRun | None) -> dict[str, dict[str, str]]:
    """The verdict rows the run's crawl stored, by name (empty for older runs)."""
    rows = (run.summary or {}).get("verdict") if run is not None else None
    return {str(r.get("name")): r for r in rows or [] if isinstance(r, dict)}


def _stored_row(
    key: str,
    name: str,
    rule: str,
    stored: dict[str, dict[str, str]],
    *,
    limit: int | None = None,
    measure: str = "",
) -> VerdictRow:
    row = stored.get(name)
    if row is None:
        return VerdictRow(key, name, rule, None, limit, measure, False, "最近一次抓取未作此项判定")
    result = str(row.get("result") or UNKNOWN)
    note = str(row.get("detail") or "")
    return VerdictRow(key, name, rule, None, limit, measure, result == FAIL, note, result)


def _home_row(
    latest: CrawlRun | None, today: dt.date, stored: dict[str, str] | None = None
) -> VerdictRow:
    """首页不更新 from the latest run; absent data is reported as such, never as a pass.

    The crawl's stored row, when there is one, decides (and says where the date came from).
    """

    def row(count: int | None, failed: bool, note: str = "") -> VerdictRow:
        result = None
        if stored is not None:
            result = str(stored.get("result") or UNKNOWN)
            failed, note = result == FAIL, str(stored.get("detail") or note)
        return VerdictRow(
            key="home",
            indicator="首页不更新",
            rule=f"监测{HOME_PAGE_DAYS}天内首页无信息更新（未注明发布时间的视为不更新）",
            count=count,
            limit=HOME_PAGE_DAYS,
            measure="天",
            failed=failed,
            note=note,
            result=result,
        )

    if latest is None:
        return row(None, False, "尚无抓取记录")
    info = site_info(latest.summary)
    if (info.get("status") or latest.site_status) == "down":
        return row(None, False, "最近一次抓取时首页无法访问，本项未能判定")
    if info.get("home_last_update"):
        last = dt.date.fromisoformat(str(info["home_last_update"])[:10])
        age = age_days(last, today)
        return row(age, age > HOME_PAGE_DAYS, f"首页最新信息日期 {last.isoformat()}")
    if info.get("home_age_days") is not None:
        age = int(info["home_age_days"])
        return row(age, age > HOME_PAGE_DAYS)
    if "home_last_update" in info:
        return row(None, True, "首页未找到注明发布时间的信息")
    return row(None, False, "最近一次抓取未记录首页信息")


def site_info(summary: dict[str, Any] | None) -> dict[str, Any]:
    """Home-page facts from a run summary, whether nested under ``site`` or at the top."""
    if not summary:
        return {}
    nested = summary.get("site")
    info = dict(nested) if isinstance(nested, dict) else {}
    for key in ("home_last_update", "home_age_days"):
        if key in summary and key not in info:
            info[key] = summary[key]
    return info


def _units(rows: list[ColumnRow], replies: Replies) -> list[UnitRow]:
    units: dict[str, UnitRow] = {}
    for row in rows:
        unit = units.setdefault(row.unit, UnitRow(row.unit))
        unit.counts[row.status] += 1
        if row.is_problem:
            unit.problems.append(row)
    by_url = {row.url: row for row in rows}
    for reply in replies.columns:
        if reply.problem is None:
            continue
        column = by_url.get(reply.url)
        problem = ReplyProblem(reply)
        if column is not None:  # a column no longer on the site: no status, no 报备
            problem = ReplyProblem(reply, column.status, column.exempt_until)
        units.setdefault(reply.unit, UnitRow(reply.unit)).replies.append(problem)
    return sorted(
        units.values(),
        key=lambda unit: (-unit.problem_count.problems, -len(unit.problems), unit.name),
    )


def _run_info(run: CrawlRun) -> RunInfo:
    return RunInfo(
        run_id=run.id,
        started=shanghai_time(run.started_at),
        finished=shanghai_time(run.finished_at) if run.finished_at else None,
        outcome=run.outcome,
        site_status=run.site_status,
        job_id=run.job_id,
        incomplete_reason=run.incomplete_reason,
    )


def _trend(session: Session, runs: list[CrawlRun]) -> list[TrendPoint]:
    """Problem counts per run, from observations (the summary is the fallback)."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    if runs:
        query = (
            select(Observation.run_id, Observation.status, func.count())
            .where(Observation.run_id.in_([run.id for run in runs]))
            .group_by(Observation.run_id, Observation.status)
        )
        for run_id, status, number in session.execute(query):
            counts[run_id][status] = number
    points = []
    for run in runs:
        seen = counts.get(run.id) or _summary_counts(run.summary)
        points.append(
            TrendPoint(
                run_id=run.id,
                day=shanghai_time(run.started_at).date(),
                stale=seen.get("stale", 0),
                undated=seen.get("undated", 0),
                blank=seen.get("blank", 0),
            )
        )
    return points


def _summary_counts(summary: dict[str, Any] | None) -> Counter[str]:
    if not summary:
        return Counter()
    for key in ("by_status", "status_counts", "statuses"):
        value = summary.get(key)
        if isinstance(value, dict):
            return Counter({str(k): int(v) for k, v in value.items() if isinstance(v, int)})
    return Counter()


def _findings_with_columns(site: Site, *conditions: Any) -> Select[Finding, Column]:
    """The site's findings matching ``conditions``, each with its column."""
    return (
        select(Finding, Column)
        .join(Column, Column.id == Finding.column_id)
        .where(Finding.site_id == site.id, *conditions)
    )


def _longest(
    session: Session, site: Site, today: dt.date, default_unit: str | None
) -> list[OpenFinding]:
    query = (
        _findings_with_columns(
            site, Finding.is_open.is_(True), Column.status.not_in((GONE, IGNORED))
        )
        .order_by(Finding.opened_on, Finding.id)
        .limit(LONGEST_FINDINGS)
    )
    return [
        OpenFinding(
            column=column_path(column.path, column.name),
            url=column.url,
            unit=finding.unit or column.unit or default_unit or NO_UNIT,
            kind=finding.kind,
            opened_on=finding.opened_on,
            days_open=age_days(finding.opened_on, today),
        )
        for finding, column in session.execute(query)
    ]


def _resolved(
    session: Session, site: Site, today: dt.date, default_unit: str | None
) -> list[ClosedFinding]:
    """Findings fixed or gone within ``RESOLVED_DAYS`` (``ignored`` ones are not 整改)."""
    query = _findings_with_columns(
        site,
        Finding.is_open.is_(False),
        Finding.resolution.in_(tuple(RESOLUTION_LABELS)),
        Finding.closed_on.between(*last_days(today, RESOLVED_DAYS)),
    ).order_by(Finding.closed_on.desc(), Finding.id)
    return [
        ClosedFinding(
            column=column_path(column.path, column.name),
            path=list(column.path or []),
            name=column.name,
            url=column.url,
            unit=finding.unit or column.unit or default_unit or NO_UNIT,
            kind=finding.kind,
            opened_on=finding.opened_on,
            closed_on=finding.closed_on,
            resolution=finding.resolution or "fixed",
        )
        for finding, column in session.execute(query)
        if finding.closed_on is not None
    ]
