"""Issue 9's three silent scenarios, through the real recorder and the loopback servers.

Each crawl is recorded by the store's own ``RunRecorder`` (so findings open and close as
in production), then ``after_crawl`` delivers through a real SMTP server and a WeCom-like
server on 127.0.0.1. Each test asserts exactly which messages arrive.
"""

from __future__ import annotations

import datetime as dt
import logging
from email.header import decode_header, make_header
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from alerts.service import after_crawl, deliver_pending, plan
from demo.sinks import FakeWeComServer, SMTPSink
from portalspider.items import ColumnItem, SiteItem
from portalspider.report import build_report, render_report
from portalspider.siteconfig import SiteConfig, UnitConfig
from portalspider.store.queries import get_site
from portalspider.store.recorder import RunRecorder
from tests.test_alerts_support import alert_settings

SITE = "http://www.qx.gov.cn/"
WEBMASTER_KEY = "webmaster-key-0001"
D0 = dt.date(2026, 3, 2)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def col(slug: str, status: str, unit: str | None = None, **kw: Any) -> ColumnItem:
    return ColumnItem(
        url=f"{SITE}{slug}/",
        name=kw.pop("name", slug),
        path=["政务公开"],
        category="news",
        unit=unit,
        threshold_days=14,
        last_update=kw.pop("last", None if status in ("blank", "unreachable") else "2026-01-01"),
        status=status,
        **kw,
    )


def crawl(
    store: sessionmaker[Session],
    config: SiteConfig,
    settings: Any,
    today: dt.date,
    items: list[ColumnItem],
    *,
    site: str = "up",
    incomplete: str | None = None,
) -> dict[str, Any]:
    rec = RunRecorder(store, site_url=SITE, site_name=config.name, today=today)
    rec.start()
    rec.add(SiteItem(url=SITE, status=site, error=None if site == "up" else "Connection refused"))
    for item in items:
        rec.add(item)
    summary = rec.finish(stats={}, incomplete_reason=incomplete)
    assert rec.run_id is not None
    after_crawl(
        settings=settings, config=config, session_factory=store, run_id=rec.run_id, today=today
    )
    return summary


def config(**kw: Any) -> SiteConfig:
    return SiteConfig(path="site.yaml", name="青溪县人民政府", url=SITE, **kw)


def subject(message: Any) -> str:
    return str(make_header(decode_header(message["Subject"])))


def body(message: Any) -> str:
    return message.get_body(("plain",)).get_content()


def mail_to(sink: SMTPSink) -> list[tuple[str, str, str]]:
    return [(m["To"], subject(m), body(m)) for m in sink.messages]


@pytest.fixture
def sink():
    with SMTPSink() as s:
        yield s


@pytest.fixture
def wecom():
    with FakeWeComServer(rate_window=1.0) as w:
        yield w


# -- 9.4 units added later -------------------------------------------------------------


