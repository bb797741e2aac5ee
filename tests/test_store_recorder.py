"""The recorder over a sequence of runs with synthetic items, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from itemadapter import ItemAdapter
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from portalspider.items import ChannelItem, ColumnItem, SiteItem
from portalspider.store.models import Column, CrawlRun, Finding, Observation, Unit
from portalspider.store.queries import current_columns, get_site
from portalspider.store.recorder import RunRecorder, first_stale_day, item_dict

SITE = "http://www.qx.gov.cn/"
D0 = dt.date(2026, 3, 1)


def col(slug: str, status: str = "ok", last: str | None = "2026-02-27", **kw: Any) -> ColumnItem:
    return ColumnItem(
        url=f"{SITE}{slug}/",
        name=kw.pop("name", slug),
        path=kw.pop("path", ["政务公开"]),
        category=kw.pop("category", "news"),
        unit=kw.pop("unit", "县政府办"),
        threshold_days=kw.pop("threshold_days", 14),
        last_update=last,
        status=status,
        **kw,
    )


def run(
    sessions: sessionmaker[Session],
    items: list[Any],
    today: dt.date,
    *,
    site: str = "up",
    batch_size: int = 500,
    discovery_complete: bool = True,
) -> dict[str, Any]:
    rec = RunRecorder(
        sessions, site_url=SITE, site_name="青溪县", today=today, batch_size=batch_size
    )
    rec.start()
    rec.add(SiteItem(url=SITE, status=site))
    for item in items:
        rec.add(item)
    return rec.finish(discovery_complete=discovery_complete, stats={})


def state(sessions: sessionmaker[Session], today: dt.date) -> dict[str, dict[str, Any]]:
    with sessions() as s:
        rows = current_columns(s, SITE, today, include_gone=True)
    return {r["name"]: r for r in rows}


def findings(sessions: sessionmaker[Session]) -> list[tuple[str, str, bool, str | None]]:
    with sessions() as s:
        rows = s.execute(
            select(Column.name, Finding.kind, Finding.is_open, Finding.resolution)
            .join(Column, Column.id == Finding.column_id)
            .order_by(Finding.id)
        ).all()
    return [tuple(r) for r in rows]


def test_findings_open_fix_and_gone(store: sessionmaker[Session]) -> None:
    s1 = run(
        store,
        [
            col("a", "stale", "2026-01-01"),
            col("b", "ok"),
            col("c", "stale", "2026-01-10"),
            col("d", "undated", None),
            col("e", "blank", None),
            ChannelItem(url=SITE, name="x"),
        ],
        D0,
    )
    assert s1["new_findings"] == 4
    assert s1["by_status"] == {"blank": 1, "ok": 1, "stale": 2, "undated": 1}
    assert s1["new_findings_by_kind"] == {"stale": 2, "undated": 1, "blank": 1}
    assert s1["channels"] == 1
    assert {f[0] for f in findings(store) if f[2]} == {"a", "c", "d", "e"}

    # Next week: a fixed, b goes stale, c vanished from the site, d still undated.
    d1 = D0 + dt.timedelta(days=7)
    week2 = [
        col("a", "ok", "2026-03-07"),
        col("b", "stale", "2026-02-20"),
        col("d", "undated", None),
        col("e", "blank", None),
    ]
    s2 = run(store, week2, d1 - dt.timedelta(days=1))
    assert s2["new_findings"] == 1
    assert s2["resolved_findings"] == 1
    # Missing from one complete crawl: not gone yet (a bad day must not erase history).
    assert s2["gone_findings"] == 0
    assert "gone" not in s2["by_status"]
    assert ("c", "stale", True, None) in findings(store)
    # Missing from a second complete crawl in a row: gone.
    s2 = run(store, week2, d1)
    assert s2["gone_findings"] == 1
    assert s2["by_status"]["gone"] == 1
    got = findings(store)
    assert ("a", "stale", False, "fixed") in got
    assert ("c", "stale", False, "gone") in got
    assert ("b", "stale", True, None) in got
    assert ("d", "undated", True, None) in got
    st = state(store, d1)
    assert st["c"]["status"] == "gone"
    assert st["a"]["status"] == "ok"
    assert st["a"]["runs_in_status"] == 2
    assert st["d"]["runs_in_status"] == 3
    assert st["b"]["stale_since"] == first_stale_day(dt.date(2026, 2, 20), 14).isoformat()
    # gone columns are hidden by default, shown when asked for
    with store() as s:
        assert "c" not in {r["name"] for r in current_columns(s, SITE, d1)}
        assert [r["name"] for r in current_columns(s, SITE, d1, ["gone"])] == ["c"]
        closed = s.scalars(select(Finding).where(Finding.resolution == "fixed")).one()
        assert closed.closed_on == d1 - dt.timedelta(days=1)
        assert closed.opened_on == D0

    # A gone column that comes back starts a new episode.
    run(
        store,
        [
            col("a", "ok"),
            col("b", "stale", "2026-02-20"),
            col("c", "stale", "2026-01-10"),
            col("d", "undated", None),
            col("e", "ok"),
        ],
        d1 + dt.timedelta(days=1),
    )
    got = findings(store)
    assert [f for f in got if f[0] == "c"] == [
        ("c", "stale", False, "gone"),
        ("c", "stale", True, None),
    ]
    assert ("e", "blank", False, "fixed") in got


def test_runs_in_status_and_stale_since(store: sessionmaker[Session]) -> None:
    day = D0
    for _ in range(3):
        run(store, [col("a", "stale", "2026-01-01"), col("b", "warning", "2026-02-15")], day)
        day += dt.timedelta(days=1)
    st = state(store, day)
    assert st["a"]["runs_in_status"] == 3
    assert st["b"]["runs_in_status"] == 3
    # first day stale: last update + threshold + 1, kept while the episode lasts
    assert st["a"]["stale_since"] == "2026-01-16"
    assert st["b"]["stale_since"] is None
    # age_days is as of the day asked, not the crawl day
    assert st["a"]["age_days"] == (day - dt.date(2026, 1, 1)).days
    # a column updated but still stale keeps its episode's first stale day
    run(store, [col("a", "stale", "2026-02-01"), col("b", "stale", "2026-02-15")], day)
    st = state(store, day)
    assert st["a"]["stale_since"] == "2026-01-16"
    assert st["a"]["runs_in_status"] == 4
    assert st["b"]["runs_in_status"] == 1
    assert st["b"]["stale_since"] == "2026-03-02"
    # one finding per episode: a's stays the same one
    assert [f for f in findings(store) if f[0] == "a"] == [("a", "stale", True, None)]


def test_unreachable_keeps_state_and_never_opens_findings(store: sessionmaker[Session]) -> None:
    run(store, [col("a", "stale", "2026-01-01"), col("b", "ok", "2026-02-27")], D0)
    d1 = D0 + dt.timedelta(days=1)
    s2 = run(
        store,
        [
            col("a", "unreachable", None, error="HTTP 503", http_status=503),
            col("b", "unreachable", None, error="timeout"),
            col("n", "unreachable", None, error="DNS"),
        ],
        d1,
    )
    assert s2["new_findings"] == 0
    assert s2["resolved_findings"] == 0
    st = state(store, d1)
    assert st["a"]["status"] == "stale"
    assert st["a"]["last_update"] == "2026-01-01"
    assert st["a"]["stale_since"] == "2026-01-16"
    assert st["a"]["runs_in_status"] == 1
    assert st["b"]["status"] == "ok"
    assert st["b"]["last_update"] == "2026-02-27"
    assert st["n"]["status"] == "unreachable"  # first seen unreachable: nothing else known
    assert findings(store) == [("a", "stale", True, None)]
    with store() as s:
        rows = s.execute(
            select(Column.name, Observation.error)
            .join(Observation, Observation.column_id == Column.id)
            .where(Observation.run_id == s2["run_id"])
        )
        errors = dict(rows.all())
        assert errors == {"a": "HTTP 503", "b": "timeout", "n": "DNS"}


def test_site_down_marks_nothing_gone(store: sessionmaker[Session]) -> None:
    run(store, [col("a", "stale", "2026-01-01"), col("b")], D0)
    s2 = run(store, [], D0 + dt.timedelta(days=1), site="down")
    assert s2["outcome"] == "site_down"
    assert s2["gone_checked"] is False
    st = state(store, D0 + dt.timedelta(days=1))
    assert {r["status"] for r in st.values()} == {"stale", "ok"}
    assert findings(store) == [("a", "stale", True, None)]
    with store() as s:
        runs = s.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
        assert [r.outcome for r in runs] == ["finished", "site_down"]
        assert runs[1].site_status == "down"
        assert runs[1].summary["by_status"] == {}


def test_incomplete_discovery_marks_nothing_gone(store: sessionmaker[Session]) -> None:
    run(store, [col("a"), col("b")], D0)
    run(store, [col("a")], D0 + dt.timedelta(days=1), discovery_complete=False)
    st = state(store, D0 + dt.timedelta(days=1))
    assert st["b"]["status"] == "ok"


def test_readd_in_one_run_updates_not_duplicates(store: sessionmaker[Session]) -> None:
    # batch_size=2 forces flushes between the two adds of "a"
    items = [col("a", "ok"), col("b"), col("c"), col("a", "stale", "2026-01-01", name="A2")]
    summary = run(store, items, D0, batch_size=2)
    assert summary["columns"] == 3
    with store() as s:
        assert s.scalar(select(func.count()).select_from(Observation)) == 3
        assert s.scalar(select(func.count()).select_from(Column)) == 3
    st = state(store, D0)
    assert st["A2"]["status"] == "stale"
    assert findings(store) == [("A2", "stale", True, None)]


def test_kind_follows_the_episode_and_units_recorded(store: sessionmaker[Session]) -> None:
    run(store, [col("a", "blank", None, unit="县卫健局")], D0)
    run(store, [col("a", "undated", None, unit="县卫健局")], D0 + dt.timedelta(days=1))
    assert findings(store) == [("a", "undated", True, None)]
    with store() as s:
        assert s.scalars(select(Unit.name)).all() == ["县卫健局"]
        site = get_site(s, "HTTP://WWW.QX.GOV.CN:80")  # same identity, other spelling
        assert site is not None
        assert site.name == "青溪县"


def test_unfinished_run_is_invisible_and_harmless(store: sessionmaker[Session]) -> None:
    run(store, [col("a", "stale", "2026-01-01")], D0)
    # A crawl that crashes after a flushed batch: its run stays "running".
    rec = RunRecorder(store, site_url=SITE, today=D0 + dt.timedelta(days=1), batch_size=1)
    rec.start()
    rec.add(col("a", "ok"))
    rec.add(col("new", "ok"))
    rec.flush()
    st = state(store, D0)
    assert set(st) == {"a"}
    assert st["a"]["status"] == "stale"
    # The next complete run is unaffected by the orphan column row.
    run(store, [col("a", "ok")], D0 + dt.timedelta(days=2))
    st = state(store, D0)
    assert set(st) == {"a"}
    assert st["a"]["status"] == "ok"


@pytest.mark.parametrize("n", [2000])
def test_store_time_2000_columns(store: sessionmaker[Session], n: int, db_url: str) -> None:
    """Reports (does not assert) the store time of a 2,000-column crawl, twice."""
    items = [
        col(f"c{i}", "stale" if i % 4 == 0 else "ok", "2026-01-01" if i % 4 == 0 else "2026-02-27")
        for i in range(n)
    ]
    first = run(store, items, D0)
    run(store, items[: n - 50], D0 + dt.timedelta(days=1))
    second = run(store, items[: n - 50], D0 + dt.timedelta(days=2))
    backend = db_url.split(":", 1)[0]
    print(
        f"\nstore time, {n} columns on {backend}: first run {first['store_seconds']:.2f} s, "
        f"second run {second['store_seconds']:.2f} s"
    )
    assert first["new_findings"] == n // 4
    assert second["by_status"]["gone"] == 50


def test_update_volume_is_stored_and_sparse_has_its_own_episode(store) -> None:
    """Counts and the 更新较少 rule reach the column and its observation; stale → sparse
    closes the stale finding as fixed and opens a sparse one; sparse → stale supersedes."""
    rule = {"count": 4, "days": 30, "items": 1, "complete": True}
    volume = {"items_30d": 1, "items_90d": 5, "items_365d": 12, "counts_complete": False}
    run(store, [col("a", "stale", last="2026-01-01")], D0)
    run(store, [col("a", "sparse", last="2026-02-27", min_items=rule, **volume)], D0)
    row = state(store, D0)["a"]
    assert (row["items_30d"], row["items_90d"], row["items_365d"]) == (1, 5, 12)
    assert row["counts_complete"] is False
    assert row["min_items"] == rule
    with store() as s:
        obs = s.scalars(select(Observation).order_by(Observation.id.desc())).first()
        assert obs is not None
        assert (obs.items_365d, obs.counts_complete) == (12, False)
    assert findings(store) == [("a", "stale", False, "fixed"), ("a", "sparse", True, None)]
    run(store, [col("a", "stale", last="2026-01-01")], D0 + dt.timedelta(days=1))
    assert findings(store)[1:] == [("a", "sparse", False, "superseded"), ("a", "stale", True, None)]


@dataclasses.dataclass
class _Nested:
    inner: ColumnItem
    pairs: list[tuple[str, int]]
    sets: dict[str, set[str]]


def test_item_dict_is_itemadapters_asdict() -> None:
    """The recorder's shortcut gives what ``ItemAdapter(item).asdict()`` gives: a new dict,
    the lists and dicts copied, nested items converted, a deleted field left out."""
    column = col(
        "a",
        recent_dates=["2026-02-27", "2026-02-01"],
        min_items={"count": 2, "days": 30, "items": 1, "complete": True},
        items_30d=1,
        counts_complete=True,
    )
    deleted = col("b")
    del deleted.name  # no default: the field is gone
    items: list[Any] = [
        column,
        deleted,
        SiteItem(url=SITE, status="up", name="县"),
        ChannelItem(url=SITE + "c/", name="c", path=["x"]),
        _Nested(inner=col("n"), pairs=[("a", 1)], sets={"k": {"v"}}),
        {"type": "column", "url": SITE, "path": [col("d")]},
    ]
    for item in items:
        got = item_dict(item)
        want = ItemAdapter(item).asdict()
        assert got == want
        assert list(got) == list(want)
        assert [type(v) for v in got.values()] == [type(v) for v in want.values()]
    got = item_dict(column)
    assert got["recent_dates"] is not column.recent_dates
    assert got["min_items"] is not column.min_items
    assert "name" not in item_dict(deleted)
    assert item_dict(items[4])["inner"]["url"] == SITE + "n/"
