"""URL identity truth tables: one page, one column, an attachment (portalspider/urls.py)."""

from __future__ import annotations

import pytest

from portalspider import urls
from portalspider.discovery import may_be_column

H = "http://x.gov.cn"

# (a, b, same page, same column)
PAIRS = [
    (f"{H}/x/", f"{H}/x/index.html", True, True),
    (f"{H}/x/", f"{H}/x/main.html", True, True),
    (f"{H}/x/", f"{H}/x/default.aspx", True, True),
    (f"{H}/x/", f"{H}/x/index.shtml#top", True, True),
    (f"{H}/x/", f"{H}/x/?from=nav", True, True),
    (f"{H}/x/", f"{H}/x/index_2.html", False, True),
    (f"{H}/x/index_1.html", f"{H}/x/index_2.html", False, True),
    (f"{H}/x/main.html", f"{H}/x/index_2.html", False, True),
    (f"{H}/Category_12/Index.aspx", f"{H}/Category_12/Index_2.aspx", False, True),
    (f"{H}/list.jsp?cat=3", f"{H}/list.jsp?cur_page=4&cat=3", False, True),
    (f"{H}/list.jsp?cat=3", f"{H}/list.jsp?cat=4", False, False),
    (f"{H}/x/", f"{H}/y/", False, False),
    (f"{H}/x/", f"{H}/x/y/", False, False),
    (f"{H}/gkmlpt/index#2811", f"{H}/gkmlpt/index#2812", False, False),
    (f"{H}/a/#/list/5", f"{H}/a/#/list/6", False, False),
    (f"{H}/a/#main", f"{H}/a/", True, True),
    ("HTTP://X.GOV.CN:80/a/", f"{H}/a/", True, True),
    ("https://x.gov.cn:443/a/", "https://x.gov.cn/a/", True, True),
    (f"{H}:8080/a/", f"{H}/a/", False, False),
    (f"{H}/新闻/", f"{H}/%E6%96%B0%E9%97%BB/", True, True),
    (f"{H}/list.jsp?b=2&a=1&utm_source=wx", f"{H}/list.jsp?a=1&b=2", True, True),
]


@pytest.mark.parametrize(("a", "b", "page", "column"), PAIRS)
def test_same_page_and_same_column(a: str, b: str, page: bool, column: bool) -> None:
    assert urls.same_page(a, b) is page
    assert (urls.canonical_url(a) == urls.canonical_url(b)) is page
    assert (urls.column_key(a) == urls.column_key(b)) is column


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("http://127.0.0.1:8765/xwzx/zwdt/", "http://127.0.0.1:8765/xwzx/zwdt/"),
        ("http://127.0.0.1:8765/xwzx/zwdt/index.html", "http://127.0.0.1:8765/xwzx/zwdt/"),
        ("http://127.0.0.1:8765/xwzx/zwdt/main.html", "http://127.0.0.1:8765/xwzx/zwdt/"),
        ("http://127.0.0.1:8765/xwzx/zwdt/index.shtml#top", "http://127.0.0.1:8765/xwzx/zwdt/"),
        ("http://127.0.0.1:8765/xwzx/zwdt/?from=nav", "http://127.0.0.1:8765/xwzx/zwdt/"),
        ("http://127.0.0.1:8765/x/index_2.html", "http://127.0.0.1:8765/x/index_2.html"),
        ("HTTP://WWW.Example.GOV.CN:80/a/", "http://www.example.gov.cn/a/"),
        ("http://x.gov.cn/list.jsp?b=2&a=1&utm_source=wx", "http://x.gov.cn/list.jsp?a=1&b=2"),
        ("http://x.gov.cn/col/col123/index.html", "http://x.gov.cn/col/col123/"),
        ("http://x.gov.cn//a//b/", "http://x.gov.cn/a/b/"),
        ("http://x.gov.cn/a/#/list/5", "http://x.gov.cn/a/#/list/5"),
        ("http://x.gov.cn/a/#main", "http://x.gov.cn/a/"),
    ],
)
def test_canonical_url(variant: str, canonical: str) -> None:
    assert urls.canonical_url(variant) == canonical


@pytest.mark.parametrize(
    ("url", "taken"),
    [
        ("http://127.0.0.1:18765/xwzx/gzdt/202611/t20261120_7.html", True),
        ("https://www.hz.zj.gov.cn/art/2024/9/10/art_1229_5.html", True),
        ("http://x.gov.cn:8080//a//b/", True),
        ("http://x.gov.cn:80/a/index.html", True),
        ("https://x.gov.cn:443/a/main.shtml", True),
        ("https://x.gov.cn:80/a/Default.aspx", True),
        ("http://01.2.3.4:9/a-b/c~d/e.f_g", True),
        ("http://xn--fiqs8s.cn/-/", True),
        ("http://x.gov.cn:00/x/", False),  # w3lib writes port 0
        ("http://x.gov.cn:65536/x/", False),  # out of range: w3lib raises
        ("http://x.gov.cn/a/../b/", False),  # a dot segment
        ("http://X.gov.cn/a/", False),
        ("http://x.gov.cn/a/?b=1", False),
        ("http://x.gov.cn/%E6%96%B0/", False),
        ("http://x.gov.cn", False),
    ],
)
def test_urls_taken_as_canonical_already_are_w3libs_own(url: str, taken: bool) -> None:
    """``canonical_url`` spares w3lib's parse only for URLs it would return unchanged."""
    from w3lib.url import canonicalize_url

    assert bool(urls._CANONICAL_ALREADY.fullmatch(url)) is taken
    if taken:
        assert canonicalize_url(url) == url
        # The fast path reads the parts off the match: the same key as the general way.
        assert urls.canonical_url(url) == urls._canonical_general(url)


