"""Synthetic fixtures (tests/fixtures/synthetic/, each marked at its top) for markups no real
saved page covers: Hanweb datastores, GBK, iframes, PowerEasy mega-menus, pinned items,
placeholders, future dates, header clocks, 索引号 and JS-array lists."""

import json
from datetime import date
from pathlib import Path

import pytest

from portalspider.extract.encoding import decode_html
from portalspider.extract.listpage import parse_data_response, parse_list_page

SYN = Path(__file__).parent / "fixtures" / "synthetic"
TODAY = date(2026, 11, 28)
SITE = "https://www.example.gov.cn"


def load(name: str, url: str, today: date = TODAY):
    html = decode_html((SYN / name).read_bytes(), None)
    return parse_list_page(html, url, today)


def test_every_synthetic_fixture_says_so() -> None:
    for path in SYN.iterdir():
        head = decode_html(path.read_bytes(), None)[:300]
        assert "SYNTHETIC" in head, path.name


def test_hanweb_datastore_records_are_entries() -> None:
    page = load("hanweb_column_datastore.html", SITE + "/col/col33718/index.html")
    assert page.cms == "hanweb"
    assert [e.date for e in page.entries] == [
        date(2026, 9, 3),
        date(2026, 9, 12),
        date(2026, 8, 20),
    ]
    newest = page.newest(TODAY)
    # the max, not the first record; the shown date (09-12), not the URL's (2026/9/11)
    assert newest.date == date(2026, 9, 12)
    assert newest.url_date == date(2026, 9, 11)
    assert newest.url == SITE + "/art/2026/9/11/art_33718_11828204.html"
    assert newest.title == "关于开展2026年度统计执法检查的公告"
    assert page.data_urls == []  # the records are already here
    assert page.breadcrumb == ["政务公开"]
    assert not page.placeholder


def test_hanweb_empty_datastore_points_at_dataproxy() -> None:
    page = load("hanweb_column_empty_datastore.html", SITE + "/col/col45001/index.html")
    assert page.entries == []
    assert page.newest(TODAY) is None
    (url,) = page.data_urls
    assert url.startswith(SITE + "/module/web/jpage/dataproxy.jsp?page=1&")
    assert "columnid=45001" in url
    assert "unitid=212999" in url


def test_hanweb_dataproxy_reply() -> None:
    url = SITE + "/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&columnid=33718&unitid=1"
    page = parse_data_response((SYN / "hanweb_dataproxy.xml").read_text("utf-8"), url, TODAY)
    assert page.cms == "hanweb"
    assert [e.date for e in page.entries] == [date(2026, 7, 1), date(2026, 6, 28)]
    assert page.entries[0].url == SITE + "/art/2026/7/1/art_33718_11800001.html"
    assert page.page_count == 20
    assert "page=20" in page.last_page_url
    assert "page=1&" not in page.last_page_url


