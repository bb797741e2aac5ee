"""Hostile list pages (issue 13.7, 13.10): control characters in crawled text, long titles."""

from __future__ import annotations

from datetime import date

import pytest

from portalspider import discovery
from portalspider.extract.htmlutil import strip_controls
from portalspider.extract.listpage import parse_list_page

TODAY = date(2026, 11, 28)

ESC = "\x1b"
HOSTILE = [
    (f"{ESC}[31m红色标题{ESC}[0m", "红色标题"),  # ANSI colour
    (f"{ESC}]0;pwned\x07通知公告", "通知公告"),  # OSC terminal title
    (f"{ESC}]2;x{ESC}\\通知公告", "通知公告"),  # OSC closed by ST
    ("\u202egpj.exe", "gpj.exe"),  # RIGHT-TO-LEFT OVERRIDE
    ("a\u2066b\u2069c\u200fd", "abcd"),  # isolates and marks
    ("\x9b31m乙\x85丙", "乙丙"),  # C1 CSI and NEL
    ("a\x00b\x07c\x7fd", "abcd"),  # C0 and DEL
    ("行一\t行二\n行三", "行一\t行二\n行三"),  # tab and newline stay
    ("正常标题 2024-01-02", "正常标题 2024-01-02"),
]


@pytest.mark.parametrize(("raw", "clean"), HOSTILE)
def test_strip_controls(raw: str, clean: str) -> None:
    assert strip_controls(raw) == clean


def _list(rows: str) -> str:
    return f'<html><body><div class="list"><ul>{rows}</ul></div></body></html>'


def test_control_characters_never_reach_titles_or_names() -> None:
    rows = "".join(
        f'<li><a href="/a/{n}.html">{ESC}[2J{ESC}]0;owned\x07标题\u202e{n}</a>'
        f"<span>2024-01-0{n}</span></li>"
        for n in range(1, 4)
    )
    page = parse_list_page(_list(rows), "http://x.gov.cn/a/", TODAY)
    assert [e.title for e in page.entries] == ["标题1", "标题2", "标题3"]
    doc = discovery.parse_html(
        f'<div class="nav"><ul><li><a href="/tzgg/">{ESC}[31m通知\u202e公告</a></li></ul></div>',
        "http://x.gov.cn/",
    )
    assert [c.name for c in discovery.nav_links(doc)] == ["通知公告"]


def test_long_titles_are_items() -> None:
    long_title = "关于" + "进一步加强和改进基层治理工作" * 25 + "的通知"
    assert len(long_title) > 300
    rows = "".join(
        f'<li><a href="/a/{n}.html">{long_title}{n}</a><span>2024-01-0{n}</span></li>'
        for n in range(1, 4)
    )
    page = parse_list_page(_list(rows), "http://x.gov.cn/a/", TODAY)
    assert len(page.entries) == 3
    assert page.newest(TODAY).date == date(2024, 1, 3)


def test_a_text_block_around_a_link_is_no_item() -> None:
    text = "本网站所载内容" * 60
    rows = (
        f'<li><a href="/a/1.html">标题</a><span>2024-01-01</span></li>'
        f'<li><a href="/a/2.html">标题二</a><span>2024-01-02</span></li>'
        f'<li>{text}<a href="/a/3.html">详情</a><span>2025-06-01</span></li>'
    )
    page = parse_list_page(_list(rows), "http://x.gov.cn/a/", TODAY)
    assert page.newest(TODAY).date == date(2024, 1, 2)
