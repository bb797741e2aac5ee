"""``scrapy report -o report.docx|report.xlsx``: written by the real command, read back.

The store is ``test_report``'s (three units, four runs, every status) plus a top-level
column whose crawled name looks like a formula, and findings closed 3 and 10 days ago
(one fixed, one whose column was removed) and one closed 60 days ago (outside 已整改).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from sqlalchemy import select
from sqlalchemy.orm import Session

from portalspider.report.excel import display_width
from portalspider.store.db import make_engine, upgrade
from portalspider.store.models import Column, CrawlRun, Finding
from tests.test_report import COLUMNS, TODAY, _populate

REPO = Path(__file__).resolve().parent.parent
FORMULA_NAME = '=HYPERLINK("evil.example","点我")'
DEADLINE = TODAY + dt.timedelta(days=10)
# Every column a unit must rectify: problem or unreachable, not 报备 (exempt), not gone.
TO_RECTIFY = {
    name: unit or "县政府办"
    for name, _path, unit, _cat, status, _age, _thr, extra in COLUMNS
    if status in ("stale", "undated", "blank", "unreachable") and "exempt_until" not in extra
}
TO_RECTIFY[FORMULA_NAME] = "县教育局"
NUMBERED = re.compile(r"^(\d+)\.([^:]+):(.+)。\(整改责任单位:([^()]+)\)$")


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("office")
    db_url = f"sqlite:///{root / 'ps.db'}"
    engine = make_engine(db_url)
    upgrade(engine)
    with Session(engine) as session:
        site = _populate(session)
        run = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).first()
        assert run is not None
        formula = Column(
            site_id=site.id,
            url_key="127.0.0.1:8765/formula",
            url="http://127.0.0.1:8765/formula/",
            name=FORMULA_NAME,
            path=[],
            unit="县教育局",
            category="other",
            status="blank",
            threshold_days=365,
            runs_in_status=1,
        )
        session.add(formula)
        session.flush()
        by_name = {c.name: c for c in session.scalars(select(Column))}
        for name, kind, closed_days_ago, resolution in [
            ("领导活动", "stale", 3, "fixed"),
            ("旧栏目", "blank", 10, "gone"),
            ("发展规划", "stale", 60, "fixed"),
        ]:
            session.add(
                Finding(
                    site_id=site.id,
                    column_id=by_name[name].id,
                    kind=kind,
                    unit=by_name[name].unit,
                    opened_run_id=run.id,
                    opened_on=TODAY - dt.timedelta(days=90),
                    closed_run_id=run.id,
                    closed_on=TODAY - dt.timedelta(days=closed_days_ago),
                    resolution=resolution,
                    is_open=False,
                )
            )
        session.commit()
    engine.dispose()
    site_yaml = root / "qingxi.yaml"
    site_yaml.write_text(
        "site:\n  name: 青溪县人民政府\n  url: http://127.0.0.1:8765\n"
        "defaults:\n  unit: 县政府办\n  deadline_days: 10\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTALSPIDER_")}
    env["PORTALSPIDER_DATABASE_URL"] = db_url
    return root, site_yaml, env


def write(setup, name: str) -> Path:
    root, site_yaml, env = setup
    out = root / name
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "report",
            "--site",
            str(site_yaml),
            "-o",
            str(out),
            "--today",
            TODAY.isoformat(),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"report written to {out}"
    return out


@pytest.fixture(scope="module")
def document(setup):
    return docx.Document(str(write(setup, "report.docx")))


@pytest.fixture(scope="module")
def workbook(setup):
    return openpyxl.load_workbook(write(setup, "report.xlsx"))


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def section(lines: list[str], start: str, end: str) -> list[str]:
    return lines[lines.index(start) + 1 : lines.index(end)]


def test_docx_numbers_every_problem_under_its_unit(document):
    lines = texts(document)
    assert lines[0] == "关于青溪县人民政府自查情况报告"
    assert "2025年6月30日" in lines[1]
    problems = section(lines, "一、存在问题", "二、有关要求")
    numbered = [m for m in map(NUMBERED.match, problems) if m]
    assert [int(m[1]) for m in numbered] == list(range(1, len(TO_RECTIFY) + 1))
    found = {m[2].rsplit("/", 1)[-1]: m[4] for m in numbered}
    assert found == TO_RECTIFY  # every column once, each with its own unit
    stale = next(m for m in numbered if m[2] == "新闻中心/政务动态")
    assert stale[3] == "栏目超过40天未更新(最后更新2025-05-21,要求14天)"
    assert "上述整改责任单位请于2025年7月10日前整改到位。" in problems
    # grouped by kind, the groups headed (一)(二)… in the order of the first numbers
    headings = [line for line in problems if re.match(r"^\([一二三四五]\)", line)]
    assert [h[:3] for h in headings] == ["(一)", "(二)", "(三)", "(四)"]
    assert headings[0].startswith("(一)超期未更新")
    # 报备 columns are named apart, not numbered
    assert not any("招生信息" in m[2] for m in numbered)
    assert any("招生信息" in line and "报备至2025年12月31日" in line for line in problems)


def test_docx_requirements_resolved_and_signature(document):
    lines = texts(document)
    requirements = section(lines, "二、有关要求", "三、已整改情况")
    assert any("2025年7月10日前整改到位" in line for line in requirements)
    resolved = lines[lines.index("三、已整改情况") + 1 :]
    assert resolved[0] == "近30天内已整改问题2个:"
    assert (
        resolved[1]
        == "1.新闻中心/领导活动:超期未更新问题已于2025年6月27日整改。(整改责任单位:县政府办)"
    )
    assert resolved[2].startswith("2.旧栏目:空白栏目问题,栏目已于2025年6月20日撤并")
    assert not any("发展规划" in line for line in resolved)  # closed 60 days ago
    assert "填报单位:县政府办" in lines
    assert any(line.startswith("审核人:") for line in lines)
    assert lines[-1] == "日期:2025年6月30日"


def test_docx_page_fonts_and_page_numbers(document):
    section_ = document.sections[0]
    assert (round(section_.page_width.cm, 1), round(section_.page_height.cm, 1)) == (21.0, 29.7)
    margins = (
        section_.top_margin,
        section_.bottom_margin,
        section_.left_margin,
        section_.right_margin,
    )
    assert [round(m.cm, 2) for m in margins] == [3.7, 3.5, 2.8, 2.6]  # 公文 margins
    title = document.paragraphs[0].runs[0]._element.rPr.rFonts
    assert title.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = document.paragraphs[2].runs[0]._element.rPr.rFonts
    assert body.get(qn("w:eastAsia")) == "仿宋_GB2312"
    footer = section_.footer.paragraphs[0]._element.xml
    assert "PAGE" in footer
    assert 'w:fldCharType="begin"' in footer


def test_docx_fonts_fall_back_to_songti(setup, document):
    # ``document`` writes report.docx: without it an xdist worker may run this test first.
    with zipfile.ZipFile(setup[0] / "report.docx") as archive:
        fonts = archive.read("word/fontTable.xml").decode("utf-8")
    assert re.search(r'w:name="仿宋_GB2312">\s*<w:altName w:val="宋体"/>', fonts)


def test_xlsx_problem_sheet_first_frozen_and_filtered(workbook):
    assert workbook.sheetnames == [
        "存在问题",
        "全部栏目",
        "已整改",
        "建议合并删减",
        "政策解读",
        "互动回应",
        "互动栏目",
    ]
    sheet = workbook["存在问题"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "序号", "栏目", "问题", "最后更新", "超期天数", "近一年更新条数",
        "整改责任单位", "整改期限", "整改措施", "完成情况",
    )  # fmt: skip
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:J{len(rows)}"
    found = {}
    for _number, path, problem, _last, _over, _count, unit, deadline, measure, done in rows[1:]:
        found[path.lstrip("'").rsplit("/", 1)[-1]] = unit
        assert deadline.date() == DEADLINE
        assert problem
        assert measure is None
        assert done is None
    assert found == TO_RECTIFY
    assert [row[0] for row in rows[1:]] == list(range(1, len(TO_RECTIFY) + 1))
    stale = next(row for row in rows if row[1] == "新闻中心/政务动态")
    assert (stale[3].date(), stale[4]) == (dt.date(2025, 5, 21), 26)  # 40 days, 14 allowed


def test_xlsx_crawled_formula_stays_text(setup, workbook):
    cells = [c for row in workbook["存在问题"].iter_rows() for c in row if c.value]
    evil = next(c for c in cells if FORMULA_NAME in str(c.value))
    assert evil.value == "'" + FORMULA_NAME
    assert evil.data_type == "s"
    title = next(
        c for row in workbook["全部栏目"].iter_rows() for c in row if "HYPERLINK" in str(c.value)
    )
    assert title.value.startswith("'")
    with zipfile.ZipFile(setup[0] / "report.xlsx") as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any("<f>" in archive.read(n).decode("utf-8") for n in sheets)


def test_xlsx_other_sheets_and_widths(workbook):
    columns = list(workbook["全部栏目"].iter_rows(values_only=True))
    assert len(columns) == 1 + len(COLUMNS) - 1 + 1  # header, all but the gone one, formula
    statuses = {row[1].lstrip("'").rsplit("/", 1)[-1]: row[4] for row in columns[1:]}
    assert statuses["领导活动"] == "正常"
    assert statuses["教育资讯"] == "无法访问"
    resolved = list(workbook["已整改"].iter_rows(values_only=True))
    assert [(r[1], r[5]) for r in resolved[1:]] == [
        ("新闻中心/领导活动", "已整改"),
        ("旧栏目", "栏目已撤并"),
    ]
    for sheet in workbook:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
    sheet = workbook["存在问题"]
    widest = max(display_width(str(c.value)) for c in sheet["G"] if c.value)
    assert sheet.column_dimensions["G"].width >= widest  # 整改责任单位, CJK counted as 2
    assert display_width("县卫健局") == 8


def test_html_lists_resolved_and_numbers_pages(setup):
    html = write(setup, "report.html").read_text(encoding="utf-8")
    part = html.split('<section class="resolved">')[1].split("</section>")[0]
    assert "领导活动" in part
    assert "栏目已撤并" in part
    assert "发展规划" not in part
    assert "counter(page)" in html
    assert "Noto Serif CJK SC" in html


def test_requirements_come_from_the_site_config(setup):
    root, site_yaml, env = setup
    own = root / "own.yaml"
    own.write_text(
        site_yaml.read_text(encoding="utf-8")
        + "report:\n  requirements: |\n    1.各单位要高度重视。\n    2.确保相关栏目每月正常更新。\n",
        encoding="utf-8",
    )
    lines = texts(docx.Document(str(write((root, own, env), "own.docx"))))
    assert section(lines, "二、有关要求", "三、已整改情况") == [
        "1.各单位要高度重视。",
        "2.确保相关栏目每月正常更新。",
    ]
