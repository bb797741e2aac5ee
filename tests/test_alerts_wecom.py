"""WeCom robot and application messages against ``FakeWeComServer`` on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from sqlalchemy import select

from alerts import outbox as outbox_mod
from alerts.channels.wecom_app import TokenCache, WeComAppChannel
from alerts.channels.wecom_common import RateLimiter
from alerts.channels.wecom_robot import WeComRobotChannel
from alerts.options import AlertOptions
from alerts.service import after_crawl, deliver_pending
from demo.sinks import FakeWeComServer
from portalspider.siteconfig import UnitConfig
from portalspider.store.models import AlertDelivery
from tests.test_alerts_support import World, alert_settings, make_sessions, site_config

TODAY = dt.date(2026, 9, 10)
KEY = "robot-key-0123456789abcdef"


def stale(unit: str, slug: str, **kw: object) -> dict[str, object]:
    return {
        "status": "stale",
        "unit": unit,
        "threshold_days": 14,
        "slug": slug,
        "last_update": TODAY - dt.timedelta(days=40),
        **kw,
    }


@pytest.fixture
def wecom():
    with FakeWeComServer(rate_window=1.0) as server:
        yield server


@pytest.fixture
def sessions(tmp_path: Path):
    return make_sessions(tmp_path)


def app_settings(server: FakeWeComServer, **kw: object):
    return alert_settings(
        ALERTS_WECOM_API_BASE=server.base_url,
        ALERTS_WECOM_CORP_ID=server.corp_id,
        ALERTS_WECOM_CORP_SECRET=server.corp_secret,
        ALERTS_WECOM_AGENT_ID=str(server.agent_id),
        **kw,
    )


def statuses(sessions) -> list[str]:
    with sessions() as s:
        return [r.status for r in s.scalars(select(AlertDelivery).order_by(AlertDelivery.id))]


def test_sixty_stale_columns_split_under_the_limit(
    sessions, wecom: FakeWeComServer, caplog: pytest.LogCaptureFixture
) -> None:
    world = World.create(sessions)
    config = site_config([UnitConfig(name="县卫健局", wecom_webhook=wecom.webhook_url(KEY))])
    names = [f"卫生健康栏目[{i}]_很长的栏目名称用于测试拆分" for i in range(60)]
    run = world.crawl(TODAY, {n: stale("县卫健局", f"c{i}") for i, n in enumerate(names)})
    with caplog.at_level(logging.DEBUG):
        after_crawl(
            settings=alert_settings(),
            config=config,
            session_factory=sessions,
            run_id=run,
            today=TODAY,
        )
    bodies = wecom.messages_for(KEY)
    assert len(bodies) > 1
    contents = [b["markdown"]["content"] for b in bodies]
    assert all(len(c.encode("utf-8")) < 4096 for c in contents)
    joined = "\n".join(contents)
    for i in range(60):
        assert f"卫生健康栏目\\[{i}\\]\\_很长" in joined  # escaped, and every column named
    assert statuses(sessions) == ["sent"]
    assert KEY not in caplog.text
    assert KEY[:4] in caplog.text  # a redacted prefix tells robots apart


def test_mobiles_use_text_with_mentions(sessions, wecom: FakeWeComServer) -> None:
    world = World.create(sessions)
    unit = UnitConfig(
        name="县卫健局", wecom_webhook=wecom.webhook_url(KEY), wecom_mobiles=["13800001111"]
    )
    run = world.crawl(TODAY, {f"栏目{i}": stale("县卫健局", f"c{i}") for i in range(40)})
    after_crawl(
        settings=alert_settings(),
        config=site_config([unit]),
        session_factory=sessions,
        run_id=run,
        today=TODAY,
    )
    bodies = wecom.messages_for(KEY)
    assert len(bodies) > 1
    assert all(b["msgtype"] == "text" for b in bodies)
    assert all(len(b["text"]["content"].encode()) <= 2048 for b in bodies)
    assert bodies[0]["text"]["mentioned_mobile_list"] == ["13800001111"]
    assert "mentioned_mobile_list" not in bodies[1]["text"]


def test_rate_limit_45009_waits_and_delivers(
    sessions, wecom: FakeWeComServer, caplog: pytest.LogCaptureFixture
) -> None:
    world = World.create(sessions)
    config = site_config([UnitConfig(name="县卫健局", wecom_webhook=wecom.webhook_url(KEY))])
    wecom.fail_next(45009, n=2, api="webhook")
    run = world.crawl(TODAY, {"基本医疗": stale("县卫健局", "jbyl")})
    with caplog.at_level(logging.WARNING):
        after_crawl(
            settings=alert_settings(),
            config=config,
            session_factory=sessions,
            run_id=run,
            today=TODAY,
        )
    assert len(wecom.messages_for(KEY)) == 1
    assert "45009" in caplog.text
    assert statuses(sessions) == ["sent"]


def test_client_limiter_keeps_under_20_per_window(wecom: FakeWeComServer) -> None:
    options = AlertOptions(wecom_rate_window=1.0, wecom_retry_times=0)
    channel = WeComRobotChannel(options, limiter=RateLimiter(20, 1.0))
    unit = UnitConfig(name="u", wecom_webhook=wecom.webhook_url(KEY))

    class Quiet:
        def before_part(self, index: int) -> None: ...
        def after_part(self, index: int) -> None: ...

    parts = [f"消息{i}" for i in range(25)]
    job = outbox_mod.Job(1, "k", "u", "s", {"msgtype": "markdown", "parts": parts}, 0)
    channel.send(job, unit, Quiet())  # retry_times=0: a single 45009 would raise
    assert len(wecom.messages_for(KEY)) == 25


def test_invalid_key_93000_is_a_configuration_error_kept_queued(
    sessions, wecom: FakeWeComServer, caplog: pytest.LogCaptureFixture
) -> None:
    wecom.invalid_keys.add("bad-key-123456")
    world = World.create(sessions)
    config = site_config(
        [UnitConfig(name="县卫健局", wecom_webhook=wecom.webhook_url("bad-key-123456"))]
    )
    run = world.crawl(TODAY, {"基本医疗": stale("县卫健局", "jbyl")})
    with caplog.at_level(logging.ERROR):
        after_crawl(
            settings=alert_settings(),
            config=config,
            session_factory=sessions,
            run_id=run,
            today=TODAY,
        )
    # Not lost, not burning attempts: the key is what is wrong, not the message.
    assert statuses(sessions) == ["pending"]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "93000" in caplog.text
    assert "configuration error" in caplog.text
    assert "bad-key-123456" not in caplog.text
    report = deliver_pending(settings=alert_settings(), config=config, session_factory=sessions)
    assert not report.sent
    assert report.blocked
    assert not report.ok
    wecom.invalid_keys.discard("bad-key-123456")  # the key is fixed
    report = deliver_pending(settings=alert_settings(), config=config, session_factory=sessions)
    assert len(report.sent) == 1
    assert len(wecom.messages_for("bad-key-123456")) == 1
    assert statuses(sessions) == ["sent"]


def test_robot_killed_mid_part_resumes_without_duplicates(
    sessions, wecom: FakeWeComServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = World.create(sessions)
    config = site_config([UnitConfig(name="县卫健局", wecom_webhook=wecom.webhook_url(KEY))])
    run = world.crawl(
        TODAY, {f"卫生健康栏目{i}" + "名" * 40: stale("县卫健局", f"c{i}") for i in range(60)}
    )
    real_after = outbox_mod._Progress.after_part

    def crash_on_second(self: outbox_mod._Progress, index: int) -> None:
        if index == 1:
            raise KeyboardInterrupt
        real_after(self, index)

    monkeypatch.setattr(outbox_mod._Progress, "after_part", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        after_crawl(
            settings=alert_settings(),
            config=config,
            session_factory=sessions,
            run_id=run,
            today=TODAY,
        )
    monkeypatch.undo()
    assert len(wecom.received) == 2
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(hours=1)
    deliver_pending(settings=alert_settings(), config=config, session_factory=sessions, now=later)
    contents = [b["markdown"]["content"] for b in wecom.messages_for(KEY)]
    assert len(contents) == len(set(contents))  # no part twice
    with sessions() as s:
        row = s.scalars(select(AlertDelivery)).one()
        assert row.status == "sent"
        assert row.parts_sent == len(row.payload["parts"]) == len(contents)


def test_app_message_token_refresh_once(
    sessions, wecom: FakeWeComServer, caplog: pytest.LogCaptureFixture
) -> None:
    world = World.create(sessions)
    config = site_config(
        [UnitConfig(name="县卫健局", wecom_users=["zhangsan"], wecom_parties=["12"])]
    )
    settings = app_settings(wecom)
    tokens = TokenCache()
    channel = WeComAppChannel(AlertOptions.from_settings(settings), tokens=tokens)
    run = world.crawl(TODAY, {"基本医疗": stale("县卫健局", "jbyl")})
    with caplog.at_level(logging.DEBUG):
        after_crawl(
            settings=settings, config=config, session_factory=sessions, run_id=run, today=TODAY
        )
    assert len(wecom.received) == 1
    body = wecom.received[0]["body"]
    assert body["touser"] == "zhangsan"
    assert body["toparty"] == "12"
    assert body["enable_duplicate_check"] == 1
    assert channel.token() == channel.token()  # cached
    assert channel.gettoken_calls == 1
    wecom.expire_tokens()
    both = {"基本医疗": stale("县卫健局", "jbyl"), "公共卫生": stale("县卫健局", "ggws")}
    run2 = world.crawl(TODAY + dt.timedelta(days=1), both)
    calls = wecom.gettoken_calls
    after_crawl(
        settings=settings,
        config=config,
        session_factory=sessions,
        run_id=run2,
        today=TODAY + dt.timedelta(days=1),
    )
    assert len(wecom.received) == 2
    assert wecom.gettoken_calls == calls + 1  # refreshed exactly once after 42001
    assert wecom.corp_secret not in caplog.text


def test_app_errors_explained(
    sessions, wecom: FakeWeComServer, caplog: pytest.LogCaptureFixture
) -> None:
    world = World.create(sessions)
    config = site_config(
        [
            UnitConfig(name="甲", wecom_users=["nobody"]),
            UnitConfig(name="乙", wecom_users=["zhangsan"]),
        ]
    )
    wecom.valid_users = {"zhangsan"}
    run = world.crawl(TODAY, {"基本医疗": stale("甲", "a"), "公共卫生": stale("乙", "b")})
    wecom.trusted_ip = True
    with caplog.at_level(logging.ERROR):
        after_crawl(
            settings=app_settings(wecom),
            config=config,
            session_factory=sessions,
            run_id=run,
            today=TODAY,
        )
    assert "81013" in caplog.text
    assert "visible range" in caplog.text
    assert statuses(sessions) == ["failed", "sent"]

    wecom.trusted_ip = False
    run2 = world.crawl(
        TODAY + dt.timedelta(days=8), {"基本医疗": stale("甲", "a"), "公共卫生": stale("乙", "b")}
    )
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        after_crawl(
            settings=app_settings(wecom),
            config=config,
            session_factory=sessions,
            run_id=run2,
            today=TODAY + dt.timedelta(days=8),
        )
    assert "60020" in caplog.text
    assert "企业可信IP" in caplog.text


def test_app_ambiguous_part_is_resent_and_deduplicated(
    sessions, wecom: FakeWeComServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = World.create(sessions)
    config = site_config([UnitConfig(name="县卫健局", wecom_users=["zhangsan"])])

    def crash(self: object, index: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(outbox_mod._Progress, "after_part", crash)
    run = world.crawl(TODAY, {"基本医疗": stale("县卫健局", "jbyl")})
    with pytest.raises(KeyboardInterrupt):
        after_crawl(
            settings=app_settings(wecom),
            config=config,
            session_factory=sessions,
            run_id=run,
            today=TODAY,
        )
    monkeypatch.undo()
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(hours=1)
    deliver_pending(
        settings=app_settings(wecom), config=config, session_factory=sessions, now=later
    )
    assert len(wecom.received) == 1
    assert wecom.duplicates == 1
    assert statuses(sessions) == ["sent"]
