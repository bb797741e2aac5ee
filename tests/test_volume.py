"""Update volume (items_30d/90d/365d, counts_complete) and 更新较少 (``sparse``), issue 10."""

from __future__ import annotations

import datetime as dt

import pytest

from demo import build_portal, serve
from demo.compare import compare
from portalspider.extract.listpage import (
    Entry,
    ListPage,
    count_within,
    item_dates,
    merge_next_page,
)
from portalspider.extract.pager import next_page_url
from portalspider.judge import is_sparse, judge
from portalspider.rules import ColumnRules
from portalspider.siteconfig import ColumnRule, MinItems, SiteConfig
from tests.crawlutil import crawl, write_site

TODAY = dt.date(2025, 6, 30)


def _entry(days_ago: int, n: int, pinned: bool = False) -> Entry:
    return Entry(f"t{n}", f"http://x/a/{n}.html", TODAY - dt.timedelta(days=days_ago), None, pinned)


@pytest.mark.parametrize(
    ("last", "count", "page", "want"),
    [
        ("http://x/a/index_4.html", 5, 2, "http://x/a/index_1.html"),  # TRS, 0-based
        ("http://x/C_3/Index_5.aspx", 5, 3, "http://x/C_3/Index_3.aspx"),  # PowerEasy
        ("http://x/channel/12_5.html", 5, 2, "http://x/channel/12_2.html"),
        ("http://x/list.jsp?catid=3&page=5", 5, 2, "http://x/list.jsp?catid=3&page=2"),
        ("http://x/a/index_4.html", 5, 6, None),  # past the end
        (None, 5, 2, None),
    ],
)
def test_next_page_url_swaps_the_page_number(last, count, page, want):
    assert next_page_url(last, count, page) == want


def test_counts_take_distinct_items_and_no_future_dates():
    entries = [_entry(400, 0, pinned=True), _entry(0, 1), _entry(29, 2), _entry(30, 3)]
    entries += [_entry(-3, 4), _entry(89, 5), _entry(364, 6), _entry(365, 7)]
    entries.append(_entry(400, 0, pinned=True))  # the pinned item again on page 2
    dates = item_dates(entries, TODAY)
    assert len(dates) == 7  # the future one dropped, the pinned one once
    assert count_within(dates, TODAY, 30) == 2  # 0 and 29 days; 30 days is outside
    assert count_within(dates, TODAY, 90) == 4
    assert count_within(dates, TODAY, 365) == 5


def test_volume_is_complete_only_when_the_window_was_read():
    first = ListPage(entries=[_entry(d, d) for d in range(0, 150, 10)], page_count=2)
    first.next_page_url = "http://x/a/index_1.html"
    volume = first.volume(TODAY)
    assert (volume.counts[30], volume.counts[365]) == (3, 15)
    assert not volume.complete
    assert volume.seen_days == 140
    second = ListPage(entries=[_entry(d, d) for d in range(150, 450, 20)])
    merged = merge_next_page(first, second)
    assert merged.pages_read == 2
    assert not merged.more_pages()
    assert merged.volume(TODAY).complete
    assert merged.volume(TODAY).counts[365] == 26
    # Page 1 already reaches past 365 days: the rest cannot count.
    old = ListPage(entries=[_entry(d, d) for d in (5, 200, 370)], page_count=9)
    assert old.volume(TODAY).complete
    blank = ListPage(placeholder=True).volume(TODAY)
    assert blank.counts == {30: 0, 90: 0, 365: 0}
    assert blank.complete
    undated = ListPage(entries=[Entry("t", "http://x/1.html", None, None)]).volume(TODAY)
    assert undated.counts == {30: None, 90: None, 365: None}
    assert not undated.complete


RULE = MinItems(count=4, days=30)


