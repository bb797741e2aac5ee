"""``scrapy report --site PATH -o report.html|.md|.csv|.docx|.xlsx``: the rectification report.

Reads the database the crawls wrote (``PORTALSPIDER_DATABASE_URL``); never crawls. Heavy
imports happen in ``run`` because Scrapy imports every command module for every command,
including the crawls scrapyd starts.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from portalspider.sitecommand import CommandError, SiteCommand, fail

SUFFIXES = (".html", ".htm", ".md", ".markdown", ".csv", ".docx", ".xlsx")
SUFFIX_HINT = "use a .html, .md, .csv, .docx or .xlsx file"


class Command(SiteCommand):
    today_help = "report as of this date (default: today in Asia/Shanghai)"

    def syntax(self) -> str:
        return "--site PATH -o FILE.html|FILE.md|FILE.csv|FILE.docx|FILE.xlsx"

    def short_desc(self) -> str:
        return "Write the rectification report of a site (format chosen by file extension)"

    def long_desc(self) -> str:
        return (
            "Write the rectification report (自查整改报告) of the site in PATH from the database: "
            "the verdict against the 单项否决 rows column data can decide, problems by "
            "responsible unit with 整改期限, per-unit counts, the trend over past runs and the "
            "longest-running findings and what was rectified in the last 30 days. "
            "-o report.html gives one self-contained printable page; .md and .csv are for "
            "pasting into documents and spreadsheets; .docx is the 自查情况报告 in the offices' "
            "own form (numbered problems with 整改责任单位, deadline, 有关要求 from the config's "
            "report.requirements, 已整改, signature block) and .xlsx the workbook to track "
            "rectification in (sheets 存在问题, 全部栏目, 已整改)."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="output file: .html, .md, .csv, .docx or .xlsx"
        )

    def run_site(self, opts: argparse.Namespace, config: Any, today: dt.date) -> int:
        if not opts.output:
            fail("-o FILE is required")
        output = Path(opts.output)
        if output.suffix.lower() not in SUFFIXES:
            fail(f"cannot tell the format of {output.name!r}: {SUFFIX_HINT}")
        content = self._render(opts.site, config, today, output.suffix)
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from None
        print(f"report written to {output}")
        return 0

    def _render(self, site_path: str, config: Any, today: dt.date, suffix: str) -> bytes:
        """Read the store and render by suffix (database errors: ``SiteCommand.run``)."""
        from portalspider.report import build_report, render_report
        from portalspider.report.office import OFFICE_FORMATS, extras_from_config

        with self.open_store() as sessions, sessions() as session:
            site = self.require_site(session, config, site_path)
            report = build_report(
                session,
                site,
                today,
                deadline_days=config.deadline_days,
                default_unit=config.default_unit,
                site_name=config.name,
            )
            office = OFFICE_FORMATS.get(suffix.lower())
            if office is not None:
                return office(report, extras_from_config(config))
            text, encoding = render_report(report, suffix)
            return text.encode(encoding)
