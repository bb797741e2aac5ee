"""解读回应 in the store: documents with history, findings on the policy column, alerts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from alerts.digest import Digest, render_email
from alerts.lifecycle import decide
from portalspider.items import ColumnItem, InterpretationsItem, PolicyItem, SiteItem
from portalspider.siteconfig import UnitConfig
from portalspider.store.models import Finding, PolicyCheck, PolicyDoc
from portalspider.store.policies import last_checked
from portalspider.store.recorder import RunRecorder
from portalspider.vocab import POLICY_LINKS
from tests.test_alerts_support import make_sessions, site_config

SITE = "http://127.0.0.1:8765/"
D0 = dt.date(2026, 11, 2)
COLUMN = f"{SITE}zwgk/zcwj/"


def doc(n: int, state: str, **kw: Any) -> PolicyItem:
    return PolicyItem(
        url=f"{SITE}zwgk/zcwj/202610/t202610{n:02d}_{n}.html",
        title=kw.pop("title", f"文件{n}"),
        date=f"2026-10-{n:02d}",
        state=state,
        column_url=COLUMN,
        unit="县司法局",
        **kw,
    )


def run(sessions: sessionmaker[Session], today: dt.date, items: list[Any], status: str = "stale"):
    rec = RunRecorder(sessions, site_url=SITE, site_name="青溪县", today=today)
    rec.start()
    rec.add(SiteItem(url=SITE, status="up"))
    rec.add(
        ColumnItem(
            url=COLUMN,
            name="政策文件",
            category="policy",
            unit="县司法局",
            threshold_days=183,
            last_update="2026-10-20",
            status=status,
        )
    )
    for item in items:
        rec.add(item)
    summary = rec.finish(stats={})
    return rec.run_id, summary


def findings(sessions) -> list[tuple[str, bool, str | None]]:
    with sessions() as s:
        return [
            (f.kind, f.is_open, f.resolution)
            for f in s.scalars(select(Finding).order_by(Finding.id))
        ]


def test_findings_open_alert_once_and_close_only_when_checked(tmp_path: Path) -> None:
    sessions = make_sessions(tmp_path)
    config = site_config([UnitConfig(name="县司法局", email=["sfj@example.gov.cn"])])
    summary_item = InterpretationsItem(documents_365d=3, interpretations_365d=1, result="偏少")
    # Run 1: a missing and a one-way link; the column is also stale (its own finding).
    run1, summary = run(
        sessions, D0, [doc(1, "two_way"), doc(2, "missing"), doc(3, "doc_only"), summary_item]
    )
    assert summary["interpretations"]["result"] == "偏少"
    assert summary["interpretations"]["findings"] == {"opened": 1, "closed": 0}
    assert sorted(findings(sessions)) == [("policy_links", True, None), ("stale", True, None)]
    with sessions() as s, s.begin():
        events = decide(s, config=config, site_id=1, run_id=run1, today=D0).decisions
        told = [(e.notice.kind, e.notice.problem) for e in events]
        events = list(events)
    assert ("alert", POLICY_LINKS) in told
    assert ("alert", "stale") in told
    notices = [e.notice for e in events if e.notice.problem == POLICY_LINKS]
    text, html = render_email(Digest("青溪县", SITE, "县司法局", D0, D0, notices))
    assert "未做到双向关联" in text
    assert "1个栏目需整改" in text
    assert "未做到双向关联" in html
    # Run 2 (same day): nothing new to tell, and a run that checked no document of the
    # column (site up, the check capped) closes nothing.
    run2, _ = run(sessions, D0, [])
    with sessions() as s, s.begin():
        assert decide(s, config=config, site_id=1, run_id=run2, today=D0).decisions == []
    assert ("policy_links", True, None) in findings(sessions)
    # Run 3: fixed. The policy finding closes; the stale one is the column's own business.
    day3 = D0 + dt.timedelta(days=2)
    run3, summary = run(
        sessions, day3, [doc(1, "two_way"), doc(2, "two_way"), doc(3, "two_way")], "stale"
    )
    assert summary["interpretations"]["findings"] == {"opened": 0, "closed": 1}
    assert sorted(findings(sessions)) == [
        ("policy_links", False, "fixed"),
        ("stale", True, None),
    ]
    with sessions() as s, s.begin():
        told = [
            (e.notice.kind, e.notice.problem)
            for e in decide(s, config=config, site_id=1, run_id=run3, today=day3).decisions
        ]
    assert ("resolved", POLICY_LINKS) in told
    with sessions() as s:
        docs = {d.title: d for d in s.scalars(select(PolicyDoc))}
        assert {d.state for d in docs.values()} == {"two_way"}
        assert docs["文件2"].first_seen_run_id == run1
        assert docs["文件2"].state_since_run_id == run3
        history = s.scalars(
            select(PolicyCheck.state).where(PolicyCheck.doc_id == docs["文件2"].id)
        ).all()
        assert history == ["missing", "two_way"]
        assert last_checked(s, SITE)[docs["文件1"].url_key] == run3


def test_a_document_leaving_the_window_stops_counting(tmp_path: Path) -> None:
    sessions = make_sessions(tmp_path)
    run(sessions, D0, [doc(2, "missing")])
    assert findings(sessions)[-1] == ("policy_links", True, None)
    # A year later the document is outside the 365-day window: checked again, nothing left.
    later = D0 + dt.timedelta(days=400)
    run(sessions, later, [doc(5, "two_way")])
    assert ("policy_links", False, "fixed") in findings(sessions)
