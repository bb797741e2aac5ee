"""One list item (li / tr / Hanweb record / JSON row) → :class:`Entry`.

The date of an item is the date *shown* beside its link. Text inside the link (titles such as
"关于2023年10月23日会议…") and attribute values are not the shown date, so they are read only
as a last resort: a date element inside the link (``<a>…<span class="date">…</span></a>``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import lxml.etree
import lxml.html

from ..dates import date_and_year, date_in_url, parse_date
from .htmlutil import absolute, clean_text, element_text, text_content

__all__ = ["Entry", "entry_from_element", "is_pinned_element", "link_elements"]

_DATE_CLASS = re.compile(r"date|time|rq|sj|riqi|shijian|pubtime", re.IGNORECASE)
_PIN_CLASS = re.compile(
    r"(?:^|[\s_-])(?:top|zhiding|zd|stick|sticky|pin)(?:$|[\s_-])", re.IGNORECASE
)
_PIN_TEXT = ("置顶", "【顶】", "[顶]")
# Icon-only markers: .../zd.gif, top.png, icon_top.gif, ding.png.
_PIN_IMAGE = re.compile(r"(?:^|[/_-])(?:zd|top|ding|zhiding|pin)\d*\.(?:gif|png|jpe?g|svg)$", re.I)


@dataclass
class Entry:
    """A list item.

    ``date`` is the date shown beside the item (None when the item shows none);
    ``url_date`` is the date encoded in its URL (a hint only); ``date_has_year`` tells a
    full date from an inferred year-less one (``[09-10]``); ``date_source`` says where the
    date's year came from (:data:`portalspider.extract.years.DATE_SOURCES`), set by
    :func:`~portalspider.extract.years.resolve_years`.
    """

    title: str
    url: str
    date: date | None
    url_date: date | None
    pinned: bool = False
    date_has_year: bool = False
    date_source: str | None = None


def link_elements(
    element: lxml.html.HtmlElement, limit: int | None = None
) -> list[lxml.html.HtmlElement]:
    """Links under *element* that lead to a page (not ``javascript:``/``#``); the first
    *limit* of them when given."""
    found = []
    for a in element.iter("a"):
        href = (a.get("href") or "").strip()
        if href and not href.lower().startswith(("javascript:", "#")):
            found.append(a)
            if len(found) == limit:
                break
    return found


def _main_link(links: list[lxml.html.HtmlElement]) -> lxml.html.HtmlElement:
    """The item's title link: the one with the longest visible text."""
    if len(links) == 1:
        return links[0]  # most items: its text need not be read for this
    return max(links, key=lambda a: len(clean_text(text_content(a))))


def is_pinned_element(element: lxml.html.HtmlElement) -> bool:
    """An explicit 置顶 marker: text, image alt/src, or a top/zhiding class on the item."""
    # Every text marker holds 顶, and the visible text is made of the item's text nodes.
    return _marked_pinned(element) or (
        "顶" in text_content(element) and _pin_text(element_text(element))
    )


def _marked_pinned(element: lxml.html.HtmlElement) -> bool:
    """A top/zhiding class on the item or inside it, or a 置顶 image."""
    for node in element.iter(lxml.etree.Element):
        label = node.get("class")
        if label and _pin_class(label):
            return True
        if node.tag == "img":
            src = node.get("src") or ""
            image = (node.get("alt") or "") + src
            if "置顶" in image or "zhiding" in image or _PIN_IMAGE.search(src):
                return True
    return False


@lru_cache(maxsize=4096)
def _pin_class(label: str) -> bool:
    """Whether a class attribute names a pinned item (item classes repeat on every page)."""
    return _PIN_CLASS.search(label) is not None


def _pin_text(text: str) -> bool:
    return any(marker in text for marker in _PIN_TEXT)


def _pinned_item(
    element: lxml.html.HtmlElement, links: list[lxml.html.HtmlElement], outside: str
) -> bool:
    """:func:`is_pinned_element` for an item whose visible text outside *links* is *outside*:
    a 顶 in the item's visible text is in that text or in a link's own, so the item's whole
    text is read for markers only when one of them holds a 顶."""
    return _marked_pinned(element) or (
        ("顶" in outside or "顶" in "".join(map(text_content, links)))
        and _pin_text(element_text(element))
    )


_INLINE = frozenset(
    ("span", "font", "em", "i", "b", "strong", "small", "time", "label", "cite", "u", "sub", "sup")
)
# Text that is a date and nothing else, brackets allowed: ``2020-01-09``, ``[10-19]``.
_ONLY_DATE = re.compile(
    r"^[\[(（【]?\s*(?:\d{4}\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*[\])）】]?$"
)
_CLOCK = re.compile(r"星期[一二三四五六日天]|今天是|今日是|当前时间|北京时间")
_TRAILING_DATE = re.compile(
    r"[\[(（【]\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)\s*[\])）】]\s*$"
)


def _date_in_link(link: lxml.html.HtmlElement, today: date) -> tuple[date | None, bool]:
    """A date element inside the link: date-classed, ``em``/``i``/``time``, or any inline
    element holding only a date that closes the link text
    (``<a>标题<font class="cont_tit02">2020-01-09</font></a>``)."""
    link_text = element_text(link)
    for node in link.iter():
        if node is link or not isinstance(node.tag, str):
            continue
        text = element_text(node)
        dated_element = _DATE_CLASS.search(node.get("class") or "") or node.tag in {
            "em",
            "i",
            "time",
        }
        closing = node.tag in _INLINE and _ONLY_DATE.match(text) and link_text.endswith(text)
        if dated_element or closing:
            value, full = date_and_year(text, today)
            if value is not None:
                return value, full
    return None, False


def shown_date(
    element: lxml.html.HtmlElement,
    links: list[lxml.html.HtmlElement],
    today: date,
    text: str | None = None,
) -> tuple[date | None, bool]:
    """The date shown in an item outside its links, else in a date element inside a link.

    *text*: the item's visible text outside its links, when the caller has it.
    """
    if text is None:
        text = element_text(element, frozenset(id(a) for a in links))
    found, value, full = (
        _outside_date(text, today) if len(text) <= _CACHED_TEXT else _read_outside(text, today)
    )
    if found:
        return value, full
    for link in links:
        value, full = _date_in_link(link, today)
        if value is not None:
            return value, full
        # "标题[2024-09-10]": a date closing the link text (not one inside the title).
        trailing = _TRAILING_DATE.search(element_text(link))
        if trailing:
            value = parse_date(trailing.group(1), today)
            if value is not None:
                return value, True
    return None, False


def _read_outside(text: str, today: date) -> tuple[bool, date | None, bool]:
    """What the text outside an item's links says of its date: whether that is the answer
    (a date, or the header clock: none), the date and whether it is written with its year."""
    if _CLOCK.search(text):
        return True, None, False  # the header clock (今天是…星期六) is no publication date
    value, full = date_and_year(text, today)
    return value is not None, value, full


# Items' texts outside their links repeat from item to item and page to page (mostly a
# date alone): read once while short.
_CACHED_TEXT = 300
_outside_date = lru_cache(maxsize=16384)(_read_outside)


def entry_from_element(
    element: lxml.html.HtmlElement,
    base: str,
    today: date,
    date_cell: lxml.html.HtmlElement | None = None,
    links: list[lxml.html.HtmlElement] | None = None,
    outside_text: str | None = None,
) -> Entry | None:
    """Build an entry from an item element; None when it has no usable link.

    *date_cell*, when given (信息公开目录 tables), is the only place the date is read from.
    *links* (:func:`link_elements`) and *outside_text* (the visible text outside them), when
    the caller has them, are not read again.
    """
    given = links is not None  # *outside_text* is the text outside these very links
    if links is None:
        links = link_elements(element)
    if not links:
        return None
    link = _main_link(links)
    url = absolute(base, link.get("href"))
    if url is None:
        return None
    title = clean_text(link.get("title")) or clean_text(text_content(link))
    if date_cell is not None:
        shown, full = date_and_year(element_text(date_cell), today)
    else:
        shown, full = shown_date(element, links, today, outside_text)
    return Entry(
        title=title,
        url=url,
        date=shown,
        url_date=date_in_url(url),
        pinned=(
            _pinned_item(element, links, outside_text)
            if given and outside_text is not None
            else is_pinned_element(element)
        ),
        date_has_year=full,
    )
