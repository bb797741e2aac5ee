"""Truth table for the status rules of spec/interface.md, at the boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from portalspider.judge import Verdict, judge

TODAY = dt.date(2025, 3, 1)


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def run(
    last_update: dt.date | None,
    threshold: int = 14,
    *,
    items: int = 10,
    dated: int = 10,
    unreachable: bool = False,
    placeholder: bool = False,
) -> Verdict:
    return judge(
        last_update=last_update,
        items_found=items,
        dated_items=dated,
        threshold_days=threshold,
        today=TODAY,
        unreachable=unreachable,
        placeholder=placeholder,
    )


@pytest.mark.parametrize(
    ("age", "threshold", "status"),
    [
        (0, 14, "ok"),
        (11, 14, "ok"),  # 11 <= 11.2
        (12, 14, "warning"),  # 12 > 11.2
        (14, 14, "warning"),  # not stale at exactly the threshold
        (15, 14, "stale"),
        (146, 183, "ok"),  # 146 <= 146.4
        (147, 183, "warning"),
        (183, 183, "warning"),
        (184, 183, "stale"),
        (292, 365, "ok"),  # 0.8 * 365 = 292 exactly: not above
        (293, 365, "warning"),
        (365, 365, "warning"),
        (366, 365, "stale"),
        (24, 30, "ok"),  # 0.8 * 30 = 24 exactly
        (25, 30, "warning"),
        (0, 1, "ok"),
        (1, 1, "warning"),
        (2, 1, "stale"),
    ],
)
def test_age_against_threshold(age: int, threshold: int, status: str) -> None:
    assert run(ago(age), threshold) == Verdict(status, age)


def test_unreachable_is_never_stale() -> None:
    verdict = run(ago(400), unreachable=True)
    assert verdict.status == "unreachable"
    assert verdict.age_days == 400  # a previously known date still gives an age
    assert run(None, items=0, dated=0, unreachable=True).status == "unreachable"


@pytest.mark.parametrize(
    ("items", "placeholder", "last_update"),
    [(0, False, None), (0, False, ago(3)), (3, True, None), (1, True, ago(400))],
)
def test_blank(items: int, placeholder: bool, last_update: dt.date | None) -> None:
    assert run(last_update, items=items, dated=0, placeholder=placeholder) == Verdict("blank", None)


def test_undated_when_items_have_no_date() -> None:
    assert run(None, items=5, dated=0) == Verdict("undated", None)


def test_date_from_article_pages_counts_even_without_list_dates() -> None:
    assert run(ago(3), items=5, dated=0) == Verdict("ok", 3)


@pytest.mark.parametrize("items", [5, 0])
def test_future_date_is_treated_as_no_date(items: int) -> None:
    future = TODAY + dt.timedelta(days=1)
    expected = "undated" if items else "blank"
    assert run(future, items=items, dated=items).status == expected
    assert run(future, items=items).age_days is None


def test_bad_threshold_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="threshold_days"):
        run(ago(1), 0)
