"""Exact update volume from page 1 and the boundary pages of a paged list (listcount.py)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

import pytest

from portalspider.extract.listcount import PagedList
from portalspider.extract.listpage import COUNT_WINDOWS, Entry, ListPage

TODAY = dt.date(2026, 12, 1)
BASE = "http://x.gov.cn/xwzx/gzdt/"

Item = tuple[str, dt.date, bool]  # url, date, pinned


def _list(ages: list[int], per_page: int, pinned: int = 0) -> list[list[Item]]:
    """Pages of a newest-first list; ``pinned`` old items lead every page, taking places."""
    items = [(f"{BASE}t{n}.html", TODAY - dt.timedelta(days=a), False) for n, a in enumerate(ages)]
    pins = [(f"{BASE}pin{n}.html", TODAY - dt.timedelta(days=900 + n), True) for n in range(pinned)]
    size = per_page - pinned
    return [pins + items[i : i + size] for i in range(0, len(items), size)]


def _page(items: list[Item], count: int, number: int) -> ListPage:
    entries = [Entry(url.rsplit("/", 1)[1], url, day, None, pin) for url, day, pin in items]
    last = f"{BASE}index_{count - 1}.html" if count > 1 else None
    following = f"{BASE}index_{number}.html" if number < count else None
    return ListPage(entries=entries, page_count=count, last_page_url=last, next_page_url=following)


def _number(url: str) -> int:
    name = url.rsplit("/", 1)[1]
    return 1 if name == "index.html" else int(name[len("index_") : -len(".html")]) + 1


def _truth(pages: list[list[Item]]) -> dict[int, int]:
    days = {(url, day) for page in pages for url, day, _ in page}
    return {w: sum(1 for _, d in days if 0 <= (TODAY - d).days < w) for w in COUNT_WINDOWS}


def _read(
    pages: list[list[Item]],
    max_pages: int = 5,
    serve: Callable[[int], int] = lambda n: n,
) -> tuple[PagedList, list[int]]:
    """The spider's loop: page 1, then the page ``next_page`` names, until it names none.
    ``serve`` maps the page asked for to the page the server answers with."""
    count = len(pages)
    paged = PagedList(_page(pages[0], count, 1))
    asked = []
    while (number := paged.next_page(TODAY, max_pages)) is not None:
        url = paged.page_url(number)
        assert url is not None
        assert _number(url) == number
        asked.append(number)
        served = serve(number)
        paged.more[number] = _page(pages[served - 1], count, served)
    return paged, asked


def _counts(paged: PagedList) -> tuple[dict[int, int | None], bool]:
    volume = paged.volume(TODAY)
    return volume.counts, volume.complete


def test_one_item_a_day_reads_only_the_boundary_pages() -> None:
    pages = _list(list(range(600)), per_page=20)  # 30 pages; 365 days end on page 19
    paged, asked = _read(pages)
    counts, complete = _counts(paged)
    assert complete
    assert counts == _truth(pages) == {30: 30, 90: 90, 365: 365}
    assert asked == [19, 5, 2]  # 365 first, then 90 and 30 between what was read


def test_a_list_shorter_than_the_window_is_counted_from_its_last_page() -> None:
    pages = _list(list(range(0, 200, 2)), per_page=15)  # 100 items over 200 days, 7 pages
    paged, asked = _read(pages)
    counts, complete = _counts(paged)
    assert complete
    assert counts == _truth(pages) == {30: 15, 90: 45, 365: 100}
    assert asked[0] == 7
    assert len(asked) <= 4


def test_pinned_items_on_every_page_are_counted_once() -> None:
    pages = _list(list(range(0, 900, 3)), per_page=20, pinned=1)
    paged, _ = _read(pages)
    counts, complete = _counts(paged)
    assert complete
    assert counts == _truth(pages)


@pytest.mark.parametrize("seed", range(40))
def test_random_lists_are_exact_or_flagged_never_overstated(seed: int) -> None:
    rng = random.Random(seed)
    gap = rng.choice([1, 2, 4, 10, 30, 70])
    ages, age = [], rng.randint(0, 40)
    for _ in range(rng.randint(1, 400)):
        ages.append(age)
        age += rng.randint(0, gap)
    pages = _list(ages, per_page=rng.choice([10, 15, 20, 24]), pinned=rng.choice([0, 0, 1]))
    paged, asked = _read(pages, max_pages=rng.choice([1, 3, 5]))
    counts, complete = _counts(paged)
    truth = _truth(pages)
    assert all(counts[w] is not None and counts[w] <= truth[w] for w in COUNT_WINDOWS)
    if complete:
        assert counts == truth
    assert 1 + len(asked) == paged.pages_read <= 5


def test_exact_with_few_pages_on_most_lists() -> None:
    """Irregular lists of up to 20 pages: nearly all exact within 5 pages."""
    exact = reads = 0
    for seed in range(200):
        rng = random.Random(seed)
        ages, age = [], rng.randint(0, 20)
        for _ in range(rng.randint(20, 300)):
            ages.append(age)
            age += rng.randint(0, rng.choice([2, 5, 12]))
        paged, asked = _read(_list(ages, per_page=15))
        exact += _counts(paged)[1]
        reads += 1 + len(asked)
    assert exact >= 188  # the rest reach the 5-page cap: flagged lower bounds
    assert reads / 200 <= 4.0


def test_a_server_ignoring_the_page_number_gives_flagged_lower_bounds() -> None:
    pages = _list(list(range(0, 900, 2)), per_page=15)
    paged, asked = _read(pages, serve=lambda n: 1)
    counts, complete = _counts(paged)
    assert not complete
    assert counts == {30: 15, 90: 15, 365: 15}  # what page 1 shows, nothing inferred
    assert len(asked) == 1  # a page repeating page 1 stops the reading


def test_pages_out_of_order_give_flagged_lower_bounds() -> None:
    pages = _list(list(range(0, 900, 2)), per_page=15)
    for index in range(9, 14):  # pages 10-14 oldest first: the 365-day estimate lands there
        pages[index] = list(reversed(pages[index]))
    paged, asked = _read(pages)
    counts, complete = _counts(paged)
    assert len(asked) == 1
    assert not complete
    assert counts == {30: 15, 90: 15, 365: 15}  # page 1's: nothing inferred from a bad page
    truth = _truth(pages)
    assert all(counts[w] <= truth[w] for w in COUNT_WINDOWS)


def test_a_short_page_in_the_middle_gives_flagged_lower_bounds() -> None:
    pages = _list(list(range(0, 900, 2)), per_page=15)
    pages[12] = pages[12][:9]  # page 13 holds fewer items than a full page
    paged, asked = _read(pages)
    counts, complete = _counts(paged)
    assert 13 in asked
    assert not complete
    truth = _truth(pages)
    assert all(counts[w] <= truth[w] for w in COUNT_WINDOWS)


def test_the_page_cap_leaves_flagged_lower_bounds() -> None:
    pages = _list(list(range(600)), per_page=20)
    paged, asked = _read(pages, max_pages=2)
    counts, complete = _counts(paged)
    assert asked == [19]
    assert not complete
    assert counts[365] == 365  # page 19 read: 365 exact, 30 and 90 not
    assert counts[30] == 20
    assert counts[90] == 20


def test_a_list_without_a_page_count_is_read_page_after_page() -> None:
    pages = _list(list(range(0, 120, 3)), per_page=10)  # 4 pages, only 下一页 links
    first = _page(pages[0], 4, 1)
    first.page_count, first.last_page_url = None, None
    paged = PagedList(first)
    asked = []
    while (number := paged.next_page(TODAY, 5)) is not None:
        asked.append(number)
        following = _page(pages[number - 1], 4, number)
        following.page_count = following.last_page_url = None
        paged.more[number] = following
    counts, complete = _counts(paged)
    assert asked == [2, 3, 4]
    assert complete
    assert counts == _truth(pages)


AVALON = """<html><head><meta charset="utf-8"></head><body><div class="list-con">
<ul class="list-ul"><li ms-repeat="list"><a ms-attr-href="el.docpuburl">{{ el.doctitle }}</a>
<span ms-text="el.docreltime"></span></li></ul>
<div ms-visible="$showStatic(1)"><ul class="list-ul">%s</ul></div></div>
<script>var pageChnlInfo={quickMode:"动静结合", maxStaticIndex: %d, classsql: "chnlid=1717",
 recordCount:'55', sortfield:'-docorderpri,-docreltime', prepage:15, cache:true}</script>
