"""Finding a portal's columns from the site itself.

Columns are reached through navigation menus (with dropdown submenus), channel (hub)
pages and their 更多 links, the sitemap page (网站地图), breadcrumbs and list pages'
side navigation. This module only looks at links: which ones may lead to a column,
what the column is called and under which ancestors it sits. Whether a fetched page
is a list, a hub or an article is decided by ``classify_page``.
"""

from __future__ import annotations

import copy
import functools
import itertools
import re
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree as lxml_etree
from lxml import html as lxml_html
from lxml.html import XHTML_NAMESPACE

from portalspider.extract.htmlutil import (
    PARSER,
    Document,
    join_url,
    origin,
    origin_only,
    strip_controls,
    text_content,
)
from portalspider.urls import canonical_url, is_attachment, is_hash_route, is_later_page

# Article URLs by CMS family: TRS t20240910_N, Hanweb /art/2024/9/10/art_, dated folders
# with an id, PowerEasy /Item/N.aspx, UCAP 32-hex names, gov.cn content_N.
ARTICLE_URL = re.compile(
    r"(/t\d{8}_\d+\.\w+$)|(/art/\d{4}/\d{1,2}/\d{1,2}/)|(/art_\d+_\d+\.\w+$)"
    r"|(/\d{6}/[^/]+\.s?html?$)|(/\d{4}-\d{2}/\d{2}/)|(/item/\d+\.aspx$)|(/[0-9a-f]{32}\.s?html?$)"
    r"|(/content_\d+\.\w+$)|(/(detail|article|content|show|view)[/_-]?\w*\.\w+\?.*id=)",
    re.I,
)
NON_COLUMN_TEXT = re.compile(
    r"^(首页|网站首页|返回首页|上一页|下一页|尾页|末页|前一页|后一页|\d+|登录|注册|English|繁體|繁体|简体|"
    r"无障碍|长者模式|关怀版|适老化|打印|关闭|关闭窗口|收藏|分享|搜索|高级搜索|RSS|返回顶部|\s*)$",
    re.I,
)
# Names of links that lead to a tool, a form or a page switch, never to a column: site search
# and its hot words, 我要写信/我要咨询 submit forms, login, RSS, 无障碍/长者模式 switches.
NON_COLUMN_NAME = re.compile(
    r"我要(?:写信|咨询|留言|投诉|建议|提问|纠错|评价|举报|办理)|^(?:用户)?(?:登录|注册|登录注册|"
    r"注册登录|退出|退出登录|个人中心|用户中心)$|^(?:站内|全文|高级)?(?:搜索|检索)$|rss|"
    r"无障碍|长者模式|长者版|关怀版|关怀模式|适老化|老年版|老年模式|大字版|读屏|智能问答",
    re.I,
)
# URLs of the same: search pages (``/search/index.html?searchWord=医保``), login and
# registration, feeds, form submissions, accessibility toolbars.
NON_COLUMN_URL = re.compile(
    r"(?:^|/)(?:search|jsearch\w*|was5|irs|sousuo|ss|login|logout|register|sso|passport|"
    r"rss|feed|wza|wzaweb|accessibility|barrier\w*)(?:[/._]|$)|"
    r"(?:^|/|_)(?:write|submit|xiexin|addletter|tiwen)\w*\.\w+$",
    re.I,
)
SEARCH_QUERY = re.compile(
    r"^(?:searchword|searchkey|keyword|keywords|kw|wd|q|query|sword|qt|searchtext|search)$", re.I
)
# "更多", "查看更多", "more+", "MORE>>", ">>", "[更多]": matched on the raw text, spaces removed.
MORE_TEXT = re.compile(
    r"^[\[【(（]?(更多|查看更多|查看全部|更多信息|更多内容|more|[>»›]{2,}|\+)"
    r"[>»›+＋]*[\]】)）]?$",
    re.I,
)
MORE_IMAGE = re.compile(r"more|gengduo|更多", re.I)
SITEMAP_TEXT = re.compile(r"网站地图|站点地图|网站导航|sitemap", re.I)
SITEMAP_URL = re.compile(r"sitemap|wzdt|site_map|webmap", re.I)
NAV_CONTAINER = re.compile(r"(^|[\s_-])(nav|menu|navbar|mainnav|topnav|daohang|dh)", re.I)
FOOTER_CONTAINER = re.compile(r"(foot|bottom|copyright|btm|links|friend|yqlj)", re.I)
HEADING_CLASS = re.compile(r"(tit|title|hd|head|name|bt|lm)", re.I)
MAX_NAME_CHARS = 20
# A date beside a link makes it an item (article, letter, teaser), not a column.
DATED_ITEM = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}|[\[(（]\s*\d{1,2}[-/.]\d{1,2}\s*[\])）]")


