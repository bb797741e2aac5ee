"""The whole operations path, for real: scrapyd, scrapyd-deploy, ``scrapy schedule``, report.

A scrapyd 1.6 process on a free loopback port (its own working directory, config and
HOME, so no /etc or ~ config leaks in) receives the egg that ``scrapyd-deploy`` builds
from a copy of this checkout; ``scrapy schedule`` starts the demo portal's crawl; the job
writes to a SQLite file whose URL reaches it only through scrapyd's environment, as in
production. Then the database rows, scrapyd's log of the job and ``scrapy report`` are
checked.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from demo import build_portal, serve, today_shanghai
from portalspider.store.models import Column, CrawlRun, Site

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PROJECT = "portalspider"
SITE_NAME = "青溪县人民政府"
JOB_TIMEOUT = 420
# What scrapyd-deploy needs to build the egg; the rest of the checkout stays behind.
PROJECT_FILES = ("scrapy.cfg", "setup.py", "pyproject.toml", "README.md", "portalspider", "alerts")


@dataclass
class Scrapyd:
    url: str
    root: Path
    db_url: str
    db_path: Path
    process: subprocess.Popen

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    def log_text(self) -> str:
        path = self.root / "scrapyd.out"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The caller's environment minus anything that would point at another project/config."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SCRAPY", "SCRAPYD_", "PORTALSPIDER_", "ALERTS_"))
        and key not in ("PYTHONPATH", "HOME")
    }
    env.update(HOME=str(home), PYTHONIOENCODING="utf-8", **extra)
    return env


SCRAPYD_CONF = """\
[scrapyd]
bind_address = 127.0.0.1
http_port = {port}
eggs_dir = {root}/eggs
logs_dir = {root}/logs
dbs_dir = {root}/dbs
items_dir =
jobs_to_keep = 50
jobstorage = scrapyd.jobstorage.SqliteJobStorage
finished_to_keep = 100
max_proc = 2
poll_interval = 0.5
"""


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scrapyd]:
    root = tmp_path_factory.mktemp("scrapyd")
    port = free_port()
    (root / "scrapyd.conf").write_text(SCRAPYD_CONF.format(port=port, root=root))
    db_path = root / "var" / "portalspider.db"
    db_url = f"sqlite:///{db_path}"
    # Secrets and the DB URL reach jobs only through the service environment.
    env = clean_env(root, PORTALSPIDER_DATABASE_URL=db_url, ALERTS_ENABLED="false")
    with (root / "scrapyd.out").open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "scrapyd", "--pidfile", str(root / "twistd.pid")],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Scrapyd(f"http://127.0.0.1:{port}/", root, db_url, db_path, process)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"scrapyd exited with {process.returncode}:\n{server.log_text()}")
            try:
                if requests.get(server.url + "daemonstatus.json", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"scrapyd did not answer on {server.url}:\n{server.log_text()}")
            time.sleep(0.2)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def deploy(server: Scrapyd) -> dict:
    """scrapyd-deploy from a copy of the checkout, through a [deploy:itest] target."""
    src = server.root / "src"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in PROJECT_FILES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=ignore)
        elif path.exists():
            shutil.copy2(path, src / name)
    with (src / "scrapy.cfg").open("a", encoding="utf-8") as cfg:
        cfg.write(f"\n[deploy:itest]\nurl = {server.url}\nproject = {PROJECT}\n")
    result = subprocess.run(
        [str(BIN / "scrapyd-deploy"), "itest", "--version", "itest1"],
        cwd=src,
        env=clean_env(server.root),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"scrapyd-deploy failed:\n{result.stderr}\n{result.stdout}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def scrapy(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def wait_finished(server: Scrapyd, jobid: str) -> None:
    deadline = time.monotonic() + JOB_TIMEOUT
    while time.monotonic() < deadline:
        state = requests.get(
            server.url + "status.json", params={"job": jobid, "project": PROJECT}, timeout=5
        ).json()
        if state.get("currstate") == "finished":
            return
        time.sleep(1)
    pytest.fail(f"job {jobid} not finished after {JOB_TIMEOUT}s:\n{server.log_text()[-4000:]}")


def test_deploy_schedule_crawl_and_report(scrapyd: Scrapyd, tmp_path: Path) -> None:
    answer = deploy(scrapyd)
    assert answer["status"] == "ok", answer
    assert answer["spiders"] >= 1  # scrapyd ran `scrapy list` from the egg

    env = clean_env(tmp_path, PORTALSPIDER_DATABASE_URL=scrapyd.db_url, ALERTS_ENABLED="false")
    with serve(build_portal(seed=5, today=today_shanghai())) as portal:
        site = tmp_path / "qingxi.yaml"
        site.write_text(f"site:\n  name: {SITE_NAME}\n  url: {portal.url}\n", encoding="utf-8")

        first = scrapy("schedule", "--scrapyd", scrapyd.url, str(site), env=env)
        assert first.returncode == 0, first.stderr
        match = re.search(r"^scheduled .*: job (\S+) on ", first.stdout, re.MULTILINE)
        assert match, first.stdout
        jobid = match.group(1)

        # The same site again at once: skipped while the first job is pending/running.
        again = scrapy("schedule", "--scrapyd", scrapyd.url, str(site), env=env)
        state = requests.get(scrapyd.url + "status.json", params={"job": jobid}, timeout=5)
        if state.json()["currstate"] != "finished":
            assert again.stdout.startswith(f"skipped {site}: job {jobid} still "), again.stdout
        else:
            wait_finished(scrapyd, re.search(r"job (\S+) on ", again.stdout).group(1))

        wait_finished(scrapyd, jobid)

    log = scrapyd.logs_dir / PROJECT / "portal" / f"{jobid}.log"
    assert log.is_file(), sorted(p.name for p in scrapyd.logs_dir.rglob("*"))
    log_text = log.read_text(encoding="utf-8", errors="replace")
    assert "Spider closed (finished)" in log_text, log_text[-3000:]
    assert "Traceback" not in log_text, log_text[-3000:]

    engine = create_engine(scrapyd.db_url)
    try:
        with Session(engine) as session:
            sites = session.scalars(select(Site)).all()
            assert [s.name for s in sites] == [SITE_NAME]
            run = session.scalars(select(CrawlRun).where(CrawlRun.job_id == jobid)).one()
            assert run.outcome == "finished"
            assert run.finished_at is not None
            assert run.site_id == sites[0].id
            columns = session.scalar(
                select(func.count()).select_from(Column).where(Column.site_id == sites[0].id)
            )
            assert columns >= 10
    finally:
        engine.dispose()

    for name in ("report.html", "report.md", "report.csv"):
        out = tmp_path / name
        result = scrapy("report", "--site", str(site), "-o", str(out), env=env)
        assert result.returncode == 0, result.stderr
        assert out.stat().st_size > 0
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert SITE_NAME in html
    assert "检测结论" in html
    assert "<svg" in html
    assert jobid in html  # the latest run named by its scrapyd job
    csv_bytes = (tmp_path / "report.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
