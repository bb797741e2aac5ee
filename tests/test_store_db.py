"""Opening, migrating and sharing the database."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from portalspider.store.db import (
    StoreError,
    at_head,
    current_revision,
    head_revision,
    make_engine,
    script_head,
    session_factory,
    upgrade,
)
from portalspider.store.models import Base
from portalspider.store.queries import current_columns

REPO = Path(__file__).resolve().parent.parent


def test_upgrade_is_idempotent_and_matches_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == [], f"models.py and the migrations disagree: {diff}"
    finally:
        engine.dispose()


def test_the_scripts_head_is_read_as_alembic_reads_it(db_url: str) -> None:
    assert script_head() == head_revision()
    engine = make_engine(db_url)
    try:
        assert not at_head(engine)  # a new database: no version table
        upgrade(engine)
        assert at_head(engine)
        with engine.begin() as conn:  # one migration behind: Alembic upgrades it
            conn.execute(text("UPDATE alembic_version SET version_num = 'older'"))
        assert not at_head(engine)
    finally:
        engine.dispose()


def test_a_database_at_head_is_opened_without_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    code = textwrap.dedent(
        f"""
        import sys
        from portalspider.store.db import make_engine, upgrade
        upgrade(make_engine({url!r}))
        assert "alembic" not in sys.modules, "alembic imported"
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, timeout=120)


def test_sqlite_is_wal_with_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    target = tmp_path / "new" / "dir" / "ps.db"
    engine = make_engine(f"sqlite:///{target}")
    try:
        assert target.parent.is_dir()
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url", "invalid database URL"),
        ("nonsense://", "cannot use database"),
        ("mysql+nodriver://u@h/db", "cannot use database"),
        ("postgresql+psycopg://u:secret@127.0.0.1:1/db", "cannot open database"),
    ],
)
def test_unopenable_database_is_one_line_store_error(url: str, expected: str) -> None:
    with pytest.raises(StoreError) as info:
        make_engine(url)
    message = str(info.value)
    assert expected in message
    assert "\n" not in message
    assert "secret" not in message


def test_unwritable_sqlite_directory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot create the directory"):
        make_engine(f"sqlite:///{blocker}/sub/ps.db")


WRITER = textwrap.dedent(
    """
    import datetime as dt, json, os, sys, time
    from pathlib import Path
    from portalspider.items import ColumnItem, SiteItem
    from portalspider.store.db import make_engine, session_factory, upgrade
    from portalspider.store.recorder import RunRecorder

    url, site, go = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    while not go.exists():
        time.sleep(0.01)
    engine = make_engine(url)
    upgrade(engine)
    summaries = []
    for day in (1, 2):
        rec = RunRecorder(session_factory(engine), site_url=site, site_name=site,
                          today=dt.date(2026, 3, day), batch_size=50)
        rec.start()
        rec.add(SiteItem(url=site, status="up"))
        for i in range(600):
            rec.add(ColumnItem(url=f"{site}c{i}/", name=f"c{i}", status="stale",
                               last_update="2025-01-01", threshold_days=14, unit="u"))
            if i % 100 == 0:
                time.sleep(0.01)  # interleave with the other writer
        summaries.append(rec.finish(stats={}))
    print(json.dumps(summaries[-1]))
    """
)


def test_two_processes_two_sites_one_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'var' / 'shared.db'}"
    go = tmp_path / "go"
    sites = ["http://a.gov.cn/", "http://b.gov.cn/"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, site, str(go)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for site in sites
    ]
    time.sleep(0.5)  # both interpreters up and waiting: start them together
    go.touch()
    results = [p.communicate(timeout=240) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        summary = json.loads(out.strip().splitlines()[-1])
        assert summary["columns"] == 600
        assert summary["outcome"] == "finished"
    engine = make_engine(url)
    try:
        sessions = session_factory(engine)
        with sessions() as s:
            for site in sites:
                rows = current_columns(s, site, dt.date(2026, 3, 3))
                assert len(rows) == 600
                assert {r["runs_in_status"] for r in rows} == {2}
            assert s.execute(text("SELECT count(*) FROM crawl_run")).scalar() == 4
    finally:
        engine.dispose()
