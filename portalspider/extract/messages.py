"""Letters of a consultation column (领导信箱, 在线咨询, 留言) and 征集 of a 征集调查 column.

Three common markups (fixtures ``tests/fixtures/synthetic/messages_*.html``):

* a table whose header names the ask date (留言时间, 提问时间, 来信时间…) and usually a status
  (状态, 办理状态) and a reply date (回复时间, 答复时间, 办结时间);
* a list (``li``/``div``/``dl``) whose rows carry a status word (已回复, 未回复, 办理中…) and
  the ask date, sometimes a labelled reply date;
* the letter's own page: labelled dates (来信时间：…, 回复时间：…) and the 来信内容 /
  回复内容 blocks.

A page that shows none of this is no letter list (an ordinary article list under a
consultation-looking name): it yields no letters and ``shaped`` is false, so nothing is
judged from it (a plain dated list would otherwise read as "unanswered").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import lxml.html

from portalspider.dates import date_at, parse_date
from portalspider.discovery import in_page_furniture, is_page_furniture
from portalspider.extract.htmlutil import (
    Document,
    absolute,
    base_url,
    clean_text,
    element_text,
    parse_html,
    text_content,
)

#: Reply states as letter lists write them.
ANSWERED_WORDS = ("已回复", "已答复", "已办结", "已处理", "已反馈", "已回应", "办结", "已完成")
PENDING_WORDS = (
    "未回复",
    "未答复",
    "未办结",
    "待回复",
    "待答复",
    "待处理",
    "办理中",
    "处理中",
    "受理中",
    "已受理",
    "转办中",
    "正在办理",
    "未处理",
    "暂无回复",
)
ANSWERED, PENDING = "answered", "pending"

_ASK = r"(?:留言|提问|来信|咨询|写信|提交|信件|诉求|投诉)(?:时间|日期)"
_REPLY = r"(?:回复|答复|办结|回应|反馈|处理)(?:时间|日期)"
_ASK_HEADERS = re.compile(rf"^{_ASK}$|^(?:提问|来信|留言)$")
_REPLY_HEADERS = re.compile(rf"^{_REPLY}$")
_STATUS_HEADERS = re.compile(r"^(?:办理|处理|回复|答复)?(?:状态|情况)$")
_TITLE_HEADERS = ("标题", "主题", "信件标题", "留言标题", "事项", "内容", "咨询标题", "名称")
_LABELLED = re.compile(rf"({_ASK}|{_REPLY})\s*[:：]?\s*")
_REPLY_BLOCK = re.compile(r"(?:回复|答复|办理)(?:内容|意见|结果)\s*[:：]?\s*")
_NO_REPLY_TEXT = re.compile(r"^(?:$|暂无|无$|尚未|未|待|正在办理|—|-)")

# 征集: the period, its end, and the published result.
_RANGE = re.compile(r"(?:至|到|—|－|–|~|～)\s*")
_END_LABEL = re.compile(r"(?:截止|结束)(?:时间|日期)\s*[:：]?\s*")
_PERIOD_LABEL = re.compile(r"(?:征集|征求意见|调查|意见反馈)(?:时间|期限|日期|时段)\s*[:：]?\s*")
# Characters a 征集 row's text holds (a word of the loop's test, else an end date: a year
# 19xx/20xx after a range or an end label): a leaf whose raw text, a superset of its
# visible text's characters, holds none of them is passed over without reading the latter.
_ROW_WORD = re.compile("[征意调]")
_ROW_END = re.compile("[至到—－–~～截结]")
_YEAR_DIGIT = re.compile("[12]")
_FEEDBACK_WORDS = re.compile(r"结果反馈|征集结果|反馈情况|采纳情况|意见采纳|结果公布|调查结果")
_NO_FEEDBACK = re.compile(r"暂无|未反馈|待反馈|无$")
# What a 结果反馈 entry's title may add to its 征集's name, and a name quoted in 《》.
_NAME_NOISE = re.compile(
    r"关于|公开|征求|征集|意见|建议|问卷|调查|结果|反馈|情况|采纳|公布|的|[《》“”\"'（）()：:，,。\s]"
)
_QUOTED = re.compile(r"《([^》]{2,})》")


@dataclass(frozen=True)
class Letter:
    """One letter as a list row (or its own page) shows it."""

    url: str
    title: str
    asked: date | None
    replied: date | None = None
    state: str | None = None  # answered | pending | None (not shown)


@dataclass(frozen=True)
class LetterList:
    letters: list[Letter]
    shaped: bool  # the page is a letter list (headers or status words): letters are judged


@dataclass(frozen=True)
class LetterPage:
    """What a letter's own page adds: its dates and whether it shows a reply."""

    asked: date | None
    replied: date | None
    state: str | None


