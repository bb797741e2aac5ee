"""Small lxml helpers shared by the list and article readers.

Only *visible* text counts as evidence on a portal page: attribute values (``alt="时间：…"``),
scripts, styles and comments carry stale or template dates, so every text walk here skips them.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from functools import cached_property, lru_cache
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html

__all__ = [
    "INLINE_SCRIPT",
    "Document",
    "base_url",
    "clean_text",
    "element_text",
    "metas",
    "parse_html",
    "strip_controls",
    "text_content",
    "visible_text",
]

_SKIP_TAGS = {"script", "style", "noscript", "template", "textarea", "select", "option", "head"}
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
#: A script element's code, for text that does not parse.
INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)
# Terminal escapes (CSI ``ESC [ … m``, OSC ``ESC ] … BEL`` titles, their C1 forms, other
# ``ESC x``), then single C0/C1 controls (not tab and newline), DEL and bidi controls
# (U+202E turns ``txt.exe`` around): crawled names reach logs, terminals and mails.
_CONTROLS = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[@-Z\\^_]?"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


# Every match of _CONTROLS starts with one of these characters.
_ANY_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def _parser() -> lxml.html.HTMLParser:
    """lxml.html's parser, with every element an :class:`lxml.html.HtmlElement`.

    lxml.html's own parser picks each element's class (``FormElement``, ``InputElement``…)
    in a Python callback, run each time an element is touched from Python: thousands of
    times per page read. The readers use nothing but ``HtmlElement``'s API, so the class
    is looked up in C instead (a walk over a page's elements costs a fifth).
    """
    parser = lxml.html.HTMLParser()
    parser.set_element_class_lookup(
        lxml.etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    return parser


#: The parser of every page read (copies of a tree keep it).
PARSER = _parser()


def parse_html(html: str) -> lxml.html.HtmlElement | None:
    """Parse a whole page; None for empty or unparsable input."""
    if not html or not html.strip():
        return None
    # lxml refuses str input that carries an encoding declaration.
    html = _XML_DECL.sub("", html, count=1)
    try:
        return lxml.html.document_fromstring(html, parser=PARSER)
    except (lxml.etree.ParserError, ValueError):
        return None


class Document:
    """A response's HTML parsed once: the trees its readers share (error-page checks, the
    list reader, discovery, the article reader).

    :attr:`root` is :func:`parse_html`'s tree and is never modified. :attr:`reading_tree` is
    one copy of it without what no reader sees (scripts, styles, comments, templates), read
    by the list reader and for :attr:`visible_text`: without them, text is gathered in C. A
    reader that modifies a tree further (the article reader drops page furniture) takes
    :meth:`tree`, a copy of its own, which costs far less than parsing again.
    """

    def __init__(self, html: str) -> None:
        self.html = html

    @classmethod
    def of(cls, page: str | Document) -> Document:
        """*page* as a document (HTML text is wrapped, parsed on first use)."""
        return page if isinstance(page, Document) else cls(page)

    @cached_property
    def root(self) -> lxml.html.HtmlElement | None:
        return parse_html(self.html)

    def tree(self) -> lxml.html.HtmlElement | None:
        """A copy of :attr:`root` to modify, or None when the page does not parse."""
        return copy.deepcopy(self.root) if self.root is not None else None

    @cached_property
    def lowered(self) -> bytes:
        """The page's UTF-8 bytes, lower-cased: markers are searched here (lowering and
        searching the text costs twice that; any case counts, as the parser lowers
        attribute names)."""
        return (self.html or "").encode("utf-8", "ignore").lower()

    @cached_property
    def scripts(self) -> str:
        """The code of the page's inline scripts, one per line (challenge checks, paging and
        list data read there); found by the regular expression when the page does not parse."""
        if self.root is None:
            return "\n".join(INLINE_SCRIPT.findall(self.html or ""))
        return "\n".join(script.text or "" for script in self.root.iter("script"))

    @cached_property
    def reading_tree(self) -> lxml.html.HtmlElement | None:
        """A copy of :attr:`root` without scripts, styles, comments and templates (shared:
        not to be modified), or None when the page does not parse."""
        tree = self.tree()
        if tree is not None:
            _drop_unseen(tree, b"ms-" in self.lowered)
        return tree

    @cached_property
    def visible_text(self) -> str:
        """The visible text of the body, whitespace collapsed ("" when it does not parse)."""
        tree = self.reading_tree
        return visible_text(tree) if tree is not None else ""

    def text_shorter_than(self, limit: int) -> bool:
        """Whether :attr:`visible_text` is shorter than *limit* characters."""
        return len(self.visible_text) < limit


def _drop_unseen(root: lxml.html.HtmlElement, may_hold_templates: bool) -> None:
    """Remove scripts, styles, comments and avalon templates (``ms-repeat`` items with empty
    bindings).

    Templates are searched only when the page may hold them (its text holds ``ms-``): the
    attribute search costs more than all the rest.
    """
    templates = _TEMPLATES(root) if may_hold_templates else []
    for element in [*root.iter(*_UNSEEN), *templates]:
        if element.getparent() is not None:
            element.drop_tree()


# Found in C: a Python walk over every element of every page cost more than the rest.
_TEMPLATES = lxml.etree.XPath(
    "descendant::*[@*[starts-with(name(), 'ms-repeat') or name() = 'ms-for']]"
)
# One walk in C (an XPath union of six paths walked the tree six times).
_UNSEEN = (
    lxml.etree.Comment,
    lxml.etree.ProcessingInstruction,
    "script",
    "style",
    "noscript",
    "template",
)


def parse_fragment(html: str) -> lxml.html.HtmlElement | None:
    """Parse a snippet (a Hanweb CDATA record) under a wrapper element."""
    if not html or not html.strip():
        return None
    try:
        return lxml.html.fragment_fromstring(html, create_parent="div", parser=PARSER)
    except (lxml.etree.ParserError, ValueError):
        return None


def strip_controls(text: str) -> str:
    """*text* without terminal escapes, control characters (tab, newline kept) or bidi controls.

    The one filter for crawled text entering an item (names, titles, paths, meta values).
    """
    return _CONTROLS.sub("", text)


def clean_text(text: str | None) -> str:
    """Collapse whitespace (including &nbsp; and full-width spaces) to single spaces.

    Control characters are stripped first (:func:`strip_controls`).
    """
    if not text:
        return ""
    return _clean_short(text) if len(text) <= _SHORT_TEXT else _clean(text)


def _clean(text: str) -> str:
    if _ANY_CONTROL.search(text):  # a character class finds none far faster than _CONTROLS
        text = strip_controls(text)
    # ``str.split()`` splits where ``\s`` matches (&nbsp; and the full-width space included),
    # several times faster than a regex substitution over a page's text.
    return " ".join(text.split())


# Labels, titles and dates repeat from page to page (menus, pagers): cached when short.
_SHORT_TEXT = 200
_clean_short = lru_cache(maxsize=32768)(_clean)


def _shown(element: lxml.html.HtmlElement, skip: frozenset[int]) -> bool:
    """An element whose text is visible: not a comment, processing instruction or entity (their
    ``tag`` is no string), not a script, style, … nor a skipped one."""
    tag = element.tag
    return isinstance(tag, str) and tag not in _SKIP_TAGS and not (skip and id(element) in skip)


def text_pieces(element: lxml.html.HtmlElement, skip: frozenset[int] = frozenset()) -> list[str]:
    """Visible text pieces under *element* in document order.

    Skips scripts, styles, comments, form options and any element whose ``id()`` is in
    *skip*; the tail text after a skipped element is still kept. One walk with an explicit
    stack, into a list: nested generators would cost each piece the depth of the tree, and
    this walk runs over every page's whole body. A child without children of its own (a
    list item's date, most links) is read in place, not stacked.
    """
    if not _shown(element, skip):
        return []  # comments, processing instructions and skipped elements contribute nothing
    pieces: list[str] = [element.text] if element.text else []
    append = pieces.append
    # (children left to visit, the element whose tail follows them)
    stack: list[tuple[Iterator[lxml.html.HtmlElement], lxml.html.HtmlElement | None]]
    stack = [(iter(element), None)]
    while stack:
        children, owner = stack[-1]
        for child in children:
            tag = child.tag  # _shown(child, skip), inline: it runs for every element
            if isinstance(tag, str) and tag not in _SKIP_TAGS and not (skip and id(child) in skip):
                text = child.text
                if text:
                    append(text)
                if len(child):
                    stack.append((iter(child), child))
                    break
            tail = child.tail
            if tail:
                append(tail)
        else:  # no child left: the owner's tail follows
            stack.pop()
            if owner is not None:
                tail = owner.tail
                if tail:
                    append(tail)
    return pieces


def text_content(element: lxml.html.HtmlElement) -> str:
    """``element.text_content()``, without lxml's Python wrapper, and without its XPath call
    for an element with no children (most links), whose text is all there is."""
    return _STRING(element) if len(element) else element.text or ""


_STRING = lxml.etree.XPath("string()")


def _non_space(text: str) -> int:
    """How many characters of *text* are not whitespace."""
    return len("".join(text.split()))


def element_text(element: lxml.html.HtmlElement, skip: frozenset[int] = frozenset()) -> str:
    """Visible text of an element, pieces joined by single spaces."""
    if not skip and _all_shown(element):
        return clean_text(" ".join(_TEXTS(element)))  # the walk, in C
    return clean_text(" ".join(text_pieces(element, skip)))


def _all_shown(element: lxml.html.HtmlElement) -> bool:
    """Whether every text under *element* is visible (:func:`text_pieces` would skip none):
    then its text nodes in document order are the same pieces. The search runs in C."""
    return next(element.iter(*_HIDDEN), None) is None


# An element's text nodes in document order, as plain strings (lxml's ``itertext`` makes
# each in a Python generator step, twice the cost).
_TEXTS = lxml.etree.XPath("descendant-or-self::text()", smart_strings=False)


# What :func:`text_pieces` passes over: skipped tags, comments, processing instructions
# and entities (``iter`` includes the element itself).
_HIDDEN = (*_SKIP_TAGS, lxml.etree.Comment, lxml.etree.ProcessingInstruction, lxml.etree.Entity)


def visible_text(root: lxml.html.HtmlElement) -> str:
    """Visible text of the whole body."""
    body = root.find("body")
    return element_text(body if body is not None else root)


def metas(root: lxml.html.HtmlElement) -> dict[str, str]:
    """``<meta name=… content=…>`` as lower-cased name → first non-empty content."""
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = clean_text(meta.get("content"))
        if name and content and name not in found:
            found[name] = content
    return found


def base_url(root: lxml.html.HtmlElement | None, url: str) -> str:
    """The URL relative links resolve against: ``<base href>`` if present, else the page URL."""
    if root is not None:
        for base in root.iter("base"):
            href = (base.get("href") or "").strip()
            if href:
                return urljoin(url, href)
    return url


def absolute(base: str, href: str | None) -> str | None:
    """An absolute http(s) URL for a link, or None for ``javascript:``, ``#`` and mail links."""
    if not href:
        return None
    # Cached under the origin when that is all the result depends on: every page links the
    # same menus, each from its own URL.
    return _absolute(origin(base) if origin_only(href.strip()) else base, href)


