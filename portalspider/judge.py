"""A column's status from its newest date and its threshold (``spec/interface.md``).

The order of the checks is the contract (``vocab.PRECEDENCE``): a page that could not be
fetched is never judged stale (a fetch failure is not evidence), an empty list is ``blank``
whatever dates the page chrome shows, items without any date are ``undated``, and only
then does age against the threshold decide ``stale`` / ``sparse`` / ``warning`` / ``ok``.
``sparse`` (更新较少) needs a ``min_items`` rule and is claimed only on evidence: a list read
back past the rule's window, or a newest item already older than it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from portalspider.dates import age_days, update_or_none
from portalspider.siteconfig import MinItems


@dataclass(frozen=True)
class Verdict:
    status: str  # one of vocab.STATUSES
    age_days: int | None  # whole days since last_update; None without a usable date


def past_warning(age: int, threshold_days: int) -> bool:
    """``age > 0.8 * threshold``, in integers so 0.8 * 14 = 11.2 cannot round the wrong way."""
    return age * 5 > threshold_days * 4


def is_sparse(
    rule: MinItems | None, age: int, items_in_window: int | None, window_seen: bool
) -> bool:
    """Fewer than ``rule.count`` items in the last ``rule.days`` days, known for sure.

    A newest item ``days`` old or older leaves the window empty. Otherwise the count read
    from the list decides, but only when the pages read cover the whole window: a lower
    bound below the count is no evidence (no false alarm), one reaching it is enough.
    """
    if rule is None or not rule.enabled:
        return False
    if age >= rule.days:
        return True
    if items_in_window is None or items_in_window >= rule.count:
        return False
    return window_seen


def is_top_level(path: Sequence[str], name: str) -> bool:
    """一级栏目: no ancestor column above it (the 6-month veto row counts only these).

    ``path`` lists names from the top navigation down and may or may not end with the
    column's own name, so that name is dropped first; what is left are its ancestors.
    A column whose path is only its own first-level channel (``["政务公开"]`` for a column
    named 政务公开) is top level; a column 政策文件 under ``["政务公开"]`` is not.
    """
    ancestors = list(path)
    if ancestors and ancestors[-1] == name:
        ancestors.pop()
    return not ancestors


def judge(
    *,
    last_update: dt.date | None,
    items_found: int,
    dated_items: int,
    threshold_days: int,
    today: dt.date,
    unreachable: bool = False,
    placeholder: bool = False,
    min_items: MinItems | None = None,
    items_in_window: int | None = None,
    window_seen: bool = False,
) -> Verdict:
    """Judge one column.

    ``dated_items`` is informational: a date found on the newest item's own page (with no
    date on the list) still makes the column dated, so ``last_update`` decides.  A
    ``last_update`` after ``today`` is a data-entry error and is treated as no date
    (``dates.is_update``). ``items_in_window`` counts the list's items within
    ``min_items.days`` (None: the list shows no dates), ``window_seen`` says whether the
    pages read reach back over that whole window (:func:`is_sparse`).
    """
    if threshold_days < 1:
        raise ValueError(f"threshold_days must be at least 1, got {threshold_days}")
    age = age_days(update_or_none(last_update, today), today)

    if unreachable:
        return Verdict("unreachable", age)
    if items_found <= 0 or placeholder:
        return Verdict("blank", None)
    if age is None:
        return Verdict("undated", None)
    if age > threshold_days:
        return Verdict("stale", age)
    if is_sparse(min_items, age, items_in_window, window_seen):
        return Verdict("sparse", age)
    if past_warning(age, threshold_days):
        return Verdict("warning", age)
    return Verdict("ok", age)
