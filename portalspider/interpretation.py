"""解读回应: do the policy documents and their interpretations link to each other?

Run by the ``portal`` spider after its columns are read (``PortalSpider.crawl_drained``):

1. *Documents*: the items of the last ``WINDOW_DAYS`` days on the list pages read of the
   policy columns (category ``policy``) that are not interpretation columns (政策文件,
   规范性文件, 县政府文件 …). Each document page is opened and its interpretation links
   read (``extract.interpretation``).
2. *Interpretations*: the pages those links lead to, then the items of the same window in
   the interpretation columns (政策解读, 图解 …, ``rules.is_interpretation_name``). Each is
   read for its links: does it link back to the document (same page by
   ``urls.canonical_url``)?

Each document gets a ``policy`` item with its ``state``: ``two_way``; ``doc_only`` (the
document links an interpretation that does not link back) and ``interp_only`` (an
interpretation links the document, the document does not link it), both one-way;
``missing`` (no link either way); ``unverified`` (its interpretation page could not be
read). One-way and missing are problems of the unit owning the document's column. One
``interpretations`` item sums the crawl up: the share with two-way links and the count of
interpretations against documents over the window (偏少 below ``min_ratio``).

Cost: these pages are extra requests, counted in the crawl's request budget
(``bounds.CrawlBounds``), at most ``max(PORTALSPIDER_POLICY_PAGES,
PORTALSPIDER_POLICY_PAGES_PER_COLUMN × columns)`` per crawl, half for documents. When
that cap leaves documents unread, the ones never checked by an earlier crawl go first, then
those checked longest ago (``store.policies.last_checked``): a large portal is covered over
several crawls, and the HTTP cache makes a re-read page cheap (304).
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from portalspider.dates import is_update
from portalspider.extract.article import parse_article_date
from portalspider.extract.encoding import decode_html
from portalspider.extract.entries import Entry
from portalspider.extract.errorpage import error_page_reason
from portalspider.extract.htmlutil import Document, strip_controls
from portalspider.extract.interpretation import (
    content_links,
    interpretation_links,
    linked_pages,
    source_links,
)
from portalspider.extract.listpage import ListPage
from portalspider.items import InterpretationsItem, PolicyItem
from portalspider.projectsettings import get_bool, get_float, get_int
from portalspider.rules import is_interpretation_name
from portalspider.urls import canonical_url, clean_url, is_attachment
from portalspider.vocab import (
    FEW_INTERPRETATIONS,
    POLICY_STATES,
    POLICY_WINDOW_DAYS,
)

logger = logging.getLogger(__name__)

WINDOW_DAYS = POLICY_WINDOW_DAYS
TWO_WAY, DOC_ONLY, INTERP_ONLY, MISSING, UNVERIFIED = POLICY_STATES
FEW = FEW_INTERPRETATIONS


@dataclass(frozen=True)
class PolicySettings:
    """The check's knobs (README "Settings")."""

    # The defaults' one home: the crawl command checks the settings through ``from_settings``.
    enabled: bool = True  # PORTALSPIDER_POLICY_CHECK (README: its measured cost)
    pages: int = 100  # PORTALSPIDER_POLICY_PAGES: pages per crawl at least
    pages_per_column: float = 0.2  # PORTALSPIDER_POLICY_PAGES_PER_COLUMN: more on big portals
    min_ratio: float = 0.5  # PORTALSPIDER_INTERPRETATION_RATIO: 偏少 below this share

    @classmethod
    def from_settings(cls, settings: Any) -> PolicySettings:
        return cls(
            enabled=get_bool(settings, "PORTALSPIDER_POLICY_CHECK", cls.enabled),
            pages=max(0, get_int(settings, "PORTALSPIDER_POLICY_PAGES", cls.pages)),
            pages_per_column=max(
                0.0,
                get_float(settings, "PORTALSPIDER_POLICY_PAGES_PER_COLUMN", cls.pages_per_column),
            ),
            min_ratio=max(
                0.0, get_float(settings, "PORTALSPIDER_INTERPRETATION_RATIO", cls.min_ratio)
            ),
        )

    def cap(self, columns: int) -> int:
        return max(self.pages, int(self.pages_per_column * columns))


@dataclass
class Listed:
    """A list item of a policy column within the window (or without a date to tell)."""

    url: str
    key: str
    title: str
    date: dt.date | None
    column_url: str


@dataclass
class PolicyColumn:
    url: str
    name: str
    unit: str | None
    interpretation: bool
    items_365d: int | None
    counts_complete: bool
    entries: list[Listed] = field(default_factory=list)


