"""Alerts through real crawls: the demo portal, a real SMTP server and a WeCom-like server.

Issue 4's "done when": three units with stale columns, crawled twice on the same day, get
exactly one email and one WeCom message each, naming every one of their problem columns;
the second crawl sends nothing new. With the SMTP server down during the first crawl, the
next crawl delivers the pending digests exactly once.
"""

from __future__ import annotations

from collections import Counter
from email import policy
from email.parser import BytesParser

import pytest

from demo import build_portal, serve
from demo.sinks import FakeWeComServer, SMTPSink
from tests.crawlutil import crawl, write_site

pytestmark = pytest.mark.slow

UNITS = {"县融媒体中心": "/xwzx/", "县政务公开办": "/zwgk/", "县政府办": None}
PROBLEMS = ("stale", "undated", "blank")


def _site_yaml(tmp_path, url, wecom):
    lines = ["defaults:", "  unit: 县政府办", "units:"]
    for i, (unit, prefix) in enumerate(UNITS.items()):
        lines += [
            f"  - name: {unit}",
            f"    email: [unit{i}@qingxi.example.gov.cn]",
            f"    wecom_webhook: {wecom.webhook_url(f'robot-key-{i}-0123456789')}",
        ]
        if prefix:
            lines.append(f"    columns: [{prefix}]")
    return write_site(tmp_path / "site.yaml", url, extra="\n".join(lines) + "\n")


def _settings(smtp_port, wecom):
    return (
        "ALERTS_SMTP_HOST=127.0.0.1",
        f"ALERTS_SMTP_PORT={smtp_port}",
        f"ALERTS_WECOM_API_BASE={wecom.base_url}",
        "ALERTS_ENABLED=true",
        "ALERTS_WECOM_RATE_WINDOW=1",
        "ALERTS_RETRY_BACKOFF=0",
    )


def _mail_text(message) -> str:
    parsed = BytesParser(policy=policy.default).parsebytes(message.as_bytes())
    return "\n".join(
        part.get_content()
        for part in parsed.walk()
        if part.get_content_type() in ("text/plain", "text/html")
    )


def _problems_by_unit(columns) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for column in columns:
        if column["status"] in PROBLEMS and not column.get("exempt_until"):
            found.setdefault(column["unit"], []).append(column["name"])
    return found


@pytest.fixture(scope="module")
def portal():
    return build_portal(seed=3, theme="a")


def test_each_unit_told_once_naming_every_problem_column(portal, tmp_path):
    with serve(portal) as server, SMTPSink() as smtp, FakeWeComServer(rate_window=1.0) as wecom:
        site = _site_yaml(tmp_path, server.url, wecom)
        first = crawl(site, tmp_path, *_settings(smtp.port, wecom))
        assert first.returncode == 0, first.stderr[-3000:]
        second = crawl(site, tmp_path, *_settings(smtp.port, wecom))
        assert second.returncode == 0, second.stderr[-3000:]
        messages = list(smtp.messages)
        robot = {i: wecom.messages_for(f"robot-key-{i}-0123456789") for i in range(3)}
    problems = _problems_by_unit(first.columns)
    assert set(problems) == set(UNITS), problems  # every unit has something to fix
    per_address = Counter(m["To"] for m in messages)
    assert per_address == {f"unit{i}@qingxi.example.gov.cn": 1 for i in range(3)}
    for i, unit in enumerate(UNITS):
        text = _mail_text(next(m for m in messages if m["To"] == f"unit{i}@qingxi.example.gov.cn"))
        assert len(robot[i]) == 1, robot[i]
        content = robot[i][0].get("markdown", robot[i][0].get("text", {}))["content"]
        for name in problems[unit]:
            assert name in text, (unit, name)
            assert name in content, (unit, name)
    assert "robot-key" not in first.stderr + second.stderr  # webhook keys are secrets


def test_smtp_down_then_up_delivers_once(portal, tmp_path):
    with serve(portal) as server, FakeWeComServer(rate_window=1.0) as wecom:
        smtp = SMTPSink()
        smtp.start()
        port = smtp.port
        smtp.stop()  # down during the first crawl
        site = _site_yaml(tmp_path, server.url, wecom)
        first = crawl(site, tmp_path, *_settings(port, wecom))
        assert first.returncode == 0, first.stderr[-3000:]
        smtp = SMTPSink(port=port)
        with smtp:
            second = crawl(site, tmp_path, *_settings(port, wecom))
            third = crawl(site, tmp_path, *_settings(port, wecom))
            messages = list(smtp.messages)
    assert second.returncode == third.returncode == 0
    assert Counter(m["To"] for m in messages) == {
        f"unit{i}@qingxi.example.gov.cn": 1 for i in range(3)
    }
