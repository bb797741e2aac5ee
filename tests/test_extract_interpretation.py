"""Interpretation links on document pages and back links on interpretation pages (解读回应)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request

import portalspider.interpretation as policy_module
from portalspider.discovery import in_page_furniture, page_furniture_test, page_links_view
from portalspider.extract.encoding import decode_html
from portalspider.extract.htmlutil import Document
from portalspider.extract.interpretation import (
    interpretation_links,
    linked_pages,
    source_links,
)
from portalspider.interpretation import Listed, PolicyCheck, PolicySettings
from portalspider.rules import is_interpretation_name
from portalspider.urls import canonical_url

REAL = Path(__file__).parent / "fixtures" / "realpages"


def read(name: str) -> str:
    return decode_html((REAL / name).read_bytes(), None)


def test_real_related_documents_block_names_the_interpretation():
    # 万载县: a 关联稿件 list whose link says 图文解读：《…》
    page = read("article_wanzai-county_2022gongbao_pubdate-2023-08-16_saved.html")
    links = interpretation_links(page, "http://www.wanzai.gov.cn/wzxrmzf/tjsj/202305/a.shtml")
    assert [link.url for link in links] == [
        "http://www.wanzai.gov.cn/wzxrmzf/tjjjdhy/202307/bb8049063e11403994c3d01d8813a11a.shtml"
    ]
    assert links[0].text.startswith("图文解读")


def test_real_inline_label_before_the_link():
    # 宜春: <span>相关解读：</span><a>《江西省…统计公报》解读</a> inside the body text
    page = read("article_yichun-city_jiangxi2022gongbao_saved.html")
    links = interpretation_links(page, "http://www.yichun.gov.cn/yctjj/tjgb/202304/b.shtml")
    assert [link.url for link in links] == [
        "http://www.yichun.gov.cn/yctjj/jdhy/202304/e23e625ebadd49c18afe73a4caffbaeb.shtml"
    ]


@pytest.mark.parametrize(
    ("name", "url"),
    [
        # its footer links the 政策解读 and 数据解读 columns: menus, not interpretations
        (
            "article_shanxi-gov_trs_meta_2019-09-18.html",
            "http://www.shanxi.gov.cn/yw/sxyw/201909/t20190918_693227.shtml",
        ),
        (
            "xxgk-article_handan_suoyinhao_saved-as-jsp.jsp.html",
            "http://hdzfxxgk.hd.gov.cn/gszbm/auto23716/202008/t20200802_1352104.html",
        ),
        ("article_yichun-city_2022gongbao_saved.html", "http://www.yichun.gov.cn/a/b/c.shtml"),
        (
            "article_zj-fgw_hanweb_meta_2016-11-22.html",
            "http://fzggw.zj.gov.cn/art/2016/11/22/art_1621004_30332664.html",
        ),
    ],
)
def test_real_pages_without_an_interpretation(name, url):
    assert interpretation_links(read(name), url) == []


DOC = "http://gov.test/zwgk/zcwj/202611/t20261101_1.html"


def page(body: str) -> str:
    return f"""<html><body>
    <div class="nav"><a href="/zwgk/zcjd/">政策解读</a><a href="/zwgk/zcjd/202611/t1.html">解读</a></div>
    <div class="article"><h1>关于印发某某办法的通知</h1>{body}</div>
    <div class="footer"><a href="/sj/sjjd/">数据解读</a></div></body></html>"""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            '<div class="xgjd"><h3>相关解读</h3><ul><li><a href="/jd/1.html">《办法》</a></li></ul></div>',
            ["/jd/1.html"],
        ),
        ('<p>一图读懂：<a href="/jd/2.html">某某办法</a></p>', ["/jd/2.html"]),
        ('<ul><li><a href="/jd/3.html">一图读懂《某某办法》</a></li></ul>', ["/jd/3.html"]),
        ('<p><a href="/jd/4.html">《某某办法》政策问答</a></p>', ["/jd/4.html"]),
        # a statistics release, the column list itself, an attachment: none
        ('<p><a href="/sj/5.html">2025年数据解读</a></p>', []),
        ('<p><a href="/zwgk/zcjd/">更多政策解读</a></p>', []),
        ('<p>附件：<a href="/jd/6.pdf">政策解读.pdf</a></p>', []),
        # a long paragraph mentioning 解读 is no label for the link after it
        (
            "<p>" + "为做好政策解读工作，" * 5 + '</p><p><a href="/x/7.html">某某通知</a></p>',
            [],
        ),
    ],
)
def test_document_page_links(body, expected):
    found = interpretation_links(page(body), DOC)
    assert [canonical_url(link.url) for link in found] == [
        canonical_url("http://gov.test" + path) for path in expected
    ]


def test_known_columns_are_skipped():
    body = '<p><a href="/zwgk/zcjd/list.html">政策解读</a></p>'
    skip = {canonical_url("http://gov.test/zwgk/zcjd/list.html")}
    assert interpretation_links(page(body), DOC, skip) == []


def test_interpretation_links_back_to_its_document():
    interp = page('<p>政策原文：<a href="/zwgk/zcwj/202611/t20261101_1.html">《某某办法》</a></p>')
    url = "http://gov.test/zwgk/zcjd/202611/t20261102_9.html"
    assert canonical_url(DOC) in linked_pages(interp, url)
    assert [s.url for s in source_links(interp, url)] == [DOC]
    # the page's own menus link many pages; only content links count
    assert canonical_url("http://gov.test/zwgk/zcjd/202611/t1.html") not in linked_pages(
        interp, url
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("政策解读", True),
        ("图解政策", True),
        ("一图读懂", True),
        ("新闻发布会", True),
        ("政策文件", False),
        ("规范性文件", False),
        ("数据解读", False),
        ("政策解读专栏", False),
        (None, False),
    ],
)
def test_interpretation_columns_by_name(name, expected):
    assert is_interpretation_name(name) is expected


def test_furniture_walked_once_per_page_is_discoverys_answer():
    """The links' furniture test with a memo per page says what ``in_page_furniture``
    says, for every link of the real saved pages and of a page nested in menus."""
    nested = page(
        '<div class="nav"><ul><li><a href="/a/">a</a><div><a href="/b/">b</a></div>'
        '</li></ul></div><p><a href="/c/">c</a></p>'
    )
    docs = [Document(read(p.name)) for p in sorted(REAL.glob("*.html"))] + [Document(nested)]
    checked = 0
    for doc in docs:
        in_furniture = page_furniture_test()  # one per page, as the reader makes it
        for a, _href, _text in page_links_view(doc, DOC).rows:
            assert in_furniture(a) == in_page_furniture(a)
            checked += 1
    assert checked > 500


def test_a_dated_documents_page_is_not_searched_for_its_date(monkeypatch):
    """A page's own date only stands in for a missing list date: read for an undated list
    item, not for a dated one (whose item keeps the list's date)."""
    today = dt.date(2026, 11, 20)
    check = PolicyCheck(
        PolicySettings(),
        today,
        allows=lambda url: True,
        over_budget=lambda n: False,
        known_pages=set(),
    )
    dated = Listed(DOC, canonical_url(DOC), "甲", dt.date(2026, 11, 1), "")
    other = DOC.replace("_1.html", "_2.html")
    undated = Listed(other, canonical_url(other), "乙", None, "")
    check.docs = {dated.key: dated, undated.key: undated}
    check.phase = 2
    searched = []
    real = policy_module.parse_article_date

    def counted(html, url, day):
        searched.append(url)
        return real(html, url, day)

    monkeypatch.setattr(policy_module, "parse_article_date", counted)
    body = page("<p>发布日期：2026-11-05</p>").encode()
    for listed in (dated, undated):
        request = Request(listed.url, meta={"policy_key": listed.key})
        check.parse_document(HtmlResponse(listed.url, body=body, request=request))
    assert searched == [other]
    assert check.read[undated.key].date == dt.date(2026, 11, 5)
    assert [i.date for i in check.items()[:-1]] == ["2026-11-01", "2026-11-05"]
