"""``scrapy alerts`` end to end: a migrated SQLite store, a site YAML, a real SMTP sink."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from alerts.service import after_crawl
from demo.sinks import SMTPSink
from portalspider.siteconfig import load_site_config
from portalspider.store.db import make_engine, session_factory, upgrade
from tests.test_alerts_support import SITE_URL, World, alert_settings

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 9, 10)

SITE_YAML = f"""
site:
  name: 青溪县人民政府
  url: {SITE_URL}
defaults:
  unit: 县政府办
units:
  - name: 县卫健局
    email: [wjj@example.gov.cn]
"""


def scrapy(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "alerts", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_dry_run_then_send(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = make_engine(db_url)
    upgrade(engine)
    sessions = session_factory(engine)
    world = World.create(sessions)
    run = world.crawl(
        TODAY,
        {
            "基本医疗": {
                "status": "stale",
                "unit": "县卫健局",
                "last_update": TODAY - dt.timedelta(days=40),
            }
        },
    )
    site = tmp_path / "site.yaml"
    site.write_text(SITE_YAML, encoding="utf-8")
    config = load_site_config(str(site))
    sink = SMTPSink()  # down while the crawl ends: the digest stays queued
    after_crawl(
        settings=alert_settings(ALERTS_SMTP_PORT=sink.port),
        config=config,
        session_factory=sessions,
        run_id=run,
        today=TODAY,
    )
    engine.dispose()
    with sink:
        env = {
            **os.environ,
            "PORTALSPIDER_DATABASE_URL": db_url,
            "ALERTS_SMTP_HOST": sink.host,
            "ALERTS_SMTP_PORT": str(sink.port),
            "PORTALSPIDER_TODAY": TODAY.isoformat(),
        }
        dry = scrapy("--site", str(site), "--dry-run", env=env)
        assert dry.returncode == 0, dry.stderr
        assert "due: nothing new" in dry.stdout
        assert "outbox #1 pending: 县卫健局 via email" in dry.stdout
        assert "SMTP server 127.0.0.1" in dry.stdout
        assert sink.messages == []
        sent = scrapy("--site", str(site), "--send", env=env)
        assert sent.returncode == 0, sent.stderr
        assert "delivered 1" in sent.stdout
        assert len(sink.messages) == 1
        again = scrapy("--site", str(site), "--send", env=env)
        assert "delivered 0" in again.stdout
        assert len(sink.messages) == 1
