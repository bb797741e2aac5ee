"""decode_html: header → BOM → meta → detection, GBK family as GB18030, lying labels."""

import codecs

import pytest

from portalspider.extract.encoding import decode_html, normalize_charset

TEXT = "<html><head>{meta}</head><body>朱镕基同志旧居 政务公开 2024-09-10</body></html>"


def page(meta: str, encoding: str) -> bytes:
    return TEXT.format(meta=meta).encode(encoding)


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("gb2312", "gb18030"),
        ("GBK", "gb18030"),
        ("x-gbk", "gb18030"),
        ("gb18030", "gb18030"),
        ("utf-8", "utf-8"),
        ("UTF8", "utf-8"),
        ("big5", "big5"),
        ("no-such-charset", None),
        (None, None),
    ],
)
def test_normalize_charset(label, codec) -> None:
    assert normalize_charset(label) == codec


def test_header_gbk_is_decoded_as_gb18030() -> None:
    body = page("", "gb18030")
    assert "朱镕基" in decode_html(body, "text/html; charset=GB2312")


def test_meta_gb2312_without_header() -> None:
    body = page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gbk")
    assert "朱镕基" in decode_html(body, "text/html")


def test_meta_charset_attribute() -> None:
    body = page('<meta charset="gbk">', "gbk")
    assert "政务公开" in decode_html(body, None)


def test_meta_that_lies_about_utf8_bytes() -> None:
    body = page('<meta charset="gb2312">', "utf-8")
    assert "朱镕基同志旧居" in decode_html(body, None)


def test_header_latin1_default_is_ignored() -> None:
    body = page("", "gbk")
    assert "政务公开" in decode_html(body, "text/html; charset=ISO-8859-1")


def test_utf8_label_on_gbk_bytes_falls_back_to_detection() -> None:
    body = page('<meta charset="utf-8">', "gbk")
    assert "政务公开" in decode_html(body, "text/html; charset=utf-8")


def test_bom_wins_over_meta() -> None:
    body = codecs.BOM_UTF8 + page('<meta charset="gbk">', "utf-8")
    html = decode_html(body, None)
    assert html.startswith("<html>")
    assert "政务公开" in html


def test_detection_without_any_label() -> None:
    assert "政务公开" in decode_html(page("", "gb18030"), None)
    assert "政务公开" in decode_html(page("", "utf-8"), None)


def test_bad_bytes_never_raise() -> None:
    assert decode_html(b"\xff\xfe\xfa<html>\x81", "text/html; charset=utf-8")
    assert decode_html(b"", None) == ""


def test_mixed_utf8_page_with_a_gbk_include_reads_both() -> None:
    """Issue 13.10: a UTF-8 template around a GBK-encoded include (and a stray bad byte)."""
    body = (
        "<html><head><meta charset='utf-8'></head><body><h1>青溪县人民政府通知公告</h1>".encode()
        + "<ul><li><a href='/a.html'>镇里的动态消息</a><span>2024-01-02</span></li>".encode("gbk")
        + b"\xff"
        + "<li><a href='/b.html'>县里召开工作会议</a><span>2024-01-03</span></li></ul>".encode()
        + b"</body></html>"
    )
    for content_type in ("text/html; charset=utf-8", None):
        text = decode_html(body, content_type)
        assert "青溪县人民政府通知公告" in text
        assert "镇里的动态消息" in text
        assert "县里召开工作会议" in text
