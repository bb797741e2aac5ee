"""One unit's digest: the data model and its rendering from the Jinja2 template files.

The digest is rendered once, when the notifications are decided, and the result is stored
in the outbox; a retry re-sends exactly the same bytes (which WeCom's duplicate check and
the email Message-ID rely on).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2 import PackageLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import ImmutableSandboxedEnvironment

from alerts.markdown import escape_markdown, one_line, safe_link, split_parts
from portalspider.vocab import GONE, count_problems, status_label

# Order in a digest: what needs action first, the good news last.
KIND_ORDER = {
    "site_down": -1,
    "availability_alert": -1,
    "availability_warn": -1,
    "crawl_incomplete": -1,
    "escalation": 0,
    "alert": 1,
    "reminder": 2,
    "pre_alert": 3,
    "link_broken": 1,
    "resolved": 4,
    "link_fixed": 4,
    "site_up": 5,
    "crawl_complete": 5,
}
# A finding closed because its column left the site: no 整改, but its unit hears of it.
CLOSED_GONE_LABEL = "已关闭"
ACTION_KINDS = frozenset({"escalation", "alert", "reminder"})
SITE_KINDS = frozenset(
    {
        "site_down",
        "site_up",
        "availability_warn",
        "availability_alert",
        "crawl_incomplete",
        "crawl_complete",
    }
)

KIND_LABELS = {
    "alert": "需整改",
    "reminder": "催办",
    "escalation": "逾期未改",
    "pre_alert": status_label("warning"),
    "resolved": "已整改",
    "site_down": "网站无法访问",
    "site_up": "网站已恢复",
    "availability_warn": "网站访问不稳定",
    "availability_alert": "站点无法访问（单项否决）",
    "crawl_incomplete": "检测不完整",
    "crawl_complete": "检测已恢复完整",
    "link_broken": "链接不可用",
    "link_fixed": "链接已修复",
}


@dataclass
class Notice:
    """One column's line in a digest (what one AlertEvent says)."""

    # pre_alert | alert | reminder | escalation | resolved | site_down | site_up |
    # availability_warn | availability_alert (the week's probes, ``alerts.availability``) |
    # crawl_incomplete | crawl_complete (a streak of incomplete crawls, ``lifecycle.STREAKS``)
    kind: str
    column_id: int
    name: str
    url: str
    status: str
    path: list[str] = field(default_factory=list)
    age_days: int | None = None
    threshold_days: int | None = None
    last_update: dt.date | None = None
    newest_title: str | None = None
    newest_url: str | None = None
    owner_unit: str | None = None  # the responsible unit (differs from the recipient on escalation)
    since: dt.date | None = None  # the day the problem was first seen
    seq: int = 0  # reminder number
    days_left: int | None = None  # pre-alert: days until stale
    problem: str | None = None  # the finding's kind (``unreachable``: failed twice in a row)
    # site_down: why the home page failed; availability_*: the week's probe counts;
    # crawl_incomplete: the run's incomplete_reason (may quote crawled URLs: each medium's
    # template escapes it)
    detail: str | None = None
    # 更新较少: the column's rule and its count as judged (``Column.min_items``:
    # {count, days, items, complete}); None when no rule was in force.
    min_items: dict[str, Any] | None = None

    @property
    def kind_label(self) -> str:
        if self.kind == "resolved" and self.status == GONE:
            return CLOSED_GONE_LABEL
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def path_text(self) -> str:
        parts = [p for p in self.path if p]
        if not parts or parts[-1] != self.name:
            parts.append(self.name)
        return " / ".join(one_line(p, 60) for p in parts)

    @property
    def sparse_figures(self) -> tuple[int, str, int] | None:
        """(days, items, count) of the 更新较少 rule; items ``≥N`` when only a lower bound."""
        rule = self.min_items or {}
        days, count, items = rule.get("days"), rule.get("count"), rule.get("items")
        if not isinstance(days, int) or not isinstance(count, int) or not isinstance(items, int):
            return None
        return days, (f"≥{items}" if rule.get("complete") is False else str(items)), count

    @property
    def link(self) -> str | None:
        return safe_link(self.url)

    @property
    def newest_link(self) -> str | None:
        return safe_link(self.newest_url)


