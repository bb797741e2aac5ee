"""Read a column list page: its main list, placeholder, pager, iframes and CMS data stores.

Only dates that belong to the list items count. The page also shows a header clock, footer
years, 索引号, dates inside other links' URLs, mega-menu blocks (year-less ``10-20``), 政民互动
letter boxes and related lists, so the reader picks the *main list region*: items (``li``,
``tr``, ``dd``, ``p``) holding one or two links are grouped by their ancestor chain
(tag, class, id), and the group with the most dated items wins — full dates weigh more than
year-less ones, and groups under nav/menu/header/footer containers weigh less. Avalon
template items (``ms-repeat`` …) are dropped first: they look like a list with empty dates.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

import lxml.etree
import lxml.html

from portalspider.dates import is_update
from portalspider.scope import Scope
from portalspider.urls import canonical_url, is_section_url, same_page

from .cms import (
    detect_cms,
    entries_from_json,
    find_hanweb_stores,
    fujian_search,
    gkmlpt_api_url,
    hanweb_dataproxy_url,
    js_array_entries,
    with_page,
)
from .entries import Entry, entry_from_element, link_elements
from .htmlutil import (
    Document,
    absolute,
    base_url,
    clean_text,
    element_text,
    metas,
    text_content,
)
from .pager import Anchors, read_pager
from .years import resolve_years

__all__ = [
    "COUNT_WINDOWS",
    "DataRequest",
    "Entry",
    "ListPage",
    "Volume",
    "count_within",
    "item_dates",
    "merge_next_page",
    "parse_data_response",
    "parse_list_page",
    "read_list_page",
]

_ITEM_TAGS = ("li", "tr", "dd", "p", "div")
#: Characters outside its links above which an element is a text block, not a list item.
MAX_ITEM_EXTRA_TEXT = 300
# A leaf <div> is a list item only when dated or named like one (layout divs hold links too).
_DIV_ITEM_CLASS = re.compile(r"item|entry|news|list|row|art|doc|info", re.I)
# Container class/id tokens of page furniture. Matched per token ("side-left" must not match
# "ft"), with a few stems also matched inside compound tokens ("subnav", "topmenu").
_NOISE_TOKENS = {
    "nav",
    "menu",
    "header",
    "head",
    "top",
    "topbar",
    "footer",
    "foot",
    "ft",
    "hd",
    "friend",
    "yqlj",
    "link",
    "links",
    "crumb",
    "breadcrumb",
    "position",
    "location",
    "weizhi",
    "dropdown",
    "submenu",
    "banner",
    "search",
    "hdjl",
    "zmhd",
    "letter",
    "xinjian",
    "interview",
    "zxft",
}
_NOISE_STEM = re.compile("nav|menu|footer|header|crumb|friend")
_TOKEN_SPLIT = re.compile(r"[\s_\-]+")
_PLACEHOLDER = re.compile(
    r"暂无(?:信息|数据|内容|记录|相关|文章|新闻|公告|资料)?|正在建设|建设中|"
    r"没有(?:相关|找到)?(?:的)?(?:记录|信息|数据|内容|文章)|无记录|未找到(?:相关)?(?:记录|信息|数据|内容)"
)
_PLACEHOLDER_MARK = re.compile("[暂建没记找]")
_ARTICLE_LABEL = re.compile(r"发\s*布\s*(?:时\s*间|日\s*期)|生\s*成\s*日\s*期|发\s*文\s*日\s*期")
_BREADCRUMB_LABEL = re.compile(r"当前位置|您的位置|您现在的位置|所在位置|当前的位置|现在位置")
_HOME_NAMES = {"首页", "网站首页", "主页", "返回首页", "门户首页", "首 页"}
_DATE_HEADERS = (
    "发布日期",
    "发布时间",
    "生成日期",
    "发文日期",
    "公开日期",
    "成文日期",
    "日期",
    "时间",
)
_SKIP_IFRAME = re.compile(
    r"tianqi|weather|map\.|/map|baidu|amap|qq\.com|weibo|video|player|share|count|stat|"
    r"_files/|ipv6best",
    re.IGNORECASE,
)


@dataclass
class DataRequest:
    """A POST whose JSON reply holds the list (Fujian ``/fjdzapp/search``)."""

    url: str
    method: str
    formdata: dict[str, str]


@dataclass
class ListPage:
    """What a column page says about its list. See the module docstring for the region rule.

    ``breadcrumb`` holds the ancestor names from the 当前位置/CurrChnlCls trail, root first,
    without 首页 and without the column itself (dropped when its link points to this page or
    its name equals the ``ColumnName`` meta). ``data_urls`` are GET URLs to fetch when the
    list is not in the HTML (empty Hanweb datastore → dataproxy.jsp; gkmlpt → api);
    ``data_requests`` are the POST equivalents (Fujian search, only when the static part is
    empty). Feed either reply to :func:`parse_data_response`.
    """

    entries: list[Entry] = field(default_factory=list)
    placeholder: bool = False
    page_count: int | None = None
    last_page_url: str | None = None
    iframe_urls: list[str] = field(default_factory=list)
    data_urls: list[str] = field(default_factory=list)
    cms: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    breadcrumb: list[str] = field(default_factory=list)
    article_like: bool = False
    data_requests: list[DataRequest] = field(default_factory=list)
    #: the column's own name as the trail shows it (the entry dropped from ``breadcrumb``)
    breadcrumb_current: str | None = None
    #: the page shows only part of the list (pinned records); ``data_urls`` hold the rest
    partial: bool = False
    #: the list's next page (下一页, a script pager's next file, a data reply's page + 1)
    next_page_url: str | None = None
    #: list pages joined into this one (:func:`merge_next_page`)
    pages_read: int = 1

    def newest(self, today: date) -> Entry | None:
        """The entry with the latest shown date not after *today* (later ones are typos).

        The max, never the first row: pinned and cross-posted items break the order.
        """
        best: Entry | None = None
        for entry in self.entries:
            if not is_update(entry.date, today):
                continue
            if best is None or entry.date > best.date:  # type: ignore[operator]
                best = entry
        return best

    def update_dates(self, today: date) -> list[date]:
        """The dates of the distinct items listed, future ones dropped (see :func:`item_dates`)."""
        return item_dates(self.entries, today)

    def more_pages(self) -> bool:
        """Whether the list goes on past the pages read."""
        return bool(self.next_page_url) or (self.page_count or 1) > self.pages_read

    def read_back_to(self) -> date | None:
        """How far back the pages read reach: the last dated item in display order.

        The last, not the oldest: a list read as page 1 plus its last page (dates rising)
        ends on its newest items, so the pages between stay unread and nothing is claimed.
        """
        for entry in reversed(self.entries):
            if entry.date is not None and not entry.pinned:
                return entry.date
        return None

    def window_seen(self, today: date, days: int) -> bool:
        """Whether every item of the last *days* days is among the entries read."""
        if not self.more_pages():
            return True
        back = self.read_back_to()
        return back is not None and (today - back).days >= days

    def volume(self, today: date) -> Volume:
        """The update volume the pages read show (see :class:`Volume`)."""
        if self.placeholder or not self.entries:
            return Volume(dict.fromkeys(COUNT_WINDOWS, 0), True, [], None)
        dates = sorted(self.update_dates(today), reverse=True)
        if not dates:
            return Volume(dict.fromkeys(COUNT_WINDOWS), False, None, None)
        back = self.read_back_to()
        seen = None if not self.more_pages() else (today - back).days if back else 0
        return Volume(
            {days: count_within(dates, today, days) for days in COUNT_WINDOWS},
            self.window_seen(today, COUNT_WINDOWS[-1]),
            [d for d in dates if (today - d).days < RECENT_DAYS],
            seen,
        )


#: The update-volume windows of a column item (``items_30d``, ``items_90d``, ``items_365d``).
COUNT_WINDOWS = (30, 90, 365)
#: How far back a column item keeps its item dates: the longest ``min_items.days`` allowed.
RECENT_DAYS = 366


@dataclass(frozen=True)
class Volume:
    """How much a column lists: counts per window (None: the list shows no dates), whether
    they are complete (else lower bounds), the dates behind them (last ``RECENT_DAYS``
    days, newest first) and how many days back the pages read are complete (None: all).
    """

    counts: dict[int, int | None]
    complete: bool
    recent_dates: list[date] | None
    seen_days: int | None


def item_dates(entries: list[Entry], today: date) -> list[date]:
    """Dates of the distinct dated items: one per URL (a pinned item repeated on every page
    counts once), dates after *today* dropped (a data-entry error is no publication).
    """
    seen: set[str] = set()
    out: list[date] = []
    for entry in entries:
        if not is_update(entry.date, today):
            continue
        key = canonical_url(entry.url) if entry.url else entry.title
        if key in seen:
            continue
        seen.add(key)
        out.append(entry.date)  # type: ignore[arg-type]
    return out


def count_within(dates: list[date], today: date, days: int) -> int:
    """Items dated within the last *days* days: ``0 <= today - date < days``."""
    return sum(1 for day in dates if 0 <= (today - day).days < days)


def merge_next_page(first: ListPage, following: ListPage) -> ListPage:
    """*first* (pages read so far) with the list's next page joined on at its end."""
    return replace(
        first,
        entries=[*first.entries, *following.entries],
        next_page_url=following.next_page_url,
        pages_read=first.pages_read + 1,
        page_count=first.page_count or following.page_count,
    )


