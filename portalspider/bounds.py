"""Crawl bounds: what keeps a crawl of a broken or hostile portal finite.

A portal that answers 200 to every URL with relative navigation (``href="xwzx/"``), a
calendar (上个月/下个月, ``?date=``) or a generated hub tree would otherwise be walked
for ever (issue 13 item 2). Each discovery link is checked here before it is requested;
the spider counts what each bound refused, and a crawl that hit a bound is *incomplete*
(it marks no column gone). Calendar links are refused without making the crawl
incomplete: they are never columns, and many real portals carry a calendar widget.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from portalspider.projectsettings import get_int

# Links that page through time, by their text or their query.
CALENDAR_TEXT = re.compile(
    r"^(?:[<«‹]+\s*)?(?:上|下|前|后)一?(?:个)?(?:月|年|周|天|日)(?:\s*[>»›]+)?$|^(?:今天|本月|日历)$"
)
CALENDAR_KEYS = frozenset(
    {"date", "day", "month", "year", "ym", "yearmonth", "week", "riqi", "rq", "calendar", "cal"}
)
DATE_VALUE = re.compile(
    r"^(?:19|20)\d\d(?:[-/.年](?:0?[1-9]|1[0-2])(?:[-/.月](?:0?[1-9]|[12]\d|3[01])日?)?"
    r"|(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])?)$"
)
NUMERIC = re.compile(r"^\d+$")


@dataclass(frozen=True)
class CrawlBounds:
    """The limits of one crawl (settings ``PORTALSPIDER_MAX_DEPTH`` and friends)."""

    max_depth: int = 8  # discovery hops from the home page (home → nav → hub → …)
    max_url_length: int = 300
    min_budget: int = 500  # requests allowed before any column is found
    per_column: int = 5  # further requests allowed per column found
    max_requests: int = 20000  # hard cap, whatever was found

    @classmethod
    def from_settings(cls, settings: Any) -> CrawlBounds:
        return cls(
            max_depth=get_int(settings, "PORTALSPIDER_MAX_DEPTH", cls.max_depth),
            max_url_length=get_int(settings, "PORTALSPIDER_MAX_URL_LENGTH", cls.max_url_length),
            min_budget=get_int(settings, "PORTALSPIDER_MIN_BUDGET", cls.min_budget),
            per_column=get_int(settings, "PORTALSPIDER_REQUEST_BUDGET", cls.per_column),
            max_requests=get_int(settings, "PORTALSPIDER_MAX_REQUESTS", cls.max_requests),
        )

    def budget(self, columns_found: int) -> int:
        """Requests this crawl may make, given the columns found so far."""
        return min(self.max_requests, max(self.min_budget, self.per_column * columns_found))

    def refusal(self, url: str, depth: int) -> str | None:
        """The bound a discovery link at ``depth`` breaks (``depth``, ``url length``,
        ``repeated path``), or None."""
        if depth > self.max_depth:
            return "depth"
        if len(url) > self.max_url_length:
            return "url length"
        if repeated_path(url):
            return "repeated path"
        return None


def repeated_path(url: str) -> bool:
    """``/a/b/a/b/``, ``/xwzx/xwzx/``: a name met twice (a number three times) in one path.

    Relative links on a page served at every URL nest for ever; real column paths do not
    repeat a section name. Numbers repeat in date paths (``/art/2021/1/1/``), hence three.
    """
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if segments and "." in segments[-1]:
        segments = segments[:-1]  # the page itself (index.html, list_2.shtml)
    counts = Counter(s.lower() for s in segments)
    return any(n >= (3 if NUMERIC.match(s) else 2) for s, n in counts.items())


def is_calendar_link(url: str, name: str = "") -> bool:
    """A link that pages through time: 上个月/下个月 text or a date in its query."""
    if CALENDAR_TEXT.match(re.sub(r"\s+", "", name or "")):
        return True
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if key.lower() in CALENDAR_KEYS or DATE_VALUE.match(value.strip()):
            return True
    return False
