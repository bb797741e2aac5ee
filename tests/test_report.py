"""The rectification report from a database of synthetic runs: numbers, grouping, escaping.

Three units, four finished runs, every column status; one crawled title carries a
``<script>`` and a ``javascript:`` link, one a spreadsheet formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from portalspider.report import build_report, render_report
from portalspider.report.render import md
from portalspider.store.models import Base, Column, CrawlRun, Finding, Observation, Site
from portalspider.store.queries import get_site

TODAY = dt.date(2025, 6, 30)
EVIL_TITLE = '<script>alert("x")</script>关于开展<b>安全</b>检查的通知'
FORMULA_TITLE = '=HYPERLINK("http://evil.example/","点我")'

# name, path, unit, category, status, age (days) or None, threshold, extra
COLUMNS = [
    ("政务动态", ["新闻中心", "政务动态"], "县政府办", "news", "stale", 40, 14, {}),
    ("通知公告", ["通知公告"], "县政府办", "notice", "stale", 200, 183, {}),
    ("政策文件", ["政务公开", "政策文件"], "县政府办", "policy", "stale", 300, 183, {}),
    (
        "图片新闻",
        ["新闻中心", "图片新闻"],
        "县政府办",
        "news",
        "undated",
        None,
        14,
        {"newest_title": EVIL_TITLE, "newest_url": "javascript:alert(1)"},
    ),
    ("领导活动", ["新闻中心", "领导活动"], "县政府办", "news", "ok", 3, 14, {}),
    (
        "卫健动态",
        ["部门动态", "卫健动态"],
        "县卫健局",
        "news",
        "stale",
        20,
        14,
        {"newest_title": FORMULA_TITLE},
    ),
    ("基本医疗", ["政务公开", "基本医疗"], "县卫健局", "other", "blank", None, 365, {}),
    ("公共卫生", ["政务公开", "公共卫生"], "县卫健局", "other", "blank", None, 365, {}),
    ("人事信息", ["政务公开", "人事信息"], "县卫健局", "personnel", "warning", 300, 365, {}),
    ("教育动态", ["部门动态", "教育动态"], "县教育局", "news", "stale", 30, 14, {}),
    (
        "招生信息",
        ["政务公开", "招生信息"],
        "县教育局",
        "other",
        "stale",
        400,
        365,
        {"exempt_until": dt.date(2025, 12, 31)},
    ),
    ("教育资讯", ["部门动态", "教育资讯"], "县教育局", "news", "unreachable", None, 14, {}),
    ("发展规划", ["政务公开", "发展规划"], "县教育局", "plan", "ok", 100, 365, {}),
    ("其他信息", ["政务公开", "其他信息"], None, "other", "blank", None, 365, {}),
    ("旧栏目", ["旧栏目"], "县政府办", "news", "gone", 900, 14, {}),
]
# stale, undated, blank observed by each of the four runs (the last is the current state)
RUN_COUNTS = [(2, 0, 1), (3, 1, 2), (5, 1, 3), (6, 1, 3)]


def _populate(session: Session) -> Site:
    url = "http://127.0.0.1:8765/"
    site = Site(url_key=url, url=url, name="青溪县人民政府")
    session.add(site)
    session.flush()
    runs = []
    for index, _counts in enumerate(RUN_COUNTS):
        day = TODAY - dt.timedelta(days=7 * (len(RUN_COUNTS) - 1 - index))
        started = dt.datetime.combine(day, dt.time(18, 30))  # UTC: 02:30 next day in Shanghai
        run = CrawlRun(
            site_id=site.id,
            started_at=started - dt.timedelta(days=1),
            finished_at=started - dt.timedelta(days=1) + dt.timedelta(minutes=5),
            outcome="finished",
            site_status="up",
            job_id=f"qingxi-abc-{index}",
            summary={"site": {"status": "up", "home_last_update": "2025-06-27"}},
        )
        session.add(run)
        runs.append(run)
    running = CrawlRun(site_id=site.id, started_at=dt.datetime(2025, 6, 30, 3), outcome="running")
    session.add(running)  # a crawl in progress: not in the trend, not the "latest run"
    session.flush()
    columns = []
    for name, path, unit, category, status, age, threshold, extra in COLUMNS:
        column = Column(
            site_id=site.id,
            url_key=f"127.0.0.1:8765/{name}",
            url=f"http://127.0.0.1:8765/{len(columns)}/",
            name=name,
            path=path,
            unit=unit,
            category=category,
            status=status,
            threshold_days=threshold,
            last_update=TODAY - dt.timedelta(days=age) if age is not None else None,
            newest_title=extra.get("newest_title", f"{name}的最新信息" if age else None),
            newest_url=extra.get("newest_url", f"http://127.0.0.1:8765/a/{len(columns)}.html"),
            runs_in_status=2,
            exempt_until=extra.get("exempt_until"),
        )
        session.add(column)
        columns.append(column)
    session.flush()
    for run, (stale, undated, blank) in zip(runs, RUN_COUNTS, strict=True):
        statuses = ["stale"] * stale + ["undated"] * undated + ["blank"] * blank
        statuses += ["ok"] * (len(columns) - len(statuses))
        for column, status in zip(columns, statuses, strict=True):
            session.add(
                Observation(run_id=run.id, column_id=column.id, status=status, category="news")
            )
    by_name = {c.name: c for c in columns}
    for name, opened, kind in [
        ("政策文件", dt.date(2025, 3, 1), "stale"),
        ("基本医疗", dt.date(2025, 1, 15), "blank"),
        ("政务动态", dt.date(2025, 6, 1), "stale"),
    ]:
        session.add(
            Finding(
                site_id=site.id,
                column_id=by_name[name].id,
                kind=kind,
                unit=by_name[name].unit,
                opened_run_id=runs[0].id,
                opened_on=opened,
            )
        )
    session.add(
        Finding(
            site_id=site.id,
            column_id=by_name["领导活动"].id,
            kind="stale",
            unit="县政府办",
            opened_run_id=runs[0].id,
            opened_on=dt.date(2024, 1, 1),
            closed_on=dt.date(2024, 2, 1),
            is_open=False,
        )
    )
    session.commit()
    return site


@pytest.fixture(scope="module")
def report():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        site = _populate(session)
        found = get_site(session, "HTTP://127.0.0.1:8765")
        assert found is not None
        assert found.id == site.id
        yield build_report(session, site, TODAY, deadline_days=5, default_unit="县政府办")
    engine.dispose()


def test_verdict_rows_and_counts(report):
    rows = {row.key: row for row in report.verdict}
    # 政务动态, 通知公告 (top-level), 图片新闻 (undated), 卫健动态, 教育动态; not 政策文件
    # (second level) nor 招生信息 (报备).
    assert (rows["key_columns"].count, rows["key_columns"].failed) == (5, True)
    assert (rows["should_update"].count, rows["should_update"].failed) == (6, False)
    assert (rows["blank"].count, rows["blank"].failed) == (3, False)
    assert (rows["home"].count, rows["home"].failed) == (3, False)
    assert report.failed


def test_problems_grouped_by_unit_with_deadline(report):
    units = {unit.name: unit for unit in report.problem_units}
    assert set(units) == {"县政府办", "县卫健局", "县教育局"}
    assert [c.name for c in units["县政府办"].problems] == [
        "政策文件",
        "通知公告",
        "政务动态",
        "图片新闻",
        "其他信息",
    ]  # stale by age, then undated, then blank; the unit-less column goes to the default unit
    assert [c.name for c in units["县卫健局"].problems] == ["卫健动态", "公共卫生", "基本医疗"]
    assert [c.name for c in units["县教育局"].problems] == ["招生信息", "教育动态"]
    deadline = dt.date(2025, 7, 5)
    for unit in units.values():
        for column in unit.problems:
            expected = None if column.name == "招生信息" else deadline
            assert column.deadline == expected, column.name
    assert "旧栏目" not in [c.name for c in report.columns]
    assert units["县卫健局"].counts["warning"] == 1


def test_trend_and_longest(report):
    assert [(p.stale, p.undated, p.blank) for p in report.trend] == RUN_COUNTS
    assert report.trend[-1].day == TODAY  # 18:30 UTC the day before is 02:30 in Shanghai
    assert [(f.column, f.days_open) for f in report.longest] == [
        ("政务公开 > 基本医疗", 166),
        ("政务公开 > 政策文件", 121),
        ("新闻中心 > 政务动态", 29),
    ]


def test_html_is_self_contained_and_escaped(report):
    html, encoding = render_report(report, ".html")
    assert encoding == "utf-8"
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "javascript:" not in html
    assert not re.search(r"(src|href)=\"(https?:)?//(?!127\.0\.0\.1:8765)", html)  # no CDN
    assert "@page" in html
    assert "触发否决" in html
    for unit in ("县政府办", "县卫健局", "县教育局"):
        section = html.split(f'data-unit="{unit}"')[1].split('<div class="unit"')[0]
        for column in next(u for u in report.problem_units if u.name == unit).problems:
            row = section.split(f'data-url="{column.url}"')[1].split("</tr>")[0]
            assert column.name in row
            assert ("2025-07-05" if column.deadline else "已报备至 2025-12-31") in row
    svg = html[html.index("<svg") : html.index("</svg>")]
    for key in ("stale", "undated", "blank"):
        series = svg.split(f'class="series series-{key}"')[1].split("</g>")[0]
        assert series.count('<circle class="point"') == len(RUN_COUNTS)


def test_markdown_escapes_crawled_text(report):
    text, _ = render_report(report, ".md")
    assert "<script>" not in text
    assert "<b>" not in text
    assert md(EVIL_TITLE) in text
    assert "javascript:" not in text
    assert "### 1. 县政府办（5 个问题）" in text
    assert "| 栏目不更新 |" in text
    assert "[政务公开 > 政策文件](http://127.0.0.1:8765/2/)" in text
    assert md("a|b\nc_d") == r"a\|b c\_d"


def test_csv_opens_in_excel_with_chinese(report):
    text, encoding = render_report(report, ".csv")
    data = text.encode(encoding)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["序号", "责任单位", "栏目"]
    assert len(rows) == 1 + len(report.problems) == 11
    by_column = {row[2]: row for row in rows[1:]}
    assert by_column["新闻中心 > 政务动态"][1] == "县政府办"
    assert by_column["新闻中心 > 政务动态"][11] == "2025-07-05"
    assert by_column["部门动态 > 卫健动态"][9] == "'" + FORMULA_TITLE  # never a formula
