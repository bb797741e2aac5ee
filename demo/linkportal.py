"""A crafted portal for the broken-links check: pages, planted broken links, external hosts.

Not the demo county portal (whose layouts the crawler was developed on): a small portal of
another make (``/channel/N/`` lists, ``/doc/...`` articles, ``/upload/`` attachments), with
links of every kind on every page read by ``scrapy crawl links`` (home, column lists, the
articles they list), and four external hosts, each a loopback server of its own:

- ``ok``: answers (a few planted paths are 404);
- ``slow``: answers after ``slow_seconds`` (not broken: slow is not down);
- ``failing``: 500 to everything (every link to it is broken);
- ``nohead``: 405 to ``HEAD``, the page to ``GET`` (not broken; a few planted 404 paths).

The portal answers some removed pages with 200 and a page saying so (soft 404s: a removed
special's 页面不存在 message, a moved article's "404 页面未找到" title, a listed article
under 系统维护), broken like a 404. The truth is computed from what the pages show: each
page's links, and for each the answer its server gives (``LinkPortal.broken_pairs``). Every
server counts its requests and the most it served at once; ``flaky`` fails that fraction of
*first* attempts (503 or a dropped connection), as a network or an overloaded server does.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

from demo.loopback import serving

HOSTS = ("ok", "slow", "failing", "nohead")


@dataclass
class Served:
    """What one server saw: requests, the most in flight at once, conditional answers."""

    requests: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    not_modified: int = 0
    first_failures: int = 0
    paths: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def enter(self, key: str) -> int:
        with self.lock:
            self.requests += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self.paths[key] = self.paths.get(key, 0) + 1
            return self.paths[key]

    def leave(self) -> None:
        with self.lock:
            self.in_flight -= 1


@dataclass
class Link:
    url: str  # absolute, or a path on the portal ("/…"), or "ext:<host><path>"
    text: str
    tag: str = "a"  # a | img | script | css


@dataclass
class LinkPortal:
    """The crafted portal: its pages (path → links) and the answer of every URL."""

    seed: int = 7
    columns: int = 6
    articles: int = 6
    slow_seconds: float = 0.8
    today: dt.date = field(default_factory=lambda: dt.date(2026, 11, 30))
    pages: dict[str, tuple[str, list[Link], list[tuple[str, str, str]]]] = field(
        default_factory=dict
    )
    missing: set[str] = field(default_factory=set)  # portal paths that answer 404
    soft: dict[str, str] = field(default_factory=dict)  # path → soft 404 page (answered 200)
    ext_missing: dict[str, set[str]] = field(default_factory=dict)  # host → 404 paths
    ext_paths: dict[str, set[str]] = field(default_factory=dict)  # host → paths linked

    def __post_init__(self) -> None:
        rng = random.Random(self.seed)
        self.ext_missing = {h: set() for h in HOSTS}
        self.ext_paths = {h: set() for h in HOSTS}
        names = ["工作动态", "通知公告", "政策文件", "部门信息", "公示公告", "专题报道", "人事信息"]
        furniture = [
            Link("/res/site.css", "", "css"),
            Link("/res/site.js", "", "script"),
            Link("/res/logo.png", "门户标志", "img"),
            Link("ext:ok/", "中国政府网"),
            Link("ext:nohead/portal/", "省政府门户"),
            Link("ext:slow/", "市政府门户"),
            Link("mailto:xxgk@example.gov.cn", "联系我们"),
            Link("javascript:void(0)", "加入收藏"),
            Link("#top", "返回顶部"),
        ]
        home_links = list(furniture)
        home_links += [
            Link("/res/banner-2019.jpg", "专题横幅", "img"),
            Link("ext:failing/", "旧系统"),
        ]
        self.missing.add("/res/banner-2019.jpg")
        home_links.append(Link("ext:ok/retired/", "已撤销的专题"))
        self.ext_missing["ok"].add("/retired/")
        home_links.append(Link("/special/2018/", "2018专题"))  # a removed special: 404
        self.missing.add("/special/2018/")
        home_links.append(Link("/special/2020/", "2020专题"))  # removed, answered 200
        self.soft["/special/2020/"] = "gone"
        for c in range(1, self.columns + 1):
            col = f"/channel/{c}/"
            name = names[(c - 1) % len(names)]
            home_links.append(Link(col, name))
            entries: list[tuple[str, str, str]] = []
            for a in range(1, self.articles + 1):
                day = self.today - dt.timedelta(days=3 * a + c)
                path = f"/doc/{day:%Y%m}/t{day:%Y%m%d}_{c}{a:02d}.html"
                title = f"{name}第{a}号信息"
                entries.append((path, title, day.isoformat()))
                if rng.random() < 0.08:  # listed, but the article was deleted
                    self.missing.add(path)
                    continue
                if a == self.articles and c % 3 == 0:  # listed, under maintenance (200)
                    self.soft[path] = "maintenance"
                    continue
                body = list(furniture)
                body.append(Link(col, name))
                for k in range(rng.randint(1, 3)):
                    att = f"/upload/{day:%Y%m}/P{day:%Y%m%d}{c}{a:02d}{k}.pdf"
                    body.append(Link(att, f"附件{k + 1}.pdf"))
                    if rng.random() < 0.15:
                        self.missing.add(att)
                img = f"/upload/img/{c}{a:02d}.jpg"
                body.append(Link(img, f"{title}配图", "img"))
                if rng.random() < 0.1:
                    self.missing.add(img)
                # related links: other articles, and the external hosts
                other = rng.randint(1, self.articles)
                odate = self.today - dt.timedelta(days=3 * other + c)
                body.append(Link(f"/doc/{odate:%Y%m}/t{odate:%Y%m%d}_{c}{other:02d}.html", "相关"))
                if rng.random() < 0.12:
                    gone = f"/doc/2019/t2019{c:02d}{a:02d}_9.html"
                    body.append(Link(gone, "相关旧文"))
                    self.missing.add(gone)
                if a == 2:  # a moved article, its old address answered 200 (soft 404)
                    moved = f"/doc/moved/t{c:02d}{a:02d}.html"
                    body.append(Link(moved, "相关阅读"))
                    self.soft[moved] = "moved"
                host = HOSTS[rng.randrange(len(HOSTS))]
                epath = f"/info/{c}/{a}.html"
                body.append(Link(f"ext:{host}{epath}", "相关外部链接"))
                if host in ("ok", "nohead") and rng.random() < 0.25:
                    self.ext_missing[host].add(epath)
                self.pages[path] = (title, body, [])
            self.pages[col] = (name, [*furniture, Link("/", "首页")], entries)
        self.pages["/"] = ("首页", home_links, [])
        for _, links, _ in self.pages.values():
            for link in links:
                if link.url.startswith("ext:"):
                    host, path = self._ext(link.url)
                    self.ext_paths[host].add(path)

    @staticmethod
    def _ext(url: str) -> tuple[str, str]:
        rest = url[4:]
        host, _, path = rest.partition("/")
        return host, "/" + path

    # Answers --------------------------------------------------------------------------

    def resolve(self, link: Link, base: str, ext_bases: dict[str, str]) -> str | None:
        """The absolute URL a link names when served (None: nothing to check)."""
        if link.url.startswith(("mailto:", "javascript:", "#")):
            return None
        if link.url.startswith("ext:"):
            host, path = self._ext(link.url)
            return ext_bases[host].rstrip("/") + path
        return base.rstrip("/") + link.url

    def is_broken(self, link: Link) -> bool:
        if link.url.startswith(("mailto:", "javascript:", "#")):
            return False
        if link.url.startswith("ext:"):
            host, path = self._ext(link.url)
            return host == "failing" or path in self.ext_missing[host]
        path = link.url.split("?")[0]
        return path in self.missing or path in self.soft

    def read_pages(self) -> list[str]:
        """The pages the link check reads: home, column lists, their existing articles."""
        pages = ["/"]
        for path, (_, _, entries) in self.pages.items():
            if entries:
                pages.append(path)
                pages += [p for p, _, _ in entries if p not in self.missing and p not in self.soft]
        return pages

    def page_links(self, path: str) -> list[Link]:
        """Every link a page shows (furniture, list entries, body)."""
        _, links, entries = self.pages[path]
        return [*links, *(Link(p, t) for p, t, _ in entries)]

    def broken_pairs(self, base: str, ext_bases: dict[str, str]) -> set[tuple[str, str]]:
        """(broken link URL, page URL) for every broken link on every page read."""
        pairs = set()
        for path in self.read_pages():
            for link in self.page_links(path):
                if self.is_broken(link):
                    url = self.resolve(link, base, ext_bases)
                    if url:
                        pairs.add((url, base.rstrip("/") + path))
        return pairs

    def distinct_links(self, base: str, ext_bases: dict[str, str]) -> set[str]:
        """Every distinct URL the check must settle: pages read and every link they show."""
        urls = {base.rstrip("/") + p for p in self.read_pages()}
        for path in self.read_pages():
            for link in self.page_links(path):
                url = self.resolve(link, base, ext_bases)
                if url:
                    urls.add(url)
        return urls

    # Rendering ------------------------------------------------------------------------

    def render_soft(self, path: str) -> str:
        """A removed page as such portals answer it: 200, and a page saying so."""
        kind = self.soft[path]
        title, message = {
            "gone": ("云岭县人民政府", "对不起，您访问的页面不存在或已被删除！"),
            "moved": ("404 页面未找到 - 云岭县人民政府", "该信息已迁移。"),
            "maintenance": ("云岭县人民政府", "系统正在升级维护，暂停访问，敬请谅解。"),
        }[kind]
        return (
            "<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<title>{title}</title></head><body><div class='msg'><p>{message}</p>"
            "<p><a href='/'>返回首页</a></p></div></body></html>"
        )

    def render(self, path: str, ext_bases: dict[str, str]) -> str:
        title, links, entries = self.pages[path]
        parts = [
            "<!DOCTYPE html><html><head><meta charset='utf-8'>",
            f"<title>{title} - 云岭县人民政府</title>",
        ]
        body: list[str] = []
        nav = ['<div class="nav"><ul>', '<li><a href="/">首页</a></li>']
        for c in range(1, self.columns + 1):
            name = self.pages[f"/channel/{c}/"][0]
            nav.append(f'<li><a href="/channel/{c}/">{name}</a></li>')
        nav.append("</ul></div>")
        for link in links:
            url = link.url
            if url.startswith("ext:"):
                host, p = self._ext(url)
                url = ext_bases[host].rstrip("/") + p
            if link.tag == "css":
                parts.append(f'<link rel="stylesheet" href="{url}">')
            elif link.tag == "script":
                parts.append(f'<script src="{url}"></script>')
            elif link.tag == "img":
                body.append(f'<p><img src="{url}" alt="{link.text}"></p>')
            else:
                body.append(f'<p><a href="{url}">{link.text}</a></p>')
        parts.append("</head><body>")
        parts += nav
        if entries:
            parts.append(f'<div class="crumb">首页 &gt; {title}</div><ul class="newslist">')
            for p, t, d in entries:
                parts.append(f'<li><a href="{p}">{t}</a><span class="date">{d}</span></li>')
            parts.append("</ul>")
        elif path != "/":
            day = path.split("/t")[1][:8] if "/t" in path else ""
            parts.append(f"<h1>{title}</h1><div class='info'>发布时间：{day}</div>")
            parts.append("<div class='content'>" + "正文内容。" * 30 + "</div>")
        parts += body
        parts.append("</body></html>")
        return "\n".join(parts)


class _Handler(BaseHTTPRequestHandler):
    """Base of the servers: counting, flaky first attempts, quiet logs."""

    served: Served
    flaky: float = 0.0
    seed: int = 0
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        return

    def _flaky_first(self, key: str, attempt: int) -> str | None:
        if attempt != 1 or not self.flaky:
            return None
        digest = hashlib.sha1(f"{self.seed}:{key}".encode(), usedforsecurity=False).digest()
        if int.from_bytes(digest[:4], "big") / 2**32 >= self.flaky:
            return None
        return "drop" if digest[4] % 2 else "503"

    def _answer(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            # A link check asked with GET hangs up after the headers.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    def handle_one(self) -> None:
        raise NotImplementedError

    def _serve(self) -> None:
        key = f"{self.command} {self.path}"
        attempt = self.served.enter(key)
        try:
            failure = self._flaky_first(key, attempt)
            if failure == "drop":
                self.served.first_failures += 1
                self.close_connection = True
                return
            if failure == "503":
                self.served.first_failures += 1
                self._answer(503, b"busy", {"Content-Type": "text/plain"})
                return
            self.handle_one()
        finally:
            self.served.leave()

    do_GET = _serve  # noqa: N815
    do_HEAD = _serve  # noqa: N815


def portal_handler(portal: LinkPortal, ext_bases: dict[str, str], served: Served, flaky=0.0):
    """The portal's handler: pages with ETag (304 on a match), files, 404 for the missing."""

    class Handler(_Handler):
        def handle_one(self) -> None:
            path = urlsplit(self.path).path
            if path in portal.missing:
                self._answer(404, "<h1>404 页面不存在</h1>".encode(), {"Content-Type": "text/html"})
                return
            if path in portal.soft:
                body = portal.render_soft(path).encode()
                self._answer(200, body, {"Content-Type": "text/html; charset=utf-8"})
                return
            if path in portal.pages:
                body = portal.render(path, ext_bases).encode()
                etag = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    with served.lock:
                        served.not_modified += 1
                    self._answer(304, b"", {"ETag": etag})
                    return
                headers = {"Content-Type": "text/html; charset=utf-8", "ETag": etag}
                self._answer(200, body, headers)
                return
            if path.startswith(("/res/", "/upload/")):
                self._answer(200, b"%PDF-1.4 " + b"x" * 4000, {"Content-Type": "application/pdf"})
                return
            self._answer(404, b"not found", {"Content-Type": "text/html"})

    Handler.served, Handler.flaky, Handler.seed = served, flaky, portal.seed
    return Handler


