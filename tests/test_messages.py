"""互动回应差: letters and 征集 read from list pages and their own pages, judged, crawled."""

from __future__ import annotations

import datetime as dt
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest

from portalspider.extract.messages import (
    ANSWERED,
    PENDING,
    parse_letter_list,
    parse_letter_page,
    parse_solicitation_list,
    parse_solicitation_page,
)
from portalspider.interaction import judge_letter, replies_row
from portalspider.rules import LETTERS, SOLICITATIONS, interaction_kind
from tests.crawlutil import crawl, serving, write_site

FIXTURES = Path(__file__).parent / "fixtures" / "synthetic"
TODAY = dt.date(2026, 12, 1)
D = dt.date


def _read(name: str) -> str:
    return (FIXTURES / f"messages_{name}").read_text(encoding="utf-8")


def test_table_with_ask_status_and_reply_columns():
    found = parse_letter_list(_read("mailbox_table.html"), "http://x/hdjl/xzxx/", TODAY)
    assert found.shaped
    got = [(lt.asked, lt.replied, lt.state) for lt in found.letters]
    assert got == [
        (D(2026, 11, 20), None, PENDING),
        (D(2026, 10, 8), D(2026, 10, 12), ANSWERED),
        (D(2026, 6, 2), D(2026, 9, 18), ANSWERED),
        (D(2026, 5, 11), None, PENDING),
        (D(2026, 4, 20), None, ANSWERED),  # 已回复 without its date: the letter's page tells
    ]
    assert found.letters[0].url == "http://x/hdjl/xzxx/202611/t20261120_8801.html"


def test_list_rows_with_status_words():
    found = parse_letter_list(_read("mailbox_list_status.html"), "http://x/hdjl/ldxx/", TODAY)
    assert found.shaped
    assert [(lt.title, lt.asked, lt.state) for lt in found.letters] == [
        ("关于办理居住证需要哪些材料的咨询", D(2026, 11, 2), ANSWERED),
        ("小区噪音扰民问题", D(2026, 10, 21), PENDING),
        ("学校周边交通安全隐患", D(2026, 7, 15), ANSWERED),
        ("退役军人优待证办理进度", D(2026, 3, 9), PENDING),
    ]


def test_plain_article_list_is_no_letter_list():
    html = (
        "<ul>"
        + "".join(
            f'<li><a href="/a/{i}.html">关于某事的回复{i}</a><span>2026-0{i}-01</span></li>'
            for i in range(1, 6)
        )
        + "</ul>"
    )
    found = parse_letter_list(html, "http://x/hdjl/zxts/", TODAY)
    assert not found.shaped
    assert not found.letters


def test_letter_pages():
    answered = parse_letter_page(_read("letter_answered.html"), TODAY)
    assert (answered.asked, answered.replied, answered.state) == (
        D(2026, 7, 15),
        D(2026, 11, 3),
        ANSWERED,
    )
    pending = parse_letter_page(_read("letter_pending.html"), TODAY)
    assert (pending.asked, pending.replied, pending.state) == (D(2026, 3, 9), None, PENDING)


def test_solicitations_and_their_feedback():
    rows = parse_solicitation_list(_read("solicitation_list.html"), "http://x/hdjl/zjdc/", TODAY)
    assert [(r.start, r.ends, bool(r.feedback_url)) for r in rows] == [
        (D(2026, 11, 10), D(2026, 12, 10), False),
        (D(2026, 8, 1), D(2026, 8, 31), True),
        (D(2026, 5, 5), D(2026, 6, 5), False),
    ]
    assert parse_solicitation_page(_read("solicitation_page.html"), "http://x/z.html", TODAY) == (
        D(2026, 5, 5),
        D(2026, 6, 5),
        None,
    )


