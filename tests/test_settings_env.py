"""Every documented setting also works from the environment; one boolean parser; one-line errors."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import subprocess
import sys
import types
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from scrapy.crawler import Crawler
from scrapy.settings import Settings
from scrapy.utils.conf import build_component_list
from scrapy.utils.project import get_project_settings

import portalspider.settings as settings_module
from alerts.options import AlertOptions
from portalspider.projectsettings import SettingError, database_url, parse_bool
from portalspider.spiders.availability import AvailabilitySpider
from portalspider.spiders.links import LinksSpider
from portalspider.spiders.portal import PortalSpider
from portalspider.store.pipeline import StorePipeline

REPO = Path(__file__).resolve().parent.parent
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
NOT_SETTINGS = {"PORTALSPIDER_TEST_POSTGRES_URL"}  # the test suite's own variable


def project_settings(env: dict[str, str]) -> Settings:
    """The project settings as a process started with ``env`` would load them.

    The settings file runs in a fresh module (a reload would keep the previous globals).
    """
    module = types.ModuleType("portalspider_settings_probe")
    source = Path(settings_module.__file__ or "").read_text(encoding="utf-8")
    with mock.patch.dict(os.environ, env):
        exec(compile(source, settings_module.__file__ or "settings.py", "exec"), module.__dict__)
    settings = Settings()
    settings.setmodule(module, priority="project")
    return settings


def documented_settings() -> set[str]:
    names: set[str] = set()
    for doc in DOCS:
        names |= set(
            re.findall(r"\b(?:PORTALSPIDER|ALERTS)_[A-Z][A-Z0-9_]*[A-Z0-9]\b", doc.read_text())
        )
    return names - NOT_SETTINGS


def _spider(settings: Settings, tmp_path: Path) -> PortalSpider:
    site = tmp_path / "site.yaml"
    site.write_text("site:\n  name: 测试县\n  url: http://127.0.0.1:9/\n", encoding="utf-8")
    return PortalSpider.from_crawler(Crawler(PortalSpider, settings), site=str(site))


def _probe_spider(settings: Settings, tmp_path: Path) -> AvailabilitySpider:
    site = tmp_path / "site.yaml"
    site.write_text("site:\n  name: 测试县\n  url: http://127.0.0.1:9/\n", encoding="utf-8")
    return AvailabilitySpider.from_crawler(Crawler(AvailabilitySpider, settings), site=str(site))


def _links_spider(settings: Settings, tmp_path: Path) -> LinksSpider:
    site = tmp_path / "site.yaml"
    site.write_text("site:\n  name: 测试县\n  url: http://127.0.0.1:9/\n", encoding="utf-8")
    return LinksSpider.from_crawler(Crawler(LinksSpider, settings), site=str(site))


def _store_batch(settings: Settings, tmp_path: Path) -> int:
    crawler = Crawler(PortalSpider, settings)
    crawler.spider = _spider(settings, tmp_path)
    pipe = StorePipeline.from_crawler(crawler)
    pipe.open_spider()
    try:
        assert pipe.recorder is not None
        return pipe.recorder.batch_size
    finally:
        pipe._dispose()


# What the crawl or a command actually uses, for each PORTALSPIDER_* setting.
PORTALSPIDER_READERS: dict[str, tuple[str, Any, Any]] = {
    "PORTALSPIDER_TODAY": (
        "2025-07-01",
        lambda s, t: _spider(s, t).context.today,
        dt.date(2025, 7, 1),
    ),
    "PORTALSPIDER_ARTICLE_FALLBACK": ("5", lambda s, t: _spider(s, t).context.article_fallback, 5),
    "PORTALSPIDER_MAX_DEPTH": ("4", lambda s, t: _spider(s, t).bounds.max_depth, 4),
    "PORTALSPIDER_MAX_URL_LENGTH": ("120", lambda s, t: _spider(s, t).bounds.max_url_length, 120),
    "PORTALSPIDER_MIN_BUDGET": ("50", lambda s, t: _spider(s, t).bounds.min_budget, 50),
    "PORTALSPIDER_REQUEST_BUDGET": ("3", lambda s, t: _spider(s, t).bounds.per_column, 3),
    "PORTALSPIDER_MAX_REQUESTS": ("900", lambda s, t: _spider(s, t).bounds.max_requests, 900),
    "PORTALSPIDER_DATABASE_URL": (
        "sqlite:///elsewhere.db",
        lambda s, t: database_url(s),
        "sqlite:///elsewhere.db",
    ),
    "PORTALSPIDER_STORE_BATCH": ("7", _store_batch, 7),
    "PORTALSPIDER_PROBE_TIMEOUT": ("4", lambda s, t: _probe_spider(s, t).timeout, 4),
    "PORTALSPIDER_MAX_LIST_PAGES": ("8", lambda s, t: _spider(s, t).context.max_list_pages, 8),
    "PORTALSPIDER_LINKS_ARTICLES": ("4", lambda s, t: _links_spider(s, t).links.articles, 4),
    "PORTALSPIDER_LINKS_TIMEOUT": ("9", lambda s, t: _links_spider(s, t).links.timeout, 9.0),
    "PORTALSPIDER_LINKS_RETRY_TIMES": ("5", lambda s, t: _links_spider(s, t).links.retry_times, 5),
    "PORTALSPIDER_LINKS_RETRY_BACKOFF": (
        "0.5",
        lambda s, t: _links_spider(s, t).links.backoff,
        0.5,
    ),
    "PORTALSPIDER_LINKS_HOST_DELAY": (
        "2.5",
        lambda s, t: _links_spider(s, t).links.host_delay,
        2.5,
    ),
    "PORTALSPIDER_MAX_MESSAGE_PAGES": ("3", lambda s, t: _spider(s, t).interaction.max_pages, 3),
    "PORTALSPIDER_MAX_MESSAGE_DETAILS": (
        "4",
        lambda s, t: _spider(s, t).interaction.max_details,
        4,
    ),
    "PORTALSPIDER_POLICY_CHECK": ("off", lambda s, t: _spider(s, t).policy.settings.enabled, False),
    "PORTALSPIDER_POLICY_PAGES": ("40", lambda s, t: _spider(s, t).policy.settings.pages, 40),
    "PORTALSPIDER_POLICY_PAGES_PER_COLUMN": (
        "0.5",
        lambda s, t: _spider(s, t).policy.settings.pages_per_column,
        0.5,
    ),
    "PORTALSPIDER_INTERPRETATION_RATIO": (
        "0.3",
        lambda s, t: _spider(s, t).policy.settings.min_ratio,
        0.3,
    ),
}


def _alert_field(name: str) -> dataclasses.Field[Any]:
    fields = {f"ALERTS_{f.name.upper()}": f for f in dataclasses.fields(AlertOptions)}
    assert name in fields, f"{name} is documented but AlertOptions does not read it"
    return fields[name]


def _env_value_for(field: dataclasses.Field[Any]) -> tuple[str, Any]:
    """An environment spelling that differs from the default, and the value it must give."""
    default = field.default
    if isinstance(default, bool):
        return ("yes", True) if not default else ("off", False)
    if isinstance(default, int):
        return str(default + 3), default + 3
    if isinstance(default, float):
        return str(default + 1.5), default + 1.5
    if field.name == "wecom_api_base":
        return "http://127.0.0.1:1/", "http://127.0.0.1:1"
    return f"env-{field.name}", f"env-{field.name}"


def test_the_docs_name_the_settings_tested_here() -> None:
    names = documented_settings()
    assert {"PORTALSPIDER_TODAY", "ALERTS_ENABLED", "ALERTS_SMTP_PASSWORD"} <= names
    for name in names:
        assert name in PORTALSPIDER_READERS or name.startswith("ALERTS_"), name


@pytest.mark.parametrize("name", sorted(documented_settings()))
def test_documented_setting_works_from_the_environment(name: str, tmp_path: Path) -> None:
    if name in PORTALSPIDER_READERS:
        env_value, read, expected = PORTALSPIDER_READERS[name]
        if name == "PORTALSPIDER_STORE_BATCH":
            settings = project_settings(
                {name: env_value, "PORTALSPIDER_DATABASE_URL": f"sqlite:///{tmp_path / 'ps.db'}"}
            )
        else:
            settings = project_settings({name: env_value})
        assert read(settings, tmp_path) == expected
        return
    field = _alert_field(name)
    env_value, expected = _env_value_for(field)
    options = AlertOptions.from_settings(project_settings({name: env_value}))
    assert getattr(options, field.name) == expected


def test_command_line_wins_over_the_environment(tmp_path: Path) -> None:
    settings = project_settings({"PORTALSPIDER_TODAY": "2025-07-01"})
    settings.set("PORTALSPIDER_TODAY", "2025-08-01", priority="cmdline")
    assert _spider(settings, tmp_path).context.today == dt.date(2025, 8, 1)


def test_empty_environment_variable_is_unset() -> None:
    settings = project_settings({"ALERTS_SMTP_HOST": "", "PORTALSPIDER_DATABASE_URL": " "})
    assert AlertOptions.from_settings(settings).smtp_host == "localhost"
    assert database_url(settings) == "sqlite:///var/portalspider.db"


@pytest.mark.parametrize(
    ("text", "value"),
    [(t, True) for t in ("true", "True", "yes", "YES", "1", "on", " on ")]
    + [(t, False) for t in ("false", "no", "0", "off", "Off")],
)
def test_one_boolean_parser(text: str, value: bool) -> None:
    assert parse_bool("ALERTS_DRY_RUN", text) is value


@pytest.mark.parametrize("text", ["maybe", "2", "tru", "y"])
def test_bad_boolean_names_the_setting(text: str) -> None:
    with pytest.raises(SettingError) as info:
        parse_bool("ALERTS_DRY_RUN", text)
    assert str(info.value).startswith(f"setting ALERTS_DRY_RUN={text!r} is not a boolean")


def _scrapy(
    args: list[str], env: dict[str, str], cwd: Path = REPO
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ALERTS_ENABLED", "maybe"),
        ("PORTALSPIDER_TODAY", "1st of May"),
        ("PORTALSPIDER_STORE_BATCH", "many"),
        ("PORTALSPIDER_POLICY_CHECK", "maybe"),
    ],
)
def test_crawl_with_a_bad_environment_value_fails_in_one_line(
    name: str, value: str, tmp_path: Path
) -> None:
    site = tmp_path / "site.yaml"
    site.write_text("site:\n  name: 测试县\n  url: http://127.0.0.1:9/\n", encoding="utf-8")
    proc = _scrapy(["crawl", "portal", "-a", f"site={site}"], {name: value})
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert proc.stderr.strip().splitlines() == [
        f"error: setting {name}={value!r} is not "
        + {
            "ALERTS_ENABLED": "a boolean (true/false, yes/no, on/off, 1/0)",
            "PORTALSPIDER_POLICY_CHECK": "a boolean (true/false, yes/no, on/off, 1/0)",
            "PORTALSPIDER_TODAY": "a date (YYYY-MM-DD)",
            "PORTALSPIDER_STORE_BATCH": "a whole number",
        }[name]
    ]


def test_alerts_command_reads_yes_from_the_environment(tmp_path: Path) -> None:
    """``ALERTS_DRY_RUN=yes`` crashed Scrapy's getbool; now it means yes for every reader."""
    site = tmp_path / "site.yaml"
    site.write_text("site:\n  name: 测试县\n  url: http://127.0.0.1:9/\n", encoding="utf-8")
    env = {"ALERTS_DRY_RUN": "yes", "PORTALSPIDER_DATABASE_URL": f"sqlite:///{tmp_path / 'ps.db'}"}
    proc = _scrapy(["alerts", "--site", str(site), "--send"], env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("delivered 0")
    maybe = _scrapy(["alerts", "--site", str(site), "--send"], {**env, "ALERTS_DRY_RUN": "maybe"})
    assert maybe.returncode == 2
    assert "error: setting ALERTS_DRY_RUN='maybe' is not a boolean" in maybe.stderr
    bad = _scrapy(
        ["alerts", "--site", str(site), "--send"], {**env, "ALERTS_SMTP_PORT": "twenty-five"}
    )
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        "error: setting ALERTS_SMTP_PORT='twenty-five' is not a whole number"
    ]


def test_no_console_takes_code_from_outside() -> None:
    """Neither the telnet console nor Scrapy's remote control (an HTTP server running the
    code it is sent) runs in a crawl; the latter is not even imported (aiohttp at start-up)."""
    settings = get_project_settings()
    assert not settings.getbool("TELNETCONSOLE_ENABLED")
    enabled = build_component_list(settings.getwithbase("EXTENSIONS"))
    assert not [path for path in enabled if "remote_control" in str(path)]