@dataclass(frozen=True)
class Solicitation:
    """One 征集: its period's end and a published 结果反馈 link, as its row shows them."""

    url: str
    title: str
    start: date | None
    ends: date | None
    feedback_url: str | None = None


def reply_state(text: str) -> str | None:
    """answered | pending from a status word in ``text`` (pending words first: 未办结)."""
    squeezed = text.replace(" ", "")
    if any(w in squeezed for w in PENDING_WORDS):
        return PENDING
    if any(w in squeezed for w in ANSWERED_WORDS):
        return ANSWERED
    return None


def _header_index(texts: list[str], pattern: re.Pattern[str]) -> int | None:
    for i, text in enumerate(texts):
        if pattern.match(text):
            return i
    return None


def _main_link(element: lxml.html.HtmlElement, base: str) -> tuple[str, str] | None:
    best = None
    for link in element.iter("a"):
        url = absolute(base, link.get("href"))
        text = clean_text(link.get("title")) or clean_text(link.text_content())
        if url and text and (best is None or len(text) > len(best[1])):
            best = (url, text)
    return best


def _labelled(text: str, today: date) -> tuple[date | None, date | None]:
    """(asked, replied) from labels such as 留言时间：2026-01-02 回复时间：2026-01-09."""
    asked = replied = None
    for match in _LABELLED.finditer(text):
        value = date_at(text, match.end())
        if value is None:
            continue
        if re.match(_ASK, match.group(1)):
            asked = asked or value
        else:
            replied = replied or value
    return asked, replied


def _tables(root: lxml.html.HtmlElement, base: str, today: date) -> list[Letter] | None:
    for table in root.iter("table"):
        rows = [tr for tr in table.iter("tr") if _nearest(tr, "table") is table]
        cols: dict[str, int | None] | None = None
        letters: list[Letter] = []
        for row in rows:
            cells = [c for c in row if c.tag in ("td", "th")]
            texts = [clean_text(c.text_content()).replace(" ", "") for c in cells]
            if cols is None:
                ask = _header_index(texts, _ASK_HEADERS)
                if ask is not None:
                    cols = {
                        "ask": ask,
                        "reply": _header_index(texts, _REPLY_HEADERS),
                        "status": _header_index(texts, _STATUS_HEADERS),
                    }
                continue
            link = _main_link(row, base)
            if link is None or len(cells) <= (cols["ask"] or 0):
                continue
            reply_i, status_i = cols["reply"], cols["status"]
            replied = (
                parse_date(texts[reply_i], today)
                if reply_i is not None and reply_i < len(texts)
                else None
            )
            state = (
                reply_state(texts[status_i])
                if status_i is not None and status_i < len(texts)
                else None
            )
            if state is None and replied is not None:
                state = ANSWERED
            if state is None and reply_i is not None and status_i is None:
                state = PENDING  # a reply column left empty: not answered
            letters.append(
                Letter(link[0], link[1], parse_date(texts[cols["ask"]], today), replied, state)
            )
        if cols is not None:
            return letters
    return None


def _nearest(element: lxml.html.HtmlElement, tag: str) -> lxml.html.HtmlElement | None:
    parent = element.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


_ROW_TAGS = ("li", "tr", "dl", "div", "p")


