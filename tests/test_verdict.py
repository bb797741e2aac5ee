"""The verdict item at the end of a portal crawl, and the home page's first-level fallback."""

from __future__ import annotations

import datetime as dt
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from sqlalchemy import select

from portalspider.dates import day_start
from portalspider.report.data import build_report
from portalspider.report.render import render_report
from portalspider.store.db import make_engine, session_factory, upgrade
from portalspider.store.models import CrawlRun, Probe
from portalspider.store.queries import get_site
from portalspider.store.recorder import upsert_site
from portalspider.verdict import (
    COLUMNS_STALE,
    HOME_STALE,
    POOR_REPLIES,
    ROW_NAMES,
    SERIOUS_ERRORS,
    SITE_DOWN,
)
from tests.crawlutil import crawl, serving, write_site

TODAY = "2026-06-30"
NEWS = ["工作动态", "部门动态", "乡镇动态", "要闻", "图片新闻", "领导活动"]


def _portal(
    dates: dict[str, str], home_dated: str | None = None, names: list[str] = NEWS
) -> type[BaseHTTPRequestHandler]:
    nav = "".join(f'<li><a href="/c{i}/">{n}</a></li>' for i, n in enumerate(names))
    nav = f'<div class="nav"><ul><li><a href="/">首页</a></li>{nav}</ul></div>'
    home = "<p>欢迎访问</p>"
    if home_dated:
        home = (
            '<div class="news"><ul><li><a href="/c0/x.html">首页要闻</a>'
            f"<span>{home_dated}</span></li></ul></div>"
        )

    def page(body: str) -> bytes:
        return (
            f'<html><head><meta charset="utf-8"><title>青山县</title></head><body>{nav}{body}'
            "</body></html>"
        ).encode()

    pages = {"/": page(home)}
    for i, name in enumerate(names):
        day = dates[name]
        rows = "".join(
            f'<li><a href="/c{i}/t{k}.html">{name}信息{k}</a><span>{day}</span></li>'
            for k in range(3)
        )
        pages[f"/c{i}/"] = page(f'<div class="list"><ul>{rows}</ul></div>')

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path.split("?", 1)[0])
            self.send_response(200 if body else 404)
            body = body or b"not found"
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def _seed_probes(db: str, url: str, probes: int, failures: int) -> None:
    engine = make_engine(db)
    try:
        upgrade(engine)
        # The week is the judging date's (PORTALSPIDER_TODAY), never the host clock's.
        today = dt.date.fromisoformat(TODAY)
        real_now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        now = day_start(today + dt.timedelta(days=1))  # the end of the judging day
        with session_factory(engine)() as session, session.begin():
            site = upsert_site(session, url, "青山县")
            for k in range(probes):
                session.add(
                    Probe(
                        site_id=site.id,
                        url=url,
                        checked_at=now - dt.timedelta(minutes=30 * k + 1),
                        ok=k >= failures,
                        http_status=200 if k >= failures else None,
                        elapsed_ms=50,
                    )
                )
            # Failures older than the week, or after the judging day, do not count.
            for moment in (now - dt.timedelta(days=7, minutes=1), now, real_now):
                session.add(Probe(site_id=site.id, url=url, checked_at=moment, ok=False))
    finally:
        engine.dispose()


def _run(tmp_path: Path, handler, probes: tuple[int, int] | None = None):
    db = f"sqlite:///{tmp_path / 'ps.db'}"
    with serving(handler) as base:
        if probes:
            _seed_probes(db, base, *probes)
        site = write_site(tmp_path / "site.yaml", base)
        result = crawl(site, tmp_path, f"PORTALSPIDER_TODAY={TODAY}", db_url=db, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    engine = make_engine(db)
    try:
        with session_factory(engine)() as session:
            run = session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc())).first()
            stored = (run.summary or {}).get("verdict") if run else None
            site_row = get_site(session, base)
            assert site_row is not None
            report = build_report(session, site_row, dt.date.fromisoformat(TODAY))
    finally:
        engine.dispose()
    [verdict] = result.of_type("verdict")
    assert result.items[-1] == verdict  # the crawl's last item
    rows = {row["name"]: row for row in verdict["rows"]}
    assert list(rows) == list(ROW_NAMES)
    assert stored == verdict["rows"]  # kept with the run for the report
    # The report's verdict block shows the stored rows beside its column counts.
    shown = {row.indicator: row.outcome for row in report.verdict if row.key != "key_columns"}
    for name in (SITE_DOWN, HOME_STALE, SERIOUS_ERRORS, POOR_REPLIES):
        assert shown[name] == rows[name]["result"], name
    markdown, _ = render_report(report, ".md")
    assert rows[SITE_DOWN]["detail"].split("；")[0] in markdown
    return result, rows


