"""Turn the live ``Portal`` into HTTP responses: routing plus Jinja2 rendering.

Rendering happens per request (not ahead of time) so that mutations between crawls
and the clock in the header are always current.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import zlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import parse_qs

import jinja2

from demo.generator import home_blocks, latest_news
from demo.model import Channel, Column, Entry, Portal

WEEKDAYS = "一二三四五六日"
ORGS = ("县政府办公室", "县发展和改革局", "县财政局", "县人力资源和社会保障局", "县自然资源局")
# Where each kind of link sits; offsets make one column be linked in different spellings.
LINK_OFFSETS = {"nav": 0, "hub": 1, "sitemap": 2, "side": 3, "home": 1, "crumb": 0}
PROXY = "/module/web/jpage/dataproxy.jsp"
# Theme d: host name written into links to its 信息公开 platform (/zfxxgk/, /gkmlpt/). Unset,
# those links stay on the portal's own host. Set (e.g. "localhost"), they point to that
# second name of the same loopback server, and a crawl needs
# ``site: {allowed_domains: [127.0.0.1, localhost]}`` to reach them.
XXGK_HOST_ENV = "PORTALSPIDER_DEMO_XXGK_HOST"
TEMPLATES = resources.files("demo") / "templates"
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00"
    b"\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@dataclass
class Page:
    """One response: ``status`` None means "drop the connection"."""

    status: int | None
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"


class _ThemeLoader(jinja2.FileSystemLoader):
    """``x.html`` resolves to ``<theme>/x.html`` when the theme has its own."""

    def __init__(self, root: str, theme: str) -> None:
        super().__init__(root)
        self.theme = theme

    def get_source(self, environment: jinja2.Environment, template: str):
        if self.theme and "/" not in template:
            try:
                return super().get_source(environment, f"{self.theme}/{template}")
            except jinja2.TemplateNotFound:
                pass
        return super().get_source(environment, template)


@cache
def _env(theme: str = "") -> jinja2.Environment:
    loader = _ThemeLoader(str(TEMPLATES), theme)
    return jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        trim_blocks=False,
        lstrip_blocks=False,
    )


def fmt_date(spelling: str, day: dt.date, hour: int = 9, minute: int = 30) -> str:
    """strftime with portable ``%-m``/``%-d`` (no zero padding), as Chinese CMSs print them."""
    text = spelling.replace("%-m", str(day.month)).replace("%-d", str(day.day))
    return dt.datetime(day.year, day.month, day.day, hour, minute, 17).strftime(text)


def clock(today: dt.date) -> str:
    """The header clock ("2026年11月28日 星期六"), a noise date on every page."""
    return f"{today.year}年{today.month}月{today.day}日 星期{WEEKDAYS[today.weekday()]}"


def link(col: Column, where: str) -> str:
    """One of the URL spellings of a column's first page (same column for the spider)."""
    if col.via and where in ("nav", "hub", "sitemap", "home"):
        return col.via  # theme e: a redirect page in front of the list
    if col.style != "dir":
        sep = "&" if "?" in col.url or col.style == "gkmlpt" else "?"
        if col.style == "gkmlpt":
            return col.url
        variants = [col.url, f"{col.url}{sep}from={where}", f"{col.url}#main"]
        return variants[(col.cid + LINK_OFFSETS.get(where, 0)) % len(variants)]
    if col.url.endswith("index.html"):
        base = col.url[: -len("index.html")]
        variants = [col.url, f"{col.url}?from=nav", base, f"{col.url}#list"]
    elif col.ext != "html":  # theme e: index.shtml / index.htm
        index = f"index.{col.ext}"
        variants = [
            f"{col.url}{index}",
            col.url,
            f"{col.url}{index}?from={where}",
            f"{col.url}{index}#main",
        ]
    else:
        variants = [col.url, f"{col.url}index.html", f"{col.url}?from={where}", f"{col.url}#main"]
    return variants[(col.cid + LINK_OFFSETS.get(where, 0)) % len(variants)]


def chan_link(ch: Channel, where: str) -> str:
    return ch.url if where != "hub" else f"{ch.url}index.html"


