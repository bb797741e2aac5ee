"""The item path's shortcuts give what Scrapy's own way gives: the JSON feeds, the log
messages LOG_LEVEL hides, the column rules asked again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import logging
from typing import Any

import pytest
from scrapy.exporters import JsonItemExporter, JsonLinesItemExporter
from scrapy.http import HtmlResponse, Request
from scrapy.logformatter import LogFormatter
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from portalspider.feedexport import JsonExporter, JsonLinesExporter
from portalspider.items import (
    ChannelItem,
    ColumnItem,
    InterpretationsItem,
    SiteItem,
    VerdictItem,
)
from portalspider.logformatter import SCRAPY_MESSAGE_LEVEL, LevelLogFormatter, log_level
from portalspider.rules import ColumnRules
from portalspider.siteconfig import load_site_config


@dataclasses.dataclass
class _Serialized:
    day: dt.date
    when: str = dataclasses.field(default="", metadata={"serializer": str.upper})


def _items() -> list[Any]:
    column = ColumnItem(
        url="http://example.gov.cn/xwzx/",
        name="工作动态",
        path=["新闻中心", "政务"],
        last_update="2026-11-30",
        recent_dates=["2026-11-30", "2026-11-02"],
        min_items={"count": 3, "days": 90, "items": 2, "complete": True},
    )
    deleted = ColumnItem(url="http://example.gov.cn/a/", name="a")
    del deleted.cms  # a field taken off the item is left out, as ItemAdapter leaves it
    return [
        SiteItem(url="http://example.gov.cn/", status="up"),
        ChannelItem(url="http://example.gov.cn/zwgk/", name="政务公开"),
        column,
        deleted,
        VerdictItem(rows=[{"item": "首页", "result": "ok"}]),
        InterpretationsItem(document_columns=["a"], ratio=0.5),
        _Serialized(day=dt.date(2026, 12, 1), when="noon"),
        {"type": "dict", "value": [1, 2]},
    ]


@pytest.mark.parametrize(
    ("ours", "scrapys"),
    [(JsonLinesExporter, JsonLinesItemExporter), (JsonExporter, JsonItemExporter)],
)
@pytest.mark.parametrize(
    "options",
    [{}, {"fields_to_export": ["url", "name"]}, {"export_empty_fields": True}, {"indent": 2}],
)
def test_json_feeds_write_what_scrapys_exporters_write(ours, scrapys, options) -> None:
    written = []
    for exporter_class in (ours, scrapys):
        stream = io.BytesIO()
        exporter = exporter_class(stream, encoding="utf-8", **options)
        exporter.start_exporting()
        for item in _items():
            exporter.export_item(item)
        exporter.finish_exporting()
        written.append(stream.getvalue())
    assert written[0] == written[1]
    assert b"NOON" in written[0] or "fields_to_export" in options  # the serializer ran


def test_feeds_use_the_projects_json_exporters() -> None:
    exporters = get_project_settings().getdict("FEED_EXPORTERS")
    for name in ("json", "jsonlines", "jsonl", "jl"):
        assert exporters[name].startswith("portalspider.feedexport.")


def _formatter(level: str) -> LevelLogFormatter:
    return LevelLogFormatter.from_crawler(get_crawler(settings_dict={"LOG_LEVEL": level}))


def test_debug_messages_are_not_built_when_the_log_hides_them() -> None:
    request = Request("http://example.gov.cn/")
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)
    spider = get_crawler().spider
    quiet, verbose = _formatter("INFO"), _formatter("DEBUG")
    assert quiet.crawled(request, response, spider) is None
    assert quiet.scraped({"a": 1}, response, spider) is None
    assert verbose.crawled(request, response, spider)["level"] == logging.DEBUG  # type: ignore[index]
    assert verbose.scraped({"a": 1}, response, spider)["level"] == logging.DEBUG  # type: ignore[index]
    plain = LogFormatter()  # the level the shortcut assumes
    assert plain.crawled(request, response, spider)["level"] == SCRAPY_MESSAGE_LEVEL
    assert plain.scraped({"a": 1}, response, spider)["level"] == SCRAPY_MESSAGE_LEVEL


@pytest.mark.parametrize(
    ("value", "level"),
    [("INFO", logging.INFO), ("debug", logging.DEBUG), (30, 30), ("WARNING", logging.WARNING)],
)
def test_log_level_reads_names_and_numbers(value: Any, level: int) -> None:
    assert log_level(value) == level


def test_column_rules_answer_again_as_the_first_time(tmp_path) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(
        "site:\n  name: 青溪\n  url: http://example.gov.cn/\n"
        "units:\n  - name: 办公室\n"
        "columns:\n  - match: /xwzx/\n    unit: 办公室\n    max_age_days: 30\n",
        encoding="utf-8",
    )
    rules = ColumnRules(load_site_config(str(site)))
    cases = [
        ("http://example.gov.cn/xwzx/gzdt/", "工作动态", ["新闻中心"]),
        ("http://example.gov.cn/xwzx/gzdt/", "工作动态", ("新闻中心",)),
        ("http://example.gov.cn/zwgk/", "政务公开", []),
    ]
    first = [rules.resolve(*case) for case in cases]
    assert first[0].unit == "办公室"
    assert first[0].threshold_days == 30
    assert first[2].unit != "办公室"
    again = [rules.resolve(*case) for case in cases]
    assert again == first
    assert again == [ColumnRules(rules.config).resolve(*case) for case in cases]


def test_ignores_is_resolves_ignore(tmp_path) -> None:
    def rules_of(columns: str) -> ColumnRules:
        site = tmp_path / "site.yaml"
        site.write_text(
            f"site:\n  name: 青溪\n  url: http://example.gov.cn/\n{columns}", encoding="utf-8"
        )
        return ColumnRules(load_site_config(str(site)))

    cases = [
        ("http://example.gov.cn/xwzx/gzdt/", "工作动态", ["新闻中心"]),
        ("http://example.gov.cn/zwgk/", "政务公开", []),
    ]
    for rules in (
        rules_of(""),
        rules_of("columns:\n  - match: /xwzx/\n    max_age_days: 30\n"),
        rules_of("columns:\n  - match: /xwzx/\n    ignore: true\n"),
    ):
        for case in cases:
            assert rules.ignores(*case) == ColumnRules(rules.config).resolve(*case).ignore
    assert rules.ignores(*cases[0])