@lru_cache(maxsize=32768)
def _absolute(base: str, href: str) -> str | None:
    href = href.strip()
    lowered = href.lower()
    if not href or lowered.startswith(("javascript:", "#", "mailto:", "tel:", "data:", "about:")):
        return None
    joined = join_url(base, href)
    if not joined.lower().startswith(("http://", "https://")):
        return None
    return joined.split("#", 1)[0] if "#" in joined and "/gkmlpt/" not in joined else joined


def join_url(base: str, href: str) -> str:
    """``urljoin(base, href)``, cached: every page repeats its menus' links.

    A root-relative link (``/a/b``) or a full URL depends on the base's scheme and host
    alone, so it is cached under that origin and shared by every page of the site.
    """
    if origin_only(href):
        return _join(origin(base), href)
    return _join(base, href)


def origin_only(href: str) -> bool:
    """Whether ``urljoin(base, href)`` depends on the base's scheme and host alone: a
    root-relative link, or an http(s) URL naming its host (then only the scheme counts)."""
    if href[:1] == "/":
        return href[1:2] != "/"
    head = href[:8].lower()
    if head.startswith("http://"):
        return href[7:8].isalnum()
    return head == "https://" and href[8:9].isalnum()


@lru_cache(maxsize=1024)
def origin(base: str) -> str:
    """*base*'s scheme and host (``http://h/``), all that an :func:`origin_only` link's
    join depends on; *base* itself when it has none."""
    parts = urlsplit(base)
    if not parts.scheme or not parts.netloc:
        return base  # nothing to share: join against the base itself
    return f"{parts.scheme}://{parts.netloc}/"


@lru_cache(maxsize=16384)
def _join(base: str, href: str) -> str:
    """``urljoin(base, href)``. A plain root-relative link (:data:`_PLAIN_ROOTED`) on an
    http(s) origin, as most lists' and menus' links are, is the origin's scheme and host
    followed by the link as written: what urljoin gives, at a fraction of its cost."""
    if href[:1] == "/" and _PLAIN_ORIGIN.fullmatch(base) and _PLAIN_ROOTED.fullmatch(href):
        return base[:-1] + href
    return urljoin(base, href)


# An origin as :func:`origin` writes it (lower-case http(s), an ASCII host without brackets),
# and a root-relative link that urljoin leaves as written: no empty (``//``), ``.`` or ``..``
# segment, no parameters (``;``), no empty query or fragment, no space or control character.
_PLAIN_ORIGIN = re.compile(r"https?://[A-Za-z0-9.:@%_~!$&'()*+,;=-]+/")
_PLAIN_ROOTED = re.compile(
    r"(?:/(?!\.\.?(?:[/?#]|$))[^/?#;\x00-\x20\x7f]+)*/?"
    r"(?:\?[^#\x00-\x20\x7f]+)?(?:#[^\x00-\x20\x7f]+)?"
)
