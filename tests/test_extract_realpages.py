"""The real saved government pages give the answers in tests/fixtures/realpages/MANIFEST.md."""

import itertools
from datetime import date
from pathlib import Path

import pytest

from portalspider.extract.article import parse_article_date
from portalspider.extract.encoding import decode_html
from portalspider.extract.listpage import parse_list_page

REAL = Path(__file__).parent / "fixtures" / "realpages"
TODAY = date(2026, 11, 28)

PINGTAN = "list_pingtan-fj_trs-avalon_gzjzqk_recordCount107_transcribed.html"
YUANZHOU = "list_yuanzhou-district-jx_trs-wcm_createPageHTML120_2017-10-20_from-py.html"
HANDAN = "xxgk-list_handan_trs_countPage56_saved-as-jsp.jsp.html"
PINGTAN_URL = "https://www.pingtan.gov.cn/zwgk/ghxx/gzjzqk/"
YUANZHOU_URL = "http://www.yzq.gov.cn/zwgk/zwdt/zwyw/"
HANDAN_URL = "http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/"


def read(name: str) -> str:
    # decode by bytes, as the spider does: several files declare another charset
    return decode_html((REAL / name).read_bytes(), None)


@pytest.fixture(scope="module")
def pingtan():
    return parse_list_page(read(PINGTAN), PINGTAN_URL, TODAY)


@pytest.fixture(scope="module")
def yuanzhou():
    return parse_list_page(read(YUANZHOU), YUANZHOU_URL, TODAY)


@pytest.fixture(scope="module")
def handan():
    return parse_list_page(read(HANDAN), HANDAN_URL, TODAY)


@pytest.mark.parametrize(
    ("name", "url", "newest", "entries", "pages"),
    [
        (PINGTAN, PINGTAN_URL, date(2025, 11, 11), 75, 8),
        (YUANZHOU, YUANZHOU_URL, date(2017, 10, 20), 25, 120),
        (HANDAN, HANDAN_URL, date(2020, 8, 5), 1, 56),
    ],
)
def test_list_pages_match_manifest(name, url, newest, entries, pages) -> None:
    page = parse_list_page(read(name), url, TODAY)
    assert page.newest(TODAY).date == newest
    assert len(page.entries) == entries
    assert page.page_count == pages
    assert not page.placeholder
    assert not page.article_like


def test_pingtan_dates_are_the_shown_ones_not_the_url_ones(pingtan) -> None:
    dates = [e.date for e in pingtan.entries]
    assert dates[-1] == date(2021, 4, 16)
    assert all(a >= b for a, b in itertools.pairwise(dates))
    mismatched = [e for e in pingtan.entries if e.url_date and e.url_date != e.date]
    assert len(mismatched) == 29
    item = next(e for e in pingtan.entries if e.url.endswith("/202312/t20231228_85447.htm"))
    assert (item.date, item.url_date) == (date(2023, 10, 23), date(2023, 12, 28))


def test_pingtan_urls_are_absolute_and_native_newest(pingtan) -> None:
    first = pingtan.entries[0]
    assert first.url == (
        "https://www.pingtan.gov.cn/zwgk/zdlyxxgk/ssjygk/sjccjg/202511/t20251111_103189.htm"
    )
    native = [e for e in pingtan.entries if e.url.startswith(PINGTAN_URL)]
    assert max(e.date for e in native) == date(2025, 3, 21)
    assert not any(e.pinned for e in pingtan.entries)


def test_pingtan_metadata_and_noise(pingtan) -> None:
    assert pingtan.cms == "fujian"
    assert pingtan.meta["columnname"] == "工作进展情况"
    assert pingtan.meta["chnlid"] == "1780"
    assert pingtan.meta["siteidcode"] == "3590000001"
    assert pingtan.breadcrumb == ["政务公开", "规划信息"]
    assert pingtan.breadcrumb_current == "工作进展情况"
    assert pingtan.iframe_urls == []  # the weather widget is not a list host
    assert pingtan.last_page_url is None  # pages 6-8 only exist behind POST /fjdzapp/search
    assert pingtan.data_urls == []


