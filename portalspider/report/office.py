"""What the Word and Excel reports share: which rows they list, in which order, and safe text.

Both read the same ``Report`` as the HTML/MD/CSV report (``build_report``), never the store.
The offices' documents list what a unit must rectify: the problem columns (``Report.problems``)
plus unreachable ones (a unit must check them), minus columns under 报备 (``exempt_until``),
which are named apart because they have no deadline.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from portalspider.report.data import ColumnRow, Report, column_path
from portalspider.siteconfig import SiteConfig
from portalspider.vocab import display_rank

# lxml and openpyxl refuse XML 1.0's forbidden control characters; crawled text may hold them.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class OfficeExtras:
    """Config text the documents need beyond the store's data."""

    requirements: str | None = None  # 二、有关要求 (site config ``report.requirements``)
    filler: str | None = None  # 填报单位 (the defaults.unit office)


def xml_text(value: object) -> str:
    """Crawled text made storable in .docx/.xlsx XML (control characters dropped)."""
    return "" if value is None else _XML_ILLEGAL.sub("", str(value))


def office_path(path: list[str], name: str) -> str:
    """``政务公开/部门动态``: the path as the offices write it."""
    return column_path(path, name, sep="/")


def to_rectify(report: Report) -> list[ColumnRow]:
    """Rows with a deadline, grouped by kind (``vocab.DISPLAY_ORDER``), units kept together."""
    rows = [row for row in report.problems + report.unreachable if not row.exempt]
    units = [unit.name for unit in report.problem_units]

    def order(row: ColumnRow) -> tuple[int, int, int]:
        kind = display_rank(row.status)
        unit = units.index(row.unit) if row.unit in units else len(units)
        return (kind, unit, -(row.age_days or 0))

    return sorted(rows, key=order)


def exempted(report: Report) -> list[ColumnRow]:
    """Problem columns under 报备: named, not numbered among those to rectify."""
    return [row for row in report.problems if row.exempt]


def extras_from_config(config: SiteConfig) -> OfficeExtras:
    return OfficeExtras(
        requirements=config.report_requirements,
        filler=config.default_unit,
    )


def render_docx(report: Report, extras: OfficeExtras) -> bytes:
    from portalspider.report.word import render_docx as render

    return render(report, extras)


def render_xlsx(report: Report, extras: OfficeExtras) -> bytes:
    from portalspider.report.excel import render_xlsx as render

    return render(report, extras)


# Binary formats by suffix; python-docx and openpyxl are imported only when asked for.
OFFICE_FORMATS: dict[str, Callable[[Report, OfficeExtras], bytes]] = {
    ".docx": render_docx,
    ".xlsx": render_xlsx,
}
