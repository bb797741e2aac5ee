"""Scope holds for every request, landing steps and redirects included (issue 13.3).

A crafted portal on loopback sends the crawler to ``file:///etc/passwd``, to the cloud
metadata address and to another port of the same host: through a script redirect, a
frameset, a meta refresh, a redirect of the start URL and redirects of columns. None of
those requests is made (the other port's server counts what it receives), and the crawl
ends normally.
"""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest

from portalspider.dates import today_shanghai
from tests.crawlutil import CrawlResult, crawl, serving, write_site

pytestmark = pytest.mark.slow

D = today_shanghai().replace(day=1).isoformat()
METADATA = "http://169.254.169.254/latest/meta-data/"


def _page(body: str, head: str = "") -> bytes:
    return (
        f'<html><head><meta charset="utf-8"><title>青山县</title>{head}</head>'
        f"<body>{body}</body></html>"
    ).encode()


def _nav(*links: tuple[str, str]) -> str:
    items = "".join(f'<li><a href="{href}">{name}</a></li>' for href, name in links)
    return f'<div class="nav"><ul>{items}</ul></div>'


LIST = _page(
    '<div class="list"><ul>'
    + "".join(
        f'<li><a href="./202501/t20250101_{i}.html">工作动态第{i}条</a><span>{D}</span></li>'
        for i in range(1, 6)
    )
    + "</ul></div>"
)


class _Recorder(BaseHTTPRequestHandler):
    """The other port of the host: it must never hear from the crawler."""

    paths: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.paths.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(_page(_nav(("/other/", "别的栏目"))))

    def log_message(self, *args: object) -> None:
        pass


def _portal(other: str) -> type[BaseHTTPRequestHandler]:
    pages = {
        # A splash page whose script forwards to a local file.
        "/a/": _page(
            _nav(("/a/ok/", "工作动态"), ("/a/sub/", "通知公告")),
            '<script>location.href="file:///etc/passwd";</script>',
        ),
        # Framesets whose main frame is the metadata service or another port.
        "/b/": _page(f'<frameset><frame src="{METADATA}"></frameset>'),
        "/c/": _page(f'<frameset><frame src="{other}/frame/"></frameset>'),
        # A meta refresh to another port.
        "/e/": _page("", f'<meta http-equiv="refresh" content="0;url={other}/refresh/">'),
        # A home whose columns redirect out of scope.
        "/f/": _page(
            _nav(("/f/ok/", "工作动态"), ("/f/moved/", "通知公告"), ("/f/away/", "政策文件"))
        ),
    }
    redirects = {
        "/d/": METADATA,  # the start URL itself
        "/f/moved/": f"{other}/moved/",  # another port of the host
        "/f/away/": other.replace("127.0.0.1", "localhost") + "/away/",  # another host
    }

    class Portal(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path in redirects:
                self.send_response(302)
                self.send_header("Location", redirects[self.path])
                self.end_headers()
                return
            body = pages.get(self.path, LIST if self.path.endswith("/ok/") else None)
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Portal


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[str, list[str]]]:
    _Recorder.paths = []
    with serving(_Recorder) as other_url, serving(_portal(other_url.rstrip("/"))) as portal_url:
        yield portal_url.rstrip("/"), _Recorder.paths


def _crawl(servers: tuple[str, list[str]], home: str, tmp: Path) -> CrawlResult:
    portal_url, heard = servers
    site = write_site(tmp / "site.yaml", f"{portal_url}{home}")
    result = crawl(site, tmp, "LOG_LEVEL=DEBUG", "DOWNLOAD_TIMEOUT=5", timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert heard == [], "a request reached another port of the host"
    crawled = [line for line in result.stderr.splitlines() if "Crawled (" in line]
    assert not any("file:" in line or "169.254" in line for line in crawled)
    assert "Traceback" not in result.stderr
    return result


@pytest.mark.parametrize("home", ["/a/", "/b/", "/c/"])
def test_a_landing_step_out_of_scope_is_not_taken(servers, tmp_path, home) -> None:
    result = _crawl(servers, home, tmp_path)
    assert "Landing target out of scope" in result.stderr
    assert result.site is not None
    assert result.site["status"] == "up"
    if home == "/a/":  # the splash page is read as the home page instead
        assert {c["name"]: c["status"] for c in result.columns}["工作动态"] == "ok"


@pytest.mark.parametrize(("home", "target"), [("/d/", "169.254.169.254"), ("/e/", "refresh")])
def test_a_home_redirected_out_of_scope_is_not_followed(servers, tmp_path, home, target) -> None:
    result = _crawl(servers, home, tmp_path)
    assert result.site is not None
    assert result.site["status"] == "down"
    assert "out of scope" in result.site["error"]
    assert target in result.site["error"]
    assert "'scope/dropped': 1" in result.stderr


def test_a_column_redirected_out_of_scope_is_unreachable(servers, tmp_path) -> None:
    portal_url = servers[0]
    result = _crawl(servers, "/f/", tmp_path)
    columns = {c["name"]: c for c in result.columns}
    assert columns["工作动态"]["status"] == "ok"
    for name, path in (("通知公告", "/f/moved/"), ("政策文件", "/f/away/")):
        column = columns[name]
        assert column["status"] == "unreachable"
        assert column["url"] == f"{portal_url}{path}"  # the column as linked, not the target
        assert "out of scope" in column["error"]
