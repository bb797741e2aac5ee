"""A threaded loopback HTTP server for a live ``Portal``, with an optional flaky mode.

Flaky mode fails the *first* attempt at a fraction of URLs (500, 503 or a dropped
connection) and serves every later attempt: that is what a crawler's retries must absorb
without reporting a healthy column as unreachable or stale.

Every ``200`` carries ``ETag`` (of the body) and ``Last-Modified`` (when the portal last
changed) and a conditional request for an unchanged page gets ``304`` (``validators=False``
serves pages as servers without validators do).
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time
import zlib
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from demo.model import Portal
from demo.render import Page, Renderer

FAILURES = ("500", "503", "drop")


@dataclass
class RequestLog:
    method: str
    path: str  # path with query, as requested
    status: int | None  # None: connection dropped
    at: float
    body: bytes = b""  # of a POST
    content_type: str = ""  # of a POST body
    sent: int = 0  # body bytes sent


class DemoServer:
    """Serves a portal in a background thread; use as a context manager."""

    def __init__(
        self,
        portal: Portal,
        host: str = "127.0.0.1",
        port: int = 0,
        flaky: float = 0.0,
        seed: int = 0,
        validators: bool = True,
    ) -> None:
        self.portal = portal
        self.flaky = flaky
        self.seed = seed
        self.validators = validators
        self._modified = (portal.version, time.time())  # the portal version and when it began
        self.requests: list[RequestLog] = []
        self._seen: set[str] = set()
        self._lock = threading.Lock()
        self.renderer = Renderer(portal, host)
        self.httpd = ThreadingHTTPServer((host, port), self._handler_class())
        self.httpd.daemon_threads = True
        self.host, self.port = self.httpd.server_address[:2]
        self.renderer.host = f"{self.host}:{self.port}"
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self.requests)

    def reset_counts(self) -> None:
        """Forget the request log and first attempts (e.g. between two benchmark crawls)."""
        with self._lock:
            self.requests.clear()
            self._seen.clear()

    def start(self) -> DemoServer:
        """Start serving in a daemon thread (idempotent)."""
        if self._thread is not None:
            return self
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, name="demo-portal", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- flaky decision -----------------------------------------------------------
    def first_failure(self, target: str) -> str | None:
        """How the first attempt at ``target`` fails, or None (deterministic per seed+URL)."""
        if self.flaky <= 0:
            return None
        with self._lock:
            if target in self._seen:
                return None
            self._seen.add(target)
        rng = random.Random(zlib.crc32(f"{self.seed}:{target}".encode()))
        if rng.random() >= self.flaky:
            return None
        return rng.choice(FAILURES)

    def _log(self, method: str, target: str, status: int | None, **extra: Any) -> None:
        with self._lock:
            self.requests.append(RequestLog(method, target, status, time.time(), **extra))

    def last_modified(self) -> float:
        """When the portal last changed (a new ``portal.version``), as a POSIX time."""
        with self._lock:
            if self._modified[0] != self.portal.version:
                self._modified = (self.portal.version, time.time())
            return self._modified[1]

    def not_modified(self, headers: Any, etag: str, modified: float) -> bool:
        """RFC 9110 13.2.2: If-None-Match decides when sent, else If-Modified-Since."""
        match = headers.get("If-None-Match")
        if match is not None:
            return match.strip() == "*" or etag in [t.strip() for t in match.split(",")]
        since = headers.get("If-Modified-Since")
        if since is None:
            return False
        try:
            return int(modified) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "nginx"
            sys_version = ""

            def do_GET(self) -> None:  # http.server's naming
                self._serve(head=False)

            def do_HEAD(self) -> None:
                self._serve(head=True)

            def do_POST(self) -> None:  # Hanweb's dataproxy takes POST too
                length = int(self.headers.get("Content-Length") or 0)
                self._serve(head=False, body=self.rfile.read(length) if length else b"")

            def _serve(self, head: bool, body: bytes = b"") -> None:
                extra: dict[str, Any] = {}
                if body:
                    extra = {"body": body, "content_type": self.headers.get("Content-Type", "")}
                failure = server.first_failure(self.path)
                if failure == "drop":
                    server._log(self.command, self.path, None, **extra)
                    self.close_connection = True
                    with contextlib.suppress(OSError):
                        self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if failure:
                    page = Page(int(failure), f"<h1>{failure} Service Error</h1>".encode())
                else:
                    parts = urlsplit(self.path)
                    page = server.renderer.page(parts.path, parts.query)
                validators: list[tuple[str, str]] = []
                if server.validators and page.status == 200:
                    etag = f'"{zlib.crc32(page.body):08x}-{len(page.body):x}"'
                    modified = server.last_modified()
                    validators = [
                        ("ETag", etag),
                        ("Last-Modified", formatdate(modified, usegmt=True)),
                    ]
                    if server.not_modified(self.headers, etag, modified):
                        server._log(self.command, self.path, 304, **extra)
                        self.send_response(304)
                        for name, value in validators:
                            self.send_header(name, value)
                        self.end_headers()
                        return
                sent = 0 if head else len(page.body)
                server._log(self.command, self.path, page.status, sent=sent, **extra)
                self.send_response(page.status or 500)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(page.body)))
                for name, value in validators:
                    self.send_header(name, value)
                self.end_headers()
                if not head:
                    self.wfile.write(page.body)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the request log is ``server.requests``."""

        return Handler


def serve(
    portal: Portal,
    host: str = "127.0.0.1",
    port: int = 0,
    flaky: float = 0.0,
    seed: int = 0,
    validators: bool = True,
) -> DemoServer:
    """Start serving ``portal``; use ``with serve(portal) as srv:`` so it stops at the end."""
    return DemoServer(
        portal, host=host, port=port, flaky=flaky, seed=seed, validators=validators
    ).start()