def _rows_with_status(root: lxml.html.HtmlElement, base: str, today: date) -> list[Letter]:
    """List rows carrying a status word: the innermost element holding a link and the word."""
    found: list[lxml.html.HtmlElement] = []
    for element in root.iter(*_ROW_TAGS):
        if element.find(".//a") is None:
            continue
        text = element_text(element)
        if reply_state(text) is None or len(text) > 400:
            continue
        found.append(element)
    inner = {id(e) for e in found}
    for element in found:  # keep the innermost: drop any row that holds another
        for ancestor in element.iterancestors():
            inner.discard(id(ancestor))
    letters: dict[str, Letter] = {}
    for element in found:
        if id(element) not in inner:
            continue
        link = _main_link(element, base)
        if link is None:
            continue
        text = element_text(element)
        asked, replied = _labelled(text, today)
        if asked is None:
            asked = parse_date(text, today)
        state = reply_state(text)
        letters.setdefault(link[0], Letter(link[0], link[1], asked, replied, state))
    return list(letters.values())


def parse_letter_list(html: str | Document, url: str, today: date) -> LetterList:
    """The letters a list page shows (see the module docstring for the markups).

    *html* may be the column page's :class:`Document`, parsed once for every reader."""
    root = Document.of(html).root
    if root is None:
        return LetterList([], shaped=False)
    base = base_url(root, url)
    table = _tables(root, base, today)
    if table is not None:
        return LetterList(table, shaped=True)
    rows = _rows_with_status(root, base, today)
    return LetterList(rows, shaped=bool(rows))


def parse_letter_page(html: str, today: date) -> LetterPage:
    """A letter's own page: labelled dates, a status word, a non-empty 回复内容 block."""
    root = parse_html(html)
    if root is None:
        return LetterPage(None, None, None)
    text = element_text(root.find("body") if root.find("body") is not None else root)
    asked, replied = _labelled(text, today)
    state = reply_state(text[:2000]) if replied is None else ANSWERED
    block = _REPLY_BLOCK.search(text)
    if state is None and block is not None:
        after = text[block.end() : block.end() + 40].strip()
        state = PENDING if _NO_REPLY_TEXT.match(after) else ANSWERED
    if replied is not None:
        state = ANSWERED
    return LetterPage(asked, replied, state)


def _period(text: str, today: date) -> tuple[date | None, date | None]:
    """(start, end) from 征集时间：A至B, 截止时间：B, or a bare A至B."""
    end_label = _END_LABEL.search(text)
    if end_label:
        end = date_at(text, end_label.end())
        if end is not None:
            start_m = _PERIOD_LABEL.search(text)
            start = date_at(text, start_m.end()) if start_m else None
            return start, end
    for match in _RANGE.finditer(text):
        end = date_at(text, match.end())
        if end is None:
            continue
        head = text[: match.start()].rstrip()
        start = None
        for cut in range(max(0, len(head) - 20), len(head)):
            start = date_at(head, cut)
            if start is not None:
                break
        if start is not None:
            return start, end
    return None, None