def test_gbk_page_decodes_and_parses() -> None:
    raw = (SYN / "gbk_list_gb2312_declared.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    html = decode_html(raw, "text/html; charset=gb2312")
    assert "朱镕基" in html
    assert "王喆" in html
    page = parse_list_page(html, SITE + "/zwgk/gzdt/", TODAY)
    assert [e.date for e in page.entries] == [
        date(2024, 9, 10),
        date(2024, 9, 5),
        date(2024, 8, 30),
    ]
    assert page.entries[0].title == "朱镕基同志旧居修缮工程完工"
    # createPageHTML( 3 , 0 , 'index' , 'shtml' ): single quotes, spaces
    assert page.page_count == 3
    assert page.last_page_url == SITE + "/zwgk/gzdt/index_2.shtml"
    assert page.breadcrumb == ["政务公开"]


def test_iframe_host_page() -> None:
    page = load("iframe_host.html", SITE + "/zwgk/gsgg/")
    assert page.iframe_urls == [SITE + "/zwgk/gsgg/list_content.html"]
    assert page.entries == []  # the nav links are not a list


def test_poweredy_ignores_megamenu_and_letter_box() -> None:
    today = date(2017, 11, 5)
    page = load("poweredy_list_megamenu.html", SITE + "/Category_12/Index.aspx", today)
    assert page.cms == "poweredy"
    assert len(page.entries) == 20
    # mega-menu "11-02" and letters dated 2017-10-26 are newer than the list: both are noise
    assert page.newest(today).date == date(2017, 10, 20)
    assert page.newest(today).url == SITE + "/Item/24067.aspx"
    assert all(e.date_has_year for e in page.entries)
    assert page.page_count == 120
    assert page.last_page_url == SITE + "/Category_12/Index_120.aspx"
    assert page.breadcrumb == ["政务动态"]


def test_pinned_items_do_not_hide_the_newest() -> None:
    page = load("pinned_list.html", SITE + "/zwgk/tzgg/")
    assert page.entries[0].date == date(2019, 1, 2)
    assert page.newest(TODAY).date == date(2024, 9, 10)
    assert [e.pinned for e in page.entries] == [True, True, False, False, False, False]


def test_blank_placeholder_is_not_a_date() -> None:
    page = load("placeholder_blank.html", SITE + "/zwgk/czyjs/")
    assert page.placeholder
    assert page.entries == []
    assert page.newest(TODAY) is None  # not the header clock's 2026-11-28
    assert page.breadcrumb == ["政务公开"]


@pytest.mark.parametrize(("holder", "placeholder"), [("content", True), ("menu", False)])
def test_a_placeholder_in_a_menu_of_its_own_is_no_blank_list(holder, placeholder) -> None:
    # The menu's own class decides, not only its parent's: a 暂无信息 in a navigation box is
    # the box's, not the column's.
    html = f'<html><body><div class="main"><div class="{holder}">暂无信息</div></div></body></html>'
    assert parse_list_page(html, SITE + "/zwgk/a/", TODAY).placeholder is placeholder


def test_table_date_column_future_date_clock_and_index_numbers() -> None:
    page = load("noise_clock_future_suoyinhao.html", SITE + "/zfxxgk/fdzdgknr/")
    # dates from the 发布日期 column, not 成文日期, not the 索引号 2026-00…
    assert [e.date for e in page.entries] == [
        date(2026, 11, 3),
        date(2026, 12, 30),
        date(2026, 10, 20),
    ]
    # 2026-12-30 is after today: a data-entry error; the clock's 11-28 is not an item
    assert page.newest(TODAY).date == date(2026, 11, 3)
    assert not page.placeholder


def test_yearless_bracket_dates_roll_back_over_new_year() -> None:
    today = date(2026, 1, 10)
    page = load("trs_yearless_brackets.html", SITE + "/xzdt/", today)
    assert [e.date for e in page.entries] == [
        date(2026, 1, 5),
        date(2025, 12, 30),
        date(2025, 12, 29),
    ]
    assert not any(e.date_has_year for e in page.entries)
    assert page.newest(today).date == date(2026, 1, 5)
    # var countPage = 2//共多少页 (no semicolon)
    assert page.page_count == 2
    assert page.last_page_url == SITE + "/xzdt/index_1.html"


def test_js_array_list() -> None:
    page = load("js_array_list.html", SITE + "/tzgg/")
    assert len(page.entries) == 3
    newest = page.newest(TODAY)
    assert newest.date == date(2026, 10, 2)
    assert newest.url == SITE + "/tzgg/202610/t20261002_2.html"


def test_utf8_bytes_behind_a_gb2312_meta() -> None:
    raw = (SYN / "utf8_bytes_gb2312_meta.html").read_bytes()
    html = decode_html(raw, None)
    assert "县政府召开国庆节后收心会" in html
    page = parse_list_page(html, SITE + "/zwyw/", TODAY)
    assert page.newest(TODAY).date == date(2024, 10, 8)


def test_gkmlpt_json_reply() -> None:
    body = json.dumps(
        {
            "articles": [
                {
                    "title": "关于印发工作要点的通知",
                    "url": "http://www.gd.gov.cn/gkmlpt/content/1/1/post_1.html",
                    "publish_time": 1727920800,
                },
                {
                    "title": "2026年预算公开",
                    "url": "http://www.gd.gov.cn/gkmlpt/content/1/1/post_2.html",
                    "publish_time": "2026-03-01 10:00:00",
                },
            ],
            "total": 45,
        },
        ensure_ascii=False,
    )
    page = parse_data_response(body, "http://www.gd.gov.cn/gkmlpt/api/all/5?page=1&sid=2", TODAY)
    assert page.cms == "gkmlpt"
    assert [e.date for e in page.entries] == [date(2024, 10, 3), date(2026, 3, 1)]
    assert page.newest(TODAY).title == "2026年预算公开"
    assert page.page_count == 23


def test_fujian_search_json_reply() -> None:
    body = json.dumps(
        {
            "pageCount": 8,
            "data": [
                {
                    "doctitle": "某局工作情况通报",
                    "docpuburl": "/zwgk/ghxx/gzjzqk/202103/t20210416_1.htm",
                    "docreltime": "2021-04-16 09:00:00",
                },
                {
                    "doctitle": "另一份通报",
                    "chnldocurl": "/zwgk/ghxx/gzjzqk/202102/t20210201_2.htm",
                    "docreltime": 1612144800000,
                },
            ],
        },
        ensure_ascii=False,
    )
    page = parse_data_response(body, "https://www.pingtan.gov.cn/fjdzapp/search", TODAY)
    assert page.cms == "fujian"
    assert page.page_count == 8
    assert [e.date for e in page.entries] == [date(2021, 4, 16), date(2021, 2, 1)]
    expected = "https://www.pingtan.gov.cn/zwgk/ghxx/gzjzqk/202102/t20210201_2.htm"
    assert page.entries[1].url == expected


def test_empty_and_garbage_input() -> None:
    page = parse_list_page("", SITE + "/", TODAY)
    assert page.entries == []
    assert page.newest(TODAY) is None
    assert parse_data_response("{}", SITE + "/gkmlpt/api/all/1?page=1", TODAY).entries == []


def test_small_list_beats_a_bigger_letter_box() -> None:
    # inline synthetic page: a column with two items next to a 政民互动 (hdjl) box of newer mail
    letters = "".join(
        f'<li><a href="/hdjl/xj/{n}.html">市民来信{n}</a><span>2024-10-2{n}</span></li>'
        for n in range(4)
    )
    html = (
        '<html><body><div class="hdjl"><ul>' + letters + "</ul></div>"
        '<div class="list"><ul>'
        '<li><a href="./202409/t20240910_2.html">县政府常务会议</a><span>2024-09-10</span></li>'
        '<li><a href="./202408/t20240801_1.html">县长接待日安排</a><span>2024-08-01</span></li>'
        "</ul></div></body></html>"
    )
    page = parse_list_page(html, SITE + "/zwgk/ldhd/", TODAY)
    assert [e.date for e in page.entries] == [date(2024, 9, 10), date(2024, 8, 1)]


def test_div_rows_of_a_title_box_and_a_date_box_are_dated_items() -> None:
    # inline synthetic page: each item a div holding its link's div and its date's div; read
    # as undated title boxes, the column cost two article fetches and had no counts.
    rows = "".join(
        f'<div class="item"><div class="item-tit"><a href="/content/17/content_30700{n}.html"'
        f' title="公告{n}">公告{n}</a></div><div class="item-rq">2024-09-1{9 - n}</div></div>'
        for n in range(4)
    )
    html = f'<html><body><div class="lb-items">{rows}</div></body></html>'
    page = parse_list_page(html, SITE + "/list.jsp?catid=17", TODAY)
    assert [e.title for e in page.entries] == [f"公告{n}" for n in range(4)]
    assert [e.date for e in page.entries] == [date(2024, 9, 19 - n) for n in range(4)]


def test_undated_list_in_a_left_column_beats_the_menu() -> None:
    # inline synthetic page: an undated list inside "side-left" (token "left", not "ft") next
    # to a bigger drop-down menu; the menu must not win, the list must
    menu = "".join(f'<li><a href="/c{n}/">栏目{n}</a></li>' for n in range(20))
    items = "".join(
        f'<li><a href="./202610/t2026101{n}_{n}.html">乡镇新闻{n}</a></li>' for n in range(6)
    )
    html = (
        f'<html><body><ul class="nav"><li><a href="/">首页</a><ul class="subnav">{menu}</ul>'
        f'</li></ul><div class="list-page side-left"><ul class="list">{items}</ul>'
        "</div></body></html>"
    )
    page = parse_list_page(html, SITE + "/xwzx/xzdt/", TODAY)
    assert [e.title for e in page.entries] == [f"乡镇新闻{n}" for n in range(6)]
    assert all(e.date is None for e in page.entries)
    assert [e.url_date for e in page.entries][:2] == [date(2026, 10, 10), date(2026, 10, 11)]
