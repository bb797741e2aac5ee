"""Crawled text made safe for WeCom messages, and digests split to WeCom's byte limits.

WeCom limits are in UTF-8 *bytes* (markdown 4096, text 2048), and a Chinese character is
three bytes, so counting characters would overflow by up to 3x. A digest is split between
whole column lines: a part never cuts a column in half.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote, urlsplit

# Characters WeCom's markdown subset gives meaning to. A column named "[通知](x)" or
# "**公告**" must show literally, not become a link or bold text.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()#+\-!|~>])")
_WS = re.compile(r"\s+")


def one_line(text: object, limit: int = 200) -> str:
    """Collapse whitespace (a newline in crawled text could start a heading) and cap length."""
    s = _WS.sub(" ", "" if text is None else str(text)).strip()
    return s if len(s) <= limit else s[: limit - 1] + "…"


def escape_markdown(text: object, limit: int = 200) -> str:
    """Escape crawled text for WeCom markdown: punctuation backslashed, tags neutralized.

    ``<`` and ``>`` become entities because the subset renders ``<font>`` and ``<@userid>``
    tags; ``&`` first so that existing entities stay literal.
    """
    s = one_line(text, limit)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", s)


def safe_link(url: object) -> str | None:
    """An http(s) URL fit for ``[text](url)``, or None (``javascript:`` etc. are dropped).

    Spaces, parentheses and angle brackets are percent-encoded so the URL cannot close the
    link early; everything already valid in a URL is kept as is.
    """
    if not url:
        return None
    s = str(url).strip()
    try:
        scheme = urlsplit(s).scheme.lower()
    except ValueError:
        return None
    if scheme not in {"http", "https"}:
        return None
    s = quote(s, safe=":/?#@!$&'*+,;=%~-._[]")
    return s.replace("(", "%28").replace(")", "%29")


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def truncate_bytes(text: str, budget: int) -> str:
    """Cut ``text`` to at most ``budget`` UTF-8 bytes, never inside a character."""
    if utf8_len(text) <= budget:
        return text
    cut = text.encode("utf-8")[: max(budget - 3, 0)].decode("utf-8", errors="ignore")
    return cut + "…"


def split_parts(
    head: str,
    lines: Sequence[str],
    tail: str,
    budget: int,
    continued: str = "（续 {n}）",
) -> list[str]:
    """Pack ``head + lines + tail`` into parts of at most ``budget`` UTF-8 bytes.

    Every part starts with ``head`` (later ones with ``continued`` appended, so a reader
    knows a part follows another) and only the last carries ``tail``. A single line larger
    than a whole part is truncated rather than dropped: the column must still be named.
    """
    parts: list[list[str]] = []
    current: list[str] = []
    marker_room = utf8_len(continued.format(n=999)) + 1
    base = utf8_len(head) + marker_room
    room_last = budget - base - utf8_len(tail)
    if room_last < 64:
        raise ValueError("budget too small for the digest header and footer")
    size = 0
    for raw in lines:
        line = truncate_bytes(raw, room_last - 1)
        n = utf8_len(line) + 1  # the newline joining it
        if current and size + n > room_last:
            parts.append(current)
            current, size = [], 0
        current.append(line)
        size += n
    parts.append(current)
    out = []
    for i, chunk in enumerate(parts):
        if i == 0:
            h = head
        else:
            first, sep, rest = head.partition("\n")
            h = first + continued.format(n=i + 1) + sep + rest
        body = "\n".join(chunk)
        text = h + body + ("\n" if body else "")
        if i == len(parts) - 1:
            text += tail
        out.append(text.rstrip("\n"))
    return out
