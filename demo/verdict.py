"""The 单项否决 verdict the demo portal's pages call for, and a crawl's verdict against it.

``verdict_truth`` applies the indicator's own lines (``../shared/spec/indicators.md``,
国办秘函〔2019〕19号) to the portal's truth (columns, home page, letters), not portalspider's
code: a wrong rule or a wrong input in the spider both show as a mismatch. ``compare_verdict``
reads the figures the crawl's ``verdict`` rows state in their ``detail`` (the counts of
栏目不更新 with 空白栏目, the home page's newest date, the letters) and lists what differs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from demo.model import Portal

SITE_DOWN = "站点无法访问"
HOME_STALE = "首页不更新"
COLUMNS_STALE = "栏目不更新"
SERIOUS_ERRORS = "严重表述错误"
POOR_REPLIES = "互动回应差"

HOME_DAYS = 14  # 首页: 监测2周 without an update
KEY_LIMIT = 5  # stale news columns + stale first-level 通知公告/政策文件 columns, ≥
NOT_UPDATED_LIMIT = 10  # 应更新但长期未更新 (undated ones count), ≥
BLANK_LIMIT = 5  # 空白栏目, ≥
NOT_UPDATED = ("stale", "undated")

#: What each row's detail states, as ``figure: pattern`` (group 1 is the figure).
FIGURES = {
    HOME_STALE: {"newest": r"最新信息 (\d{4}-\d{2}-\d{2})"},
    COLUMNS_STALE: {
        "key_columns": r"栏目未更新 (\d+) 个",
        "not_updated": r"应更新未更新 (\d+) 个",
        "blank": r"空白栏目 (\d+) 个",
    },
    POOR_REPLIES: {"letters": r"近一年留言 (\d+) 条", "overdue": r"未回应 (\d+) 条"},
}


def _top_level(column: Mapping[str, Any]) -> bool:
    """一级栏目: no ancestor column (the truth's path lists ancestors, maybe the name too)."""
    return not [name for name in column["path"] if name != column["name"]]


def verdict_truth(
    portal: Portal,
    columns: Iterable[Mapping[str, Any]] | None = None,
    exempt: Iterable[str] = (),
) -> dict[str, dict[str, Any]]:
    """Row name → ``{"result": pass|fail|unknown, figures…}`` for a first crawl of the portal.

    ``columns``: the columns' truth (default ``portal.truth()``; the demo run passes it with
    the site config's overrides); ``exempt``: URLs of 报备 columns, left out of the counts.
    """
    today = portal.today
    skip = set(exempt)
    truth = [
        c
        for c in (portal.truth() if columns is None else columns)
        if c.get("kind", "column") == "column" and c["url"] not in skip
    ]
    judged = [c for c in truth if c["status"] != "unreachable"]
    not_updated = [c for c in judged if c["status"] in NOT_UPDATED]
    key = [
        c
        for c in not_updated
        if c["category"] == "news" or (c["category"] in ("notice", "policy") and _top_level(c))
    ]
    blank = sum(c["status"] == "blank" for c in judged)
    failed = len(key) >= KEY_LIMIT or len(not_updated) >= NOT_UPDATED_LIMIT or blank >= BLANK_LIMIT
    # The home page's newest dated item; without one, its first-level columns' newest.
    newest = portal.home_last_update or max(
        (c["last_update"] for c in judged if _top_level(c) and c["last_update"]), default=None
    )
    if newest is None:
        home = "fail" if judged else "unknown"
    else:
        home = "fail" if (today - dt.date.fromisoformat(newest)).days > HOME_DAYS else "pass"
    letters = [m for m in portal.messages_truth() if m["kind"] == "letter"]
    overdue = sum(m["overdue"] for m in letters)
    return {
        # A fresh database holds no week of probes (≥ 20 a day): never a pass without them.
        SITE_DOWN: {"result": "unknown"},
        HOME_STALE: {"result": home, "newest": newest},
        COLUMNS_STALE: {
            "result": "fail" if failed else "pass" if judged else "unknown",
            "key_columns": len(key),
            "not_updated": len(not_updated),
            "blank": blank,
        },
        SERIOUS_ERRORS: {"result": "unknown"},  # no automatic check exists
        POOR_REPLIES: {
            "result": "fail" if overdue else "pass" if letters else "unknown",
            "letters": len(letters),
            "overdue": overdue,
        },
    }


def stated(row: Mapping[str, Any]) -> dict[str, Any]:
    """A crawl's verdict row as ``{"result", figures…}`` (a figure its detail lacks is None)."""
    out: dict[str, Any] = {"result": row.get("result")}
    for figure, pattern in FIGURES.get(row.get("name", ""), {}).items():
        match = re.search(pattern, row.get("detail") or "")
        value = match.group(1) if match else None
        out[figure] = int(value) if value is not None and value.isdigit() else value
    return out


def compare_verdict(
    rows: Iterable[Mapping[str, Any]], truth: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    """What differs between the crawl's verdict rows and the truth (empty: they match)."""
    got = {row.get("name"): stated(row) for row in rows}
    problems = [f"{name}: no row" for name in truth if name not in got]
    problems += [f"{name}: not a row of the indicator" for name in got if name not in truth]
    for name, expected in truth.items():
        if name in got:
            problems.extend(
                f"{name} {key}: expected {value!r}, got {got[name].get(key)!r}"
                for key, value in expected.items()
                if got[name].get(key) != value
            )
    return problems


def verdict_line(rows: Iterable[Mapping[str, Any]], truth: Mapping[str, Any]) -> str:
    """One line for ``python -m demo run``: each row's result and whether all match."""
    rows = list(rows)
    results = {row.get("name"): row.get("result") for row in rows}
    shown = ", ".join(f"{name} {results.get(name, '-')}" for name in truth)
    problems = compare_verdict(rows, truth)
    return f"verdict: {shown}; " + (
        "every row matches the truth" if not problems else "MISMATCH " + "; ".join(problems)
    )
