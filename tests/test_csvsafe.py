"""Every CSV the tool writes opens in Excel as text: a BOM, and no cell is a formula."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from portalspider import csvsafe
from portalspider.items import ColumnItem, SiteItem
from portalspider.store.db import make_engine, session_factory, upgrade
from portalspider.store.recorder import RunRecorder

REPO = Path(__file__).resolve().parent.parent
SITE = "http://127.0.0.1:1/"
HOSTILE = ['=HYPERLINK("http://evil.example/","x")', "+cmd|' /C calc'!A0", "@SUM(A1:A9)", "-2+3"]


@pytest.mark.parametrize("text", HOSTILE)
def test_cell_neutralises_formula_starts(text: str) -> None:
    assert csvsafe.cell(text) == "'" + text


def test_cell_keeps_numbers_and_plain_text() -> None:
    assert csvsafe.cell(-3) == "-3"
    assert csvsafe.cell(None) == ""
    assert csvsafe.cell("工作动态") == "工作动态"


@pytest.fixture
def hostile_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'ps.db'}"
    engine = make_engine(url)
    upgrade(engine)
    rec = RunRecorder(session_factory(engine), site_url=SITE, site_name="青溪县")
    rec.start()
    rec.add(SiteItem(url=SITE, status="up"))
    for n, name in enumerate(HOSTILE):
        rec.add(
            ColumnItem(
                url=f"{SITE}c{n}/", name=name, path=["@政务公开"], category="news",
                threshold_days=14, last_update="2019-01-01", status="stale",
                newest_title=name,
            )
        )  # fmt: skip
    rec.finish(stats={})
    engine.dispose()
    return url


def _run(*args: str, db_url: str, site: Path) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTALSPIDER_")}
    env["PORTALSPIDER_DATABASE_URL"] = db_url
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args, "--site", str(site)],
        cwd=REPO,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )


def _assert_safe(raw: bytes) -> list[list[str]]:
    assert raw.startswith(b"\xef\xbb\xbf"), raw[:40]
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")], cells
    return rows


def test_columns_csv_has_a_bom_and_no_formula(hostile_db: str, tmp_path: Path) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(f"site:\n  name: 青溪县\n  url: {SITE}\n", encoding="utf-8")
    proc = _run("columns", "--format", "csv", db_url=hostile_db, site=site)
    assert proc.returncode == 0, proc.stderr
    rows = _assert_safe(proc.stdout)
    assert {r[1] for r in rows[1:]} == {"'" + h for h in HOSTILE}


def test_report_csv_has_a_bom_and_no_formula(hostile_db: str, tmp_path: Path) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(f"site:\n  name: 青溪县\n  url: {SITE}\n", encoding="utf-8")
    out = tmp_path / "r.csv"
    proc = _run("report", "-o", str(out), db_url=hostile_db, site=site)
    assert proc.returncode == 0, proc.stderr
    _assert_safe(out.read_bytes())


def test_one_home_for_the_guard() -> None:
    """No second copy of the formula guard anywhere in the package."""
    hits = [
        p
        for p in (REPO / "portalspider").rglob("*.py")
        if '("=", "+", "-", "@"' in p.read_text(encoding="utf-8")
    ]
    assert hits == [REPO / "portalspider" / "csvsafe.py"]
