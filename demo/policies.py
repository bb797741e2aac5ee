"""The demo's policy documents and interpretations (解读回应), and the truth their pages show.

``link_policies`` plants links between the documents of the last 365 days in the policy
document columns (政策文件, 规范性文件 …) and the items of the 政策解读 column, in the
markups of real portals (a 相关解读 list with 图文解读：《…》 links, an inline
``相关解读：<a>《…》</a>``, 一图读懂; back links as 政策原文 / 相关文件). It cycles through
two-way, document-only, interpretation-only and missing links, so every build has each.

``policy_truth`` reads the same links back (what the pages show, not what was planted),
so a mutation (``refill``) keeps truth and pages consistent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from demo.model import UNDATED_MARKUPS, Column, Entry, Portal

WINDOW_DAYS = 365
INTERPRETATION_WORDS = ("解读", "图解", "一图读懂")
#: (doc → interp, interp → doc) per document, cycled.
PATTERNS = (
    (True, True),
    (True, False),
    (False, True),
    (False, False),
    (True, True),
    (True, True),
)
#: How a document names its interpretation: (block heading, link text template).
FORWARD_STYLES = (
    ("相关解读", "政策解读：《{title}》"),
    ("相关解读：", "《{title}》"),  # inline label: the link itself does not say 解读
    ("关联稿件", "一图读懂《{title}》"),
)
BACK_STYLES = (("政策原文：", "《{title}》"), ("相关文件", "{title}"))


def is_interpretation_column(col: Column) -> bool:
    return col.category == "policy" and any(w in col.name for w in INTERPRETATION_WORDS)


def entry_date(col: Column, e: Entry) -> dt.date | None:
    """The date a reader gets for the item: the list's, else the article's."""
    return e.article_date() if col.markup in UNDATED_MARKUPS else e.shown


def window_entries(portal: Portal, col: Column) -> list[Entry]:
    """Items of the first list page dated within the last 365 days (not pinned)."""
    if col.mode != "normal":
        return []
    out = []
    for e in col.page(0):
        day = entry_date(col, e)
        if e.pinned or day is None or day > portal.today:
            continue
        if (portal.today - day).days < WINDOW_DAYS:
            out.append(e)
    return out


def _columns(portal: Portal) -> tuple[list[Column], list[Column]]:
    cols = [c for c in portal.live_columns() if c.category == "policy" and c.mode == "normal"]
    return (
        [c for c in cols if not is_interpretation_column(c)],
        [c for c in cols if is_interpretation_column(c)],
    )


def link_policies(portal: Portal) -> None:
    """Plant the links (documents of all document columns against the 政策解读 items)."""
    docs_cols, interp_cols = _columns(portal)
    for col in [*docs_cols, *interp_cols]:
        # Every item of the window on page 1: the pages a crawl reads hold all of them.
        dated = [e for e in col.entries if entry_date(col, e)]
        recent = [
            e
            for e in dated
            if (portal.today - (entry_date(col, e) or portal.today)).days < WINDOW_DAYS
        ]
        col.per_page = max(col.per_page, len(recent) + 1)
        for e in col.entries:
            e.related = []
    interps = [e for col in interp_cols for e in window_entries(portal, col)]
    docs = [e for col in docs_cols for e in window_entries(portal, col)]
    for k, doc in enumerate(docs):
        forward, back = PATTERNS[k % len(PATTERNS)]
        if not interps or (not forward and not back):
            continue
        interp = interps.pop(0)
        interp.title = f"《{doc.title}》政策解读"
        if forward:
            heading, text = FORWARD_STYLES[k % len(FORWARD_STYLES)]
            doc.related.append((heading, [(text.format(title=doc.title), interp.path)]))
        if back:
            heading, text = BACK_STYLES[k % len(BACK_STYLES)]
            interp.related.append((heading, [(text.format(title=doc.title), doc.path)]))


def _targets(e: Entry) -> set[str]:
    return {path for _heading, links in e.related for _text, path in links}


def _names_interpretation(heading: str, text: str) -> bool:
    return any(w in text for w in INTERPRETATION_WORDS) or "解读" in heading


def policy_truth(portal: Portal) -> dict[str, Any]:
    """Expected ``policy`` items (by document path) and the interpretation counts."""
    with portal.lock:
        docs_cols, interp_cols = _columns(portal)
        interp_pages = {e.path: e for col in interp_cols for e in window_entries(portal, col)}
        all_pages = {e.path: e for col in portal.live_columns() for e in col.entries}
        docs: dict[str, dict[str, Any]] = {}
        for col in docs_cols:
            for e in window_entries(portal, col):
                forward = [
                    path
                    for heading, links in e.related
                    for text, path in links
                    if _names_interpretation(heading, text)
                ]
                back = [p for p in forward if p in all_pages and e.path in _targets(all_pages[p])]
                pointing = [p for p, i in interp_pages.items() if e.path in _targets(i)]
                if back:
                    state = "two_way"
                elif forward:
                    state = "doc_only"
                elif pointing:
                    state = "interp_only"
                else:
                    state = "missing"
                day = entry_date(col, e)
                docs[e.path] = {
                    "path": e.path,
                    "title": e.title,
                    "date": day.isoformat() if day else None,
                    "column": col.url,
                    "state": state,
                    "interpretation": (back or forward or pointing or [None])[0],
                }
        documents = sum(col.truth_counts(portal.today)[365] or 0 for col in docs_cols)
        interpretations = sum(col.truth_counts(portal.today)[365] or 0 for col in interp_cols)
        return {
            "documents": docs,
            "documents_365d": documents,
            "interpretations_365d": interpretations,
        }


def policy_line(items: list[dict[str, Any]], portal: Portal) -> str:
    """One line for ``python -m demo run``: the crawl's ``policy`` items against the truth.

    Each one-way (``doc_only``, ``interp_only``) or missing link of the truth must be found
    with its state, and no document called one-way or missing that is not.
    """
    truth = policy_truth(portal)["documents"]
    found = {urlsplit(i["url"]).path: i.get("state") for i in items if i.get("type") == "policy"}
    problems = {path: d["state"] for path, d in truth.items() if d["state"] != "two_way"}
    right = sum(found.get(path) == state for path, state in problems.items())
    false = sum(
        1
        for path, state in found.items()
        if state not in ("two_way", "unverified") and problems.get(path) != state
    )
    summary = next((i for i in items if i.get("type") == "interpretations"), None)
    pages = f", {summary['pages']} requests" if summary else ", the check did not run"
    return (
        f"解读回应: {len(found)}/{len(truth)} documents checked{pages}; one-way or missing "
        f"links found with their state {right}/{len(problems)}, {false} called so falsely"
    )
