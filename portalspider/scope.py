"""Crawl scope: which URLs a crawl of one portal may request.

A portal's own domain is its host without a leading ``www.``: ``www.hz.zj.gov.cn`` gives
``hz.zj.gov.cn``, so ``xxgk.hz.zj.gov.cn`` is in and the sibling county site
``www.nb.zj.gov.cn`` (linked from 友情链接) is out. ``site.allowed_domains`` replaces it.
Every request, a landing step's or a redirect's included, must be http(s), on one of those
hosts and the portal's port, and never to a loopback or private address unless the site URL
itself is one (an intranet portal), nor to a link-local one (169.254.169.254: cloud metadata)
unless the site URL is link-local. ``ScopeMiddleware`` (middlewares.py) applies the rule to
each URL; ``resolver.ScopedResolver`` applies it to the address a host *name* resolves to, so
no connection is made to one (``xxgk.example.gov.cn`` → ``10.0.0.5`` or ``169.254.169.254``).

The one allowance: a *link check* (a request carrying ``LINK_CHECK`` in its meta, made by
the ``links`` spider to see whether a link the portal shows still works) may leave the
portal's hosts and port; it stays http(s), and off internal addresses as above.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import urlsplit

import tldextract

SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# Request meta key of a link check (``spiders/links.py``): the host and port rule is lifted.
LINK_CHECK = "link_check"


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


def own_domain(host: str) -> str:
    """The portal's own domain: the host without a leading ``www.``.

    An address stays as it is, and so does ``www.gov.cn`` (``gov.cn`` is a public suffix).
    """
    host = host.lower().rstrip(".")
    if ip_of(host) is None and host.startswith("www.") and not is_public_suffix(host[4:]):
        return host[4:]
    return host


def in_domains(url: str, domains: list[str] | tuple[str, ...]) -> bool:
    """The host of ``url`` is one of ``domains`` or a subdomain of one."""
    return host_in(host_of(url), domains)


def host_in(host: str, domains: list[str] | tuple[str, ...]) -> bool:
    """``host`` is one of ``domains`` or below one; an address only matches itself."""
    address = ip_of(host)
    return any(
        address == ip_of(d)
        if address is not None or ip_of(d) is not None
        else host == d or host.endswith("." + d)
        for d in domains
    )


def ip_of(host: str) -> IPAddress | None:
    """The address a host names literally, in any spelling a resolver accepts
    (``169.254.169.254``, ``2852039166``, ``0xa9fea9fe``, ``[::ffff:a9fe:a9fe]``)."""
    host = host.strip("[]")
    try:
        address: IPAddress = ipaddress.ip_address(host)
    except ValueError:
        if not host or not all(c in "0123456789abcdefxABCDEFX." for c in host):
            return None
        try:
            address = ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


LINK_LOCAL, INTERNAL = "link-local", "internal"


def address_kind(host: str) -> str | None:
    """``link-local`` (169.254/16, fe80::/10: cloud metadata), ``internal`` (loopback,
    private, reserved, ``localhost``) or None for a public address or a name."""
    if host == "localhost" or host.endswith(".localhost"):
        return INTERNAL
    address = ip_of(host)
    if address is None or address.is_global:
        return None
    return LINK_LOCAL if address.is_link_local else INTERNAL


def is_internal(host: str) -> bool:
    """Loopback, private, link-local or otherwise not a public address (or ``localhost``)."""
    return address_kind(host) is not None


def kind_refusal(host: str, kind: str | None, site_kind: str | None) -> str | None:
    """Why a portal whose own address is of ``site_kind`` may not reach ``host``, an address
    of ``kind`` (``address_kind``), or None.

    Public addresses are fine; internal ones only when the portal itself is internal (an
    intranet portal); link-local ones only when the portal itself is link-local.
    """
    if kind is None or kind == site_kind or (kind == INTERNAL and site_kind == LINK_LOCAL):
        return None
    return f"{kind} address {host}" if kind == LINK_LOCAL else f"internal address {host}"


@cache
def _suffixes() -> tldextract.TLDExtract:
    # The public suffix list snapshot bundled with tldextract: never fetched.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def is_public_suffix(domain: str) -> bool:
    """``gov.cn``, ``com.cn``, ``cn``: a domain under which anyone may register sites."""
    domain = domain.lower().strip(".")
    if not domain or ip_of(domain) is not None:
        return False
    parts = _suffixes()(domain)
    return not parts.domain and bool(parts.suffix)


def _port(scheme: str, port: int | None) -> int:
    return port if port is not None else DEFAULT_PORTS.get(scheme, 0)


@dataclass(frozen=True)
class Scope:
    """Where one crawl may go. ``offsite`` lifts the host and port rule (link checks)."""

    domains: tuple[str, ...]
    ports: frozenset[int]
    site_kind: str | None  # ``address_kind`` of the site URL's own host (a literal address)
    offsite: bool = False
    site_host: str = ""  # a name is resolved by ``resolver.ScopedResolver``, which decides

    @property
    def internal_ok(self) -> bool:
        return self.site_kind is not None

    @classmethod
    def for_site(
        cls,
        site_url: str,
        allowed_domains: list[str] | tuple[str, ...] = (),
        *,
        offsite: bool = False,
    ) -> Scope:
        parts = urlsplit(site_url)
        host = host_of(site_url)
        domains = tuple(allowed_domains) or (own_domain(host),)
        # http://x/ and https://x/ are one portal; an explicit other port is its own.
        port = parts.port
        ports = frozenset(DEFAULT_PORTS.values()) if port in (None, 80, 443) else {port}
        return cls(domains, frozenset(ports), address_kind(host), offsite, host)

    def refusal(self, url: str, *, link_check: bool = False) -> str | None:
        """Why ``url`` is out of scope, or None when the crawl may request it.

        ``link_check``: the request only checks a link the portal shows (any host, any port).
        """
        return _refusal(self, url, link_check)

    def allows(self, url: str, *, link_check: bool = False) -> bool:
        return self.refusal(url, link_check=link_check) is None


@lru_cache(maxsize=16384)  # pure, and every page links the same menus and footers
def _refusal(scope: Scope, url: str, link_check: bool) -> str | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "not a valid URL"
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        return f"scheme {scheme or 'missing'!r} is not http(s)"
    host = host_of(url)
    if not host:
        return "no host"
    why = _host_refusal(scope, host, not (scope.offsite or link_check))
    if why is not None or scope.offsite or link_check:
        return why
    if _port(scheme, port) not in scope.ports:
        return f"port {_port(scheme, port)} is not the portal's"
    return None


@lru_cache(maxsize=1024)  # pure, and a portal's links name few hosts
def _host_refusal(scope: Scope, host: str, own_hosts: bool) -> str | None:
    """Why ``host`` is out of scope, or None; ``own_hosts``: it must be the portal's."""
    why = kind_refusal(host, address_kind(host), scope.site_kind)
    if why is not None or not own_hosts:
        return why
    if not host_in(host, scope.domains):
        return f"host {host} is outside {', '.join(scope.domains)}"
    return None
