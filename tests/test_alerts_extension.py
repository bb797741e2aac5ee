"""Alerts as a Scrapy extension: off by setting, run after the store committed the run."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import scrapy
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from alerts.extension import AlertsExtension
from portalspider.projectsettings import SettingError

REPO = Path(__file__).resolve().parent.parent
# Modules of portalspider that may still name alerts: the `scrapy alerts` command (Scrapy
# finds command classes only under COMMANDS_MODULE; it imports alerts inside run()).
MAY_IMPORT_ALERTS = {"portalspider/commands/alerts.py"}


class Nothing(scrapy.Spider):
    name = "nothing"


@pytest.mark.parametrize("value", ["false", "no", "0", "off", "OFF", False])
def test_off_means_not_configured(value: object) -> None:
    crawler = get_crawler(Nothing, {"ALERTS_ENABLED": value})
    with pytest.raises(NotConfigured):
        AlertsExtension.from_crawler(crawler)


@pytest.mark.parametrize("value", ["true", "yes", "1", "on", "Yes", True])
def test_on_connects_spider_closed(value: object) -> None:
    crawler = get_crawler(Nothing, {"ALERTS_ENABLED": value})
    assert isinstance(AlertsExtension.from_crawler(crawler), AlertsExtension)


def test_bad_value_is_one_line_naming_the_setting() -> None:
    crawler = get_crawler(Nothing, {"ALERTS_ENABLED": "maybe"})
    with pytest.raises(SettingError, match=r"^setting ALERTS_ENABLED='maybe' is not a boolean"):
        AlertsExtension.from_crawler(crawler)


def test_portalspider_does_not_import_alerts() -> None:
    found = set()
    for path in (REPO / "portalspider").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(import alerts|from alerts[ .])", text, re.MULTILINE):
            found.add(path.relative_to(REPO).as_posix())
    assert found <= MAY_IMPORT_ALERTS
    settings = (REPO / "portalspider" / "settings.py").read_text(encoding="utf-8")
    assert '"alerts.extension.AlertsExtension"' in settings


SCRIPT = """
import json, sys
import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

import alerts.service
from portalspider.context import CrawlContext
from portalspider.items import ColumnItem, SiteItem
from portalspider.siteconfig import SiteConfig
from portalspider.store.models import CrawlRun

SITE = "http://127.0.0.1:9/"
seen = []


def after_crawl(*, settings, config, session_factory, run_id, today):
    # A new engine's session: it sees only what the store committed.
    with session_factory() as session:
        run = session.get(CrawlRun, run_id)
        seen.append({"run_id": run_id, "outcome": run and run.outcome,
                     "finished": bool(run and run.finished_at), "today": today.isoformat()})


alerts.service.after_crawl = after_crawl


class Tiny(scrapy.Spider):
    name = "tiny"

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        config = SiteConfig(path="site.yaml", name="测试县", url=SITE)
        spider.context = CrawlContext.from_settings(crawler.settings, config)
        return spider

    async def start(self):
        yield SiteItem(url=SITE, status="up")
        yield ColumnItem(url=SITE + "a/", name="甲", last_update="2026-01-01", items_found=3)


settings = get_project_settings()
settings.set("PORTALSPIDER_DATABASE_URL", sys.argv[1], priority="cmdline")
settings.set("PORTALSPIDER_TODAY", "2026-03-01", priority="cmdline")
settings.set("ALERTS_ENABLED", "yes", priority="cmdline")
settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
process = CrawlerProcess(settings)
crawler = process.create_crawler(Tiny)
process.crawl(crawler)
process.start()
print(json.dumps({"seen": seen, "run_id": crawler.stats.get_value("store/run_id")}))
"""


def test_alerts_see_the_committed_run(tmp_path: Path) -> None:
    """Scrapy closes item pipelines (the store commits) before it sends spider_closed."""
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT), f"sqlite:///{tmp_path / 'ps.db'}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["run_id"] is not None
    assert result["seen"] == [
        {"run_id": result["run_id"], "outcome": "finished", "finished": True, "today": "2026-03-01"}
    ]
