"""An article page's publication date.

Order of trust, from the real pages: the *visible* labelled date (发布时间/发布日期/生成日期/
发文日期, then a bare 时间 label) beats ``<meta name="PubDate">`` and ``firstpublishedtime``,
which beat the date in the URL. Portals regenerate pages in batches and stamp the regeneration
time into PubDate (开普云 Jiangxi: PubDate 2022-04-24 on a page published 2017-05-15), so a meta
only counts when the page shows no date. Attribute values (``alt="时间：2017-11-08"``), scripts,
comments, 索引号 and the unlabelled header clock are never read. A date after *today* is a
data-entry error and is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..dates import date_at, date_in_url, is_update, parse_date
from .htmlutil import Document, element_text, metas, parse_html

__all__ = ["ArticleDate", "parse_article_date"]

# Strong labels name the publication; 成文日期 (drafting date) and 有效期 are not publication.
_STRONG_LABEL = re.compile(
    r"(?<!页面)(?:发\s*布\s*(?:时\s*间|日\s*期)|生\s*成\s*日\s*期|发\s*文\s*日\s*期|"
    r"公\s*开\s*日\s*期|发\s*稿\s*时\s*间|上\s*传\s*时\s*间|更\s*新\s*时\s*间)"
)
# A bare 时间/日期 label, not one of the event/interview/page-generation times.
_WEAK_LABEL = re.compile(
    r"(?<![访谈问答回复来信办结生效废止成文页面开始结束截止活动会议报名计])(?:时\s*间|日\s*期)"
)
# Elements that hold the publication date without a label (``<span id="pubtime">``).
_DATE_HOLDER = re.compile(
    r"pub_?time|pub_?date|publish_?(?:time|date)|release_?time|docreltime|fbsj|fbrq", re.I
)
# Page furniture whose dates are not the article's (visitor counters, copyright years).
_FURNITURE = re.compile(r"foot|bottom|copyright|banquan", re.I)
_GAP = re.compile(r"\s*[:：]?\s*[\[【(（]?\s*")
_META_KEYS = ("pubdate", "firstpublishedtime", "publishdate", "article:published_time", "pubtime")


@dataclass
class ArticleDate:
    """A publication date and where it came from: ``visible``, ``meta`` or ``url``."""

    date: date
    source: str


def _labelled(text: str, label: re.Pattern[str], today: date) -> date | None:
    """The first date written right after a label (colon and a bracket allowed between)."""
    for match in label.finditer(text):
        gap = _GAP.match(text, match.end())
        start = gap.end() if gap else match.end()
        value = date_at(text, start)
        if is_update(value, today):
            return value
    return None


def _drop_furniture(root) -> None:
    """Remove footers (counters, copyright years), unless one holds the 发布时间 itself."""
    doomed = [
        el
        for el in root.iter()
        if isinstance(el.tag, str)
        and el is not root
        and (el.tag == "footer" or _FURNITURE.search(f"{el.get('class', '')} {el.get('id', '')}"))
        and not _STRONG_LABEL.search(element_text(el))
    ]
    for el in doomed:
        if el.getparent() is not None:
            el.getparent().remove(el)


def _date_holder(root, today: date) -> date | None:
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if _DATE_HOLDER.search(f"{el.get('class', '')} {el.get('id', '')}"):
            value = parse_date(element_text(el), today)
            if is_update(value, today):
                return value
    return None


def parse_article_date(html: str | Document, url: str, today: date) -> ArticleDate | None:
    """The article's publication date, or None when the page shows, declares and encodes none.

    *html* may be the page's :class:`~.htmlutil.Document` (parsed once, shared).
    """
    # Modified below (page furniture dropped): a shared document lends a copy.
    root = html.tree() if isinstance(html, Document) else parse_html(html)
    if root is not None:
        body = root.find("body")
        _drop_furniture(body if body is not None else root)
        text = element_text(body if body is not None else root)
        for label in (_STRONG_LABEL, _WEAK_LABEL):
            value = _labelled(text, label, today)
            if value is not None:
                return ArticleDate(value, "visible")
        value = _date_holder(root, today)
        if value is not None:
            return ArticleDate(value, "visible")
        found = metas(root)
        for key in _META_KEYS:
            value = parse_date(found.get(key, ""), today)
            if is_update(value, today):
                return ArticleDate(value, "meta")
    value = date_in_url(url)
    if is_update(value, today):
        return ArticleDate(value, "url")
    return None
