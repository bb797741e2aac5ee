"""`scrapy columns` and `scrapy db` run as users run them: subprocesses from the repo root."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from portalspider.items import ColumnItem, SiteItem
from portalspider.store.db import head_revision
from portalspider.store.recorder import RunRecorder

REPO = Path(__file__).resolve().parent.parent
SCRAPY = str(Path(sys.executable).parent / "scrapy")
SITE = "http://www.qx.gov.cn/"
D0 = dt.date(2026, 3, 1)


def scrapy(*args: str, db_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PORTALSPIDER_DATABASE_URL": db_url}
    return subprocess.run(
        [SCRAPY, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def populate(sessions: sessionmaker[Session]) -> None:
    def crawl(today: dt.date, items: list[ColumnItem]) -> None:
        rec = RunRecorder(sessions, site_url=SITE, site_name="青溪县", today=today)
        rec.start()
        rec.add(SiteItem(url=SITE, status="up"))
        for item in items:
            rec.add(item)
        rec.finish(stats={})

    def c(slug: str, name: str, status: str, last: str | None) -> ColumnItem:
        return ColumnItem(
            url=f"{SITE}{slug}/",
            name=name,
            path=["政务公开", "政策文件"],
            category="news",
            unit="县卫健局",
            threshold_days=14,
            last_update=last,
            status=status,
        )

    crawl(
        D0,
        [
            c("a", "工作动态", "stale", "2026-01-01"),
            c("b", "通知公告", "ok", "2026-02-27"),
            c("g", "旧栏目", "ok", "2026-02-27"),
        ],
    )
    # 旧栏目 is gone once missing from two complete crawls in a row.
    for day in (1, 2):
        crawl(
            D0 + dt.timedelta(days=day),
            [c("a", "工作动态", "stale", "2026-01-01"), c("b", "通知公告", "ok", "2026-02-27")],
        )


@pytest.fixture
def site_yaml(tmp_path: Path) -> Path:
    path = tmp_path / "site.yaml"
    path.write_text(f"site:\n  name: 青溪县\n  url: {SITE}\n", encoding="utf-8")
    return path


def test_columns_json(store: sessionmaker[Session], db_url: str, site_yaml: Path) -> None:
    populate(store)
    proc = scrapy(
        "columns",
        "--site",
        str(site_yaml),
        "--format",
        "json",
        "--today",
        "2026-03-10",
        db_url=db_url,
    )
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert [r["name"] for r in rows] == ["工作动态", "通知公告"]  # gone left out, worst first
    a = rows[0]
    assert a["status"] == "stale"
    assert a["age_days"] == 68  # as of --today, not as of the crawl
    assert a["stale_since"] == "2026-01-16"
    assert a["runs_in_status"] == 3
    assert a["path"] == ["政务公开", "政策文件"]
    assert a["unit"] == "县卫健局"
    for key in ("url", "category", "last_update", "threshold_days"):
        assert key in a
    assert "工作动态" in proc.stdout  # UTF-8, not \\u escapes


def test_columns_status_filter_csv_and_table(
    store: sessionmaker[Session], db_url: str, site_yaml: Path
) -> None:
    populate(store)
    proc = scrapy(
        "columns",
        "--site",
        str(site_yaml),
        "--status",
        "stale,gone",
        "--format",
        "csv",
        db_url=db_url,
    )
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert {(r["name"], r["status"]) for r in rows} == {("工作动态", "stale"), ("旧栏目", "gone")}
    proc = scrapy("columns", "--site", str(site_yaml), db_url=db_url)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 4  # header, rule, two columns
    assert "政务公开 > 政策文件 > 工作动态" in lines[2]


def test_columns_errors_are_one_line(tmp_path: Path, site_yaml: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'ps.db'}"
    bad = tmp_path / "bad.yaml"
    bad.write_text("site:\n  name: x\n", encoding="utf-8")
    proc = scrapy("columns", "--site", str(bad), db_url=db_url)
    assert proc.returncode != 0
    assert len(proc.stderr.strip().splitlines()) == 1
    proc = scrapy("columns", "--site", str(site_yaml), "--status", "rotten", db_url=db_url)
    assert proc.returncode != 0
    assert "unknown status rotten" in proc.stderr
    proc = scrapy(
        "columns", "--site", str(site_yaml), db_url="postgresql+psycopg://u:secret@127.0.0.1:1/db"
    )
    assert proc.returncode != 0
    assert proc.stderr.strip().startswith("error: cannot open database")
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "secret" not in proc.stderr


def test_db_upgrade(db_url: str) -> None:
    proc = scrapy("db", "upgrade", db_url=db_url)
    assert proc.returncode == 0, proc.stderr
    assert f"empty -> {head_revision()}" in proc.stdout
    proc = scrapy("db", "upgrade", db_url=db_url)
    assert "already at" in proc.stdout
    proc = scrapy("db", "current", db_url=db_url)
    assert "up to date" in proc.stdout
