"""互动回应差: the letters of consultation columns and the 征集 of 征集调查 columns.

indicators.md row 5: within the last year, a 政务咨询 column (领导信箱, 在线咨询, 留言 …; not
在线访谈, 调查征集, 网上信访, 纪检举报) must not leave a valid letter unanswered for more than
3 months. A letter is *overdue* when it is unanswered after ``defaults.reply_days`` days (90)
or was answered after more than that. A 征集 whose end date has passed without a published
结果反馈 is a problem of its own (扣分 row 调查征集).

The ``portal`` spider hands each interaction column's first list page to
:class:`InteractionReader` (one hook); the reader follows the list's pages back to the
365-day window (at most ``PORTALSPIDER_MAX_MESSAGE_PAGES``) and opens a letter's own page
only when the list leaves a decision open: an answered letter older than ``reply_days``
whose reply date the list does not show (at most ``PORTALSPIDER_MAX_MESSAGE_DETAILS`` per
column). It yields one ``message`` item per letter or 征集 and one ``message_column`` item
per column; :func:`replies_row` turns the columns into the verdict row.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from portalspider.dates import update_or_none
from portalspider.extract.htmlutil import Document
from portalspider.extract.listpage import ListPage, parse_list_page
from portalspider.extract.messages import (
    ANSWERED,
    PENDING,
    Letter,
    parse_letter_list,
    parse_letter_page,
    parse_solicitation_list,
    parse_solicitation_page,
)
from portalspider.extract.pager import next_page_url
from portalspider.items import MessageColumnItem, MessageItem
from portalspider.pages import document_of, response_text
from portalspider.projectsettings import get_int
from portalspider.rules import LETTERS, SOLICITATIONS, interaction_kind
from portalspider.urls import canonical_url, clean_url
from portalspider.verdict import FAIL, PASS, POOR_REPLIES, UNKNOWN, Row

if TYPE_CHECKING:
    from portalspider.spiders.portal import PortalSpider

#: The indicator's window: letters asked within the last year.
WINDOW_DAYS = 365
#: ``defaults.reply_days`` when the site config does not set it (3 months).
REPLY_DAYS = 90
#: List pages read per consultation column at most (the 365-day window usually ends first).
MAX_MESSAGE_PAGES = 10
#: Letters' (or 征集') own pages opened per column at most.
MAX_MESSAGE_DETAILS = 20

# A letter's ``status``: answered in time / answered late / unanswered beyond the limit /
# not yet answered (within it) / reply date unknown.
ANSWERED_OK, LATE, UNANSWERED, WAITING, UNKNOWN_REPLY = (
    "answered",
    "late",
    "unanswered",
    "pending",
    "unknown",
)
# A 征集's ``status``: still open / 结果反馈 published / ended without one.
OPEN, FEEDBACK, NO_FEEDBACK = "open", "feedback", "no_feedback"


@dataclass(frozen=True)
class Judged:
    """A letter's wait and verdict."""

    days: int | None
    status: str
    overdue: bool


def judge_letter(
    asked: dt.date | None,
    replied: dt.date | None,
    state: str | None,
    today: dt.date,
    reply_days: int = REPLY_DAYS,
) -> Judged:
    """Overdue: unanswered after ``reply_days`` days, or answered after more than that."""
    if asked is None:
        return Judged(None, UNKNOWN_REPLY, False)
    if replied is not None and replied >= asked:
        days = (replied - asked).days
        return Judged(days, LATE if days > reply_days else ANSWERED_OK, days > reply_days)
    waited = (today - asked).days
    if state == ANSWERED:
        # Answered, date unknown: the wait was at most ``waited`` days, so within the limit
        # if the letter is younger than it; else nothing can be said.
        return Judged(None, ANSWERED_OK if waited <= reply_days else UNKNOWN_REPLY, False)
    if state == PENDING or state is None:
        over = waited > reply_days
        return Judged(waited, UNANSWERED if over else WAITING, over)
    return Judged(None, UNKNOWN_REPLY, False)


def in_window(day: dt.date | None, today: dt.date) -> bool:
    """Within the last ``WINDOW_DAYS`` days (``today - day < 365``), not in the future."""
    return day is not None and 0 <= (today - day).days < WINDOW_DAYS


def median_days(items: Iterable[MessageItem]) -> float | None:
    """The median days to a reply of the answered letters whose reply date is known."""
    waits = [i.days for i in items if i.replied is not None and i.days is not None]
    return float(statistics.median(waits)) if waits else None