@pytest.mark.parametrize(
    ("age", "count", "seen", "want"),
    [
        (31, None, False, True),  # newest item outside the window: none in it
        (30, 0, False, True),
        (3, 2, True, True),  # the whole window read, two items: too few
        (3, 2, False, False),  # a lower bound below the count: no claim
        (3, 4, False, False),  # a lower bound reaching the count: enough
        (3, None, False, False),  # no list dates to count
    ],
)
def test_sparse_only_on_evidence(age, count, seen, want):
    assert is_sparse(RULE, age, count, seen) is want
    assert not is_sparse(None, age, count, seen)
    assert not is_sparse(MinItems.OFF, age, count, seen)


def test_judge_precedence_stale_sparse_warning():
    def status(age: int, count: int | None, rule=RULE) -> str:
        return judge(
            last_update=TODAY - dt.timedelta(days=age),
            items_found=10,
            dated_items=10,
            threshold_days=183,
            today=TODAY,
            min_items=rule,
            items_in_window=count,
            window_seen=True,
        ).status

    assert status(200, 0) == "stale"
    assert status(170, 0) == "sparse"  # warning age, but too few items: sparse first
    assert status(170, 0, rule=None) == "warning"
    assert status(2, 1) == "sparse"
    assert status(2, 5) == "ok"


def test_min_items_resolves_from_defaults_and_columns():
    config = SiteConfig(
        path="x",
        name="x",
        url="http://x/",
        min_items=MinItems(1, 30),
        columns=[
            ColumnRule(match="/a/", min_items=MinItems(4, 30)),
            ColumnRule(match="/b/", min_items=MinItems.OFF),
            ColumnRule(match="/c/", max_age_days=10),
        ],
    )
    rules = ColumnRules(config)
    assert rules.resolve("http://x/a/", "A").min_items == MinItems(4, 30)
    assert rules.resolve("http://x/b/", "B").min_items is None
    assert rules.resolve("http://x/c/", "C").min_items == MinItems(1, 30)
    no_rule = ColumnRules(SiteConfig(path="x", name="x", url="http://x/"))
    assert no_rule.resolve("http://x/a/", "A").min_items is None


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "theme"), [(51, "b"), (52, "f"), (53, "c"), (54, "d"), (55, "e")])
def test_counts_and_sparse_against_the_demo_truth(seed, theme, tmp_path):
    """Counts exact (98 %) or flagged lower bounds, never above the truth, with the
    default settings; with the 每月正常更新 rule, every column without an item in 30 days
    and within its threshold is sparse, and no other. (c: title-box/date-box rows; d: TRS
    动静结合 pages; e: blank columns, whose counts are 0.)"""
    portal = build_portal(seed=seed, theme=theme)
    rule = "defaults:\n  min_items: {count: 1, days: 30}\n"
    with serve(portal) as server:
        site = write_site(tmp_path / "site.yaml", server.url, extra=rule)
        result = crawl(site, tmp_path)
        requests = server.request_count
    assert result.returncode == 0, result.stderr[-2000:]
    report = compare(result.columns, portal.truth(min_items=(1, 30)))
    detail = report.summary()
    assert report.counts_dated >= 20, detail
    assert not report.counts_overstated, detail
    assert not report.counts_wrong, detail
    assert report.counts_exact + report.counts_lower + len(report.counts_missing) == (
        report.counts_dated
    ), detail
    assert report.counts_pct >= 98, detail  # the rest are flagged at the page cap
    # The list pages read stay few (the 互动回应差 check's letters and pages and the 解读回应
    # check's documents and interpretations apart).
    messages = sum(
        m["pages_read"] - 1 + m["details_read"] for m in result.of_type("message_column")
    )
    policy_pages = sum(i["pages"] for i in result.of_type("interpretations"))
    assert (requests - messages - policy_pages) / report.truth_columns <= 1.9, detail
    assert not report.false_sparse, detail
    assert not report.missed_sparse, detail
    assert report.truth_status_counts.get("sparse"), detail  # the check had cases
    assert report.status_exact == report.found, detail
