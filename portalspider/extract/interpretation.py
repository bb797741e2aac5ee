"""Links between a policy document and its interpretation (解读回应), read from their pages.

A document page names its interpretation in one of a few ways (real markups in
``tests/fixtures/realpages``): a link whose text says so (``图文解读：《…》``, ``一图读懂…``,
``《…》政策解读``) in a 关联稿件 list, or any link after a 相关解读 / 政策解读 label
(``<span>相关解读：</span><a>《…》</a>``, a ``<h3>相关解读</h3><ul>…`` block). An
interpretation page links back to its document as 政策原文 / 相关文件 / 原文链接, or simply
with the document's title. Navigation, header and footer links (every page's menu links the
政策解读 column) are never taken, nor links to sections (column list pages).
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from typing import Any

from portalspider.discovery import label_text, page_furniture_test, page_links_view
from portalspider.extract.htmlutil import Document
from portalspider.urls import canonical_url, is_attachment, is_section_url

#: A link's own text naming an interpretation. 数据解读 / 统计解读 are statistics releases.
INTERPRETATION_TEXT = re.compile(r"解读|图解|一图(?:读懂|看懂|速览)|图说|问答")
NOT_INTERPRETATION = re.compile(r"(?:数据|统计)解读")
#: A label or heading introducing interpretation links (the links need not say 解读).
INTERPRETATION_LABEL = re.compile(r"(?<!数据)(?<!统计)解读|图解|一图(?:读懂|看懂|速览)|图说")
#: A label or heading introducing the document an interpretation explains.
SOURCE_LABEL = re.compile(r"政策原文|文件原文|原文链接|相关文件|关联文件|文件链接|原文|政策文件")
#: How far back a label may stand before its link (siblings and ancestors' siblings).
LABEL_REACH = 3
#: A label is short (相关解读：); a long text mentioning 解读 is a paragraph, not a label.
MAX_LABEL_CHARS = 12


@dataclass(frozen=True)
class PageLink:
    """A link on a page: where it goes (absolute) and its text."""

    url: str
    text: str


def _links(document: Document, page_url: str):
    """Content links of the page: ``(a, url, text)``, menus/header/footer left out.

    Read from the page's own tree (``discovery.page_links_view``: resolved as met, no copy).
    """
    here = canonical_url(page_url)
    in_furniture = page_furniture_test()
    for a, href, shown in page_links_view(document, page_url).rows:
        if not href.startswith(("http://", "https://")):
            continue  # a scheme other than the web's
        if in_furniture(a):
            continue
        url = href.split("#", 1)[0]
        if canonical_url(url) == here:
            continue
        yield a, url, label_text(shown or a.get("title"))


def _labelled(a, label: re.Pattern[str]) -> bool:
    """A label matching ``label`` stands just before the link, or heads its block."""
    node = a
    for _ in range(LABEL_REACH):
        prev = node.getprevious()
        steps = 0
        while prev is not None and steps < LABEL_REACH:
            # A label holds no links (a menu or another list does).
            if isinstance(prev.tag, str) and prev.tag != "a" and prev.find(".//a") is None:
                said = label_text(prev.text_content())
                if len(said) <= MAX_LABEL_CHARS and label.search(said):
                    return True
            if prev.tail and label.search(prev.tail):
                return True
            prev, steps = prev.getprevious(), steps + 1
        parent = node.getparent()
        if parent is None:
            return False
        if parent.text and label.search(parent.text):
            return True
        node = parent
    return False


def interpretation_links(
    html: str | Document, page_url: str, skip: Container[str] | None = None
) -> list[PageLink]:
    """The interpretations a document page links, in page order (one per target page).

    ``skip`` holds canonical URLs never to take (the crawl's known columns and channels).
    *html* may be the page's :class:`Document` (parsed once, shared).
    """
    found: dict[str, PageLink] = {}
    for a, url, text in _links(Document.of(html), page_url):
        key = canonical_url(url)
        if key in found or (skip and key in skip) or is_section_url(url) or is_attachment(url):
            continue
        named = bool(INTERPRETATION_TEXT.search(text)) and not NOT_INTERPRETATION.search(text)
        if named or (text and _labelled(a, INTERPRETATION_LABEL)):
            found[key] = PageLink(url, text)
    return list(found.values())


def content_links(html: str | Document, page_url: str) -> list[tuple[Any, str, str]]:
    """:func:`_links` of a page, resolved once for :func:`linked_pages` and
    :func:`source_links` (an interpretation page is read by both)."""
    return list(_links(Document.of(html), page_url))


def linked_pages(
    html: str | Document, page_url: str, rows: list[tuple[Any, str, str]] | None = None
) -> dict[str, PageLink]:
    """Every content link of a page by canonical URL: where an interpretation points.

    *rows*: :func:`content_links` of the page, when already read."""
    out: dict[str, PageLink] = {}
    for _a, url, text in content_links(html, page_url) if rows is None else rows:
        out.setdefault(canonical_url(url), PageLink(url, text))
    return out


def source_links(
    html: str | Document,
    page_url: str,
    skip: Container[str] | None = None,
    rows: list[tuple[Any, str, str]] | None = None,
) -> list[PageLink]:
    """Links an interpretation page gives as its document (政策原文, 相关文件, 《title》).

    *rows*: :func:`content_links` of the page, when already read."""
    out: dict[str, PageLink] = {}
    for a, url, text in content_links(html, page_url) if rows is None else rows:
        key = canonical_url(url)
        if key in out or (skip and key in skip) or is_section_url(url):
            continue
        if INTERPRETATION_TEXT.search(text):
            continue  # another interpretation, not the document
        if SOURCE_LABEL.search(text) or _labelled(a, SOURCE_LABEL):
            out[key] = PageLink(url, text)
    return list(out.values())
