"""Serving a handler on 127.0.0.1, for the demo's own servers and the tests' crafted portals."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOOPBACK = "127.0.0.1"


@contextlib.contextmanager
def serving(handler: type[BaseHTTPRequestHandler], host: str = LOOPBACK) -> Iterator[str]:
    """Serve ``handler`` on an ephemeral port of ``host``; yields the base URL.

    Stops the server and closes its socket (a leaked socket fails the run under ``-W error``).
    """
    server = ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
