"""Broken links planted in the demo portal's articles, and its two external hosts.

The articles of the plainest lists (``PLANTED_MARKUPS``, first ``PLANTED_PER_COLUMN`` items
of page 1, themes ``a`` and ``b``) carry attachments (附件) and a related-links box (相关链接):
some attachments are missing (404), some related articles were removed (404, or a 200
"页面不存在" page in the site's layout: a soft 404), and related links lead to two external
loopback hosts: ``slow`` (answers after ``SLOW_SECONDS``: slow is
not broken) and ``failing`` (500 to everything: every link to it is broken). What is planted
is data of the model (``Entry.links``), drawn from a hash of the article's path (never from the
generator's random stream, so the rest of the portal is the same with or without it); the
pages render it and ``Portal.links_truth`` derives the broken links from it.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

from demo.loopback import serving
from demo.model import PlantedLink, Portal

PLANTED_THEMES = ("a", "b")
PLANTED_MARKUPS = ("ul_after", "ul_before", "trs_table")
PLANTED_PER_COLUMN = 2
SLOW_SECONDS = 1.0
HOSTS = ("slow", "failing")


def _draw(path: str, salt: str) -> int:
    digest = hashlib.sha1(f"{salt}:{path}".encode(), usedforsecurity=False).digest()
    return int.from_bytes(digest[:4], "big")


def plant_links(portal: Portal) -> None:
    """Give the first articles of the plain lists their attachments and related links."""
    if portal.theme.key not in PLANTED_THEMES:
        return
    for col in portal.live_columns():
        if col.mode != "normal" or col.markup not in PLANTED_MARKUPS or col.style != "dir":
            continue
        first = col.page(0)
        for index, entry in enumerate(first[:PLANTED_PER_COLUMN]):
            base = entry.path.rsplit(".", 1)[0]
            links = []
            for k in range(1 + _draw(entry.path, "n") % 2):
                missing = _draw(entry.path, f"att{k}") % 4 == 0
                links.append(PlantedLink(f"{base}_P{k + 1}.pdf", f"附件{k + 1}.pdf", missing))
            sibling = first[(index + 1) % len(first)]
            if sibling.path != entry.path:
                links.append(PlantedLink(sibling.path, sibling.title, False))
            if _draw(entry.path, "gone") % 3 == 0:
                links.append(PlantedLink(f"{base}_old.html", "相关旧文（已删除）", True))
            if _draw(entry.path, "moved") % 4 == 0:
                moved = PlantedLink(f"{base}_moved.html", "相关文章（已迁移）", True, soft=True)
                links.append(moved)
            host = _draw(entry.path, "host") % 4
            if host == 0:
                links.append(
                    PlantedLink(f"ext:failing/zt/{col.cid}/{index}.html", "相关专题", True)
                )
            elif host == 1:
                links.append(
                    PlantedLink(f"ext:slow/art/{col.cid}/{index}.html", "上级政府解读", False)
                )
            entry.links = links
    portal.version += 1


class _Host(BaseHTTPRequestHandler):
    name = "slow"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        return

    def _answer(self) -> None:
        if self.name == "failing":
            status, body = 500, b"Internal Server Error"
        else:
            time.sleep(SLOW_SECONDS)
            status, body = 200, "<html><body>上级政府网站</body></html>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    do_GET = _answer  # noqa: N815
    do_HEAD = _answer  # noqa: N815


@contextlib.contextmanager
def serve_link_hosts(portal: Portal, host: str = "127.0.0.1") -> Iterator[dict[str, str]]:
    """Serve the slow and failing external hosts; the portal's related links name them."""
    try:
        with contextlib.ExitStack() as stack:
            for name in HOSTS:
                handler = type(f"{name.title()}Host", (_Host,), {"name": name})
                portal.external[name] = stack.enter_context(serving(handler, host))
            portal.version += 1
            yield dict(portal.external)
    finally:
        portal.external.clear()