def test_menus_never_pass_for_a_solicitations_feedback():
    # Before: the 结果反馈 column in the top menu (and the side menu's words) was taken for
    # this 征集's published feedback, hiding the problem.
    page = _read("solicitation_page_menus.html")
    assert parse_solicitation_page(page, "http://x/z.html", TODAY) == (
        D(2026, 5, 5),
        D(2026, 6, 5),
        None,
    )
    # Its own content's 结果反馈 block still counts.
    shown = page.replace(
        "现公开征求社会各界意见。</p></div>",
        '现公开征求社会各界意见。</p></div><div class="fk"><h3>结果反馈</h3>'
        '<p><a href="/hdjl/zjdc/fk_41.html">征集结果反馈</a></p></div>',
    )
    assert (
        parse_solicitation_page(shown, "http://x/z.html", TODAY)[2]
        == "http://x/hdjl/zjdc/fk_41.html"
    )


def test_feedback_entries_count_for_the_solicitation_they_name_or_link():
    html = _read("solicitation_list_feedback_entries.html")
    rows = {
        r.title: r.feedback_url for r in parse_solicitation_list(html, "http://x/hdjl/zjdc/", TODAY)
    }
    assert rows == {
        "《青溪县养老服务条例（草案）》公开征求意见": "http://x/hdjl/zjdc/202609/t20260920_50.html",
        "城区公交线路优化方案意见征集": "http://x/hdjl/zjdc/202607/t20260715_45.html",
        "城区停车收费标准调整意见征集": None,  # the menu's 结果反馈 column names no 征集
    }
    # An entry linking its 征集 counts too, whatever its words.
    linked = html.replace(
        "城区公交线路优化方案意见征集结果反馈</a>",
        '公交线路优化采纳情况</a>（<a href="/hdjl/zjdc/202606/t20260601_44.html">原征集</a>）',
    )
    by_url = {r.url: r.feedback_url for r in parse_solicitation_list(linked, "http://x/", TODAY)}
    fed = by_url["http://x/hdjl/zjdc/202606/t20260601_44.html"]
    assert fed == "http://x/hdjl/zjdc/202607/t20260715_45.html"


# Rows the list reader's character test must not pass over: an end date after each range
# mark and end label, a year alone in the title, words only, marks split by a tag.
ROWS_OF_EVERY_KIND = "".join(
    f'<li><a href="/z/{i}.html">{title}</a><span>{shown}</span></li>'
    for i, (title, shown) in enumerate(
        [
            *(
                (f"第{n}号草案", f"2026-11-01{mark}2026-12-{n:02d}")
                for n, mark in enumerate(["至", "到", "—", "－", "–", "~", "～", " 至 "], start=1)
            ),
            ("城区规划草案", "截止时间：2026-12-20"),
            ("城区规划方案", "结束日期:2026年12月21日"),
            ("公开征求意见", ""),
            ("2026年民生实事问卷", "调查"),
            ("<b>截</b>止", "<i>时间</i>：2026-12-22"),
            ("菜单", "首页"),
            ("2026-11-02", "今天"),
        ]
    )
)


@pytest.mark.parametrize(
    "html",
    [
        _read("solicitation_list.html"),
        _read("solicitation_list_feedback_entries.html"),
        f"<html><body><ul>{ROWS_OF_EVERY_KIND}</ul></body></html>",
    ],
)
def test_solicitation_rows_passed_over_by_their_characters_are_none(html, monkeypatch):
    """The raw-text character test only passes over rows the full reading drops."""
    import re

    from portalspider.extract import messages

    fast = parse_solicitation_list(html, "http://x/hdjl/zjdc/", TODAY)
    monkeypatch.setattr(messages, "_ROW_WORD", re.compile(""))  # every row read
    assert fast == parse_solicitation_list(html, "http://x/hdjl/zjdc/", TODAY)
    if "第1号草案" in html:
        assert len(fast) == 10  # the dated ranges and end labels


