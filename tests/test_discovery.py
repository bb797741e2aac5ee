"""Link-level discovery: column links, navigation paths, 更多 names, sitemap sections."""

from pathlib import Path

import pytest

from portalspider import discovery as disc

BASE = "http://127.0.0.1:8765/"
REALPAGES = Path(__file__).parent / "fixtures" / "realpages"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://x.gov.cn/xwzx/zwdt/", True),
        ("http://x.gov.cn/xwzx/zwdt/202409/t20240910_123.html", False),
        ("http://x.gov.cn/art/2024/9/10/art_1229_5.html", False),
        ("http://x.gov.cn/Item/24067.aspx", False),
        ("http://x.gov.cn/xwzx/zwdt/index_3.html", False),
        ("http://x.gov.cn/files/report.pdf", False),
        ("http://x.gov.cn/Category_12/Index.aspx", True),
        ("http://x.gov.cn/list.jsp?cat_id=3&cur_page=4", False),
        ("javascript:void(0)", False),
    ],
)
def test_may_be_column(url, expected):
    assert disc.may_be_column(url) is expected


NAV = """
<html><body><div class="header"><span class="date">2026年11月28日 星期六</span></div>
<div class="main-nav"><ul>
  <li><a href="/">首页</a></li>
  <li><a href="/zwgk/">政务公开</a>
    <ul class="sub"><li><a href="/zwgk/zcwj/">政策文件</a></li>
      <li><span>重点领域</span><ul><li><a href="/zwgk/czzj/index.html">财政资金</a></li></ul></li>
    </ul></li>
  <li><a href="/xwzx/">新闻中心</a><div class="drop"><a href="/xwzx/zwdt/">政务动态</a></div></li>
</ul></div>
<div class="box"><div class="box-title"><h3>通知公告</h3>
  <a class="more" href="/tzgg/">更多&gt;&gt;</a></div>
  <ul><li><a href="/tzgg/202611/t20261120_1.html">关于某事的通知</a>
  <span>2026-11-20</span></li></ul></div>
<div class="footer"><a href="/sitemap/">网站地图</a><a href="/about/">关于我们</a></div>
</body></html>
"""


def test_nav_links_carry_parent_menu_items_as_path():
    doc = disc.parse_html(NAV, BASE)
    links = {c.name: c for c in disc.nav_links(doc)}
    assert links["政策文件"].path == ["政务公开"]
    assert links["财政资金"].path == ["政务公开", "重点领域"]
    assert links["政务动态"].path == ["新闻中心"]
    assert links["政务公开"].path == []
    assert links["政策文件"].url == "http://127.0.0.1:8765/zwgk/zcwj/"


def test_more_link_is_named_after_its_block():
    doc = disc.parse_html(NAV, BASE)
    (more,) = disc.more_links(doc)
    assert more.name == "通知公告"
    assert more.url == "http://127.0.0.1:8765/tzgg/"


def test_sitemap_link_found_in_footer():
    doc = disc.parse_html(NAV, BASE)
    assert disc.sitemap_link(doc) == "http://127.0.0.1:8765/sitemap/"


SITEMAP = """
<html><body><div class="nav"><a href="/">首页</a></div>
<div class="sitemap">
  <div class="sec"><h3>政务公开</h3><ul>
     <li><a href="/zwgk/zcwj/">政策文件</a></li>
     <li><a href="/zwgk/ghjh/">规划计划</a></li></ul></div>
  <div class="sec"><h3>互动交流</h3><ul><li><a href="/hdjl/ldxx/">领导信箱</a></li></ul></div>
</div><div class="footer"><a href="/about/">关于我们</a></div></body></html>
"""


def test_sitemap_sections_become_paths():
    doc = disc.parse_html(SITEMAP, BASE + "sitemap/")
    links = {c.name: c.path for c in disc.sitemap_page_links(doc)}
    assert links == {"政策文件": ["政务公开"], "规划计划": ["政务公开"], "领导信箱": ["互动交流"]}


MORE_STYLES = """
<html><body><table><tr>
<td><div class="lm-title"><span>招聘信息</span><a href="/rs/zpxx/">more+</a></div></td>
<td><h4>计划总结</h4><a href="/gh/jhzj/">&gt;&gt;</a><ul><li><a href="/gh/1.html">x</a></li></ul></td>
<td><div class="box-hd"><b>图片新闻</b><a href="/xw/tpxw/"><img src="/img/more.gif"></a></div></td>
<td><h3>在线访谈</h3><a href="/hd/zxft/"><img alt="更多" src="/i/x.png"></a></td>
<td><h3>文明创建</h3><a href="/zt/wmcj/">查看更多</a></td>
</tr></table></body></html>
"""


