"""The spider's further fetches on a small hand-built portal served on loopback.

Each column needs something beyond its list page: the last page of an oldest-first list,
a Fujian-style search POST, a Hanweb data proxy, an iframe, or a GBK page; and one column
is reachable only through the site config. Synthetic pages, built from the markups in
``spec/portal-patterns.md``.
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler

import pytest

from portalspider.dates import today_shanghai
from tests.crawlutil import crawl, serving, write_site

pytestmark = pytest.mark.slow

TODAY = today_shanghai()
D = TODAY.replace(day=1).isoformat()  # a date in the current month, never in the future


def _page(body: str, charset: str = "utf-8") -> bytes:
    html = (
        f'<html><head><meta charset="{charset}"><title>青山县</title></head>'
        f"<body>{body}</body></html>"
    )
    return html.encode(charset)


NAV = """<div class="nav"><ul>
<li><a href="/">首页</a></li>
<li><a href="/asc/">工作动态</a></li>
<li><a href="/fj/">通知公告</a></li>
<li><a href="/col/col77/index.html">政策文件</a></li>
<li><a href="/gbk/">乡镇动态</a></li>
<li><a href="/hub/">政务公开</a></li>
</ul></div>"""


def _asc_page(first: int, last: int, newest: str | None = None) -> bytes:
    rows = "".join(
        f'<li><a href="./201901/t201901{d:02d}_{d}.html">旧闻{d}号</a><span>2019-01-{d:02d}</span></li>'
        for d in range(first, last + 1)
    )
    if newest:
        rows += f'<li><a href="./x/t_9.html">最新工作动态</a><span>{newest}</span></li>'
    return _page(
        NAV + f'<div class="list"><ul>{rows}</ul></div>'
        '<script>createPageHTML(3, 0, "index", "html");</script>'
    )


FUJIAN = _page(
    NAV
    + """<div class="list"><ul ms-controller="list">
<li ms-repeat="list"><a ms-attr-href="el.url" ms-text="el.title"></a>
<span ms-text="el.docreltime | date2('yyyy-MM-dd')"></span></li></ul></div>
<script>var SiteInfo = {searchId: "200210"};
var pageChnlInfo={quickMode:"动静结合", maxStaticIndex: 0, classsql: "" || "chnlid=1780",
 recordCount:'3', sortfield:'-docorderpri,-docreltime', prepage:15, cache:true}
require(['list2.trsapi'], function(listModel) { listModel({listApi: {url: "/fjdzapp/search"}}) })
</script>"""
)

FUJIAN_JSON = json.dumps(
    {
        "data": [
            {
                "doctitle": "关于开展检查的通知",
                "docpuburl": "/fj/202501/t20250101_1.htm",
                "docreltime": f"{D} 09:00:00",
            },
            {
                "doctitle": "较早的通知",
                "docpuburl": "/fj/202401/t20240101_2.htm",
                "docreltime": "2024-01-01 09:00:00",
            },
        ],
        "pageCount": 1,
    },
    ensure_ascii=False,
).encode("utf-8")

HANWEB = _page(
    NAV
    + """<div id="5001"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=77&unitid=5001&webname=青山县&permissiontype=0"></a>]]></nextgroup>
