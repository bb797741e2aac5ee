"""The promises every command keeps: its help, one ``error:`` line, the same exit statuses.

Exit statuses (docs/operations.md): 0 done; 1 nothing to show or a runtime failure (no crawl
of the site yet, a database that cannot be opened or read); 2 a usage or config error.
Every command runs as users run it, a subprocess from the repository root.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
COMMANDS = ("crawl", "columns", "report", "alerts", "schedule", "db")


def scrapy(*args: str, db: Path | str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PORTALSPIDER_", "SCRAPYD_"))}
    if db is not None:
        env["PORTALSPIDER_DATABASE_URL"] = db if isinstance(db, str) else f"sqlite:///{db}"
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def one_error_line(proc: subprocess.CompletedProcess[str], exitcode: int) -> str:
    assert proc.returncode == exitcode, (proc.returncode, proc.stderr[-1500:])
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr[-1500:]
    assert lines[0].startswith("error: "), lines
    assert "Traceback" not in proc.stderr
    return lines[0]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    path = tmp_path / "site.yaml"
    path.write_text("site:\n  name: 青溪县\n  url: http://127.0.0.1:1/\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_only_its_own_headings(command: str) -> None:
    """A wrapped help line ending in ':' became a bogus underlined heading (--scrapyd)."""
    proc = scrapy(command, "--help")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    headings = [
        lines[i - 1].strip() for i, line in enumerate(lines) if re.fullmatch(r"[=-]{3,}", line)
    ]
    assert headings == ["Usage", "Options", "Global Options"], proc.stdout


def test_crawl_help_names_the_spiders_and_their_site_argument() -> None:
    proc = scrapy("crawl", "portal", "-h")
    assert proc.returncode == 0, proc.stderr
    assert "-a site=PATH" in proc.stdout
    assert "'portal'" in proc.stdout


def test_unknown_spider_is_one_line() -> None:
    line = one_error_line(scrapy("crawl", "nosuch"), 2)
    assert "unknown spider 'nosuch'" in line
    assert "portal" in line


@pytest.mark.parametrize("command", ["columns", "report"])
def test_no_crawl_yet_means_the_same_everywhere(command: str, site: Path, tmp_path: Path) -> None:
    extra = ["-o", str(tmp_path / "r.md")] if command == "report" else []
    line = one_error_line(scrapy(command, "--site", str(site), *extra, db=tmp_path / "ps.db"), 1)
    assert "has no crawl in the database yet; run: scrapy crawl portal -a site=" in line


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("command", ["columns", "report", "alerts"])
def test_today_out_of_range_is_a_usage_error(
    command: str, day: str, site: Path, tmp_path: Path
) -> None:
    extra = ["-o", str(tmp_path / "r.md")] if command == "report" else []
    proc = scrapy(command, "--site", str(site), "--today", day, *extra, db=tmp_path / "ps.db")
    assert f"--today {day}: out of range" in one_error_line(proc, 2)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--scrapyd", "http://127.0.0.1:1", "--timeout", "-5"], "--timeout -5"),
        (["--scrapyd", "http://[::1"], "is not a valid URL"),
        (["--scrapyd", "http://127.0.0.1:99999"], "is not a valid URL"),
        (["--scrapyd", "ftp://x/"], "is not an http(s) URL"),
    ],
)
def test_schedule_bad_values_are_one_line(args: list[str], expected: str, site: Path) -> None:
    assert expected in one_error_line(scrapy("schedule", *args, str(site)), 2)


def test_schedule_bad_config_exits_2_with_its_path_once(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("site:\n  name: x\n", encoding="utf-8")
    proc = scrapy("schedule", "--scrapyd", "http://127.0.0.1:1", str(bad))
    assert proc.returncode == 2, proc.stderr
    config_lines = [line for line in proc.stderr.splitlines() if str(bad) in line]
    assert len(config_lines) == 1, proc.stderr
    assert config_lines[0].startswith(f"error: {bad}:")
    assert config_lines[0].count(str(bad)) == 1  # no "error: PATH: PATH:LINE: …"
    assert "Error:" not in proc.stderr


@pytest.fixture
def damaged_db(site: Path, tmp_path: Path) -> Path:
    """A database whose site_column table was replaced by something else."""
    from portalspider.items import SiteItem
    from portalspider.store.db import make_engine, session_factory, upgrade
    from portalspider.store.recorder import RunRecorder

    path = tmp_path / "ps.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    sessions = session_factory(engine)
    rec = RunRecorder(sessions, site_url="http://127.0.0.1:1/", site_name="青溪县")
    rec.start()
    rec.add(SiteItem(url="http://127.0.0.1:1/", status="up"))
    rec.finish(stats={})
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.executescript("DROP TABLE site_column; CREATE TABLE site_column (x INTEGER);")
    return path


@pytest.mark.parametrize(
    "args",
    [["columns"], ["report", "-o", "r.html"], ["alerts"]],
    ids=["columns", "report", "alerts"],
)
def test_damaged_table_is_one_line(args: list[str], damaged_db: Path, site: Path) -> None:
    if "-o" in args:
        args = [*args[:-1], str(damaged_db.parent / args[-1])]
    proc = scrapy(*args, "--site", str(site), db=damaged_db)
    line = one_error_line(proc, 1)
    assert line.startswith("error: cannot read the database sqlite:///")
    assert "site_column" in line


def test_a_file_that_is_not_a_database_fails_fast(site: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(os.urandom(8192))
    baseline = time.monotonic()
    scrapy("columns", "--help")
    startup = time.monotonic() - baseline
    for args in (["columns", "--site", str(site)], ["db", "current"]):
        started = time.monotonic()
        proc = scrapy(*args, db=junk)
        elapsed = time.monotonic() - started
        assert "file is not a database" in one_error_line(proc, 1)
        # The busy-timeout retry loop this guards against added about 11 s; leave room for a
        # loaded machine's slower start-up.
        limit = max(2 * startup, startup + 6)
        assert elapsed < limit, f"{elapsed:.1f}s (start-up {startup:.1f}s)"


def test_a_database_below_a_regular_file_fails_at_once(site: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    proc = scrapy("columns", "--site", str(site), db=blocker / "ps.db")
    assert "cannot create the directory" in one_error_line(proc, 1)


def test_crawl_into_a_damaged_table_is_one_line_and_exit_1(damaged_db: Path, site: Path) -> None:
    proc = scrapy(
        "crawl", "portal", "-a", f"site={site}", "-s", "ALERTS_ENABLED=false", db=damaged_db
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    failed = [line for line in proc.stderr.splitlines() if "could not finalize run" in line]
    assert len(failed) == 1, proc.stderr[-2000:]
    assert "site_column" in failed[0]
