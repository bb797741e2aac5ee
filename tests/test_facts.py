"""Each domain fact has one home: every disagreement issue 8 and issue 9 (item 9) found.

Labels, order, top level, the future rule, the stored 报备 and the one problem count are
each checked where two modules used to disagree.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from types import SimpleNamespace
from typing import Any

import docx
import pytest
import scrapy
from scrapy.utils.test import get_crawler
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from alerts.digest import KIND_LABELS, Digest, Notice, render_subject
from alerts.lifecycle import decide
from portalspider import extensions
from portalspider.context import CrawlContext
from portalspider.dates import age_days, is_update, update_or_none
from portalspider.extensions import CrawlSummary
from portalspider.interaction import replies_row
from portalspider.items import ColumnItem, MessageColumnItem, SiteItem
from portalspider.judge import is_top_level, judge
from portalspider.pipelines import JudgePipeline
from portalspider.report import build_report
from portalspider.report.data import ColumnRow
from portalspider.report.office import OfficeExtras
from portalspider.report.render import render_html, render_markdown
from portalspider.report.word import render_docx
from portalspider.siteconfig import ColumnRule, SiteConfig, UnitConfig
from portalspider.store.models import Column, Finding
from portalspider.store.pipeline import StorePipeline
from portalspider.store.queries import current_columns, get_site
from portalspider.store.recorder import RunRecorder
from portalspider.vocab import DISPLAY_ORDER, STATUS_LABELS, ProblemCount, count_problems

SITE = "http://www.qx.gov.cn/"
TODAY = dt.date(2026, 3, 1)
LATER = dt.date(2026, 12, 31)


# -- vocabulary ------------------------------------------------------------------------


def test_warning_has_one_label_everywhere() -> None:
    report_row = ColumnRow(
        name="x", url=SITE, path=[], unit="u", category="news", status="warning",
        last_update=None, age_days=12, threshold_days=14, newest_title=None, newest_url=None,
        stale_since=None, runs_in_status=1, top_level=True,
    )  # fmt: skip
    notice = Notice(kind="pre_alert", column_id=1, name="x", url=SITE, status="warning")
    assert report_row.status_label == notice.status_label == KIND_LABELS["pre_alert"] == "临期"
    digest = Digest("青溪县", SITE, "县政府办", TODAY, TODAY, [notice])
    assert "1个栏目临期" in render_subject(digest)
    assert "即将超期" not in render_subject(digest)


def test_every_state_has_a_label_and_a_place_in_the_order() -> None:
    assert set(STATUS_LABELS) == set(DISPLAY_ORDER)


def _site(sessions: sessionmaker[Session], statuses: dict[str, dict[str, Any]]) -> None:
    """One finished run recording a column per name with the given item fields."""
    rec = RunRecorder(sessions, site_url=SITE, site_name="青溪县", today=TODAY)
    rec.start()
    rec.add(SiteItem(url=SITE, status="up"))
    for name, fields in statuses.items():
        rec.add(
            ColumnItem(
                url=f"{SITE}{name}/",
                name=name,
                path=["政务公开"],
                unit=fields.pop("unit", "县政府办"),
                threshold_days=14,
                items_found=3,
                **fields,
            )
        )
    rec.finish(stats={})


def test_columns_command_and_report_read_in_the_same_order(store) -> None:
    # Before: `scrapy columns` put warning before unreachable, the report the reverse.
    _site(store, {s: {"status": s} for s in ("ok", "warning", "unreachable", "stale", "blank")})
    with store() as s:
        listed = [r["status"] for r in current_columns(s, SITE, TODAY)]
        site = get_site(s, SITE)
        assert site is not None
        reported = [row.status for row in build_report(s, site, TODAY).columns]
    assert listed == reported == ["stale", "blank", "unreachable", "warning", "ok"]


# -- time ------------------------------------------------------------------------------


def test_age_and_the_future_rule() -> None:
    assert age_days(dt.date(2026, 2, 27), TODAY) == 2
    assert age_days(None, TODAY) is None
    assert is_update(TODAY, TODAY)
    assert not is_update(TODAY + dt.timedelta(days=1), TODAY)
    assert update_or_none(TODAY + dt.timedelta(days=1), TODAY) is None
    future = judge(
        last_update=TODAY + dt.timedelta(days=3),
        items_found=2,
        dated_items=1,
        threshold_days=14,
        today=TODAY,
    )
    assert (future.status, future.age_days) == ("undated", None)


def _judged(item: ColumnItem, config: SiteConfig | None = None) -> ColumnItem:
    config = config or SiteConfig(path="site.yaml", name="青溪县", url=SITE)
    crawler = SimpleNamespace(spider=SimpleNamespace(context=CrawlContext(config, TODAY)))
    pipeline = JudgePipeline(crawler)
    pipeline.open_spider()
    return pipeline.process_item(item)


def test_pipeline_drops_a_future_date_and_ages_with_the_one_helper() -> None:
    item = _judged(
        ColumnItem(url=f"{SITE}a/", name="工作动态", last_update="2026-03-09", items_found=3)
    )
    assert (item.last_update, item.age_days, item.status) == (None, None, "undated")


# -- top level -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "name", "top"),
    [
        ([], "通知公告", True),
        (["通知公告"], "通知公告", True),  # path ending with the column itself
        (["政务公开"], "政务公开", True),
        (["政务公开"], "政策文件", False),  # pipelines said top (len(path) <= 1)
        (["政务公开", "政策文件"], "政策文件", False),
        (["政务公开", "法定主动公开"], "政策文件", False),
    ],
)
def test_top_level_is_no_ancestor(path: list[str], name: str, top: bool) -> None:
    assert is_top_level(path, name) is top
    assert _judged(ColumnItem(url=f"{SITE}x/", name=name, path=path)).top_level is top


# -- 报备 and the one count -------------------------------------------------------------


def test_count_problems_keeps_exempt_apart() -> None:
    rows = [
        ("stale", None),
        ("stale", LATER),  # exempt
        ("stale", TODAY - dt.timedelta(days=1)),  # exemption over
        ("blank", None),
        ("warning", LATER),
        ("unreachable", None),
    ]
    assert count_problems(rows, TODAY) == ProblemCount(problems=3, exempt=1)


EXEMPT_SITE = {
    "工作动态": {"status": "stale", "last_update": "2025-12-01"},
    "通知公告": {"status": "blank"},
    "报备栏目": {"status": "stale", "last_update": "2025-01-01", "exempt_until": "2026-12-31"},
}


def _summarize(items: Any, caplog: Any) -> CrawlSummary:
    """Feed ``items`` to the crawl summary and close it, its log lines in ``caplog``."""
    config = SiteConfig(path="site.yaml", name="青溪县", url=SITE)
    spider = SimpleNamespace(context=CrawlContext(config, TODAY))
    summary = CrawlSummary(crawler=SimpleNamespace(spider=spider, stats=None))
    for item in items:
        summary.item_scraped(item)
    with caplog.at_level(logging.INFO, logger="portalspider.summary"):
        summary.spider_closed(spider, "finished")
    return summary


def test_the_site_line_names_an_error_page_at_home(caplog) -> None:
    # Before: "SITE up … home_last_update=-" alone for a portal answering 200 系统维护中.
    with caplog.at_level(logging.INFO, logger="portalspider.summary"):
        _summarize([SiteItem(url=SITE, status="up", error="error page: 系统维护中")], caplog)
    assert f"SITE up {SITE} home_last_update=- error=error page: 系统维护中" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="portalspider.summary"):
        _summarize([SiteItem(url=SITE, status="up", home_last_update="2026-11-30")], caplog)
    assert f"SITE up {SITE} home_last_update=2026-11-30\n" in caplog.text


def test_summary_report_and_digest_agree_on_an_exempt_column(store, caplog) -> None:
    # Before: SUMMARY and the report said 3 problems, the email subject 2.
    items = [
        ColumnItem(url=f"{SITE}{n}/", name=n, unit="县政府办", items_found=3, **dict(f))
        for n, f in EXEMPT_SITE.items()
    ]
    _summarize(items, caplog)
    assert "SUMMARY problems=2 exempt=1" in caplog.text
    assert "SUMMARY unit=县政府办 columns=3 problems=2 exempt=1" in caplog.text

    _site(store, {n: dict(f) for n, f in EXEMPT_SITE.items()})
    config = SiteConfig(
        path="site.yaml", name="青溪县", url=SITE, units=[UnitConfig(name="县政府办")]
    )
    with store() as s:
        site = get_site(s, SITE)
        assert site is not None
        report = build_report(s, site, TODAY)
        decisions = decide(s, config=config, site_id=site.id, run_id=1, today=TODAY).decisions
        s.rollback()
    assert report.problem_count == ProblemCount(problems=2, exempt=1)
    assert report.units[0].problem_count == ProblemCount(problems=2, exempt=1)
    digest = Digest("青溪县", SITE, "县政府办", TODAY, TODAY, [d.notice for d in decisions])
    assert digest.action_count == 2
    assert "2个栏目需整改" in render_subject(digest)


def test_summary_counts_the_reply_problems_the_verdict_fails_on(caplog) -> None:
    # Before: a mailbox with overdue letters failed 互动回应差 while SUMMARY said problems=0
    # ("nothing reported" must mean "nothing wrong").
    mailbox, solicit = f"{SITE}ldxx/", f"{SITE}zjdc/"
    items: list[Any] = [
        ColumnItem(url=f"{SITE}gzdt/", name="工作动态", unit="县政府办", status="ok"),
        ColumnItem(url=mailbox, name="领导信箱", unit="县信访局", status="ok"),
        ColumnItem(url=solicit, name="征集调查", unit="县政府办", status="ok"),
        MessageColumnItem(
            mailbox, "领导信箱", "letters", read=True, messages=9, overdue=2, pages_read=1
        ),
        MessageColumnItem(
            solicit, "征集调查", "solicitations", read=True, messages=3, overdue=1, pages_read=1
        ),
    ]
    summary = _summarize(items, caplog)
    assert replies_row(summary.messages).result == "fail"
    assert "SUMMARY problems=2 exempt=0" in caplog.text
    assert "SUMMARY unit=县信访局 columns=1 problems=1" in caplog.text
    assert "SUMMARY unit=县政府办 columns=2 problems=1" in caplog.text
    # The unit's digest counts the column it must act on too.
    notice = Notice("alert", 1, "领导信箱", mailbox, "ok", problem="reply_overdue")
    digest = Digest("青溪县", SITE, "县信访局", TODAY, TODAY, [notice])
    assert digest.action_count == 1
    assert "1个栏目需整改" in render_subject(digest)


def test_report_counts_the_reply_problems_summary_counts(store, caplog) -> None:
    # Before: SUMMARY said problems=5 (a 领导信箱 with overdue letters, a stale 征集调查
    # without 结果反馈: two problems on one column) while the report and its Word intro said 3.
    mailbox, solicit = f"{SITE}ldxx/", f"{SITE}zjdc/"

    def items() -> list[Any]:
        return [
            *(
                ColumnItem(url=f"{SITE}{n}/", name=n, path=["政务公开"], unit="县政府办",
                           threshold_days=14, items_found=3, **dict(f))
                for n, f in EXEMPT_SITE.items()
            ),
            ColumnItem(url=mailbox, name="领导信箱", path=["互动交流"], unit="县信访局",
                       threshold_days=365, items_found=3, status="ok", last_update="2026-02-27"),
            ColumnItem(url=solicit, name="征集调查", path=["互动交流"], unit="县政府办",
                       threshold_days=14, items_found=3, status="stale", last_update="2025-12-01"),
            MessageColumnItem(mailbox, "领导信箱", "letters", read=True, messages=9, overdue=2),
            MessageColumnItem(solicit, "征集调查", "solicitations", read=True, messages=3, overdue=1),
        ]  # fmt: skip

    _summarize(items(), caplog)
    said = {
        m["unit"]: ProblemCount(int(m["problems"]), int(m["exempt"] or 0))
        for m in re.finditer(
            r"SUMMARY (?:unit=(?P<unit>\S+) columns=\d+ )?problems=(?P<problems>\d+)"
            r"(?: exempt=(?P<exempt>\d+))?",
            caplog.text,
        )
    }
    assert said == {
        None: ProblemCount(problems=5, exempt=1),
        "县政府办": ProblemCount(problems=4, exempt=1),
        "县信访局": ProblemCount(problems=1, exempt=0),
    }

    rec = RunRecorder(store, site_url=SITE, site_name="青溪县", today=TODAY)
    rec.start()
    rec.add(SiteItem(url=SITE, status="up"))
    for item in items():
        rec.add(item)
    rec.finish(stats={})
    with store() as s:
        site = get_site(s, SITE)
        assert site is not None
        report = build_report(s, site, TODAY)
    assert report.problem_count == said[None]
    units = {unit.name: unit.problem_count for unit in report.problem_units}
    assert units == {unit: said[unit] for unit in ("县政府办", "县信访局")}
    for text in (render_markdown(report), render_html(report)):
        assert "县政府办（4 个问题，另 1 个已报备）" in text
        assert "县信访局（1 个问题）" in text
    word = docx.Document(io.BytesIO(render_docx(report, OfficeExtras())))
    assert "发现需整改问题5个" in "\n".join(p.text for p in word.paragraphs)
    # The 互动回应差 rows stay in their own section, not among the problem columns.
    assert "领导信箱" not in [row.name for row in report.problems]
    assert [c.name for c in report.replies.columns if c.problem] == ["领导信箱", "征集调查"]


def test_alerts_read_the_stored_exemption_never_the_config(store) -> None:
    # The crawl stored no exemption for 工作动态; a config rule alone must not silence it
    # (before, alerts re-resolved the site config and disagreed with the report).
    _site(store, {"工作动态": {"status": "stale", "last_update": "2025-12-01"}})
    config = SiteConfig(
        path="site.yaml",
        name="青溪县",
        url=SITE,
        units=[UnitConfig(name="县政府办")],
        columns=[ColumnRule(match="/工作动态/", exempt_until=LATER)],
    )
    with store() as s:
        site = get_site(s, SITE)
        assert site is not None
        decisions = decide(s, config=config, site_id=site.id, run_id=1, today=TODAY).decisions
        s.rollback()
    assert [d.event.kind for d in decisions] == ["alert"]


def test_judge_pipeline_resolves_the_exemption_into_the_item() -> None:
    config = SiteConfig(
        path="site.yaml",
        name="青溪县",
        url=SITE,
        columns=[ColumnRule(match="/bb/", exempt_until=LATER)],
    )
    item = _judged(ColumnItem(url=f"{SITE}bb/", name="报备", items_found=1), config)
    assert item.exempt_until == LATER.isoformat()


# -- gone and ignored ------------------------------------------------------------------


def _finish(sessions, names: list[str], today: dt.date, ignored: set[str] = frozenset()):
    rec = RunRecorder(sessions, site_url=SITE, site_name="青溪县", today=today)
    rec.start()
    rec.add(SiteItem(url=SITE, status="up"))
    for name in names:
        rec.add(
            ColumnItem(
                url=f"{SITE}{name}/", name=name, status="stale", threshold_days=14, items_found=1
            )
        )
    return rec.finish(stats={}, is_ignored=lambda url, name, path: name in ignored)


def test_ignored_columns_are_never_gone(store) -> None:
    _finish(store, ["a", "b", "c", "d"], TODAY)
    later = TODAY + dt.timedelta(days=2)
    # c is gone only once missing from two complete crawls; b is ignored at once.
    first = _finish(store, ["a", "d"], later - dt.timedelta(days=1), ignored={"b"})
    assert (first["gone_columns"], first["ignored_columns"]) == (0, 1)
    summary = _finish(store, ["a", "d"], later, ignored={"b"})
    assert (summary["gone_columns"], summary["ignored_columns"]) == (1, 0)
    assert summary["by_status"]["gone"] == 1
    with store() as s:
        states = dict(s.execute(select(Column.name, Column.status)).all())
        closed = dict(
            s.execute(
                select(Column.name, Finding.resolution).join(Column, Column.id == Finding.column_id)
            ).all()
        )
        listed = [r["name"] for r in current_columns(s, SITE, later)]
    assert states == {"a": "stale", "b": "ignored", "c": "gone", "d": "stale"}
    assert closed == {"a": None, "b": "ignored", "c": "gone", "d": None}
    assert listed == ["a", "d"]


def test_store_line_and_summary_say_the_same_gone(store, caplog) -> None:
    # Before: "Store: … N gone" counted columns, "SUMMARY … gone=M" closed findings.
    _finish(store, ["a", "b", "c", "d"], TODAY)
    _finish(store, ["a", "d"], TODAY + dt.timedelta(days=1), ignored={"b"})
    summary = _finish(store, ["a", "d"], TODAY + dt.timedelta(days=2), ignored={"b"})
    assert summary["gone_columns"] == 1
    crawler = get_crawler(scrapy.Spider)
    crawler.spider = SimpleNamespace(
        context=CrawlContext(SiteConfig(path="s.yaml", name="青溪县", url=SITE), TODAY)
    )
    StorePipeline(crawler)._publish(summary)  # what the store leaves in the stats
    with caplog.at_level(logging.INFO, logger="portalspider.summary"):
        CrawlSummary(crawler).spider_closed(crawler.spider, "finished")
    assert f"gone={summary['gone_columns']} ignored=0 " in caplog.text


def test_summary_counts_a_column_without_building_a_hidden_log_line(
    monkeypatch: Any, caplog: Any
) -> None:
    """A log quieter than INFO skips the per-column line (not built), the counts stay."""
    built: list[str] = []
    monkeypatch.setattr(extensions, "column_log_line", lambda item: built.append(item.url) or "")
    item = ColumnItem(url=f"{SITE}a/", name="a", unit="县政府办", status="stale")
    with caplog.at_level(logging.WARNING, logger="portalspider.summary"):
        summary = _summarize([item], caplog)
    assert built == []
    assert summary.by_status["stale"] == 1
    with caplog.at_level(logging.INFO, logger="portalspider.summary"):
        CrawlSummary(crawler=SimpleNamespace(spider=None, stats=None)).item_scraped(item)
    assert built == [item.url]
