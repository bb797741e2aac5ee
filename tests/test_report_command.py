"""``scrapy report`` as users run it: format by extension, one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from portalspider.store.db import make_engine, upgrade
from tests.test_report import _populate

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    db_url = f"sqlite:///{root / 'ps.db'}"
    engine = make_engine(db_url)
    upgrade(engine)  # as a crawl leaves it
    with Session(engine) as session:
        _populate(session)
    engine.dispose()
    site = root / "qingxi.yaml"
    site.write_text(
        "site:\n  name: 青溪县人民政府\n  url: http://127.0.0.1:8765\n"
        "defaults:\n  unit: 县政府办\n  deadline_days: 10\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTALSPIDER_")}
    env["PORTALSPIDER_DATABASE_URL"] = db_url
    return root, site, env


def report(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "report", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("name", ["report.html", "report.md", "report.csv"])
def test_writes_each_format(setup, name):
    root, site, env = setup
    out = root / name
    result = report(env, "--site", str(site), "-o", str(out), "--today", "2025-06-30")
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8-sig")
    assert "2025-07-10" in text  # deadline_days from the site config
    assert "县卫健局" in text


def test_unknown_site_is_one_line(setup):
    root, _, env = setup
    other = root / "other.yaml"
    other.write_text("site:\n  name: 别的县\n  url: http://127.0.0.1:1/\n", encoding="utf-8")
    result = report(env, "--site", str(other), "-o", str(root / "x.html"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: http://127.0.0.1:1/ has no crawl in the database")


def test_unknown_extension_is_a_usage_error(setup):
    root, site, env = setup
    result = report(env, "--site", str(site), "-o", str(root / "report.pdf"))
    assert result.returncode == 2
    assert "use a .html, .md, .csv, .docx or .xlsx file" in result.stderr
