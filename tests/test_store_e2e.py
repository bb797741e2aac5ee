"""Two real crawls of the demo portal with the site changed between them.

Between the crawls one column goes stale, one stale column is fixed and one column
vanishes; the store must open, close (fixed) and close (gone) the right findings, on
SQLite and PostgreSQL. Columns are picked from what crawl 1 reported, so the test checks
the store's bookkeeping, not the spider's accuracy (the demo tests cover that).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from portalspider.store.db import make_engine, session_factory
from portalspider.store.models import Column, Finding
from portalspider.store.queries import current_columns

demo = pytest.importorskip("demo.generator", reason="demo portal not available")
server = pytest.importorskip("demo.server", reason="demo server not available")
from tests.crawlutil import crawl, write_site  # noqa: E402

TODAY = dt.date(2026, 3, 2)

pytestmark = pytest.mark.slow


def test_crawls_open_fix_and_gone(db_url: str, tmp_path: Path) -> None:
    portal = demo.build_portal(seed=7, today=TODAY)
    # The demo's deliberately broken columns stay broken: a failed column page must not
    # stop the store from marking a vanished column gone.
    with server.serve(portal) as srv:
        site = write_site(tmp_path / "site.yaml", srv.url)
        first = crawl(site, tmp_path, f"PORTALSPIDER_TODAY={TODAY}", db_url=db_url)
        assert first.returncode == 0, first.stderr[-3000:]
        cols = {c["url"]: c for c in first.columns}
        # Letters and 征集 columns carry 互动回应差 findings of their own: not these cases.
        messages = {m["column_url"] for m in first.of_type("message_column")}
        ok = [u for u, c in cols.items() if c["status"] == "ok" and u not in messages]
        stale = [u for u, c in cols.items() if c["status"] == "stale"]
        assert len(ok) >= 2, "demo portal should have fresh columns"
        assert stale, "demo portal should have stale columns"
        goes_stale, vanishes, fixed = ok[0], ok[1], stale[0]

        portal.set_last_update(goes_stale, TODAY - dt.timedelta(days=400))
        portal.set_last_update(fixed, TODAY)
        portal.remove_column(vanishes)
        later = TODAY + dt.timedelta(days=1)
        second = crawl(site, tmp_path, f"PORTALSPIDER_TODAY={later}", db_url=db_url)
        assert second.returncode == 0, second.stderr[-3000:]
        # One complete crawl without it is no proof it left the site; a second one is.
        engine = make_engine(db_url)
        try:
            with session_factory(engine)() as s:
                missing = s.scalars(select(Column).where(Column.url == vanishes)).one()
                assert missing.status == "ok"
        finally:
            engine.dispose()
        third = crawl(site, tmp_path, f"PORTALSPIDER_TODAY={later}", db_url=db_url)
        assert third.returncode == 0, third.stderr[-3000:]

    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as s:
            by_url = {c.url: c for c in s.scalars(select(Column))}

            def findings_of(url: str) -> list[tuple[str, bool, str | None]]:
                rows = s.scalars(
                    select(Finding).where(Finding.column_id == by_url[url].id).order_by(Finding.id)
                )
                return [(f.kind, f.is_open, f.resolution) for f in rows]

            assert by_url[goes_stale].status == "stale"
            assert findings_of(goes_stale) == [("stale", True, None)]
            assert by_url[fixed].status == "ok"
            assert findings_of(fixed) == [("stale", False, "fixed")]
            assert by_url[vanishes].status == "gone"
            assert findings_of(vanishes) == []
            listed = {r["url"] for r in current_columns(s, srv.url, later)}
            assert vanishes not in listed
            assert goes_stale in listed
            # untouched stale columns keep one open finding across both crawls
            for url in stale[1:]:
                if by_url[url].status == "stale":
                    assert findings_of(url) == [("stale", True, None)]
                    assert by_url[url].runs_in_status == 3
    finally:
        engine.dispose()
