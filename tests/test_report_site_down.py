"""A report whose latest crawl judged nothing never says 未触发 for the column rows."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import docx

from tests.crawlutil import REPO, SCRAPY, crawl, write_site


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _report(site: Path, tmp_path: Path, name: str) -> Path:
    report = tmp_path / name
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
    return report


def test_site_down_report_shows_no_pass_for_the_column_rows(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site.yaml", f"http://127.0.0.1:{_closed_port()}/")
    result = crawl(site, tmp_path, "RETRY_TIMES=0")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.site is not None
    assert result.site["status"] == "down"
    markdown = _report(site, tmp_path, "report.md").read_text(encoding="utf-8")
    rows = [line for line in markdown.splitlines() if line.startswith("| 栏目不更新")]
    assert len(rows) == 3
    assert all("未判定" in row and "未触发" not in row for row in rows), rows

    # No clean bill anywhere: the problem section says nothing was judged, in every format,
    # and the trend has no point of zeros for the run that judged nothing.
    html = _report(site, tmp_path, "report.html").read_text(encoding="utf-8")
    word = docx.Document(str(_report(site, tmp_path, "report.docx")))
    paragraphs = "\n".join(p.text for p in word.paragraphs)
    for text in (markdown, html, paragraphs):
        assert "未发现" not in text
        assert "首页无法访问，未能判定任何栏目" in text
    trend = markdown.split("历次检测趋势", 1)[1].split("\n## ", 1)[0]
    assert "| 0 | 0 | 0 |" not in trend
    assert "尚无已完成的检测记录" in trend
