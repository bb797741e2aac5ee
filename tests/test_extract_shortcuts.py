"""The list reader's, pager's and text readers' shortcuts (searches skipped when a cheap test
rules them out, walks done by lxml in C) give what the full searches give, on the markups the
shortcuts reason about."""

import re
from datetime import date
from pathlib import Path

import lxml.html
import pytest

from portalspider.extract.cms import detect_cms
from portalspider.extract.htmlutil import (
    Document,
    absolute,
    clean_text,
    element_text,
    parse_html,
    text_pieces,
)
from portalspider.extract.listpage import (
    _BREADCRUMB_LABEL,
    _labelled_holders,
    _noisy_itself,
    parse_list_page,
)
from portalspider.extract.pager import read_pager
from portalspider.urls import page_number

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
    "href",
    [
        "/a/content_9.html",  # an article: never joined
        "t20261202_3.html",
        "list_3.html",
        "LIST_3.HTML",
        "Index_4.aspx",
        "https:index_2.html",  # no slash: the scheme goes before the name
        " index_2.html ",
        "inde\tx_2.html",  # the join drops the tab
        "li\u017ft_2.html",  # re.I folds the long s into the stem's s
        "index_2.html#top",
        "/a_b/index_2.html",
        "index_2.html;x_y",
        "//#_",
        "?page=3",
        "#x_1",  # no path: the base's (a paged base's name)
        "//h_x",
        "a_b/./",
        "index_2.html/..",
        "x_y/../index_2.html",
        "x_y/../",
    ],
)
@pytest.mark.parametrize("url", [BASE, BASE + "index_3.html", BASE + "list.jsp?page=2"])
def test_the_pager_counts_the_links_it_skips_resolving_as_if_it_resolved_them(href, url):
    """The pager's test on a link as written (:func:`may_end_paged`) passes every link
    whose join names a paged document."""
    links = [f'<a href="/m{i}/">菜单{i}</a>' for i in range(3)] + [f'<a href="{href}">x</a>']
    expected = None
    for link in links:
        target = absolute(url, lxml.html.fromstring(link).get("href"))
        number = page_number(target) if target else None
        if number is not None and (expected is None or number > expected):
            expected = number
    assert _pager("".join(links), url).page_count == expected


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


# Text ----------------------------------------------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures"
SAVED_PAGES = sorted((FIXTURES / "realpages").glob("*.html")) + sorted(
    (FIXTURES / "errorpages").glob("*.html")
)
HIDDEN_CONTENT = (
    "<html><head><title>t</title></head><body><p>甲<!-- 注释 -->乙<script>var s = 1;</script>"
    "丙<b>丁</b>&amp;戊<select><option>选项</option></select>己<textarea>区</textarea>"
    "<?pi x?>庚</p>\x01<span>\u3000辛\xa0壬 </span><noscript>无</noscript></body></html>"
)