<recordset></recordset></datastore></script></div>"""
)

HANWEB_PROXY = f"""<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>2</totalrecord>
<totalpage>1</totalpage><recordset>
<record><![CDATA[<li><a href='/art/2024/3/1/art_77_1.html'>政策一</a><span>2024-03-01</span></li>]]></record>
<record><![CDATA[<li><a href='/art/x/art_77_2.html'>政策二</a><span>{D}</span></li>]]></record>
</recordset></datastore>""".encode()

GBK = _page(
    NAV + f'<div class="list"><ul><li><a href="/gbk/a1.html">镇里的动态消息</a>'
    f'<span>{D}</span></li><li><a href="/gbk/a2.html">另一条动态</a>'
    f"<span>2020-05-06</span></li></ul></div>",
    charset="gbk",
)

CONFIG_ONLY = _page(
    f'<div class="list"><ul><li><a href="/hidden/a.html">隐藏栏目信息</a>'
    f"<span>{D}</span></li></ul></div>"
)

HUB = _page(
    NAV + '<div class="grid"><ul><li><a href="/hub/a/">子栏目甲</a></li>'
    '<li><a href="/hub/b/">子栏目乙</a></li></ul></div>'
)
SIDE = (
    '<div class="side"><ul><li><a href="/hub/a/">子栏目甲</a></li>'
    '<li class="on"><a href="/hub/b/">子栏目乙</a></li></ul></div>'
)
HUB_A = _page(
    NAV + SIDE + f'<div class="list"><ul><li><a href="/hub/a/1.html">甲的消息</a>'
    f"<span>{D}</span></li></ul></div>"
)
HUB_B = _page(NAV + SIDE + '<div class="list"><ul></ul></div>')

PAGES: dict[str, tuple[bytes, str]] = {
    "/hub/": (HUB, "text/html; charset=utf-8"),
    "/hub/a/": (HUB_A, "text/html; charset=utf-8"),
    "/hub/b/": (HUB_B, "text/html; charset=utf-8"),
    "/": (_page(NAV + "<p>欢迎</p>"), "text/html; charset=utf-8"),
    "/asc/": (_asc_page(1, 5), "text/html; charset=utf-8"),
    "/asc/index_2.html": (_asc_page(11, 12, newest=D), "text/html; charset=utf-8"),
    "/fj/": (FUJIAN, "text/html; charset=utf-8"),
    "/col/col77/index.html": (HANWEB, "text/html; charset=utf-8"),
    "/module/web/jpage/dataproxy.jsp": (HANWEB_PROXY, "text/xml; charset=utf-8"),
    "/gbk/": (GBK, "text/html; charset=gbk"),
    "/hidden/": (CONFIG_ONLY, "text/html; charset=utf-8"),
}


class Handler(BaseHTTPRequestHandler):
    posts: list[str] = []  # noqa: RUF012

    def _send(self, path: str) -> None:
        body, ctype = PAGES.get(path, (b"not found", "text/plain"))
        self.send_response(200 if path in PAGES else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self._send(self.path.split("?", 1)[0])

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        Handler.posts.append(self.rfile.read(length).decode())
        if self.path.startswith("/fjdzapp/search"):
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.end_headers()
            self.wfile.write(FUJIAN_JSON)
        else:
            self._send(self.path.split("?", 1)[0])

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_url():
    with serving(Handler) as url:
        yield url


@pytest.fixture(scope="module")
def columns(site_url, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sources")
    extra = "columns:\n  - match: /hidden/\n    name: 隐藏栏目\n"
    result = crawl(write_site(tmp / "site.yaml", site_url, extra=extra), tmp)
    assert result.returncode == 0, result.stderr[-2000:]
    return {c["name"]: c for c in result.columns}


def test_oldest_first_list_reads_its_last_page(columns):
    assert columns["工作动态"]["last_update"] == D


def test_fujian_list_comes_from_the_search_post(columns):
    assert columns["通知公告"]["last_update"] == D
    assert any("chnlid" in body for body in Handler.posts)


def test_hanweb_empty_datastore_reads_the_data_proxy(columns):
    assert columns["政策文件"]["last_update"] == D


def test_gbk_page_is_read(columns):
    assert columns["乡镇动态"]["last_update"] == D
    assert columns["乡镇动态"]["newest_title"] == "镇里的动态消息"


def test_config_adds_a_column_discovery_cannot_see(columns):
    assert columns["隐藏栏目"]["last_update"] == D
    assert columns["隐藏栏目"]["status"] == "ok"


def test_hub_with_a_plain_link_grid_is_a_channel(columns):
    assert "政务公开" not in columns
    assert columns["子栏目甲"]["path"] == ["政务公开"]
    assert columns["子栏目甲"]["last_update"] == D


def test_empty_list_beside_a_side_nav_is_blank(columns):
    assert columns["子栏目乙"]["status"] == "blank"
