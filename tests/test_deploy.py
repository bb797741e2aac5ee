"""The deployment retries failed alert deliveries between crawls, and the docs say how."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"


def test_alerts_timer_runs_send_at_most_every_ten_minutes() -> None:
    timer = (DEPLOY / "portalspider-alerts.timer").read_text(encoding="utf-8")
    service = (DEPLOY / "portalspider-alerts.service").read_text(encoding="utf-8")
    interval = re.search(r"^OnUnitActiveSec=(\d+)min$", timer, re.MULTILINE)
    assert interval
    assert int(interval.group(1)) <= 10
    assert "Unit=portalspider-alerts.service" in timer
    exec_start = re.search(r"^ExecStart=(.+)$", service, re.MULTILINE)
    assert exec_start
    assert re.search(r"scrapy alerts --site \S+ --send", exec_start.group(1))
    assert "EnvironmentFile=/etc/portalspider/scrapyd.env" in service  # the crawls' secrets


def test_docs_tell_how_retries_are_delivered() -> None:
    operations = (REPO / "docs" / "operations.md").read_text(encoding="utf-8")
    alerts = (REPO / "docs" / "alerts.md").read_text(encoding="utf-8")
    assert "portalspider-alerts.timer" in operations
    assert "portalspider-alerts.timer" in alerts
    cron = [ln for ln in operations.splitlines() if ln.lstrip().startswith("*/10")]
    assert cron
    assert "scrapy alerts --site" in cron[0]
    assert "--send" in cron[0]


def test_availability_probes_run_every_thirty_minutes() -> None:
    timer = (DEPLOY / "portalspider-availability.timer").read_text(encoding="utf-8")
    service = (DEPLOY / "portalspider-availability.service").read_text(encoding="utf-8")
    interval = re.search(r"^OnUnitActiveSec=(\d+)min$", timer, re.MULTILINE)
    assert interval
    assert 24 * 60 // int(interval.group(1)) >= 20  # the indicator's 20 probes a day
    assert "Unit=portalspider-availability.service" in timer
    assert re.search(r"scrapy crawl availability -a site=", service)
    operations = (REPO / "docs" / "operations.md").read_text(encoding="utf-8")
    cron = [ln for ln in operations.splitlines() if ln.lstrip().startswith("*/30")]
    assert cron
    assert "scrapy crawl availability -a site=" in cron[0]
