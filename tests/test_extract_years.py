"""Year-less list dates (``10-19``, ``[10-19]``) take their year from the list, not from today.

The 袁州区 list (real, 2017) is rewritten as its older TRS template showed it: every date cell
``10-20`` with no year. Read on 2026-11-28 it used to give 2026-10-20 (fresh).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from portalspider.dates import year_from_url, year_near
from portalspider.extract.encoding import decode_html
from portalspider.extract.listpage import parse_list_page

REAL = Path(__file__).parent / "fixtures" / "realpages"
YUANZHOU = "list_yuanzhou-district-jx_trs-wcm_createPageHTML120_2017-10-20_from-py.html"
YUANZHOU_URL = "http://www.yzq.gov.cn/zwgk/zwdt/zwyw/"
TODAY = date(2026, 11, 28)


def _yearless(html: str, bracket: bool = False) -> str:
    cell = r"\[\2-\3\]" if bracket else r"\2-\3"
    return re.sub(r'(<TD width="60" align="right">)2017-(\d\d)-(\d\d)', r"\g<1>" + cell, html)


@pytest.fixture(scope="module")
def real_html() -> str:
    return decode_html((REAL / YUANZHOU).read_bytes(), None)


@pytest.mark.parametrize("bracket", [False, True])
def test_real_trs_list_gets_the_year_from_its_item_urls(real_html, bracket) -> None:
    html = _yearless(real_html, bracket)
    assert "2017-10-20</TD>" not in html  # the rewrite took
    page = parse_list_page(html, YUANZHOU_URL, TODAY)
    newest = page.newest(TODAY)
    assert newest is not None
    assert newest.date == date(2017, 10, 20)
    assert newest.date_source == "list-url-year"
    # 袁州's trap: ./201710/t20171019_398220.html shows 10-18: the month folder gives the year
    trap = next(e for e in page.entries if "t20171019_398220" in e.url)
    assert trap.date == date(2017, 10, 18)


def test_full_dates_keep_source_list(real_html) -> None:
    page = parse_list_page(real_html, YUANZHOU_URL, TODAY)
    assert {e.date_source for e in page.entries if e.date} == {"list"}


def _list(rows: str) -> str:
    return f'<html><body><div class="list"><ul>{rows}</ul></div></body></html>'


def test_year_from_full_dates_of_the_same_list() -> None:
    rows = (
        '<li><a href="/a/1.html">甲</a><span>[01-03]</span></li>'
        '<li><a href="/a/2.html">乙</a><span>[12-30]</span></li>'
        '<li><a href="/a/3.html">丙</a><span>2018-12-20</span></li>'
        '<li><a href="/a/4.html">丁</a><span>2018-12-02</span></li>'
    )
    page = parse_list_page(_list(rows), "http://x.gov.cn/a/", TODAY)
    dates = [(e.date, e.date_source) for e in page.entries]
    assert dates[:2] == [
        (date(2019, 1, 3), "list-page-year"),
        (date(2018, 12, 30), "list-page-year"),
    ]
    assert page.newest(TODAY).date == date(2019, 1, 3)


def test_nothing_gives_the_year_latest_not_in_future() -> None:
    rows = "".join(
        f'<li><a href="/a/{d}.html">标题{d}</a><span>12-{d:02d}</span></li>' for d in (1, 2)
    )
    page = parse_list_page(_list(rows), "http://x.gov.cn/a/", TODAY)
    assert page.newest(TODAY).date == date(2025, 12, 2)
    assert page.newest(TODAY).date_source == "list-inferred-year"


@pytest.mark.parametrize(
    ("url", "month", "day", "year"),
    [
        ("http://x/zwyw/201710/t20171019_398276.html", 10, 19, 2017),
        ("http://x/zwyw/201710/t20171019_398276.html", 10, 18, 2017),  # month folder agrees
        ("http://x/zwyw/201710/t20171019_398276.html", 9, 19, None),
        ("http://x/t20171019_398276.html", 10, 18, None),  # full URL date disagrees
        ("http://x/art/2016/11/22/art_1_2.html", 11, 22, 2016),
        ("http://x/art/2016/11/22/art_1_2.html", 11, 21, None),
        ("http://x/tjgb/201705/9c059bf058ef4db8b3c8f920e22186fe.shtml", 5, 15, 2017),
        ("http://x/2017-05/abc.html", 5, 1, 2017),
        ("http://x/news/123.html", 5, 1, None),
        ("http://x/201602/a.html", 2, 29, 2016),
        ("http://x/201702/a.html", 2, 29, None),
    ],
)
def test_year_from_url(url, month, day, year) -> None:
    assert year_from_url(url, month, day) == year


@pytest.mark.parametrize(
    ("month", "day", "anchor", "expected"),
    [
        (12, 30, date(2018, 1, 2), date(2017, 12, 30)),
        (1, 2, date(2017, 12, 30), date(2018, 1, 2)),
        (6, 1, date(2018, 6, 5), date(2018, 6, 1)),
        (12, 1, date(2026, 11, 20), date(2025, 12, 1)),  # never after today
    ],
)
def test_year_near(month, day, anchor, expected) -> None:
    assert year_near(month, day, anchor, TODAY) == expected


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        # a real statistics-bureau list: the date glued to the title inside the link
        ('标题甲<font class="cont_tit02">2020-01-09</font>', date(2020, 1, 9)),
        ("标题甲<b>[2020-01-09]</b>", date(2020, 1, 9)),
        ("标题甲<span>2020-01-09 10:30</span>", date(2020, 1, 9)),
        # a date inside the title, not closing it, is no list date
        ("关于<font>2020-01-09</font>会议的通知", None),
        ("<font>2020-01-09</font>", date(2020, 1, 9)),
    ],
)
def test_date_closing_the_link_text(inner, expected) -> None:
    rows = "".join(
        f'<li><a href="/tjj/{n}.html" target="_blank">{inner}</a></li>' for n in range(3)
    )
    page = parse_list_page(_list(rows), "http://x.gov.cn/tjj/", TODAY)
    assert len(page.entries) == 3
    assert {e.date for e in page.entries} == {expected}
