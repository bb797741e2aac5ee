"""Pages parsed in a thread before their callbacks: the same trees, the same crawl."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest

from demo.generator import build_portal
from demo.render import Renderer
from demo.server import serve
from portalspider.extract.encoding import decode_html
from portalspider.extract.htmlutil import PARSER, Document, parse_html
from tests.crawlutil import CrawlResult, crawl, write_site

REAL_PAGES = sorted((Path(__file__).parent / "fixtures" / "realpages").glob("*.htm*"))


def _pages() -> list[str]:
    """The demo portal's home and column pages, and the saved real pages."""
    portal = build_portal(seed=5, theme="a")
    renderer = Renderer(portal)
    paths = ["/", *(urlsplit(c.url).path for c in portal.columns[:40])]
    generated = [decode_html(page.body, page.content_type) for page in map(renderer.page, paths)]
    return [*generated, *(p.read_text("utf-8", errors="replace") for p in REAL_PAGES)]


def test_pages_parsed_in_threads_at_once_are_the_pages_parsed_here() -> None:
    pages = _pages()
    here = [parse_html(html) for html in pages]
    with ThreadPoolExecutor(max_workers=4) as pool:
        there = list(pool.map(parse_html, pages * 3))
    for mine, theirs in zip(here * 3, there, strict=True):
        assert (mine is None) == (theirs is None)
        if mine is not None:
            assert lxml.html.tostring(theirs) == lxml.html.tostring(mine)
            assert theirs.getroottree().parser is not PARSER  # each thread its own parser


def test_a_document_adopts_a_parse_made_elsewhere_once() -> None:
    document = Document("<html><body><p>x</p></body></html>")
    assert not document.parsed
    tree = parse_html(document.html)
    document.adopt(tree)
    assert document.parsed
    assert document.root is tree
    document.adopt(parse_html(document.html))
    assert document.root is tree


def _parsed_ahead(stderr: str) -> int:
    found = re.search(r"'parse_ahead/pages': (\d+)", stderr)
    return int(found.group(1)) if found else 0


@pytest.mark.slow
def test_a_crawl_reads_the_same_with_the_parse_ahead_and_without(tmp_path: Path) -> None:
    portal = build_portal(seed=43, theme="a")
    with serve(portal) as server:
        site = write_site(tmp_path / "site.yaml", server.url)
        ahead = crawl(site, tmp_path / "ahead")
        inline = crawl(site, tmp_path / "inline", "PORTALSPIDER_PARSE_AHEAD=false")
    assert ahead.returncode == inline.returncode == 0
    assert _parsed_ahead(ahead.stderr) >= len(ahead.columns) > 0
    assert _parsed_ahead(inline.stderr) == 0

    def columns(result: CrawlResult) -> list[tuple]:
        return sorted(
            (c["url"], c["status"], c.get("last_update"), c.get("items_365d"))
            for c in result.columns
        )

    assert columns(ahead) == columns(inline)
