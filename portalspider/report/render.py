"""Rendering the report model: HTML and Markdown from Jinja2 templates, CSV with ``csv``.

Everything that came from a crawled page (titles, column names, URLs) is hostile until
escaped for its medium: HTML through autoescape, Markdown through ``md``, CSV cells
through ``csvsafe.cell`` (spreadsheet formula injection), links through ``safe_url`` (only
http/https become links, never ``javascript:``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from portalspider import csvsafe
from portalspider.report.data import Report
from portalspider.report.links import links_csv
from portalspider.report.policies import csv_rows
from portalspider.vocab import PROBLEM_STATUSES, category_label, status_label

# Only what can start markup mid-line: a cell never begins a line, so "#", "+", ">" stay.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(value: object) -> str:
    """Markdown-escape crawled text so it stays literal in a table cell or list item."""
    if value is None:
        return ""
    text = " ".join(str(value).split())  # a newline would end the table row
    text = text.replace("&", "&amp;").replace("<", "&lt;")  # no raw HTML survives
    return _MD_SPECIAL.sub(r"\\\1", text)


def safe_url(value: object) -> str:
    """The URL if it is http(s), else empty: a crawled ``javascript:`` link stays text."""
    if not value:
        return ""
    url = str(value).strip()
    return url if urlsplit(url).scheme.lower() in ("http", "https") else ""


def md_url(value: object) -> str:
    """A URL safe inside Markdown ``(...)``: spaces, brackets and angle brackets encoded."""
    return quote(safe_url(value), safe=":/?#@!$&'*+,;=%~.-_")


def cn_date(value: dt.date | None) -> str:
    """2025年3月7日, the form official documents use."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def iso(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


FILTERS: dict[str, Callable[..., str]] = {
    "md": md,
    "safe_url": safe_url,
    "md_url": md_url,
    "cn_date": cn_date,
    "iso": iso,
    "status_label": status_label,
}


def environment() -> Environment:
    """One environment for all report templates; autoescape on for HTML and SVG."""
    env = Environment(
        loader=PackageLoader("portalspider", "templates"),
        autoescape=select_autoescape(
            enabled_extensions=("html.jinja", "svg.jinja"), default_for_string=True
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    env.globals["problem_statuses"] = sorted(PROBLEM_STATUSES)
    return env


def render_html(report: Report) -> str:
    return environment().get_template("report/report.html.jinja").render(report=report)


def render_markdown(report: Report) -> str:
    return environment().get_template("report/report.md.jinja").render(report=report)


CSV_HEADER = (
    "序号", "责任单位", "栏目", "栏目链接", "类别", "问题", "最近更新", "已过天数",
    "时限天数", "最新信息", "最新信息链接", "整改期限", "报备至",
)  # fmt: skip


def render_csv(report: Report) -> str:
    """One row per problem column, grouped by unit as in the HTML.

    Written with a BOM by ``write_report`` so Excel opens the Chinese text as UTF-8.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for number, row in enumerate(report.problems, start=1):
        writer.writerow(
            csvsafe.cell(value)
            for value in (
                number,
                row.unit,
                row.path_text,
                row.url,
                row.category_label,
                row.status_label,
                row.last_update,
                row.age_days,
                row.threshold_days,
                row.newest_title,
                row.newest_url,
                row.deadline,
                row.exempt_until,
            )
        )
    # 互动回应差: each overdue letter or 征集 without 结果反馈 is a problem row of its own.
    first = len(report.problems) + 1
    for number, m in enumerate(report.replies.overdue, start=first):
        writer.writerow(
            csvsafe.cell(value)
            for value in (
                number,
                m.unit,
                m.column,
                "",
                category_label("interaction"),
                f"互动回应差:{m.problem}",
                m.asked,
                m.days,
                None,
                m.title,
                m.url,
                report.deadline,
                None,
            )
        )
    # 解读回应: one row per document whose interpretation link is one-way or missing.
    start = len(report.problems) + len(report.replies.overdue) + 1
    for number, doc in enumerate(csv_rows(report.policies), start=start):
        writer.writerow(
            csvsafe.cell(value)
            for value in (
                number,
                doc.unit,
                doc.column,
                doc.column_url,
                category_label("policy"),
                doc.state_label,
                doc.date,
                None,
                None,
                doc.title,
                doc.url,
                report.deadline,
                None,
            )
        )
    links_csv(writer, report.links)
    return out.getvalue()


FORMATS: dict[str, tuple[Callable[[Report], str], str]] = {
    # extension: (renderer, file encoding); csvsafe.ENCODING puts the BOM Excel needs.
    ".html": (render_html, "utf-8"),
    ".htm": (render_html, "utf-8"),
    ".md": (render_markdown, "utf-8"),
    ".markdown": (render_markdown, "utf-8"),
    ".csv": (render_csv, csvsafe.ENCODING),
}


def render_report(report: Report, suffix: str) -> tuple[str, str]:
    """Text and encoding for an output file suffix; ``KeyError`` for an unknown one."""
    renderer, encoding = FORMATS[suffix.lower()]
    return renderer(report), encoding