def test_units_added_later_get_the_alert_first_then_reminders(
    store, sink: SMTPSink, wecom: FakeWeComServer, caplog: pytest.LogCaptureFixture
) -> None:
    settings = alert_settings(ALERTS_SMTP_PORT=sink.port, ALERTS_WECOM_API_BASE=wecom.base_url)
    minimal = config()
    items = [col("gzdt", "stale"), col("tzgg", "blank")]
    with caplog.at_level(logging.WARNING, logger="alerts"):
        crawl(store, minimal, settings, day(0), items)
    assert sink.messages == []
    lines = [r.getMessage() for r in caplog.records if "no reachable recipient" in r.getMessage()]
    assert len(lines) == 1
    assert "2 findings have no reachable recipient" in lines[0]
    preview = plan(settings=settings, config=minimal, session_factory=store, today=day(0))
    assert preview.unreached == 2
    assert preview.digests == []

    # The units get contacts: 卫健局 owns 工作动态, the rest falls to defaults.unit.
    later = config(
        default_unit="县政府办",
        units=[
            UnitConfig(name="县卫健局", email=["wjj@qx.gov.cn"], columns=["/gzdt/"]),
            UnitConfig(
                name="县政府办",
                email=["zfb@qx.gov.cn"],
                wecom_webhook=wecom.webhook_url("zfb-robot-key-0001"),
            ),
        ],
    )
    # `scrapy alerts --dry-run` before the next crawl: due now (the store still has no
    # unit for either column, so both go to defaults.unit); nothing recorded.
    preview = plan(settings=settings, config=later, session_factory=store, today=day(0))
    assert [(d.unit, len(d.notices)) for d, _ in preview.digests] == [("县政府办", 2)]
    items = [col("gzdt", "stale", "县卫健局"), col("tzgg", "blank")]
    crawl(store, later, settings, day(1), items)
    first = mail_to(sink)
    assert sorted(to for to, _, _ in first) == ["wjj@qx.gov.cn", "zfb@qx.gov.cn"]
    for to, _, text in first:
        assert "【需整改】" in text
        assert "催办" not in text
        assert ("gzdt" in text) == (to == "wjj@qx.gov.cn")
        assert ("tzgg" in text) == (to == "zfb@qx.gov.cn")
    robot = wecom.messages_for("zfb-robot-key-0001")
    assert len(robot) == 1
    assert "需整改" in robot[0]["markdown"]["content"]

    crawl(store, later, settings, day(3), items)  # nothing new within the week
    assert len(sink.messages) == 2
    crawl(store, later, settings, day(8), items)  # a week after the alert: 催办
    week = mail_to(sink)[2:]
    assert sorted(to for to, _, _ in week) == ["wjj@qx.gov.cn", "zfb@qx.gov.cn"]
    assert all("第1次催办" in text for _, _, text in week)


# -- 9.5 site down ---------------------------------------------------------------------


@pytest.fixture
def watched(sink: SMTPSink, wecom: FakeWeComServer) -> tuple[Any, SiteConfig]:
    """Settings on the loopback servers and a site whose webmaster has mail and a WeCom robot
    (``WEBMASTER_KEY``): who hears of the site's own troubles."""
    settings = alert_settings(ALERTS_SMTP_PORT=sink.port, ALERTS_WECOM_API_BASE=wecom.base_url)
    cfg = config(
        default_unit="县政府办",
        units=[UnitConfig(name="县政府办", email=["zfb@qx.gov.cn"])],
        webmaster=UnitConfig(
            name="网站管理员",
            email=["webmaster@qx.gov.cn"],
            wecom_webhook=wecom.webhook_url(WEBMASTER_KEY),
        ),
    )
    return settings, cfg


def ok_columns() -> list[ColumnItem]:
    return [col("gzdt", "ok", "县政府办", last="2026-03-01")]


def test_site_down_one_alert_per_outage_and_a_resolved_notice(
    store, sink: SMTPSink, wecom: FakeWeComServer, watched: tuple[Any, SiteConfig]
) -> None:
    settings, cfg = watched
    ok = ok_columns()
    crawl(store, cfg, settings, day(0), ok)
    assert sink.messages == []
    crawl(store, cfg, settings, day(1), [], site="down")
    crawl(store, cfg, settings, day(2), [], site="down")  # the same outage: told once
    with store() as s:
        site = get_site(s, SITE)
        assert site is not None
        report = build_report(s, site, day(2))
    assert report.site_down
    html = render_report(report, ".html")[0]
    assert "站点无法访问" in html
    assert "本次检测未触发" not in html
    assert "站点无法访问" in render_report(report, ".md")[0]
    crawl(store, cfg, settings, day(3), ok)  # back
    with store() as s:
        site = get_site(s, SITE)
        assert site is not None
        assert not build_report(s, site, day(3)).site_down
    crawl(store, cfg, settings, day(4), ok)
    got = mail_to(sink)
    assert [to for to, _, _ in got] == ["webmaster@qx.gov.cn"] * 2
    assert "网站首页无法访问" in got[0][1]
    assert "Connection refused" in got[0][2]
    assert "3月3日" in got[0][2]  # since the first down crawl
    assert "网站已恢复访问" in got[1][1]
    robot = wecom.messages_for(WEBMASTER_KEY)
    assert [("已恢复" in m["markdown"]["content"]) for m in robot] == [False, True]
    crawl(store, cfg, settings, day(5), [], site="down")  # a new outage: a new alert
    assert len(sink.messages) == 3