@pytest.mark.parametrize(
    ("asked", "replied", "state", "status", "overdue", "days"),
    [
        (D(2026, 10, 1), D(2026, 10, 5), ANSWERED, "answered", False, 4),
        (D(2026, 3, 1), D(2026, 5, 30), ANSWERED, "answered", False, 90),
        (D(2026, 3, 1), D(2026, 5, 31), ANSWERED, "late", True, 91),
        (D(2026, 9, 2), None, PENDING, "pending", False, 90),
        (D(2026, 9, 1), None, PENDING, "unanswered", True, 91),
        (D(2026, 9, 1), None, None, "unanswered", True, 91),
        (D(2026, 10, 1), None, ANSWERED, "answered", False, None),  # younger than the limit
        (D(2026, 5, 1), None, ANSWERED, "unknown", False, None),  # its page must tell
    ],
)
def test_overdue_rule(asked, replied, state, status, overdue, days):
    judged = judge_letter(asked, replied, state, TODAY, 90)
    assert (judged.status, judged.overdue, judged.days) == (status, overdue, days)


def test_reply_days_is_configurable():
    assert judge_letter(D(2026, 10, 1), None, PENDING, TODAY, 30).overdue
    assert not judge_letter(D(2026, 10, 1), None, PENDING, TODAY, 90).overdue


def test_interaction_kinds():
    assert interaction_kind("interaction", "县长信箱") == LETTERS
    assert interaction_kind("interaction", "咨询投诉") == LETTERS
    assert interaction_kind("interaction", "留言选登") == LETTERS
    assert interaction_kind("interaction", "征集调查") == SOLICITATIONS
    assert interaction_kind("interaction", "民意征集") == SOLICITATIONS
    assert interaction_kind("interaction", "在线访谈") is None
    assert interaction_kind("other", "网上信访") is None


def test_verdict_row_never_passes_without_letters():
    assert replies_row([]).result == "unknown"
    unread = {"kind": "letters", "read": False, "messages": 0, "overdue": 0}
    assert replies_row([unread]).result == "unknown"
    good = {"kind": "letters", "read": True, "messages": 5, "overdue": 0, "complete": True}
    assert replies_row([good]).result == "pass"
    assert replies_row([good], "crawl bound hit").result == "unknown"
    bad = {**good, "overdue": 1}
    assert replies_row([good, bad], "crawl bound hit").result == "fail"
    solicit = {"kind": "solicitations", "read": True, "messages": 2, "overdue": 2}
    assert replies_row([solicit]).result == "unknown"  # 调查征集 is left out of the row


# -- a crawl ---------------------------------------------------------------------------------

HOME = """<html><head><meta charset="utf-8"><title>青溪县人民政府</title></head><body>
<div class="nav"><ul>
<li><a href="/xwzx/zwdt/">政务动态</a></li>
<li><a href="/hdjl/xzxx/">县长信箱</a></li>
<li><a href="/hdjl/zjdc/">征集调查</a></li>
</ul></div>
<ul class="news"><li><a href="/xwzx/zwdt/202611/t20261130_1.html">县政府召开常务会议</a><span>2026-11-30</span></li></ul>
</body></html>"""

NEWS = """<html><head><meta charset="utf-8"><title>政务动态</title></head><body><ul>
<li><a href="/xwzx/zwdt/202611/t20261130_1.html">县政府召开常务会议</a><span>2026-11-30</span></li>
<li><a href="/xwzx/zwdt/202611/t20261120_2.html">全县安全生产工作会议召开</a><span>2026-11-20</span></li>
</ul></body></html>"""


def _mailbox_page(rows: list[tuple[str, str, str, str]], index: int, pages: int) -> str:
    body = "".join(
        f'<tr><td><a href="/hdjl/xzxx/letter_{ident}.html">来信{ident}</a></td><td>{asked}</td>'
        f"<td>{state}</td><td>{replied}</td></tr>"
        for ident, asked, state, replied in rows
    )
    return (
        '<html><head><meta charset="utf-8"><title>县长信箱</title></head><body><table>'
        "<tr><th>信件标题</th><th>留言时间</th><th>状态</th><th>回复时间</th></tr>"
        f'{body}</table><script>createPageHTML({pages}, {index}, "index", "html");</script>'
        "</body></html>"
    )