def replies_row(columns: Iterable[Any], incomplete_reason: str | None = None) -> Row:
    """互动回应差 from the ``message_column`` items (or stored rows) of the letter columns.

    ``unknown`` when no consultation column's letters were read; a pass on an incomplete
    crawl is ``unknown`` too (an unread column could fail it); a fail stands.
    """
    read = [c for c in columns if _get(c, "kind") == LETTERS and _get(c, "read")]
    if not read:
        return Row(POOR_REPLIES, UNKNOWN, "未读取到政务咨询类栏目的留言（信件）列表，未能判定")
    overdue = sum(int(_get(c, "overdue") or 0) for c in read)
    total = sum(int(_get(c, "messages") or 0) for c in read)
    limit = max(int(_get(c, "reply_days") or REPLY_DAYS) for c in read)
    detail = (
        f"政务咨询类栏目 {len(read)} 个，近一年留言 {total} 条，超过 {limit} 天未回应 {overdue} 条"
    )
    if overdue:
        return Row(POOR_REPLIES, FAIL, detail)
    if incomplete_reason:
        return Row(POOR_REPLIES, UNKNOWN, f"{detail}；本次检测不完整: {incomplete_reason}")
    partial = [c for c in read if not _get(c, "complete")]
    if partial:
        detail += f"（{len(partial)} 个栏目未读完近一年的列表页）"
    return Row(POOR_REPLIES, PASS, detail)


def _called(callback: Any, arg: Any) -> Iterator[Any]:
    """What a request's callback (or errback) yields for ``arg``."""
    yield from callback(arg) or ()


def _get(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)


@dataclass
class _Reading:
    """One column's reading in progress."""

    column_url: str
    name: str
    kind: str
    reply_days: int
    letters: dict[str, Letter] = field(default_factory=dict)
    solicitations: dict[str, Any] = field(default_factory=dict)
    pages_read: int = 0
    complete: bool = True
    details: list[str] = field(default_factory=list)  # URLs whose own page is to be read
    details_read: int = 0
    from_page: set[str] = field(default_factory=set)
    needed: set[str] = field(default_factory=set)  # keys whose own page had to decide
    # The column's later list pages by URL key, fetched once for this reader and the
    # update-volume reader (``PortalSpider._read_column``): both read a mailbox's page 2.
    pages: dict[str, _SharedPage] = field(default_factory=dict)


@dataclass
class _SharedPage:
    """One later list page: its response (or failure) once fetched, and the requests of
    the readers waiting for it (each keeps its own callback and meta)."""

    response: Response | None = None
    failure: Failure | None = None
    waiters: list[scrapy.Request] = field(default_factory=list)


