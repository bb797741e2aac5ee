"""Repeat crawls: pages with validators come back as 304s and read the same; polite headers."""

from __future__ import annotations

import re
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from scrapy import Spider
from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings

from demo.generator import build_portal
from demo.server import serve
from portalspider.httpcache import CanonicalCacheStorage, RevalidatePolicy
from portalspider.politeness import with_contact
from tests.crawlutil import crawl, serving, write_site


def _statuses(columns: list[dict]) -> dict[str, tuple]:
    return {c["url"]: (c["status"], c.get("last_update")) for c in columns}


@pytest.mark.slow
def test_second_crawl_revalidates_and_gives_the_same_statuses(tmp_path: Path) -> None:
    portal = build_portal(seed=41, theme="a")
    with serve(portal) as server:
        site = write_site(tmp_path / "site.yaml", server.url)
        first = crawl(site, tmp_path)
        fetched = server.request_count
        server.reset_counts()
        second = crawl(site, tmp_path, "AUTOTHROTTLE_DEBUG=True")
        statuses = [r.status for r in server.requests]
    assert first.returncode == 0, first.stderr[-2000:]
    assert second.returncode == 0, second.stderr[-2000:]
    assert first.columns
    assert _statuses(second.columns) == _statuses(first.columns)
    assert len(statuses) == fetched  # the same requests, asked conditionally
    assert statuses.count(304) >= 0.9 * fetched, statuses  # all but error pages
    assert not [r.path for r in server.requests if r.status == 200]  # which, if any
    # The 304s pace the crawl like 200s (politeness.AutoThrottle): loopback answers in
    # milliseconds, so the delay falls from AUTOTHROTTLE_START_DELAY (250 ms) toward zero.
    delays = [int(ms) for ms in re.findall(r"\| delay:\s*(\d+) ms", second.stderr)]
    assert delays, second.stderr[-2000:]
    assert min(delays) < 50, delays


def test_revalidation_never_trusts_the_store() -> None:
    policy = RevalidatePolicy(Settings())
    request = Request("http://127.0.0.1/a/")
    stored = HtmlResponse(
        request.url, body=b"<p>x</p>", headers={"ETag": '"1"', "Last-Modified": "x"}
    )
    assert policy.should_cache_response(stored, request)
    assert not policy.should_cache_response(HtmlResponse(request.url, body=b"x"), request)
    assert not policy.is_cached_response_fresh(stored, request)
    assert request.headers[b"If-None-Match"] == b'"1"'
    error = HtmlResponse(request.url, status=500, body=b"")
    assert not policy.is_cached_response_valid(stored, error, request)  # the error, not x
    not_modified = HtmlResponse(request.url, status=304, body=b"")
    assert policy.is_cached_response_valid(stored, not_modified, request)


def test_the_cache_keeps_one_entry_per_page_whichever_link_reached_it(tmp_path: Path) -> None:
    storage = CanonicalCacheStorage(Settings({"HTTPCACHE_DIR": str(tmp_path)}))
    spider = Spider(name="portal")
    linked = Request("http://127.0.0.1/x/?from=nav")
    page = HtmlResponse(linked.url, body=b"<p>x</p>", headers={"ETag": '"1"'})
    storage.store_response(spider, linked, page)
    again = storage.retrieve_response(spider, Request("http://127.0.0.1/x/index.html#main"))
    assert again is not None
    assert again.body == b"<p>x</p>"
    assert storage.retrieve_response(spider, Request("http://127.0.0.1/y/")) is None
    post = Request("http://127.0.0.1/x/", method="POST", body=b"page=2")
    assert storage.retrieve_response(spider, post) is None


def test_user_agent_names_the_tool_and_the_contact(tmp_path: Path) -> None:
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("User-Agent", ""))
            body = "<html><body><p>首页</p></body></html>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            """Quiet."""

    with serving(Handler) as url:
        site = write_site(tmp_path / "site.yaml", url, extra="  contact: ops@qx.gov.cn\n")
        crawl(site, tmp_path)
    assert seen
    assert all(ua.startswith("portalspider/") for ua in seen), seen
    assert all("contact: ops@qx.gov.cn)" in ua for ua in seen), seen


def test_with_contact() -> None:
    assert with_contact("tool/1 (+u; m)", "a@b") == "tool/1 (+u; m; contact: a@b)"
    assert with_contact("tool/1", "a@b") == "tool/1 (contact: a@b)"
    assert with_contact("tool/1 (+u)", None) == "tool/1 (+u)"