# page 1: answered, pending (young), unanswered (old); page 2: late, answered without date
# (its page: late), answered without date (its page: in time); page 3: older than a year.
MAILBOX = {
    "/hdjl/xzxx/": [
        ("1", "2026-11-20", "已回复", "2026-11-25"),
        ("2", "2026-11-10", "办理中", ""),
        ("3", "2026-07-01", "未回复", ""),
    ],
    "/hdjl/xzxx/index_1.html": [
        ("4", "2026-05-01", "已办结", "2026-09-01"),
        ("5", "2026-04-01", "已回复", ""),
        ("6", "2026-03-01", "已回复", ""),
    ],
    "/hdjl/xzxx/index_2.html": [
        ("7", "2025-10-01", "未回复", ""),
        ("8", "2025-09-01", "未回复", ""),
    ],
}
LETTER_PAGES = {
    "/hdjl/xzxx/letter_5.html": "来信时间：2026-04-01 回复时间：2026-08-01 回复内容：已转交",
    "/hdjl/xzxx/letter_6.html": "来信时间：2026-03-01 回复时间：2026-03-20 回复内容：您好",
}
SOLICIT = """<html><head><meta charset="utf-8"><title>征集调查</title></head><body><table>
<tr><th>主题</th><th>征集时间</th><th>结果反馈</th></tr>
<tr><td><a href="/hdjl/zjdc/zj_1.html">养老服务条例意见征集</a></td><td>2026-11-10 至 2026-12-10</td><td></td></tr>
<tr><td><a href="/hdjl/zjdc/zj_2.html">民生实事项目意见征集</a></td><td>2026-08-01 至 2026-08-31</td><td><a href="/hdjl/zjdc/fk_2.html">结果反馈</a></td></tr>
<tr><td><a href="/hdjl/zjdc/zj_3.html">停车收费标准意见征集</a></td><td>2026-05-05 至 2026-06-05</td><td></td></tr>
<tr><td><a href="/hdjl/zjdc/zj_4.html">公交线路优化意见征集</a></td><td>2026-04-01 至 2026-04-30</td><td></td></tr>
</table></body></html>"""
SOLICIT_PAGES = {
    "/hdjl/zjdc/zj_3.html": "征集时间：2026-05-05 至 2026-06-05 结果反馈 暂无",
    "/hdjl/zjdc/zj_4.html": '征集时间：2026-04-01 至 2026-04-30 <a href="/hdjl/zjdc/fk_4.html">征集结果</a>',
}


