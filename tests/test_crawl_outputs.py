"""What a crawl writes for people: ``-O columns.csv`` and the crawl log.

One real ``scrapy crawl portal`` (a subprocess, as users run it) of a small portal on
loopback: a stale column whose newest title is a spreadsheet formula, a fresh one, and a
column that answers 500 (unreachable after retries).
"""

from __future__ import annotations

import csv
import io
import subprocess
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from portalspider.dates import today_shanghai
from portalspider.feedexport import COLUMN_FIELDS
from tests.crawlutil import REPO, SCRAPY, serving, write_site

pytestmark = pytest.mark.slow

TODAY = today_shanghai()
FRESH = TODAY.replace(day=1).isoformat()
NAV = """<div class="nav"><ul>
<li><a href="/">首页</a></li>
<li><a href="/xwzx/">工作动态</a></li>
<li><a href="/tzgg/">通知公告</a></li>
<li><a href="/ztzl/">专题专栏</a></li>
</ul></div>"""


def _page(body: str) -> bytes:
    return (
        f'<html><head><meta charset="utf-8"><title>青山县</title></head><body>{NAV}{body}'
        "</body></html>"
    ).encode()


def _list(rows: list[tuple[str, str, str]]) -> bytes:
    items = "".join(f'<li><a href="{u}">{t}</a><span>{d}</span></li>' for u, t, d in rows)
    return _page(f'<div class="list"><ul>{items}</ul></div>')


PAGES = {
    "/": _page("<p>欢迎</p>"),
    "/xwzx/": _list(
        [
            (
                "/xwzx/201901/t20190105_1.html",
                '=HYPERLINK("http://evil.example/","点我")',
                "2019-01-05",
            ),
            ("/xwzx/201901/t20190104_2.html", "旧闻二", "2019-01-04"),
        ]
    ),
    "/tzgg/": _list([("/tzgg/a1.html", "关于开展检查的通知", FRESH)]),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        body = PAGES.get(path)
        status = 200 if body is not None else (500 if path.startswith("/ztzl/") else 404)
        body = body or b"error"
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("outputs")
    out = tmp / "columns.csv"
    settings = ["-s", f"PORTALSPIDER_DATABASE_URL=sqlite:///{tmp / 'ps.db'}"]
    settings += ["-s", "ALERTS_ENABLED=false"]
    with serving(Handler) as url:
        site = write_site(tmp / "site.yaml", url)
        proc = subprocess.run(
            [*SCRAPY, "crawl", "portal", "-a", f"site={site}", "-O", str(out), *settings],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out, proc.stderr


def test_csv_feed_has_every_column_field_and_a_bom(crawled: tuple[Path, str]) -> None:
    out, _ = crawled
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows, raw[:500]
    assert tuple(rows[0]) == COLUMN_FIELDS  # not the site item's fields
    assert {r["type"] for r in rows} == {"column"}
    by_name = {r["name"]: r for r in rows}
    stale = by_name["工作动态"]
    assert stale["last_update"] == "2019-01-05"
    assert int(stale["age_days"]) > 14
    assert stale["status"] == "stale"
    assert "unit" in stale
    assert by_name["通知公告"]["last_update"] == FRESH


def test_csv_feed_neutralises_formulas(crawled: tuple[Path, str]) -> None:
    out, _ = crawled
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    title = {r["name"]: r for r in rows}["工作动态"]["newest_title"]
    assert title.startswith("'=HYPERLINK(")


def test_log_has_no_alembic_chatter(crawled: tuple[Path, str]) -> None:
    _, log = crawled
    assert "Context impl" not in log
    assert "non-transactional DDL" not in log


def test_planned_unreachable_column_is_not_logged_as_an_error(crawled: tuple[Path, str]) -> None:
    _, log = crawled
    gave_up = [line for line in log.splitlines() if "Gave up retrying" in line]
    assert gave_up, log[-3000:]
    assert all("/ztzl/" in line and "WARNING" in line for line in gave_up), gave_up
    assert " ERROR: " not in log


def test_column_line_says_what_it_means(crawled: tuple[Path, str]) -> None:
    _, log = crawled
    lines = [line for line in log.splitlines() if "COLUMN " in line]
    stale = next(line for line in lines if "COLUMN stale" in line)
    assert "超期未更新" in stale
    assert "days without update, limit 14" in stale
    unreachable = next(line for line in lines if "COLUMN unreachable" in line)
    assert "无法访问" in unreachable
