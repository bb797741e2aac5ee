"""Pages that answer 200 but are no content: error, maintenance and anti-bot pages, and
list pages whose rows only a browser would see (script-loaded lists, captchas).

A portal's "页面不存在" page answered with 200, a 系统维护 page or a JS challenge (Ruishu
``$_ts``, 加速乐 ``__jsl_clearance``) must never be read as a column: its chrome dates
would make the column stale, its empty body blank. The crawl reports such a page
``unreachable`` with the reason from here, addressed to the webmaster (issue 13 item 4,
issue 9 item 10). Pure functions of the page text, so they are tested on fixtures.
"""

from __future__ import annotations

import re

from portalspider.extract.htmlutil import INLINE_SCRIPT, Document, clean_text, visible_text

__all__ = ["challenge_reason", "error_page_reason", "message_page_reason", "script_list_reason"]

#: An error or maintenance page shows little besides its message.
SHORT_PAGE_CHARS = 500

# In a page title, these name an error page whatever its length.
_TITLE_ERROR = re.compile(
    r"页面不存在|页面未找到|找不到(?:您要访问的|该|此|网)?页|\b40[34]\b|\b50[023]\b|not found|"
    r"forbidden|service unavailable|bad gateway|internal server error|系统维护|维护中|升级维护|"
    r"暂停(?:访问|服务)|访问受限|无权访问|禁止访问|拒绝访问|访问出错|出错了|错误页",
    re.IGNORECASE,
)
# In the text of a short page.
_TEXT_ERROR = re.compile(
    r"页面不存在|页面未找到|找不到(?:您要访问的|该|此|网)?页|您(?:所)?访问的(?:页面|网页|内容)"
    r".{0,12}(?:不存在|已删除|已失效|已过期|无法找到)|\b404\b|\b403\b|not found|forbidden|"
    r"系统(?:正在)?(?:升级)?维护|正在维护|维护中|暂停(?:访问|服务)|访问受限|无权访问|"
    r"没有(?:访问)?权限|禁止访问|拒绝访问",
    re.IGNORECASE,
)
_RUISHU = re.compile(r"\$_ts\s*=|\$_ts\s*\.|window\[['\"]\$_ts['\"]\]")
# 加速乐 spells its cookie name out one character at a time: ('_')+('_')+('j')+('s')+('l').
_JSL = re.compile(r"__jsl_clearance|__jsluid|\('_'\)\s*\+\s*\('_'\)\s*\+\s*\('j'\)\s*\+\s*\('s'\)")
_CHALLENGE_TEXT = re.compile(r"安全验证|人机验证|请开启JavaScript|浏览器安全检查|正在验证", re.I)

_XHR = re.compile(
    r"XMLHttpRequest|\bfetch\s*\(|\$\.(?:ajax|get|post|getJSON)\s*\(|jQuery\.(?:ajax|get|post)\s*\("
    r"|\baxios\b|\.load\s*\(\s*['\"]"
)
_LIST_NAME = re.compile(r"list|data|news|result|items|article|table|content|info|xxgk|rows", re.I)
_LIST_API = re.compile(r"list|query|search|page|data|column|getinfo|channel|article", re.I)
_CAPTCHA_TEXT = re.compile(r"验证码|captcha", re.IGNORECASE)
_CAPTCHA_IMG = re.compile(r"<img\b[^>]*(?:captcha|verify|yzm|validate|checkcode)", re.IGNORECASE)


def _title(html: str) -> str:
    found = re.search(r"<title[^>]*>(.*?)</title>", html, re.IGNORECASE | re.DOTALL)
    return clean_text(found.group(1)) if found else ""


def challenge_reason(page: str | Document) -> str | None:
    """An anti-bot JS challenge a crawler cannot pass, or None."""
    doc = Document.of(page)
    scripts = doc.scripts
    if _RUISHU.search(scripts):
        return "anti-bot challenge (Ruishu $_ts script)"
    if _JSL.search(scripts):
        return "anti-bot challenge (加速乐 __jsl_clearance cookie)"
    short = scripts and doc.text_shorter_than(SHORT_PAGE_CHARS)
    if short and _CHALLENGE_TEXT.search(doc.visible_text):
        return "anti-bot challenge (browser check)"
    return None


def error_page_reason(page: str | Document) -> str | None:
    """Why this 200 page is an error, maintenance or challenge page; None for content."""
    doc = Document.of(page)
    return challenge_reason(doc) or message_page_reason(doc)


def message_page_reason(page: str | Document) -> str | None:
    """Why this 200 page says it is an error or maintenance page (页面不存在, 404, 系统维护 …),
    challenges aside; None for content. The link check's soft 404: a challenge blocks the
    crawler, it does not say the page is gone.

    The title decides alone; the text only on a short page (a portal's list page carries
    its navigation and rows, far more than an error message).
    """
    doc = Document.of(page)
    title = _title(doc.html)
    hit = _TITLE_ERROR.search(title)
    if hit:
        return f"error page: {title[:80]}"
    if doc.text_shorter_than(SHORT_PAGE_CHARS):
        text = doc.visible_text
        hit = _TEXT_ERROR.search(text)
        if hit:
            return f"error page: {_snippet(text, hit.start())}"
    return None


def script_list_reason(page: str | Document) -> str | None:
    """Why a list page with no rows is not blank: its rows come by script or behind a check.

    For a page already read as listing nothing (no entries, no known CMS data store):
    a challenge, a captcha, or an empty list container with a script fetching rows
    (XHR, ``fetch``, ``$.ajax``, ``axios``) to a list API. None when the page is truly empty.
    """
    doc = Document.of(page)
    html = doc.html
    challenge = challenge_reason(doc)
    if challenge:
        return challenge
    if _CAPTCHA_TEXT.search(doc.visible_text) and (
        _CAPTCHA_IMG.search(html) or re.search(r"<input\b", html, re.IGNORECASE)
    ):
        return "list behind a captcha (no rows in the page)"
    scripts = [s for s in INLINE_SCRIPT.findall(html) if _XHR.search(s)]
    if not scripts:
        return None
    names = _empty_containers(doc)
    code = " ".join(scripts)
    if any(name in code for name in names) or (names and _LIST_API.search(code)):
        return "list loaded by script (no rows in the page)"
    return None


def _empty_containers(doc: Document) -> list[str]:
    """ids and classes of list-like elements with no visible text: where a script puts rows."""
    root = doc.root
    if root is None:
        return []
    names: list[str] = []
    for element in root.iter("ul", "ol", "tbody", "table", "div", "dl", "section"):
        labels = [element.get("id") or "", *(element.get("class") or "").split()]
        labels = [label for label in labels if label and _LIST_NAME.search(label)]
        if labels and not clean_text(visible_text(element)) and element.find(".//a") is None:
            names.extend(labels)
    return names


def _snippet(text: str, at: int) -> str:
    start = max(0, at - 20)
    return text[start : at + 40].strip()
