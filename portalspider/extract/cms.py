"""CMS families whose list is invisible to plain HTML parsing, and their data responses.

* Hanweb 大汉: records sit in ``<script type="text/xml"><datastore>…<record><![CDATA[<li>…]]>``;
  further pages and empty datastores go through ``/module/web/jpage/dataproxy.jsp``.
* Fujian TRS + avalon: ``pageChnlInfo`` gives record count and page size; later pages only
  through ``POST /fjdzapp/search`` (JSON ``{data:[{doctitle, docpuburl, docreltime}], pageCount}``).
* Guangdong gkmlpt: ``/gkmlpt/index#<columnid>`` is a JS app; data from
  ``/gkmlpt/api/all/<columnid>?page=N&sid=<siteid>`` (JSON ``{articles:[…], total}``).
* JS array lists: ``var itemObj = [{"aT": title, "aPd": date, "aU": url}, …]``.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from ..dates import SHANGHAI, date_in_url, has_year, parse_date
from .entries import Entry, entry_from_element
from .htmlutil import absolute, clean_text, parse_fragment

__all__ = [
    "HanwebStore",
    "detect_cms",
    "entries_from_json",
    "find_hanweb_stores",
    "fujian_search",
    "gkmlpt_api_url",
    "js_array_entries",
]

_XML_SCRIPT = re.compile(
    r"<script[^>]*type\s*=\s*[\"']?text/xml[\"']?[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL
)
_DATASTORE = re.compile(r"<datastore>(.*?)</datastore>", re.IGNORECASE | re.DOTALL)
_RECORD = re.compile(r"<record>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</record>", re.I | re.S)
_NEXTGROUP = re.compile(
    r"<nextgroup>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</nextgroup>", re.I | re.S
)
_HREF = re.compile(r"href\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
_TAG_INT = {
    name: re.compile(rf"<{name}>\s*(\d+)\s*</{name}>", re.IGNORECASE)
    for name in ("totalpage", "totalrecord", "perpage")
}
_JS_PARAM = {
    name: re.compile(rf"\b{name}\b[\"']?\s*[:=]\s*[\"']?([^\"',;&}}\s]+)", re.IGNORECASE)
    for name in ("columnid", "unitid", "webid", "webname", "perpage", "appid", "path")
}
_FUJIAN_SEARCH_ID = re.compile(r"searchId\s*:\s*['\"]?(\d+)")
_FUJIAN_CLASSSQL = re.compile(r"classsql\s*:\s*(?:\"\"\s*\|\|\s*)?['\"]([^'\"]+)['\"]")
_FUJIAN_SORT = re.compile(r"sortfield\s*:\s*['\"]([^'\"]+)['\"]")
_JS_ARRAY = re.compile(r"var\s+(\w+)\s*=\s*(\[\s*\{.*?\}\s*\])\s*;?", re.DOTALL)
_JS_OBJECT = re.compile(r"\{[^{}]*\}", re.DOTALL)
_GKMLPT_SID = re.compile(r"\bsid\b[\"']?\s*[:=]\s*[\"']?(\d+)")

_TITLE_KEYS = ("title", "doctitle", "aT", "name", "docTitle", "subject")
_URL_KEYS = ("url", "docpuburl", "chnldocurl", "aU", "link", "href", "docurl", "puburl")
_DATE_KEYS = (
    "docreltime",
    "aPd",
    "publish_time",
    "display_publish_time",
    "first_publish_time",
    "pubDate",
    "pubdate",
    "publishTime",
    "publishDate",
    "releaseTime",
    "date",
    "time",
    "create_time",
    "docpubtime",
)
_LIST_KEYS = ("articles", "data", "list", "records", "rows", "items", "result", "docs", "datas")


def detect_cms(html: str, url: str, lowered: bytes | None = None) -> str | None:
    """The CMS family from fingerprints in the page and its URL, or None.

    *lowered*: the page's UTF-8 bytes, lower-cased, when the caller has them (the list
    reader): the ASCII fingerprints are searched in bytes, a third of the text's cost.
    """
    low = lowered if lowered is not None else html.encode("utf-8", "ignore").lower()
    if b"pagechnlinfo" in low or b"list2.trsapi" in low or b"/fjdzapp/" in low:
        return "fujian"
    if "/gkmlpt/" in url or b"gkmlpt" in low:
        return "gkmlpt"
    if (
        b"<datastore>" in low
        or b"/module/web/jpage/" in low
        or b"/module/jslib/" in low
        or re.search(r"/col/col\d+/", url)
    ):
        return "hanweb"
    if b"pe.begin.pagination" in low or _POWEREASY_PATHS.search(low):
        return "poweredy"
    if b"<ucaptitle" in low or b"templategroup" in low or b"<publishtime" in low:
        return "ucap"
    if (
        b"createpagehtml" in low
        or b"countpage" in low
        or b"currchnlcls" in low
        or _TRS_ARTICLE_PATH.search(low)
    ):
        return "trs"
    if "索引号" in html and ("发布机构" in html or "生成日期" in html):
        return "xxgk"
    return None


_POWEREASY_PATHS = re.compile(rb"/category_\d+/|/item/\d+\.aspx|/template/default/skin/")
_TRS_ARTICLE_PATH = re.compile(rb"/t\d{8}_\d+\.s?html?")


class HanwebStore:
    """One ``<datastore>``: its records, paging numbers and dataproxy URL."""

    def __init__(self, xml: str, base: str, today: date) -> None:
        self.entries: list[Entry] = []
        for match in _RECORD.finditer(xml):
            fragment = parse_fragment(match.group(1) or match.group(2) or "")
            if fragment is None:
                continue
            items = [el for el in fragment.iter("li", "tr") if el is not fragment] or [fragment]
            for item in items:
                entry = entry_from_element(item, base, today)
                if entry is not None:
                    self.entries.append(entry)
        ints = {name: pattern.search(xml) for name, pattern in _TAG_INT.items()}
        self.total_page = int(ints["totalpage"].group(1)) if ints["totalpage"] else None
        self.total_record = int(ints["totalrecord"].group(1)) if ints["totalrecord"] else None
        self.per_page = int(ints["perpage"].group(1)) if ints["perpage"] else None
        self.next_url: str | None = None
        group = _NEXTGROUP.search(xml)
        if group:
            href = _HREF.search(group.group(1) or group.group(2) or "")
            if href:
                self.next_url = absolute(base, href.group(1).replace("&amp;", "&"))

    def column_id(self) -> str | None:
        if self.next_url:
            return dict(parse_qsl(urlsplit(self.next_url).query)).get("columnid")
        return None


def find_hanweb_stores(html: str, base: str, today: date) -> list[HanwebStore]:
    """Every datastore in the page (script-embedded or bare), in page order."""
    stores: list[HanwebStore] = []
    blocks = [m.group(1) for m in _XML_SCRIPT.finditer(html)]
    if not blocks and "<datastore>" in html.lower():
        blocks = [html]
    for block in blocks:
        for match in _DATASTORE.finditer(block):
            stores.append(HanwebStore(match.group(1), base, today))
    return stores


def with_page(url: str, page: int) -> str:
    """*url* with its ``page`` query parameter set (Hanweb dataproxy, gkmlpt api)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    query.insert(0, ("page", str(page)))
    return urlunsplit(parts._replace(query=urlencode(query, safe="/")))


