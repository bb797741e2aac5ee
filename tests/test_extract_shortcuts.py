"""The list reader's and pager's shortcuts (searches skipped when a cheap test rules them out)
give what the full searches give, on the markups the shortcuts reason about."""

from datetime import date

import lxml.html
import pytest

from portalspider.extract.htmlutil import parse_html
from portalspider.extract.listpage import _noisy_itself, parse_list_page
from portalspider.extract.pager import read_pager

TODAY = date(2026, 11, 28)
BASE = "https://www.example.gov.cn/col/tzgg/"

ROWS = "".join(
    f'<li><a href="./202611/t202611{d:02d}_{d}.html">标题{d}</a><span>2026-11-{d:02d}</span></li>'
    for d in range(20, 10, -1)
)


@pytest.mark.parametrize("attribute", ["ms-repeat", "MS-REPEAT", "Ms-For"])
def test_avalon_templates_are_dropped_whatever_the_case_of_their_attribute(attribute) -> None:
    """The parser lowers attribute names; the page's text keeps the case it was written in."""
    template = f'<li {attribute}="list"><a href="{{{{el.url}}}}">{{{{ el.title }}}}</a></li>'
    html = f'<html><body><ul class="list">{template}{ROWS}</ul></body></html>'
    page = parse_list_page(html, BASE, TODAY)
    assert len(page.entries) == 10
    assert not any("{{" in entry.title for entry in page.entries)


def _pager(links: str, url: str):
    root = parse_html(f"<html><body><div>{links}</div></body></html>")
    return read_pager(root, "", "", url, url)


def test_page_links_are_read_among_menu_links() -> None:
    menus = "".join(f'<a href="/m{i}/">菜单{i}</a>' for i in range(30))
    pager = _pager(menus + '<a href="index_1.html">下一页</a><a href="index_4.html">5</a>', BASE)
    assert (pager.page_count, pager.last_page_url) == (5, BASE + "index_4.html")
    assert pager.next_page_url == BASE + "index_1.html"
    pager = _pager(menus + '<a href="list.jsp?page=7">尾页</a>', BASE)
    assert (pager.page_count, pager.last_page_url) == (7, BASE + "list.jsp?page=7")


def test_an_href_without_a_path_takes_the_page_number_of_the_base() -> None:
    """``https:`` resolves to the page itself: its number comes from the base's path."""
    url = BASE + "index_3.html"
    assert _pager('<a href="/m/">菜单</a><a href="https:">尾页</a>', url).page_count == 4
    assert _pager('<a href="https:">尾页</a>', BASE).page_count is None


@pytest.mark.parametrize(
    ("label", "furniture"),
    [
        ("subnav", True),
        ("mainNav", True),
        ("nav_wrap", True),
        ("topmenu-box", True),
        ("top", True),
        ("side-left", False),  # "ft" is a token of its own, not a piece of "left"
        ("list-box", False),
        ("headline", False),  # "head" is a token, not a stem
    ],
)
def test_furniture_stems_match_inside_tokens_and_tokens_only_whole(label, furniture) -> None:
    element = lxml.html.fromstring(f'<div class="{label}"></div>')
    assert _noisy_itself(element) is furniture