def test_incomplete_crawls_tell_the_webmaster_once_per_streak_with_the_reason(
    store, sink: SMTPSink, wecom: FakeWeComServer, watched: tuple[Any, SiteConfig]
) -> None:
    settings, cfg = watched
    ok = ok_columns()
    reason = "crawl bound hit: max_pages, 3 (first: http://www.qx.gov.cn/<b>*x*</b>)"
    crawl(store, cfg, settings, day(0), ok)
    crawl(store, cfg, settings, day(1), ok, incomplete=reason)
    got = mail_to(sink)
    assert [to for to, _, _ in got] == ["webmaster@qx.gov.cn"]
    assert "网站检测不完整" in got[0][1]
    assert reason in got[0][2]  # the plain text part says it as it is
    html = sink.messages[0].get_body(("html",)).get_content()
    assert "&lt;b&gt;*x*&lt;/b&gt;" in html
    assert "<b>" not in html
    robot = wecom.messages_for(WEBMASTER_KEY)
    assert len(robot) == 1
    assert r"&lt;b&gt;\*x\*&lt;/b&gt;" in robot[0]["markdown"]["content"]
    crawl(store, cfg, settings, day(2), ok, incomplete="home page shows no navigation")
    assert len(sink.messages) == 1  # the same streak: told once
    crawl(store, cfg, settings, day(3), ok)  # complete again: a short resolved notice
    got = mail_to(sink)
    assert [to for to, _, _ in got] == ["webmaster@qx.gov.cn"] * 2
    assert "检测已恢复完整" in got[1][1]
    assert "3月3日" in got[1][2]  # since the streak's first run
    crawl(store, cfg, settings, day(4), ok)
    assert len(sink.messages) == 2


def test_site_down_goes_to_the_default_unit_without_a_webmaster(store, sink: SMTPSink) -> None:
    settings = alert_settings(ALERTS_SMTP_PORT=sink.port)
    cfg = config(default_unit="县政府办", units=[UnitConfig(name="县政府办", email=["z@qx.cn"])])
    crawl(store, cfg, settings, day(0), [], site="down")
    crawl(store, cfg, settings, day(1), [], site="down")
    assert [to for to, _, _ in mail_to(sink)] == ["z@qx.cn"]


# -- 9.6 unreachable columns -----------------------------------------------------------


def test_columns_unreachable_twice_are_a_problem_for_the_webmaster_and_the_unit(
    store, sink: SMTPSink
) -> None:
    settings = alert_settings(ALERTS_SMTP_PORT=sink.port)
    cfg = config(
        default_unit="县政府办",
        units=[
            UnitConfig(name="县卫健局", email=["wjj@qx.gov.cn"], columns=["/a/", "/b/"]),
            UnitConfig(name="县政府办", email=["zfb@qx.gov.cn"]),
        ],
        webmaster=UnitConfig(name="网站管理员", email=["webmaster@qx.gov.cn"]),
    )
    broken = [
        col("a", "unreachable", "县卫健局", error="HTTP 404", http_status=404),
        col("b", "unreachable", "县卫健局", error="HTTP 500", http_status=500),
        col("c", "ok", "县政府办", last="2026-03-01"),
    ]
    first = crawl(store, cfg, settings, day(0), broken)
    assert sink.messages == []
    assert first["unreachable_problems"] == []
    again = crawl(store, cfg, settings, day(0), broken)  # minutes later: no second look
    assert again["unreachable_problems"] == []
    assert sink.messages == []
    second = crawl(store, cfg, settings, day(1), broken)
    assert second["unreachable_problems"] == [f"{SITE}a/", f"{SITE}b/"]
    got = {to: (subj, text) for to, subj, text in mail_to(sink)}
    assert sorted(got) == ["webmaster@qx.gov.cn", "wjj@qx.gov.cn"]
    for subj, text in got.values():
        assert "2个栏目需整改" in subj
        assert text.count("无法访问") >= 2
        assert "a" in text
        assert "b" in text
    with store() as s:
        site = get_site(s, SITE)
        assert site is not None
        report = build_report(s, site, day(1), default_unit="县政府办")
    assert report.problem_count.problems == 2
    assert [u.name for u in report.problem_units] == ["县卫健局"]
    assert "链接不可用" in report.problems[0].problem_text
    crawl(store, cfg, settings, day(2), broken)  # still broken: no repeat within the week
    assert len(sink.messages) == 2
    fixed = [col("a", "ok", "县卫健局", last="2026-03-03"), *broken[1:]]
    crawl(store, cfg, settings, day(3), fixed)
    resolved = mail_to(sink)[2:]
    assert sorted(to for to, _, _ in resolved) == ["webmaster@qx.gov.cn", "wjj@qx.gov.cn"]
    assert all("已整改" in subj for _, subj, _ in resolved)


