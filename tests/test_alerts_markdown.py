"""WeCom escaping, byte-aware splitting and secret redaction (pure functions)."""

from __future__ import annotations

import logging

import pytest

from alerts.markdown import escape_markdown, safe_link, split_parts, truncate_bytes, utf8_len
from alerts.redact import SecretFilter, redact_url, scrub


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("[通知](http://evil)", r"\[通知\]\(http://evil\)"),
        ("**公告**_x_", r"\*\*公告\*\*\_x\_"),
        ('<font color="warning">假</font>', '&lt;font color="warning"&gt;假&lt;/font&gt;'),
        ("第一行\n# 标题", r"第一行 \# 标题"),
        ("<@all>", "&lt;@all&gt;"),
    ],
)
def test_escape_markdown(raw: str, expected: str) -> None:
    assert escape_markdown(raw) == expected


def test_safe_link_drops_scripts_and_closes_nothing() -> None:
    assert safe_link("javascript:alert(1)") is None
    assert safe_link("http://a/b (1).html") == "http://a/b%20%281%29.html"
    assert safe_link("https://a/中文") == "https://a/%E4%B8%AD%E6%96%87"


def test_truncate_bytes_never_cuts_a_character() -> None:
    s = "政" * 100
    cut = truncate_bytes(s, 50)
    assert utf8_len(cut) <= 50
    cut.encode("utf-8").decode("utf-8")


def test_split_parts_whole_lines_and_budget() -> None:
    lines = [f"第{i}个栏目 " + "政务" * 30 for i in range(60)]
    parts = split_parts("### 标题\n> 说明\n", lines, "尾注", 1000)
    assert len(parts) > 3
    assert all(utf8_len(p) <= 1000 for p in parts)
    joined = "\n".join(parts)
    assert all(line in joined for line in lines)
    assert all(p.startswith("### 标题") for p in parts)
    assert "（续 2）" in parts[1]
    assert parts[-1].endswith("尾注")
    assert sum("尾注" in p for p in parts) == 1


def test_split_parts_truncates_a_giant_line() -> None:
    parts = split_parts("h\n", ["x" * 5000], "t", 800)
    assert len(parts) == 1
    assert utf8_len(parts[0]) <= 800


def test_redaction() -> None:
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcd1234-5678-secret"
    assert redact_url(url) == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcd…"
    text = scrub(
        f"error for {url} and corpsecret=TOPSECRETVALUE&access_token=TOKTOKTOKTOK", ["pw-hunter2"]
    )
    assert "5678-secret" not in text
    assert "TOPSECRETVALUE" not in text
    assert "TOKTOKTOKTOK" not in text
    assert scrub("login with pw-hunter2", ["pw-hunter2"]) == "login with ***"


def test_urllib3_debug_lines_are_scrubbed() -> None:
    record = logging.LogRecord(
        "urllib3.connectionpool",
        logging.DEBUG,
        "",
        0,
        '%s "%s %s" %s',
        ("x", "GET", "/cgi-bin/gettoken?corpid=a&corpsecret=SUPERSECRET123", 200),
        None,
    )
    SecretFilter().filter(record)
    assert "SUPERSECRET123" not in record.getMessage()