def test_more_link_styles_and_their_block_titles():
    doc = disc.parse_html(MORE_STYLES, BASE)
    found = {c.url.replace(BASE.rstrip("/"), ""): c.name for c in disc.more_links(doc)}
    assert found == {
        "/rs/zpxx/": "招聘信息",
        "/gh/jhzj/": "计划总结",
        "/xw/tpxw/": "图片新闻",
        "/hd/zxft/": "在线访谈",
        "/zt/wmcj/": "文明创建",
    }


TABS = """
<html><body><div class="tabs">
<div class="tab-hd"><span class="on">通知公告</span><span>公示公告</span></div>
<div class="tab-bd"><ul><li><a href="/tzgg/1.html">一</a></li></ul>
  <a class="more" href="/tzgg/">更多&gt;&gt;</a></div>
<div class="tab-bd"><ul><li><a href="/gsgg/1.html">二</a></li></ul>
  <a class="more" href="/gsgg/">更多&gt;&gt;</a></div>
</div></body></html>
"""


def test_tabbed_block_names_each_more_link_after_its_tab():
    doc = disc.parse_html(TABS.replace('class="tab-hd"', 'class="tab-title"'), BASE)
    found = {c.url.replace(BASE.rstrip("/"), ""): c.name for c in disc.more_links(doc)}
    assert found == {"/tzgg/": "通知公告", "/gsgg/": "公示公告"}


@pytest.mark.parametrize(
    ("html", "target"),
    [
        (
            "<html><script>window.location.href='/index.shtml';</script></html>",
            "http://127.0.0.1:8765/index.shtml",
        ),
        (
            "<html><frameset><frame src='main.htm'></frameset></html>",
            "http://127.0.0.1:8765/main.htm",
        ),
        (NAV, None),
    ],
)
def test_landing_page_forwards_to_the_real_home(html, target):
    doc = disc.parse_html(html, BASE)
    assert disc.landing_target(doc, html, BASE) == target


OWN_AND_BLOCKS = """
<html><body><div class="channel">
<div class="box own"><h3>乡镇动态</h3><ul class="list">
  <li><a href="/xzdt/1.html">本栏目一</a><span>2026-11-20</span></li>
  <li><a href="/xzdt/2.html">本栏目二</a><span>2026-11-19</span></li></ul></div>
<div class="box"><div class="title"><h3>上林镇</h3><a href="/xzdt/slz/">更多</a></div><ul>
  <li><a href="/xzdt/slz/1.html">上林一</a><span>2026-11-27</span></li>
  <li><a href="/xzdt/slz/2.html">上林二</a><span>2026-11-26</span></li>
  <li><a href="/xzdt/slz/3.html">上林三</a><span>2026-11-25</span></li></ul></div>
</div></body></html>
"""


def test_without_more_blocks_keeps_a_hubs_own_list():
    doc = disc.parse_html(OWN_AND_BLOCKS, BASE)
    rest = disc.without_more_blocks(doc)
    assert "本栏目一" in rest
    assert "本栏目二" in rest
    assert "上林" not in rest
    assert "上林一" in disc.label_text(doc.text_content())  # the page itself is untouched


# Links of every kind whose target may or may not depend on the page beyond its origin.
VIEW_LINKS = [
    "/zwgk/",
    " /zwgk/zcwj/?from=nav ",
    "/xwzx/#main",
    "index_1.html",
    "../up/",
    "?page=2",
    "#top",
    "",
    "//other.example.cn/a/",
    "http://127.0.0.1:8765/full/",
    "https://www.gov.cn/",
    "HTTP://WWW.GOV.CN/x",
    "javascript:void(0)",
    "mailto:webmaster@example.gov.cn",
    "tel:12345",
]


@pytest.mark.parametrize("base_href", [None, "http://127.0.0.1:8765/base/"])
def test_page_links_view_reads_what_link_tree_resolves_on_every_page_of_an_origin(base_href):
    """The targets shared by an origin's pages are those that depend on the origin alone:
    the same links on pages of other paths and origins resolve as :func:`link_tree` does."""
    from portalspider.extract.htmlutil import Document

    head = f'<head><base href="{base_href}"></head>' if base_href else ""
    # A link that fails to join is dropped; with a <base href>, it raises (as lxml's join).
    hrefs = VIEW_LINKS if base_href else [*VIEW_LINKS, "http://[bad"]
    links = "".join(f'<a href="{href}">链接{i}</a>' for i, href in enumerate(hrefs))
    links += '<a name="end">锚点</a>'  # no href: leads nowhere
    document = Document(f"<html>{head}<body><div>{links}</div></body></html>")
    for url in (
        BASE + "a/b/index.html",
        BASE + "c/",
        BASE + "c/?x=1",
        "https://127.0.0.1:8765/d/",
        "http://other.example.cn/e/",
        BASE + "a/b/index.html",
    ):
        expected = disc.link_rows(disc.link_tree(document, url))
        got = disc.page_links_view(document, url).rows
        assert [(href, text) for _, href, text in got] == [
            (href, text) for _, href, text in expected
        ], url


