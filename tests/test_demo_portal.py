"""The demo portal itself: deterministic, truthful, fully served, flaky on demand, mutable.

The spider-versus-truth tests live elsewhere; these make sure the yardstick is right.
"""

from __future__ import annotations

import datetime as dt
import http.client
import re
import urllib.error
import urllib.request
from collections import Counter
from urllib.parse import quote, urljoin, urlsplit

import pytest

from portalspider.demo import build_portal, serve, status_for
from portalspider.demo.compare import compare, normalize_url
from portalspider.demo.model import THRESHOLDS
from portalspider.demo.render import Renderer

TODAY = dt.date(2026, 11, 28)
HREF = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""", re.I)


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
        text = body.decode("gbk" if "gbk" in ctype else "utf-8")
        for href in HREF.findall(text):
            if href.startswith(("javascript:", "mailto:", "data:")):
                continue
            full = urljoin(url, href.replace("&amp;", "&"))
            if urlsplit(full).netloc == host:
                queue.append(full)
    return seen, failures


@pytest.fixture(scope="module", params=["a", "b"])
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
    for needed in ("trs_table", "xxgk_table", "hanweb", "iframe", "gbk", "pinned", "future",
                   "yearless", "undated_meta", "undated_visible", "undated_url_trs",
                   "undated_url_art", "undated_regen", "undated_none", "error500", "dead404"):
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
    dead = {normalize_url(t["url"]) for t in portal.columns_truth()
            if t["status"] == "unreachable"}
    assert len(seen) > 300
    assert failures
    for url, status in failures.items():
        assert normalize_url(urlsplit(url).path + "?" + urlsplit(url).query) in dead, url
        assert status in (404, 500)


def test_list_page_markups(portal):
    render = Renderer(portal)
    by_markup = {t["markup"]: t for t in portal.columns_truth()}
    trs = render.page(by_markup["trs_table"]["url"]).body.decode()
    assert re.search(r'createPageHTML\(\d+, 0, "index", "html"\)', trs)
    assert re.search(r'href="\./\d{6}/t\d{8}_\d+\.html"', trs)
    hanweb = render.page(by_markup["hanweb"]["url"]).body.decode()
    assert '<script type="text/xml"><datastore>' in hanweb
    assert "<![CDATA[<li>" in hanweb
    proxy = re.search(r'<a href="(/module/web/jpage/dataproxy\.jsp\?[^"]+)"', hanweb).group(1)
    path, query = proxy.split("?", 1)
    xml = render.page(path, query).body.decode()
    assert "<totalpage>" in xml
    assert xml.count("<record>") > 0
    gbk = render.page(by_markup["gbk"]["url"])
    assert "charset=gbk" in gbk.content_type
    assert "charset=gb2312" in gbk.body.decode("gbk")
    frame_col = by_markup["iframe"]["url"]
    assert 'src="list_frame.html"' in render.page(frame_col).body.decode()
    assert render.page(frame_col + "list_frame.html").status == 200
    home = render.page("/").body.decode()
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
    items = [{"type": "column", **t, "url": "http://127.0.0.1:9/" + t["url"].lstrip("/")}
             for t in truth if t["kind"] == "column"]
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


def test_normalize_url_variants():
    same = {"/x/y/", "/x/y/index.html", "/x/y/?from=nav", "/x/y/#main", "http://h:1/x/y/"}
    assert {normalize_url(u) for u in same} == {"/x/y/"}
    assert normalize_url("/col/col7/index.html?uid=3") == "/col/col7/?uid=3"
