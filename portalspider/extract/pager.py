"""Page count and last-page URL of a column list.

Sources, most explicit first (the first that answers wins, so a saved page that holds both
a TRS paging script and the pager it rendered is counted once):

1. TRS ``createPageHTML(total, current, "index", "html")`` — page k ≥ 2 is ``index_{k-1}.html``.
2. TRS ``var countPage = N`` (no semicolon required).
3. Fujian ``pageChnlInfo{recordCount, prepage}`` → ceil(recordCount / prepage); with TRS
   动静结合's ``maxStaticIndex`` at least that count, page k ≥ 2 is ``index_{k-1}.html``.
4. Visible ``共N页`` text.
5. The rendered pager: the 尾页 link, else the largest page number in the links
   (``urls.page_number``: TRS ``index_N.html`` is 0-based, PowerEasy ``Index_N.aspx``
   is 1-based, ``?page=N``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin

import lxml.html

from portalspider.urls import PAGE_PARAMS, may_end_paged, page_number

from .htmlutil import absolute, clean_text, text_content

__all__ = ["Anchors", "PagerInfo", "next_page_url", "read_pager"]

_CREATE_PAGE = re.compile(
    r"createPageHTML\s*\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?"
    r"(?:\s*,\s*['\"]([\w.-]+)['\"]\s*,\s*['\"](\w+)['\"])?",
)
_COUNT_PAGE = re.compile(r"\bcountPage\s*=\s*['\"]?(\d+)")
_RECORD_COUNT = re.compile(r"\brecordCount\s*[:=]\s*['\"]?(\d+)")
_PREPAGE = re.compile(r"\bprepage\s*[:=]\s*['\"]?(\d+)")
_MAX_STATIC = re.compile(r"\bmaxStaticIndex\s*[:=]\s*['\"]?(\d+)")
_INDEX_FILE = re.compile(r"/index(?:_\d+)?\.(\w+)$")
_TOTAL_TEXT = re.compile(r"共\s*(\d+)\s*页")


@dataclass
class PagerInfo:
    page_count: int | None = None
    last_page_url: str | None = None
    next_page_url: str | None = None  # the page after this one (下一页), when one is linked


_NEXT_LABELS = {"下一页", "下页", "下一页>", "下一页 >", "后一页", "next", "Next", ">"}
# A character of every label above (cleaning only drops spaces): most links are ruled out
# before their text is cleaned.
_NEXT_MARK = re.compile("[下后x>]")


def _trs_page_url(base: str, name: str, ext: str, count: int) -> str:
    filename = f"{name}.{ext}" if count <= 1 else f"{name}_{count - 1}.{ext}"
    return urljoin(base, filename)


class Anchors:
    """The page's links, listed on first use and shared by the pager's readers (and the
    list reader's trail): each walk of the tree makes a Python object per link."""

    def __init__(self, root: lxml.html.HtmlElement | None) -> None:
        self._root = root
        self._links: list[lxml.html.HtmlElement] | None = None

    def __iter__(self) -> Iterator[lxml.html.HtmlElement]:
        if self._links is None:
            self._links = [] if self._root is None else list(self._root.iter("a"))
        return iter(self._links)


def _from_links(links: Anchors, base: str) -> PagerInfo:
    best: tuple[int, str] | None = None
    # A paged URL ends in a paged document's name (``index_1.html``) or holds a query. Its
    # last path segment and query come from the href, or from the base for an href without
    # a path (``http:``, ``;x``, ``#x``): the other links are not resolved (resolving every
    # menu and article link cost more than the rest). An href with a path of its own names
    # a paged document only if it ends in one (:func:`may_end_paged`), whatever the base.
    inherits = "_" in base or "?" in base
    for link in links:
        href = link.get("href")
        if not href or not (
            "?" in href
            or (inherits and (":" in href or ";" in href))
            or ("_" in href and ("#" in href or may_end_paged(href)))
        ):
            continue
        url = absolute(base, href)
        if url is None:
            continue
        number = page_number(url)
        if number is None:
            continue
        label = clean_text(link.text_content())
        if label in {"尾页", "末页", "最后一页", "尾 页", "末 页"}:
            return PagerInfo(number, url)
        if best is None or number > best[0]:
            best = (number, url)
    if best is None:
        return PagerInfo()
    return PagerInfo(best[0], best[1])


def _next_link(links: Anchors, base: str, here: str) -> str | None:
    """The 下一页 link's target, unless it leads back to this page (the last page's pager)."""
    for link in links:
        label = text_content(link)
        if not _NEXT_MARK.search(label) or clean_text(label) not in _NEXT_LABELS:
            continue
        url = absolute(base, link.get("href"))
        if url and url.split("#", 1)[0] != here.split("#", 1)[0]:
            return url
    return None


def next_page_url(last_page_url: str | None, page_count: int | None, page: int) -> str | None:
    """Page *page* (1-based, ≥ 2) of a list, from its last page's URL and the page count.

    The last page's URL holds the count in the list's own numbering (TRS ``index_{N-1}``
    is 0-based, ``Index_N.aspx``, ``N_k.html`` and ``page=N`` are 1-based), so swapping
    that number gives any page without knowing the CMS.
    """
    if not last_page_url or not page_count or not 2 <= page <= page_count:
        return None
    path, sep, query = last_page_url.partition("?")
    if sep:
        pairs = parse_qsl(query, keep_blank_values=True)
        for i, (key, value) in enumerate(pairs):
            if PAGE_PARAMS.match(key) and value == str(page_count):
                pairs[i] = (key, str(page))
                return f"{path}?{urlencode(pairs, safe='/')}"
    for value, shift in ((page_count, 0), (page_count - 1, 1)):
        match = re.search(rf"_{value}(\.\w+)$", path) if value >= 1 else None
        if match:
            return f"{path[: match.start()]}_{page - shift}{match.group(1)}{sep}{query}"
    return None


def read_pager(
    root: lxml.html.HtmlElement | None,
    scripts: str,
    text: str,
    base: str,
    here: str = "",
    links: Anchors | None = None,
) -> PagerInfo:
    """Page count, last-page and next-page URLs from the page's scripts, text and links.

    *links*: *root*'s, when the caller shares them.
    """
    links = links if links is not None else Anchors(root)
    info = _read_count(links, scripts, text, base, here or base)
    match = _CREATE_PAGE.search(scripts)
    if match and match.group(1) and int(match.group(2)) + 1 < int(match.group(1)):
        name, ext = match.group(3) or "index", match.group(4) or "html"
        info.next_page_url = _trs_page_url(base, name, ext, int(match.group(2)) + 2)
    else:
        info.next_page_url = _next_link(links, base, here or base)
    return info


def _read_count(links: Anchors, scripts: str, text: str, base: str, here: str) -> PagerInfo:
    match = _CREATE_PAGE.search(scripts)
    if match:
        count = int(match.group(1))
        name, ext = match.group(3) or "index", match.group(4) or "html"
        return PagerInfo(count, _trs_page_url(base, name, ext, count) if count else None)
    match = _COUNT_PAGE.search(scripts)
    if match:
        count = int(match.group(1))
        pager = _from_links(links, base)
        last = pager.last_page_url if pager.page_count == count else None
        return PagerInfo(count, last or _trs_page_url(base, "index", "html", count))
    records, per_page = _RECORD_COUNT.search(scripts), _PREPAGE.search(scripts)
    if records and per_page and int(per_page.group(1)) > 0:
        count = math.ceil(int(records.group(1)) / int(per_page.group(1)))
        # TRS 动静结合 (avalon): pages up to maxStaticIndex are also published as static
        # files (index_1.html …); later ones exist only behind the POST API.
        static = _MAX_STATIC.search(scripts)
        if static and 1 < count <= int(static.group(1)):
            ext = _INDEX_FILE.search(here.split("?", 1)[0])
            return PagerInfo(count, _trs_page_url(base, "index", ext[1] if ext else "html", count))
        return PagerInfo(count, None)
    pager = _from_links(links, base)
    match = _TOTAL_TEXT.search(text)
    if match:
        count = int(match.group(1))
        return PagerInfo(count, pager.last_page_url if pager.page_count == count else None)
    return pager
