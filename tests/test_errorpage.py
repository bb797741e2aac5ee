"""Error, maintenance, challenge and script-list pages (``extract/errorpage.py``) on fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from portalspider.extract.errorpage import error_page_reason, script_list_reason

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
