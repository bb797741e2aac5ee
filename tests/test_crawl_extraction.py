"""A crafted portal on loopback for the extraction side of issue 9 (items 1, 2 and 8).

* 政务要闻: an old TRS list showing ``10-20`` without a year (the 2017 袁州区 markup); it is
  2017's list, stale, not this year's (date_source ``list-url-year``).
* 统计信息: the date closes the link text in a ``<font>`` (a real statistics-bureau list).
* 工作动态: an undated list whose newest article fails: its URL date decides, never
  ``unreachable``. 部门动态: every article fails and no URL has a date: ``undated``.
* Site search and its hot words, 我要写信/我要咨询 forms, login, RSS and the 无障碍/长者模式
  switches are linked from the home page: none of them is a column.
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

import pytest

from tests.crawlutil import crawl, serving, write_site

pytestmark = pytest.mark.slow

TODAY = "2026-11-28"

NAV = """<div class="nav"><ul>
<li><a href="/">首页</a></li>
<li><a href="/zwyw/">政务要闻</a></li>
<li><a href="/tjxx/">统计信息</a></li>
<li><a href="/gzdt/">工作动态</a></li>
<li><a href="/bmdt/">部门动态</a></li>
<li><a href="/hdjl/wszx/">网上咨询</a></li>
</ul></div>"""

TOOLS = """<div class="top-nav">
<a href="/wza/index.html">无障碍浏览</a> <a href="/elder/index.html">长者模式</a>
<a href="/login/">用户登录</a> <a href="/user/reg.html">注册</a> <a href="/rss/">RSS订阅</a>
<a href="/search/index.html">站内搜索</a></div>
<div class="hot">热词：<a href="/search/index.html?searchWord=医保">医保</a>
<a href="/search/index.html?searchWord=社保">社保</a>
<a href="/s/list.html?keyword=公积金">公积金</a></div>
<div class="hdjl"><a href="/hdjl/xx/">我要写信</a> <a href="/hdjl/zx/">我要咨询</a></div>"""


def _page(body: str) -> bytes:
    return (
        '<html><head><meta charset="utf-8"><title>青溪县</title></head>'
        f"<body>{NAV}{TOOLS}{body}</body></html>"
    ).encode()


def _trs_yearless() -> bytes:
    rows = "".join(
        f'<TR><TD><A href="./201710/t201710{d:02d}_39{d:04d}.html">袁州区第{d}条要闻</A></TD>'
        f'<TD width="60" align="right">10-{d:02d}</TD></TR>'
        for d in range(20, 10, -1)
    )
    return _page(f'<table class="list">{rows}</table>')


FORM = _page(
    '<div class="main"><form action="/hdjl/save.jsp" method="post"><input name="title">'
    '<textarea name="content"></textarea><input type="submit" value="提交"></form></div>'
)
EMPTY = _page('<div class="list"><ul></ul><p>没有找到相关记录</p></div>')

PAGES: dict[str, bytes] = {
    "/": _page("<p>欢迎</p>"),
    "/zwyw/": _trs_yearless(),
    "/tjxx/": _page(
        '<div class="list"><ul>'
        + "".join(
            f'<li><a href="/tjxx/{n}.html" target="_blank">统计月报第{n}期'
            f'<font class="cont_tit02">2026-11-{20 - n:02d}</font></a></li>'
            for n in range(1, 6)
        )
        + "</ul></div>"
    ),
    "/gzdt/": _page(
        '<div class="list"><ul>'
        '<li><a href="./202611/t20261125_2.html">最新的工作动态</a></li>'
        '<li><a href="./202610/t20261001_1.html">较早的工作动态</a></li>'
        "</ul></div>"
    ),
    "/gzdt/202610/t20261001_1.html": _page('<div class="info">发布日期：2026-10-01</div>'),
    "/bmdt/": _page(
        '<div class="list"><ul>'
        + "".join(f'<li><a href="/bmdt/a{n}.html">部门消息{n}</a></li>' for n in range(1, 4))
        + "</ul></div>"
    ),
    "/hdjl/wszx/": FORM,
    "/hdjl/xx/": FORM,
    "/hdjl/zx/": FORM,
    "/search/index.html": EMPTY,
    "/s/list.html": EMPTY,
    "/wza/index.html": EMPTY,
    "/elder/index.html": EMPTY,
    "/login/": _page('<form><input name="u"><input type="password" name="p"></form>'),
    "/user/reg.html": EMPTY,
    "/rss/": EMPTY,
}
FAILING = {"/gzdt/202611/t20261125_2.html", "/bmdt/a1.html", "/bmdt/a2.html", "/bmdt/a3.html"}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path in FAILING:
            status, body = 500, b"error"
        else:
            status, body = (200, PAGES[path]) if path in PAGES else (404, b"not found")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("extraction")
    with serving(Handler) as url:
        found = crawl(write_site(tmp / "site.yaml", url), tmp, f"PORTALSPIDER_TODAY={TODAY}")
    assert found.returncode == 0, found.stderr[-2000:]
    return found


@pytest.fixture(scope="module")
def columns(result):
    return {c["name"]: c for c in result.columns}


def test_tools_and_forms_are_no_columns(columns) -> None:
    assert set(columns) == {"政务要闻", "统计信息", "工作动态", "部门动态"}


def test_yearless_trs_list_is_dated_by_its_urls(columns) -> None:
    column = columns["政务要闻"]
    assert column["last_update"] == "2017-10-20"
    assert column["date_source"] == "list-url-year"
    assert column["status"] == "stale"


def test_date_closing_the_link_text_is_the_list_date(columns) -> None:
    column = columns["统计信息"]
    assert (column["last_update"], column["date_source"]) == ("2026-11-19", "list")
    assert column["status"] == "ok"


def test_failed_newest_article_is_dated_by_its_url(columns) -> None:
    column = columns["工作动态"]
    assert column["status"] == "ok"
    assert (column["last_update"], column["date_source"]) == ("2026-11-25", "url")


def test_all_articles_failed_and_no_url_date_is_undated_not_unreachable(columns) -> None:
    column = columns["部门动态"]
    assert column["status"] == "undated"
    assert "failed" in (column["error"] or "")
