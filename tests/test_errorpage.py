"""Error, maintenance, challenge and script-list pages (``extract/errorpage.py``) on fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from portalspider.bounds import CrawlBounds, is_calendar_link, repeated_path
from portalspider.extract.errorpage import (
    error_page_reason,
    message_page_reason,
    script_list_reason,
)

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "errorpages"


def _read(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("notfound_200.html", "error page: 404-页面不存在"),
        ("maintenance.html", "维护"),
        ("forbidden.html", "访问受限"),
        ("ruishu.html", "Ruishu"),
        ("jiasule.html", "加速乐"),
    ],
)
def test_error_pages_are_named(name: str, expected: str) -> None:
    reason = error_page_reason(_read(name))
    assert reason is not None
    assert expected in reason


@pytest.mark.parametrize(
    ("name", "says_so"),
    [
        ("notfound_200.html", True),
        ("maintenance.html", True),
        ("forbidden.html", True),
        ("ruishu.html", False),
        ("jiasule.html", False),
    ],
)
def test_the_link_checks_soft_404_is_what_the_page_says(name: str, says_so: bool) -> None:
    """A page saying it is gone or closed is a soft 404; a challenge blocks the crawler and
    says nothing of the page (the link check does not call it broken)."""
    reason = message_page_reason(_read(name))
    assert (reason == error_page_reason(_read(name))) if says_so else reason is None


@pytest.mark.parametrize(
    "path",
    sorted((FIXTURES / "realpages").glob("*.htm*"))
    + sorted((FIXTURES / "synthetic").glob("*.htm*")),
    ids=lambda p: p.name,
)
def test_real_pages_are_no_error_pages(path: Path) -> None:
    assert error_page_reason(path.read_bytes().decode("utf-8", "replace")) is None


@pytest.mark.parametrize(
    "name", ["article_mentions_404.html", "script_list.html", "captcha_query.html"]
)
def test_content_pages_are_no_error_pages(name: str) -> None:
    assert error_page_reason(_read(name)) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("script_list.html", "list loaded by script (no rows in the page)"),
        ("captcha_query.html", "list behind a captcha (no rows in the page)"),
        ("ruishu.html", "anti-bot challenge (Ruishu $_ts script)"),
    ],
)
def test_lists_that_come_by_script_are_not_blank(name: str, expected: str) -> None:
    assert script_list_reason(_read(name)) == expected


def test_a_truly_empty_list_stays_blank() -> None:
    # Its only script counts visits: the list container is empty because the column is.
    assert script_list_reason(_read("blank_with_counter.html")) is None
    blank = (FIXTURES / "synthetic" / "placeholder_blank.html").read_text(encoding="utf-8")
    assert script_list_reason(blank) is None


# -- crawl bounds (portalspider/bounds.py) ----------------------------------------------


@pytest.mark.parametrize(
    ("url", "repeated"),
    [
        ("http://x.gov.cn/xwzx/xwzx/", True),
        ("http://x.gov.cn/a/b/a/b/", True),
        ("http://x.gov.cn/zwgk/xwzx/zwgk/index.html", True),
        ("http://x.gov.cn/art/2021/1/1/art_1_2.html", False),  # numbers repeat in dates
        ("http://x.gov.cn/zwgk/zfxxgk/fdzdgknr/", False),
        ("http://x.gov.cn/1/1/1/", True),
    ],
)
def test_repeated_paths(url: str, repeated: bool) -> None:
    assert repeated_path(url) is repeated


@pytest.mark.parametrize(
    ("url", "name", "calendar"),
    [
        ("http://x.gov.cn/hd/?month=2026-01", "", True),
        ("http://x.gov.cn/hd/?d=20260101", "", True),
        ("http://x.gov.cn/hd/list.jsp?p=3", "下个月", True),
        ("http://x.gov.cn/hd/list.jsp?p=3", "上一年", True),
        ("http://x.gov.cn/col/list.jsp?channelId=123456", "通知公告", False),
        ("http://x.gov.cn/col/list.jsp?id=2019", "政策文件", False),
    ],
)
def test_calendar_links(url: str, name: str, calendar: bool) -> None:
    assert is_calendar_link(url, name) is calendar


def test_the_budget_grows_with_columns_up_to_the_cap() -> None:
    bounds = CrawlBounds(min_budget=500, per_column=5, max_requests=2000)
    assert [bounds.budget(n) for n in (0, 100, 200, 1000)] == [500, 500, 1000, 2000]
    assert bounds.refusal("http://x.gov.cn/a/", 9) == "depth"
    assert bounds.refusal("http://x.gov.cn/" + "a" * 300 + "/", 1) == "url length"
    assert bounds.refusal("http://x.gov.cn/a/", 1) is None