def _feedback_links(element: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """结果反馈 links under ``element``, page furniture left out: a menu's 结果反馈 column
    is no feedback on any one 征集."""
    found = []
    for link in element.iter("a"):
        text = clean_text(link.get("title")) or clean_text(text_content(link))
        if (
            text
            and _FEEDBACK_WORDS.search(text)
            and not _NO_FEEDBACK.search(text)
            and not in_page_furniture(link)
        ):
            found.append(link)
    return found


def _feedback_link(element: lxml.html.HtmlElement, base: str) -> str | None:
    links = _feedback_links(element)
    return absolute(base, links[0].get("href")) if links else None


def _names(text: str, title: str) -> bool:
    """Whether a 结果反馈 entry's text names the 征集 titled ``title``: the same 《…》, else
    the title's words beyond 关于/征集/意见… (at least four characters of them)."""
    quoted = _QUOTED.findall(title)
    if quoted:
        return any(f"《{q}》" in text for q in quoted)
    core = _NAME_NOISE.sub("", title)
    return len(core) >= 4 and core in _NAME_NOISE.sub("", text)


def _feedback_entries(
    root: lxml.html.HtmlElement, base: str, rows: dict[str, Solicitation]
) -> dict[str, str]:
    """征集 URL → the 结果反馈 entry of the list tied to it: an entry of its own (a 结果反馈
    column's or the list's) that names the 征集 or links to it."""
    tied: dict[str, str] = {}
    for link in _feedback_links(root):
        url = absolute(base, link.get("href"))
        if not url or url in rows:
            continue
        text = clean_text(link.get("title")) or clean_text(link.text_content())
        entry = next((a for a in link.iterancestors("li", "tr", "dl", "p")), None)
        linked = (
            {absolute(base, a.get("href")) for a in entry.iter("a")} if entry is not None else set()
        )
        for key, row in rows.items():
            if (
                row.feedback_url is None
                and key not in tied
                and (key in linked or _names(text, row.title))
            ):
                tied[key] = url
                break
    return tied


def parse_solicitation_list(html: str | Document, url: str, today: date) -> list[Solicitation]:
    """Rows of a 征集调查 list: title link, period (start/end) and a 结果反馈 link if shown.

    Empty unless some row shows a period or a 结果反馈 link (else it is an article list).
    *html* may be the column page's :class:`Document`, parsed once for every reader.
    """
    root = Document.of(html).root
    if root is None:
        return []
    base = base_url(root, url)
    out: dict[str, Solicitation] = {}
    for element in root.iter("li", "tr", "dl"):
        if any(True for _ in element.iterdescendants("li", "tr", "dl")):
            continue
        links = [a for a in element.iter("a") if a.get("href")]
        if not links:
            continue
        raw = text_content(element)
        if not _ROW_WORD.search(raw) and not (_ROW_END.search(raw) and _YEAR_DIGIT.search(raw)):
            continue  # as below: no word, no end date
        text = element_text(element)
        start, end = _period(text, today)
        # Menu and list items that name no 征集 are passed before their links are read.
        if "征集" not in text and "意见" not in text and "调查" not in text and end is None:
            continue
        feedback = _feedback_link(element, base)
        title_links = [
            a
            for a in links
            if not _FEEDBACK_WORDS.search(clean_text(text_content(a)) or "")
            and clean_text(text_content(a))
        ]
        if not title_links:
            continue
        main = max(title_links, key=lambda a: len(clean_text(text_content(a))))
        link_url = absolute(base, main.get("href"))
        if not link_url:
            continue
        title = clean_text(main.get("title")) or clean_text(text_content(main))
        if start is None and end is None:
            start = parse_date(text, today)
            if start is None:  # a menu or side-navigation entry, no 征集
                continue
        out.setdefault(link_url, Solicitation(link_url, title, start, end, feedback))
    if not out:
        return []
    for key, feedback in _feedback_entries(root, base, out).items():
        row = out[key]
        out[key] = Solicitation(row.url, row.title, row.start, row.ends, feedback)
    rows = list(out.values())
    # A plain dated list (no period, no 结果反馈 anywhere) is no 征集 list: nothing to judge.
    return rows if any(r.ends or r.feedback_url for r in rows) else []


def parse_solicitation_page(
    html: str, url: str, today: date
) -> tuple[date | None, date | None, str | None]:
    """A 征集's own page: (start, end, feedback URL or the page itself when it shows the
    result in a 结果反馈 block with content; None when it shows none)."""
    root = parse_html(html)
    if root is None:
        return None, None, None
    base = base_url(root, url)
    body = root.find("body") if root.find("body") is not None else root
    furniture = [el for el in body.iter() if isinstance(el.tag, str) and is_page_furniture(el)]
    # The page's own content (``furniture`` keeps the elements alive, so ids stay theirs).
    text = element_text(body, frozenset(map(id, furniture)))
    start, end = _period(text, today)
    link = _feedback_link(body, base)
    if link:
        return start, end, link
    block = re.search(r"(?:结果反馈|征集结果|反馈情况|采纳情况)\s*[:：]?\s*", text)
    if block:
        after = text[block.end() : block.end() + 30].strip()
        if after and not _NO_FEEDBACK.match(after[:3]) and not after.startswith(("暂无", "无")):
            return start, end, url
    return start, end, None