# --------------------------------------------------------------------------- helpers


def _ancestors(element: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    found = []
    parent = element.getparent()
    while parent is not None:
        found.append(parent)
        parent = parent.getparent()
    return found


class _Ancestry:
    """Per-page memo of what items inherit from their containers: the (tag, class, id) chain
    that groups items and whether a container is page furniture (:func:`_noisy`); and the
    links under an element. Items share their containers, so each is looked at once.

    Keyed by the element itself (lxml proxies are stable while referenced, as here).
    """

    def __init__(self) -> None:
        #: :meth:`chain`'s numbers, by element
        self.chains: dict[lxml.html.HtmlElement, int] = {}
        self._numbers: dict[tuple[tuple[str, str, str], int], int] = {}
        self._noisy: dict[lxml.html.HtmlElement, bool] = {}
        self._links: dict[lxml.html.HtmlElement, list[lxml.html.HtmlElement]] = {}

    def chain(self, element: lxml.html.HtmlElement | None) -> int:
        """A number for the (tag, class, id) of *element* and each of its ancestors: equal
        chains get equal numbers (a group key hashed in one step, not a tuple per level)."""
        if element is None:
            return 0
        found = self.chains.get(element)
        if found is None:
            own = (
                element.tag,
                (element.get("class") or "").strip(),
                (element.get("id") or "").strip(),
            )
            key = (own, self.chain(element.getparent()))
            found = self._numbers.setdefault(key, len(self._numbers) + 1)
            self.chains[element] = found
        return found

    def noisy(self, element: lxml.html.HtmlElement | None) -> bool:
        """:func:`_noisy`, from the memo."""
        if element is None:
            return False
        found = self._noisy.get(element)
        if found is None:
            found = _noisy_itself(element) or self.noisy(element.getparent())
            self._noisy[element] = found
        return found

    def all_noisy(self, items: list[_Candidate]) -> bool:
        """Whether every item's container is page furniture (each container asked once)."""
        last = None
        for _, _, container in items:
            if container is not last and not self.noisy(container):
                return False
            last = container
        return True

    def links(self, element: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
        """:func:`link_elements` up to three: an item holds one or two, and a block of
        menus need not be read to the end to know it is none."""
        found = self._links.get(element)
        if found is None:
            found = self._links[element] = link_elements(element, limit=3)
        return found


#: A candidate list item: its position among the page's items, itself, its container.
_Candidate = tuple[int, lxml.html.HtmlElement, lxml.html.HtmlElement | None]


def _noisy(element: lxml.html.HtmlElement) -> bool:
    """Whether the item sits in a nav/menu/header/footer-like container."""
    return any(_noisy_itself(ancestor) for ancestor in [element, *_ancestors(element)])


def _noisy_itself(element: lxml.html.HtmlElement) -> bool:
    """Whether this very element is a nav/menu/header/footer-like container."""
    if element.tag in {"nav", "header", "footer"}:
        return True
    get = element.get
    return _noisy_label(f"{get('class') or ''} {get('id') or ''} {get('role') or ''}".lower())


@lru_cache(maxsize=4096)
def _noisy_label(label: str) -> bool:
    """Whether a container's lowered "class id role" names page furniture (containers'
    labels repeat from page to page)."""
    # A stem holds no separator: inside the label, it is inside a token.
    if _NOISE_STEM.search(label):
        return True
    return any(token in _NOISE_TOKENS for token in _TOKEN_SPLIT.split(label))


def _table_date_cells(
    root: lxml.html.HtmlElement,
) -> dict[lxml.html.HtmlElement, lxml.html.HtmlElement]:
    """For 信息公开目录-style tables: data row → the cell under the date header.

    Keyed by the element itself: lxml proxies are only stable while referenced, so ``id()``
    of a row that is not kept alive could be reused by another element.
    """
    cells: dict[lxml.html.HtmlElement, lxml.html.HtmlElement] = {}
    for table in root.iter("table"):
        # Every date header holds 期 or 间: layout tables are passed over in one C call
        # instead of cleaning the text of each of their rows.
        if not _HEADER_MARK.search(table.text_content()):
            continue
        rows = [tr for tr in table.iter("tr") if _nearest_table(tr) is table]
        column: int | None = None
        for index, row in enumerate(rows):
            row_cells = [c for c in row if c.tag in ("td", "th")]
            if column is not None:
                if column < len(row_cells):
                    cells[row] = row_cells[column]
                continue
            column = _date_column(row, row_cells)
            if column is None and index > 2:
                break
    return cells


_HEADER_MARK = re.compile("[期间]")


def _date_column(row: lxml.html.HtmlElement, row_cells: list[lxml.html.HtmlElement]) -> int | None:
    """The index of the date header in a table's header row, else None."""
    texts = [clean_text(c.text_content()).replace(" ", "") for c in row_cells]
    titled = any(t in ("名称", "标题", "文件名称", "信息名称") for t in texts)
    if titled or row.find("th") is not None:
        for header in _DATE_HEADERS:
            if header in texts:
                return texts.index(header)
    return None


def _nearest_table(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    parent = element.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _is_container(element: lxml.html.HtmlElement, links: list[lxml.html.HtmlElement]) -> bool:
    """An item that holds other linked items (a menu ``li`` with a sub-list, a layout row).

    Inner ``div``s only make a ``div`` a container: ``<li><div><a/></div><span/></li>``
    is one item, and so is a ``div`` of one link in a title box beside a date box
    (``<div class="item"><div><a/></div><div>2024-01-02</div></div>``).

    *links*: all the links under *element* (fewer than :meth:`_Ancestry.links` stops at). An
    inner item holds a link only if it holds one of these, so only the elements between them
    and *element* are looked at, not the item's whole subtree.
    """
    tags = _ITEM_TAG_SET if element.tag == "div" and len(links) != 1 else _INNER_TAGS
    for link in links:
        holder = link.getparent()
        while holder is not None and holder is not element:
            if holder.tag in tags:
                return True
            holder = holder.getparent()
    return False


_ITEM_TAG_SET = frozenset(_ITEM_TAGS)
_INNER_TAGS = _ITEM_TAG_SET - {"div"}


def _main_list(root: lxml.html.HtmlElement, base: str, today: date) -> list[Entry]:
    date_cells = _table_date_cells(root)
    memo = _Ancestry()
    # Candidate items grouped by their ancestor chain, in document order. A group is judged
    # by the container of its first item that reads as an entry: page furniture (menus,
    # mega-menu boxes of letters and teasers, the header clock, footers) is never the list,
    # dated or not, so its items are not read at all.
    candidates: dict[tuple[str, int], list[_Candidate]] = defaultdict(list)
    chain, known = memo.chain, memo.chains
    for position, element in enumerate(root.iter(*_ITEM_TAGS)):
        # Grouped by the item's tag and its ancestors' (tag, class, id); judged by its
        # container: a ``div`` item itself, else its parent.
        parent = element.getparent()
        tag = element.tag
        container = element if tag == "div" else parent
        number = known.get(parent)  # items share parents: mostly known, no call
        if number is None:
            number = chain(parent)
        candidates[tag, number].append((position, element, container))
    # Judged by the container (a group shares its ancestors): an item's own class
    # (``<li class="top">`` marks a pinned item) says nothing about page furniture.
    groups: list[tuple[int, list[Entry]]] = []
    for items in candidates.values():
        if memo.all_noisy(items):
            continue
        members: list[Entry] = []
        first_position = 0
        for position, element, container in items:
            entry = _item_entry(element, base, today, date_cells, memo)
            if entry is None:
                continue
            if not members:
                if memo.noisy(container):
                    break
                first_position = position
            members.append(entry)
        if members:
            groups.append((first_position, members))
    groups.sort(key=lambda group: group[0])  # ties go to the group that starts first
    return _best_group([members for _, members in groups])


def _best_group(groups: list[list[Entry]]) -> list[Entry]:
    """The main list among the candidate groups (in document order; ties go to the first).

    Any dated group beats every undated one (navigation lists are long but dateless); the
    score only decides between groups alike in that, so a lone dated group is not scored.
    """
    dated = [any(e.date is not None for e in members) for members in groups]
    wanted = any(dated)
    finalists = [members for members, own in zip(groups, dated, strict=True) if own == wanted]
    if len(finalists) <= 1:
        return finalists[0] if finalists else []
    best: list[Entry] = []
    best_score: float | None = None
    for members in finalists:
        score = _score(members)
        if best_score is None or score > best_score:
            best_score, best = score, members
    return best


def _score(members: list[Entry]) -> float:
    """How much a group reads as the list: full dates weigh more than year-less ones."""
    full = sum(1 for e in members if e.date is not None and e.date_has_year)
    yearless = sum(1 for e in members if e.date is not None and not e.date_has_year)
    articles = sum(1 for e in members if not is_section_url(e.url))
    # Articles (files under dated folders, content_N.html) rather than sections (/x/):
    # tells an undated list from the side navigation beside it.
    return 3 * full + yearless + 0.5 * len(members) + articles - 0.5 * (len(members) - articles)


def _item_entry(
    element: lxml.html.HtmlElement,
    base: str,
    today: date,
    date_cells: dict[lxml.html.HtmlElement, lxml.html.HtmlElement],
    memo: _Ancestry,
) -> Entry | None:
    """The entry a candidate list item holds, or None when it is no list item."""
    links = memo.links(element)  # all of them: an item holds fewer than the memo's limit
    if not 1 <= len(links) <= 2 or _is_container(element, links):
        return None
    # A paragraph of text around a link is no list item; a long title (over 300
    # characters, the link's own text) is.
    outside = element_text(element, frozenset(map(id, links)))
    if len(outside) > MAX_ITEM_EXTRA_TEXT:
        return None
    entry = entry_from_element(element, base, today, date_cells.get(element), links, outside)
    if entry is None:
        return None
    if (
        element.tag == "div"
        and entry.date is None
        and not _DIV_ITEM_CLASS.search(element.get("class") or "")
    ):
        return None
    return entry


def _mark_old_leaders(entries: list[Entry]) -> None:
    """Leading items older than the next one in an otherwise newest-first list are pinned."""
    dated = [e for e in entries if e.date is not None]
    if len(dated) < 4:
        return
    index = 0
    while index + 1 < len(dated) and dated[index].date < dated[index + 1].date:  # type: ignore[operator]
        index += 1
    rest = dated[index:]
    if index and all(a.date >= b.date for a, b in itertools.pairwise(rest)):  # type: ignore[operator]
        for entry in dated[:index]:
            entry.pinned = True


def _has_placeholder(root: lxml.html.HtmlElement) -> bool:
    # Every placeholder holds one of these (cleaning only drops characters): most pages
    # are passed in one C call, and most pieces of text are not cleaned.
    if not _PLACEHOLDER_MARK.search(root.text_content() + (root.tail or "")):
        return False
    body = root.find("body")
    for element in (body if body is not None else root).iter():
        if not isinstance(element.tag, str):
            continue
        # Each lxml .text read is a new string: which piece is the element's own is kept
        # beside it, not found again by identity.
        for piece, own in ((element.text, True), (element.tail, False)):
            if not piece or not _PLACEHOLDER_MARK.search(piece):
                continue
            text = clean_text(piece)
            if text and len(text) <= 40 and _PLACEHOLDER.search(text):
                holder = element if own else element.getparent()
                if holder is None or not _noisy(holder):
                    return True
    return False


def _breadcrumb(
    root: lxml.html.HtmlElement,
    base: str,
    url: str,
    column: str,
    may_mark: bool = True,
    anchors: Anchors | None = None,
) -> tuple[list[str], str | None]:
    """Ancestor names (root first, no 首页) and the column's own name when recognised.

    *may_mark*: whether the page can hold TRS's ``CurrChnlCls`` links; *anchors*: *root*'s
    links, when the caller has them listed.
    """
    links = _current_channel_links(
        root, anchors if anchors is not None else Anchors(root), may_mark
    )
    if links and links[0].getparent() is not None:
        # Some templates mark only the current column: the trail is its container's links.
        links = [a for a in links[0].getparent().iter("a") if (a.get("href") or "").strip()]
    if not links:
        for holder in _labelled_holders(root):
            for _ in range(4):
                if holder is None:
                    break
                links = [a for a in holder.iter("a") if (a.get("href") or "").strip()]
                if links:
                    break
                holder = holder.getparent()
            if links:
                break
    names: list[tuple[str, str | None]] = []
    for link in links:
        name = clean_text(text_content(link)) or clean_text(link.get("title"))
        if name and name not in _HOME_NAMES:
            names.append((name, absolute(base, link.get("href"))))
    current = None
    if names and (
        (names[-1][1] and same_page(names[-1][1], url)) or (column and names[-1][0] == column)
    ):
        current = names.pop()[0]
    return [name for name, _ in names], current


def _current_channel_links(
    root: lxml.html.HtmlElement, anchors: Anchors, may_hold: bool
) -> list[lxml.html.HtmlElement]:
    """Links below *root* marked ``class="CurrChnlCls"`` (TRS, any case), where the page
    *may_hold* them (its lowered bytes hold ``currchnlcls``): read off *root*'s links as the
    pager lists them (an XPath picking the classed ones cost more than both together)."""
    if not may_hold:
        return []
    return [a for a in anchors if "currchnlcls" in (a.get("class") or "").lower() and a is not root]


def _labelled_holders(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement | None]:
    """The elements holding a 当前位置 label, in the order of a walk over the page: each
    element's own text, else its tail (whose holder is its parent).

    Every label holds 位置: the text pieces holding it are found in C, not by reading
    every element's text.
    """
    found: dict[lxml.html.HtmlElement, bool] = {}  # owner → its own text holds the label
    for piece in _PIECES_WITH_PLACE(root):
        owner = piece.getparent()
        if owner is None or not isinstance(owner.tag, str):
            continue
        if _BREADCRUMB_LABEL.search(piece) and (piece.is_text or owner not in found):
            found[owner] = piece.is_text  # its text before its tail
    # Mostly one label: the walk's order is only worked out between several.
    owners = sorted(found, key=_WALK_POSITION) if len(found) > 1 else list(found)
    return [owner if found[owner] else owner.getparent() for owner in owners]


_PIECES_WITH_PLACE = lxml.etree.XPath("descendant-or-self::text()[contains(., '位置')]")
# An element's place in a walk of the tree (``iter()``'s order): the elements before it.
_WALK_POSITION = lxml.etree.XPath("count(ancestor::* | preceding::*)")


def _iframes(root: lxml.html.HtmlElement, base: str, url: str, scope: Scope) -> list[str]:
    found: list[str] = []
    for frame in root.iter("iframe", "frame"):
        src = absolute(base, frame.get("src"))
        if src is None or _SKIP_IFRAME.search(src) or "interceptor" in (frame.get("class") or ""):
            continue
        if not scope.allows(src):
            continue
        height = (frame.get("height") or "").strip().rstrip("px")
        if height.isdigit() and int(height) < 60:
            continue
        if src not in found and not same_page(src, url):
            found.append(src)
    return found


def _article_like(root: lxml.html.HtmlElement, meta: dict[str, str], dated: int, text: str) -> bool:
    """*text*: the page's visible text."""
    if any(key in meta for key in ("articletitle", "pubdate", "firstpublishedtime")):
        return True
    if dated >= 5:
        return False
    body_text = sum(len(clean_text(p.text_content())) for p in root.iter("p"))
    return body_text > 600 and bool(_ARTICLE_LABEL.search(text))


# --------------------------------------------------------------------------- API


def parse_list_page(
    html: str | Document, url: str, today: date, scope: Scope | None = None
) -> ListPage:
    """Read a column list page. *url* is the page's final URL (relative links resolve on it).

    Iframes outside ``scope`` (default: the portal of *url*) are widgets, not the list.
    *html* may be the page's :class:`~.htmlutil.Document` (parsed once, shared).
    """
    page = read_list_page(html, url, today, scope)
    assert page is not None  # every page is read to the end when no dated entry is asked
    return page


def read_list_page(
    html: str | Document, url: str, today: date, scope: Scope | None = None, min_dated: int = 0
) -> ListPage | None:
    """:func:`parse_list_page`, or None when its entries hold fewer than *min_dated* dates:
    then the rest of the page (pager, trail, frames, placeholder) is not read (a hub's own
    list is kept only when it dates five items or more, and most hubs date none).
    """
    doc = Document.of(html)
    html = doc.html
    # Markers are searched in the page's lowered bytes: the CMS fingerprints; no ``<data``
    # (of ``<datastore>``), no Hanweb store.
    lowered = doc.lowered
    page = ListPage()
    # Read from the document's copy without scripts and templates: mostly in one C call,
    # where the page's own tree needs a Python walk around its scripts.
    root = doc.reading_tree
    if root is None or doc.root is None:
        if min_dated > 0:
            return None
        page.cms = detect_cms(html or "", url, lowered)
        return page
    base = base_url(root, url)
    scripts = doc.scripts

    # The entries first (no reader below changes the tree or what they read).
    stores = find_hanweb_stores(html, base, today) if b"<data" in lowered else []
    js_entries = js_array_entries(scripts, base, today) if "[" in scripts else []
    entries = _main_list(root, base, today)
    chosen = None
    if stores:
        column = re.search(r"/col/col(\d+)/", url)
        chosen = max(
            stores,
            key=lambda s: (bool(column and s.column_id() == column.group(1)), len(s.entries)),
        )
        if chosen.entries:
            entries = chosen.entries
    if sum(e.date is not None for e in js_entries) > sum(e.date is not None for e in entries):
        entries = js_entries
    page.entries = entries
    resolve_years(page.entries, today)
    dated = sum(e.date is not None for e in entries)
    if dated < min_dated:
        return None

    page.cms = detect_cms(html or "", url, lowered)
    page.meta = metas(root)
    page.iframe_urls = _iframes(root, base, url, scope or Scope.for_site(url))
    text = doc.visible_text
    anchors = Anchors(root)
    pager = read_pager(root, scripts, text, base, url, anchors)
    page.page_count, page.last_page_url = pager.page_count, pager.last_page_url
    page.next_page_url = pager.next_page_url
    page.breadcrumb, page.breadcrumb_current = _breadcrumb(
        root, base, url, page.meta.get("columnname", ""), b"currchnlcls" in lowered, anchors
    )
    if chosen is not None:  # the store's paging over the pager's
        if chosen.next_url and chosen.total_page:
            page.page_count = chosen.total_page
            page.last_page_url = with_page(chosen.next_url, chosen.total_page)
        if chosen.next_url and chosen.entries:
            page.next_page_url = chosen.next_url  # the proxy's next group of records
        if not chosen.entries:
            proxy = chosen.next_url or hanweb_dataproxy_url(html, base)
            if proxy:
                page.data_urls.append(with_page(proxy, 1))
        elif not chosen.next_url and all(e.pinned for e in chosen.entries):
            # Only the pinned records are in the page; the list itself comes from the proxy.
            proxy = hanweb_dataproxy_url(html, base)
            if proxy:
                page.data_urls.append(with_page(proxy, 1))
                page.partial = True

    if page.cms == "gkmlpt" and not dated:
        api = gkmlpt_api_url(html, url)
        if api:
            page.data_urls.append(api)
    if page.cms == "hanweb" and not stores and not dated:
        proxy = hanweb_dataproxy_url(html, base)
        if proxy:
            page.data_urls.append(proxy)
    if page.cms == "fujian" and not dated:
        search = fujian_search(html, base, 1)
        if search:
            page.data_requests.append(DataRequest(search[0], "POST", search[1]))

    _mark_old_leaders(page.entries)
    page.placeholder = not dated and _has_placeholder(root)
    if page.placeholder and not any(e.date for e in entries):
        page.entries = []
    page.article_like = _article_like(root, page.meta, dated, text)
    return page


def _next_data_page(url: str, pages: int | None) -> str | None:
    """A data reply's next page: its ``page`` parameter plus one, while within the count."""
    match = re.search(r"[?&]page=(\d+)", url)
    current = int(match.group(1)) if match else 1
    return with_page(url, current + 1) if pages and current < pages else None


def parse_data_response(
    body: str | Document, url: str, today: date, scope: Scope | None = None
) -> ListPage:
    """Read a data reply: Hanweb dataproxy XML, gkmlpt or Fujian search JSON, else HTML.

    *body* may be the reply's :class:`~.htmlutil.Document` (parsed once, shared).
    """
    import json  # local: only data replies need it

    text = body.html if isinstance(body, Document) else body
    stripped = (text or "").lstrip("\ufeff \r\n\t")
    if stripped[:1] in ("{", "["):
        try:
            data = json.loads(stripped)
        except ValueError:
            data = None
        if data is not None:
            entries, pages = entries_from_json(data, url, today)
            page = ListPage(entries=entries, page_count=pages)
            page.next_page_url = _next_data_page(url, pages)
            page.cms = "gkmlpt" if "/gkmlpt/" in url else ("fujian" if "fjdzapp" in url else None)
            page.placeholder = not entries
            resolve_years(page.entries, today)
            _mark_old_leaders(page.entries)
            return page
    if "<datastore>" in stripped.lower():
        stores = find_hanweb_stores(stripped, url, today)
        page = ListPage(cms="hanweb")
        for store in stores:
            page.entries.extend(store.entries)
            if store.total_page:
                page.page_count = store.total_page
            elif store.total_record and store.per_page:
                page.page_count = -(-store.total_record // store.per_page)
        if page.page_count and "dataproxy" in url:
            page.last_page_url = with_page(url, page.page_count)
            page.next_page_url = _next_data_page(url, page.page_count)
        page.placeholder = not page.entries
        resolve_years(page.entries, today)
        _mark_old_leaders(page.entries)
        return page
    return parse_list_page(body, url, today, scope)
