"""The demo portal's data: columns, entries, channels, and the truth derived from them.

Truth is *computed from what the pages show* (never stored separately), so a mutation
between two crawls (``set_last_update``, ``set_blank``, ``remove_column``) keeps the
truth and the served HTML consistent by construction.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# Default thresholds of indicators.md (the contract); the demo never relies on others.
THRESHOLDS = {
    "news": 14,
    "notice": 183,
    "policy": 183,
    "personnel": 365,
    "plan": 365,
    "interaction": 365,
    "other": 365,
}
SHANGHAI = dt.timezone(dt.timedelta(hours=8))  # China has no DST: a fixed offset is exact

# List markups whose entries show a date beside the link (the list is the date source).
DATED_MARKUPS = (
    "ul_after",
    "ul_before",
    "trs_table",
    "xxgk_table",
    "hanweb",
    "iframe",
    "gbk",
    "pinned",
    "future",
    "yearless",
    # themes c/d (other CMS families and layouts)
    "dl_dd",
    "div_item",
    "poweredy",
    "td_md",
    "avalon",
    "jsarray",
    "gkmlpt",
    "pinned_icon",
    "pinned_new",
    # theme e (date inside the link text, date cell before the title, 文号 table)
    "a_date",
    "td_before",
    "xxgk_wh",
    # theme f (Hanweb first page with pinned records only; datetime cells, dated titles)
    "hanweb_pinned",
    "td_datetime",
)
# Lists that show no dates: the spider must open the newest articles.
UNDATED_MARKUPS = (
    "undated_meta",
    "undated_visible",
    "undated_url_trs",
    "undated_url_art",
    "undated_regen",
    "undated_none",
    "undated_pubtime",  # theme e: the date only in <span id="pubtime"> on the article
)


def today_shanghai() -> dt.date:
    """Today's calendar date in Asia/Shanghai, the day every status is judged on."""
    return dt.datetime.now(SHANGHAI).date()


#: The update-volume windows of the interface's column items (items_30d/90d/365d).
WINDOWS = (30, 90, 365)


def status_for(
    last_update: dt.date | None,
    threshold: int,
    today: dt.date,
    min_items: tuple[int, int] | None = None,
    in_window: int | None = None,
) -> str:
    """The interface's status rule for a column that lists items.

    ``min_items`` is the 更新较少 rule as ``(count, days)``; ``in_window`` the column's items
    within ``days`` (the caller counts them).
    """
    if last_update is None:
        return "undated"
    age = (today - last_update).days
    if age > threshold:
        return "stale"
    if min_items is not None and (in_window or 0) < min_items[0]:
        return "sparse"
    if age > 0.8 * threshold:
        return "warning"
    return "ok"


@dataclass
class PlantedLink:
    """A link an article shows under its text: an attachment or a related page (``linkplant``)."""

    target: str  # a path on the portal, or ``ext:<host>/<path>`` on an external demo host
    text: str
    broken: bool  # its answer is an error (a 404 on the portal, the failing host's 500)
    soft: bool = False  # broken, but answered 200 with the portal's 页面不存在 page (soft 404)


@dataclass
class Entry:
    """One list item and what its article page shows."""

    title: str
    path: str  # absolute path of the article page on the portal
    shown: dt.date | None  # date printed beside the link on the list (None: not shown)
    visible: dt.date | None = None  # 发布时间 printed on the article page
    meta: dt.date | None = None  # <meta name="PubDate"> on the article page
    url_date: dt.date | None = None  # date encoded in ``path`` (TRS / Hanweb), if any
    pinned: bool = False
    hour: int = 9
    minute: int = 30
    links: list[PlantedLink] = field(default_factory=list)  # 附件 and 相关链接 on its page
    # Related-link blocks on the article page: (heading, [(link text, target path)]); a
    # heading ending in ： is an inline label (demo/policies.py, 解读回应).
    related: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)

    def article_date(self) -> dt.date | None:
        """The date a careful reader takes from the article: visible, then meta, then URL."""
        return self.visible or self.meta or self.url_date


#: 互动回应差 (indicators.md row 5): the days a letter may wait for its reply.
REPLY_DAYS = 90
#: The indicator's window: letters asked within the last year (``today - asked < 365``).
MESSAGE_WINDOW = 365


