"""Crawl scope truth tables and the middleware that applies them to every request."""

from __future__ import annotations

import pytest
from scrapy import Request, Spider
from scrapy.utils.test import get_crawler

from portalspider.middlewares import OutOfScope, ScopeMiddleware
from portalspider.scope import Scope, in_domains, is_public_suffix, own_domain


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("www.hz.zj.gov.cn", "hz.zj.gov.cn"),
        ("www.qx.gov.cn", "qx.gov.cn"),
        ("xxgk.qx.gov.cn", "xxgk.qx.gov.cn"),
        ("WWW.QX.gov.cn", "qx.gov.cn"),
        ("www.gov.cn", "www.gov.cn"),
        ("www.example.com", "example.com"),
        ("127.0.0.1", "127.0.0.1"),
        ("localhost", "localhost"),
    ],
)
def test_own_domain(host: str, domain: str) -> None:
    assert own_domain(host) == domain


CITY = Scope.for_site("http://www.hz.zj.gov.cn/")
LOOPBACK = Scope.for_site("http://127.0.0.1:8765/", ["127.0.0.1"])
WIDE = Scope.for_site("http://www.qx.gov.cn/", ["www.qx.gov.cn", "xxgk.qx.gov.cn"])


@pytest.mark.parametrize(
    ("scope", "url", "why"),
    [
        (CITY, "http://www.hz.zj.gov.cn/xwzx/", None),
        (CITY, "https://www.hz.zj.gov.cn/xwzx/", None),  # http→https is the same portal
        (CITY, "http://xxgk.hz.zj.gov.cn/col/", None),
        (CITY, "http://hz.zj.gov.cn/", None),
        (CITY, "http://www.nb.zj.gov.cn/", "outside"),  # a sibling city
        (CITY, "http://www.zj.gov.cn/", "outside"),  # the province
        (CITY, "http://evilhz.zj.gov.cn/", "outside"),
        (CITY, "http://www.hz.zj.gov.cn:8080/", "port 8080"),
        (CITY, "ftp://www.hz.zj.gov.cn/", "not http(s)"),
        (CITY, "file:///etc/passwd", "not http(s)"),
        (CITY, "javascript:void(0)", "not http(s)"),
        (CITY, "http://169.254.169.254/latest/meta-data/", "link-local address"),
        (CITY, "http://10.1.2.3/", "internal address"),
        (CITY, "http://[::1]/", "internal address"),
        (CITY, "http://localhost/", "internal address"),
        (CITY, "http://2852039166/", "link-local address"),  # 169.254.169.254 as a number
        (LOOPBACK, "http://127.0.0.1:8765/a/", None),
        (LOOPBACK, "http://127.0.0.1:8766/a/", "port 8766"),
        (LOOPBACK, "http://127.0.0.1/a/", "port 80"),
        # An internal portal still never reaches the cloud metadata address.
        (LOOPBACK, "http://169.254.169.254/", "link-local address 169.254.169.254"),
        (LOOPBACK, "http://localhost:8765/", "outside"),
        (WIDE, "http://xxgk.qx.gov.cn/a/", None),
        (WIDE, "http://zwfw.qx.gov.cn/a/", "outside"),
    ],
)
def test_scope_refusal(scope: Scope, url: str, why: str | None) -> None:
    reason = scope.refusal(url)
    if why is None:
        assert reason is None
    else:
        assert reason is not None
        assert why in reason
    assert scope.allows(url) is (why is None)


def test_offsite_flag_keeps_schemes_and_internal_addresses_out() -> None:
    checker = Scope.for_site("http://www.qx.gov.cn/", offsite=True)
    assert checker.allows("https://www.example.com:8443/x")
    assert not checker.allows("http://169.254.169.254/")
    assert not checker.allows("file:///etc/passwd")


def test_in_domains_allows_subdomains_only() -> None:
    assert in_domains("http://xxgk.qingxi.gov.cn/a/", ["qingxi.gov.cn"])
    assert not in_domains("http://evilqingxi.gov.cn/a/", ["qingxi.gov.cn"])
    assert in_domains("http://127.0.0.1:8765/a/", ["127.0.0.1"])
    assert not in_domains("http://1.127.0.0.1/a/", ["127.0.0.1"])


@pytest.mark.parametrize(
    ("domain", "suffix"),
    [
        ("gov.cn", True),
        ("com.cn", True),
        ("edu.cn", True),
        ("cn", True),
        ("com", True),
        ("qx.gov.cn", False),
        ("zj.gov.cn", False),
        ("www.qx.gov.cn", False),
        ("127.0.0.1", False),
        ("localhost", False),
    ],
)
def test_is_public_suffix(domain: str, suffix: bool) -> None:
    assert is_public_suffix(domain) is suffix


class _Spider(Spider):
    name = "scoped"
    scope = LOOPBACK


@pytest.fixture
def middleware() -> ScopeMiddleware:
    crawler = get_crawler(_Spider)
    crawler.spider = _Spider()
    crawler.stats.open_spider()
    return ScopeMiddleware.from_crawler(crawler)


def test_middleware_drops_dont_filter_requests_out_of_scope(middleware: ScopeMiddleware) -> None:
    assert middleware.process_request(Request("http://127.0.0.1:8765/a/")) is None
    with pytest.raises(OutOfScope, match="port 8766"):
        middleware.process_request(Request("http://127.0.0.1:8766/", dont_filter=True))
    redirected = Request(
        "http://169.254.169.254/latest/meta-data/",
        dont_filter=True,
        meta={"redirect_urls": ["http://127.0.0.1:8765/col/"]},
    )
    with pytest.raises(OutOfScope, match=r"redirect from http://127\.0\.0\.1:8765/col/ to"):
        middleware.process_request(redirected)
    stats = middleware.crawler.stats
    assert stats.get_value("scope/dropped") == 2
    assert stats.get_value("scope/dropped/redirect") == 1


def test_middleware_replaces_scrapys_offsite_check() -> None:
    from portalspider import settings

    middlewares = settings.DOWNLOADER_MIDDLEWARES
    assert middlewares["portalspider.middlewares.ScopeMiddleware"] < 600  # RedirectMiddleware
    # Scrapy's own offsite check would drop an off-site column redirect without an errback.
    assert middlewares["scrapy.downloadermiddlewares.offsite.OffsiteMiddleware"] is None