@dataclass
class Digest:
    """Everything one unit hears after one crawl, for every channel alike."""

    site_name: str
    site_url: str
    unit: str
    today: dt.date
    deadline: dt.date
    notices: list[Notice]

    def __post_init__(self) -> None:
        self.notices.sort(key=lambda n: (KIND_ORDER.get(n.kind, 9), n.path_text, n.column_id))

    @property
    def action_count(self) -> int:
        """Columns to fix in this digest, counted like the crawl log and the report count.

        Exempt columns never get an action notice (``lifecycle.is_exempt``), so none is
        passed as exempt here.
        """
        acting = {n.column_id: n for n in self.notices if n.kind in ACTION_KINDS}
        counted = ((n.status, None, n.problem) for n in acting.values())
        return count_problems(counted, self.today).problems

    @property
    def site_kind(self) -> str | None:
        """A ``SITE_KINDS`` kind when this digest is about the site itself."""
        return next((n.kind for n in self.notices if n.kind in SITE_KINDS), None)

    @property
    def warning_count(self) -> int:
        return sum(n.kind == "pre_alert" for n in self.notices)

    @property
    def resolved_count(self) -> int:
        return sum(n.kind == "resolved" and n.status != GONE for n in self.notices)

    @property
    def closed_gone_count(self) -> int:
        """Findings closed because their column left the site: closed, not 整改."""
        return sum(n.kind == "resolved" and n.status == GONE for n in self.notices)

    @property
    def link_count(self) -> int:
        """Broken links told in this digest (``alerts.links``)."""
        return sum(n.kind == "link_broken" for n in self.notices)

    @property
    def link_fixed_count(self) -> int:
        return sum(n.kind == "link_fixed" for n in self.notices)


def cn_date(value: dt.date | None) -> str:
    """9月15日: how the seed report writes deadlines."""
    return "" if value is None else f"{value.month}月{value.day}日"


FILTERS = {
    "md": escape_markdown,
    "line": one_line,
    "cn_date": cn_date,
    "status_label": status_label,
}


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    """The one template environment: HTML autoescaped, sandboxed against crawled text."""
    env = ImmutableSandboxedEnvironment(
        loader=PackageLoader("alerts", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.jinja",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.filters.update(FILTERS)
    return env


def _render(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)


def render_subject(digest: Digest) -> str:
    """A one-line subject (a newline in a unit or site name cannot inject a header)."""
    return one_line(_render("email/subject.txt.jinja", d=digest), 300)


def render_email(digest: Digest) -> tuple[str, str]:
    """The plain-text and HTML bodies of the email."""
    return (
        _render("email/digest.txt.jinja", d=digest),
        _render("email/digest.html.jinja", d=digest),
    )


def render_markdown_parts(digest: Digest, budget: int) -> list[str]:
    """WeCom markdown messages, each at most ``budget`` UTF-8 bytes, split between columns."""
    return _render_parts(digest, "wecom", "md", budget)


def render_text_parts(digest: Digest, budget: int) -> list[str]:
    """Plain-text messages (robot ``text`` with @-mentions), each at most ``budget`` bytes."""
    return _render_parts(digest, "text", "txt", budget)


def _render_parts(digest: Digest, folder: str, ext: str, budget: int) -> list[str]:
    head = _render(f"{folder}/head.{ext}.jinja", d=digest).strip("\n") + "\n"
    tail = _render(f"{folder}/tail.{ext}.jinja", d=digest).strip("\n")
    item = environment().get_template(f"{folder}/item.{ext}.jinja")
    lines = [item.render(d=digest, n=n).strip("\n") for n in digest.notices]
    return split_parts(head, lines, tail, budget)