def test_yuanzhou_pager_and_trap(yuanzhou) -> None:
    assert yuanzhou.cms == "trs"
    assert yuanzhou.last_page_url == YUANZHOU_URL + "index_119.html"
    assert yuanzhou.breadcrumb == ["政务公开", "政务动态"]
    item = next(e for e in yuanzhou.entries if e.url.endswith("t20171019_398220.html"))
    assert item.date == date(2017, 10, 18)
    assert min(e.date for e in yuanzhou.entries) == date(2017, 10, 10)
    assert yuanzhou.entries[0].title == "袁州区财政局掀起学习贯彻省、市、区有关文件精神热潮"


def test_handan_table_and_pager_counted_once(handan) -> None:
    (entry,) = handan.entries
    assert entry.date == date(2020, 8, 5)
    assert entry.title.startswith("邯郸市教育局关于印发")
    assert handan.last_page_url == HANDAN_URL + "index_55.html"
    assert handan.breadcrumb == ["政府文件"]
    assert handan.breadcrumb_current == "近期信息公开"


@pytest.mark.parametrize(
    ("name", "expected", "source"),
    [
        ("article_zj-fgw_hanweb_meta_2016-11-22.html", date(2016, 11, 22), "visible"),
        ("article_shanxi-gov_trs_meta_2019-09-18.html", date(2019, 9, 18), "visible"),
        ("article_www-gov-cn_gongbao_2007-08-20.html", date(2007, 8, 20), "meta"),
        ("article_cmse-gov-cn_nometa_2012-06-24.html", date(2012, 6, 24), "visible"),
        (
            "article_wanzai-county_2015gongbao_pubdate-2022-04-24_saved.html",
            date(2017, 5, 15),
            "visible",
        ),
        (
            "article_wanzai-county_2022gongbao_pubdate-2023-08-16_saved.html",
            date(2023, 5, 11),
            "visible",
        ),
        ("article_yichun-city_2022gongbao_saved.html", date(2023, 4, 18), "visible"),
        ("article_yichun-city_jiangxi2022gongbao_saved.html", date(2023, 3, 31), "visible"),
        ("xxgk-article_handan_suoyinhao_saved-as-jsp.jsp.html", date(2020, 8, 2), "visible"),
    ],
)
def test_article_dates_match_manifest(name, expected, source) -> None:
    found = parse_article_date(read(name), "https://www.example.gov.cn/a/b/c.html", TODAY)
    assert found is not None
    assert (found.date, found.source) == (expected, source)


@pytest.mark.parametrize(
    "name",
    [
        "article_zj-fgw_hanweb_meta_2016-11-22.html",
        "article_wanzai-county_2015gongbao_pubdate-2022-04-24_saved.html",
        "article_shanxi-gov_trs_meta_2019-09-18.html",
    ],
)
def test_article_pages_look_like_articles(name) -> None:
    page = parse_list_page(read(name), "https://www.example.gov.cn/a/b/c.html", TODAY)
    assert page.article_like


def test_list_pages_have_no_article_date() -> None:
    # a list page has no 发布日期 label: the spider must not read a list as an article
    assert parse_article_date(read(YUANZHOU), YUANZHOU_URL, TODAY) is None


@pytest.mark.parametrize("name", sorted(p.name for p in REAL.glob("*.htm*")))
@pytest.mark.parametrize("min_dated", [1, 5, 100])
def test_read_list_page_stops_only_where_too_few_entries_are_dated(name, min_dated):
    """Asked for dated entries, the reader gives the whole page's reading or None."""
    from portalspider.extract.listpage import read_list_page

    html, url = read(name), "http://www.example.gov.cn/col/col123/index.html"
    page = parse_list_page(html, url, TODAY)
    dated = sum(1 for e in page.entries if e.date)
    expected = page if dated >= min_dated else None
    assert read_list_page(html, url, TODAY, min_dated=min_dated) == expected