def hanweb_dataproxy_url(html: str, base: str) -> str | None:
    """A GET dataproxy URL for page 1 built from ``columnid``/``unitid`` in the page scripts."""
    params = {}
    for name, pattern in _JS_PARAM.items():
        match = pattern.search(html)
        if match:
            params[name] = match.group(1)
    if "columnid" not in params:
        col = re.search(r"/col/col(\d+)/", base)
        if col:
            params["columnid"] = col.group(1)
    if "columnid" not in params or "unitid" not in params:
        return None
    query = {
        "page": "1",
        "appid": params.get("appid", "1"),
        "webid": params.get("webid", "1"),
        "path": "/",
        "columnid": params["columnid"],
        "unitid": params["unitid"],
        "webname": params.get("webname", ""),
        "permissiontype": "0",
    }
    return urljoin(base, "/module/web/jpage/dataproxy.jsp?" + urlencode(query, safe="/"))


def fujian_search(html: str, base: str, page: int) -> tuple[str, dict[str, str]] | None:
    """The POST URL and form for page *page* of a Fujian ``/fjdzapp/search`` list."""
    search_id, classsql = _FUJIAN_SEARCH_ID.search(html), _FUJIAN_CLASSSQL.search(html)
    if not search_id or not classsql:
        return None
    per_page = re.search(r"\bprepage\s*[:=]\s*['\"]?(\d+)", html)
    sort = _FUJIAN_SORT.search(html)
    form = {
        "channelid": search_id.group(1),
        "classsql": classsql.group(1),
        "page": str(page),
        "prepage": per_page.group(1) if per_page else "15",
        "sortfield": sort.group(1) if sort else "-docorderpri,-docreltime",
    }
    return urljoin(base, "/fjdzapp/search"), form


