"""The lifecycle over days, and the "three units, crawled twice" acceptance scenario."""

from __future__ import annotations

import datetime as dt
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from sqlalchemy import select

from alerts.lifecycle import Decided, decide
from alerts.service import after_crawl, plan
from demo.sinks import FakeWeComServer, SMTPSink
from portalspider.siteconfig import ColumnRule, UnitConfig
from portalspider.store.models import AlertEvent
from tests.test_alerts_support import World, alert_settings, make_sessions, site_config

D0 = dt.date(2026, 3, 2)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def col(status: str, unit: str, age: int, **kw: object) -> dict[str, object]:
    return {
        "status": status,
        "unit": unit,
        "threshold_days": 14,
        "last_update": day(0) - dt.timedelta(days=age),
        **kw,
    }


@pytest.fixture
def sink():
    with SMTPSink() as s:
        yield s


def subjects(sink: SMTPSink) -> list[str]:
    return [str(make_header(decode_header(m["Subject"]))) for m in sink.messages]


def bodies(sink: SMTPSink) -> list[str]:
    return [m.get_body(("plain",)).get_content() for m in sink.messages]


def test_lifecycle_over_days(tmp_path: Path, sink: SMTPSink) -> None:
    sessions = make_sessions(tmp_path)
    world = World.create(sessions)
    config = site_config(
        [
            UnitConfig(name="县卫健局", email=["wjj@example.gov.cn"], escalate_to="县纪委"),
            UnitConfig(name="县纪委", email=["jw@example.gov.cn"]),
        ],
        columns=[ColumnRule(match="/bgs/", exempt_until=day(20))],
    )  # the crawl resolves this 报备 into the column row (exempt_until below); alerts read that
    settings = alert_settings(ALERTS_SMTP_PORT=sink.port)

    def crawl(n: int, states: dict[str, dict[str, object]]) -> None:
        after_crawl(
            settings=settings,
            config=config,
            session_factory=sessions,
            run_id=world.crawl(day(n), states),
            today=day(n),
        )

    # day 0: 基本医疗 is 12 days old with a 14-day threshold: warning → pre-alert.
    crawl(
        0,
        {
            "基本医疗": col("warning", "县卫健局", 12),
            "报备栏目": col("stale", "县卫健局", 60, slug="bgs", exempt_until=day(20)),
            "公共卫生": col("stale", "县卫健局", 30),
        },
    )
    assert len(sink.messages) == 1
    assert "再过3天将超期" in bodies(sink)[0]
    assert "报备栏目" not in bodies(sink)[0]  # exempt until day 20
    assert "公共卫生" in bodies(sink)[0]
    # day 3: stale → alert; a second crawl the same day says nothing new.
    stale_states = {
        "基本医疗": col("stale", "县卫健局", 15),
        "报备栏目": col("stale", "县卫健局", 63, slug="bgs", exempt_until=day(20)),
        "公共卫生": col("unreachable", "县卫健局", 33),
    }
    crawl(3, stale_states)
    crawl(3, stale_states)
    assert len(sink.messages) == 2
    assert "【需整改】" in bodies(sink)[1]
    assert "公共卫生" not in bodies(sink)[1]
    # day 9: not yet a week since the alert.
    crawl(9, stale_states)
    assert len(sink.messages) == 2
    # day 10: first reminder (公共卫生 is unreachable: no reminder for it).
    crawl(10, stale_states)
    assert len(sink.messages) == 3
    assert "第1次催办" in bodies(sink)[2]
    assert "公共卫生" not in bodies(sink)[2]
    crawl(17, stale_states)
    assert "第2次催办" in bodies(sink)[3]
    assert len(sink.messages) == 4
    # day 21: exemption over → 报备栏目 alerted; day 24: third reminder + escalation.
    crawl(21, stale_states)
    assert len(sink.messages) == 5
    assert "报备栏目" in bodies(sink)[4]
    crawl(24, stale_states)
    recipients = [rcpt for _, rcpts in sink.envelopes[5:] for rcpt in rcpts]
    assert sorted(recipients) == ["jw@example.gov.cn", "wjj@example.gov.cn"]
    escalation = next(
        b
        for m, b in zip(sink.messages, bodies(sink), strict=True)
        if m["To"] == "jw@example.gov.cn"
    )
    assert "逾期未改" in escalation
    assert "责任单位：县卫健局" in escalation
    # day 25: fixed → resolved notice to the unit and to whoever heard the escalation.
    before = len(sink.messages)
    crawl(
        25,
        {
            "基本医疗": col("ok", "县卫健局", 0, last_update=day(25)),
            "报备栏目": col("stale", "县卫健局", 85, slug="bgs", exempt_until=day(20)),
            "公共卫生": col("unreachable", "县卫健局", 55),
        },
    )
    new = bodies(sink)[before:]
    assert len(new) == 2
    assert all("问题已消除" in b for b in new)
    with sessions() as s:
        kinds = sorted(e.kind for e in s.scalars(select(AlertEvent)))
    assert kinds.count("alert") == 3
    assert kinds.count("pre_alert") == 1
    assert kinds.count("escalation") == 1
    assert kinds.count("resolved") == 2