# Blocks that only the resolved links make blocks: a third link "#top" (the page itself once
# resolved), an icon named "more" only by the folder of the page; nested blocks.
OWN_AND_RESOLVED_BLOCKS = """<html><head><title>乡镇动态</title></head><body>
<div class="box"><div class="title"><h3>甲镇</h3><a href="/jz/">更多</a></div><ul>
  <li><a href="/jz/1.html">甲一</a></li><li><a href="/jz/2.html">甲二</a></li>
  <li><a href="#top">甲三</a></li></ul></div>
<div class="box"><div class="title"><h3>乙镇</h3><a href="/yz/"><img src="btn.gif"></a></div>
  <ul><li><a href="/yz/1.html">乙一</a></li><li><a href="/yz/2.html">乙二</a></li>
  <li><a href="yz/3.html">乙三</a></li></ul></div>
<div class="outer"><div class="box"><h3>丙镇</h3><a href="/bz/">更多&gt;&gt;</a>
  <a href="/bz/1.html">丙一</a><a href="/bz/2.html">丙二</a><a href="/bz/3.html">丙三</a></div>
  <a href="/outer/">查看更多</a><a href="/o/1.html">外一</a></div>
<ul class="list"><li><a href="javascript:void(0)">本栏目一</a><span>2026-11-28</span></li>
  <li><a href="own/2.html">本栏目二</a><span>2026-11-27</span></li></ul>
</body></html>
"""
# A <base href> inside a block still resolves the rest.
BASE_IN_BLOCK = OWN_AND_RESOLVED_BLOCKS.replace("丙三</a>", '丙三</a><base href="/based/">')


@pytest.mark.parametrize("html", [OWN_AND_BLOCKS, OWN_AND_RESOLVED_BLOCKS, BASE_IN_BLOCK])
@pytest.mark.parametrize("url", [BASE + "xzdt/", BASE + "gengduo/index.html"])
def test_own_list_html_from_the_page_links_drops_what_the_resolved_tree_drops(html, url):
    import lxml.html

    from portalspider.extract.htmlutil import Document

    document = Document(html)
    page = lxml.html.tostring(document.root)
    view = disc.page_links_view(document, url)
    own = disc.own_list_html(document, url, view)
    assert own == disc.own_list_html(document, url)
    assert lxml.html.tostring(document.root) == page  # the page itself is untouched
    if html is OWN_AND_RESOLVED_BLOCKS:
        assert "本栏目二" in own
        assert not any(t in own for t in ("甲一", "丙一", "外一"))
        assert ("乙一" in own) is ("gengduo" not in url)


# Every kind of link lxml's iterlinks finds: attributes of any element, an <object>'s (on
# its codebase), a meta refresh, a <param> by reference, CSS in <style> and style
# attributes, an SVG xlink, links that join to nothing and that fail to join.
ALL_LINK_KINDS = """<html><head><meta http-equiv="Refresh" content="0; url='../z.html'">
<style>a{background:url(i.png)} @import "s.css";</style><link rel="stylesheet" href="c.css">
</head><body style="background: url('b.png')"><div style="color: red">无链接</div>
<object codebase="/cb/" data="d.swf" classid="c" archive="a.jar b.jar">
  <param name="m" valuetype="REF" value="v.html"></object>
<svg><a xlink:href="s.html">图</a></svg><a href=" javascript:void(0) ">脚本</a>
<a href="http://[::1">坏</a><a href="  rel.html  ">相对</a><a href="#top">顶</a>
<form action="f.do"><button formaction="g.do">交</button></form><iframe src="/f/"></iframe>
<img src="i.gif" lowsrc="l.gif" dynsrc="d.gif" usemap="#m"><q cite="c.html">引</q>
<table background="t.png"><tr><td>一</td></tr></table></body></html>
"""


@pytest.mark.parametrize("name", ["kinds", *sorted(p.name for p in REALPAGES.glob("*.htm*"))])
def test_rewrite_links_as_lxml_rewrites_them(name):
    """The links resolved as ``rewrite_links`` resolves them, the search being faster."""
    import copy
    import functools

    import lxml.html

    from portalspider.extract.encoding import decode_html
    from portalspider.extract.htmlutil import Document

    html = ALL_LINK_KINDS if name == "kinds" else decode_html((REALPAGES / name).read_bytes(), None)
    root = Document(html).root
    url = "http://www.example.gov.cn/a/b/index.html"
    expected, got = copy.deepcopy(root), copy.deepcopy(root)
    expected.rewrite_links(functools.partial(disc._join_or_none, url), resolve_base_href=False)
    disc._rewrite_links(got, url)
    assert lxml.html.tostring(got) == lxml.html.tostring(expected)
    if name == "kinds":
        assert lxml.html.tostring(got) != lxml.html.tostring(root)
