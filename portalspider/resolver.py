"""The crawl scope applied to DNS answers: no connection to an internal address by name.

``scope.Scope`` judges the host a URL names. A *name* in the portal's domain can still
resolve to an internal address (``xxgk.example.gov.cn`` → ``10.0.0.5``, or to the cloud
metadata address ``169.254.169.254``). Scrapy resolves every host through its
``TWISTED_DNS_RESOLVER`` class before connecting, so this one, Scrapy's default caching
resolver plus the scope's address rule (``scope.kind_refusal``), fails such a lookup: the
request errs with ``DNSLookupError`` and nothing reaches the address. An internal answer is
fine when the site URL's own host is (or resolves to) an address of that kind: an intranet
portal is crawled as a whole.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from urllib.request import getproxies

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

from portalspider.scope import Scope, address_kind, host_of, ip_of, kind_refusal

logger = logging.getLogger(__name__)


class ScopedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing answers outside the running crawl's scope."""

    owner: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> ScopedResolver:
        resolver = super().from_crawler(crawler, reactor)
        # Scrapy builds the resolver once per process, from the crawler process: each
        # lookup reads the scope of its crawlers' spiders (``spider.scope``).
        resolver.owner = crawler
        resolver.refused = set()
        return resolver

    refused: set[str]

    def scopes(self) -> list[Scope]:
        crawlers = getattr(self.owner, "crawlers", None) or [self.owner]
        found = (getattr(getattr(c, "spider", None), "scope", None) for c in crawlers)
        return [s for s in found if isinstance(s, Scope)]

    def lookup(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        """The address of ``name``: Scrapy's cached system lookup."""
        return super().getHostByName(name, timeout)

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:  # noqa: N802 (Twisted's name)
        d = self.lookup(name, timeout)
        d.addCallback(self._checked, name)
        return d

    def _checked(self, address: str, name: str) -> Deferred[str] | str:
        kind = address_kind(address)
        scopes = self.scopes()
        # A literal address was judged on the URL (``Scope.refusal``); the proxy the
        # environment names (``http_proxy``, as Scrapy's HttpProxyMiddleware reads it) is
        # the way out, often an internal host, never a target.
        if kind is None or not scopes or ip_of(name) is not None or name in _proxy_hosts():
            return address
        # The site's own kind: its literal address, else what its host name resolves to.
        kinds: list[Deferred[str | None]] = [
            defer.succeed(kind)
            if name == scope.site_host
            else defer.succeed(scope.site_kind)
            if scope.site_kind is not None or not scope.site_host
            else self.lookup(scope.site_host).addCallbacks(address_kind, lambda _: None)
            for scope in scopes
        ]
        d: Deferred[Any] = defer.gatherResults(kinds)
        d.addCallback(self._decide, name, address, kind, scopes)
        return d

    def _decide(
        self, site_kinds: list[str | None], name: str, address: str, kind: str, scopes: list[Scope]
    ) -> str:
        reasons = [kind_refusal(address, kind, site_kind) for site_kind in site_kinds]
        if any(reason is None for reason in reasons):
            return address
        sites = ", ".join(scope.site_host for scope in scopes)
        message = f"{name} resolves to the {reasons[0]}, out of the scope of {sites}"
        if name not in self.refused:  # once per host; retries fail the same way
            self.refused.add(name)
            logger.warning("Refused connection: %s", message)
        for crawler in getattr(self.owner, "crawlers", None) or [self.owner]:
            stats = getattr(crawler, "stats", None)
            if stats is not None:
                stats.inc_value("scope/dropped/dns")
        raise DNSLookupError(message)


def _proxy_hosts() -> set[str]:
    return {host_of(url) for url in getproxies().values() if "://" in url}