class InteractionReader:
    """The crawl side: pages of one spider's consultation and 征集 columns."""

    def __init__(self, spider: PortalSpider) -> None:
        self.spider = spider
        settings = spider.crawler.settings if hasattr(spider, "crawler") else None
        self.max_pages = max(
            1, get_int(settings, "PORTALSPIDER_MAX_MESSAGE_PAGES", MAX_MESSAGE_PAGES)
        )
        self.max_details = max(
            0, get_int(settings, "PORTALSPIDER_MAX_MESSAGE_DETAILS", MAX_MESSAGE_DETAILS)
        )
        self.readings: dict[str, _Reading] = {}  # column URL key → its reading

    @property
    def today(self) -> dt.date:
        return self.spider.today

    def column_page(
        self, text: str | Document, page: ListPage, name: str, path: list[str], column_url: str
    ) -> Iterator[Any]:
        """The hook: a column's first list page. Nothing for columns that are neither."""
        res = self.spider.rules.resolve(column_url, name, path)
        category = res.category_for(
            name,
            path=path,
            url=column_url,
            meta_name=page.meta.get("columnname"),
            meta_type=page.meta.get("columntype"),
        )
        kind = interaction_kind(
            category, name, url=column_url, meta_name=page.meta.get("columnname")
        )
        key = canonical_url(column_url)
        if kind is None or key in self.readings:
            return
        reading = self.readings[key] = _Reading(
            clean_url(column_url), name, kind, self.spider.config.reply_days or REPLY_DAYS
        )
        yield from self._list_page(reading, text, column_url, page)

    # list pages ------------------------------------------------------------------

    def _list_page(
        self, reading: _Reading, text: str | Document, url: str, page: ListPage
    ) -> Iterator[Any]:
        reading.pages_read += 1
        dates: list[dt.date | None]
        if reading.kind == LETTERS:
            found = parse_letter_list(text, url, self.today)
            if not found.shaped and reading.pages_read == 1:
                yield self._column_item(reading, read=False)
                return
            for letter in found.letters:
                reading.letters.setdefault(canonical_url(letter.url), letter)
            dates = [update_or_none(letter.asked, self.today) for letter in found.letters]
        else:
            rows = parse_solicitation_list(text, url, self.today)
            if not rows and reading.pages_read == 1:
                yield self._column_item(reading, read=False)
                return
            for row in rows:
                reading.solicitations.setdefault(canonical_url(row.url), row)
            dates = [update_or_none(r.start or r.ends, self.today) for r in rows]
        known = [d for d in dates if d is not None]
        window_ended = bool(known) and min(known) < self.today - dt.timedelta(days=WINDOW_DAYS)
        following = page.next_page_url or next_page_url(
            page.last_page_url, page.page_count, reading.pages_read + 1
        )
        if following and not window_ended and dates:
            if reading.pages_read >= self.max_pages:
                reading.complete = False
            elif self.spider.scope.allows(following):
                request = scrapy.Request(
                    following,
                    callback=self.spider.parse_message_list,
                    errback=self.spider.message_list_failed,
                    meta={"reading": reading},
                    dont_filter=True,
                )
                yield from self._shared(reading, request)
                return
        yield from self._plan_details(reading)

    def next_list_page(self, response: Response) -> Iterator[Any]:
        reading: _Reading = response.meta["reading"]
        document = document_of(response)
        page = parse_list_page(document, response.url, self.today, self.spider.scope)
        yield from self._list_page(reading, document, response.url, page)

    def list_failed(self, failure: Failure) -> Iterator[Any]:
        reading: _Reading = failure.request.meta["reading"]
        reading.complete = False
        yield from self._plan_details(reading)

    # list pages shared with the update-volume reader ------------------------------------

    def list_request(self, column_url: str, request: scrapy.Request) -> Iterator[Any]:
        """``request`` for a later list page of ``column_url``: fetched once per crawl when
        this reader reads the column too, else as it is."""
        reading = self.readings.get(canonical_url(column_url))
        if reading is None:
            yield request
        else:
            yield from self._shared(reading, request)

    def _shared(self, reading: _Reading, request: scrapy.Request) -> Iterator[Any]:
        """The page's first request goes out; later ones wait for it, or read it at once."""
        key = canonical_url(request.url)
        page = reading.pages.get(key)
        if page is None:
            reading.pages[key] = _SharedPage(waiters=[request])
            yield request.replace(
                callback=self.spider.parse_shared_page,
                errback=self.spider.shared_page_failed,
                meta={**request.meta, "shared_page": (reading, key)},
            )
        elif page.response is not None:
            yield from _called(request.callback, page.response.replace(request=request))
        elif page.failure is not None:
            page.failure.request = request
            yield from _called(request.errback, page.failure)
        else:
            page.waiters.append(request)

    def shared_page(self, response: Response) -> Iterator[Any]:
        """A shared page arrived: every waiting reader reads it with its own meta."""
        reading, key = response.meta["shared_page"]
        page: _SharedPage = reading.pages[key]
        page.response = response
        waiters, page.waiters = page.waiters, []
        for request in waiters:
            yield from _called(request.callback, response.replace(request=request))

    def shared_page_failed(self, failure: Failure) -> Iterator[Any]:
        reading, key = failure.request.meta["shared_page"]
        page: _SharedPage = reading.pages[key]
        page.failure = failure
        waiters, page.waiters = page.waiters, []
        for request in waiters:
            failure.request = request
            yield from _called(request.errback, failure)

    # own pages ---------------------------------------------------------------------

    def _needs_page(self, reading: _Reading, key: str) -> bool:
        if reading.kind == LETTERS:
            letter = reading.letters[key]
            if not in_window(letter.asked, self.today):
                return False
            judged = judge_letter(
                letter.asked, letter.replied, letter.state, self.today, reading.reply_days
            )
            return judged.status == UNKNOWN_REPLY and letter.asked is not None
        row = reading.solicitations[key]
        if not in_window(row.start or row.ends, self.today) and row.ends is not None:
            return False
        if row.feedback_url:
            return False
        return row.ends is None or row.ends < self.today

    def _plan_details(self, reading: _Reading) -> Iterator[Any]:
        keys = list(reading.letters if reading.kind == LETTERS else reading.solicitations)
        reading.needed = {k for k in keys if self._needs_page(reading, k)}
        reading.details = [k for k in keys if k in reading.needed][: self.max_details]
        yield from self._next_detail(reading)

    def _next_detail(self, reading: _Reading) -> Iterator[Any]:
        while reading.details:
            key = reading.details.pop(0)
            url = (
                reading.letters[key].url
                if reading.kind == LETTERS
                else reading.solicitations[key].url
            )
            if not self.spider.scope.allows(url):
                continue
            yield scrapy.Request(
                url,
                callback=self.spider.parse_message_page,
                errback=self.spider.message_page_failed,
                meta={"reading": reading, "message_key": key},
                dont_filter=True,
            )
            return
        yield from self._finish(reading)

    def own_page(self, response: Response) -> Iterator[Any]:
        reading: _Reading = response.meta["reading"]
        key = response.meta["message_key"]
        text = response_text(response)
        reading.details_read += 1
        if reading.kind == LETTERS:
            letter = reading.letters[key]
            seen = parse_letter_page(text, self.today)
            reading.letters[key] = Letter(
                letter.url,
                letter.title,
                letter.asked or seen.asked,
                letter.replied or seen.replied,
                seen.state or letter.state,
            )
        else:
            row = reading.solicitations[key]
            start, ends, feedback = parse_solicitation_page(text, response.url, self.today)
            reading.solicitations[key] = type(row)(
                row.url, row.title, row.start or start, row.ends or ends, feedback
            )
        reading.from_page.add(key)
        yield from self._next_detail(reading)

    def own_page_failed(self, failure: Failure) -> Iterator[Any]:
        reading: _Reading = failure.request.meta["reading"]
        yield from self._next_detail(reading)

    # results -----------------------------------------------------------------------

    def _finish(self, reading: _Reading) -> Iterator[Any]:
        items = (
            self._letter_items(reading)
            if reading.kind == LETTERS
            else self._solicitation_items(reading)
        )
        yield from items
        item = self._column_item(reading, read=True)
        item.messages = len(items)
        item.overdue = sum(i.overdue for i in items)
        item.unknown = sum(i.status == UNKNOWN_REPLY for i in items)
        item.median_days = median_days(items) if reading.kind == LETTERS else None
        yield item

    def _letter_items(self, reading: _Reading) -> list[MessageItem]:
        out = []
        for key, letter in reading.letters.items():
            asked = update_or_none(letter.asked, self.today)
            if not in_window(asked, self.today):
                continue
            judged = judge_letter(
                asked, letter.replied, letter.state, self.today, reading.reply_days
            )
            out.append(
                MessageItem(
                    column_url=reading.column_url,
                    url=letter.url,
                    title=letter.title,
                    asked=asked.isoformat() if asked else None,
                    replied=letter.replied.isoformat() if letter.replied else None,
                    days=judged.days,
                    kind="letter",
                    status=judged.status,
                    overdue=judged.overdue,
                    source="page" if key in reading.from_page else "list",
                )
            )
        return out

    def _solicitation_items(self, reading: _Reading) -> list[MessageItem]:
        out = []
        for key, row in reading.solicitations.items():
            start = update_or_none(row.start, self.today)
            if not in_window(start or row.ends, self.today):
                continue
            ended = row.ends is not None and row.ends < self.today
            status = FEEDBACK if row.feedback_url else NO_FEEDBACK if ended else OPEN
            if status != FEEDBACK and key in reading.needed and key not in reading.from_page:
                status = UNKNOWN_REPLY  # its page had to tell and was not read: no verdict
            days = (self.today - row.ends).days if ended and row.ends else None
            out.append(
                MessageItem(
                    column_url=reading.column_url,
                    url=row.url,
                    title=row.title,
                    asked=start.isoformat() if start else None,
                    days=days,
                    kind="solicitation",
                    status=status,
                    overdue=status == NO_FEEDBACK,
                    ends=row.ends.isoformat() if row.ends else None,
                    feedback_url=row.feedback_url,
                    source="page" if key in reading.from_page else "list",
                )
            )
        return out

    def _column_item(self, reading: _Reading, *, read: bool) -> MessageColumnItem:
        return MessageColumnItem(
            column_url=reading.column_url,
            name=reading.name,
            kind=reading.kind,
            read=read,
            reply_days=reading.reply_days,
            complete=reading.complete,
            pages_read=reading.pages_read,
            details_read=reading.details_read,
        )


__all__ = [
    "LETTERS",
    "SOLICITATIONS",
    "InteractionReader",
    "judge_letter",
    "median_days",
    "replies_row",
]
