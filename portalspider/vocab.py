"""The domain vocabulary, defined once: statuses, problems, labels, order, categories.

Every module that names a status, says which statuses are problems, shows a Chinese label,
sorts columns for a reader, or counts problems imports it from here, so the crawl log, the
store, the report and the alerts cannot disagree (issue 8, issue 9 item 9).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: A column item's status, in the judge's precedence (``spec/interface.md``): the first
#: that applies wins. ``sparse`` (更新较少) has its place here although no rule emits it yet.
PRECEDENCE = ("unreachable", "blank", "undated", "stale", "sparse", "warning", "ok")
STATUSES = PRECEDENCE
#: Column states the store adds to the item statuses: vanished from the site, or switched
#: off by an ``ignore: true`` rule (never counted as ``gone``).
GONE = "gone"
IGNORED = "ignored"
COLUMN_STATES = (*STATUSES, GONE, IGNORED)

#: Statuses that are problems (findings): the indicators count them as "not updated".
#: ``unreachable`` is none: a fetch failure is no evidence of staleness.
PROBLEM_STATUSES = frozenset({"stale", "undated", "blank"})
#: 未注明发布时间的视为不更新: the statuses the "should update" veto rows count.
NOT_UPDATED = frozenset({"stale", "undated"})
#: Statuses that end a problem episode as fixed (the column was updated within threshold).
FIXED_STATUSES = frozenset({"ok", "warning", "sparse"})

#: The order a reader sees columns in: problems first (worst first), then what needs an
#: eye, then the good ones, then the columns no longer monitored.
DISPLAY_ORDER = (
    "stale",
    "undated",
    "blank",
    "unreachable",
    "sparse",
    "warning",
    "ok",
    GONE,
    IGNORED,
)
#: The item statuses in reading order: the crawl log's and the report's tallies.
SHOWN_STATUSES = tuple(s for s in DISPLAY_ORDER if s in STATUSES)

#: One Chinese label per state, for the report, the digests and the command output.
STATUS_LABELS = {
    "ok": "正常",
    "warning": "临期",
    "sparse": "更新较少",
    "stale": "超期未更新",
    "undated": "未注明发布时间",
    "blank": "空白栏目",
    "unreachable": "无法访问",
    GONE: "已撤销",
    IGNORED: "不监测",
}

#: Indicator categories (``indicators.md`` §4), their labels and default thresholds (days).
CATEGORIES = ("news", "notice", "policy", "personnel", "plan", "interaction", "other")
CATEGORY_LABELS = {
    "news": "动态要闻",
    "notice": "通知公告",
    "policy": "政策文件",
    "personnel": "人事信息",
    "plan": "规划计划",
    "interaction": "互动交流",
    "other": "其他",
}
DEFAULT_THRESHOLDS: dict[str, int] = {
    "news": 14,
    "notice": 183,
    "policy": 183,
    "personnel": 365,
    "plan": 365,
    "interaction": 365,
    "other": 365,
}


def tally(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """``(status, count)`` for each item status in reading order, as logs and reports show
    them; ``sparse`` only once seen (no rule emits it yet: a 0 would claim an unmade check).
    """
    return [(s, counts.get(s, 0)) for s in SHOWN_STATUSES if s != "sparse" or counts.get(s)]


def display_rank(status: str) -> int:
    """Sort key for a status in ``DISPLAY_ORDER``; unknown states sort last."""
    return DISPLAY_ORDER.index(status) if status in DISPLAY_ORDER else len(DISPLAY_ORDER)


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


def exempt_on(exempt_until: dt.date | None, today: dt.date) -> bool:
    """报备: an exemption covers ``today`` while its end date (included) is not past."""
    return exempt_until is not None and today <= exempt_until


@dataclass(frozen=True)
class ProblemCount:
    """Problems to fix, and problems covered by 报备 (shown apart, never added in)."""

    problems: int = 0
    exempt: int = 0


def count_problems(columns: Iterable[tuple[str, dt.date | None]], today: dt.date) -> ProblemCount:
    """The one problem count: ``(status, exempt_until)`` pairs, exempt ones counted apart.

    The crawl log's SUMMARY, the report and the alert digests all count with this, so an
    exempt column never makes them disagree.
    """
    problems = exempt = 0
    for status, exempt_until in columns:
        if status not in PROBLEM_STATUSES:
            continue
        if exempt_on(exempt_until, today):
            exempt += 1
        else:
            problems += 1
    return ProblemCount(problems, exempt)
