"""A column's status from its newest date and its threshold (``spec/interface.md``).

The order of the checks is the contract: a page that could not be fetched is never
judged stale (a fetch failure is not evidence), an empty list is ``blank`` whatever dates
the page chrome shows, items without any date are ``undated``, and only then does age
against the threshold decide ``stale`` / ``warning`` / ``ok``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

STATUSES = ("ok", "warning", "stale", "blank", "undated", "unreachable")


@dataclass(frozen=True)
class Verdict:
    status: str  # one of STATUSES
    age_days: int | None  # whole days since last_update; None without a usable date


def judge(
    *,
    last_update: dt.date | None,
    items_found: int,
    dated_items: int,
    threshold_days: int,
    today: dt.date,
    unreachable: bool = False,
    placeholder: bool = False,
) -> Verdict:
    """Judge one column.

    ``dated_items`` is informational: a date found on the newest item's own page (with no
    date on the list) still makes the column dated, so ``last_update`` decides.  A
    ``last_update`` after ``today`` is a data-entry error and is treated as no date; the
    extractor already drops those, this is the last line of defence against a false ok.
    """
    if threshold_days < 1:
        raise ValueError(f"threshold_days must be at least 1, got {threshold_days}")
    if last_update is not None and last_update > today:
        last_update = None
    age = (today - last_update).days if last_update is not None else None

    if unreachable:
        return Verdict("unreachable", age)
    if items_found <= 0 or placeholder:
        return Verdict("blank", None)
    if age is None:
        return Verdict("undated", None)
    if age > threshold_days:
        return Verdict("stale", age)
    # age > 0.8 * threshold, in integers so 0.8 * 14 = 11.2 cannot round the wrong way.
    if age * 5 > threshold_days * 4:
        return Verdict("warning", age)
    return Verdict("ok", age)
