"""The demo portal itself: deterministic, truthful, fully served, flaky on demand, mutable.

The spider-versus-truth tests live elsewhere; these make sure the yardstick is right.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import re
import urllib.error
import urllib.request
from collections import Counter
from urllib.parse import quote, urljoin, urlsplit

import pytest

from demo import build_portal, serve, status_for
from demo.compare import compare, normalize_url
from demo.model import THRESHOLDS
from demo.policies import policy_line, policy_truth
from demo.render import Renderer, link
from demo.verdict import compare_verdict, verdict_truth

TODAY = dt.date(2026, 11, 28)
HREF = re.compile(r"""(?<![\w-])(?:href|src)\s*=\s*["']([^"']+)["']""", re.I)


def fetch(url: str) -> tuple[int, str, bytes]:
    """(status, content type, body) without raising on HTTP errors."""
    try:
        with urllib.request.urlopen(quote(url, safe=":/?&=%#.-_~"), timeout=10) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def walk(base: str) -> tuple[set[str], dict[str, int]]:
    """Follow every on-site href/src from the home page; return pages seen and failures."""
    host = urlsplit(base).netloc
    seen: set[str] = set()
    failures: dict[str, int] = {}
    queue = [base]
    while queue:
        url = queue.pop().split("#")[0]
        if url in seen:
            continue
        seen.add(url)
        status, ctype, body = fetch(url)
        if status != 200:
            failures[url] = status
            continue
        if "html" not in ctype and "xml" not in ctype:
            continue
        # theme f is GBK throughout, some pages declaring it only in a meta tag or nowhere
        text = body.decode(
            "gbk" if "gbk" in ctype or b"gb2312" in body[:600] or ctype == "text/html" else "utf-8"
        )
        for href in HREF.findall(text):
            if href.startswith(("javascript:", "mailto:", "data:")):
                continue
            full = urljoin(url, href.replace("&amp;", "&"))
            if urlsplit(full).netloc == host:
                queue.append(full)
    return seen, failures


@pytest.fixture(scope="module", params=["a", "b", "c", "d", "e", "f"])
def portal(request):
    return build_portal(seed=1, today=TODAY, theme=request.param)


def test_generator_is_deterministic():
    one, two = build_portal(7, TODAY), build_portal(7, TODAY)
    assert one.truth() == two.truth()
    assert Renderer(one).page("/").body == Renderer(two).page("/").body
    assert build_portal(8, TODAY).truth() != one.truth()


def test_size_names_and_mix(portal):
    truth = portal.columns_truth()
    assert 40 <= len(truth) <= 70
    assert len({t["url"] for t in truth}) == len(truth)
    statuses = Counter(t["status"] for t in truth)
    assert set(statuses) == {"ok", "warning", "stale", "blank", "undated", "unreachable"}
    markups = {t["markup"] for t in truth}
    for needed in (
        "trs_table",
        "xxgk_table",
        "hanweb",
        "iframe",
        "gbk",
        "pinned",
        "future",
        "yearless",
        "undated_meta",
        "undated_visible",
        "undated_url_trs",
        "undated_url_art",
        "undated_regen",
        "undated_none",
        "error500",
        "dead404",
    ):
        assert needed in markups
    assert any(t["kind"] == "channel" and len(t["path"]) == 1 for t in portal.truth())


def test_themes_differ():
    a, b = build_portal(1, TODAY, "a"), build_portal(1, TODAY, "b")
    assert a.theme.site_name != b.theme.site_name
    names_a = {t["name"] for t in a.columns_truth()}
    names_b = {t["name"] for t in b.columns_truth()}
    assert len(names_a & names_b) < len(names_a) / 2


def test_truth_follows_the_rules(portal):
    for t in portal.columns_truth():
        assert t["threshold_days"] == THRESHOLDS[t["category"]]
        if t["status"] in ("ok", "warning", "stale"):
            last = dt.date.fromisoformat(t["last_update"])
            assert last <= TODAY
            assert t["status"] == status_for(last, t["threshold_days"], TODAY)
        else:
            assert t["last_update"] is None
    assert portal.home_last_update == TODAY.isoformat()


def test_every_linked_url_is_served(portal):
    with serve(portal) as server:
        seen, failures = walk(server.url)
    dead = {normalize_url(t["url"]) for t in portal.columns_truth() if t["status"] == "unreachable"}
    assert len(seen) > 300
    assert failures
    planted = {urlsplit(url).path for url, _ in portal.links_truth(server.url)}
    for url, status in failures.items():
        if urlsplit(url).path in planted:  # a broken link planted on purpose (demo/linkplant.py)
            continue
        assert normalize_url(urlsplit(url).path + "?" + urlsplit(url).query) in dead, url
        assert status in (404, 500)


def test_list_page_markups(portal):
    render = Renderer(portal)
    by_markup = {t["markup"]: t for t in portal.columns_truth()}
    codec = "gbk" if portal.theme.layout.get("gbk_site") else "utf-8"
    trs = render.page(by_markup["trs_table"]["url"]).body.decode(codec)
    # theme e spells it createPageHTML(4,0,'index','shtml') for its .shtml/.htm list pages
    assert re.search(
        r"""createPageHTML\(\s*\d+\s*,\s*0\s*,\s*["']index["']\s*,\s*["']s?html?["']\)""", trs
    )
    assert re.search(r'href="\./\d{6}/t\d{8}_\d+\.s?html?"', trs)
    hanweb = render.page(by_markup["hanweb"]["url"]).body.decode(codec)
    assert '<script type="text/xml"><datastore>' in hanweb
    assert "<![CDATA[<li>" in hanweb
    proxy = re.search(r'<a href="(/module/web/jpage/dataproxy\.jsp\?[^"]+)"', hanweb).group(1)
    path, query = proxy.split("?", 1)
    xml = render.page(path, query).body.decode()
    assert "<totalpage>" in xml
    assert xml.count("<record>") > 0
    gbk = render.page(by_markup["gbk"]["url"])
    assert "charset=gbk" in gbk.content_type or codec == "gbk"  # f: maybe only in the meta
    assert "charset=gb2312" in gbk.body.decode("gbk")
    frame_col = by_markup["iframe"]["url"]
    assert 'src="list_frame.html"' in render.page(frame_col).body.decode(codec)
    assert render.page(frame_col + "list_frame.html").status == 200
    home = render.page("/").body.decode(codec)
    assert f"{TODAY.year}年{TODAY.month}月{TODAY.day}日 星期" in home  # the noise clock
    assert portal.theme.sitemap_url in home


def test_flaky_fails_first_attempts_only():
    portal = build_portal(2, TODAY)
    paths = [t["url"] for t in portal.columns_truth() if t["status"] not in ("unreachable",)]
    with serve(portal, flaky=0.5, seed=3) as server:
        first = [_status(server.url + p.lstrip("/")) for p in paths]
        second = [_status(server.url + p.lstrip("/")) for p in paths]
        assert server.request_count == 2 * len(paths)
    failed = [s for s in first if s != 200]
    assert len(paths) * 0.25 < len(failed) < len(paths) * 0.75
    assert {"drop", 500, 503} <= set(failed)
    assert set(second) == {200}


def _status(url: str) -> int | str:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", parts.path)
        return conn.getresponse().status
    except (http.client.RemoteDisconnected, ConnectionError):
        return "drop"
    finally:
        conn.close()


def test_mutations_between_crawls():
    portal = build_portal(4, TODAY)
    truth = {t["url"]: t for t in portal.columns_truth()}
    fresh = next(u for u, t in truth.items() if t["status"] == "ok" and t["markup"] == "ul_after")
    stale = next(u for u, t in truth.items() if t["status"] == "stale")
    with serve(portal) as server:
        portal.set_last_update(stale, TODAY - dt.timedelta(days=1))
        portal.set_blank(fresh)
        gone = next(u for u, t in truth.items() if t["status"] == "ok" and u not in (fresh,))
        portal.remove_column(gone)
        after = {t["url"]: t for t in portal.columns_truth()}
        assert after[stale]["last_update"] == (TODAY - dt.timedelta(days=1)).isoformat()
        assert after[stale]["status"] == "ok"
        assert after[fresh]["status"] == "blank"
        assert "暂无信息" in fetch(server.url + fresh.lstrip("/"))[2].decode()
        assert gone not in after
        assert fetch(server.url + gone.lstrip("/"))[0] == 404
        for page in ("", portal.theme.sitemap_url.lstrip("/")):
            assert gone not in fetch(server.url + page)[2].decode()
        for ch in portal.all_channels():
            assert gone not in fetch(server.url + ch.url.lstrip("/"))[2].decode()


def test_compare_scores_a_crawl():
    portal = build_portal(1, TODAY)
    truth = portal.truth()
    items = [
        {"type": "column", **t, "url": "http://127.0.0.1:9/" + t["url"].lstrip("/")}
        for t in truth
        if t["kind"] == "column"
    ]
    perfect = compare(items, truth)
    assert perfect.discovered_pct == 100
    assert perfect.last_update_pct == 100
    assert perfect.passes()
    assert perfect.accuracy == 100
    wrong = [dict(i) for i in items[1:]]
    ok_item = next(i for i in wrong if i["status"] == "ok")
    ok_item["status"] = "stale"
    wrong.append({"type": "column", "url": portal.channels[0].url, "name": "hub"})
    report = compare(wrong, truth)
    assert report.found == len(items) - 1
    assert len(report.missing) == 1
    assert report.falsely_stale
    assert report.hubs_as_columns == [portal.channels[0].url]
    assert not report.passes()


def test_verdict_truth_and_its_comparison():
    """The verdict the pages call for (the indicator's lines on the truth), and a crawl's
    rows read against it: a wrong result or a wrong figure in a detail is a mismatch."""
    portal = build_portal(1, TODAY)
    truth = verdict_truth(portal)
    statuses = Counter(t["status"] for t in portal.columns_truth())
    columns = truth["栏目不更新"]
    assert (columns["not_updated"], columns["blank"]) == (
        statuses["stale"] + statuses["undated"],
        statuses["blank"],
    )
    assert columns["result"] == ("fail" if columns["not_updated"] >= 10 else "pass")
    assert truth["站点无法访问"]["result"] == truth["严重表述错误"]["result"] == "unknown"
    assert truth["首页不更新"] == {"result": "pass", "newest": TODAY.isoformat()}
    assert truth["互动回应差"] == {"result": "fail", "letters": 19, "overdue": 5}
    rows = [
        {"name": "站点无法访问", "result": "unknown", "detail": "无探测记录"},
        {"name": "首页不更新", "result": "pass", "detail": f"首页最新信息 {TODAY}，距今 0 天"},
        {
            "name": "栏目不更新",
            "result": columns["result"],
            "detail": f"动态要闻及一级通知公告、政策文件栏目未更新 {columns['key_columns']} 个"
            f"（限值 5）；应更新未更新 {columns['not_updated']} 个（限值 10）；空白栏目 "
            f"{columns['blank']} 个（限值 5）",
        },
        {"name": "严重表述错误", "result": "unknown", "detail": "暂无自动检查"},
        {
            "name": "互动回应差",
            "result": "fail",
            "detail": "近一年留言 19 条，超过 90 天未回应 5 条",
        },
    ]
    assert compare_verdict(rows, truth) == []
    wrong = [dict(r) for r in rows]
    wrong[2]["detail"] = wrong[2]["detail"].replace(
        f"空白栏目 {columns['blank']} 个", "空白栏目 9 个"
    )
    wrong[0]["result"] = "pass"  # a row without probes never passes
    assert compare_verdict(wrong, truth) == [
        "站点无法访问 result: expected 'unknown', got 'pass'",
        f"栏目不更新 blank: expected {columns['blank']}, got 9",
    ]
    assert compare_verdict(rows[:4], truth) == ["互动回应差: no row"]
    exempt = next(t["url"] for t in portal.columns_truth() if t["status"] == "stale")
    fewer = verdict_truth(portal, exempt=[exempt])["栏目不更新"]["not_updated"]
    assert fewer == columns["not_updated"] - 1  # 报备 columns are left out


def test_policy_line_counts_the_one_way_and_missing_links_found():
    portal = build_portal(1, TODAY)
    docs = policy_truth(portal)["documents"]
    items = [
        {"type": "policy", "url": f"http://h:1{p}", "state": d["state"]} for p, d in docs.items()
    ]
    problems = sum(d["state"] != "two_way" for d in docs.values())
    assert problems
    line = policy_line([*items, {"type": "interpretations", "pages": 33}], portal)
    assert f"{len(docs)}/{len(docs)} documents checked, 33 requests" in line
    assert f"found with their state {problems}/{problems}, 0 called so falsely" in line
    two_way = next(i for i in items if i["state"] == "two_way")
    missed = next(i for i in items if i["state"] != "two_way")
    two_way["state"], missed["state"] = "missing", "two_way"
    line = policy_line(items, portal)
    assert f"{problems - 1}/{problems}, 1 called so falsely" in line
    assert "the check did not run" in line


def test_normalize_url_variants():
    same = {"/x/y/", "/x/y/index.html", "/x/y/?from=nav", "/x/y/#main", "http://h:1/x/y/"}
    assert {normalize_url(u) for u in same} == {"/x/y/"}
    assert normalize_url("/col/col7/index.html?uid=3") == "/col/col7/?uid=3"


# -- themes c and d: other CMS families and layouts ------------------------------------


def _get(render: Renderer, url: str) -> str:
    parts = urlsplit(url)
    page = render.page(parts.path, parts.query)
    assert page.status == 200, url
    # theme f answers plain "text/html" when the charset is only in the page (or nowhere)
    gbk = "gbk" in page.content_type or page.content_type == "text/html"
    return page.body.decode("gbk" if gbk else "utf-8")


@pytest.mark.parametrize("theme", ["c", "d", "e", "f"])
def test_new_themes_are_deterministic(theme):
    one, two = build_portal(31, TODAY, theme), build_portal(31, TODAY, theme)
    assert one.truth() == two.truth()
    r1, r2 = Renderer(one), Renderer(two)
    for url in [
        "/",
        one.theme.sitemap_url,
        *(t["url"] for t in one.columns_truth() if t["status"] != "unreachable"),
    ]:
        parts = urlsplit(url)
        assert r1.page(parts.path, parts.query).body == r2.page(parts.path, parts.query).body
    assert build_portal(32, TODAY, theme).truth() != one.truth()


def test_theme_c_urls_menus_and_deep_hubs():
    portal = build_portal(31, TODAY, "c")
    render = Renderer(portal)
    styles = Counter(c.style for c in portal.live_columns())
    assert styles["channel"]
    assert styles["jsp"]
    assert styles["pe"]
    home = _get(render, "/")
    assert 'class="header-links"' in home
    assert "<dt>" in home
    assert 'class="nav' not in home
    assert '<a href="/wzdh/">网站导航</a>' in home
    site_map = _get(render, "/wzdh/")
    assert "<th" in site_map
    assert 'class="lm-name"' in site_map
    # Columns of the 专项公开 sub-sub-channel: on its hub only, two hubs below the menu.
    deep = [c for c in portal.live_columns() if len(c.path) == 3]
    assert len(deep) == 3
    for col in deep:
        assert link(col, "hub") not in home
        assert col.url not in site_map
    hub = next(ch for ch in portal.all_channels() if ch.name == "专项公开")
    assert hub.url not in home
    assert hub.url not in site_map
    hubs = "".join(_get(render, ch.url) for ch in portal.all_channels())
    for more in ('alt="更多"', "查看更多", "more+", "&gt;&gt;</a>"):
        assert more in hubs
    for col in portal.live_columns():
        if col.style == "pe" and col.page_count > 1:
            first = _get(render, col.url)
            assert "Index_2.aspx" in first
            assert "共" in first
            base = col.url.rsplit("/", 1)[0]
            assert render.page(f"{base}/Index_{col.page_count}.aspx").status == 200
            assert render.page(f"{base}/Index_{col.page_count + 1}.aspx").status == 404
        if col.style == "jsp" and col.mode == "normal":
            path, query = col.url.split("?")
            assert render.page(path, query).status == 200
            assert render.page(path, query.replace("catid=", "catid=9")).status == 404
    by_markup = {t["markup"]: t for t in portal.columns_truth()}
    md = _get(render, by_markup["td_md"]["url"])
    assert re.search(r'<td class="rq" width="60" align="right">\d\d-\d\d</td>', md)
    assert '<div class="item">' in _get(render, by_markup["div_item"]["url"])
    assert "<dd><a href=" in _get(render, by_markup["dl_dd"]["url"])


def test_theme_d_platforms_and_noise():
    portal = build_portal(31, TODAY, "d")
    render = Renderer(portal, "127.0.0.1:9")
    truth = {t["markup"]: t for t in portal.columns_truth()}
    avalon = _get(render, truth["avalon"]["url"])
    assert 'ms-repeat="list"' in avalon
    assert "pageChnlInfo" in avalon
    assert 'class="bf-pass">20' in avalon
    js = _get(render, truth["jsarray"]["url"])
    assert 'var itemObj = [{"aT"' in js
    assert '<ul class="list-ul" id="itemList"></ul>' in js
    gk = truth["gkmlpt"]
    assert "#" in gk["url"]
    assert "gkmlpt" in _get(render, gk["url"])
    api = render.page(f"/gkmlpt/api/all/{gk['url'].rsplit('#', 1)[1]}", "page=1&sid=755031")
    data = json.loads(api.body)
    newest = max(
        dt.datetime.fromtimestamp(a["publish_time"], dt.timezone(dt.timedelta(hours=8))).date()
        for a in data["articles"]
    )
    assert newest.isoformat() == gk["last_update"]
    for art in data["articles"]:
        assert render.page(art["url"]).status == 200
    pinned = _get(render, truth["pinned_icon"]["url"])
    assert '<img src="/images/zd.gif"' in pinned
    assert "置顶" not in pinned
    # Year-less 政民互动 letters in the mega-menu of every page, linked to served pages.
    letters = render.letters()
    for url in ("/", truth["undated_visible"]["url"], truth["avalon"]["url"]):
        page = _get(render, url)
        assert all(x["date"] in page and x["href"] in page for x in letters)
    assert render.page(letters[0]["href"]).status == 200
    # The 信息公开 section is linked absolutely (its platform host).
    assert 'href="http://127.0.0.1:9/zfxxgk/' in _get(render, "/")
    new = truth["pinned_new"]
    col = portal.column(new["url"])
    assert col.page(0)[0].pinned
    assert len(col.page(0)) == 16
    assert all(e.shown < col.page(0)[0].shown for e in col.page(0)[1:])


def test_theme_e_table_menu_tabs_and_traps():
    portal = build_portal(71, TODAY, "e")
    render = Renderer(portal, "127.0.0.1:9")
    home = _get(render, "/")
    menu = home[
        home.index('bgcolor="#b40000"') : home.index("</table>", home.index('bgcolor="#b40000"'))
    ]
    assert "<td" in menu
    assert 'style="display:none' in menu
    assert "class=" not in menu
    assert '<div class="kslj">' in home
    assert '<img src="/images/kslj_1.gif"' in home
    assert '<a href="/map.html">站点地图</a>' in home
    assert "赣ICP备05004578号" in home
    assert "36092202000112" in home
    assert f"统计日期：{TODAY:%Y-%m-%d}" in home  # the visitor counter shows today's date
    site_map = _get(render, "/map.html")
    assert "<dl>" in site_map
    assert "<dt>" in site_map
    hubs = "".join(_get(render, ch.url) for ch in portal.all_channels())
    assert '<div class="tab-hd"><span class="on">' in hubs
    assert '<a class="more" href=' in hubs
    styles = Counter((c.style, c.ext) for c in portal.live_columns())
    assert styles[("dir", "shtml")]
    assert styles[("dir", "htm")]
    assert any(s == "aspx" for s, _ in styles)
    truth = portal.truth()
    by_markup = {t["markup"]: t for t in truth if t["kind"] == "column"}
    # list pages and their page 2 (index_1.shtml / index_1.htm)
    for col in portal.live_columns():
        if (
            col.style == "dir"
            and col.mode == "normal"
            and col.page_count > 1
            and col.markup in ("ul_after", "ul_before")
        ):
            assert f"index_1.{col.ext}" in _get(render, col.url)
            assert render.page(f"{col.url}index_1.{col.ext}").status == 200
        if col.style == "aspx" and col.mode == "normal":
            path, query = col.url.split("?")
            assert path == "/xxgk/list.aspx"
            assert query.startswith("ClassID=")
            assert render.page(path, query).status == 200
    # the redirect column: the menus link /go/<slug>, which forwards to the list page
    via = [c for c in portal.live_columns() if c.via]
    assert len(via) == 1
    assert via[0].via in home
    jump = _get(render, via[0].via)
    assert 'http-equiv="refresh"' in jump
    assert via[0].url in jump
    # static intro pages: linked from the menu, long text, no list; in the truth as pages
    pages = [t for t in truth if t["kind"] == "page"]
    assert len(pages) == 3
    for t in pages:
        assert t["url"] in home or t["url"] in hubs
        intro = _get(render, t["url"])
        assert "<li" not in intro[intro.index("<h2>") :]
        assert len(intro) > 3000
    assert not {t["url"] for t in pages} & {t["url"] for t in truth if t["kind"] == "column"}
    # list markups
    assert re.search(
        r"</a>\[\d{4}-\d{2}-\d{2}\]|\[20\d\d", _get(render, by_markup["a_date"]["url"])
    )
    before = _get(render, by_markup["td_before"]["url"])
    assert re.search(r'<td width="100" align="left" style="color:#999">20[\d-]+</td>\s*<td', before)
    wh = _get(render, by_markup["xxgk_wh"]["url"])
    assert '<th width="170">文号</th>' in wh
    assert re.search(r"青\w+〔20\d\d〕\d+号", wh)
    assert re.search(r">\d\d/\d\d</", _get(render, by_markup["yearless"]["url"]))
    empty = next(c for c in portal.live_columns() if c.mode == "blank" and c.placeholder == "")
    assert '<ul class="lb_ul"></ul>\n' in _get(render, empty.url)
    assert by_markup["blank"]["status"] == "blank"
    # article pages: no metas; the date in <div class="info"> or only in <span id="pubtime">
    pub = portal.column(by_markup["undated_pubtime"]["url"])
    art = _get(render, pub.entries[0].path)
    assert '<span id="pubtime">' in art
    assert "发布时间" not in art
    assert 'name="PubDate"' not in art
    plain = portal.column(by_markup["ul_after"]["url"])
    art = _get(render, plain.entries[0].path)
    assert '<div class="info">发布时间：' in art
    assert "<meta name=" not in art


def test_theme_f_gbk_poweredy_hanweb_pinned_and_hub_list():
    portal = build_portal(91, TODAY, "f")
    render = Renderer(portal, "127.0.0.1:9")
    truth = portal.columns_truth()
    by_markup = {t["markup"]: t for t in truth}
    # GBK everywhere; charset in the header, only in a meta tag, or nowhere at all
    modes = Counter()
    for t in truth:
        if t["status"] == "unreachable":
            continue
        parts = urlsplit(t["url"])
        page = render.page(parts.path, parts.query)
        head = page.body[:400]
        modes[
            "header" if "gbk" in page.content_type else "meta" if b"gb2312" in head else "none"
        ] += 1
        page.body.decode("gbk")
    assert modes["header"]
    assert modes["meta"]
    assert modes["none"]
    # PowerEasy lists, Item URLs, year-less mega-menu dates on every page
    pe = [c for c in portal.live_columns() if c.style == "pe" and c.mode == "normal"]
    assert len(pe) >= 5
    page = _get(render, pe[0].url)
    assert '<li><span class="date">20' in page
    assert "/Item/" in page
    assert re.search(r'<span class="date">\d\d-\d\d</span>', page)
    # Hanweb: the column page holds only pinned records, the proxy the newest ones
    hp = portal.column(by_markup["hanweb_pinned"]["url"])
    page = _get(render, hp.url)
    assert page.count("<record>") == 3
    proxy = re.search(r"dataUrl: '(/module/web/jpage/dataproxy\.jsp\?[^']+)'", page).group(1)
    path, query = proxy.split("?", 1)
    reply = render.page(path, query)
    xml = reply.body.decode("gbk")
    assert 'encoding="gbk"' in xml
    newest = max(dt.date.fromisoformat(d) for d in re.findall(r"(\d{4}-\d\d-\d\d)</span>", xml))
    assert newest.isoformat() == by_markup["hanweb_pinned"]["last_update"]
    # datetime cells; titles with (later) dates of their own that are not list dates
    td = _get(render, by_markup["td_datetime"]["url"])
    assert re.search(r'<td class="sj" align="center">20\d\d-\d\d-\d\d \d\d:\d\d:\d\d</td>', td)
    assert re.search(r"关于20\d\d年\d+月\d+日\w+的通知", td)
    # the hub that is also a list: a column at the channel's URL, no channel entry for it
    hub = next(t for t in truth if t["url"] == "/xwzx/xzdt/")
    assert hub["markup"] == "ul_before"
    assert hub["category"] == "news"
    assert "/xwzx/xzdt/" not in {t["url"] for t in portal.truth() if t["kind"] == "channel"}
    page = _get(render, "/xwzx/xzdt/")
    assert "own-list" in page
    assert "更多&gt;&gt;" in page
    assert render.page("/xwzx/xzdt/index_1.html").status in (200, 404)


def test_theme_f_yearless_in_early_january():
    """Year-less December dates seen on 5 January belong to last year (truth and page)."""
    today = dt.date(2027, 1, 5)
    portal = build_portal(91, today, "f")
    render = Renderer(portal, "127.0.0.1:9")
    yearless = [t for t in portal.columns_truth() if t["markup"] == "yearless"]
    assert len(yearless) == 3
    crossing = 0
    for t in yearless:
        col = portal.column(t["url"])
        shown = [e.shown for e in col.page(0)]
        assert max(shown).isoformat() == t["last_update"]
        page = _get(render, t["url"])
        if any(d.year == 2026 and d.month == 12 for d in shown):
            crossing += 1
            assert "12-" in page
    assert crossing
