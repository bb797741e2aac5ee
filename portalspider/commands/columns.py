"""``scrapy columns --site PATH [--status LIST] [--format table|json|csv]``.

The current state of each column of a site, read from the database the crawls wrote
(``PORTALSPIDER_DATABASE_URL``); never crawls. ``age_days`` is as of today (or
``--today``), not as of the last crawl. Heavy imports happen in ``run`` because Scrapy
imports every command module for every command, including the crawls scrapyd starts.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import sys
import unicodedata
from typing import Any

from portalspider.sitecommand import SiteCommand, fail
from portalspider.vocab import COLUMN_STATES

FORMATS = ("table", "json", "csv")
FIELDS = (
    "url",
    "name",
    "path",
    "unit",
    "category",
    "status",
    "last_update",
    "threshold_days",
    "age_days",
    "stale_since",
    "runs_in_status",
    "newest_title",
    "newest_url",
    "exempt_until",
    "items_30d",
    "items_90d",
    "items_365d",
    "counts_complete",
)
# Table columns: (header, key); the URL goes last because it is the longest.
TABLE = (
    ("状态 status", "status"),
    ("天数 age", "age_days"),
    ("阈值 max", "threshold_days"),
    ("最近更新", "last_update"),
    ("超期起 stale since", "stale_since"),
    ("runs", "runs_in_status"),
    ("近30/90/365日", "volume"),
    ("责任单位 unit", "unit"),
    ("栏目 column", "title"),
    ("url", "url"),
)


def display_width(text: str) -> int:
    """Terminal cells: CJK characters take two, which ``str.ljust`` does not know."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def volume_text(row: dict[str, Any]) -> str | None:
    """``3/10/≥15``: the 30/90/365-day counts, lower bounds marked ≥ (counts incomplete)."""
    counts = [row.get(k) for k in ("items_30d", "items_90d", "items_365d")]
    if all(c is None for c in counts):
        return None
    mark = "" if row.get("counts_complete") else "≥"
    return "/".join("" if c is None else f"{mark}{c}" for c in counts)


def render_table(rows: list[dict[str, Any]]) -> str:
    cells = []
    for row in rows:
        title = " > ".join([*row["path"], row["name"]]) if row["path"] else row["name"]
        values = {**row, "title": title, "volume": volume_text(row)}
        cells.append(["" if values[k] is None else str(values[k]) for _, k in TABLE])
    headers = [h for h, _ in TABLE]
    widths = [
        max([display_width(headers[i])] + [display_width(c[i]) for c in cells])
        for i in range(len(TABLE))
    ]
    lines = ["  ".join(pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines) + "\n"


def render_csv(rows: list[dict[str, Any]]) -> str:
    """BOM first (Excel), every cell through ``csvsafe.cell`` (formula injection)."""
    from portalspider import csvsafe

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for row in rows:
        values = {**row, "path": " > ".join(row["path"])}
        writer.writerow([csvsafe.cell(values.get(name)) for name in FIELDS])
    return csvsafe.BOM + out.getvalue()


def render_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"


def parse_statuses(value: str | None) -> list[str] | None:
    if not value:
        return None
    statuses = [s.strip() for s in value.split(",") if s.strip()]
    unknown = [s for s in statuses if s not in COLUMN_STATES]
    if unknown:
        fail(f"unknown status {', '.join(unknown)} (choose from {', '.join(COLUMN_STATES)})")
    return statuses


class Command(SiteCommand):
    today_help = "compute age_days as of this date (default: today in Asia/Shanghai)"

    def syntax(self) -> str:
        return "--site PATH [--status LIST] [--format table|json|csv]"

    def short_desc(self) -> str:
        return "List the current state of each column of a site (from the database)"

    def long_desc(self) -> str:
        return (
            "List each column of the site in PATH as the crawls left it: status, last update, "
            "age in days as of today, threshold, the first day it was stale and how many "
            "consecutive crawls it has been in its status. Worst first. Columns that vanished "
            "from the site are left out unless --status includes gone. --format json prints "
            "one JSON array (UTF-8); csv has one header row."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--status",
            metavar="LIST",
            help="only these statuses, comma-separated, e.g. stale,undated,blank",
        )
        parser.add_argument(
            "--format", dest="fmt", choices=FORMATS, default="table", help="default: table"
        )

    def run_site(self, opts: argparse.Namespace, config: Any, today: dt.date) -> int:
        from portalspider.store.queries import current_columns

        statuses = parse_statuses(opts.status)
        with self.open_store() as sessions, sessions() as session:
            self.require_site(session, config, opts.site)
            rows = current_columns(session, config.url, today, statuses)
        render = {"table": render_table, "json": render_json, "csv": render_csv}[opts.fmt]
        sys.stdout.buffer.write(render(rows).encode("utf-8"))
        sys.stdout.flush()
        return 0
