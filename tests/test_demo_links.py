"""The demo portal's planted broken links (attachments, related articles, a slow and a failing
external host) against its truth, found by ``scrapy crawl links``."""

from __future__ import annotations

from pathlib import Path

from demo.generator import build_portal
from demo.linkplant import serve_link_hosts
from demo.server import DemoServer
from tests.crawlutil import crawl, write_site

SITE = "青溪县人民政府"  # theme a
FAST = ("PORTALSPIDER_LINKS_HOST_DELAY=0.1", "PORTALSPIDER_LINKS_RETRY_BACKOFF=0.3")


def test_planted_links_are_data_drawn_apart_from_the_portal() -> None:
    portal = build_portal(seed=1, theme="a")
    planted = [link for col in portal.columns for e in col.entries for link in e.links]
    assert any(link.broken and link.target.endswith(".pdf") for link in planted)
    assert any(link.broken and link.target.startswith("ext:failing/") for link in planted)
    assert any(link.broken and link.soft for link in planted)
    assert any(not link.broken and link.target.startswith("ext:slow/") for link in planted)
    assert not any(e.links for col in build_portal(seed=1, theme="c").columns for e in col.entries)


def test_demo_broken_links_match_the_truth(tmp_path: Path) -> None:
    portal = build_portal(seed=1, theme="a")
    with serve_link_hosts(portal) as hosts, DemoServer(portal) as server:
        site = write_site(tmp_path / "site.yaml", server.url, extra="defaults:\n  unit: 县政府办\n")
        result = crawl(site, tmp_path, *FAST, spider="links")
        truth = portal.links_truth(server.url)
    assert result.returncode == 0, result.stderr[-2000:]
    found = {(i["url"], i["page_url"]) for i in result.of_type("link")}
    assert len(truth) >= 10
    assert truth <= found, sorted(truth - found)
    assert not [i for i in result.of_type("link") if i["url"].startswith(hosts["slow"])]
    failing = [i for i in result.of_type("link") if i["url"].startswith(hosts["failing"])]
    assert failing
    assert all(i["http_status"] == 500 for i in failing)
    # Soft 404s (a 200 页面不存在 page in the site's layout): the planted ones, and only those.
    soft = [i for i in result.of_type("link") if i["http_status"] == 200]
    assert any("_moved" in url for url, _ in truth)
    assert {(i["url"], i["page_url"]) for i in soft} == {p for p in truth if "_moved" in p[0]}
    assert all(i["error"] == f"soft 404 (error page: 页面不存在_{SITE})" for i in soft), soft[:1]
    # Whatever else is reported is a real error answer (the demo's removed and failing columns).
    others = [i for i in result.of_type("link") if i["http_status"] != 200]
    assert all(i["http_status"] is None or i["http_status"] >= 400 for i in others)
