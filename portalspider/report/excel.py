"""The report as an Excel workbook the office tracks rectification in.

Sheets: 存在问题 (first: one row per problem, 整改措施 and 完成情况 left for the unit),
全部栏目 (every column, its status and counts), 已整改, 建议合并删减, 政策解读 (each policy
document of the last 365 days and its interpretation link). Every sheet has a frozen header,
an auto-filter and widths that fit Chinese text (a CJK character is two columns wide).
Text cells pass through ``csvsafe.cell`` (formula injection) and are stored as strings,
so openpyxl never writes a crawled ``=...`` as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from portalspider import csvsafe
from portalspider.report import policies
from portalspider.report.data import ColumnRow, Report
from portalspider.report.links import link_table
from portalspider.report.office import OfficeExtras, office_path, to_rectify, xml_text

Cell = str | int | dt.date | None
MIN_WIDTH, MAX_WIDTH = 6, 50
FONT = "宋体"
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")

PROBLEM_HEADER = (
    "序号", "栏目", "问题", "最后更新", "超期天数", "近一年更新条数",
    "整改责任单位", "整改期限", "整改措施", "完成情况",
)  # fmt: skip
COLUMNS_HEADER = (
    "序号", "栏目", "栏目链接", "类别", "状态", "最后更新", "最新信息", "已过天数", "时限天数",
    "近30天更新条数", "近90天更新条数", "近一年更新条数", "责任单位", "报备至",
)  # fmt: skip
CANDIDATES_HEADER = ("序号", "栏目", "责任单位", "检测情况", "首次", "最近", "检测次数")
# 互动回应差 (``report.replies``): each overdue letter or 征集 without 结果反馈, and each column.
REPLIES_HEADER = (
    "序号", "栏目", "标题", "链接", "问题", "状态", "留言（征集开始）日期", "答复（征集结束）日期",
    "天数", "整改责任单位",
)  # fmt: skip
REPLY_COLUMNS_HEADER = (
    "序号", "栏目", "类型", "近一年留言（征集）", "超期未回应（未反馈）", "答复用时中位数（天）",
    "答复时限（天）", "说明", "责任单位",
)  # fmt: skip
RESOLVED_HEADER = ("序号", "栏目", "原问题", "发现日期", "整改日期", "整改方式", "整改责任单位")


def render_xlsx(report: Report, extras: OfficeExtras) -> bytes:
    del extras  # the workbook needs nothing beyond the report data
    book = Workbook()
    problems = book.active
    assert problems is not None
    problems.title = "存在问题"
    _fill(
        problems,
        PROBLEM_HEADER,
        [
            (
                number,
                office_path(row.path, row.name),
                row.problem_text,
                row.last_update,
                row.overdue_days if row.status == "stale" else None,
                row.count_text(row.items_365d),
                row.unit,
                report.deadline,  # unreachable columns too: the unit checks them by then
                None,
                None,
            )
            for number, row in enumerate(to_rectify(report), start=1)
        ],
        wrap=("问题", "整改措施", "完成情况"),
    )
    _fill(
        book.create_sheet("全部栏目"),
        COLUMNS_HEADER,
        [_column_line(number, row) for number, row in enumerate(report.columns, start=1)],
        wrap=("最新信息",),
    )
    _fill(
        book.create_sheet("已整改"),
        RESOLVED_HEADER,
        [
            (
                number,
                office_path(item.path, item.name),
                item.kind_label,
                item.opened_on,
                item.closed_on,
                item.resolution_label,
                item.unit,
            )
            for number, item in enumerate(report.resolved, start=1)
        ],
        wrap=(),
    )
    _fill(
        book.create_sheet("建议合并删减"),
        CANDIDATES_HEADER,
        [
            (
                number,
                office_path(item.path, item.name),
                item.unit,
                item.statuses_label,
                item.first_seen,
                item.last_seen,
                item.crawls,
            )
            for number, item in enumerate(report.candidates, start=1)
        ],
        wrap=(),
    )
    _fill(
        book.create_sheet("政策解读"),
        policies.SHEET_HEADER,
        policies.sheet_rows(report.policies, report.deadline),
        wrap=("政策文件", "整改措施", "完成情况"),
    )
    if report.links is not None:
        header, rows = link_table(report.links)
        _fill(book.create_sheet("链接可用性"), header, rows, wrap=("链接文字",))
    _fill(
        book.create_sheet("互动回应"),
        REPLIES_HEADER,
        [
            (
                number,
                m.column,
                m.title,
                m.url,
                m.problem,
                m.status_label,
                m.asked,
                m.replied or m.ends,
                m.days,
                m.unit,
            )
            for number, m in enumerate(report.replies.overdue, start=1)
        ],
        wrap=("标题", "问题"),
    )
    _fill(
        book.create_sheet("互动栏目"),
        REPLY_COLUMNS_HEADER,
        [
            (
                number,
                office_path(c.path, c.name),
                c.kind_label,
                c.messages,
                c.overdue,
                c.median_days,
                c.reply_days,
                c.note,
                c.unit,
            )
            for number, c in enumerate(report.replies.columns, start=1)
        ],
        wrap=("说明",),
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _column_line(number: int, row: ColumnRow) -> tuple[Cell, ...]:
    return (
        number,
        office_path(row.path, row.name),
        row.url,
        row.category_label,
        row.status_label,
        row.last_update,
        row.newest_title,
        row.age_days,
        row.threshold_days,
        row.count_text(row.items_30d),
        row.count_text(row.items_90d),
        row.count_text(row.items_365d),
        row.unit,
        row.exempt_until,
    )


def _fill(
    sheet: Worksheet, header: Sequence[str], lines: list[tuple[Cell, ...]], wrap: Sequence[str]
) -> None:
    """Header, rows, then the sheet furniture: freeze, filter, widths, print setup."""
    sheet.append(list(header))
    for line in lines:
        sheet.append([None] * len(header))
        for col, value in enumerate(line, start=1):
            _write(sheet, sheet.max_row, col, value)
    body_font, bold = Font(name=FONT, size=11), Font(name=FONT, size=11, bold=True)
    for cell in sheet[1]:
        cell.font, cell.fill = bold, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    wrapped = {header.index(name) + 1 for name in wrap}
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.font = body_font
            cell.alignment = Alignment(vertical="top", wrap_text=cell.column in wrapped)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(sheet.max_row, 1)}"
    for col, name in enumerate(header, start=1):
        values = [name] + [str(line[col - 1]) for line in lines if line[col - 1] is not None]
        sheet.column_dimensions[get_column_letter(col)].width = _width(values)
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _write(sheet: Worksheet, row: int, col: int, value: Cell) -> None:
    """Numbers and dates as such; text neutralised and forced to a string cell."""
    cell = sheet.cell(row=row, column=col)
    if value is None:
        return
    if isinstance(value, int | dt.date):
        cell.value = value
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
        return
    cell.value = xml_text(csvsafe.cell(value))
    cell.data_type = "s"  # never a formula, whatever the text starts with


def display_width(text: str) -> int:
    """Columns a string takes in a spreadsheet: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _width(values: list[str]) -> float:
    widest = max((display_width(v) for v in values), default=0)
    return float(min(max(widest + 2, MIN_WIDTH), MAX_WIDTH))
