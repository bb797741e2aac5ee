"""Scope against DNS (issue 13.3): a portal host *name* that resolves to an internal address
is refused at lookup, so no connection is made to it.

Names are mapped by ``MappedResolver`` (the project's resolver over a fixed hosts table, no
system DNS): in-process for the rule's table, and in a real ``scrapy crawl`` through
``TWISTED_DNS_RESOLVER`` against a portal on loopback.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar
from urllib.parse import urlsplit

import pytest
from scrapy.settings import Settings
from twisted.internet import defer
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

from portalspider.dates import today_shanghai
from portalspider.resolver import ScopedResolver
from portalspider.scope import Scope, ip_of
from tests.crawlutil import crawl, serving, write_site

HOSTS_ENV = "PORTALSPIDER_TEST_HOSTS"  # name=address,... for the crawl's MappedResolver


class MappedResolver(ScopedResolver):
    """The project's resolver over a hosts table: literal addresses stay, mapped names get
    their address, anything else fails (never the system's DNS)."""

    hosts: ClassVar[dict[str, str]] = {}

    def lookup(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        table = self.hosts or dict(
            pair.split("=", 1) for pair in os.environ.get(HOSTS_ENV, "").split(",") if pair
        )
        if ip_of(name) is not None:
            return defer.succeed(name)
        if name in table:
            return defer.succeed(table[name])
        return defer.fail(DNSLookupError(f"{name} is not in the test hosts"))


def _resolve(site: str | None, hosts: dict[str, str], name: str) -> str:
    """What the resolver answers for ``name`` in a crawl of ``site`` (an error's text)."""
    spider = SimpleNamespace(scope=Scope.for_site(site)) if site else None
    crawler = SimpleNamespace(settings=Settings(), spider=spider, stats=None)
    resolver = MappedResolver.from_crawler(crawler, reactor=None)
    MappedResolver.hosts = hosts
    try:
        outcome: list[Any] = []
        resolver.getHostByName(name).addBoth(outcome.append)
    finally:
        MappedResolver.hosts = {}
    [result] = outcome
    if isinstance(result, Failure):
        assert result.check(DNSLookupError)
        return f"refused: {result.value.args[0]}"
    return str(result)


PUBLIC = {"www.qx.gov.cn": "1.2.3.4", "xxgk.qx.gov.cn": "1.2.3.5"}
INTRANET = {"www.qx.gov.cn": "10.0.0.4", "xxgk.qx.gov.cn": "10.0.0.5"}


@pytest.mark.parametrize(
    ("site", "hosts", "name", "answer"),
    [
        # A public portal: its names may not lead inside.
        ("http://www.qx.gov.cn/", PUBLIC, "xxgk.qx.gov.cn", "1.2.3.5"),
        ("http://www.qx.gov.cn/", {**PUBLIC, "meta.qx.gov.cn": "169.254.169.254"},
         "meta.qx.gov.cn", "refused: meta.qx.gov.cn resolves to the link-local address"),
        ("http://www.qx.gov.cn/", {**PUBLIC, "oa.qx.gov.cn": "10.1.2.3"},
         "oa.qx.gov.cn", "refused: oa.qx.gov.cn resolves to the internal address 10.1.2.3"),
        ("http://www.qx.gov.cn/", {**PUBLIC, "lo.qx.gov.cn": "127.0.0.1"},
         "lo.qx.gov.cn", "refused: lo.qx.gov.cn resolves to the internal address 127.0.0.1"),
        # An intranet portal (its own name resolves inside): its hosts are inside too, but
        # the metadata address is not one of them.
        ("http://www.qx.gov.cn/", INTRANET, "www.qx.gov.cn", "10.0.0.4"),
        ("http://www.qx.gov.cn/", INTRANET, "xxgk.qx.gov.cn", "10.0.0.5"),
        ("http://www.qx.gov.cn/", {**INTRANET, "meta.qx.gov.cn": "169.254.169.254"},
         "meta.qx.gov.cn", "refused: meta.qx.gov.cn resolves to the link-local address"),
        # A site URL that is an address decides by itself.
        ("http://127.0.0.1:8000/", {"a.test": "127.0.0.1"}, "a.test", "127.0.0.1"),
        ("http://127.0.0.1:8000/", {"m.test": "169.254.169.254"}, "m.test",
         "refused: m.test resolves to the link-local address"),
        # No crawl scope (another command): the answer stands.
        (None, {"m.test": "169.254.169.254"}, "m.test", "169.254.169.254"),
    ],
)  # fmt: skip
def test_a_name_is_held_to_the_scope_of_the_address_it_resolves_to(
    site: str | None, hosts: dict[str, str], name: str, answer: str
) -> None:
    assert _resolve(site, hosts, name).startswith(answer)


def test_the_environments_proxy_may_be_internal(monkeypatch: pytest.MonkeyPatch) -> None:
    hosts = {**PUBLIC, "proxy.corp.test": "10.9.9.9"}
    refused = _resolve("http://www.qx.gov.cn/", hosts, "proxy.corp.test")
    assert refused.startswith("refused: proxy.corp.test resolves to the internal address")
    monkeypatch.setenv("http_proxy", "http://proxy.corp.test:3128")
    assert _resolve("http://www.qx.gov.cn/", hosts, "proxy.corp.test") == "10.9.9.9"
    # A literal address was judged on its URL by the scope rule: the lookup passes it.
    assert _resolve("http://www.qx.gov.cn/", hosts, "10.9.9.9") == "10.9.9.9"


def test_the_literal_rule_keeps_link_local_out_of_an_internal_portal() -> None:
    scope = Scope.for_site("http://127.0.0.1:8000/")
    assert scope.refusal("http://169.254.169.254:8000/") == "link-local address 169.254.169.254"
    assert scope.refusal("http://10.0.0.1:8000/") is not None  # another host: outside
    assert Scope.for_site("http://10.0.0.1/").refusal("http://10.0.0.1/x/") is None


D = today_shanghai().replace(day=1).isoformat()


class _Portal(BaseHTTPRequestHandler):
    """Home page (reached by name) linking a column on a name that resolves to metadata."""

    paths: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.paths.append(f"{self.headers.get('Host')}{self.path}")
        port = self.server.server_address[1]
        nav = (
            '<div class="nav"><ul><li><a href="/gzdt/">工作动态</a></li>'
            f'<li><a href="http://meta.qx.test:{port}/zwgk/">政务公开</a></li></ul></div>'
        )
        rows = "".join(
            f'<li><a href="/gzdt/t{i}.html">工作动态第{i}条</a><span>{D}</span></li>'
            for i in range(1, 6)
        )
        body = nav + (f'<div class="list"><ul>{rows}</ul></div>' if self.path == "/gzdt/" else "")
        payload = (
            f'<html><head><meta charset="utf-8"><title>青山县</title></head><body>{body}'
            "</body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.slow
def test_a_crawl_never_connects_to_a_portal_name_resolving_to_the_metadata_address(
    tmp_path: Path,
) -> None:
    _Portal.paths = []
    with serving(_Portal) as base:
        port = urlsplit(base).port
        site = write_site(tmp_path / "site.yaml", f"http://www.qx.test:{port}/")
        hosts = "www.qx.test=127.0.0.1,meta.qx.test=169.254.169.254"
        result = crawl(
            site,
            tmp_path,
            "TWISTED_DNS_RESOLVER=tests.test_resolver.MappedResolver",
            "RETRY_TIMES=0",
            env={HOSTS_ENV: hosts},
            timeout=120,
        )
    assert result.returncode == 0, result.stderr[-3000:]
    columns = {c["url"]: c for c in result.columns}
    # The portal answered by name (the resolver is the crawl's), its column is read.
    assert columns[f"http://www.qx.test:{port}/gzdt/"]["status"] == "ok"
    assert f"www.qx.test:{port}/" in _Portal.paths
    # The name resolving to 169.254.169.254 was refused at lookup, said once in the log.
    refused = columns[f"http://meta.qx.test:{port}/zwgk/"]
    assert refused["status"] == "unreachable", json.dumps(refused, ensure_ascii=False)
    line = "Refused connection: meta.qx.test resolves to the link-local address 169.254.169.254"
    assert result.stderr.count(line) == 1, result.stderr[-3000:]
    assert "'scope/dropped/dns': 1" in result.stderr
