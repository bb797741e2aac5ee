"""The availability spider: one probe of the home page, stored with its history."""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from sqlalchemy import select

from portalspider.dates import today_shanghai
from portalspider.store.db import make_engine, session_factory
from portalspider.store.models import CrawlRun, Probe
from portalspider.store.probes import availability
from tests.crawlutil import crawl, serving, write_site


def _handler(status: int = 200, delay: float = 0.0, body: bytes | None = None, ctype: str = ""):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if delay:
                time.sleep(delay)
            payload = body if body is not None else "<html><body>首页</body></html>".encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", ctype or "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the probe gave up (timeout)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def _probe(tmp_path: Path, handler, *settings: str):
    db = f"sqlite:///{tmp_path / 'ps.db'}"
    with serving(handler) as base:
        site = write_site(tmp_path / "site.yaml", base)
        result = crawl(site, tmp_path, *settings, db_url=db, spider="availability", timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    engine = make_engine(db)
    try:
        with session_factory(engine)() as session:
            probes = list(session.scalars(select(Probe).order_by(Probe.id)))
            runs = session.scalar(select(CrawlRun.id).limit(1))
            window = availability(session, base, today_shanghai())
    finally:
        engine.dispose()
    return result, probes, runs, window


def test_fast_home_page_is_one_ok_probe_stored_without_a_crawl_run(tmp_path: Path) -> None:
    result, probes, runs, window = _probe(tmp_path, _handler())
    [item] = result.items
    assert item["type"] == "probe"
    assert item["ok"] is True
    assert item["http_status"] == 200
    assert item["error"] is None
    assert isinstance(item["elapsed_ms"], int)
    assert 0 <= item["elapsed_ms"] < 5000
    assert [(p.ok, p.http_status) for p in probes] == [(True, 200)]
    assert runs is None  # a probe is no crawl: the report's latest run stays the crawl's
    assert window is not None
    assert (window.probes, window.failures) == (1, 0)
    assert "'downloader/request_count': 1," in result.stderr  # one GET, no discovery


def test_maintenance_page_answered_with_200_fails_the_probe(tmp_path: Path) -> None:
    page = (
        "<html><head><meta charset='utf-8'><title>系统维护中</title></head>"
        "<body><h1>系统维护中</h1><p>网站正在升级维护，请稍后访问。</p></body></html>"
    )
    result, probes, _, window = _probe(tmp_path, _handler(body=page.encode()))
    [item] = result.items
    assert item["ok"] is False
    assert item["http_status"] == 200
    assert item["error"] == "error page: 系统维护中"
    assert [p.ok for p in probes] == [False]
    assert window is not None
    assert window.failures == 1


def test_js_challenge_page_passes_the_probe(tmp_path: Path) -> None:
    """A visitor's browser gets through a challenge: the site is up."""
    page = (
        "<html><head><title>安全验证</title></head><body>"
        "<script>var $_ts=window['$_ts'];if(!$_ts)$_ts={};</script></body></html>"
    )
    result, probes, _, _ = _probe(tmp_path, _handler(body=page.encode()))
    [item] = result.items
    assert (item["ok"], item["error"]) == (True, None)
    assert [p.ok for p in probes] == [True]


def test_slow_home_page_fails_at_the_probe_timeout(tmp_path: Path) -> None:
    started = time.monotonic()
    result, probes, _, window = _probe(tmp_path, _handler(delay=3), "PORTALSPIDER_PROBE_TIMEOUT=1")
    [item] = result.items
    assert item["ok"] is False
    assert item["http_status"] is None
    assert item["error"] == "timeout after 1 s"
    assert 900 <= item["elapsed_ms"] < 2900
    assert [p.ok for p in probes] == [False]
    assert window is not None
    assert window.failures == 1
    assert time.monotonic() - started < 60


def test_server_error_fails_once_without_retries(tmp_path: Path) -> None:
    result, probes, _, _ = _probe(tmp_path, _handler(status=500))
    [item] = result.items
    assert (item["ok"], item["http_status"], item["error"]) == (False, 500, "HTTP 500")
    assert [p.http_status for p in probes] == [500]
    assert "Retrying" not in result.stderr


def test_answer_without_html_body_fails(tmp_path: Path) -> None:
    result, _, _, _ = _probe(tmp_path, _handler(body=b"", ctype="text/html"))
    [item] = result.items
    assert item["ok"] is False
    assert item["http_status"] == 200
    assert item["error"] == "empty body"