def test_exempt_until_on_the_column_row_suppresses(tmp_path: Path, sink: SMTPSink) -> None:
    sessions = make_sessions(tmp_path)
    world = World.create(sessions)
    config = site_config([UnitConfig(name="县卫健局", email=["wjj@example.gov.cn"])])
    run = world.crawl(day(0), {"基本医疗": col("stale", "县卫健局", 40, exempt_until=day(0))})
    after_crawl(
        settings=alert_settings(ALERTS_SMTP_PORT=sink.port),
        config=config,
        session_factory=sessions,
        run_id=run,
        today=day(0),
    )
    assert sink.messages == []


def test_three_units_twice_same_day(tmp_path: Path, sink: SMTPSink) -> None:
    sessions = make_sessions(tmp_path)
    world = World.create(sessions)
    with FakeWeComServer(rate_window=1.0) as wecom:
        units = [
            UnitConfig(
                name=f"单位{i}",
                email=[f"u{i}@example.gov.cn"],
                wecom_webhook=wecom.webhook_url(f"key-unit-{i}-abcdef"),
            )
            for i in range(3)
        ]
        config = site_config(units)
        states = {
            f"单位{i}栏目{j}": col("stale", f"单位{i}", 30 + j, slug=f"c{i}{j}")
            for i in range(3)
            for j in range(i + 2)
        }
        settings = alert_settings(ALERTS_SMTP_PORT=sink.port)
        for _ in range(2):
            after_crawl(
                settings=settings,
                config=config,
                session_factory=sessions,
                run_id=world.crawl(day(0), states),
                today=day(0),
            )
        assert sorted(r for _, rcpts in sink.envelopes for r in rcpts) == [
            f"u{i}@example.gov.cn" for i in range(3)
        ]
        for i in range(3):
            robot = wecom.messages_for(f"key-unit-{i}-abcdef")
            assert len(robot) == 1
            mail = next(
                b
                for m, b in zip(sink.messages, bodies(sink), strict=True)
                if m["To"] == f"u{i}@example.gov.cn"
            )
            for j in range(i + 2):
                assert f"单位{i}栏目{j}" in mail
                assert f"单位{i}栏目{j}" in robot[0]["markdown"]["content"]
        assert any(f"{i + 2}个栏目需整改" in s for s in subjects(sink) for i in range(3))


def test_plan_previews_without_recording(tmp_path: Path) -> None:
    sessions = make_sessions(tmp_path)
    world = World.create(sessions)
    config = site_config([UnitConfig(name="县卫健局", email=["wjj@example.gov.cn"])])
    world.crawl(
        day(0), {"基本医疗": col("stale", "县卫健局", 40), "无主栏目": col("stale", "县农业局", 40)}
    )
    for _ in range(2):
        preview = plan(
            settings=alert_settings(), config=config, session_factory=sessions, today=day(0)
        )
        assert [d.unit for d, _ in preview.digests] == ["县卫健局"]
        assert preview.unreached == 1  # 县农业局 and 县政府办 (default) have no contact
    with sessions() as s:
        assert s.scalars(select(AlertEvent)).all() == []


def test_one_decide_gives_the_decisions_and_who_cannot_hear(tmp_path: Path) -> None:
    # One function decides a run (no thin wrapper returning half of it): the column
    # decisions, the site's notices and the findings nobody can be told of, together.
    sessions = make_sessions(tmp_path)
    world = World.create(sessions)
    config = site_config(
        [UnitConfig(name="县卫健局", email=["wjj@example.gov.cn"])], default_unit=None
    )
    run_id = world.crawl(
        day(0), {"基本医疗": col("stale", "县卫健局", 40), "无主栏目": col("stale", "县农业局", 40)}
    )
    with sessions() as s:
        decided = decide(s, config=config, site_id=world.site_id, run_id=run_id, today=day(0))
        s.rollback()
    assert isinstance(decided, Decided)
    assert [(d.recipient, d.notice.kind) for d in decided.decisions] == [("县卫健局", "alert")]
    assert decided.unreached == 1
