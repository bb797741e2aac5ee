"""A bad day erases no history (issue 13 item 1): incomplete runs close nothing for absence,
and a column is gone only when missing from two complete runs in a row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from portalspider.items import ColumnItem, SiteItem
from portalspider.store.models import Column, CrawlRun, Finding
from portalspider.store.recorder import RunRecorder

SITE = "http://www.qx.gov.cn/"
D0 = dt.date(2026, 3, 1)
NAMES = ["a", "b", "c", "d"]


def col(slug: str, status: str = "ok") -> ColumnItem:
    last = "2026-01-01" if status == "stale" else "2026-02-27"
    return ColumnItem(
        url=f"{SITE}{slug}/",
        name=slug,
        threshold_days=14,
        last_update=last,
        status=status,
        items_found=1,
    )


def run(sessions: sessionmaker[Session], items: list[Any], day: int, **finish: Any) -> dict:
    rec = RunRecorder(sessions, site_url=SITE, today=D0 + dt.timedelta(days=day))
    rec.start()
    rec.add(SiteItem(url=SITE, status="up"))
    for item in items:
        rec.add(item)
    return rec.finish(stats={}, **finish)


def states(sessions: sessionmaker[Session]) -> dict[str, str]:
    with sessions() as s:
        return dict(s.execute(select(Column.name, Column.status)).all())


def open_findings(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as s:
        return list(
            s.scalars(
                select(Column.name)
                .join(Finding, Finding.column_id == Column.id)
                .where(Finding.is_open.is_(True))
                .order_by(Column.name)
            )
        )


def test_a_maintenance_day_closes_nothing(store: sessionmaker[Session]) -> None:
    run(store, [col("a", "stale"), col("b", "stale"), col("c"), col("d")], 0)
    # Every URL answered the maintenance page: the spider found no column.
    bad = run(store, [], 1, incomplete_reason="home page is an error page (系统维护)")
    assert bad["outcome"] == "incomplete"
    assert bad["incomplete_reason"] == "home page is an error page (系统维护)"
    assert bad["gone_findings"] == bad["gone_columns"] == 0
    assert states(store) == {"a": "stale", "b": "stale", "c": "ok", "d": "ok"}
    assert open_findings(store) == ["a", "b"]
    # The next good day reopens nothing: the same two findings are still the open ones.
    good = run(store, [col("a", "stale"), col("b", "stale"), col("c"), col("d")], 2)
    assert good["outcome"] == "finished"
    assert good["new_findings"] == 0
    with store() as s:
        assert s.scalar(select(Finding.id).order_by(Finding.id.desc())) == 2
        runs = s.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
        assert [r.outcome for r in runs] == ["finished", "incomplete", "finished"]
        assert runs[1].incomplete_reason == "home page is an error page (系统维护)"


def test_far_fewer_columns_is_incomplete(store: sessionmaker[Session]) -> None:
    run(store, [col("a", "stale"), col("b"), col("c"), col("d")], 0)
    for day in (1, 2):  # twice: still never gone, the run itself is incomplete
        shrunk = run(store, [col("b")], day)
        assert shrunk["outcome"] == "incomplete"
        assert (
            "found 1 columns, under half of the 4 of the last complete crawl"
            in (shrunk["incomplete_reason"])
        )
        assert shrunk["gone_columns"] == 0
    assert states(store) == {"a": "stale", "b": "ok", "c": "ok", "d": "ok"}
    assert open_findings(store) == ["a"]


def test_an_incomplete_run_closes_on_what_it_saw(store: sessionmaker[Session]) -> None:
    """Closing on a real observation is fine; closing for absence never."""
    run(store, [col("a", "stale"), col("b", "stale"), col("c"), col("d")], 0)
    partial = run(store, [col("a"), col("c"), col("d")], 1, incomplete_reason="crawl bound hit")
    assert partial["resolved_findings"] == 1
    assert open_findings(store) == ["b"]
    assert states(store)["a"] == "ok"


def test_gone_after_two_complete_crawls_only(store: sessionmaker[Session]) -> None:
    four = [col(n) for n in NAMES]
    three = four[:3]
    run(store, four, 0)
    assert run(store, three, 1)["gone_columns"] == 0  # first complete miss
    assert run(store, three, 2, incomplete_reason="x")["gone_columns"] == 0
    assert states(store)["d"] == "ok"
    assert run(store, three, 3)["gone_columns"] == 1  # second complete miss
    assert states(store)["d"] == "gone"


def test_seen_again_in_between_restarts_the_count(store: sessionmaker[Session]) -> None:
    four = [col(n) for n in NAMES]
    run(store, four, 0)
    run(store, four[:3], 1)
    run(store, four, 2)  # back
    assert run(store, four[:3], 3)["gone_columns"] == 0
    assert run(store, four[:3], 4)["gone_columns"] == 1


def test_stopped_runs_are_recorded_stopped(store: sessionmaker[Session]) -> None:
    run(store, [col(n) for n in NAMES], 0)
    stopped = run(store, [col("a")], 1, stopped=True)
    assert stopped["outcome"] == "stopped"
    assert stopped["incomplete_reason"] == "stopped before the end (shutdown)"
    run(store, [col("a"), col("b"), col("c")], 2)
    # The stopped run is no complete crawl: d was missed by one complete run only.
    assert states(store)["d"] == "ok"