@dataclass
class Letter:
    """One letter of a mailbox column (markup ``mailbox``); its list row is ``entries[i]``."""

    path: str
    asked: dt.date
    replied: dt.date | None  # None: unanswered (办理中 / 未回复)
    reply_on_list: bool = True  # False: the list says 已回复 without the date (its page has it)

    def overdue(self, today: dt.date, reply_days: int = REPLY_DAYS) -> bool:
        """Unanswered after ``reply_days`` days, or answered after more than that."""
        if self.replied is None:
            return (today - self.asked).days > reply_days
        return (self.replied - self.asked).days > reply_days


@dataclass
class Solicitation:
    """One 征集 of a 征集调查 column (markup ``solicit``); its list row is ``entries[i]``."""

    path: str
    start: dt.date
    ends: dt.date
    feedback: str | None = None  # path of its 结果反馈 page; None: none published
    feedback_on_list: bool = True  # False: only its own page links the 结果反馈

    def problem(self, today: dt.date) -> bool:
        """Ended without a published 结果反馈."""
        return self.ends < today and self.feedback is None


@dataclass
class Column:
    """A column (栏目): one list page (plus pages 2..n, frames, data proxies)."""

    cid: int
    name: str
    category: str
    url: str  # canonical path of the first list page as linked, e.g. /xwzx/gzdt/
    path: list[str]  # ancestor channel names from the top nav down (the column excluded)
    section: str  # top-level channel URL, for breadcrumbs and sub-navs
    parent: str  # URL of the hub that directly contains it
    markup: str = "ul_after"
    spelling: str = "%Y-%m-%d"
    mode: str = "normal"  # normal | blank | error500 | dead404
    placeholder: str = "暂无信息"
    placement: frozenset[str] = frozenset({"nav", "hub", "sitemap"})
    entries: list[Entry] = field(default_factory=list)
    per_page: int = 15
    removed: bool = False
    unitid: int = 0  # Hanweb unit id (the <div id> around the datastore)
    # URL style of the list pages: dir (/x/y/, index_N.html), channel (/channel/N.html,
    # N_2.html), jsp (/list.jsp?catid=N, &page=2), pe (PowerEasy /Category_N/Index.aspx,
    # Index_2.aspx), gkmlpt (/gkmlpt/index#N, JSON api)
    style: str = "dir"
    ext: str = "html"  # extension of dir-style list pages (index.shtml, index_1.shtml)
    via: str = ""  # theme e: menus link a redirect page that forwards to the list
    # Markups mailbox / solicit: the letters (征集) behind ``entries``, in the same order.
    letters: list[Letter] = field(default_factory=list)
    solicitations: list[Solicitation] = field(default_factory=list)

    @property
    def threshold(self) -> int:
        return THRESHOLDS[self.category]

    @property
    def page_count(self) -> int:
        if self.markup == "hanweb_pinned":  # pages of the dataproxy (regular records only)
            return max(1, -(-len(self.regular()) // self.per_page))
        return max(1, -(-len(self.entries) // self.per_page))

    def regular(self) -> list[Entry]:
        """Entries that are not pinned (theme f's Hanweb proxy serves only these)."""
        return [e for e in self.entries if not e.pinned]

    def page(self, index: int) -> list[Entry]:
        """Entries of list page ``index`` (0-based), in display order."""
        return self.entries[index * self.per_page : (index + 1) * self.per_page]

    def truth_last_update(self, today: dt.date) -> dt.date | None:
        """Newest valid date a correct crawler can establish from page 1 (and its articles)."""
        if self.mode != "normal" or not self.entries:
            return None
        first = self.page(0)
        if self.markup == "hanweb_pinned":
            # The column page holds only the pinned records; the newest regular ones come
            # from the first dataproxy.jsp reply. A reader needs both.
            first = [e for e in self.entries if e.pinned] + self.regular()[: self.per_page]
        if self.markup in UNDATED_MARKUPS:
            dates = [e.article_date() for e in first if not e.pinned]
        else:
            dates = [e.shown for e in first]
        valid = [d for d in dates if d is not None and d <= today]
        return max(valid) if valid else None

    def item_dates(self, today: dt.date) -> list[dt.date]:
        """The dates of its items a reader of every list page sees (future ones are typos).

        Lists showing dates give the shown ones; lists without dates give the articles'
        (what a reader opening every item would find).
        """
        undated = self.markup in UNDATED_MARKUPS
        dates = [e.article_date() if undated else e.shown for e in self.entries]
        return [d for d in dates if d is not None and d <= today]

    def truth_counts(self, today: dt.date) -> dict[int, int | None]:
        """Distinct list items dated within each window (``0 <= today - date < N``).

        None where the list shows no dates (nothing to count on it) or cannot be read.
        """
        if self.mode in ("error500", "dead404"):
            return dict.fromkeys(WINDOWS)
        if self.mode == "blank" or not self.entries:
            return dict.fromkeys(WINDOWS, 0)
        if self.markup in UNDATED_MARKUPS:
            return dict.fromkeys(WINDOWS)
        dates = self.item_dates(today)
        return {n: sum(1 for d in dates if (today - d).days < n) for n in WINDOWS}

    def truth_status(self, today: dt.date, min_items: tuple[int, int] | None = None) -> str:
        if self.mode in ("error500", "dead404"):
            return "unreachable"
        if self.mode == "blank" or not self.entries:
            return "blank"
        in_window = None
        if min_items is not None:
            in_window = sum(1 for d in self.item_dates(today) if (today - d).days < min_items[1])
        return status_for(
            self.truth_last_update(today), self.threshold, today, min_items, in_window
        )


@dataclass
class Channel:
    """A hub page that only leads to columns and sub-channels."""

    name: str
    url: str
    path: list[str]  # ancestors, the channel excluded
    columns: list[Column] = field(default_factory=list)
    subs: list[Channel] = field(default_factory=list)
    in_nav: bool = True
    pages: list[tuple[str, str]] = field(default_factory=list)  # static intro pages (name, url)
    # Theme f: the hub page also shows its own article list. That list is a column (same URL
    # as the channel, truth kind "column"; no "channel" entry for the URL): it is what a
    # webmaster must keep fresh there, and the sub-column blocks on the page are not its dates.
    own: Column | None = None

    def live_columns(self, where: str | None = None) -> list[Column]:
        return [
            c for c in self.columns if not c.removed and (where is None or where in c.placement)
        ]


@dataclass
class Theme:
    """Names and looks: a theme changes the county, the layout switches and the class names."""

    key: str
    site_name: str
    county: str
    sitemap_url: str
    cls: dict[str, str]
    layout: dict[str, Any]
    friend_links: list[tuple[str, str]]
    service_link: tuple[str, str]


@dataclass
class Portal:
    """A whole generated portal; the server renders it live, so mutations show immediately."""

    seed: int
    today: dt.date
    theme: Theme
    channels: list[Channel]
    columns: list[Column]
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    version: int = 0  # bumped by mutations so caches (article index) can refresh
    external: dict[str, str] = field(default_factory=dict)  # demo host → base URL, while served

    # -- lookups ---------------------------------------------------------------
    def column(self, url: str) -> Column:
        """The column whose canonical URL (or any linked variant of it) is ``url``."""
        from demo.compare import normalize_url

        key = normalize_url(url)
        for col in self.columns:
            if normalize_url(col.url) == key:
                return col
        raise KeyError(url)

    def all_channels(self) -> list[Channel]:
        out: list[Channel] = []
        stack = list(reversed(self.channels))
        while stack:
            ch = stack.pop()
            out.append(ch)
            stack.extend(reversed(ch.subs))
        return out

    def live_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.removed]

    # -- truth -----------------------------------------------------------------
    def truth(self, min_items: tuple[int, int] | None = None) -> list[dict[str, Any]]:
        """Expected answers: one dict per live column, then one per channel (kind=channel).

        ``min_items`` ``(count, days)``: the statuses under that 更新较少 rule
        (``defaults.min_items``); without it, no column is ``sparse``.
        """
        with self.lock:
            out: list[dict[str, Any]] = []
            for col in self.live_columns():
                last = col.truth_last_update(self.today)
                counts = col.truth_counts(self.today)
                out.append(
                    {
                        "kind": "column",
                        "url": col.url,
                        "name": col.name,
                        "path": list(col.path),
                        "category": col.category,
                        "last_update": last.isoformat() if last else None,
                        "status": col.truth_status(self.today, min_items),
                        "threshold_days": col.threshold,
                        "markup": col.markup if col.mode == "normal" else col.mode,
                        "items_30d": counts[30],
                        "items_90d": counts[90],
                        "items_365d": counts[365],
                    }
                )
            out.extend(
                {"kind": "channel", "url": ch.url, "name": ch.name, "path": list(ch.path)}
                for ch in self.all_channels()
                if ch.own is None
            )
            # Static pages linked like columns (概况-like intros, no list): not columns.
            out.extend(
                {"kind": "page", "url": url, "name": name, "path": [*ch.path, ch.name]}
                for ch in self.all_channels()
                for name, url in ch.pages
            )
            return out

    def messages_truth(self, reply_days: int = REPLY_DAYS) -> list[dict[str, Any]]:
        """Letters and 征集 of the last year as their pages show them, with the verdict."""
        today = self.today
        out: list[dict[str, Any]] = []
        with self.lock:
            for col in self.live_columns():
                if col.mode != "normal":
                    continue
                for letter, e in zip(col.letters, col.entries, strict=False):
                    if (today - letter.asked).days >= MESSAGE_WINDOW:
                        continue
                    out.append(
                        {
                            "kind": "letter",
                            "column_url": col.url,
                            "url": letter.path,
                            "title": e.title,
                            "asked": letter.asked.isoformat(),
                            "replied": letter.replied.isoformat() if letter.replied else None,
                            "overdue": letter.overdue(today, reply_days),
                        }
                    )
                for item, e in zip(col.solicitations, col.entries, strict=False):
                    if (today - item.start).days >= MESSAGE_WINDOW:
                        continue
                    out.append(
                        {
                            "kind": "solicitation",
                            "column_url": col.url,
                            "url": item.path,
                            "title": e.title,
                            "asked": item.start.isoformat(),
                            "ends": item.ends.isoformat(),
                            "overdue": item.problem(today),
                        }
                    )
        return out

    def columns_truth(self, min_items: tuple[int, int] | None = None) -> list[dict[str, Any]]:
        return [t for t in self.truth(min_items) if t["kind"] == "column"]

    def link_url(self, link: PlantedLink) -> str | None:
        """Where a planted link points as its page shows it (None: its host is not served)."""
        if not link.target.startswith("ext:"):
            return link.target
        host, _, path = link.target[4:].partition("/")
        base = self.external.get(host)
        return base + path if base else None

    def planted_links(self) -> Iterator[PlantedLink]:
        """Every link planted in the live columns' articles."""
        return (link for col in self.live_columns() for e in col.entries for link in e.links)

    def served_files(self) -> set[str]:
        """The attachments the portal serves (the planted ones not missing)."""
        return {
            link.target
            for link in self.planted_links()
            if not link.broken and link.target.endswith(".pdf")
        }

    def soft_404s(self) -> set[str]:
        """The planted paths the portal answers with a 200 "页面不存在" page (soft 404s)."""
        return {link.target for link in self.planted_links() if link.soft}

    def links_truth(self, base: str) -> set[tuple[str, str]]:
        """(broken link URL, article URL) for every planted broken link the pages show.

        ``base``: the portal's URL as served. Only articles of live, normal columns (a
        removed column's articles are no longer linked).
        """
        root = base.rstrip("/")
        with self.lock:
            pairs = set()
            for col in self.live_columns():
                if col.mode != "normal":
                    continue
                for e in col.entries:
                    for link in e.links:
                        url = self.link_url(link)
                        if link.broken and url:
                            pairs.add((url if "://" in url else root + url, root + e.path))
            return pairs

    def home_items(self) -> list[tuple[Column, Entry]]:
        """Dated items the home page shows (latest-news block first, then column blocks)."""
        from demo.generator import home_blocks, latest_news

        with self.lock:
            items = list(latest_news(self))
            for col, entries in home_blocks(self):
                items.extend((col, e) for e in entries)
            return items

    @property
    def home_last_update(self) -> str | None:
        """Newest valid date shown on the home page (the 首页不更新 check)."""
        dates = [e.shown for _, e in self.home_items() if e.shown and e.shown <= self.today]
        return max(dates).isoformat() if dates else None

    # -- mutations (between crawls) ----------------------------------------------
    def set_last_update(self, url: str, date: dt.date) -> None:
        """Make ``date`` the column's newest update (regenerating its entries)."""
        from demo.generator import refill

        with self.lock:
            col = self.column(url)
            col.mode = "normal"
            if col.markup == "undated_none":
                col.markup = "undated_visible"
            refill(self, col, date)
            self.version += 1

    def set_blank(self, url: str, placeholder: str = "暂无信息") -> None:
        """Empty the column: its list shows only a placeholder."""
        with self.lock:
            col = self.column(url)
            col.mode = "blank"
            col.placeholder = placeholder
            col.entries = []
            self.version += 1

    def remove_column(self, url: str) -> None:
        """Unlink the column everywhere; its pages answer 404 from now on."""
        with self.lock:
            self.column(url).removed = True
            self.version += 1