def _saved(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def _walked(element) -> str:
    """The visible text as the Python walk gives it (the reference)."""
    return clean_text(" ".join(text_pieces(element)))


@pytest.mark.parametrize("html", [HIDDEN_CONTENT, *map(_saved, SAVED_PAGES)])
def test_element_text_reads_every_element_as_the_walk_does(html) -> None:
    document = Document(html)
    root, tree = document.root, document.reading_tree  # the walk in C applies to the copy
    assert root is not None
    assert tree is not None
    for element in [*root.iter(), *tree.iter()]:
        assert element_text(element) == _walked(element)


def test_element_text_leaves_out_hidden_content() -> None:
    root = parse_html(HIDDEN_CONTENT)
    assert root is not None
    assert element_text(root.find("body")) == "甲 乙 丙 丁 &戊 己 庚 辛 壬"


@pytest.mark.parametrize(
    "html", [HIDDEN_CONTENT, *(p for p in map(_saved, SAVED_PAGES) if "ms-repeat" not in p)]
)
def test_the_visible_text_is_the_walk_of_the_page_as_served(html) -> None:
    """Read from the copy without scripts and templates, the text is the page's own: what
    the walk of the unmodified tree, skipping hidden content, gives, but for the space the
    walk puts where a script was (``来源：<script/>省`` reads as a browser shows it). The
    one saved page with avalon templates is left out: the copy drops them too."""
    document = Document(html)
    assert document.root is not None
    body = document.root.find("body")
    walked = _walked(body if body is not None else document.root)
    assert document.visible_text.replace(" ", "") == walked.replace(" ", "")
    assert document.text_shorter_than(500) == (len(document.visible_text) < 500)


def test_script_and_style_text_does_not_make_a_page_long() -> None:
    code = "var x = 1;" * 200
    html = (
        f"<html><body><script>{code}</script><style>{code}</style><p>页面不存在</p></body></html>"
    )
    assert Document(html).text_shorter_than(500)
    assert not Document(html.replace("页面不存在", "文" * 500)).text_shorter_than(500)


def test_control_characters_do_not_make_a_page_long() -> None:
    html = "<html><body><p>" + "\x01" * 600 + "页面不存在</p></body></html>"
    assert Document(html).text_shorter_than(500)


def test_whitespace_collapses_as_the_regular_expression_did() -> None:
    spaces = "".join(chr(c) for c in range(0x3100) if re.match(r"\s", chr(c)))
    assert clean_text(f"{spaces}甲{spaces}乙\u200b丙{spaces}") == "甲 乙\u200b丙"


@pytest.mark.parametrize("label", ["CurrChnlCls", "currchnlcls", "nav CURRCHNLCLS"])
def test_the_trs_trail_is_found_whatever_the_case_of_its_class(label) -> None:
    trail = (
        f'<div><a href="/" class="{label}">首页</a> &gt; <a href="/zwgk/" class="{label}">政务公开</a>'
        f' &gt; <a href="/col/tzgg/" class="{label}">通知公告</a></div>'
    )
    page = parse_list_page(f"<html><body>{trail}<ul>{ROWS}</ul></body></html>", BASE, TODAY)
    assert page.breadcrumb == ["政务公开"]
    assert page.breadcrumb_current == "通知公告"


@pytest.mark.parametrize(
    ("marker", "cms"),
    [
        ("var PageChnlInfo = {}", "fujian"),
        ('<script src="/module/JSLIB/x.js"></script>', "hanweb"),
        ('<a href="/Category_12/">x</a>', "poweredy"),
        ("<UCAPTITLE>x</UCAPTITLE>", "ucap"),
        ('<a href="./202611/T20261102_1.HTML">x</a>', "trs"),
        ("索引号 发布机构", "xxgk"),
        ("nothing known", None),
    ],
)
def test_cms_fingerprints_are_found_in_the_lowered_bytes_as_in_the_text(marker, cms) -> None:
    html = f"<html><body>{marker}</body></html>"
    assert detect_cms(html, BASE) == cms
    assert detect_cms(html, BASE, html.encode("utf-8").lower()) == cms


def _walked_holders(root) -> list:
    """The 当前位置 label holders in a walk over every element (the reference)."""
    holders = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if _BREADCRUMB_LABEL.search(element.text or ""):
            holders.append(element)
        elif _BREADCRUMB_LABEL.search(element.tail or ""):
            holders.append(element.getparent())
    return holders


LABELS = (
    "<html><body><div><span>x</span>当前位置：<a href='/'>首页</a>"
    "<p>您的位置<b>所在位置</b>现在位置</p></div>位置<i>当前的位置</i></body></html>"
)


@pytest.mark.parametrize("html", [LABELS, *map(_saved, SAVED_PAGES)])
def test_trail_labels_are_found_in_the_order_of_a_walk(html) -> None:
    root = parse_html(html)
    assert root is not None
    assert _labelled_holders(root) == _walked_holders(root)
