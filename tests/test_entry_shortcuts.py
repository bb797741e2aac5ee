"""The entry reader's shortcuts give what the full readings give: the pinned test that reads
an item's whole text only when a 顶 is in it, the container test that looks only between an
item and its links, one date scan for the date and its year, the URL-date pre-test and the
text walk that reads childless elements in place."""

from datetime import date
from pathlib import Path

import pytest

from portalspider.dates import (
    _date_in_path,
    date_and_year,
    date_in_url,
    has_year,
    parse_date,
)
from portalspider.extract.entries import (
    _marked_pinned,
    _pin_text,
    _pinned_item,
    is_pinned_element,
    link_elements,
    shown_date,
)
from portalspider.extract.htmlutil import (
    _SKIP_TAGS,
    Document,
    absolute,
    element_text,
    text_pieces,
)
from portalspider.extract.listpage import _ITEM_TAGS, _is_container

TODAY = date(2026, 11, 28)
BASE = "https://www.example.gov.cn/col/tzgg/"
FIXTURES = Path(__file__).parent / "fixtures"
SAVED = sorted(
    path
    for folder in ("realpages", "synthetic", "errorpages")
    for path in (FIXTURES / folder).glob("*.html")
)
MARKERS = (
    "<html><body><ul class='list'>"
    "<li><a href='/a1.html'>置顶通知</a><span>2026-11-20</span></li>"
    "<li><a href='/a2.html'>置<b>顶</b>拆开</a><span>2026-11-19</span></li>"
    "<li>[顶]<a href='/a3.html'>公告</a><span>11-18</span></li>"
    "<li><a href='/a4.html' title='置顶'>山顶公园</a><span>2026-11-17</span></li>"
    "<li><a href='/a5.html'>新闻</a><select><option>置顶</option></select></li>"
    "<li><a href='/a6.html'>新闻<span>【顶】</span></a><em>2026-11-16</em></li>"
    "<li><a href='javascript:void(0)'>置顶</a><a href='/a7.html'>新闻</a></li>"
    "<li class='news-top'><a href='/a8.html'>新闻</a></li>"
    "<li><img src='/images/zd.gif'><a href='/a9.html'>新闻</a></li>"
    "<li><img alt='置顶' src='/x.png'><a href='/a10.html'>新闻</a></li>"
    "<li><a href='/a11.html'>新闻<img src='/icon_top.png'></a><!-- 置顶 --></li>"
    "<li><a href='/a12.html'>一</a><ul><li><a href='/a13.html'>二</a></li></ul></li>"
    "<li><div><a href='/a14.html'>一</a></div><div><a href='/a15.html'>二</a></div></li>"
    "</ul><div class='item'><div><a href='/b1.html'>标题[2024-09-10]</a></div>"
    "<div>2024-01-02</div></div>"
    "<div><p><a href='/b2.html'>甲</a></p><a href='/b3.html'>乙</a></div>"
    "<table><tr><td><a href='/c1.html'>置顶</a></td><td>2026-11-01</td></tr></table>"
    "</body></html>"
)
PAGES = [MARKERS, *(path.read_bytes().decode("utf-8", "replace") for path in SAVED)]


def _items(html: str) -> list:
    tree = Document(html).reading_tree
    assert tree is not None
    return list(tree.iter(*_ITEM_TAGS))


def _skip(links) -> frozenset[int]:
    return frozenset(id(a) for a in links)


def _pinned_reference(element) -> bool:
    """The markers, then the item's whole visible text, whether or not a 顶 shows in it."""
    return _marked_pinned(element) or _pin_text(element_text(element))


def _container_reference(element, links) -> bool:
    """Any inner item of the item's whole subtree holding a link."""
    single = element.tag == "div" and len(links) == 1
    tags = _ITEM_TAGS[:-1] if element.tag != "div" or single else _ITEM_TAGS
    return any(inner is not element and link_elements(inner) for inner in element.iter(*tags))


