"""``scrapy report --site PATH -o report.html|report.md|report.csv``: the rectification report.

Reads the database the crawls wrote (``PORTALSPIDER_DATABASE_URL``); never crawls. Heavy
imports happen in ``run`` because Scrapy imports every command module for every command,
including the crawls scrapyd starts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

SUFFIXES = (".html", ".htm", ".md", ".markdown", ".csv")


class ReportError(Exception):
    """Raised inside this command for a problem the user can fix; str() is one line."""


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False  # no crawl: no reactor, no spider loader
    default_settings = {"LOG_ENABLED": False}  # noqa: RUF012 (Scrapy's own attribute)

    def syntax(self) -> str:
        return "--site PATH -o FILE.html|FILE.md|FILE.csv"

    def short_desc(self) -> str:
        return "Write the rectification report of a site (format chosen by file extension)"

    def long_desc(self) -> str:
        return (
            "Write the rectification report (自查整改报告) of the site in PATH from the database: "
            "the verdict against the 单项否决 rows column data can decide, problems by "
            "responsible unit with 整改期限, per-unit counts, the trend over past runs and the "
            "longest-running findings. -o report.html gives one self-contained printable page; "
            ".md and .csv are for pasting into documents and spreadsheets."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--site", metavar="PATH", help="site config (YAML) of the portal")
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="output file: .html, .md or .csv"
        )
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="report as of this date (default: today in Asia/Shanghai)",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"unexpected argument: {args[0]}")
        if not opts.site or not opts.output:
            raise UsageError("both --site PATH and -o FILE are required")
        output = Path(opts.output)
        if output.suffix.lower() not in SUFFIXES:
            raise UsageError(
                f"cannot tell the format of {output.name!r}: use a .html, .md or .csv file"
            )
        try:
            today = parse_today(opts.today)
            write_report(opts.site, output, self.settings["PORTALSPIDER_DATABASE_URL"], today)
        except ReportError as exc:
            print(f"Error: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        print(f"report written to {output}")


def parse_today(value: str | None) -> dt.date:
    if not value:
        return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ReportError(f"--today {value!r} is not a YYYY-MM-DD date") from None


def write_report(site_path: str, output: Path, database_url: str, today: dt.date) -> None:
    """Load the config, read the store, render by suffix, write; every failure one line."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from portalspider.report import build_report, render_report
    from portalspider.report.data import find_site
    from portalspider.siteconfig import ConfigError, load_site_config
    from portalspider.store.db import StoreError, make_engine, session_factory

    try:
        config = load_site_config(site_path)
    except ConfigError as exc:
        raise ReportError(str(exc)) from None
    shown_url = make_url(database_url).render_as_string(hide_password=True)
    try:
        engine = make_engine(database_url)
        try:
            with session_factory(engine)() as session:
                site = find_site(session, config.url)
                if site is None:
                    raise ReportError(
                        f"{config.url} has no crawl in {shown_url}; "
                        f"run: scrapy crawl portal -a site={site_path}"
                    )
                report = build_report(
                    session,
                    site,
                    today,
                    deadline_days=config.deadline_days,
                    default_unit=config.default_unit,
                    site_name=config.name,
                )
                text, encoding = render_report(report, output.suffix)
        finally:
            engine.dispose()
    except StoreError as exc:  # already one line naming the (masked) URL
        raise ReportError(str(exc)) from None
    except SQLAlchemyError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ReportError(f"cannot read the database {shown_url}: {first_line}") from None
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding=encoding, newline="")
    except OSError as exc:
        raise ReportError(f"cannot write {output}: {exc.strerror or exc}") from None
