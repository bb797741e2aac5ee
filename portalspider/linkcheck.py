"""Broken links (链接可用性): which links a page carries and what an answer says of one.

Pure helpers for the ``links`` spider (``spiders/links.py``):

- :func:`page_links`: every ``<a href>`` / ``<area href>`` (attachments included), ``<img
  src>``, ``<script src>`` and stylesheet ``<link href>`` of a page, resolved against the page
  (and its ``<base href>``), one per distinct URL (``urls.canonical_url``), without
  ``mailto:``, ``javascript:``, ``tel:``, ``data:`` or in-page ``#fragment`` links;
- :func:`judge_status` / :func:`judge_error`: an answer is ``ok``, ``broken``, ``transient``
  (retried with backoff before it can be called broken) or, for a ``HEAD`` the server
  refuses, ``fallback`` (ask again with ``GET``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.html
from scrapy.exceptions import IgnoreRequest

from portalspider.extract.htmlutil import parse_html, strip_controls
from portalspider.middlewares import OutOfScope
from portalspider.urls import canonical_url

# Answers to HEAD that say "not this method" rather than "not this resource": ask with GET
# (a 404 or 410 is believed: asking again would cost a request per broken link).
HEAD_REFUSED = frozenset({400, 401, 403, 405, 406, 409, 412, 415, 418, 501})
# Answers worth asking again later: the server is busy or failing for now.
TRANSIENT_STATUSES = frozenset({408, 425, 429}) | frozenset(range(500, 600))
# Attribute of each element kind that carries the link, and the kind's name.
LINK_ATTRS = (("a", "href", "a"), ("area", "href", "a"), ("img", "src", "img"))
LINK_ATTRS += (("script", "src", "script"), ("link", "href", "stylesheet"))
TEXT_LIMIT = 200
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class PageLink:
    """One link of a page: where it goes, what the page shows for it, and its element."""

    url: str  # absolute, without fragment, as the page links it
    text: str
    kind: str  # a | img | script | stylesheet


def _base(root: lxml.html.HtmlElement, page_url: str) -> str:
    for base in root.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            return urljoin(page_url, href)
    return page_url


def _text(el: lxml.html.HtmlElement, kind: str) -> str:
    if kind == "a":
        text = el.text_content() or ""
        if not text.strip():  # an image link: its alt text
            text = " ".join(img.get("alt") or "" for img in el.iter("img"))
        text = text.strip() or el.get("title") or ""
    elif kind == "img":
        text = el.get("alt") or el.get("title") or ""
    else:
        text = ""
    return strip_controls(_SPACES.sub(" ", text).strip())[:TEXT_LIMIT]


def resolve(raw: str | None, base: str) -> str | None:
    """The absolute http(s) URL a link attribute names, or None (no link to check)."""
    raw = (raw or "").strip()
    if not raw or raw.startswith("#"):
        return None
    try:
        url = urljoin(base, raw)
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return urlunsplit(parts._replace(fragment=""))


def page_links(html: str, page_url: str) -> list[PageLink]:
    """The links of a page to check, one per distinct URL (the first occurrence's text)."""
    root = parse_html(html)
    if root is None:
        return []
    base = _base(root, page_url)
    page_key = canonical_url(page_url)
    found: dict[str, PageLink] = {}
    for el in root.iter("a", "area", "img", "script", "link"):
        for tag, attr, kind in LINK_ATTRS:
            if el.tag != tag:
                continue
            if tag == "link" and "stylesheet" not in (el.get("rel") or "").lower().split():
                continue
            url = resolve(el.get(attr), base)
            if url is None:
                continue
            key = canonical_url(url)
            if key == page_key or key in found:
                continue
            found[key] = PageLink(url, _text(el, kind), kind)
    return list(found.values())


# Verdicts on one answer.
OK = "ok"
BROKEN = "broken"
TRANSIENT = "transient"
FALLBACK = "fallback"
SKIPPED = "skipped"


def judge_status(status: int, method: str) -> str:
    """What an HTTP status says of a link asked with ``method``."""
    if status < 400:
        return OK
    if method == "HEAD" and status in HEAD_REFUSED:
        return FALLBACK
    if status in TRANSIENT_STATUSES:
        return TRANSIENT
    return BROKEN


def judge_error(error: BaseException) -> str:
    """What a failure without an HTTP answer says: a dropped request is no verdict
    (``skipped``: out of scope), a redirect loop is broken, anything else is transient."""
    if isinstance(error, IgnoreRequest):
        return SKIPPED if isinstance(error, OutOfScope) else BROKEN
    return TRANSIENT


def error_text(error: BaseException, timeout: float) -> str:
    """One line for the ``error`` field of a link item."""
    name = type(error).__name__
    if "Timeout" in name or "TimedOut" in name:
        return f"timeout after {timeout:g} s"
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{name}: {message}"[:200] if message else name