def _entry_view(
    col: Column,
    e: Entry,
    spelling: str | None = None,
    rel: bool = False,
    today: dt.date | None = None,
) -> dict[str, Any]:
    href = e.path
    if rel and href.startswith(col.url.rsplit("/", 1)[0] + "/"):
        href = "./" + href[len(col.url.rsplit("/", 1)[0]) + 1 :]
    date = fmt_date(spelling or col.spelling, e.shown, e.hour, e.minute) if e.shown else ""
    year = (e.shown or e.visible or today or dt.date(2024, 1, 1)).year
    index_no = f"00258{col.cid:04d}/{year}-{zlib.crc32(e.path.encode()) % 90000 + 10000:05d}"
    return {
        "href": href,
        "title": e.title,
        "date": date,
        "pinned": e.pinned,
        "index_no": index_no,
        "org": ORGS[col.cid % len(ORGS)],
    }


class Renderer:
    """Routes a request path to a page of the live portal."""

    def __init__(self, portal: Portal, host: str = "127.0.0.1") -> None:
        self.portal = portal
        self.host = host
        self._articles: dict[str, tuple[Column, Entry]] = {}
        self._version = -1
        self._path = "/"  # theme f: the requested path decides how the charset is declared

    # -- routing ------------------------------------------------------------------
    def page(self, path: str, query: str = "") -> Page:
        with self.portal.lock:
            self._path = path
            return self._route(path, query)

    def _route(self, path: str, query: str) -> Page:
        portal = self.portal
        if path in ("/", "/index.html", "/index.htm"):
            return self._html(self.home())
        if path == "/css/style.css":
            css = TEMPLATES / "style.css"
            return Page(200, css.read_bytes(), "text/css")
        if path == PROXY:
            return self.dataproxy(parse_qs(query))
        if path.startswith("/images/") and path.endswith(".gif"):
            return Page(200, GIF, "image/gif")
        if portal.theme.layout.get("gbk_site") and path in (
            "/Template/Default/Skin/blue/default.css",
            "/js/jquery.pack.js",
            "/module/web/jpage/jpage.js",
        ):  # theme f's PowerEasy skin and scripts
            kind = "text/css" if path.endswith(".css") else "application/javascript"
            return Page(200, b"/* PowerEasy SiteFactory */\n", kind)
        if portal.theme.key == "d" and path.startswith("/hdjl/letter/"):
            letter = next((x for x in self.letters() if x["href"] == path), None)
            return self._html(self.letter(letter)) if letter else self.not_found()
        if path.startswith("/gkmlpt/api/all/"):
            return self.gkmlpt_api(path.rsplit("/", 1)[1], parse_qs(query))
        site_map = portal.theme.sitemap_url
        if path in (site_map, f"{site_map}index.html"):
            return self._html(self.sitemap())
        for ch in portal.all_channels():
            if path in (ch.url, f"{ch.url}index.html"):
                return self._html(self.channel(ch))
            if ch.pages and path == f"{ch.url}index.shtml":
                return self._html(self.channel(ch))
            for name, url in ch.pages:
                if path in (url, url.rsplit("/", 1)[0] + "/"):
                    return self._html(self.intro(ch, name, url))
        if path.startswith("/go/"):
            target = next((c for c in portal.live_columns() if c.via == path), None)
            if target is not None:
                return self._html(self.redirect(link(target, "crumb")))
        for col in portal.live_columns():
            page = (
                self._column_route(col, path)
                if col.style == "dir"
                else self._styled_route(col, path, query)
            )
            if page is not None:
                return page
        self._index_articles()
        found = self._articles.get(path)
        if found:
            if found[0].markup in ("mailbox", "solicit"):
                return self.message_page(*found)
            return self.article(*found)
        if "/feedback_" in path:
            return self.feedback_page(path) or self.not_found()
        if path in portal.served_files():  # a planted attachment (demo/linkplant.py)
            return Page(200, b"%PDF-1.4\n" + b"0" * 2048, "application/pdf")
        if path in portal.soft_404s():  # a removed article answered with 200 (linkplant)
            return self._html(self.gone())
        return self.not_found()

    def _column_route(self, col: Column, path: str) -> Page | None:
        base = col.url.rsplit("/", 1)[0] + "/"
        if not path.startswith(base):
            return None
        rest = path[len(base) :]
        if col.mode == "dead404":
            return self.not_found() if rest in ("", f"index.{col.ext}") else None
        if rest in ("", f"index.{col.ext}"):
            if col.mode == "error500":
                return Page(500, b"<html><body><h1>500 Internal Server Error</h1></body></html>")
            return self._col_html(col, self.column(col, 0))
        match = re.fullmatch(r"index_(\d+)\." + col.ext, rest)
        if (
            match
            and col.markup not in ("hanweb", "hanweb_pinned")
            and 0 < int(match.group(1)) < col.page_count
        ):
            return self._col_html(col, self.column(col, int(match.group(1))))
        if rest == "list_frame.html" and col.markup == "iframe":
            return self._col_html(col, self.frame(col))
        return None

    def _styled_route(self, col: Column, path: str, query: str) -> Page | None:
        """List pages of the non-directory URL styles (channel, jsp, PowerEasy, gkmlpt)."""
        index: int | None = None
        if col.style == "channel":
            stem = col.url[: -len(".html")]
            if path == col.url:
                index = 0
            else:
                match = re.fullmatch(re.escape(stem) + r"_(\d+)\.html", path)
                index = int(match.group(1)) - 1 if match else None
        elif col.style in ("jsp", "aspx"):
            want, key = col.url.split("?", 1)[0], "catid" if col.style == "jsp" else "ClassID"
            args = parse_qs(query)
            if path == want and args.get(key) == [col.url.rsplit("=", 1)[1]]:
                try:
                    index = int(args.get("page", ["1"])[0]) - 1
                except ValueError:
                    index = None
        elif col.style == "pe":
            base = col.url.rsplit("/", 1)[0] + "/"
            rest = path[len(base) :] if path.startswith(base) else None
            if rest in ("", "Index.aspx"):
                index = 0
            elif rest is not None:
                match = re.fullmatch(r"Index_(\d+)\.aspx", rest)
                index = int(match.group(1)) - 1 if match else None
        elif col.style == "gkmlpt" and path in ("/gkmlpt/index", "/gkmlpt/index.html", "/gkmlpt/"):
            return self._html(self.gkmlpt_app(col))
        if index is None or not 0 <= index < col.page_count or (index and col.mode != "normal"):
            return None
        if col.mode == "dead404":
            return self.not_found()
        if col.mode == "error500":
            return Page(500, b"<html><body><h1>500 Internal Server Error</h1></body></html>")
        return self._col_html(col, self.column(col, index))

    def page_url(self, col: Column, index: int) -> str:
        """Page ``index`` (0-based) of a column, relative to its first page."""
        if col.style == "channel":
            name = col.url.rsplit("/", 1)[1]
            return name if index == 0 else name.replace(".html", f"_{index + 1}.html")
        if col.style in ("jsp", "aspx"):
            name = col.url.rsplit("/", 1)[1]
            return name if index == 0 else f"{name}&page={index + 1}"
        if col.style == "pe":
            return "Index.aspx" if index == 0 else f"Index_{index + 1}.aspx"
        return f"index.{col.ext}" if index == 0 else f"index_{index}.{col.ext}"

    def _index_articles(self) -> None:
        if self._version == self.portal.version and self._articles:
            return
        self._articles = {
            e.path: (col, e)
            for col in self.portal.live_columns()
            if col.mode == "normal"
            for e in col.entries
        }
        self._version = self.portal.version

    # -- helpers ------------------------------------------------------------------
    def _html(self, text: str, charset: str = "utf-8") -> Page:
        if self.portal.theme.layout.get("gbk_site"):
            return self._gbk_page(text)
        codec = "gbk" if charset != "utf-8" else "utf-8"
        prefixes = self.portal.theme.layout.get("xxgk_prefixes", ())
        if prefixes:
            host = self.host
            alt = os.environ.get(XXGK_HOST_ENV)
            if alt:
                host = f"{alt}:{self.host.rsplit(':', 1)[1]}" if ":" in self.host else alt
            for prefix in prefixes:
                text = text.replace(f'href="{prefix}', f'href="http://{host}{prefix}')
        return Page(
            200,
            text.encode(codec, errors="xmlcharrefreplace"),
            f"text/html; charset={'gbk' if codec == 'gbk' else 'utf-8'}",
        )

    def _gbk_page(self, text: str) -> Page:
        """Theme f: every page is GBK; how (and whether) it says so depends on the page.

        header: ``Content-Type: text/html; charset=gbk`` plus the meta; meta: only
        ``<meta http-equiv ... charset=gb2312>``; html5: only ``<meta charset=gb2312>``;
        none: no charset anywhere (a reader must sniff the bytes).
        """
        path = self._path
        modes = ("header", "header", "meta", "header", "html5", "none", "meta")
        mode = "header" if path in ("/", "/index.html") else modes[zlib.crc32(path.encode()) % 7]
        meta = re.compile(
            r'<meta http-equiv="Content-Type" content="text/html; charset=[\w-]+"\s*/?>'
        )
        if mode == "html5":
            text = meta.sub("<meta charset=gb2312>", text, count=1)
        elif mode == "none":
            text = meta.sub("", text, count=1)
        ctype = "text/html; charset=gbk" if mode == "header" else "text/html"
        return Page(200, text.encode("gbk", errors="xmlcharrefreplace"), ctype)

    def _col_html(self, col: Column, text: str) -> Page:
        return self._html(text, "gb2312" if col.markup == "gbk" else "utf-8")

    def _base(self, title: str, charset: str = "utf-8", **extra: Any) -> dict[str, Any]:
        portal = self.portal
        if portal.theme.layout.get("gbk_site"):
            charset = "gb2312"
            extra = {"mega": self._mega(), **extra}
        return {
            "theme": portal.theme,
            "title": title,
            "charset": charset,
            "host": self.host,
            "site_code": f"33112{portal.seed % 10}0001",
            "clock": clock(portal.today),
            "today": portal.today,
            "nav": self._nav(),
            "letters": self.letters() if portal.theme.key == "d" else [],
            **extra,
        }

    def _nav(self) -> list[dict[str, Any]]:
        out = []
        for ch in self.portal.channels:
            children: list[dict[str, Any]] = [
                {"name": c.name, "href": link(c, "nav"), "children": []}
                for c in ch.live_columns("nav")
            ]
            children.extend({"name": name, "href": url, "children": []} for name, url in ch.pages)
            children.extend(
                {
                    "name": sub.name,
                    "href": sub.url,
                    "children": [
                        {"name": c.name, "href": link(c, "nav")} for c in sub.live_columns("nav")
                    ][:5],
                }
                for sub in ch.subs
            )
            out.append({"name": ch.name, "href": ch.url, "children": children})
        return out

    def _mega(self) -> list[dict[str, Any]]:
        """Theme f: the mega-menu's 最新信息 summaries, year-less (``11-20``), on every page."""
        out = []
        for ch in self.portal.channels:
            pool = [
                (e, c)
                for c in self.portal.live_columns()
                if c.section == ch.url and c.mode == "normal"
                for e in c.page(0)[:4]
                if not e.pinned and e.shown and e.shown <= self.portal.today
            ]
            pool.sort(key=lambda ec: (ec[0].shown, ec[1].cid), reverse=True)
            out.append(
                {"name": ch.name, "entries": [_entry_view(c, e, "%m-%d") for e, c in pool[:3]]}
            )
        return out

    def _crumbs(self, names: list[str], current: tuple[str, str] | None) -> list[tuple[str, str]]:
        crumbs: list[tuple[str, str]] = []
        channels = self.portal.channels
        for name in names:
            ch = next((c for c in channels if c.name == name), None)
            if ch is None:
                break
            crumbs.append((ch.name, ch.url))
            channels = ch.subs
        if current:
            crumbs.append(current)
        return crumbs

    # -- pages --------------------------------------------------------------------
    def home(self) -> str:
        portal = self.portal
        yearless = portal.theme.layout["home_yearless"]
        spelling = portal.theme.layout.get("home_spelling", "%m-%d") if yearless else "%Y-%m-%d"
        latest = [_entry_view(c, e, spelling) for c, e in latest_news(portal)]
        blocks = [
            {
                "name": c.name,
                "href": link(c, "home"),
                "entries": [_entry_view(c, e, "%Y-%m-%d") for e in entries],
            }
            for c, entries in home_blocks(portal)
        ]
        anchor = next((c for c in portal.live_columns() if c.category == "news"), None)
        interview = fmt_date("%Y年%m月%d日 %H时", portal.today + dt.timedelta(days=3), 15)
        return (
            _env(self.portal.theme.key)
            .get_template("home.html")
            .render(
                **self._base(portal.theme.site_name),
                latest=latest,
                blocks=blocks,
                latest_more=link(anchor, "home") if anchor else "/",
                interview=interview,
                quick=self._quick_links(),
            )
        )

    def _quick_links(self) -> list[dict[str, str]]:
        """Theme e: the 快速链接 icon grid, one column per listed category."""
        out = []
        for k, category in enumerate(self.portal.theme.layout.get("quick", ())):
            col = next(
                (
                    c
                    for c in self.portal.live_columns()
                    if c.category == category and c.mode == "normal" and "nav" in c.placement
                ),
                None,
            )
            if col is not None:
                out.append(
                    {
                        "name": col.name,
                        "href": link(col, "home"),
                        "icon": f"/images/kslj_{k + 1}.gif",
                    }
                )
        return out

    def sitemap(self) -> str:
        def cols(ch: Channel) -> list[dict[str, str]]:
            return [
                {"name": c.name, "href": link(c, "sitemap")} for c in ch.live_columns("sitemap")
            ]

        sections = [
            {
                "name": ch.name,
                "href": ch.url,
                "columns": cols(ch),
                "subs": [{"name": s.name, "href": s.url, "columns": cols(s)} for s in ch.subs],
            }
            for ch in self.portal.channels
        ]
        return (
            _env(self.portal.theme.key)
            .get_template("sitemap.html")
            .render(
                **self._base("网站地图"),
                sections=sections,
                crumbs=[("网站地图", self.portal.theme.sitemap_url)],
            )
        )

    def channel(self, ch: Channel) -> str:
        blocks = []
        for col in ch.live_columns("hub"):
            entries = []
            if col.mode == "normal":
                entries = [_entry_view(col, e, "%Y-%m-%d") for e in col.page(0)[:5] if not e.pinned]
            blocks.append(
                {
                    "name": col.name,
                    "href": link(col, "hub"),
                    "more": link(col, "hub"),
                    "entries": entries,
                    "links": [],
                }
            )
        blocks.extend(
            {
                "name": sub.name,
                "href": chan_link(sub, "hub"),
                "more": chan_link(sub, "hub"),
                "entries": [],
                "links": [
                    {"name": c.name, "href": link(c, "hub")} for c in sub.live_columns("nav")
                ],
            }
            for sub in ch.subs
        )
        extra: dict[str, Any] = {}
        if ch.own is not None:  # theme f: the hub's own article list (a column) above the blocks
            own = ch.own
            extra = {
                "own": own,
                "own_entries": [_entry_view(own, e) for e in own.page(0)],
                "own_pager": {
                    "count": own.page_count,
                    "index": 0,
                    "first": "index.html",
                    "prev": None,
                    "last": f"index_{own.page_count - 1}.html",
                    "next": "index_1.html" if own.page_count > 1 else None,
                },
            }
        return (
            _env(self.portal.theme.key)
            .get_template("channel.html")
            .render(
                **self._base(f"{ch.name}_{self.portal.theme.site_name}"),
                name=ch.name,
                blocks=blocks,
                crumbs=self._crumbs([*ch.path, ch.name], None),
                pages=ch.pages,
                **extra,
            )
        )

    def intro(self, ch: Channel, name: str, url: str) -> str:
        """Theme e: a static intro page (概况-like), linked like a column but with no list."""
        county = self.portal.theme.county
        return (
            _env(self.portal.theme.key)
            .get_template("intro.html")
            .render(
                **self._base(f"{name}_{self.portal.theme.site_name}"),
                name=name,
                county=county,
                side=[{"name": n, "href": u, "current": u == url} for n, u in ch.pages],
                side_title=ch.name,
                crumbs=self._crumbs([*ch.path, ch.name], (name, url)),
            )
        )

    def redirect(self, target: str) -> str:
        """Theme e: a 链接型栏目 jump page (meta refresh plus script)."""
        return (
            '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            f'<meta http-equiv="refresh" content="0;url={target}">'
            f'<script>window.location.href="{target}";</script></head>'
            f"<body>正在跳转，请稍候……</body></html>"
        )

    def _side(self, col: Column) -> tuple[str, list[dict[str, Any]]]:
        parent = next(ch for ch in self.portal.all_channels() if ch.url == col.parent)
        side = [
            {"name": c.name, "href": link(c, "side"), "current": c is col}
            for c in parent.live_columns("nav")
        ]
        return parent.name, side

    def column(self, col: Column, index: int) -> str:
        charset = "gb2312" if col.markup == "gbk" else "utf-8"
        spelling = {
            "td_md": "%m-%d",
            "jsarray": "%Y-%m-%d %H:%M",
            "avalon": "%Y-%m-%d",
            "poweredy": "%Y-%m-%d",
            "td_datetime": "%Y-%m-%d %H:%M:%S",
            "hanweb_pinned": "%Y-%m-%d",
        }.get(col.markup)
        if col.markup == "yearless":
            spelling = self.portal.theme.layout.get("yearless_spelling")  # theme e: 09/10
        entries = (
            []
            if col.mode != "normal"
            else [
                _entry_view(
                    col,
                    e,
                    spelling,
                    rel=col.markup in ("trs_table", "undated_url_trs", "avalon"),
                    today=self.portal.today,
                )
                for e in col.page(index)
            ]
        )
        if col.markup in ("mailbox", "solicit"):
            self._message_views(col, index, entries)
        if col.markup == "hanweb_pinned" and entries:  # theme f: only the pinned records
            entries = [_entry_view(col, e, spelling) for e in col.entries if e.pinned]
        if col.markup == "xxgk_wh":  # theme e: 文号 such as 青政发〔2026〕12号 (a year, no date)
            short = self.portal.theme.county[0]
            kinds = ("政发", "府办发", "政办字", "府字")
            for k, (view, e) in enumerate(zip(entries, col.page(index), strict=True)):
                n = zlib.crc32(e.path.encode()) % 97 + 1
                view["wh"] = "" if k % 4 == 3 else f"{short}{kinds[n % 4]}〔{e.shown.year}〕{n}号"
        count = col.page_count
        if col.style == "dir":
            ext = col.ext
            prev = f"index.{ext}" if index == 1 else f"index_{index - 1}.{ext}"
            pager = {
                "count": count,
                "index": index,
                "prev": prev if index else None,
                "next": f"index_{index + 1}.{ext}" if index + 1 < count else None,
                "last": f"index_{count - 1}.{ext}" if count > 1 else f"index.{ext}",
                "proxy": self._proxy_query(col),
                "first": f"index.{ext}",
                "ext": ext,
            }
        else:
            pager = {
                "count": count,
                "index": index,
                "first": self.page_url(col, 0),
                "prev": self.page_url(col, index - 1) if index else None,
                "next": self.page_url(col, index + 1) if index + 1 < count else None,
                "last": self.page_url(col, count - 1),
                "total": len(col.entries),
                "pages": [self.page_url(col, k) for k in range(min(count, 7))],
                "proxy": self._proxy_query(col),
            }
        pager["total"] = len(col.entries)
        pager["items_json"] = self._items_json(col, entries)
        side_title, side = self._side(col)
        extra: dict[str, Any] = {}
        if self.portal.theme.key in ("c", "d"):
            extra = {
                "section": self._section_tree(col),
                "total": len(col.entries),
                "chnlid": 1700 + col.cid,
                "items_json": self._items_json(col, entries),
            }
        return (
            _env(self.portal.theme.key)
            .get_template("column.html")
            .render(
                **self._base(f"{col.name}_{self.portal.theme.site_name}", charset),
                col=col,
                entries=entries,
                pager=pager,
                side=side,
                side_title=side_title,
                crumbs=self._crumbs(col.path, (col.name, col.url)),
                **extra,
            )
        )

    def _message_views(self, col: Column, index: int, entries: list[dict[str, Any]]) -> None:
        """A mailbox row's state and reply date, a 征集 row's period and 结果反馈 link."""
        first = index * col.per_page
        for k, view in enumerate(entries):
            if col.markup == "mailbox":
                letter = col.letters[first + k]
                view["state"] = "已回复" if letter.replied else ("办理中" if k % 2 else "未回复")
                shown = letter.replied if letter.replied and letter.reply_on_list else None
                view["replied"] = fmt_date("%Y-%m-%d", shown) if shown else ""
            else:
                item = col.solicitations[first + k]
                view["period"] = f"{item.start:%Y-%m-%d} 至 {item.ends:%Y-%m-%d}"
                view["state"] = "已结束" if item.ends < self.portal.today else "进行中"
                view["feedback"] = item.feedback if item.feedback_on_list else None

    def message_page(self, col: Column, e: Entry) -> Page:
        """A letter's page (来信内容, 回复内容) or a 征集's page (征集时间, 结果反馈)."""
        i = col.entries.index(e)
        context: dict[str, Any] = {
            "e": e,
            "col": col,
            "crumbs": self._crumbs(col.path, (col.name, link(col, "crumb"))),
        }
        if col.markup == "mailbox":
            letter = col.letters[i]
            context["letter"] = letter
            context["asked"] = fmt_date("%Y-%m-%d %H:%M", letter.asked, e.hour, e.minute)
            context["replied"] = fmt_date("%Y-%m-%d", letter.replied) if letter.replied else None
        else:
            context["item"] = col.solicitations[i]
        text = (
            _env(self.portal.theme.key)
            .get_template("message.html")
            .render(**self._base(f"{e.title}_{self.portal.theme.site_name}"), **context)
        )
        return self._html(text)

    def feedback_page(self, path: str) -> Page | None:
        """A 征集's 结果反馈 page."""
        for col in self.portal.live_columns():
            for item, e in zip(col.solicitations, col.entries, strict=False):
                if item.feedback == path:
                    text = (
                        _env(self.portal.theme.key)
                        .get_template("message.html")
                        .render(
                            **self._base(f"{e.title}结果反馈_{self.portal.theme.site_name}"),
                            e=e,
                            col=col,
                            feedback_of=item,
                            crumbs=self._crumbs(col.path, (col.name, link(col, "crumb"))),
                        )
                    )
                    return self._html(text)
        return None

    def _section_tree(self, col: Column) -> dict[str, Any]:
        """The column's whole top-level section (all columns, all sub-channels): a big side nav."""
        top = next(ch for ch in self.portal.channels if ch.url == col.section)

        def tree(ch: Channel) -> dict[str, Any]:
            return {
                "name": ch.name,
                "href": ch.url,
                "columns": [
                    {"name": c.name, "href": link(c, "side"), "current": c is col}
                    for c in ch.live_columns()
                ],
                "subs": [tree(sub) for sub in ch.subs],
            }

        return tree(top)

    @staticmethod
    def _items_json(col: Column, entries: list[dict[str, Any]]) -> str:
        """``var itemObj = [...]`` rows (国家疾控局 style) for the JS-array list."""
        if col.markup != "jsarray":
            return "[]"
        rows = [{"aT": e["title"], "aPd": e["date"], "aU": e["href"]} for e in entries]
        return json.dumps(rows, ensure_ascii=False).replace("</", "<\\/")

    def frame(self, col: Column) -> str:
        entries = [_entry_view(col, e) for e in col.page(0)]
        return (
            _env(self.portal.theme.key)
            .get_template("frame.html")
            .render(
                col=col,
                entries=entries,
                theme=self.portal.theme,
                charset="gb2312" if self.portal.theme.layout.get("gbk_site") else "utf-8",
            )
        )

    def _proxy_query(self, col: Column) -> str:
        return (
            f"{PROXY}?appid=1&webid=1&path=/&columnid={1200 + col.cid * 7}&unitid={col.unitid}"
            f"&webname={self.portal.theme.site_name}&permissiontype=0"
        )

    def dataproxy(self, query: dict[str, list[str]]) -> Page:
        try:
            columnid = int(query["columnid"][0])
            page = int(query.get("page", ["1"])[0])
        except (KeyError, ValueError):
            return Page(400, b"bad request", "text/plain")
        col = next(
            (
                c
                for c in self.portal.live_columns()
                if c.markup in ("hanweb", "hanweb_pinned") and 1200 + c.cid * 7 == columnid
            ),
            None,
        )
        if col is None:
            return self.not_found()
        if col.markup == "hanweb_pinned":  # theme f: the proxy pages the regular records
            rows = col.regular()[(page - 1) * col.per_page : page * col.per_page]
            entries = (
                [_entry_view(col, e, "%Y-%m-%d") for e in rows] if col.mode == "normal" else []
            )
            xml = (
                _env(self.portal.theme.key)
                .get_template("dataproxy.xml")
                .render(
                    total=len(col.regular()), pages=col.page_count, entries=entries, encoding="gbk"
                )
            )
            return Page(200, xml.encode("gbk", errors="xmlcharrefreplace"), "text/xml")
        entries = [_entry_view(col, e) for e in col.page(page - 1)] if col.mode == "normal" else []
        xml = (
            _env(self.portal.theme.key)
            .get_template("dataproxy.xml")
            .render(total=len(col.entries), pages=col.page_count, entries=entries)
        )
        return Page(200, xml.encode(), "text/xml; charset=utf-8")

    def article(self, col: Column, e: Entry) -> Page:
        charset = "gb2312" if col.markup == "gbk" else "utf-8"
        visible = None
        if e.visible:
            spelling = (
                "%Y年%m月%d日"
                if col.cid % 3 == 0
                else "%Y-%m-%d %H:%M"
                if col.cid % 3 == 1
                else "%Y-%m-%d"
            )
            visible = fmt_date(spelling, e.visible, e.hour, e.minute)
        pubdate = fmt_date("%Y-%m-%d %H:%M:%S", e.meta, e.hour, e.minute) if e.meta else None
        view = _entry_view(col, e, today=self.portal.today)
        text = (
            _env(self.portal.theme.key)
            .get_template("article.html")
            .render(
                **self._base(f"{e.title}_{self.portal.theme.site_name}", charset),
                col=col,
                e=e,
                visible=visible,
                pubdate=pubdate,
                org=view["org"],
                index_no=view["index_no"],
                xxgk=col.markup == "xxgk_table",
                attachments=[
                    (self.portal.link_url(x), x.text) for x in e.links if x.target.endswith(".pdf")
                ],
                related=[
                    (url, x.text)
                    for x in e.links
                    if not x.target.endswith(".pdf") and (url := self.portal.link_url(x))
                ],
                views=(col.cid * 37 + len(e.title) * 11) % 900 + 31,
                crumbs=self._crumbs(col.path, (col.name, link(col, "crumb"))),
            )
        )
        return self._html(text, charset)

    # -- theme d extras ----------------------------------------------------------------
    def letters(self) -> list[dict[str, Any]]:
        """政民互动 letters of the mega-menu: recent, year-less dates, on every page (noise)."""
        portal = self.portal
        towns = portal.theme.layout["town"]
        topics = ("道路破损", "路灯不亮", "噪音扰民", "农村饮水", "医保报销", "校车接送")
        out = []
        for k, days in enumerate((1, 2, 4, 6, 9, 13)):
            day = portal.today - dt.timedelta(days=days + portal.seed % 3)
            out.append(
                {
                    "title": f"关于{towns[k % len(towns)]}{topics[k]}问题的咨询",
                    "href": f"/hdjl/letter/{9100 + portal.seed * 10 + k}.html",
                    "date": f"[{day:%m-%d}]",
                    "day": day,
                }
            )
        return out

    def letter(self, letter: dict[str, Any]) -> str:
        return (
            _env(self.portal.theme.key)
            .get_template("letter.html")
            .render(
                **self._base(f"{letter['title']}_{self.portal.theme.site_name}"),
                letter=letter,
                reply=fmt_date("%Y-%m-%d", letter["day"] + dt.timedelta(days=1)),
                asked=fmt_date("%Y-%m-%d", letter["day"]),
            )
        )

    def gkmlpt_app(self, col: Column) -> str:
        """Guangdong gkmlpt: a hash-routed JS app; the HTML holds no list."""
        return (
            _env(self.portal.theme.key)
            .get_template("gkmlpt.html")
            .render(
                **self._base(f"政府信息公开_{self.portal.theme.site_name}"),
                col=col,
                sid=f"7550{self.portal.seed % 100:02d}",
            )
        )

    def gkmlpt_api(self, colid: str, query: dict[str, list[str]]) -> Page:
        col = next(
            (
                c
                for c in self.portal.live_columns()
                if c.style == "gkmlpt" and c.url.endswith(f"#{colid}")
            ),
            None,
        )
        if col is None:
            return self.not_found()
        try:
            page = int(query.get("page", ["1"])[0])
        except ValueError:
            return Page(400, b"bad request", "text/plain")
        shanghai = dt.timezone(dt.timedelta(hours=8))
        articles = [
            {
                "id": int(e.path.rsplit("_", 1)[1].split(".")[0]),
                "title": e.title,
                "url": e.path,
                "publish_time": int(
                    dt.datetime(
                        e.shown.year, e.shown.month, e.shown.day, e.hour, e.minute, tzinfo=shanghai
                    ).timestamp()
                ),
                "identifier": f"00725{col.cid:04d}/{e.shown.year}-{e.hour * 100 + e.minute:05d}",
            }
            for e in col.page(page - 1)
            if e.shown
        ]
        body = json.dumps(
            {"articles": articles, "total": len(col.entries), "page": page}, ensure_ascii=False
        )
        return Page(200, body.encode(), "application/json; charset=utf-8")

    def gone(self) -> str:
        """The CMS's own "页面不存在" page, answered with 200 and the site's layout."""
        return (
            _env(self.portal.theme.key)
            .get_template("gone.html")
            .render(**self._base(f"页面不存在_{self.portal.theme.site_name}"))
        )

    def not_found(self) -> Page:
        body = "<html><head><title>404 Not Found</title></head><body><h1>页面不存在</h1></body>"
        return Page(404, body.encode(), "text/html; charset=utf-8")
