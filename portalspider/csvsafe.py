"""Every CSV (and spreadsheet cell) the tool writes: Excel-safe text and the UTF-8 BOM.

The offices open these files in Excel or WPS. Without a BOM Excel reads UTF-8 as the
local code page and the Chinese is garbled; and a cell whose text starts with ``=``,
``+``, ``-`` or ``@`` (or a tab/CR) is evaluated as a formula, so crawled text such as
``=HYPERLINK(…)`` or ``+cmd|…`` could run on the reader's machine (CSV injection). One
function neutralises every cell: the feed export, ``scrapy columns --format csv``, the
report's CSV and its Excel workbook.
"""

from __future__ import annotations

import datetime as dt

BOM = "\ufeff"
ENCODING = "utf-8-sig"  # Python's codec that writes BOM before the text
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A cell that Excel shows as text, never evaluates; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(value)  # "-3" is a number, not a formula
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
