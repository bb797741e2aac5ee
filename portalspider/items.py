"""Output items: the feed-export contract of ``spec/interface.md``.

Fields beyond the contract are additions (never removals) that help webmasters and
the store pipeline.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Any

# The vocabulary of ``category`` and ``status`` lives in ``portalspider.vocab``.


@functools.cache
def field_names(cls: type) -> tuple[str, ...]:
    """A dataclass item class's field names, in declaration order (asked of every item)."""
    return tuple(f.name for f in dataclasses.fields(cls))


@dataclass
class ColumnItem:
    """One column (栏目) as seen by one crawl."""

    url: str
    name: str
    path: list[str] = field(default_factory=list)
    category: str = "other"
    unit: str | None = None
    last_update: str | None = None  # YYYY-MM-DD
    newest_title: str | None = None
    newest_url: str | None = None
    threshold_days: int | None = None
    age_days: int | None = None
    status: str = "ok"
    type: str = "column"
    # Update volume (interface "Additions"): distinct list items dated within the last
    # N days; None when the list shows no dates. ``counts_complete`` is False when the
    # pages read ended inside the 365-day window (the counts are then lower bounds).
    items_30d: int | None = None
    items_90d: int | None = None
    items_365d: int | None = None
    counts_complete: bool = False
    # Additions to the contract.
    items_found: int = 0  # list entries read on the list page
    # list | list-url-year | list-page-year | list-inferred-year | article | url (README)
    date_source: str | None = None
    page_count: int | None = None
    cms: str | None = None
    http_status: int | None = None
    error: str | None = None  # why the page is unreachable
    exempt_until: str | None = None  # YYYY-MM-DD, 报备 window resolved once by the judge
    top_level: bool = False  # a first-level column (``judge.is_top_level``; 6-month veto row)
    meta_column_name: str | None = None  # <meta name="ColumnName"> of the list page
    meta_column_type: str | None = None  # <meta name="ColumnType">
    # The dates behind the counts, for the 更新较少 rule's own window (``min_items.days``):
    # distinct list items of the last 366 days, newest first (None: the list shows no
    # dates), and how many days back the pages read are complete (None: every page read).
    recent_dates: list[str] | None = None
    counts_seen_days: int | None = None
    # the 更新较少 rule judged with and its count: {count, days, items, complete}
    min_items: dict[str, Any] | None = None
    pages_read: int | None = None  # list pages read (page 1 and further pages)


@dataclass
class ChannelItem:
    """A hub page that only leads to other columns (not judged)."""

    url: str
    name: str
    path: list[str] = field(default_factory=list)
    type: str = "channel"


@dataclass
class SiteItem:
    """One per crawl: is the portal up, and what the home page shows."""

    url: str
    status: str  # "up" | "down"
    name: str | None = None
    type: str = "site"
    home_last_update: str | None = None  # newest dated item linked from the home page
    home_age_days: int | None = None
    http_status: int | None = None
    error: str | None = None
    # Addition: "home" (dated items the home page links) or "columns" (none there: the newest
    # of its first-level columns decides); None when neither shows a date.
    home_date_source: str | None = None


@dataclass
class ProbeItem:
    """One probe of the home page by the ``availability`` spider (站点无法访问)."""

    url: str
    ok: bool
    http_status: int | None = None
    elapsed_ms: int | None = None
    error: str | None = None
    type: str = "probe"


@dataclass
class VerdictItem:
    """The 单项否决 rows at the end of each ``portal`` crawl (``portalspider.verdict``)."""

    rows: list[dict[str, str]] = field(default_factory=list)
    type: str = "verdict"


@dataclass
class LinkItem:
    """One broken link on one page, found by the ``links`` spider (链接可用性)."""

    url: str  # the link as the page gives it (absolute)
    page_url: str  # the page that shows it
    text: str = ""  # its text (an image's alt)
    http_status: int | None = None  # the last answer, None when none came
    error: str | None = None  # why it is broken, in one line
    on_home: bool = False  # shown on the home page (the indicator counts these apart)
    column_url: str | None = None  # the column the page belongs to (None: home page)
    unit: str | None = None  # who fixes it: the column's unit, else the webmaster
    type: str = "link"


@dataclass
class MessageItem:
    """One letter (or 征集) of a consultation (or 征集调查) column (``portalspider.interaction``).

    ``asked``/``replied`` are YYYY-MM-DD; ``days`` the wait: to the reply, or to today while
    unanswered (None when the reply date is unknown). For a 征集 (``kind`` solicitation),
    ``asked`` is its start, ``ends`` its end and ``feedback_url`` the 结果反馈 found.
    """

    column_url: str
    url: str
    title: str
    asked: str | None = None
    replied: str | None = None
    days: int | None = None
    type: str = "message"
    # Additions: letter | solicitation; answered | late | unanswered | pending | unknown |
    # open | feedback | no_feedback; overdue (a letter) or a 征集 without 结果反馈.
    kind: str = "letter"
    status: str = "unknown"
    overdue: bool = False
    ends: str | None = None
    feedback_url: str | None = None
    source: str = "list"  # list | page (its own page completed it)


@dataclass
class MessageColumnItem:
    """One consultation or 征集调查 column's reading: counts, median wait, completeness."""

    column_url: str
    name: str
    kind: str  # letters | solicitations
    read: bool  # its list shows letters (or 征集) the check can judge
    messages: int = 0  # within the last 365 days
    overdue: int = 0  # overdue letters / 征集 without 结果反馈
    unknown: int = 0  # letters whose reply date could not be established
    median_days: float | None = None  # median days to a reply (answered letters)
    reply_days: int = 90
    complete: bool = True  # every list page of the 365-day window was read
    pages_read: int = 0
    details_read: int = 0
    type: str = "message_column"


@dataclass
class PolicyItem:
    """One policy document of the last 365 days and its interpretation (解读回应).

    ``portalspider.interpretation`` explains ``state`` (two_way, doc_only, interp_only,
    missing, unverified); one-way and missing are problems of the column's unit.
    """

    url: str
    title: str
    date: str  # YYYY-MM-DD
    interpretation_url: str | None = None
    linked_back: bool | None = None  # the interpretation links the document (None: unknown)
    type: str = "policy"
    # Additions: the document links an interpretation; the verdict; where it is listed.
    linked_forward: bool = False
    state: str = "missing"
    column_url: str | None = None
    column_name: str | None = None
    unit: str | None = None


@dataclass
class InterpretationsItem:
    """The crawl's 解读回应 summary: two-way share and interpretations against documents."""

    documents_365d: int | None = None  # items of the last 365 days in document columns
    interpretations_365d: int | None = None  # … in interpretation columns (政策解读)
    counts_complete: bool = False  # False: the lists read ended early (lower bounds)
    ratio: float | None = None  # interpretations / documents
    min_ratio: float = 0.5  # 偏少 below this (PORTALSPIDER_INTERPRETATION_RATIO)
    result: str | None = None  # "偏少" | "ok" | None (nothing to count)
    document_columns: list[str] = field(default_factory=list)
    interpretation_columns: list[str] = field(default_factory=list)
    checked: int = 0  # documents read (one policy item each)
    two_way: int = 0
    doc_only: int = 0
    interp_only: int = 0
    missing: int = 0
    unverified: int = 0
    two_way_share: float | None = None  # two_way / (documents judged)
    unread_documents: int = 0  # over the crawl's cap: checked by a later crawl
    unread_interpretations: int = 0
    pages: int = 0  # requests made by the check
    cap: int = 0
    stopped_by: str | None = None
    type: str = "interpretations"