def external_handler(portal: LinkPortal, host: str, served: Served, flaky=0.0):
    """One external host's handler (see the module docstring for each host's manners)."""

    class Handler(_Handler):
        def handle_one(self) -> None:
            path = urlsplit(self.path).path
            if host == "failing":
                self._answer(500, b"Internal Server Error", {"Content-Type": "text/plain"})
                return
            if host == "slow":
                time.sleep(portal.slow_seconds)
            if host == "nohead" and self.command == "HEAD":
                self._answer(405, b"", {"Allow": "GET"})
                return
            if path in portal.ext_missing[host]:
                self._answer(404, b"not found", {"Content-Type": "text/html"})
                return
            self._answer(200, b"<html>ok</html>" + b" " * 2000, {"Content-Type": "text/html"})

    Handler.served, Handler.flaky, Handler.seed = served, flaky, portal.seed + 1
    return Handler


@dataclass
class Running:
    """The served portal: its base URL, the external hosts' and what each server saw."""

    base: str
    ext_bases: dict[str, str]
    served: dict[str, Served]


@contextlib.contextmanager
def serve_link_portal(
    portal: LinkPortal, flaky: float = 0.0, serve: Callable[..., Any] = serving
) -> Iterator[Running]:
    """Serve the portal and its four external hosts on loopback (each through ``serve``, a
    handler → base URL context manager); stopped and closed on exit."""
    served = {name: Served() for name in ("portal", *HOSTS)}
    with contextlib.ExitStack() as stack:
        ext_bases = {
            h: stack.enter_context(serve(external_handler(portal, h, served[h], flaky)))
            for h in HOSTS
        }
        handler = portal_handler(portal, ext_bases, served["portal"], flaky)
        base = stack.enter_context(serve(handler))
        yield Running(base, ext_bases, served)
