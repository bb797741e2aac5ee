"""The store pipeline inside Scrapy: open, batch, close, results in stats, failure at open."""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.utils.test import get_crawler

from portalspider.context import CrawlContext
from portalspider.items import ColumnItem, SiteItem
from portalspider.siteconfig import SiteConfig
from portalspider.store.db import make_engine, session_factory
from portalspider.store.models import CrawlRun
from portalspider.store.pipeline import StorePipeline
from portalspider.store.queries import current_columns

REPO = Path(__file__).resolve().parent.parent
SITE = "http://127.0.0.1:9/"
TODAY = dt.date(2026, 3, 1)


class FakePortal(scrapy.Spider):
    name = "fake"


def make_pipeline(db_url: str, **settings: Any) -> StorePipeline:
    crawler = get_crawler(
        FakePortal,
        {"PORTALSPIDER_DATABASE_URL": db_url, "ALERTS_ENABLED": "false", **settings},
    )
    spider = FakePortal()
    spider.context = CrawlContext(  # type: ignore[attr-defined]
        config=SiteConfig(path="site.yaml", name="测试县", url=SITE), today=TODAY, job_id="job-42"
    )
    crawler.spider = spider
    crawler.crawling = True
    crawler.stats.open_spider()
    return StorePipeline.from_crawler(crawler)


def crawl_once(pipe: StorePipeline, items: list[Any]) -> dict[str, Any]:
    pipe.open_spider()
    for item in items:
        assert pipe.process_item(item) is item
    pipe.close_spider()
    assert pipe.summary is not None
    return pipe.summary


def test_pipeline_records_a_run(db_url: str) -> None:
    items = [
        SiteItem(url=SITE, status="up"),
        ColumnItem(
            url=f"{SITE}a/",
            name="甲",
            status="stale",
            last_update="2026-01-01",
            threshold_days=14,
            unit="县政府办",
        ),
        ColumnItem(
            url=f"{SITE}b/", name="乙", status="ok", last_update="2026-02-28", threshold_days=14
        ),
    ]
    pipe = make_pipeline(db_url, PORTALSPIDER_STORE_BATCH=1)
    summary = crawl_once(pipe, items)
    stats = pipe.crawler.stats
    assert stats.get_value("store/run_id") == summary["run_id"]
    assert stats.get_value("store/outcome") == "finished"
    assert stats.get_value("store/columns") == 2
    assert stats.get_value("store/findings_opened") == 1
    assert stats.get_value("store/findings_closed") == 0
    assert stats.get_value("store/findings_gone") == 0
    assert summary["by_status"] == {"ok": 1, "stale": 1}
    assert summary["by_unit"]["县政府办"] == {"stale": 1}
    assert summary["new_findings"] == 1
    assert set(summary["stats"]) >= {"requests", "errors", "duration"}
    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as s:
            run = s.get(CrawlRun, summary["run_id"])
            assert run is not None
            assert run.job_id == "job-42"
            assert run.outcome == "finished"
            assert run.stats is not None
            rows = current_columns(s, SITE, TODAY)
            assert [r["name"] for r in rows] == ["甲", "乙"]
    finally:
        engine.dispose()


def test_shutdown_marks_nothing_gone(db_url: str) -> None:
    crawl_once(
        make_pipeline(db_url),
        [SiteItem(url=SITE, status="up"), ColumnItem(url=f"{SITE}a/", name="a")],
    )
    pipe = make_pipeline(db_url)
    pipe.crawler.crawling = False  # what Ctrl-C / scrapyd cancel leaves behind
    summary = crawl_once(pipe, [SiteItem(url=SITE, status="up")])
    assert "gone" not in summary["by_status"]
    assert summary["gone_checked"] is False
    # Recorded as stopped, not finished, with the reason the webmaster is shown.
    assert summary["outcome"] == "stopped"
    assert pipe.crawler.stats.get_value("store/incomplete_reason") == (
        "stopped before the end (shutdown)"
    )


def test_unopenable_database_closes_spider_with_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pipe = make_pipeline("postgresql+psycopg://u:secret@127.0.0.1:1/db")
    with caplog.at_level(logging.ERROR), pytest.raises(CloseSpider) as info:
        pipe.open_spider()
    assert info.value.reason == "store_unavailable"
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "cannot open database" in errors[0]
    assert "secret" not in errors[0]
    pipe.close_spider()
    assert pipe.summary is None


def test_crawl_with_unopenable_database_exits_nonzero(tmp_path: Path) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(f"site:\n  name: 测试县\n  url: {SITE}\n", encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "portal",
            "-a",
            f"site={site}",
            "-s",
            "PORTALSPIDER_DATABASE_URL=postgresql+psycopg://u:secret@127.0.0.1:1/db",
            "-s",
            "ALERTS_ENABLED=false",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode != 0
    lines = [ln for ln in proc.stderr.splitlines() if "Store unavailable" in ln]
    assert len(lines) == 1, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    assert "secret" not in proc.stderr