@pytest.mark.parametrize(
    ("url", "number", "later"),
    [
        (f"{H}/x/", None, False),
        (f"{H}/x/index.html", None, False),
        (f"{H}/x/index_1.html", 2, True),  # TRS counts from 0
        (f"{H}/x/index_9.shtml", 10, True),
        (f"{H}/x/list_3.html", 4, True),
        (f"{H}/Category_12/Index_2.aspx", 2, True),  # PowerEasy counts from 1
        (f"{H}/Category_12/Index_1.aspx", 1, False),
        (f"{H}/list.jsp?cat_id=3&cur_page=4", 4, True),
        (f"{H}/list.jsp?pageNo=1", 1, False),
        (f"{H}/list.jsp?currentPage=7", 7, True),
        (f"{H}/list.jsp?page=", None, False),
        (f"{H}/dataproxy.jsp?startrecord=46&endrecord=90", None, True),
        (f"{H}/dataproxy.jsp?startrecord=1&endrecord=45", None, False),
    ],
)
def test_page_number(url: str, number: int | None, later: bool) -> None:
    assert urls.page_number(url) == number
    assert urls.is_later_page(url) is later


@pytest.mark.parametrize(
    ("url", "key"),
    [
        (f"{H}/x/index_2.html", f"{H}/x/"),
        (f"{H}/x/main.html", f"{H}/x/"),
        (f"{H}/x/list_2.html", f"{H}/x/list.html"),
        (f"{H}/Category_12/Index_3.aspx", f"{H}/Category_12/"),
        (f"{H}/list.jsp?cat=3&cur_page=4&from=nav", f"{H}/list.jsp?cat=3"),
        (f"{H}/dataproxy.jsp?startrecord=46&col=1", f"{H}/dataproxy.jsp?col=1"),
    ],
)
def test_column_key(url: str, key: str) -> None:
    assert urls.column_key(url) == key


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("/xwzx/zwdt/", "/xwzx/zwdt"),
        ("/xwzx/zwdt/index.html", "/xwzx/zwdt"),
        ("/xwzx/zwdt/index.shtml", "/xwzx/zwdt"),
        ("/xwzx/zwdt/main.html", "/xwzx/zwdt"),
        ("/xwzx/zwdt/index_2.html", "/xwzx/zwdt"),
        ("/xwzx/zwdt", "/xwzx/zwdt"),
        ("//xwzx//zwdt/", "/xwzx/zwdt"),
        ("/", ""),
        ("", ""),
        ("/col/list.jsp", "/col/list.jsp"),
        ("/%E6%96%B0%E9%97%BB/", "/新闻"),
        ("/新闻/", "/新闻"),
    ],
)
def test_column_path(raw: str, normal: str) -> None:
    assert urls.column_path(raw) == normal


@pytest.mark.parametrize(
    ("url", "attachment"),
    [
        (f"{H}/files/report.pdf", True),
        (f"{H}/files/REPORT.DOCX", True),
        (f"{H}/files/通知.wps", True),
        (f"{H}/files/data.xlsx?v=2", True),
        (f"{H}/files/a.tar.gz", True),
        (f"{H}/img/banner.jpg", True),
        (f"{H}/x/", False),
        (f"{H}/x/index.html", False),
        (f"{H}/x/list.jsp?cat=pdf", False),
        (f"{H}/art/2024/9/10/art_1_2.html", False),
        (f"{H}/col/col123", False),
    ],
)
def test_is_attachment(url: str, attachment: bool) -> None:
    assert urls.is_attachment(url) is attachment


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://x.gov.cn/xwzx/zwdt/", True),
        ("http://x.gov.cn/xwzx/zwdt/main.html", True),
        ("http://x.gov.cn/xwzx/zwdt/202409/t20240910_123.html", False),
        ("http://x.gov.cn/xwzx/zwdt/index_3.html", False),
        ("http://x.gov.cn/files/report.pdf", False),
        ("http://x.gov.cn/Category_12/Index.aspx", True),
        ("http://x.gov.cn/list.jsp?cat_id=3&cur_page=4", False),
        ("javascript:void(0)", False),
        ("file:///etc/passwd", False),
    ],
)
def test_may_be_column_uses_the_same_facts(url: str, expected: bool) -> None:
    assert may_be_column(url) is expected


@pytest.mark.parametrize(
    ("linked", "clean"),
    [
        ("http://x.gov.cn/xwzx/zwdt/?from=nav", "http://x.gov.cn/xwzx/zwdt/"),
        ("http://x.gov.cn/xwzx/zwdt/index.html#main", "http://x.gov.cn/xwzx/zwdt/index.html"),
        ("http://x.gov.cn/list.jsp?catid=12&spm=a1", "http://x.gov.cn/list.jsp?catid=12"),
        ("http://x.gov.cn/list.jsp?b=1&a=2&a=3", "http://x.gov.cn/list.jsp?b=1&a=2&a=3"),
        ("http://x.gov.cn/gkmlpt/index#2808", "http://x.gov.cn/gkmlpt/index#2808"),
    ],
)
def test_clean_url_keeps_the_link_minus_tracking_and_anchors(linked: str, clean: str) -> None:
    assert urls.clean_url(linked) == clean