</body></html>"""


@pytest.mark.parametrize(("static", "last"), [(5, "index_3.shtml"), (3, None)])
def test_trs_dynamic_static_pages_are_reached_by_number(static: int, last: str | None) -> None:
    """TRS 动静结合: the first maxStaticIndex pages are static files, later ones API only."""
    from portalspider.extract.listpage import parse_list_page

    rows = "".join(
        f'<li><a href="./202611/t202611{d:02d}_{d}.shtml">标题{d}</a><span>2026-11-{d:02d}</span></li>'
        for d in range(28, 13, -1)
    )
    url = BASE + "index.shtml"
    page = parse_list_page(AVALON % (rows, static), url, TODAY)
    assert page.page_count == 4  # ceil(55 / 15)
    assert page.last_page_url == (BASE + last if last else None)
    if last:
        assert PagedList(page).page_url(3) == BASE + "index_2.shtml"


def test_a_row_of_title_box_and_date_box_is_one_dated_item() -> None:
    """``<div class="item"><div><a/></div><div>date</div></div>``: the list's dates are read
    (not the articles'), so the list can be counted."""
    from portalspider.extract.listpage import parse_list_page

    rows = "".join(
        f'<div class="item"><div class="item-tit"><a href="/a/{d}.html">标题{d}</a></div>'
        f'<div class="item-rq">2026-11-{d:02d}</div></div>'
        for d in range(20, 5, -1)
    )
    html = f'<html><body><div class="lb-items">{rows}</div></body></html>'
    page = parse_list_page(html, BASE, TODAY)
    assert [e.date for e in page.entries] == [dt.date(2026, 11, d) for d in range(20, 5, -1)]


def test_the_volume_follows_the_pages_read() -> None:
    """The joined pages and their volume are kept per set of pages read: a page read
    since is counted."""
    pages = _list(list(range(0, 400, 3)), per_page=10)
    paged = PagedList(_page(pages[0], len(pages), 1))
    before = paged.volume(TODAY)
    assert paged.volume(TODAY) == before
    paged.more[2] = _page(pages[1], len(pages), 2)
    fresh = PagedList(paged.first, dict(paged.more))
    assert paged.contiguous() == fresh.contiguous()
    assert paged.volume(TODAY) == fresh.volume(TODAY)
    assert paged.volume(TODAY) != before
