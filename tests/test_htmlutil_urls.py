"""The link joins' shortcuts give what ``urljoin`` gives."""

import itertools
from urllib.parse import urljoin

import pytest

from portalspider.extract import htmlutil

# Pieces of links that urljoin rewrites (empty, dot segments, parameters, empty queries and
# fragments, tabs, spaces) and pieces it keeps.
PIECES = ["\t", " ", "/", "a", "中文", ".", "..", "...", ".x", "?", "#", ";", "x=1", "&", "%2F"]
ORIGINS = [
    "http://127.0.0.1:8765/",
    "https://www.example.gov.cn/",
    "http://user@h.cn:80/",
    "HTTP://H.CN/",
    "ftp://h.cn/",
    "http:///",
    "http://h.cn/a/",
    "http://h.cn?x/",
    "http://[::1]/",
    "http://例子.中国/",
]


@pytest.mark.parametrize("base", ORIGINS)
def test_a_root_relative_link_joins_as_urljoin_joins_it(base):
    for n in range(4):
        for pieces in itertools.product(PIECES, repeat=n):
            href = "/" + "".join(pieces)
            assert htmlutil._join.__wrapped__(base, href) == urljoin(base, href), (base, href)


def test_plain_links_take_the_shortcut():
    """Else the test above would pass with no shortcut at all."""
    for href in ("/", "/a/b.html", "/xwzx/?from=nav", "/a/#main", "/部门/t1_2.html?p=1#x"):
        assert htmlutil._PLAIN_ROOTED.fullmatch(href), href
    assert htmlutil._PLAIN_ORIGIN.fullmatch(htmlutil.origin("http://127.0.0.1:8765/a/b.html"))
