"""The year of a list's year-less dates (``10-19``, ``[10-19]`` on old TRS templates).

A 2017 list showing ``10-19`` must not read as this year's October 19th: the year comes from
the item's own URL when it agrees (``./201710/t20171019_398276.html``), else from the full
dates shown nearest to it in the same list (or its next page, once merged), and only when
nothing gives it, the latest year that is not in the future (a guess the column item admits).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..dates import infer_year, year_from_url, year_near
from .entries import Entry

__all__ = ["DATE_SOURCES", "resolve_years"]

#: ``date_source`` values of a list date: the shown date has its year; the year came from the
#: item's URL; from full dates of the same list; or it is the latest year not in the future.
DATE_SOURCES = ("list", "list-url-year", "list-page-year", "list-inferred-year")


def resolve_years(entries: Sequence[Entry], today: date) -> None:
    """Give every dated entry its year and ``date_source``, in place (idempotent)."""
    pending: list[int] = []
    anchors: list[tuple[int, date]] = []
    for index, entry in enumerate(entries):
        if entry.date is None:
            continue
        if entry.date_has_year:
            entry.date_source = "list"
        elif entry.date_source not in ("list-url-year", "list-page-year"):
            year = year_from_url(entry.url, entry.date.month, entry.date.day)
            found = _with_year(entry.date, year) if year is not None else None
            if found is None:
                pending.append(index)
                continue
            entry.date, entry.date_source = found, "list-url-year"
        anchors.append((index, entry.date))
    for index in pending:
        entry = entries[index]
        assert entry.date is not None
        if anchors:
            anchor = min(anchors, key=lambda pair: abs(pair[0] - index))[1]
            found = year_near(entry.date.month, entry.date.day, anchor, today)
            if found is not None:
                entry.date, entry.date_source = found, "list-page-year"
                continue
        entry.date = infer_year(entry.date.month, entry.date.day, today) or entry.date
        entry.date_source = "list-inferred-year"


def _with_year(day: date, year: int) -> date | None:
    try:
        return day.replace(year=year)
    except ValueError:  # Feb 29 of a common year
        return None