@dataclass
class LinkCandidate:
    """A link that may lead to a column, with what the site calls it and where it sits."""

    url: str
    name: str
    path: list[str] = field(default_factory=list)
    source: str = "body"  # nav | more | sitemap | subnav | breadcrumb | body | config


def is_article_url(url: str) -> bool:
    return bool(
        ARTICLE_URL.search(
            urlsplit(url).path + ("?" + urlsplit(url).query if urlsplit(url).query else "")
        )
    )


@lru_cache(maxsize=16384)  # pure, and every page repeats its menus' links
def may_be_column(url: str, name: str = "") -> bool:
    """Cheap test on a link's URL and name: could it lead to a column list page?

    Not files, articles or paginated siblings; not tools (search, hot words, login, RSS,
    submit forms, accessibility switches), which are otherwise read as blank columns.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    if NON_COLUMN_URL.search(parts.path) or any(
        SEARCH_QUERY.match(key) for key, _ in parse_qsl(parts.query, keep_blank_values=True)
    ):
        return False
    if name and (NON_COLUMN_TEXT.match(name) or NON_COLUMN_NAME.search(label_text(name))):
        return False
    return not (is_attachment(url) or is_article_url(url) or is_later_page(url))


def is_form_page(doc) -> bool:
    """A page whose job is a form to fill in (a letter, a question, a login), not a list."""
    for form in doc.iter("form"):
        if form.find(".//textarea") is not None:
            return True
        if any((i.get("type") or "").lower() == "password" for i in form.iter("input")):
            return True
    return False


@lru_cache(maxsize=16384)  # pure, and every page repeats its menus' labels
def label_text(text: str | None) -> str:
    """A link or heading label without whitespace or decoration (»,·,：)."""
    return re.sub(r"\s+", "", strip_controls(text or "")).strip("·•>»|:：-—")


def parse_html(text: str, base_url: str, document: Document | None = None):
    """An lxml tree with links resolved against the page URL.

    *document*, the page's shared parse of *text*, spares parsing it again.
    """
    doc = _tree(text, document)
    # lxml's make_links_absolute(base_url, resolve_base_href=True, handle_failures="discard")
    # with the joins on the page URL cached: every page repeats its menus.
    _resolve_base_href(doc)
    _rewrite_links(doc, base_url)
    return doc


def _resolve_base_href(doc) -> None:
    """``doc.resolve_base_href()``, its ``<base>`` elements found by a walk in C (lxml's
    own compiles an XPath at each call)."""
    base_href = None
    for base in _bases(doc):
        base_href = base.get("href")
        base.drop_tree()
    if base_href:
        doc.make_links_absolute(base_href, resolve_base_href=False)


def _rewrite_links(doc, base_url: str) -> None:
    """``doc.rewrite_links(join on base_url, resolve_base_href=False)``: the links lxml's
    ``iterlinks`` finds, rewritten alike, most of them found faster (its search looks up
    each link attribute on every element, in Python: most of a hub's own-list cost).

    An element's links are rewritten apart from any other's, so the order does not matter.
    """
    repl = functools.partial(_join_or_none, base_url)
    rare = []
    for el in doc.iter(lxml_etree.Element):
        names = el.keys()
        if not names:
            if el.tag in _LINK_TAGS:
                rare.append(el)
            continue
        if "style" in names or el.tag in _LINK_TAGS or el.tag.startswith("{"):
            rare.append(el)  # what lxml reads its own way: found by lxml
            continue
        # Any other element: its link attributes, the link as written (lxml's iterlinks).
        for name in names:
            if name in _LINK_ATTRS:
                link = el.get(name)
                new_link = repl(link.strip())
                if new_link is None:
                    del el.attrib[name]
                elif new_link != link:
                    _SET(el, name, new_link)
    _Walk(rare).rewrite_links(repl, resolve_base_href=False)  # lxml's own, over these alone


class _Walk:
    """A tree as lxml's ``iterlinks`` and ``rewrite_links`` walk it, its walk being these
    *elements* alone."""

    iterlinks = lxml_html.HtmlMixin.iterlinks
    rewrite_links = lxml_html.HtmlMixin.rewrite_links

    def __init__(self, elements: list) -> None:
        self.elements = elements

    def iter(self, *_tags: object):
        return iter(self.elements)


_LINK_ATTRS = lxml_html.defs.link_attrs
# The elements lxml's iterlinks reads beyond their link attributes (an <object>'s are
# relative to its codebase); a namespaced tag is left to it too.
_LINK_TAGS = frozenset(("object", "meta", "param", "style"))


def _join_or_none(base: str, link: str) -> str | None:
    """*link* (stripped, as lxml does) joined to *base*; None when the join fails."""
    try:
        return join_url(base, link.strip())
    except ValueError:
        return None


def link_tree(document: Document, base_url: str):
    """What the discovery functions read: :func:`parse_html`'s tree with the links they
    follow resolved (``href`` and ``src``), and only those (``without_more_blocks`` wants
    :func:`parse_html`'s own). Resolved as lxml's ``make_links_absolute`` does, one cached
    join per distinct link: every page of a portal repeats its menus.
    """
    doc = _tree(document.html, document)
    base_href = None
    for base in _bases(doc):
        base_href = base.get("href")
        base.drop_tree()
    resolve = _resolver(base_href, base_url)
    for name, linking in _LINKING:
        for el in linking(doc):
            link = el.get(name)
            resolved = resolve(link)
            if resolved is None:
                del el.attrib[name]
            elif resolved != link:
                _SET(el, name, resolved)
    return doc


# A page's link resolver (:func:`_resolver`).
Resolver = Callable[[str], str | None]


@dataclass
class PageLinks:
    """A page's links as the discovery functions read them: *rows* (:func:`link_rows`) of
    the tree *doc*; *resolve* gives the link :func:`link_tree` would have written for any
    other link attribute of *doc* (an image's ``src``), None when *doc* is resolved."""

    doc: Any
    rows: list[tuple[Any, str, str]]
    resolve: Resolver | None = None


def page_links_view(document: Document, base_url: str) -> PageLinks:
    """:func:`link_rows` of :func:`link_tree`'s tree without its copy of the page: the
    links are read from the document's own tree (never modified) and resolved as they are
    met, one cached join each. A page that is not a whole document gets the copy."""
    root = document.root
    if root is None or not _FULL_HTML.match(document.html):
        doc = link_tree(document, base_url)
        return PageLinks(doc, link_rows(doc))
    bases = _bases(root)
    resolve = _resolver(bases[-1].get("href") if bases else None, base_url)
    # Targets that depend on the page's origin alone, shared by its pages: most links are
    # the menus', met again on every page, so each costs one lookup instead of a join.
    shared = _origin_targets(origin(base_url)) if not bases else {}
    rows = []
    # Links without an href are skipped here: an XPath that leaves them out (``a[@href]``)
    # cost as much again as the walk.
    for a in root.iter("a"):
        link = a.get("href")
        if link is None:
            continue
        href = shared.get(link, _UNSEEN)
        if href is _UNSEEN:
            resolved = resolve(link)
            href = _link_href(resolved) if resolved is not None else None
            if len(shared) < _MAX_SHARED and _origin_bound(link.strip()):
                shared[link] = href
        if href:
            rows.append((a, href, text_content(a)))
    return PageLinks(root, rows, resolve)


_UNSEEN = object()
_MAX_SHARED = 16384  # targets kept per origin; the others are joined each time


@lru_cache(maxsize=64)
def _origin_targets(origin: str) -> dict[str, Any]:
    """The links met on an origin's pages whose :func:`_link_href` of the page's join
    depends on that origin alone (:func:`_origin_bound`), with it."""
    return {}


def _origin_bound(link: str) -> bool:
    """Whether a (stripped) link's target as followed depends on its page's origin alone:
    a root-relative or full URL (:func:`~.htmlutil.origin_only`), or a script, mail or
    phone link (joined to an http(s) page, a link of another scheme is itself)."""
    return origin_only(link) or link.startswith(("javascript:", "mailto:", "tel:"))


def _resolver(base_href: str | None, base_url: str) -> Resolver:
    """A link as lxml's ``make_links_absolute(base_url, resolve_base_href=True)`` writes
    it: against a ``<base href>`` first (a failure aborts), then the page URL (a failing
    link is dropped: None)."""
    if not base_href:
        return functools.partial(_join_or_none, base_url)  # most pages: one call a link

    def resolve(link: str) -> str | None:
        return _join_or_none(base_url, join_url(base_href, link.strip()))

    return resolve


# The link attributes discovery reads: <a href>, <frame/iframe src>, <img src> (更多 icons).
# An <object>'s links lxml resolves its own way (its codebase): left out.
_LINKING = [
    (name, lxml_etree.XPath(f"descendant-or-self::*[@{name} and not(self::object)]"))
    for name in ("href", "src")
]


def _bases(doc) -> list:
    """The ``<base href>`` elements (HTML or XHTML) of the document holding *doc*, which
    may be a fragment of it (an XPath ``//`` walk cost a quarter of :func:`page_links_view`)."""
    top = doc.getroottree().getroot()
    return [b for b in top.iter(_BASE_TAGS) if b.get("href") is not None]


_BASE_TAGS = ("base", f"{{{XHTML_NAMESPACE}}}base")
# ``HtmlElement.set`` without lxml.html's Python wrapper (the value is never None here).
_SET = lxml_etree.ElementBase.set
# lxml.html.fromstring's test for a whole document (else it returns a fragment's element).
_FULL_HTML = re.compile(r"^\s*<(?:html|!doctype)", re.I)


def _tree(text: str, document: Document | None):
    """``lxml.html.fromstring(text)``: a copy of the document's parse when it is the same."""
    if document is not None and _FULL_HTML.match(text) and document.root is not None:
        return copy.deepcopy(document.root)
    return lxml_html.fromstring(text or "<html></html>", parser=PARSER)


def _attrs(el) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}"


def _inside(el, pattern: re.Pattern[str], tags: tuple[str, ...] = ()) -> bool:
    return any(map(_container(pattern, tags), el.iterancestors()))


@lru_cache(maxsize=8192)  # pure, and a site's pages share their containers' classes
def _marked(pattern: re.Pattern[str], attrs: str) -> bool:
    return bool(pattern.search(attrs))


class _Within:
    """Whether an element sits inside a container passing *test* (``test(ancestor)`` for
    any of its ancestors), for the elements of one page: each container is tested once, not
    once per link under it (keyed by element: lxml proxies are stable while referenced, as
    here)."""

    def __init__(self, test: Callable[[Any], bool]) -> None:
        self.test = test
        self.memo: dict = {}

    def __call__(self, el) -> bool:
        walked = []
        node = el.getparent()
        inside = False
        while node is not None:
            known = self.memo.get(node)
            if known is not None:
                inside = known
                break
            walked.append(node)
            if self.test(node):
                inside = True
                break
            node = node.getparent()
        for seen in walked:  # each is inside exactly when the first answer above it is
            self.memo[seen] = inside
        return inside


def _container(pattern: re.Pattern[str], tags: tuple[str, ...]) -> Callable[[Any], bool]:
    """The test of :func:`_inside` for one ancestor."""
    return lambda el: el.tag in tags or _marked(pattern, _attrs(el))


def page_furniture_test() -> Callable[[Any], bool]:
    """:func:`in_page_furniture` for the elements of one page, each container tested once
    (a page's links share their menus and blocks)."""
    return _Within(_is_furniture)


_ITEM_TAGS = ("li", "dd", "tr")


def _is_dated_item(a, memo: dict | None = None) -> bool:
    """The link sits in a list item that shows a date: an article or letter, not a column.

    *memo* (item → answer) spares re-reading an item for each of its links.
    """
    item = a.getparent()  # mostly the item itself
    if item is None or item.tag not in _ITEM_TAGS:
        item = next(a.iterancestors(*_ITEM_TAGS), None)
    if item is None:
        return False
    if memo is not None and item in memo:
        return memo[item]
    dated = bool(DATED_ITEM.search(text_content(item)))
    if memo is not None:
        memo[item] = dated
    return dated


def in_page_furniture(el) -> bool:
    """Inside the header, navigation menus or the footer."""
    return any(_is_furniture(anc) for anc in el.iterancestors())


def is_page_furniture(el) -> bool:
    """The header, a navigation menu or the footer itself (what :func:`in_page_furniture`
    looks for among an element's ancestors)."""
    return _is_furniture(el)


def _link_text(a) -> str:
    return label_text(text_content(a) or a.get("title"))


def _href(a) -> str | None:
    return _link_href(a.get("href"))


@lru_cache(maxsize=16384)  # pure, and every page repeats its menus' links
def _link_href(value: str | None) -> str | None:
    """A link's target as followed: None for script, mail and in-page links; no fragment
    unless it is an app's hash route."""
    href = (value or "").strip()
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
        return None
    if "#" not in href:  # most links: no fragment to judge
        return href
    return href if is_hash_route(href) else href.split("#", 1)[0]


def _own_label(li) -> str:
    """The label of a menu item itself (its first link or span), not of its submenu."""
    for child in li:
        if child.tag in ("a", "span", "div", "p", "h2", "h3", "h4", "strong", "b", "em"):
            if child.tag == "a":
                return _link_text(child)
            inner = child.find(".//a")
            text = _link_text(inner) if inner is not None else label_text(child.text_content())
            if text and len(text) <= MAX_NAME_CHARS:
                return text
    return label_text(li.text or "")


def _labels_item(a, li) -> bool:
    """Is ``a`` the label of menu item ``li`` (not a link inside its submenu)?"""
    for anc in a.iterancestors():
        if anc is li:
            return True
        if anc.tag in ("ul", "ol", "dl", "div"):
            return False
    return False


def _menu_path(a, text: str, stop) -> list[str]:
    """Labels of the menu items that contain link ``a`` (not the item ``a`` labels itself)."""
    path: list[str] = []
    for li in a.iterancestors("li"):
        if stop is not None and stop not in li.iterancestors():
            break
        if _labels_item(a, li):
            continue
        label = _own_label(li)
        if label and label != text:
            path.insert(0, label)
    return path


def nav_links(doc) -> list[LinkCandidate]:
    """Links of navigation menus, each with its parent menu items as ``path``."""
    found: list[LinkCandidate] = []
    containers = [
        el
        for el in doc.iter("nav", "div", "ul")
        if el.tag == "nav" or NAV_CONTAINER.search(_attrs(el))
    ]
    # Outermost containers only, so nested menus are walked once.
    outer = [
        c
        for c in containers
        if not any(o is not c and c in o.iterdescendants() for o in containers)
    ]
    for container in outer:
        for a in container.iter("a"):
            href = _href(a)
            text = _link_text(a)
            if not href or not text or len(text) > MAX_NAME_CHARS or _is_dated_item(a):
                continue
            path = _menu_path(a, text, stop=container)
            found.append(LinkCandidate(href, text, path, "nav"))
    return found


HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "dt", "th", "caption", "legend", "strong", "b")


def _is_heading(el) -> bool:
    """A title element: a heading tag, a ``*title*``-class element, or a span/link in one."""
    if el.tag in HEADING_TAGS or HEADING_CLASS.search(_attrs(el)):
        return True
    parent = el.getparent()
    return (
        el.tag in ("span", "a", "em")
        and parent is not None
        and bool(HEADING_CLASS.search(_attrs(parent)))
    )


def _good_name(text: str) -> bool:
    return bool(text) and len(text) <= MAX_NAME_CHARS and not MORE_TEXT.match(text)


def _block_heading(a, resolve: Resolver | None = None) -> str | None:
    """The title of the content block a 更多 link belongs to.

    Climbing from the link: a title element that contains the link (``<div class=title>
    <span>通知公告</span><a>更多</a></div>``) gives its text without the link's; else the
    nearest title element before the link in the same block, else the first after it.
    """
    link_text = a.text_content()
    ancestors = set(a.iterancestors())
    for anc in a.iterancestors():
        if _is_heading(anc):
            text = label_text(anc.text_content().replace(link_text, "", 1))
            if _good_name(text):
                return text
        before: list = []
        after = None
        passed = False
        for el in anc.iter():
            if el is a:
                passed = True
                continue
            if not isinstance(el.tag, str) or el in ancestors or not _is_heading(el):
                continue
            if not _good_name(label_text(el.text_content())):
                continue
            if not passed:
                before.append(el)
            elif after is None:
                after = el
        if before:
            return label_text(_tab_heading(anc, a, before, resolve).text_content())
        if after is not None:
            return label_text(after.text_content())
        if anc.tag in ("body", "html"):
            break
    return None


def _tab_heading(block, a, before: list, resolve: Resolver | None):
    """The heading naming link ``a``: the nearest one, or, in a tabbed block (a row of tab
    titles, then one body with its own 更多 per tab), the tab in the same position."""
    row = before[-1].getparent()
    tabs = [h for h in before if h.getparent() is row]
    if len(tabs) >= 2:
        mores = [m for m in block.iter("a") if is_more_link(m, resolve=resolve)]
        if len(mores) == len(tabs) and a in mores:
            return tabs[mores.index(a)]
    return before[-1]


def is_more_link(a, text: str | None = None, resolve: Resolver | None = None) -> bool:
    """A 更多 link: by its text, or an image (``<img alt=更多>``, ``more.gif``) alone.

    *text*: the link's ``text_content()`` when the caller has it; *resolve*: the page's
    (:class:`PageLinks`) when *a* sits in an unresolved tree.
    """
    by_text = _more_text((a.text_content() if text is None else text) or "")
    if by_text is not None:
        return by_text
    img = a.find(".//img")
    hints = [a.get("title") or ""]
    if img is not None:
        src = img.get("src")
        if src is not None and resolve is not None:
            src = resolve(src)
        hints += [img.get("alt") or "", img.get("title") or "", src or ""]
    return any(MORE_IMAGE.search(h) for h in hints)


@lru_cache(maxsize=16384)  # pure, and every page repeats its menus' labels
def _more_text(text: str) -> bool | None:
    """Whether a link's text says 更多; None when it has no text."""
    raw = re.sub(r"\s+", "", text)
    return bool(MORE_TEXT.match(raw)) if raw else None


def without_more_blocks(doc) -> str:
    """The page's HTML without the blocks that 更多 links close (a hub's previews).

    A block is the nearest ancestor of a 更多 link that holds at least three other links.
    What is left can still hold a list of the page's own.
    """
    return _drop_more_blocks(copy.deepcopy(doc))


def own_list_html(document: Document, base_url: str, links: PageLinks | None = None) -> str:
    """:func:`without_more_blocks` of the page's :func:`parse_html` tree (a copy of its
    own already, so not copied again): where a hub's own list may be.

    *links*, the page's :func:`page_links_view`, names the blocks as that tree would: they
    are dropped before the links are resolved, and only the rest's links are (a hub's
    blocks hold most of its links).
    """
    root = document.root
    if links is None or links.resolve is None or links.doc is not root:
        return _drop_more_blocks(parse_html(document.html, base_url, document))
    doc = _tree(document.html, document)
    blocks = [_same_in(doc, b) for b in _more_blocks(links.rows, links.resolve)]
    _resolve_base_href(doc)  # as parse_html: a <base> inside a block counts
    _drop(blocks)
    _rewrite_links(doc, base_url)
    return lxml_html.tostring(doc, encoding="unicode")


def _same_in(copy_root, el):
    """The element of *copy_root* (a deep copy of *el*'s tree) at *el*'s place."""
    steps = []
    parent = el.getparent()
    while parent is not None:
        steps.append(parent.index(el))
        el, parent = parent, parent.getparent()
    for i in reversed(steps):
        copy_root = copy_root[i]
    return copy_root


def _drop_more_blocks(doc) -> str:
    _drop(_more_blocks(link_rows(doc)))
    return lxml_html.tostring(doc, encoding="unicode")


def _more_blocks(rows: list[tuple[Any, str, str]], resolve: Resolver | None = None) -> list:
    """The blocks that 更多 links close: each one's nearest ancestor holding at least three
    other links that lead somewhere. *rows*: :func:`link_rows` (or :class:`PageLinks`'s)."""
    followed = {a for a, _, _ in rows}  # lxml gives a referenced element's proxy again
    blocks = []
    for a, _, shown in rows:
        if not is_more_link(a, shown, resolve):
            continue
        for anc in a.iterancestors():
            if anc.tag in ("body", "html"):
                break
            others = (x for x in anc.iter("a") if x is not a and x in followed)
            if next(itertools.islice(others, 2, None), None) is not None:  # three or more
                blocks.append(anc)
                break
    return blocks


def _drop(blocks: list) -> None:
    for block in blocks:
        if block.getparent() is not None:
            block.getparent().remove(block)


def link_rows(doc) -> list[tuple[Any, str, str]]:
    """(link, target as followed, ``text_content()``) of each link of a page that leads
    somewhere: read once for :func:`more_links` and :func:`page_links`."""
    rows = []
    for a in doc.iter("a"):  # a link without an href leads nowhere: _link_href(None)
        href = _link_href(a.get("href"))
        if href:
            rows.append((a, href, text_content(a)))
    return rows


def more_links(doc, rows: list[tuple[Any, str, str]] | None = None) -> list[LinkCandidate]:
    """更多 links, named after the block they close. *rows*: :func:`link_rows` of *doc*."""
    return more_links_of(PageLinks(doc, link_rows(doc) if rows is None else rows))


def more_links_of(links: PageLinks) -> list[LinkCandidate]:
    """:func:`more_links` of a page's :class:`PageLinks`."""
    found = []
    for a, href, shown in links.rows:
        # Most links' text says they are not (one cached call): the full test for the rest.
        if _more_text(shown) is not False and is_more_link(a, shown, links.resolve):
            heading = _block_heading(a, links.resolve)
            found.append(LinkCandidate(href, heading or "", [], "more"))
    return found


def sitemap_page_links(doc) -> list[LinkCandidate]:
    """Links of a sitemap page; each section heading becomes the ancestor of its links."""
    found = []
    body = doc.find(".//body")
    root = body if body is not None else doc
    for a in root.iter("a"):
        href = _href(a)
        text = _link_text(a)
        if not href or not text or len(text) > MAX_NAME_CHARS or NON_COLUMN_TEXT.match(text):
            continue
        if _inside(a, FOOTER_CONTAINER, ("footer",)) or _inside(a, NAV_CONTAINER, ("nav",)):
            continue
        # Nested lists: parent items' labels; then the nearest section heading above.
        path = _menu_path(a, text, stop=None)
        heading = _section_heading(a)
        if heading and heading != text and heading not in path and not SITEMAP_TEXT.search(heading):
            path.insert(0, heading)
        found.append(LinkCandidate(href, text, path, "sitemap"))
    return found


def _section_heading(a) -> str | None:
    for anc in a.iterancestors():
        for sib in anc.itersiblings(preceding=True):
            if sib.tag in ("h1", "h2", "h3", "h4", "dt") or (
                sib.tag in ("div", "p", "span") and HEADING_CLASS.search(_attrs(sib))
            ):
                text = label_text(sib.text_content())
                if text and len(text) <= MAX_NAME_CHARS:
                    return text
        for child in anc:
            if child.tag in ("h1", "h2", "h3", "h4", "dt") and child not in a.iterancestors():
                text = label_text(child.text_content())
                if text and len(text) <= MAX_NAME_CHARS:
                    return text
                break
        if anc.tag in ("body", "html"):
            break
    return None


def page_links(
    doc,
    skip_urls: Container[str],
    rows: list[tuple[Any, str, str]] | None = None,
    known: Container[str] = (),
) -> list[LinkCandidate]:
    """Short-text links in a page's content (not header nav, not footer) that may be columns.

    ``skip_urls`` are canonical URLs to leave out (the page's own list entries); *rows*:
    :func:`link_rows` of *doc*; *known*: targets the caller has already taken, left out
    before anything else is read (every page repeats the menus, which grow with the portal).
    """
    links = PageLinks(doc, link_rows(doc) if rows is None else rows)
    return page_links_of(links, skip_urls, known)


def page_links_of(
    links: PageLinks, skip_urls: Container[str], known: Container[str] = ()
) -> list[LinkCandidate]:
    """:func:`page_links` of a page's :class:`PageLinks`."""
    found = []
    in_footer = _Within(_container(FOOTER_CONTAINER, ("footer",)))
    dated: dict = {}
    for a, href, shown in links.rows:
        if href in known:
            continue
        text = label_text(shown or a.get("title"))
        if not text or len(text) > MAX_NAME_CHARS or NON_COLUMN_TEXT.match(text):
            continue
        if is_more_link(a, shown, links.resolve) or in_footer(a) or _is_dated_item(a, dated):
            continue
        if canonical_url(href) in skip_urls:
            continue
        found.append(LinkCandidate(href, text, [], "subnav"))
    return found


SCRIPT_REDIRECT = re.compile(
    r"""location(?:\.href)?\s*=\s*['"]([^'"]+)['"]|location\.replace\(\s*['"]([^'"]+)['"]"""
)


def landing_target(doc, text: str, url: str) -> str | None:
    """The real home page behind a splash page: a frameset's main frame or a script
    redirect, on a page that links almost nothing itself."""
    if len([a for a in doc.iter("a") if _href(a)]) >= 3:
        return None
    frames = [f.get("src") for f in doc.iter("frame", "iframe") if f.get("src")]
    if doc.find(".//frameset") is not None and frames:
        return frames[0]
    match = SCRIPT_REDIRECT.search(text)
    if match:
        return urljoin(url, match.group(1) or match.group(2))
    return None


def sitemap_link(doc) -> str | None:
    for a in doc.iter("a"):
        href = _href(a)
        if href and (SITEMAP_TEXT.search(_link_text(a)) or SITEMAP_URL.search(urlsplit(href).path)):
            return href
    return None


def content_text_length(doc) -> int:
    """Characters of prose outside nav, header, footer and links: a static page has
    paragraphs (概况, 机构职能); a list page's text is mostly its links' titles."""
    body = doc.find(".//body")
    if body is None:
        return 0
    total = len(label_text(body.text_content()))
    for el in body.iter():
        if not isinstance(el.tag, str) or not (el.tag == "a" or _is_furniture(el)):
            continue
        if not any(anc.tag == "a" or _is_furniture(anc) for anc in el.iterancestors()):
            total -= len(label_text(el.text_content()))
    return max(total, 0)


def _is_furniture(el) -> bool:
    return _furniture(el.tag, _attrs(el))


@lru_cache(maxsize=8192)  # pure, and a site's pages share their containers' classes
def _furniture(tag: Any, attrs: str) -> bool:
    return tag in ("nav", "header", "footer", "script", "style") or bool(
        NAV_CONTAINER.search(attrs) or FOOTER_CONTAINER.search(attrs)
    )
