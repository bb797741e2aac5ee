"""The Markdown report shows every section the HTML shows (issue 9.15): same headings,
same scope note, the 已整改 list and the 临期 / 无法访问 columns."""

from __future__ import annotations

import re

from portalspider.report.render import render_html, render_markdown
from tests.test_report import report  # noqa: F401 (the shared report fixture)


def _html_headings(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", h).strip() for h in re.findall(r"<h[23]>([^<]*)</h[23]>", html)]


def _md_headings(md: str) -> list[str]:
    return [line.lstrip("#").strip() for line in md.splitlines() if re.match(r"#{2,3} ", line)]


def test_markdown_has_every_html_section(report) -> None:  # noqa: F811
    html, md = render_html(report), render_markdown(report)
    assert report.warnings
    assert report.unreachable
    assert _md_headings(md) == _html_headings(html)
    for heading in (
        "六、已整改的问题",
        "七、建议合并删减",
        "八、需关注的栏目",
        "临期栏目",
        "无法访问的栏目",
    ):
        assert any(h.startswith(heading) for h in _md_headings(md)), heading


def test_markdown_has_the_scope_note(report) -> None:  # noqa: F811
    md = render_markdown(report)
    assert "不由本报告判定" in md
    assert "不由本报告判定" in render_html(report)


def test_markdown_lists_the_watched_columns(report) -> None:  # noqa: F811
    md = render_markdown(report)
    watch = md[md.index("八、需关注的栏目") :]
    for col in [*report.warnings, *report.unreachable]:
        assert col.path_text.split("/")[-1] in watch