@dataclass
class PageRead:
    """One opened page: its date and links (``error`` when it could not be read)."""

    date: dt.date | None = None
    error: str | None = None
    interpretations: list[Any] = field(default_factory=list)  # document: its 解读 links
    links: set[str] = field(default_factory=set)  # interpretation: every content link
    sources: list[Any] = field(default_factory=list)  # interpretation: its 原文 links


class PolicyCheck:
    """The spider's 解读回应 check; the spider calls ``note_page``, ``note_column``,
    ``next_requests`` (until empty) and ``items``."""

    def __init__(
        self,
        settings: PolicySettings,
        today: dt.date,
        *,
        allows: Callable[[str], bool],
        over_budget: Callable[[int], bool],
        known_pages: set[str],
        last_checked: Callable[[], dict[str, int]] | None = None,
    ) -> None:
        self.settings = settings
        self.today = today
        self.allows = allows  # the crawl's scope
        self.over_budget = over_budget  # would n more requests break the request budget?
        self.known_pages = known_pages  # canonical URLs of columns and channels
        self.last_checked = last_checked
        self._pages: dict[str, list[Entry]] = {}  # a column's list items, until judged
        self.columns: dict[str, PolicyColumn] = {}
        self.docs: dict[str, Listed] = {}
        self.interps: dict[str, Listed] = {}
        self.read: dict[str, PageRead] = {}
        self.requested: set[str] = set()
        self.phase = 0
        self.cap = 0
        self.unread_docs = 0
        self.unread_interps = 0
        self.stopped_by: str | None = None

    # -- what the column crawl saw ----------------------------------------------------

    def note_page(self, column_url: str, page: ListPage | None) -> None:
        """A column's list pages as read, kept until the judge names its category
        (``note_column``): few columns are policy columns, whose items are then read."""
        if page is None or not self.settings.enabled:
            return
        self._pages[canonical_url(column_url)] = page.entries

    def note_column(self, item: Any) -> None:
        """A judged column item: keep the policy columns read, with their list items."""
        key = canonical_url(item.url)
        listed = self._pages.pop(key, None)
        if not self.settings.enabled or item.category != "policy" or listed is None:
            return
        interp = is_interpretation_name(item.name) or is_interpretation_name(item.meta_column_name)
        self.columns[key] = PolicyColumn(
            url=item.url,
            name=item.name,
            unit=item.unit,
            interpretation=interp,
            items_365d=item.items_365d,
            counts_complete=bool(item.counts_complete),
            entries=self._window(listed, item.url),
        )

    def _window(self, listed: list[Entry], column_url: str) -> list[Listed]:
        """The list items of the window (or without a date to tell), files and pinned out."""
        kept = []
        for e in listed:
            if is_attachment(e.url) or e.pinned:
                continue
            day = e.date if is_update(e.date, self.today) else None
            if e.date is not None and day is None:
                continue  # a future date: a typo, not this year's document
            if day is not None and not self._in_window(day):
                continue
            hint = e.url_date if is_update(e.url_date, self.today) else None
            if day is None and hint is not None and not self._in_window(hint):
                continue
            title = strip_controls(e.title)
            kept.append(Listed(e.url, canonical_url(e.url), title, day, column_url))
        return kept

    def _in_window(self, day: dt.date) -> bool:
        return 0 <= (self.today - day).days < WINDOW_DAYS

    # -- the requests -------------------------------------------------------------------

    def next_requests(self, columns_found: int) -> list[scrapy.Request]:
        """The next phase's requests (documents, then interpretations); [] when done."""
        if not self.settings.enabled:
            return []
        self.phase += 1
        if self.phase == 1:
            self.cap = self.settings.cap(columns_found)
            return self._documents()
        if self.phase == 2:
            return self._interpretations()
        return []

    def _documents(self) -> list[scrapy.Request]:
        known = self.known_pages | set(self.columns)
        by_column = []
        for col in self.columns.values():
            mine = []
            for e in col.entries:
                if e.key in known or e.key in self.docs or e.key in self.interps:
                    continue
                if not self.allows(e.url):
                    continue
                (self.interps if col.interpretation else self.docs)[e.key] = e
                if not col.interpretation:
                    mine.append(e)
            by_column.append(mine)
        order = _round_robin(by_column)
        checked = self.last_checked() if self.last_checked and len(order) > self.cap // 2 else {}
        # Never checked first (0), then the longest ago; the list's own order within that.
        order.sort(key=lambda e: checked.get(e.key, 0))
        chosen = order[: self.cap // 2]
        self.unread_docs = len(order) - len(chosen)
        return self._requests(chosen, self.parse_document)

    def _interpretations(self) -> list[scrapy.Request]:
        linked: list[Listed] = []
        for doc in self.docs.values():
            for link in (self.read.get(doc.key) or PageRead()).interpretations:
                key = canonical_url(link.url)
                if key in self.requested or not self.allows(link.url):
                    continue
                listed = self.interps.get(key) or Listed(link.url, key, link.text, None, "")
                self.interps.setdefault(key, listed)
                linked.append(listed)
        # Then the interpretation columns' own items, round-robin like the documents: the
        # newest of each column first, where an interpretation that alone links its
        # document (interp_only) is likeliest.
        by_column: dict[str, list[Listed]] = {}
        for e in self.interps.values():
            if e.key not in self.requested and e.column_url:
                by_column.setdefault(e.column_url, []).append(e)
        listed_only = _round_robin(list(by_column.values()))
        order: list[Listed] = []
        seen: set[str] = set()
        for e in [*linked, *listed_only]:
            if e.key not in seen:
                seen.add(e.key)
                order.append(e)
        room = max(0, self.cap - len(self.requested))
        chosen = order[:room]
        self.unread_interps = len(order) - len(chosen)
        return self._requests(chosen, self.parse_interpretation)

    def _requests(self, chosen: list[Listed], callback) -> list[scrapy.Request]:
        out = []
        for e in chosen:
            if self.over_budget(len(out) + 1):
                self.stopped_by = "request budget"
                break
            self.requested.add(e.key)
            out.append(
                scrapy.Request(
                    e.url,
                    callback=callback,
                    errback=self.page_failed,
                    meta={"policy_key": e.key},
                    dont_filter=True,
                )
            )
        if len(out) < len(chosen):
            logger.warning(
                "Policy check: %d pages not read (request budget)", len(chosen) - len(out)
            )
        return out

    # -- callbacks ----------------------------------------------------------------------

    def parse_document(self, response: Response) -> Iterator[Any]:
        page = self._page(response)
        if page is not None:
            skip = _AnyOf(self.known_pages, self.columns, self.docs)
            read = self.read[response.meta["policy_key"]]
            read.interpretations = interpretation_links(page, response.url, skip)
        return iter(())

    def parse_interpretation(self, response: Response) -> Iterator[Any]:
        page = self._page(response)
        if page is not None:
            skip = _AnyOf(self.known_pages, self.columns)
            read = self.read[response.meta["policy_key"]]
            rows = content_links(page, response.url)
            read.links = set(linked_pages(page, response.url, rows))
            read.sources = source_links(page, response.url, skip, rows)
        return iter(())

    def _page(self, response: Response) -> Document | None:
        """Record the page's error or its date; the page (parsed once) for its links."""
        key = response.meta["policy_key"]
        page = Document(_text(response))
        error = error_page_reason(page)
        if error:
            self.read[key] = PageRead(error=error)
            return None
        listed = self.docs.get(key) or self.interps.get(key)
        if listed is not None and listed.date is not None:
            # The page's own date only stands in for a list date (``items``, ``_count``):
            # a dated list item's page is not searched for one (a copy of the page and its
            # text walked).
            self.read[key] = PageRead()
            return page
        found = parse_article_date(page, response.url, self.today)
        self.read[key] = PageRead(
            date=found.date if found and is_update(found.date, self.today) else None
        )
        return page

    def page_failed(self, failure: Failure) -> Iterator[Any]:
        key = failure.request.meta["policy_key"]
        self.read[key] = PageRead(error=f"{failure.type.__name__}: {failure.getErrorMessage()}")
        return iter(())

    # -- the results --------------------------------------------------------------------

    def items(self) -> list[Any]:
        """One ``policy`` item per document read, then the ``interpretations`` summary."""
        if not self.settings.enabled or self.phase == 0:
            return []
        pointing: dict[str, list[str]] = {}  # document key → interpretations linking it
        for key, page in self.read.items():
            if key in self.interps and page.error is None:
                for target in page.links:
                    if target in self.docs:
                        pointing.setdefault(target, []).append(key)
        out: list[Any] = []
        for doc in self.docs.values():
            page = self.read.get(doc.key)
            if page is None or page.error is not None:
                continue
            day = doc.date or page.date
            if day is None or not self._in_window(day):
                continue
            out.append(self._item(doc, day, page, pointing.get(doc.key, [])))
        out.append(self._summary(out))
        return out

    def _item(self, doc: Listed, day: dt.date, page: PageRead, pointing: list[str]) -> PolicyItem:
        col = self.columns.get(canonical_url(doc.column_url))
        forward = [canonical_url(link.url) for link in page.interpretations]
        readable = [k for k in forward if k in self.read and self.read[k].error is None]
        back = [k for k in readable if doc.key in self.read[k].links]
        if back:
            state, target, linked_back = TWO_WAY, back[0], True
        elif readable:
            state, target, linked_back = DOC_ONLY, readable[0], False
        elif forward:
            state, target, linked_back = UNVERIFIED, forward[0], None
        elif pointing:
            state, target, linked_back = INTERP_ONLY, pointing[0], True
        else:
            state, target, linked_back = MISSING, None, None
        target_url = None
        if target is not None:
            listed = self.interps.get(target)
            link = next((x for x in page.interpretations if canonical_url(x.url) == target), None)
            target_url = clean_url(link.url if link else listed.url if listed else target)
        return PolicyItem(
            url=clean_url(doc.url),
            title=doc.title,
            date=day.isoformat(),
            interpretation_url=target_url,
            linked_back=linked_back,
            linked_forward=bool(forward),
            state=state,
            column_url=doc.column_url,
            column_name=col.name if col else None,
            unit=col.unit if col else None,
        )

    def _count(self, col: PolicyColumn) -> int | None:
        """The column's items of the window: its list count, else its pages read in it."""
        if col.items_365d is not None:
            return col.items_365d
        days = [
            e.date or (self.read[e.key].date if e.key in self.read else None) for e in col.entries
        ]
        read = [d for d in days if d is not None and self._in_window(d)]
        return len(read) if read else None

    def _summary(self, items: Iterable[PolicyItem]) -> InterpretationsItem:
        items = list(items)
        states = {s: sum(1 for i in items if i.state == s) for s in POLICY_STATES}
        judged = sum(states[s] for s in (TWO_WAY, DOC_ONLY, INTERP_ONLY, MISSING))
        doc_cols = [c for c in self.columns.values() if not c.interpretation]
        interp_cols = [c for c in self.columns.values() if c.interpretation]
        # An undated list counts what its pages read show (a lower bound).
        documents = _total(self._count(c) for c in doc_cols)
        interpretations = _total(self._count(c) for c in interp_cols) if interp_cols else 0
        complete = all(
            c.counts_complete and c.items_365d is not None for c in self.columns.values()
        )
        ratio = (
            round(interpretations / documents, 3)
            if documents and interpretations is not None
            else None
        )
        result = None
        if documents and interpretations is not None:
            result = FEW if interpretations < self.settings.min_ratio * documents else "ok"
        return InterpretationsItem(
            documents_365d=documents,
            interpretations_365d=interpretations,
            counts_complete=complete,
            ratio=ratio,
            min_ratio=self.settings.min_ratio,
            result=result,
            document_columns=[c.url for c in doc_cols],
            interpretation_columns=[c.url for c in interp_cols],
            checked=len(items),
            two_way=states[TWO_WAY],
            doc_only=states[DOC_ONLY],
            interp_only=states[INTERP_ONLY],
            missing=states[MISSING],
            unverified=states[UNVERIFIED],
            two_way_share=round(states[TWO_WAY] / judged, 3) if judged else None,
            unread_documents=self.unread_docs,
            unread_interpretations=self.unread_interps,
            pages=len(self.requested),
            cap=self.cap,
            stopped_by=self.stopped_by,
        )


def _round_robin(groups: list[list[Listed]]) -> list[Listed]:
    """The first item of every column, then the second of each …: a cap spreads fairly."""
    return [e for row in itertools.zip_longest(*groups) for e in row if e is not None]


def _total(values: Iterable[int | None]) -> int | None:
    """A sum, None when a column's list shows no dates to count."""
    total = 0
    for value in values:
        if value is None:
            return None
        total += value
    return total


class _AnyOf:
    """Membership in any of several collections: what a page must not take, without
    building their union (thousands of columns) for each page read."""

    def __init__(self, *parts: Container[str]) -> None:
        self.parts = parts

    def __contains__(self, key: object) -> bool:
        return any(key in part for part in self.parts)


def _text(response: Response) -> str:
    content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
    return decode_html(response.body, content_type)