# -- 9.17 configuration errors -----------------------------------------------------------


def test_smtp_login_refused_is_said_once_and_kept_queued(
    store, caplog: pytest.LogCaptureFixture
) -> None:
    with SMTPSink(login=("monitor", "right-password")) as sink:
        cfg = config(
            units=[
                UnitConfig(name=f"单位{i}", email=[f"u{i}@qx.gov.cn"], columns=[f"/c{i}/"])
                for i in range(3)
            ]
        )
        items = [col(f"c{i}", "stale", f"单位{i}") for i in range(3)]
        wrong = alert_settings(
            ALERTS_SMTP_PORT=sink.port,
            ALERTS_SMTP_USER="monitor",
            ALERTS_SMTP_PASSWORD="s3cret-wrong-pw",
        )
        with caplog.at_level(logging.INFO):
            crawl(store, cfg, wrong, day(0), items)
        errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert len(errors) == 1, errors
        assert "ALERTS_SMTP_USER" in errors[0]
        assert "configuration error" in errors[0]
        assert "s3cret-wrong-pw" not in caplog.text
        assert "unavailable" not in errors[0]
        assert sink.auth_attempts <= 2  # one login (smtplib tries PLAIN, then LOGIN): not 3
        right = alert_settings(
            ALERTS_SMTP_PORT=sink.port,
            ALERTS_SMTP_USER="monitor",
            ALERTS_SMTP_PASSWORD="right-password",
        )
        report = deliver_pending(settings=right, config=cfg, session_factory=store)
        assert len(report.sent) == 3
        assert report.ok
        assert sorted(m["To"] for m in sink.messages) == [f"u{i}@qx.gov.cn" for i in range(3)]


@pytest.mark.parametrize("fault", ["secret", "ip"])
def test_wecom_app_configuration_errors_keep_digests_queued(
    store, wecom: FakeWeComServer, fault: str, caplog: pytest.LogCaptureFixture
) -> None:
    cfg = config(
        units=[
            UnitConfig(name=f"单位{i}", wecom_users=[f"user{i}"], columns=[f"/c{i}/"])
            for i in range(2)
        ]
    )
    items = [col(f"c{i}", "stale", f"单位{i}") for i in range(2)]
    app = {
        "ALERTS_WECOM_API_BASE": wecom.base_url,
        "ALERTS_WECOM_CORP_ID": wecom.corp_id,
        "ALERTS_WECOM_AGENT_ID": str(wecom.agent_id),
    }
    bad = dict(app, ALERTS_WECOM_CORP_SECRET="wrong-secret-xyz")
    if fault == "ip":
        wecom.trusted_ip = False
        bad["ALERTS_WECOM_CORP_SECRET"] = wecom.corp_secret
    with caplog.at_level(logging.INFO):
        crawl(store, cfg, alert_settings(**bad), day(0), items)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, errors
    assert ("40001" if fault == "secret" else "60020") in errors[0]
    assert "wrong-secret-xyz" not in caplog.text
    assert wecom.corp_secret not in caplog.text
    assert wecom.received == []
    wecom.trusted_ip = True
    good = alert_settings(**dict(app, ALERTS_WECOM_CORP_SECRET=wecom.corp_secret))
    report = deliver_pending(settings=good, config=cfg, session_factory=store)
    assert len(report.sent) == 2
    assert len(wecom.received) == 2
