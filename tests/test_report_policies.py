"""The report's 解读回应 section in every format: HTML, Markdown, CSV, Word, Excel."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import docx
import openpyxl
import pytest

from portalspider.items import InterpretationsItem
from portalspider.report.data import build_report
from portalspider.report.office import OfficeExtras, render_docx, render_xlsx
from portalspider.report.render import render_csv, render_html, render_markdown
from portalspider.store.queries import get_site
from tests.test_alerts_support import make_sessions
from tests.test_policies_store import D0, SITE, doc, run

SUMMARY = InterpretationsItem(
    documents_365d=3,
    interpretations_365d=1,
    counts_complete=True,
    ratio=0.333,
    min_ratio=0.5,
    result="偏少",
    unread_documents=2,
)
EVIL = '=HYPERLINK("http://x")<script>'


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    sessions = make_sessions(tmp_path_factory.mktemp("policies"))
    items = [
        doc(1, "two_way", interpretation_url=f"{SITE}zwgk/zcjd/1.html", linked_back=True),
        doc(2, "missing", title=EVIL),
        doc(3, "doc_only", interpretation_url=f"{SITE}zwgk/zcjd/3.html", linked_back=False),
        SUMMARY,
    ]
    run(sessions, D0, items, status="ok")
    with sessions() as session:
        site = get_site(session, SITE)
        assert site is not None
        return build_report(session, site, D0, deadline_days=5)


def test_section_counts_and_problem_rows(report):
    section = report.policies
    assert section is not None
    assert len(section.rows) == 3
    assert [r.state for r in section.problems] == ["doc_only", "missing"]
    assert section.two_way_share == "33%"
    assert section.few
    # the column is fine; its interpretation links are not: no column counted twice
    assert not report.problems


def test_html_and_markdown(report):
    html = render_html(report)
    assert "十、政策文件与政策解读关联（解读回应）" in html
    assert "双向关联 1 件（占 33%）" in html
    assert "未关联解读" in html
    assert "偏少" in html
    assert "另有 2 件待后续检测" in html
    assert "&lt;script&gt;" in html  # crawled text escaped
    md = render_markdown(report)
    assert "## 十、政策文件与政策解读关联（解读回应）" in md
    assert "| 1 |" in md
    assert "单向关联（解读未链接回原文）" in md


def test_csv_rows_after_the_columns(report):
    rows = list(csv.reader(io.StringIO(render_csv(report))))
    assert len(rows) == 1 + 2
    assert rows[1][5] == "单向关联（解读未链接回原文）"
    assert rows[2][9].startswith("'=")  # a crawled formula stays text


def test_word_and_excel(report, tmp_path: Path):
    extras = OfficeExtras()
    path = tmp_path / "r.docx"
    path.write_bytes(render_docx(report, extras))
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "(一)政策文件与政策解读未双向关联" in texts
    assert any("政策解读偏少" in t for t in texts)
    assert any(t.startswith("3.政策文件:《") and "(整改责任单位:县司法局)" in t for t in texts)
    book = tmp_path / "r.xlsx"
    book.write_bytes(render_xlsx(report, extras))
    sheet = openpyxl.load_workbook(str(book))["政策解读"]
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 4
    assert values[1][5] == "单向关联（解读未链接回原文）"
    assert sheet.freeze_panes == "A2"
