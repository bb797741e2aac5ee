"""Bytes to text for portal pages.

Priority: HTTP header charset → BOM → ``<meta charset>`` → detection. Two corrections keep
real pages readable:

* ``gb2312``/``gbk`` are decoded as ``gb18030``, their superset, because pages labelled GB2312
  routinely contain characters (生僻字 in names) that only GBK/GB18030 have.
* A declaration can lie: re-saved pages declare ``gb2312`` while the bytes are UTF-8, and
  servers send a default ``iso-8859-1``. Bytes that are non-ASCII *and* valid UTF-8 are almost
  never legacy Chinese text, so they are decoded as UTF-8 whatever the label says.
* Pages can be mixed (a UTF-8 template around a GBK include): mostly-UTF-8 bytes are read as
  UTF-8 with each undecodable run read as GB18030, so both parts stay readable.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["decode_html", "normalize_charset"]

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_GB_FAMILY = {
    "gb2312",
    "gbk",
    "gb_2312",
    "gb_2312-80",
    "x-gbk",
    "cp936",
    "ms936",
    "euc-cn",
    "gb18030",
    "csgb2312",
    "x-euc-cn",
    "chinese",
    "windows-936",
}
# Labels servers and templates use as a default, not as a statement about the bytes.
_WEAK = {"iso-8859-1", "latin-1", "latin1", "ascii", "us-ascii", "windows-1252", "cp1252"}


def normalize_charset(name: str | None) -> str | None:
    """A Python codec name for a declared charset, or None when unknown."""
    if not name:
        return None
    label = name.strip().strip("\"'").lower()
    if label in _GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
#: Share of non-ASCII bytes in valid UTF-8 sequences above which a page is UTF-8 with patches
#: of another encoding (GBK text reaches about a third by chance).
MOSTLY_UTF8 = 0.6
_MIXED = "mixed"
_HIGH_RUN = re.compile(rb"([\x80-\xff]+)")


def _decode_mixed(body: bytes) -> str:
    """Each run of non-ASCII bytes as UTF-8 when it is valid UTF-8, else as GB18030."""
    pieces = []
    for index, piece in enumerate(_HIGH_RUN.split(body)):
        if index % 2 == 0:
            pieces.append(piece.decode("ascii"))
            continue
        try:
            pieces.append(piece.decode("utf-8"))
        except UnicodeDecodeError:
            pieces.append(piece.decode("gb18030", "replace"))
    return "".join(pieces)


def _mostly_utf8(body: bytes) -> bool:
    high = sum(1 for byte in body if byte >= 0x80)
    in_sequences = sum(len(m) for m in _UTF8_SEQUENCE.findall(body))
    return bool(high) and in_sequences / high >= MOSTLY_UTF8


def _utf8(body: bytes) -> str | None:
    """*body* decoded as UTF-8, or None when it is not valid UTF-8."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _is_utf8(body: bytes) -> bool:
    return _utf8(body) is not None


def _detect(body: bytes) -> str:
    """UTF-8 if the bytes are valid UTF-8, else GB18030 if valid, else UTF-8 with repair."""
    if _is_utf8(body):
        return "utf-8"
    if _mostly_utf8(body):
        return _MIXED
    try:
        body.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        return "gb18030"
    # Mostly-GBK pages with a few broken bytes still read better as GB18030.
    utf8_errors = body.decode("utf-8", "replace").count("\ufffd")
    gb_errors = body.decode("gb18030", "replace").count("\ufffd")
    return "gb18030" if gb_errors < utf8_errors else "utf-8"


def decode_html(body: bytes, content_type: str | None) -> str:
    """Decode a page body to text; never raises on bad bytes (they become U+FFFD)."""
    if not body:
        return ""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, "replace")

    declared: str | None = None
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        if match and match.group(1).lower() not in _WEAK:
            declared = normalize_charset(match.group(1))
    if declared is None:
        match = _META_CHARSET.search(body[:8192])
        if match and match.group(1).decode("ascii", "ignore").lower() not in _WEAK:
            declared = normalize_charset(match.group(1).decode("ascii", "ignore"))

    # Valid UTF-8 is read as UTF-8 whatever the label (legacy Chinese bytes are almost
    # never valid UTF-8); a UTF-8 label on other bytes leaves it to detection. The test
    # is the decoding itself, made once.
    if declared == "utf-8" or (declared and not body.isascii()):
        text = _utf8(body)
        if text is not None:
            return text
        if declared == "utf-8":
            declared = None
    codec = declared or _detect(body)
    if codec == _MIXED:
        return _decode_mixed(body)
    return body.decode(codec, "replace")
