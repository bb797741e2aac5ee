"""Update volume of a paged list from few of its pages: page 1 and the window's boundary page.

A column list is newest first and every page but the last holds the same number of items,
so the items of the last N days are page 1's within the window, plus the full pages between
page 1 and the page where the window ends (each ``per page`` items), plus that boundary
page's items within the window. The boundary page is estimated from the dates read so far
(page 1's density; later, interpolation between the pages read) and read alone; its
neighbour is read when the estimate misses. Pages are reached by their number when the
pager gives the count and the last page's URL (``index_N.html``, ``?page=N``,
``Index_N.aspx``, a data store's ``page=N``), else only one after another.

What was read must bear the assumptions out: every item after page 1 dated and none in the
future, dates falling within and across the pages read, full pages of one size, no page
repeating another's items (a server ignoring the page number). Otherwise the counts are
those of the pages read one after another from page 1, flagged as lower bounds, as are
counts whose boundary page was not reached within ``max_list_pages``. Never more than the
list holds.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from datetime import date

from portalspider.dates import is_update
from portalspider.urls import canonical_url

from .entries import Entry
from .listpage import COUNT_WINDOWS, ListPage, Volume, count_within, item_dates, merge_next_page
from .pager import next_page_url

__all__ = ["PagedList", "WindowCount"]


def _key(entry: Entry) -> str:
    return canonical_url(entry.url) if entry.url else entry.title


@dataclass(frozen=True)
class WindowCount:
    """Items within one window: ``count`` is exact when ``exact``, else a lower bound.

    ``lo``..``hi``: the pages the window's last item may be on (``hi`` None: not known).
    """

    days: int
    count: int
    exact: bool
    lo: int
    hi: int | None


@dataclass
class PagedList:
    """Page 1 of a column list (after its iframe or data store) and the later pages read."""

    first: ListPage
    more: dict[int, ListPage] = field(default_factory=dict)
    failed: bool = False  # a later page could not be read: read no further
    # The joined pages and their volume, asked several times of each set of pages read
    # (whether to read on, then the column item): the pages read → (view, volume by day).
    _read: tuple[tuple[int, ...], ListPage, dict[date, Volume]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def pages_read(self) -> int:
        return 1 + len(self.more)

    def contiguous(self) -> ListPage:
        """Page 1 joined with the later pages read one after another from it."""
        return self._view()[1]

    def _plain(self, today: date) -> Volume:
        """``contiguous().volume(today)``, worked out once per set of pages read."""
        volumes = self._view()[2]
        if today not in volumes:
            volumes[today] = self.contiguous().volume(today)
        return volumes[today]

    def _view(self) -> tuple[tuple[int, ...], ListPage, dict[date, Volume]]:
        numbers = tuple(self.more)
        if self._read is None or self._read[0] != numbers:
            self._read = (numbers, self._join(), {})
        return self._read

    def _join(self) -> ListPage:
        page = self.first
        number = 2
        while number in self.more:
            page = merge_next_page(page, self.more[number])
            number += 1
        return page

    def page_count(self) -> int | None:
        """The number of pages: the pager's count, else known once the last page was read."""
        if self.first.page_count and self.first.page_count >= 1:
            return self.first.page_count
        view = self.contiguous()
        return None if view.more_pages() else view.pages_read

    def page_url(self, number: int) -> str | None:
        """The URL of page *number* (≥ 2), when the pager lets it be reached."""
        view = self.contiguous()
        if number == view.pages_read + 1 and view.next_page_url:
            return view.next_page_url
        return next_page_url(self.first.last_page_url, self.first.page_count, number)

    # ---------------------------------------------------------------- the counting model

    def _regular(self, today: date) -> dict[int, list[Entry]] | None:
        """Per page read, the items in list order (page 1 without its pinned items, later
        pages without page 1's repeats), or None when they break the assumptions."""
        first = [e for e in self.first.entries if not e.pinned and is_update(e.date, today)]
        if not first:
            return None
        pages = {1: first}
        seen = {_key(e) for e in self.first.entries}
        for number in sorted(self.more):
            page = self.more[number]
            items = [e for e in page.entries if _key(e) not in seen]
            if not items or any(e.pinned or not is_update(e.date, today) for e in items):
                return None
            keys = {_key(e) for e in items}
            if len(keys) < len(items):
                return None
            seen |= keys
            pages[number] = items
        ordered = [pages[n] for n in sorted(pages)]
        for items in ordered:
            if any(a.date < b.date for a, b in itertools.pairwise(items)):  # type: ignore[operator]
                return None
        for before, after in itertools.pairwise(ordered):
            if before[-1].date < after[0].date:  # type: ignore[operator]
                return None
        return pages

    def _page_sizes(self, pages: dict[int, list[Entry]]) -> tuple[int, int] | None:
        """Items per full page after page 1 (low and high when page 1 leaves it open), or
        None when the pages read disagree."""
        count = self.page_count()
        pinned = sum(1 for e in self.first.entries if e.pinned)
        # Page 1 is full (the list goes on); its pinned items may or may not take places.
        candidates = {len(self.first.entries) - pinned, len(self.first.entries)}
        full = {len(items) for n, items in pages.items() if n >= 2 and (count is None or n < count)}
        if len(full) > 1:
            return None
        if full:
            size = full.pop()
            return (size, size) if size in candidates else None
        low, high = min(candidates), max(candidates)
        if count and count in pages and count >= 2 and len(pages[count]) > high:
            return None
        return low, high

    def windows(self, today: date) -> dict[int, WindowCount] | None:
        """Each count window's items, or None when the pages read break the assumptions."""
        pages = self._regular(today)
        sizes = self._page_sizes(pages) if pages is not None else None
        if pages is None or sizes is None:
            return None
        count = self.page_count()
        page1 = item_dates(self.first.entries, today)
        out: dict[int, WindowCount] = {}
        for days in COUNT_WINDOWS:
            lo, hi = 1, count
            for number, items in pages.items():
                first_age, last_age = ((today - e.date).days for e in (items[0], items[-1]))  # type: ignore[operator]
                if number > 1:
                    if first_age < days:
                        lo = max(lo, number)
                    else:
                        hi = number - 1 if hi is None else min(hi, number - 1)
                if last_age >= days:
                    hi = number if hi is None else min(hi, number)
            base = count_within(page1, today, days)
            if lo == hi:
                q = lo
                if q == 1:
                    out[days] = WindowCount(days, base, True, 1, 1)
                    continue
                middle = q - 2
                on_q = count_within([e.date for e in pages[q]], today, days)  # type: ignore[misc]
                exact = middle == 0 or sizes[0] == sizes[1]
                out[days] = WindowCount(days, base + middle * sizes[0] + on_q, exact, q, q)
                continue
            best = base
            for number, items in pages.items():
                if number >= 2 and (today - items[0].date).days < days:  # type: ignore[operator]
                    on_page = count_within([e.date for e in items], today, days)  # type: ignore[misc]
                    best = max(best, base + (number - 2) * sizes[0] + on_page)
            out[days] = WindowCount(days, best, False, lo, hi)
        return out

    def volume(self, today: date) -> Volume:
        """The column's update volume (``items_30d`` … and ``counts_complete``).

        The dates behind the 更新较少 rule (``recent_dates``, ``seen_days``) are those of the
        pages read one after another from page 1.
        """
        plain = self._plain(today)
        windows = None if plain.complete else self.windows(today)
        if windows is None:
            return plain
        counts: dict[int, int | None] = {}
        complete = True
        for days, window in windows.items():
            seen = plain.counts[days] or 0
            counts[days] = max(window.count, seen)
            complete = complete and window.exact and window.count >= seen
        return Volume(counts, complete, plain.recent_dates, plain.seen_days)

    def next_page(self, today: date, max_pages: int) -> int | None:
        """The page to read next for exact counts, or None (all exact, or no way on)."""
        if self.failed or self.pages_read >= max_pages:
            return None
        if self._plain(today).complete:
            return None
        windows = self.windows(today)
        if windows is None:
            return None
        pages = self._regular(today)
        assert pages is not None
        contiguous = self.contiguous().pages_read
        for days in sorted(windows, reverse=True):
            window = windows[days]
            if window.exact:
                continue
            hi = window.hi if window.hi is not None else contiguous + 1
            reachable = [
                n
                for n in range(max(window.lo, 2), hi + 1)
                if n not in self.more and self.page_url(n) is not None
            ]
            if not reachable:
                continue
            guess = min(self._estimate(pages, today, days), 10**9)
            return min(reachable, key=lambda n: (abs(n - guess), n))
        return None

    def _estimate(self, pages: dict[int, list[Entry]], today: date, days: int) -> float:
        """The page the window's last item is likely on, from the dates read so far: by
        interpolation between the last item read inside the window and the first read
        beyond it, else by page 1's (and the pages read's) items per day."""
        first = len(pages[1])
        size = max(1, len(self.first.entries))
        for number, items in pages.items():
            if 2 <= number < (self.page_count() or math.inf):
                size = len(items)
        points = []
        for number, items in sorted(pages.items()):
            start = 0 if number == 1 else first + (number - 2) * size
            points += [(start + i, (today - e.date).days) for i, e in enumerate(items)]  # type: ignore[operator]
        inside = [p for p in points if p[1] < days]
        if not inside:
            return 1
        at, age = inside[-1]
        beyond = [p for p in points if p[0] > at and p[1] >= days]
        if beyond:
            to, to_age = beyond[0]
            rate = (to - at) / max(1, to_age - age)
        else:
            span = points[-1][1] - points[0][1]
            rate = (points[-1][0] - points[0][0]) / span if span > 0 else math.inf
        left = days - 1 - age
        index = at if left <= 0 else at + left * rate
        if math.isinf(index):
            return math.inf
        return 1 if index < first else 2 + (index - first) // size
