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
#: that applies wins. ``sparse`` (更新较少) needs a ``min_items`` rule in the site config.
PRECEDENCE = ("unreachable", "blank", "undated", "stale", "sparse", "warning", "ok")
STATUSES = PRECEDENCE
#: Column states the store adds to the item statuses: vanished from the site, or switched
#: off by an ``ignore: true`` rule (never counted as ``gone``).
GONE = "gone"
IGNORED = "ignored"
COLUMN_STATES = (*STATUSES, GONE, IGNORED)

#: Statuses that are problems (findings): the indicators count them as "not updated".
#: ``unreachable`` is none: a fetch failure is no evidence of staleness. ``sparse`` (更新较少)
#: is a problem of its own kind: its findings open and close apart from the "not updated"
#: ones (``SPARSE_STATUSES``), see ``store.recorder.transition``.
PROBLEM_STATUSES = frozenset({"stale", "undated", "blank", "sparse"})
#: Problem statuses that form one episode among themselves (a finding's kind may move
#: between them); a move across the families closes one finding and opens another.
SPARSE_STATUSES = frozenset({"sparse"})
#: 未注明发布时间的视为不更新: the statuses the "should update" veto rows count.
NOT_UPDATED = frozenset({"stale", "undated"})
#: A column unreachable (after retries) in two consecutive crawls is a problem too
#: (链接不可用): the store opens a finding of this kind on the second such observation,
#: and the column keeps the status ``unreachable`` while it lasts.
UNREACHABLE = "unreachable"
#: 互动回应差 (``portalspider.interaction``): a consultation column with overdue letters, a
#: 征集调查 column with a 征集 ended without 结果反馈. Findings of their own on the column,
#: beside its freshness finding; opened and closed from the column's message check, never
#: from its status (``store.messages``).
REPLY_OVERDUE = "reply_overdue"
NO_FEEDBACK = "no_feedback"
MESSAGE_FINDING_KINDS = frozenset({REPLY_OVERDUE, NO_FEEDBACK})
#: A ``message_column`` item's kind (``rules.LETTERS``, ``rules.SOLICITATIONS``) → the
#: finding its overdue count opens (the store) and the problem it is (the crawl's SUMMARY).
MESSAGE_FINDING_OF = {"letters": REPLY_OVERDUE, "solicitations": NO_FEEDBACK}
#: What a finding (one problem episode, ``store.models.Finding.kind``) can be.
#: Findings a check of its own opens and closes on a column, whatever the column's status:
#: the 解读回应 check's one-way or missing interpretation links (``store/policies.py``).
POLICY_LINKS = "policy_links"
CHECK_KINDS = frozenset({POLICY_LINKS})
FINDING_KINDS = PROBLEM_STATUSES | {UNREACHABLE} | MESSAGE_FINDING_KINDS | CHECK_KINDS
#: Finding kinds that follow the column's status (``store.recorder.transition``).
COLUMN_FINDING_KINDS = PROBLEM_STATUSES | {UNREACHABLE}
#: 解读回应 (``portalspider.interpretation``): the window of documents checked, each
#: document's link state, which states are problems, and their labels.
POLICY_WINDOW_DAYS = 365
POLICY_STATES = ("two_way", "doc_only", "interp_only", "missing", "unverified")
POLICY_PROBLEM_STATES = frozenset({"doc_only", "interp_only", "missing"})
POLICY_STATE_LABELS = {
    "two_way": "双向关联",
    "doc_only": "单向关联（解读未链接回原文）",
    "interp_only": "单向关联（原文未链接解读）",
    "missing": "未关联解读",
    "unverified": "解读页面无法打开，未判定",
}
#: 偏少: interpretations far fewer than documents (the summary's result word).
FEW_INTERPRETATIONS = "偏少"
#: The indicator's name for each finding kind, where it differs from the status label.
PROBLEM_LABELS = {
    UNREACHABLE: "链接不可用",
    REPLY_OVERDUE: "互动回应差",
    NO_FEEDBACK: "征集无结果反馈",
    POLICY_LINKS: "政策解读未双向关联",
}
#: Statuses that end a problem episode as fixed (the column was updated within threshold).
FIXED_STATUSES = frozenset({"ok", "warning"})

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


def problem_label(kind: str) -> str:
    """A finding kind as the indicators name the problem (``unreachable`` → 链接不可用)."""
    return PROBLEM_LABELS.get(kind) or status_label(kind)


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


def is_problem(status: str, finding_kind: str | None = None) -> bool:
    """A problem status, or ``unreachable`` with its open ``unreachable`` finding, or an
    open finding of a check of its own (``CHECK_KINDS``, 互动回应差's
    ``MESSAGE_FINDING_KINDS``) whatever the column's status."""
    return (
        status in PROBLEM_STATUSES
        or (status == UNREACHABLE and finding_kind == UNREACHABLE)
        or finding_kind in CHECK_KINDS
        or finding_kind in MESSAGE_FINDING_KINDS
    )


def message_problem(kind: str, read: bool, overdue: int) -> str | None:
    """The 互动回应差 problem a message check found (``MESSAGE_FINDING_OF``), or None: a
    list read with overdue letters or 征集 without 结果反馈. The crawl's SUMMARY and the
    report count the column's problem with it."""
    return MESSAGE_FINDING_OF.get(kind) if read and overdue else None


#: ``(status, exempt_until)`` or ``(status, exempt_until, open_finding_kind)``.
Counted = tuple[str, dt.date | None] | tuple[str, dt.date | None, str | None]


def count_problems(columns: Iterable[Counted], today: dt.date) -> ProblemCount:
    """The one problem count: ``(status, exempt_until[, finding_kind])``, exempt apart.

    The crawl log's SUMMARY, the report and the alert digests all count with this, so an
    exempt column never makes them disagree. The open finding's kind tells a column
    unreachable twice in a row (a problem) from one that failed once (not yet one).
    """
    problems = exempt = 0
    for column in columns:
        status, exempt_until = column[0], column[1]
        kind = column[2] if len(column) > 2 else None
        if not is_problem(status, kind):
            continue
        if exempt_on(exempt_until, today):
            exempt += 1
        else:
            problems += 1
    return ProblemCount(problems, exempt)


def broken_link_reason(http_status: int | None, error: str | None) -> str:
    """Why a link is broken, in one phrase: its HTTP error status, else the error (a soft 404
    answers 200 and says why), else 无法打开. Reports and alerts say it alike."""
    if http_status is not None and (http_status >= 400 or not error):
        return f"HTTP {http_status}"
    return error or "无法打开"
