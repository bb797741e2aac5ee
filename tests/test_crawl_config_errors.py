"""A bad site config stops the crawl (and every command that reads it) with one line, exit 2."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.crawlutil import REPO, SCRAPY, crawl

CONFIG_ERROR_EXIT = 2
SITE = "site:\n  name: 青溪县\n  url: http://127.0.0.1:1/\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            SITE + "units:\n  - name: 县卫健局\n    emial: [a@b.gov.cn]\n",
            "units[0].emial: unknown key (did you mean 'email'?)",
        ),
        ("site:\n  name: 青溪县\n", "site.url"),
        ("site:\n  name: 青溪县\n  url: [http://x\n", "YAML syntax error"),
        (SITE + "defaults:\n  deadline_days: five\n", "defaults.deadline_days"),
        (
            "site:\n  name: 青溪县\n  url: http://www.qx.gov.cn/\n  allowed_domains: [gov.cn]\n",
            "4: site.allowed_domains[0]: 'gov.cn' is a public suffix",
        ),
    ],
)
def test_bad_config_gives_one_line(tmp_path, body, expected):
    site = tmp_path / "site.yaml"
    site.write_text(body, encoding="utf-8")
    result = crawl(site, tmp_path)
    assert result.returncode == CONFIG_ERROR_EXIT
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert "site.yaml" in lines[0]
    assert "Traceback" not in result.stderr


# Values that once crashed the store or the alerts after a crawl that exited 0, or could
# leak a robot key: the exact line `scrapy crawl` prints, and exit status 2.
@pytest.mark.parametrize(
    ("body", "line"),
    [
        (
            SITE + "columns:\n  - match: /a/\n    max_age_days: 99999999999999999999\n",
            "6: columns[0].max_age_days: must be from 1 to 3660 days, "
            "got a number with too many digits",
        ),
        (
            SITE + "defaults:\n  deadline_days: 99999999\n",
            "5: defaults.deadline_days: must be from 1 to 365 days, got 99999999",
        ),
        (
            SITE + "units:\n  - name: 县卫健局\n"
            "    wecom_webhook: http://qyapi.weixin.qq.com/send?key=TOPSECRET\n",
            "6: units[0].wecom_webhook: plain http:// would send the robot key in clear: "
            "use https:// (http is allowed only to a loopback host)",
        ),
    ],
)
def test_crawl_exact_error_line(tmp_path: Path, body: str, line: str) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(body, encoding="utf-8")
    result = crawl(site, tmp_path)
    assert result.returncode == CONFIG_ERROR_EXIT, result.stderr
    assert result.stderr == f"error: {site}:{line}\n"
    assert result.items == []


def test_missing_file_is_one_line(tmp_path):
    result = crawl(tmp_path / "nope.yaml", tmp_path)
    assert result.returncode == CONFIG_ERROR_EXIT
    assert result.stderr == f"error: {tmp_path / 'nope.yaml'}: file not found\n"


def test_not_a_regular_file_is_one_line(tmp_path):
    fifo = tmp_path / "site.yaml"
    os.mkfifo(fifo)  # opening it would block the crawl forever
    result = crawl(fifo, tmp_path, timeout=60)
    assert result.returncode == CONFIG_ERROR_EXIT
    assert result.stderr == (
        f"error: {fifo}: is not a regular file (give the path of a YAML file)\n"
    )


def test_webhook_host_warning_is_logged_once(tmp_path):
    """An unusual webhook host is a warning in the crawl log, not a stop."""
    site = tmp_path / "site.yaml"
    site.write_text(
        SITE + "units:\n  - name: 县卫健局\n"
        "    wecom_webhook: https://relay.example.gov.cn/send?key=TOPSECRET\n",
        encoding="utf-8",
    )
    result = crawl(site, tmp_path, "RETRY_ENABLED=false")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "relay.example.gov.cn" in line]
    assert len(warnings) == 1, result.stderr
    assert "is neither qyapi.weixin.qq.com nor the ALERTS_WECOM_API_BASE host" in warnings[0]
    assert "TOPSECRET" not in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["columns"],
        ["report", "-o", "report.html"],
        ["alerts", "--dry-run"],
    ],
)
def test_commands_exit_2_on_a_bad_config(tmp_path: Path, command: list[str]) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(SITE + "defaults:\n  deadline_days: 99999999\n", encoding="utf-8")
    proc = subprocess.run(
        [*SCRAPY, *command, "--site", str(site)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **os.environ,
            "PORTALSPIDER_DATABASE_URL": f"sqlite:///{tmp_path / 'ps.db'}",
            "ALERTS_ENABLED": "false",
        },
        check=False,
    )
    assert proc.returncode == CONFIG_ERROR_EXIT, proc.stderr
    assert proc.stderr == (
        f"error: {site}:5: defaults.deadline_days: must be from 1 to 365 days, got 99999999\n"
    )