@pytest.mark.parametrize("html", PAGES)
def test_items_are_pinned_and_containers_as_the_full_readings_say(html) -> None:
    for element in _items(html):
        links = link_elements(element)
        outside = element_text(element, _skip(links))
        pinned = _pinned_reference(element)
        assert is_pinned_element(element) is pinned
        assert _pinned_item(element, links, outside) is pinned
        if 1 <= len(links) <= 2:
            assert _is_container(element, links) == _container_reference(element, links)


def test_the_marker_page_holds_what_the_shortcuts_reason_about() -> None:
    pinned = [_pinned_reference(e) for e in _items(MARKERS) if e.tag == "li"]
    assert pinned[:11] == [True, False, True, False, False, True, True, True, True, True, True]


def _walk(element, skip: frozenset[int]) -> list[str]:
    """The visible text pieces, by recursion (the reference)."""
    if not isinstance(element.tag, str) or element.tag in _SKIP_TAGS or id(element) in skip:
        return []
    pieces = [element.text] if element.text else []
    for child in element:
        pieces += _walk(child, skip)
        if child.tail:
            pieces.append(child.tail)
    return pieces


@pytest.mark.parametrize("html", PAGES)
def test_the_text_walk_is_the_recursive_walk(html) -> None:
    root = Document(html).root
    assert root is not None
    for element in root.iter():
        links = link_elements(element) if isinstance(element.tag, str) else []
        skip = _skip(links)  # by id: the links are kept alive while it is used
        assert text_pieces(element, skip) == _walk(element, skip)
        assert text_pieces(element) == _walk(element, frozenset())


TEXTS = [
    "",
    "2024-09-10",
    "[09-10]",
    "10-20 2023年1月2日",
    "2024-13-45 09-10",
    "000014348/2020-35428",
    "发布：2022-02-02 更新：2023-03-03",
    "2026年12月2日 星期三",
    "9月10日",
    "02-30",
]


@pytest.mark.parametrize("html", PAGES)
def test_one_scan_reads_the_date_and_its_year(html) -> None:
    for text in [*TEXTS, *(element_text(element) for element in _items(html))]:
        for today in (TODAY, date(2020, 1, 15)):
            assert date_and_year(text, today) == (parse_date(text, today), has_year(text))


def test_the_header_clock_is_no_item_date_and_a_link_date_still_is() -> None:
    items = _items(
        "<html><body><ul><li><a href='/a.html'>甲<em>2026-11-01</em></a>今天是 2026年11月28日</li>"
        "<li><a href='/b.html'>乙<em>2026-11-02</em></a></li></ul></body></html>"
    )
    readings = [shown_date(item, link_elements(item), TODAY) for item in items]
    assert readings == [(None, False), (date(2026, 11, 2), True)]


def _url_date_reference(url: str) -> date | None:
    """Every pattern tried, without the one search that rules most URLs out."""
    return _date_in_path(url.split("?", 1)[0].split("#", 1)[0])


URLS = [
    "http://x.gov.cn/art/2024/9/10/art_1_2.html",
    "http://x.gov.cn/a/t20240910_1.html",
    "http://x.gov.cn/2024-09/10/c_1.htm",
    "http://x.gov.cn/202409/10/a.html",
    "http://x.gov.cn/2024/0910/a.html",
    "http://x.gov.cn/20240910/a.html",
    "http://x.gov.cn/t20241310_1.html?x=/t20240910_1",
    "http://x.gov.cn/content_20240910.html",
    "http://x.gov.cn/1999/1231/a.html",
]


@pytest.mark.parametrize("html", PAGES)
def test_url_dates_are_read_as_every_pattern_reads_them(html) -> None:
    tree = Document(html).root
    assert tree is not None
    hrefs = [absolute(BASE, a.get("href")) for a in tree.iter("a")]
    for url in [*URLS, *(href for href in hrefs if href)]:
        assert date_in_url(url) == _url_date_reference(url)
