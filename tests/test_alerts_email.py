"""Email digests against a real SMTP server on 127.0.0.1 (aiosmtpd via ``SMTPSink``)."""

from __future__ import annotations

import datetime as dt
import logging
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from sqlalchemy import select

from alerts import outbox as outbox_mod
from alerts.service import after_crawl, deliver_pending
from demo.sinks import SMTPSink
from portalspider.siteconfig import UnitConfig
from portalspider.store.models import AlertDelivery
from tests.test_alerts_support import World, alert_settings, make_sessions, site_config

TODAY = dt.date(2026, 9, 10)


def stale(unit: str, age: int = 40, **kw: object) -> dict[str, object]:
    return {
        "status": "stale",
        "unit": unit,
        "threshold_days": 14,
        "last_update": TODAY - dt.timedelta(days=age),
        **kw,
    }


@pytest.fixture
def sink(tmp_path: Path):
    with SMTPSink(maildir=tmp_path / "maildir") as s:
        yield s


def unit(name: str, mail: str) -> UnitConfig:
    return UnitConfig(name=name, email=[mail])


def test_digest_headers_parts_and_content(tmp_path: Path, sink: SMTPSink) -> None:
    sessions = make_sessions(tmp_path)
    world = World.create(sessions)
    config = site_config([unit("县卫健局", "wjj@example.gov.cn")], deadline_days=5)
    run = world.crawl(
        TODAY,
        {
            "基本医疗": stale("县卫健局"),
            "公共卫生": stale("县卫健局", age=100, newest_title="<script>alert(1)</script>"),
            "卫健动态\nBcc: victim@example.com": stale("县卫健局", slug="wjdt"),
        },
    )
    settings = alert_settings(ALERTS_SMTP_PORT=sink.port)
    after_crawl(settings=settings, config=config, session_factory=sessions, run_id=run, today=TODAY)

    assert len(sink.messages) == 1
    msg = sink.messages[0]
    subject = str(make_header(decode_header(msg["Subject"])))
    assert "青溪县人民政府" in subject
    assert "3个栏目需整改" in subject
    assert msg["Subject"].isascii() or "=?utf-8?" in msg.as_string().lower()
    assert "Bcc" not in msg
    assert sink.envelopes[0][1] == ["wjj@example.gov.cn"]
    assert msg["Message-ID"].endswith("@example.gov.cn>")
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    for name in ("基本医疗", "公共卫生", "卫健动态"):
        assert name in text
        assert name in html
    assert "请于9月15日前整改到位" in text
    assert "请于9月15日前整改到位" in html
    assert "已40天未更新（要求14天内更新）" in text
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert list((tmp_path / "maildir" / "new").iterdir())

    # The same day, a second crawl: nothing new to say.
    run2 = world.crawl(
        TODAY,
        {
            "基本医疗": stale("县卫健局"),
            "公共卫生": stale("县卫健局", age=100),
            "卫健动态\nBcc: victim@example.com": stale("县卫健局", slug="wjdt"),
        },
    )
    after_crawl(
        settings=settings, config=config, session_factory=sessions, run_id=run2, today=TODAY
    )
    assert len(sink.messages) == 1


def test_smtp_down_then_up_delivers_exactly_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sessions = make_sessions(tmp_path)
    world = World.create(sessions)
    units = [unit(f"单位{i}", f"u{i}@example.gov.cn") for i in range(3)]
    config = site_config(units)
    states = {f"栏目{i}{j}": stale(f"单位{i}", slug=f"c{i}{j}") for i in range(3) for j in range(2)}
    sink = SMTPSink()  # not started: the server is down during the first crawl
    settings = alert_settings(
        ALERTS_SMTP_PORT=sink.port, ALERTS_SMTP_PASSWORD="pw-hunter2", ALERTS_SMTP_USER=None
    )
    with caplog.at_level(logging.INFO):
        after_crawl(
            settings=settings,
            config=config,
            session_factory=sessions,
            run_id=world.crawl(TODAY, states),
            today=TODAY,
        )
    with sessions() as s:
        rows = s.scalars(select(AlertDelivery)).all()
        assert [r.status for r in rows] == ["pending"] * 3
        assert rows[0].attempts == 1
        assert rows[1].attempts == 0
    assert "pw-hunter2" not in caplog.text
    # The retry is the job of `scrapy alerts --send` on its timer, and the log says so.
    assert "sent by the next `scrapy alerts --send`" in caplog.text
    with sink:
        after_crawl(
            settings=settings,
            config=config,
            session_factory=sessions,
            run_id=world.crawl(TODAY, states),
            today=TODAY,
        )
        after_crawl(
            settings=settings,
            config=config,
            session_factory=sessions,
            run_id=world.crawl(TODAY, states),
            today=TODAY,
        )
        assert sorted(r for _, rcpts in sink.envelopes for r in rcpts) == [
            "u0@example.gov.cn",
            "u1@example.gov.cn",
            "u2@example.gov.cn",
        ]
    with sessions() as s:
        assert {r.status for r in s.scalars(select(AlertDelivery))} == {"sent"}


