"""The week's probe failures warn (3 %) and alert (5 %) the webmaster, through the real
alerts path (decide → outbox → SMTP) to the loopback sink."""

from __future__ import annotations

import datetime as dt
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from alerts.service import after_probe
from demo.sinks import SMTPSink
from portalspider.dates import day_start
from portalspider.siteconfig import SiteConfig, UnitConfig
from portalspider.store.models import Probe, utcnow
from portalspider.store.recorder import upsert_site
from tests.crawlutil import crawl, serving, write_site
from tests.test_alerts_support import alert_settings

SITE = "http://www.qingxi.gov.cn/"
TODAY = dt.date(2026, 6, 30)
WEBMASTER = UnitConfig(name="县政务公开办", email=["xxzx@qingxi.gov.cn"])


def _config() -> SiteConfig:
    return SiteConfig(
        path="site.yaml",
        name="青溪县人民政府",
        url=SITE,
        default_unit="县政府办",
        webmaster=WEBMASTER,
    )


def _probes(store: sessionmaker[Session], ok: int, failed: int) -> int:
    now = day_start(TODAY + dt.timedelta(days=1))  # the week is TODAY's, not the clock's
    with store() as session, session.begin():
        site = upsert_site(session, SITE, "青溪县人民政府")
        for k in range(ok + failed):
            session.add(
                Probe(
                    site_id=site.id,
                    url=SITE,
                    checked_at=now - dt.timedelta(minutes=k + 1),
                    ok=k >= failed,
                    error=None if k >= failed else "timeout after 15 s",
                )
            )
        return site.id


def _subjects(sink: SMTPSink) -> list[str]:
    return [str(make_header(decode_header(m["Subject"]))) for m in sink.messages]


def _after_probe(store: sessionmaker[Session], site_id: int, settings: Any) -> None:
    after_probe(
        settings=settings, config=_config(), session_factory=store, site_id=site_id, today=TODAY
    )


def test_warned_at_three_percent_alerted_at_five_once_a_week(
    store: sessionmaker[Session],
) -> None:
    with SMTPSink() as sink:
        settings = alert_settings(ALERTS_SMTP_PORT=sink.port)
        site_id = _probes(store, 98, 2)  # 2.0 %
        _after_probe(store, site_id, settings)
        assert sink.messages == []
        _probes(store, 0, 2)  # 4 of 102: 3.9 %
        _after_probe(store, site_id, settings)
        _after_probe(store, site_id, settings)  # the next probe: told already this week
        assert len(sink.messages) == 1
        message = sink.messages[0]
        assert message["To"] == "xxzx@qingxi.gov.cn"
        text = message.get_body(("plain",)).get_content()
        assert "网站访问不稳定" in text
        assert "近7天探测 102 次，失败 4 次" in text
        _probes(store, 0, 2)  # 6 of 104: 5.8 %, the indicator's line
        _after_probe(store, site_id, settings)
        _after_probe(store, site_id, settings)
        assert len(sink.messages) == 2
        alert = sink.messages[1].get_body(("plain",)).get_content()
        assert "站点无法访问（单项否决）" in alert
        assert "单项否决线（5%）" in alert
        assert "首页" in _subjects(sink)[1]


def test_fewer_than_a_days_probes_decide_nothing(store: sessionmaker[Session]) -> None:
    with SMTPSink() as sink:
        site_id = _probes(store, 10, 9)  # 19 probes, nearly half failed
        _after_probe(store, site_id, alert_settings(ALERTS_SMTP_PORT=sink.port))
        assert sink.messages == []


class Down(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.slow
def test_the_availability_crawl_alerts_the_webmaster(tmp_path: Path) -> None:
    """``scrapy crawl availability`` as cron runs it: the probe is stored, then alerted."""
    from portalspider.store.db import make_engine, session_factory, upgrade

    db = f"sqlite:///{tmp_path / 'ps.db'}"
    with SMTPSink() as sink, serving(Down) as base:
        engine = make_engine(db)
        try:
            upgrade(engine)
            now = utcnow()
            with session_factory(engine)() as session, session.begin():
                site = upsert_site(session, base, "青溪县人民政府")
                session.add_all(
                    Probe(
                        site_id=site.id, url=base, checked_at=now - dt.timedelta(hours=k), ok=k > 5
                    )
                    for k in range(1, 100)
                )
        finally:
            engine.dispose()
        extra = "  webmaster:\n    email: [xxzx@qingxi.gov.cn]\n"
        site_yaml = write_site(tmp_path / "site.yaml", base, extra=extra)
        result = crawl(
            site_yaml,
            tmp_path,
            "ALERTS_ENABLED=true",
            "ALERTS_SMTP_HOST=127.0.0.1",
            f"ALERTS_SMTP_PORT={sink.port}",
            "ALERTS_MAIL_FROM=portalspider@example.gov.cn",
            db_url=db,
            spider="availability",
            timeout=120,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        assert [i["error"] for i in result.items] == ["HTTP 503"]
        # 6 of the 100 probes of the week failed: 6 %.
        assert len(sink.messages) == 1, result.stderr[-3000:]
        assert "站点无法访问（单项否决）" in sink.messages[0].get_body(("plain",)).get_content()
