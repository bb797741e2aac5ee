"""The bundled demo portal: a generated county portal with known truth, served on loopback.

``build_portal`` makes the portal, ``serve`` serves it, ``compare`` scores a crawl's items
against the truth. ``python -m demo run|serve|bench`` are the command lines.
"""

from demo.generator import build_portal
from demo.model import Portal, status_for, today_shanghai
from demo.server import DemoServer, serve

__all__ = ["DemoServer", "Portal", "build_portal", "serve", "status_for", "today_shanghai"]