class Killed(BaseException):
    """Stands in for SIGKILL: nothing after it runs, not even ``except Exception``."""


def test_killed_mid_send_is_not_delivered_twice(
    tmp_path: Path,
    sink: SMTPSink,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sessions = make_sessions(tmp_path)
    world = World.create(sessions)
    config = site_config([unit("县卫健局", "wjj@example.gov.cn")])
    settings = alert_settings(ALERTS_SMTP_PORT=sink.port, ALERTS_SEND_LEASE=60)

    def crash(self: object, index: int) -> None:
        raise Killed

    monkeypatch.setattr(outbox_mod._Progress, "after_part", crash)
    with pytest.raises(Killed):
        after_crawl(
            settings=settings,
            config=config,
            session_factory=sessions,
            run_id=world.crawl(TODAY, {"基本医疗": stale("县卫健局")}),
            today=TODAY,
        )
    monkeypatch.undo()
    assert len(sink.messages) == 1  # the server got it; the DB says "sending"

    # While the lease runs, another process does not touch it.
    report = deliver_pending(settings=settings, config=config, session_factory=sessions)
    assert report.waiting
    assert not report.sent
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=5)
    with caplog.at_level(logging.ERROR):
        report = deliver_pending(
            settings=settings, config=config, session_factory=sessions, now=later
        )
    assert len(sink.messages) == 1
    assert "may or may not have been delivered" in caplog.text
    with sessions() as s:
        row = s.scalars(select(AlertDelivery)).one()
        assert row.status == "failed"
        assert row.last_error.startswith("uncertain:")
    # The operator checked the mailbox and wants it again: --resend.
    assert outbox_mod.resend(sessions, row.id)
    deliver_pending(settings=settings, config=config, session_factory=sessions, now=later)
    assert len(sink.messages) == 2
    assert sink.messages[0]["Message-ID"] == sink.messages[1]["Message-ID"]


def test_killed_before_data_is_delivered_once(
    tmp_path: Path, sink: SMTPSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = make_sessions(tmp_path)
    world = World.create(sessions)
    config = site_config([unit("县卫健局", "wjj@example.gov.cn")])
    settings = alert_settings(ALERTS_SMTP_PORT=sink.port)

    def crash(self: object, index: int) -> None:
        raise Killed

    monkeypatch.setattr(outbox_mod._Progress, "before_part", crash)
    with pytest.raises(Killed):
        after_crawl(
            settings=settings,
            config=config,
            session_factory=sessions,
            run_id=world.crawl(TODAY, {"基本医疗": stale("县卫健局")}),
            today=TODAY,
        )
    monkeypatch.undo()
    assert sink.messages == []
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(hours=1)
    report = deliver_pending(settings=settings, config=config, session_factory=sessions, now=later)
    assert len(report.sent) == 1
    assert len(sink.messages) == 1


def test_dry_run_sends_and_records_nothing(
    tmp_path: Path, sink: SMTPSink, caplog: pytest.LogCaptureFixture
) -> None:
    sessions = make_sessions(tmp_path)
    world = World.create(sessions)
    config = site_config([unit("县卫健局", "wjj@example.gov.cn")])
    run = world.crawl(TODAY, {"基本医疗": stale("县卫健局")})
    with caplog.at_level(logging.INFO):
        after_crawl(
            settings=alert_settings(ALERTS_SMTP_PORT=sink.port, ALERTS_DRY_RUN=True),
            config=config,
            session_factory=sessions,
            run_id=run,
            today=TODAY,
        )
    assert sink.messages == []
    assert "dry run" in caplog.text
    assert "基本医疗" in caplog.text
    with sessions() as s:
        assert s.scalars(select(AlertDelivery)).all() == []
    # Dry run consumed nothing: the real run still sends it.
    after_crawl(
        settings=alert_settings(ALERTS_SMTP_PORT=sink.port),
        config=config,
        session_factory=sessions,
        run_id=run,
        today=TODAY,
    )
    assert len(sink.messages) == 1
