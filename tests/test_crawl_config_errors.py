"""A bad site config stops the crawl with one readable line and a non-zero exit."""

from __future__ import annotations

import pytest

from tests.crawlutil import crawl


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "site:\n  name: 青溪县\n  url: http://127.0.0.1:1/\nunits:\n  - name: 县卫健局\n"
            "    emial: [a@b.gov.cn]\n",
            "units[0].emial: unknown key (did you mean 'email'?)",
        ),
        ("site:\n  name: 青溪县\n", "site.url"),
        ("site:\n  name: 青溪县\n  url: [http://x\n", "YAML syntax error"),
        (
            "site:\n  name: 青溪县\n  url: http://127.0.0.1:1/\ndefaults:\n  deadline_days: five\n",
            "defaults.deadline_days",
        ),
    ],
)
def test_bad_config_gives_one_line(tmp_path, body, expected):
    site = tmp_path / "site.yaml"
    site.write_text(body, encoding="utf-8")
    result = crawl(site, tmp_path)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert "site.yaml" in lines[0]
    assert "Traceback" not in result.stderr


def test_missing_file_is_one_line(tmp_path):
    result = crawl(tmp_path / "nope.yaml", tmp_path)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "nope.yaml" in result.stderr
