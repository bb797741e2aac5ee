"""Small crafted portals on loopback for the hostile and broken portal tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler

from tests.crawlutil import serving

#: ``route(path) -> (status, headers, body)``
Route = Callable[[str], tuple[int, dict[str, str], bytes]]


def page(body: str, title: str = "青溪县人民政府") -> bytes:
    return (
        f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>{body}</body></html>'
    ).encode()


def html(body: bytes) -> tuple[int, dict[str, str], bytes]:
    return 200, {"Content-Type": "text/html; charset=utf-8"}, body


@contextmanager
def serve(route: Route) -> Iterator[tuple[str, list[str]]]:
    """Serve ``route`` (``crawlutil.serving``); yields the base URL and the paths requested."""
    requested: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requested.append(self.path)
            status, headers, body = route(self.path)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    with serving(Handler) as url:
        yield url, requested
