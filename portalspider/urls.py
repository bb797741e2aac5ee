"""URL identity: one key per page, shared by discovery, the store and the alerts.

``/x/``, ``/x/index.html``, ``/x/#top`` and ``/x/?from=nav`` are one page, so they are one
column across crawls whichever spelling the site linked this time.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that never change which page is served.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|from|source|src|spm|ref|refer|share|wd|_t|t|timestamp|v|ver|random|r)$", re.I
)
# Directory index documents: /x/ and /x/index.html are one page.
INDEX_DOCUMENT = re.compile(r"/(index|default|main)\.(s?html?|jsp|aspx?|php)$", re.I)

# Fragments that route a JavaScript app (gkmlpt ``/gkmlpt/index#2811``, ``#/list/5``):
# unlike ``#top``, they name different pages.
HASH_ROUTE = re.compile(r"^[/!]")
HASH_APP_PATH = re.compile(r"/gkmlpt/", re.I)


def is_hash_route(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.fragment) and bool(
        HASH_ROUTE.match(parts.fragment) or HASH_APP_PATH.search(parts.path)
    )


def canonical_url(url: str) -> str:
    """One key per page: ``/x/index.html`` == ``/x/``; no tracking query, no fragment.

    A fragment that routes a JavaScript app is kept: it names a different page.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "http"
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = parts.path or "/"
    path = re.sub(r"/{2,}", "/", path)
    path = INDEX_DOCUMENT.sub("/", path)
    query = urlencode(
        sorted(
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not TRACKING_PARAMS.match(k)
        )
    )
    fragment = parts.fragment if is_hash_route(url) else ""
    return urlunsplit((scheme, host, path, query, fragment))


def clean_url(url: str) -> str:
    """The URL as the site links it, minus tracking query parameters and page anchors."""
    parts = urlsplit(url.strip())
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not TRACKING_PARAMS.match(k)
        ]
    )
    fragment = parts.fragment if is_hash_route(url) else ""
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, fragment))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def in_domains(url: str, domains: list[str]) -> bool:
    """Inside the portal: the host or a subdomain of one of ``domains``."""
    host = host_of(url)
    return any(host == d or host.endswith("." + d) for d in domains)


SECTION_PATH = re.compile(r"(/|/(index|default|main)(\.\w+)?)$", re.I)


def is_section_url(url: str) -> bool:
    """A link to a section (``/zwgk/tzgg/``, ``…/index.html``), not to a document page."""
    return bool(SECTION_PATH.search(urlsplit(url).path or "/"))
