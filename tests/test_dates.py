"""Truth tables for every date spelling, year inference and URL dates (portalspider.dates)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from portalspider.dates import (
    date_at,
    date_in_url,
    day_start,
    days_window,
    find_dates,
    last_days,
    parse_date,
    today_shanghai,
)

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-09-10", date(2024, 9, 10)),
        ("2024/9/10", date(2024, 9, 10)),
        ("2024.09.10", date(2024, 9, 10)),
        ("2024年9月10日", date(2024, 9, 10)),
        ("2020年08月02日", date(2020, 8, 2)),
        ("2024 年 9 月 10 日", date(2024, 9, 10)),
        ("2024-09-10 10:49:00", date(2024, 9, 10)),
        ("2019-09-18 06:23", date(2019, 9, 18)),
        ("[2016-12-02]", date(2016, 12, 2)),
        ("[ 2026-09-03 ]", date(2026, 9, 3)),
        ("2007-08-20-23:59:59", date(2007, 8, 20)),
        ("发布日期: 2012-06-24", date(2012, 6, 24)),
        ("  2017-10-20\n", date(2017, 10, 20)),
        # year-less: latest year that does not put the date after today
        ("[09-10]", date(2026, 9, 10)),
        ("[ 09-10 ]", date(2026, 9, 10)),
        ("10-20", date(2026, 10, 20)),
        ("11-28", date(2026, 11, 28)),
        ("11-29", date(2025, 11, 29)),
        ("12-30", date(2025, 12, 30)),
        ("9月10日", date(2026, 9, 10)),
        # not dates
        ("000014348/2020-35428", None),
        ("014742224A/2023-0043406", None),
        ("003129766/201901-00336", None),
        ("1-10月", None),
        ("10:49", None),
        ("2024-13-01", None),
        ("2023-02-29", None),
        ("第3.5期", None),
        ("", None),
        ("暂无信息", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("12-30", date(2026, 1, 5), date(2025, 12, 30)),
        ("01-05", date(2026, 1, 5), date(2026, 1, 5)),
        ("01-06", date(2026, 1, 5), date(2025, 1, 6)),
        ("02-29", date(2026, 3, 1), date(2024, 2, 29)),
    ],
)
def test_yearless_year_inference(text: str, today: date, expected: date) -> None:
    assert parse_date(text, today) == expected


def test_parse_date_returns_the_first_date() -> None:
    assert parse_date("2024-09-10 至 2024-10-01", TODAY) == date(2024, 9, 10)


def test_find_dates_in_order_and_skips_index_numbers() -> None:
    text = "索引号：000014348/2020-35428 生成日期：2020-08-05 更新 2020年8月6日 [08-07]"
    assert find_dates(text, TODAY) == [date(2020, 8, 5), date(2020, 8, 6), date(2026, 8, 7)]


def test_date_at_needs_the_date_right_there() -> None:
    assert date_at("发布日期：2016-11-22", 5) == date(2016, 11, 22)
    assert date_at("发布日期：来源 2016-11-22", 5) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.yzq.gov.cn/zwgk/zwdt/zwyw/201710/t20171020_398361.html", date(2017, 10, 20)),
        ("./202503/t20250321_97999.htm", date(2025, 3, 21)),
        ("./t20190918_693227.shtml", date(2019, 9, 18)),
        ("/art/2016/11/22/art_1621004_30332664.html", date(2016, 11, 22)),
        ("/art/2026/9/1/art_33718_1.html", date(2026, 9, 1)),
        ("http://paper.people.com.cn/html/2023-11/02/nbs.D110000renmrb_01.htm", date(2023, 11, 2)),
        ("http://x.gov.cn/202311/02/node_1.html", date(2023, 11, 2)),
        ("http://x.gov.cn/202409/", None),  # month only
        ("/wzxrmzf/tjgb/201705/9c059bf058ef4db8b3c8f920e22186fe.shtml", None),
        ("/Item/24067.aspx", None),
        ("./202512/t20251340_1.html", None),  # impossible date
        ("", None),
    ],
)
def test_date_in_url(url: str, expected: date | None) -> None:
    assert date_in_url(url) == expected


def test_today_shanghai_is_utc_plus_8() -> None:
    before = (datetime.now(UTC) + timedelta(hours=8)).date()
    today = today_shanghai()
    after = (datetime.now(UTC) + timedelta(hours=8)).date()
    assert today in (before, after)


def test_days_window_is_the_shanghai_days_up_to_the_judging_date() -> None:
    start, end = days_window(date(2026, 6, 30), 7)
    # 2026-06-24 00:00 and 2026-07-01 00:00 in Asia/Shanghai, as naive UTC.
    assert start == datetime(2026, 6, 23, 16, 0)
    assert end == datetime(2026, 6, 30, 16, 0)
    assert day_start(date(2026, 6, 30)) == datetime(2026, 6, 29, 16, 0)
    # The same days as dates, both ends included (report windows over stored dates).
    assert last_days(date(2026, 6, 30), 7) == (date(2026, 6, 24), date(2026, 6, 30))
