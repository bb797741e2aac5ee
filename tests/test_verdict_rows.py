"""The verdict's rules as pure functions: limits, unknown without data, probe levels."""

from __future__ import annotations

import datetime as dt

from portalspider.verdict import (
    COLUMNS_STALE,
    FAIL,
    PASS,
    UNKNOWN,
    Availability,
    ColumnFacts,
    availability_row,
    build_rows,
    columns_row,
    count_columns,
    home_row,
)

TODAY = dt.date(2026, 6, 30)


def _cols(n: int, status: str, category: str = "news", top: bool = False, exempt: bool = False):
    return [ColumnFacts(status, category, top, exempt)] * n


def test_column_counts_and_their_limits() -> None:
    four = count_columns(_cols(4, "stale") + _cols(3, "ok"))
    assert (four.key_columns, four.failed) == (4, False)
    assert count_columns(_cols(4, "stale") + _cols(1, "undated")).failed  # undated counts
    # Second-level notices are no key columns; top-level ones are.
    assert count_columns(_cols(5, "stale", "notice")).key_columns == 0
    assert count_columns(_cols(5, "stale", "notice", top=True)).failed
    assert count_columns(_cols(9, "stale", "other")).failed is False
    assert count_columns(_cols(10, "stale", "other")).failed
    assert count_columns(_cols(5, "blank", "other")).failed
    assert count_columns(_cols(5, "stale", exempt=True)).failed is False  # 报备


def test_rows_without_data_are_unknown_never_pass() -> None:
    rows = build_rows(
        today=TODAY,
        site_up=False,
        home_newest=None,
        home_source=None,
        columns=[],
        availability=None,
    )
    assert [r.result for r in rows] == [UNKNOWN] * 5
    up = build_rows(
        today=TODAY,
        site_up=True,
        home_newest=None,
        home_source=None,
        columns=_cols(3, "ok"),
        availability=None,
    )
    assert {r.name: r.result for r in up}[COLUMNS_STALE] == PASS


def test_an_incomplete_crawl_never_passes_the_columns_row_but_its_fail_stands() -> None:
    reason = "crawl bound hit: max_pages, 3"
    passing = count_columns(_cols(3, "ok"))
    assert columns_row(passing).result == PASS
    row = columns_row(passing, reason)
    assert (row.result, row.detail) == (UNKNOWN, f"本次检测不完整: {reason}")
    failing = count_columns(_cols(5, "stale"))
    assert columns_row(failing, reason).result == FAIL  # a fail found on what was read
    rows = build_rows(
        today=TODAY,
        site_up=True,
        home_newest=TODAY,
        home_source="home",
        columns=_cols(3, "ok"),
        availability=None,
        incomplete_reason=reason,
    )
    assert {r.name: r.result for r in rows}[COLUMNS_STALE] == UNKNOWN


def test_home_row_limit_is_fourteen_days() -> None:
    assert home_row(True, TODAY - dt.timedelta(days=14), "home", TODAY, 3).result == PASS
    assert home_row(True, TODAY - dt.timedelta(days=15), "home", TODAY, 3).result == FAIL
    assert home_row(True, None, None, TODAY, 3).result == FAIL  # nothing dated: not updated
    assert home_row(True, None, None, TODAY, 0).result == UNKNOWN


def test_availability_needs_a_week_of_probes_and_fails_at_five_percent() -> None:
    assert availability_row(Availability(139, 0)).result == UNKNOWN
    assert availability_row(Availability(140, 6)).result == PASS
    assert availability_row(Availability(140, 7)).result == FAIL
    assert Availability(100, 2).level is None
    assert Availability(100, 3).level == "warn"
    assert Availability(100, 5).level == "alert"
    assert Availability(0, 0).level is None
