"""A report whose latest crawl judged nothing never says 未触发 for the column rows."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

from tests.crawlutil import REPO, SCRAPY, crawl, write_site


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_site_down_report_shows_no_pass_for_the_column_rows(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site.yaml", f"http://127.0.0.1:{_closed_port()}/")
    result = crawl(site, tmp_path, "RETRY_TIMES=0")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.site is not None
    assert result.site["status"] == "down"
    report = tmp_path / "report.md"
    proc = subprocess.run(
        [
            *SCRAPY,
            "report",
            "--site",
            str(site),
            "-o",
            str(report),
            "-s",
            f"PORTALSPIDER_DATABASE_URL=sqlite:///{tmp_path / 'ps.db'}",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = [
        line
        for line in report.read_text(encoding="utf-8").splitlines()
        if line.startswith("| 栏目不更新")
    ]
    assert len(rows) == 3
    assert all("未判定" in row and "未触发" not in row for row in rows), rows