def gkmlpt_api_url(html: str, url: str) -> str | None:
    """``/gkmlpt/api/all/<columnid>?page=1&sid=<siteid>`` for a gkmlpt column URL."""
    column = re.search(r"/gkmlpt/(?:index)?#(\d+)", url) or re.search(r"/gkmlpt/api/all/(\d+)", url)
    sid = _GKMLPT_SID.search(html)
    if not column or not sid:
        return None
    return urljoin(url, f"/gkmlpt/api/all/{column.group(1)}?page=1&sid={sid.group(1)}")


def _value_date(value: object, today: date) -> tuple[date | None, bool]:
    """A JSON date value: ``"2025-03-21 10:00"``, epoch seconds or milliseconds."""
    if isinstance(value, bool) or value is None:
        return None, False
    numeric = isinstance(value, str) and value.isdigit() and len(value) >= 9
    if isinstance(value, int | float) or numeric:
        stamp = float(value)
        if stamp > 1e11:
            stamp /= 1000
        try:
            return datetime.fromtimestamp(stamp, SHANGHAI).date(), True
        except (OverflowError, OSError, ValueError):
            return None, False
    text = str(value)
    return parse_date(text, today), has_year(text)


def entry_from_mapping(row: dict, base: str, today: date) -> Entry | None:
    """An entry from one JSON/JS object, using the first known key of each kind."""
    title = next((clean_text(str(row[k])) for k in _TITLE_KEYS if row.get(k)), "")
    href = next((str(row[k]) for k in _URL_KEYS if row.get(k)), None)
    url = absolute(base, href)
    if url is None:
        return None
    shown, full = None, False
    for key in _DATE_KEYS:
        if row.get(key) not in (None, ""):
            shown, full = _value_date(row[key], today)
            if shown is not None:
                break
    return Entry(title=title, url=url, date=shown, url_date=date_in_url(url), date_has_year=full)


def _find_rows(data: object) -> list[dict]:
    if isinstance(data, list):
        return [row for row in data if isinstance(row, dict)]
    if isinstance(data, dict):
        for key in _LIST_KEYS:
            if key in data:
                rows = _find_rows(data[key])
                if rows:
                    return rows
    return []


def entries_from_json(data: object, base: str, today: date) -> tuple[list[Entry], int | None]:
    """Entries and page count from a gkmlpt / Fujian search / generic JSON list reply."""
    rows = _find_rows(data)
    entries = [e for e in (entry_from_mapping(row, base, today) for row in rows) if e is not None]
    pages: int | None = None
    if isinstance(data, dict):
        containers = [data] + [v for v in data.values() if isinstance(v, dict)]
        for box in containers:
            for key in ("pageCount", "totalPage", "totalpage", "total_page", "pages", "pagecount"):
                if isinstance(box.get(key), int | str) and str(box[key]).isdigit():
                    pages = int(box[key])
                    break
            if pages is None and str(box.get("total", "")).isdigit() and rows:
                pages = math.ceil(int(box["total"]) / len(rows))
            if pages is not None:
                break
    return entries, pages


def js_array_entries(scripts: str, base: str, today: date) -> list[Entry]:
    """Entries from ``var x = [{…}, …]`` arrays with title/url/date keys (国家疾控局 style)."""
    best: list[Entry] = []
    for match in _JS_ARRAY.finditer(scripts):
        found: list[Entry] = []
        for obj in _JS_OBJECT.finditer(match.group(2)):
            try:
                row = json.loads(obj.group(0))
            except ValueError:
                continue
            if isinstance(row, dict):
                entry = entry_from_mapping(row, base, today)
                if entry is not None:
                    found.append(entry)
        if sum(e.date is not None for e in found) > sum(e.date is not None for e in best):
            best = found
    return best