class Handler(BaseHTTPRequestHandler):
    hits: ClassVar[dict[str, int]] = {}

    def do_GET(self):
        path = self.path
        Handler.hits[path] = Handler.hits.get(path, 0) + 1
        pages = {"/": HOME, "/xwzx/zwdt/": NEWS, "/hdjl/zjdc/": SOLICIT}
        for i, (url, rows) in enumerate(MAILBOX.items()):
            pages[url] = _mailbox_page(rows, i, len(MAILBOX))
        for url, text in {**LETTER_PAGES, **SOLICIT_PAGES}.items():
            pages[url] = (
                f'<html><head><meta charset="utf-8"></head><body><div>{text}</div></body></html>'
            )
        body = pages.get(path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("messages")
    Handler.hits = {}
    with serving(Handler) as url:
        site = write_site(tmp / "site.yaml", url)
        result = crawl(site, tmp, "PORTALSPIDER_TODAY=2026-12-01")
    assert result.returncode == 0, result.stderr[-3000:]
    return result, dict(Handler.hits)


def test_crawl_finds_every_overdue_letter(crawled):
    result, hits = crawled
    letters = {m["title"]: m for m in result.of_type("message") if m["kind"] == "letter"}
    assert set(letters) == {f"来信{i}" for i in range(1, 7)}  # 7 and 8 are over a year old
    overdue = {t for t, m in letters.items() if m["overdue"]}
    assert overdue == {"来信3", "来信4", "来信5"}
    assert letters["来信5"]["replied"] == "2026-08-01"
    assert letters["来信5"]["days"] == 122
    assert letters["来信5"]["source"] == "page"
    assert letters["来信6"]["status"] == "answered"
    assert letters["来信1"]["days"] == 5
    # Only the letters whose page can change the verdict are opened.
    assert "/hdjl/xzxx/letter_1.html" not in hits
    assert "/hdjl/xzxx/letter_3.html" not in hits
    column = next(c for c in result.of_type("message_column") if c["kind"] == "letters")
    assert column["read"]
    assert column["complete"]
    assert column["overdue"] == 3
    assert column["messages"] == 6
    assert column["median_days"] == 70.5  # 5, 19, 122, 123
    verdict = {r["name"]: r for r in result.of_type("verdict")[0]["rows"]}
    assert verdict["互动回应差"]["result"] == "fail"


def test_crawl_finds_the_solicitation_without_feedback(crawled):
    result, hits = crawled
    rows = {m["title"]: m for m in result.of_type("message") if m["kind"] == "solicitation"}
    assert {t: m["status"] for t, m in rows.items()} == {
        "养老服务条例意见征集": "open",
        "民生实事项目意见征集": "feedback",
        "停车收费标准意见征集": "no_feedback",
        "公交线路优化意见征集": "feedback",
    }
    assert [t for t, m in rows.items() if m["overdue"]] == ["停车收费标准意见征集"]
    assert "/hdjl/zjdc/zj_2.html" not in hits  # its row links the 结果反馈


def test_plain_dated_list_is_no_solicitation_list():
    html = (
        "<ul>"
        + "".join(
            f'<li><a href="/z/{i}.html">第{i}期意见征集</a><span>2026-0{i}-01</span></li>'
            for i in range(1, 5)
        )
        + "</ul>"
    )
    assert parse_solicitation_list(html, "http://x/hdjl/zjdc/", TODAY) == []


def test_a_solicitation_whose_page_was_not_read_is_no_problem(tmp_path):
    """With no own page read (bound 0), the 征集 the list cannot settle are unknown."""
    with serving(Handler) as url:
        site = write_site(tmp_path / "site.yaml", url)
        result = crawl(
            site, tmp_path, "PORTALSPIDER_TODAY=2026-12-01", "PORTALSPIDER_MAX_MESSAGE_DETAILS=0"
        )
    assert result.returncode == 0, result.stderr[-3000:]
    rows = {m["title"]: m for m in result.of_type("message") if m["kind"] == "solicitation"}
    assert rows["停车收费标准意见征集"]["status"] == "unknown"
    assert not any(m["overdue"] for m in rows.values())
    letters = {m["title"]: m for m in result.of_type("message") if m["kind"] == "letter"}
    assert letters["来信5"]["status"] == "unknown"  # answered, date only on its page
    assert {t for t, m in letters.items() if m["overdue"]} == {"来信3", "来信4"}


class FailingPage2(Handler):
    """The mailbox's page 2 fails every time (HTTP 500)."""

    def do_GET(self):
        if self.path == "/hdjl/xzxx/index_1.html":
            Handler.hits[self.path] = Handler.hits.get(self.path, 0) + 1
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()


def test_a_failing_list_page_both_readers_want_is_tried_once(tmp_path):
    # The letter reader and the update-volume reader both want page 2: one download (with
    # its retries) serves both, and both see it fail.
    Handler.hits = {}
    with serving(FailingPage2) as url:
        site = write_site(tmp_path / "site.yaml", url)
        result = crawl(site, tmp_path, "PORTALSPIDER_TODAY=2026-12-01", "RETRY_TIMES=1")
    assert result.returncode == 0, result.stderr[-3000:]
    assert Handler.hits["/hdjl/xzxx/index_1.html"] == 2  # one request, retried once
    letters = next(c for c in result.of_type("message_column") if c["kind"] == "letters")
    assert letters["read"]
    assert not letters["complete"]
    assert letters["pages_read"] == 1
    mailbox = next(c for c in result.columns if c["url"].endswith("/hdjl/xzxx/"))
    assert mailbox["status"] == "ok"
    assert mailbox["counts_complete"] is False
