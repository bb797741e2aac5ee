"""建议合并删减 and 更新较少 in every report format, from a store with 90 days of crawls.

Four finished crawls 85, 50, 20 and 1 days before the report day (and one still running,
and an incomplete one 70 days before); the columns cover each way of missing the rule: a
good crawl in the window, too few crawls, too short a span, a removed column, an unreachable
crawl, and an incomplete crawl counting neither for nor against.
"""

from __future__ import annotations

import datetime as dt
import io

import docx
import openpyxl
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from portalspider.report import build_report
from portalspider.report.excel import render_xlsx
from portalspider.report.office import OfficeExtras
from portalspider.report.render import render_html, render_markdown
from portalspider.report.word import render_docx
from portalspider.store.models import Base, Column, CrawlRun, Observation, Site

TODAY = dt.date(2026, 11, 30)
RUN_DAYS = (120, 85, 50, 20, 1)  # days before TODAY; 120 is outside the 90-day window
SPARSE_RULE = {"count": 4, "days": 90, "items": 2, "complete": False}
# name, current status, observed status per run in RUN_DAYS (None: not seen)
HISTORIES = {
    "疫情防控": ("sparse", ["ok", "stale", "blank", "sparse", "sparse"]),  # candidate
    "招商引资": ("stale", ["stale", "stale", "stale", "ok", "stale"]),  # one good crawl
    "新设栏目": ("stale", [None, None, None, "stale", "stale"]),  # span 19 days
    "一次检测": ("blank", [None, None, None, None, "blank"]),  # a single crawl
    "两次检测": ("blank", [None, "blank", None, None, "blank"]),  # candidate: 2 crawls, 84 days
    "无法访问": ("stale", ["stale", "stale", "unreachable", "stale", "stale"]),
    "已撤并": ("gone", ["stale", "stale", "stale", "stale", "stale"]),  # removed
    "半途检测": ("stale", [None, None, None, None, "stale"]),  # + an incomplete crawl: 1 crawl
}
# name → status observed by an incomplete crawl (70 days before TODAY): no evidence either way
INCOMPLETE_DAYS = 70
INCOMPLETE = {"疫情防控": "ok", "半途检测": "stale"}
CANDIDATES = {"疫情防控", "两次检测"}


@pytest.fixture(scope="module")
def report():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        site = Site(url_key="127.0.0.1:8765/", url="http://127.0.0.1:8765/", name="青溪县人民政府")
        session.add(site)
        session.flush()
        runs = []
        for days in RUN_DAYS:
            started = dt.datetime.combine(TODAY - dt.timedelta(days=days), dt.time(2))
            runs.append(CrawlRun(site_id=site.id, started_at=started, outcome="finished"))
        running = CrawlRun(site_id=site.id, started_at=dt.datetime(2026, 11, 30, 3))
        partial = CrawlRun(
            site_id=site.id,
            started_at=dt.datetime.combine(TODAY - dt.timedelta(days=INCOMPLETE_DAYS), dt.time(2)),
            outcome="incomplete",
            incomplete_reason="crawl bound hit: request budget",
        )
        session.add_all([*runs, running, partial])
        session.flush()
        for index, (name, (status, history)) in enumerate(HISTORIES.items()):
            column = Column(
                site_id=site.id,
                url_key=f"127.0.0.1:8765/{index}",
                url=f"http://127.0.0.1:8765/{index}/",
                name=name,
                path=["政务公开", name],
                unit="县卫健局",
                status=status,
                threshold_days=183,
                last_update=TODAY - dt.timedelta(days=40),
                items_30d=0,
                items_90d=2,
                items_365d=5,
                counts_complete=False,
                min_items=SPARSE_RULE if status == "sparse" else None,
            )
            session.add(column)
            session.flush()
            for run, seen in zip(runs, history, strict=True):
                if seen:
                    session.add(
                        Observation(
                            run_id=run.id, column_id=column.id, status=seen, category="other"
                        )
                    )
            if name in INCOMPLETE:
                session.add(
                    Observation(
                        run_id=partial.id,
                        column_id=column.id,
                        status=INCOMPLETE[name],
                        category="other",
                    )
                )
            session.add(  # the crawl in progress is no evidence: ok would spoil 疫情防控
                Observation(run_id=running.id, column_id=column.id, status="ok", category="other")
            )
        session.commit()
        yield build_report(session, site, TODAY, deadline_days=5)
    engine.dispose()


def test_candidates_follow_the_rule_with_their_history(report) -> None:
    found = {c.name: c for c in report.candidates}
    assert set(found) == CANDIDATES
    epidemic = found["疫情防控"]
    assert (epidemic.first_seen, epidemic.last_seen) == (dt.date(2026, 9, 6), dt.date(2026, 11, 29))
    assert epidemic.crawls == 4
    assert epidemic.statuses == ("stale", "blank", "sparse")
    assert found["两次检测"].crawls == 2


def test_every_format_lists_candidates_and_the_sparse_figures(report) -> None:
    sparse = "近90天更新≥2条,要求至少4条"
    html, md = render_html(report), render_markdown(report)
    for text in (html, md):
        assert "七、建议合并删减的栏目" in text
        assert "2026-09-06" in text
        assert sparse in text
        assert "招商引资" not in text.split("七、建议合并删减")[1].split("八、")[0]
    paragraphs = [
        p.text for p in docx.Document(io.BytesIO(render_docx(report, OfficeExtras()))).paragraphs
    ]
    body = "\n".join(paragraphs)
    assert "四、建议合并删减的栏目" in body
    assert any("疫情防控" in p and "2026-09-06至2026-11-29共4次检测" in p for p in paragraphs)
    assert any("疫情防控" in p and sparse in p for p in paragraphs)
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report, OfficeExtras())))
    rows = list(book["建议合并删减"].iter_rows(min_row=2, values_only=True))
    assert sorted(row[1] for row in rows) == ["政务公开/两次检测", "政务公开/疫情防控"]
    problems = [row[2] for row in book["存在问题"].iter_rows(min_row=2, values_only=True)]
    assert any(sparse in str(text) for text in problems)