@pytest.mark.slow
def test_stale_news_columns_fail_the_verdict_and_the_home_page_falls_back(
    tmp_path: Path,
) -> None:
    dates = dict.fromkeys(NEWS, "2026-01-05")
    dates["要闻"] = "2026-02-01"
    result, rows = _run(tmp_path, _portal(dates))
    assert len(result.columns) == 6
    assert rows[COLUMNS_STALE]["result"] == "fail"
    assert "未更新 6 个" in rows[COLUMNS_STALE]["detail"]
    # No dated item on the home page: the newest first-level column decides.
    site = result.site
    assert site is not None
    assert (site["home_last_update"], site["home_date_source"]) == ("2026-02-01", "columns")
    assert rows[HOME_STALE]["result"] == "fail"
    assert "2026-02-01" in rows[HOME_STALE]["detail"]
    assert rows[SITE_DOWN]["result"] == "unknown"  # no probes stored
    assert rows[SERIOUS_ERRORS]["result"] == "unknown"
    assert rows[POOR_REPLIES]["result"] == "unknown"


@pytest.mark.slow
def test_fresh_portal_passes_what_it_can_judge(tmp_path: Path) -> None:
    dates = dict.fromkeys(NEWS, "2026-06-25")
    dates["图片新闻"] = "2026-06-28"
    result, rows = _run(tmp_path, _portal(dates), probes=(150, 3))
    assert rows[COLUMNS_STALE]["result"] == "pass"
    site = result.site
    assert site is not None
    assert (site["home_last_update"], site["home_date_source"]) == ("2026-06-28", "columns")
    assert rows[HOME_STALE]["result"] == "pass"
    assert rows[SITE_DOWN]["result"] == "pass"
    assert "150 次，失败 3 次" in rows[SITE_DOWN]["detail"]
    assert rows[SERIOUS_ERRORS]["result"] == "unknown"


@pytest.mark.slow
def test_home_page_dates_decide_and_probes_over_the_line_fail(tmp_path: Path) -> None:
    dates = dict.fromkeys(NEWS, "2026-06-25")
    result, rows = _run(tmp_path, _portal(dates, home_dated="2026-06-01"), probes=(150, 8))
    site = result.site
    assert site is not None
    assert (site["home_last_update"], site["home_date_source"]) == ("2026-06-01", "home")
    assert rows[HOME_STALE]["result"] == "fail"
    assert rows[SITE_DOWN]["result"] == "fail"


@pytest.mark.slow
def test_far_fewer_columns_than_the_last_complete_crawl_leave_the_columns_row_unknown(
    tmp_path: Path,
) -> None:
    """The verdict sees the store's incompleteness decision (issue 13.1), not a pass on the
    two columns a bad day showed."""
    fresh = dict.fromkeys(NEWS, "2026-06-25")
    state = {"portal": _portal(fresh)}

    class Switch(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state["portal"].do_GET(self)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    db = f"sqlite:///{tmp_path / 'ps.db'}"
    with serving(Switch) as base:
        site = write_site(tmp_path / "site.yaml", base)
        verdicts = []
        for portal in (_portal(fresh), _portal(fresh, names=NEWS[:2])):
            state["portal"] = portal
            result = crawl(site, tmp_path, f"PORTALSPIDER_TODAY={TODAY}", db_url=db, timeout=300)
            assert result.returncode == 0, result.stderr[-3000:]
            [verdict] = result.of_type("verdict")
            verdicts.append({row["name"]: row for row in verdict["rows"]})
    assert len(result.columns) == 2
    assert verdicts[0][COLUMNS_STALE]["result"] == "pass"
    row = verdicts[1][COLUMNS_STALE]
    assert row["result"] == "unknown", row
    assert "found 2 columns, under half of the 6 of the last complete crawl" in row["detail"]
    engine = make_engine(db)
    try:
        with session_factory(engine)() as session:
            runs = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
    finally:
        engine.dispose()
    assert [r.outcome for r in runs] == ["finished", "incomplete"]
    assert runs[1].incomplete_reason is not None
    assert runs[1].incomplete_reason in row["detail"]
    assert (runs[1].summary or {}).get("verdict") == list(verdicts[1].values())
