"""The meta-refresh middleware decides as Scrapy's own, without decoding most pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import Spider
from scrapy.http import HtmlResponse, Request
from scrapy.utils.response import get_meta_refresh
from scrapy.utils.test import get_crawler

from portalspider.metarefresh import QuickMetaRefreshMiddleware, cannot_refresh

REAL_PAGES = sorted(
    p
    for p in (Path(__file__).parent / "fixtures" / "realpages").iterdir()
    if p.suffix in {".html", ".htm"}
)
URL = "http://127.0.0.1/x/"
_FILLER = "<p>青溪县人民政府</p>" * 400  # over 4,096 characters


def _page(html: str, encoding: str = "utf-8", charset: str | None = None) -> HtmlResponse:
    headers = {"Content-Type": f"text/html; charset={charset or encoding}"}
    return HtmlResponse(URL, body=html.encode(encoding), headers=headers)


CRAFTED = {
    "no refresh": _page("<html><head><title>t</title></head><body>x</body></html>"),
    "refresh": _page('<html><head><meta http-equiv="refresh" content="0;url=/y/"></head></html>'),
    "upper case": _page('<HTML><HEAD><META HTTP-EQUIV="REFRESH" CONTENT="0; URL=/y/"></HEAD>'),
    "gbk": _page(
        '<html><head><meta http-equiv="Refresh" content="0;url=/栏目/"><title>青溪</title>',
        "gbk",
    ),
    "utf-16": _page(
        '<html><head><meta http-equiv="refresh" content="0;url=/y/"></head></html>', "utf-16"
    ),
    "in a script only": _page(
        '<html><head><script>location.refresh = 1; // refresh="0;url=/y/"</script></head>'
    ),
    "past the scanned head": _page(
        f'<html><body>{_FILLER}<meta http-equiv="refresh" content="0;url=/y/"></body></html>'
    ),
}


@pytest.mark.parametrize(
    "response",
    [
        *[pytest.param(v, id=k) for k, v in CRAFTED.items()],
        *[pytest.param(HtmlResponse(URL, body=p.read_bytes()), id=p.name) for p in REAL_PAGES],
    ],
)
def test_pages_passed_over_hold_no_refresh_scrapy_would_find(response: HtmlResponse) -> None:
    if cannot_refresh(response.body):
        assert get_meta_refresh(response) == (None, None)


def test_the_middleware_redirects_and_passes_on_as_scrapys_own() -> None:
    crawler = get_crawler(Spider, {"METAREFRESH_ENABLED": True})
    crawler.spider = Spider(name="portal")
    middleware = QuickMetaRefreshMiddleware.from_crawler(crawler)
    decisions = {}
    for name, response in CRAFTED.items():
        result = middleware.process_response(Request(URL), response)
        decisions[name] = result.url if isinstance(result, Request) else None
    assert decisions == {
        "no refresh": None,
        "refresh": "http://127.0.0.1/y/",
        "upper case": "http://127.0.0.1/y/",
        "gbk": "http://127.0.0.1/%E6%A0%8F%E7%9B%AE/",
        "utf-16": "http://127.0.0.1/y/",  # NUL bytes: Scrapy's check decides
        "in a script only": None,
        "past the scanned head": None,
    }
    assert cannot_refresh(CRAFTED["no refresh"].body)
    assert not cannot_refresh(CRAFTED["utf-16"].body)
