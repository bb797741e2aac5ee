"""URL identity: which URLs are one page, one column, an attachment.

The one home of these decisions, used by discovery, extraction, the config rules, the
store and the alerts:

- **page** (``canonical_url``): ``/x/``, ``/x/index.html``, ``/x/main.html``, ``/x/#top``
  and ``/x/?from=nav`` are one page, so they are one column across crawls whichever
  spelling the site linked this time. ``/x/index_2.html`` is another page.
- **column** (``column_key``): page 2 of a list (``/x/index_1.html`` in TRS, which counts
  from 0; ``Index_2.aspx``; ``?page=2``) belongs to the column of page 1 (``/x/``).
- **attachment** (``is_attachment``): a file link (Scrapy's ``IGNORED_EXTENSIONS`` plus a
  few office and data formats) is never a page.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from scrapy.linkextractors import IGNORED_EXTENSIONS
from w3lib.url import canonicalize_url, url_query_cleaner

# Query parameters that never change which page is served.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|from|source|src|spm|ref|refer|share|wd|_t|t|timestamp|v|ver|random|r)$", re.I
)
# Directory index documents: /x/, /x/index.html and /x/main.html are one page.
INDEX_DOCUMENT = re.compile(r"/(index|default|main)\.(s?html?|jsp|aspx?|php)$", re.I)
# Later pages of a list: TRS ``index_1.html`` (page 2: TRS counts from 0) and
# ``PowerEasy`` ``Index_2.aspx`` (page 2: counts from 1); ``list_3.html`` as TRS.
PAGED_STEMS = ("index", "list", "default")
PAGED_DOCUMENT = re.compile(rf"/({'|'.join(PAGED_STEMS)})_(\d+)\.(s?html?|jsp|aspx?|php)$", re.I)
ZERO_BASED_EXT = re.compile(r"^s?html?$", re.I)
# Query parameters holding a 1-based page number, and a record offset (Hanweb).
PAGE_PARAMS = re.compile(r"^(page|pageno|pageindex|cur_page|curpage|currentpage|pn|p)$", re.I)
RECORD_OFFSET_PARAMS = re.compile(r"^startrecord$", re.I)
# Files, not pages: Scrapy's list plus office/data formats common on Chinese portals.
ATTACHMENT_EXTENSIONS = frozenset(IGNORED_EXTENSIONS) | {
    "wps",
    "et",
    "dps",
    "ofd",
    "ceb",
    "txt",
    "csv",
    "xml",
    "json",
    "gz",
}

# Fragments that route a JavaScript app (gkmlpt ``/gkmlpt/index#2811``, ``#/list/5``):
# unlike ``#top``, they name different pages.
HASH_ROUTE = re.compile(r"^[/!]")
HASH_APP_PATH = re.compile(r"/gkmlpt/", re.I)
DEFAULT_PORTS = {"http": 80, "https": 443}
# URLs w3lib's canonical form leaves as they are: http(s), a lower-case host, a path of
# unreserved characters without dot segments, no query, no fragment (most links).
_CANONICAL_ALREADY = re.compile(
    r"(https?)://((?:[a-z0-9-]+\.)*[a-z0-9-]+)(?::([1-9]\d{0,3}|[1-5]\d{4}))?"
    r"((?:/(?!\.)[A-Za-z0-9_.~-]*)+)"
)


def is_hash_route(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.fragment) and bool(
        HASH_ROUTE.match(parts.fragment) or HASH_APP_PATH.search(parts.path)
    )


def _without_tracking(url: str) -> str:
    """``url`` minus tracking parameters, its query otherwise as linked (order, repeats)."""
    query = urlsplit(url).query
    tracking = {k for k, _ in parse_qsl(query, keep_blank_values=True) if TRACKING_PARAMS.match(k)}
    if not tracking:
        return url
    return url_query_cleaner(url, sorted(tracking), remove=True, unique=False, keep_fragments=True)


@functools.lru_cache(maxsize=65536)  # pure, and every page repeats its menus' links
def canonical_url(url: str) -> str:
    """The page key: ``/x/index.html`` == ``/x/main.html`` == ``/x/``; ``/x/index_2.html`` differs.

    w3lib's canonical form (sorted query, percent-encoding normalised, lower-case host),
    without tracking parameters, the default port or a fragment; a fragment that routes a
    JavaScript app is kept, since it names a different page.
    """
    url = url.strip()
    if "://" not in url:
        url = "http://" + url.lstrip("/")
    simple = _CANONICAL_ALREADY.fullmatch(url)
    if simple:  # w3lib would return it unchanged, and its parts are read off the match
        scheme, host, port, path = simple.groups()
        if port and int(port) != DEFAULT_PORTS[scheme]:
            host = f"{host}:{port}"
        return f"{scheme}://{host}{_page_path(path)}"
    return _canonical_general(url)


def _canonical_general(url: str) -> str:
    """:func:`canonical_url` of an absolute URL of any shape (the fast path's yardstick)."""
    url = canonicalize_url(_without_tracking(url), keep_fragments=is_hash_route(url))
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    if parts.port and parts.port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    return urlunsplit((scheme, host, _page_path(parts.path), parts.query, parts.fragment))


def _page_path(path: str) -> str:
    """A page key's path: slashes not doubled, a directory's index document its directory."""
    if "//" in path:
        path = re.sub(r"/{2,}", "/", path)
    return INDEX_DOCUMENT.sub("/", path or "/")


def same_page(a: str, b: str) -> bool:
    return canonical_url(a) == canonical_url(b)


@functools.lru_cache(maxsize=65536)  # pure, and every page's pager and menus repeat
def page_number(url: str) -> int | None:
    """The 1-based page of a paged list this URL names, or None when it names no page.

    ``/x/index_1.html`` is 2 (TRS counts from 0), ``Index_2.aspx`` is 2, ``?page=3`` is 3.
    """
    parts = urlsplit(url)
    match = PAGED_DOCUMENT.search(parts.path)
    if match:
        number = int(match.group(2))
        return number + 1 if ZERO_BASED_EXT.match(match.group(3)) else number
    for key, value in parse_qsl(parts.query):
        if PAGE_PARAMS.match(key) and value.isdigit():
            return int(value)
    return None


def may_end_paged(link: str) -> bool:
    """Whether a link as written, with no query or fragment, may end in a paged document's
    name once joined to a page URL (:data:`PAGED_DOCUMENT`): a test on its text alone, far
    cheaper than the join (an article's ``content_9.html`` fails it).

    The name's ``_`` is the link's last one, right after a stem. A link that is not plain
    printable ASCII passes: a join drops tabs and newlines, and ``re.I`` folds some other
    letters into the stems' (``ſ``).
    """
    cut = link.rfind("_")
    if cut < 0:
        return False
    if not (link.isascii() and link.isprintable()):
        return True
    return link[:cut].lower().endswith(PAGED_STEMS)


def is_later_page(url: str) -> bool:
    """Page 2 or later of a paged list (never itself a column)."""
    number = page_number(url)
    if number is not None:
        return number > 1
    return any(
        RECORD_OFFSET_PARAMS.match(k) and v not in ("", "0", "1")
        for k, v in parse_qsl(urlsplit(url).query)
    )


def column_key(url: str) -> str:
    """The key of the column a list page belongs to: page k of ``/x/`` gives ``/x/``."""
    parts = urlsplit(url.strip())
    path = PAGED_DOCUMENT.sub(lambda m: f"/{m.group(1)}.{m.group(3)}", parts.path)
    query = "&".join(
        piece
        for piece in parts.query.split("&")
        if not (
            PAGE_PARAMS.match(piece.split("=", 1)[0])
            or RECORD_OFFSET_PARAMS.match(piece.split("=", 1)[0])
        )
    )
    return canonical_url(urlunsplit((parts.scheme, parts.netloc, path, query, parts.fragment)))


@functools.lru_cache(maxsize=16384)  # pure, and the rules ask it for each column link
def column_path(path: str) -> str:
    """A column's URL path for prefix comparison: decoded, no index page, no trailing slash.

    ``/xwzx/zwdt/``, ``/xwzx/zwdt/index.html``, ``…/main.html``, ``…/index_2.html`` and
    ``/xwzx/zwdt`` all become ``/xwzx/zwdt``; the root becomes ``""`` so that it prefixes
    everything.
    """
    key = urlsplit(column_key("http://h" + "/" + (path or "/").lstrip("/")))
    return unquote(key.path).rstrip("/")


@functools.lru_cache(maxsize=16384)  # pure, and asked of every list entry and link
def is_attachment(url: str) -> bool:
    """A link to a file (PDF, office document, archive, image, …), not to a page."""
    name = urlsplit(url).path.rsplit("/", 1)[-1].lower()
    # The last suffix alone: the one dotted extension (tar.gz) ends in one listed (gz).
    return "." in name and name.rsplit(".", 1)[1] in ATTACHMENT_EXTENSIONS


def clean_url(url: str) -> str:
    """The URL as the site links it, minus tracking query parameters and page anchors."""
    url = _without_tracking(url.strip())
    if is_hash_route(url):
        return url
    return urlunsplit(urlsplit(url)._replace(fragment=""))


SECTION_PATH = re.compile(r"(/|/(index|default|main)(\.\w+)?)$", re.I)


@functools.lru_cache(maxsize=16384)  # pure, and asked of every list entry
def is_section_url(url: str) -> bool:
    """A link to a section (``/zwgk/tzgg/``, ``…/index.html``), not to a document page."""
    return bool(SECTION_PATH.search(urlsplit(url).path or "/"))
