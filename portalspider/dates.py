"""Every date spelling seen on Chinese government portals, year inference and URL dates.

Pure functions. A portal's "date" is a calendar date in Asia/Shanghai; times are dropped.
Year-less dates (``10-20``, ``[09-10]``) get the latest year that does not put them after
*today*, because list pages only ever show past publications. Index numbers (索引号,
``000014348/2020-35428``) look like ``2020-35…`` and must never parse as dates.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import overload

__all__ = [
    "SHANGHAI",
    "age_days",
    "date_and_year",
    "date_at",
    "date_in_url",
    "day_start",
    "days_window",
    "find_dates",
    "has_year",
    "infer_year",
    "is_update",
    "last_days",
    "parse_date",
    "shanghai_date",
    "shanghai_time",
    "today_shanghai",
    "update_or_none",
    "year_from_url",
    "year_near",
]

#: China has had no daylight saving time since 1991, so a fixed offset is exact and needs
#: no tz database on the host.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")

MIN_YEAR = 1990
MAX_YEAR = 2099

# A full date with a year. The look-behind refuses a year glued to digits, a slash or a
# letter, so 索引号 such as ``000014348/2020-35428`` or ``014742224A/2023-0043406`` never match.
_FULL = re.compile(
    r"(?<![\dA-Za-z/])"
    r"(?P<y>(?:19|20)\d{2})"
    r"(?:"
    r"\s*(?P<sep>[-/.])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})(?!\d)"
    r"|"
    r"\s*年\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*[日号]?"
    r")"
)
# A date without a year: ``10-20``, ``9/10``, ``09.10`` (dots only with two digits each,
# to leave decimals alone) or ``9月10日``. Surrounding digits, separators and colons are
# refused so that times (10:49), ranges (1-10月) and parts of longer numbers stay out.
_YEARLESS = re.compile(
    r"(?<![\d\-/.:年])"
    r"(?:"
    r"(?P<m>\d{1,2})(?P<sep>[-/])(?P<d>\d{1,2})(?![\d\-/.:月])"
    r"|"
    r"(?P<m3>\d{2})\.(?P<d3>\d{2})(?![\d\-/.:])"
    r"|"
    r"(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*[日号]"
    r")"
)
# Compact ``20240910`` only where it is clearly a date: TRS ``t20240910_`` article names.
_URL_PATTERNS = (
    re.compile(r"/t(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})_\d+"),
    re.compile(r"/art/(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})/"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})/(?P<d>\d{2})/"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>\d{2})/(?P<d>\d{2})/"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})/"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>\d{2})(?P<d>\d{2})/"),
)
# What every one of _URL_PATTERNS holds: a year after a slash, or after ``/t``.
_URL_YEAR = re.compile(r"/t?(?:19|20)\d\d")
# A month folder (TRS ``/201710/t…``, UCAP ``/tjgb/201705/<hex>.shtml``, ``/2017-10/``): gives
# the year of a year-less date of the same month only.
_URL_MONTH = re.compile(r"/(?P<y>(?:19|20)\d{2})-?(?P<m>0[1-9]|1[0-2])/")


def today_shanghai() -> date:
    """Today's calendar date in Asia/Shanghai, whatever the host's time zone."""
    return datetime.now(SHANGHAI).date()


def shanghai_time(moment: datetime) -> datetime:
    """A DB timestamp (naive UTC) as naive Asia/Shanghai wall time, as readers speak it."""
    return moment.replace(tzinfo=UTC).astimezone(SHANGHAI).replace(tzinfo=None)


def shanghai_date(moment: datetime | None) -> date | None:
    """The Asia/Shanghai calendar date of a DB timestamp (naive UTC)."""
    return None if moment is None else shanghai_time(moment).date()


def day_start(day: date) -> datetime:
    """The moment the Asia/Shanghai day *day* begins, as a DB timestamp (naive UTC)."""
    return datetime.combine(day, time(), SHANGHAI).astimezone(UTC).replace(tzinfo=None)


def last_days(today: date, days: int) -> tuple[date, date]:
    """The first and the last (*today*) of the last *days* Asia/Shanghai days, both included:
    what "the last N days" means for a stored date (report windows); ``days_window`` gives
    the same days as timestamps."""
    return today - timedelta(days=days - 1), today


def days_window(today: date, days: int) -> tuple[datetime, datetime]:
    """The last *days* Asia/Shanghai days up to *today* included (``last_days``), as DB
    timestamps ``[start, end)``: what "the last week" of stored measurements (probes) means.

    *today* is the crawl's judging date (``PORTALSPIDER_TODAY`` or ``today_shanghai()``),
    never the host clock, so a replayed or demo date reads the week before it.
    """
    first, last = last_days(today, days)
    return day_start(first), day_start(last + timedelta(days=1))


def is_update(day: date | None, today: date) -> bool:
    """Whether *day* can be a publication: a date after *today* is a data-entry error."""
    return day is not None and day <= today


def update_or_none(day: date | None, today: date) -> date | None:
    """*day* when it can be a publication (see ``is_update``), else None."""
    return day if is_update(day, today) else None


@overload
def age_days(last: date, today: date) -> int: ...
@overload
def age_days(last: None, today: date) -> None: ...
@overload
def age_days(last: date | None, today: date) -> int | None: ...
def age_days(last: date | None, today: date) -> int | None:
    """Whole days from *last* to *today* (both Asia/Shanghai dates); None without a date."""
    return None if last is None else (today - last).days


def _make(y: int, m: int, d: int) -> date | None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def infer_year(m: int, d: int, today: date) -> date | None:
    """The latest year that does not put month *m*, day *d* after *today* (the last resort).

    Feb 29 walks back to the previous leap year.
    """
    for year in range(today.year, today.year - 5, -1):
        found = _make(year, m, d)
        if is_update(found, today):
            return found
    return None


def _scan(text: str, today: date) -> list[tuple[int, date, bool]]:
    """All dates in *text* with their offsets and whether each is written with its year,
    full dates first claiming their span."""
    found: list[tuple[int, date, bool]] = []
    taken: list[tuple[int, int]] = []
    for match in _FULL.finditer(text):
        y = int(match["y"])
        m = int(match["m"] or match["m2"])
        d = int(match["d"] or match["d2"])
        value = _make(y, m, d)
        if value is not None:
            found.append((match.start(), value, True))
            taken.append(match.span())
    for match in _YEARLESS.finditer(text):
        start, end = match.span()
        if taken and any(s < end and start < e for s, e in taken):
            continue
        m = int(match["m"] or match["m2"] or match["m3"])
        d = int(match["d"] or match["d2"] or match["d3"])
        value = infer_year(m, d, today) if 1 <= m <= 12 else None
        if value is not None:
            found.append((start, value, False))
    found.sort(key=lambda item: item[0])
    return found


def parse_date(text: str, today: date) -> date | None:
    """The first date in a short text (a list item's date cell, a meta value), or None.

    Accepts ``2024-09-10``, ``2024/9/10``, ``2024.09.10``, ``2024年9月10日``, any of these
    with a time, bracketed forms like ``[ 09-10 ]``, and ``2007-08-20-23:59:59``.
    """
    if not text:
        return None
    found = _scan(text, today)
    return found[0][1] if found else None


def date_and_year(text: str, today: date) -> tuple[date | None, bool]:
    """``parse_date(text, today)`` and ``has_year(text)``, read in one scan: a list item's
    date and whether its text writes a year."""
    if not text:
        return None, False
    found = _scan(text, today)
    if not found:
        return None, False
    return found[0][1], any(full for _, _, full in found)


def find_dates(text: str, today: date) -> list[date]:
    """Every date in *text*, in text order (year-less ones resolved against *today*)."""
    if not text:
        return []
    return [value for _, value, _ in _scan(text, today)]


def date_at(text: str, pos: int) -> date | None:
    """A full date (with its year) starting exactly at offset *pos*, else None.

    For labelled values (``发布日期：2024-09-10``): the date must follow the label directly.
    """
    match = _FULL.match(text, pos)
    if match is None:
        return None
    return _make(int(match["y"]), int(match["m"] or match["m2"]), int(match["d"] or match["d2"]))


def has_year(text: str) -> bool:
    """Whether *text* holds a valid date written with its year (a stronger list signal)."""
    for match in _FULL.finditer(text or ""):
        m = int(match["m"] or match["m2"])
        d = int(match["d"] or match["d2"])
        if _make(int(match["y"]), m, d) is not None:
            return True
    return False


def date_in_url(url: str) -> date | None:
    """The publication date encoded in an article URL, or None.

    Knows TRS ``/202409/t20240910_123.html``, Hanweb ``/art/2024/9/10/art_1_2.html`` and
    newspaper-style ``/2024-09/10/`` or ``/202409/10/`` folders. A month-only folder
    (``/202409/``) is not a date and gives None. Only a hint: lists often show another date.
    """
    if not url:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    if not _URL_YEAR.search(path):
        return None  # one search, not one per pattern, for a URL without a dated folder
    return _date_in_path(path)


def _date_in_path(path: str) -> date | None:
    """The first date a URL pattern reads in *path* (every pattern tried)."""
    for pattern in _URL_PATTERNS:
        match = pattern.search(path)
        if match:
            value = _make(int(match["y"]), int(match["m"]), int(match["d"]))
            if value is not None:
                return value
    return None


def year_from_url(url: str, month: int, day: int) -> int | None:
    """The year an item's URL gives its year-less shown date ``month-day``, or None.

    A full URL date (``t20171019_``, ``/art/2017/10/19/``) counts when month and day agree; a
    month folder (``/201710/``) when the month agrees. Lists show ``10-19`` beside
    ``./201710/t20171019_398276.html`` on old TRS templates (and ``10-18`` beside it too).
    """
    full = date_in_url(url)
    if full is not None and (full.month, full.day) == (month, day):
        return full.year
    path = (url or "").split("?", 1)[0].split("#", 1)[0]
    for match in _URL_MONTH.finditer(path):
        if int(match["m"]) == month and _make(int(match["y"]), month, day) is not None:
            return int(match["y"])
    return None


def year_near(month: int, day: int, anchor: date, today: date) -> date | None:
    """``month-day`` in the year that puts it closest to *anchor* (a full date of the same list).

    Tries the anchor's year and its neighbours, so ``12-30`` next to ``2018-01-02`` is in
    2017; never after *today*. None when no such date exists.
    """
    candidates = [
        found
        for year in (anchor.year - 1, anchor.year, anchor.year + 1)
        if (found := _make(year, month, day)) is not None and found <= today
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda found: abs((found - anchor).days))
